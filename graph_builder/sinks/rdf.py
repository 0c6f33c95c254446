"""RDF export in standard vocabularies (the mapping is in docs/rdf.md), and SHACL validation of the result.

One generator, `quads`, turns the property graph into RDF statements; every
format is a different way of writing that one stream. N-Triples writes each
statement as it comes, so a graph of any size exports in constant extra
memory; Turtle, JSON-LD and TriG need an rdflib graph for prefixes and
nesting, which is fine for the sizes people open in an editor.

Vocabularies: schema.org for people, organisations, places, events and
articles; the W3C Organization Ontology for who holds which post; OWL-Time
for when; PROV-O and NIF for where each fact comes from. The few terms they
lack live in `gb:` (`VOCAB`), a fixed namespace that does not move with the
base IRI, so SHACL shapes and queries keep working across deployments.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

import networkx as nx
from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.exceptions import Error as RDFLibError
from rdflib.namespace import ORG, PROV, SDO, SH, SKOS, TIME
from rdflib.term import Node

from ..atomic import atomic_open
from ..config import Settings
from ..errors import ConfigError, ValidationError

SCHEMA = SDO
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
VOCAB = "https://graph-builder.example.org/vocab#"
GB = Namespace(VOCAB)

PREFIXES: dict[str, Namespace] = {
    "schema": Namespace(str(SCHEMA)),
    "org": Namespace(str(ORG)),
    "prov": Namespace(str(PROV)),
    "skos": Namespace(str(SKOS)),
    "time": Namespace(str(TIME)),
    "nif": NIF,
    "gb": GB,
    "xsd": Namespace(str(XSD)),
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
}

#: RDF classes of each node label.
CLASSES: dict[str, tuple[URIRef, ...]] = {
    "Person": (SCHEMA.Person,),
    "Organisation": (ORG.Organization, SCHEMA.Organization),
    "Place": (SCHEMA.Place,),
    "Role": (ORG.Role,),
    "Event": (SCHEMA.Event,),
    "Article": (SCHEMA.NewsArticle,),
}

#: Suffix of each output format, for reading exports back.
FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".json": "json-ld", ".trig": "trig", ".nq": "nquads"}

#: Interval relation between a membership and the date it was last reported, by status.
_STATUS_RELATION = {"current": TIME.inside, "former": TIME.before, "future": TIME.after}

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?")
_PARTIAL_DATES = ((re.compile(r"\d{4}-(0[1-9]|1[0-2])"), XSD.gYearMonth), (re.compile(r"\d{4}"), XSD.gYear))
_NT_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})

Quad = tuple[URIRef, URIRef, Node, URIRef]
G = TypeVar("G", bound=Graph)


class Minter:
    """Mints IRIs from stable node ids, so one entity has one IRI in every run.

    `person:kenji-aramaki` becomes `<base>person/kenji-aramaki`; the `/` inside
    role ids stays a path separator; anything outside unreserved characters is
    percent-encoded so every IRI is valid whatever a slug contains.
    """

    def __init__(self, base_iri: str) -> None:
        parts = urlsplit(base_iri)
        if not (parts.scheme and (parts.netloc or parts.path)) or any(c in base_iri for c in ' <>"{}|\\^`#'):
            raise ConfigError(
                f"base IRI {base_iri!r} is not an absolute IRI without a fragment; use one like https://example.org/id/"
            )
        self.base = base_iri if base_iri.endswith("/") else base_iri + "/"
        self.facts = URIRef(self.base + "graph/facts")
        self.provenance = URIRef(self.base + "graph/provenance")

    def _iri(self, *parts: str) -> URIRef:
        return URIRef(self.base + "/".join(quote(p, safe="/-._~") for p in parts))

    def node(self, nid: str) -> URIRef:
        return self._iri(*nid.split(":", 1))

    def membership(self, person_id: str, role_id: str) -> URIRef:
        return self._iri("membership", person_id.split(":", 1)[1], role_id.split(":", 1)[1])

    def statement(self, kind: str, event_id: str, party_id: str) -> URIRef:
        return self._iri(kind, event_id.split(":", 1)[1], *party_id.split(":", 1))

    def span(self, ref: str) -> URIRef:
        """A NIF string IRI in the RFC 5147 style: `<article>#char=start,end`."""
        article_id, start, end = parse_span(ref)
        return URIRef(f"{self.node('article:' + article_id)}#char={start},{end}")


def parse_span(ref: str) -> tuple[str, int, int]:
    """`article_id:start-end` (the graph's span reference) as its three parts."""
    article_id, _, offsets = ref.rpartition(":")
    start, _, end = offsets.partition("-")
    return article_id, int(start), int(end)


def date_literal(value: str) -> Literal:
    """The most precise XSD date type the value fits; a plain string when it fits none."""
    try:
        if _DATE.fullmatch(value):
            date.fromisoformat(value)
            return Literal(value, datatype=XSD.date)
        if _DATETIME.fullmatch(value):
            datetime.fromisoformat(value)
            return Literal(value, datatype=XSD.dateTime)
    except ValueError:
        return Literal(value)
    for pattern, datatype in _PARTIAL_DATES:
        if pattern.fullmatch(value):
            return Literal(value, datatype=datatype)
    return Literal(value)


def quads(graph: nx.MultiDiGraph[str], base_iri: str) -> Iterator[Quad]:
    """Every RDF statement of the export as (subject, predicate, object, named graph).

    Entities and facts go to the `graph/facts` named graph, provenance (sources,
    evidence, confidence, reified statements) to `graph/provenance`; formats
    without named graphs ignore the fourth element.
    """
    mint = Minter(base_iri)
    for nid, data in graph.nodes(data=True):
        yield from node_quads(mint, nid, data)
    for u, v, key, data in graph.edges(keys=True, data=True):
        yield from edge_quads(mint, graph, u, v, key, data)
    yield from curation_quads(mint, graph)


def node_quads(mint: Minter, nid: str, data: dict[str, Any]) -> Iterator[Quad]:
    """The statements one node makes about itself (a sentence: its NIF string)."""
    if data["label"] == "Sentence":
        yield from _sentence(mint, nid, data)
        return
    for s, p, o in _node_triples(mint, nid, data):
        yield s, p, o, mint.facts


def node_subject(mint: Minter, nid: str, label: str) -> URIRef:
    """The IRI a node's own statements have for subject."""
    return mint.span(nid) if label == "Sentence" else mint.node(nid)


def edge_quads(
    mint: Minter, graph: nx.MultiDiGraph[str], u: str, v: str, key: str, data: dict[str, Any]
) -> Iterator[Quad]:
    """The statements one relationship makes (none for ROLE_IN, which a membership already says)."""
    handler = _EDGES.get(key)
    if handler is not None:
        yield from handler(mint, graph, u, v, data)


def _sentence(mint: Minter, ref: str, data: dict[str, Any]) -> Iterator[Quad]:
    """A Sentence node is a NIF string of its article: offsets and text."""
    span = mint.span(ref)
    for p, o in (
        (RDF.type, NIF.String),
        (RDF.type, NIF.RFC5147String),
        (RDF.type, NIF.Sentence),
        (NIF.beginIndex, Literal(data["start"], datatype=XSD.nonNegativeInteger)),
        (NIF.endIndex, Literal(data["end"], datatype=XSD.nonNegativeInteger)),
        (NIF.anchorOf, Literal(data["text"])),
        (NIF.referenceContext, mint.node("article:" + data["article"])),
    ):
        yield span, p, o, mint.provenance


def _node_triples(mint: Minter, nid: str, data: dict[str, Any]) -> Iterator[tuple[URIRef, URIRef, Node]]:
    iri = mint.node(nid)
    label = data["label"]
    for cls in CLASSES[label]:
        yield iri, RDF.type, cls
    if label == "Role":
        yield iri, SKOS.prefLabel, Literal(data.get("title") or data["name"])
        return
    if label == "Article":
        if data.get("title"):
            yield iri, SCHEMA.headline, Literal(data["title"])
        if data.get("url"):
            yield iri, SCHEMA.url, Literal(data["url"], datatype=XSD.anyURI)
        if data.get("published"):
            yield iri, SCHEMA.datePublished, date_literal(data["published"])
        if data.get("doc_id"):
            yield iri, SCHEMA.identifier, Literal(data["doc_id"])
        return
    yield iri, SCHEMA.name, Literal(data["name"])
    for alias in data.get("aliases") or ():
        yield iri, SKOS.altLabel, Literal(alias)
    if data.get("kind"):
        yield iri, GB.kind, Literal(data["kind"])
    if label == "Event":
        if data.get("type"):
            yield iri, GB.eventType, Literal(data["type"])
        if data.get("date"):
            yield iri, SCHEMA.startDate, date_literal(data["date"])


def _provenance(mint: Minter, fact: URIRef, data: dict[str, Any]) -> Iterator[Quad]:
    for article_id in data.get("articles", ()):
        yield fact, PROV.wasDerivedFrom, mint.node("article:" + article_id), mint.provenance
    for ref in data.get("spans", ()):
        yield fact, GB.evidence, mint.span(ref), mint.provenance
    if data.get("confidence") is not None:
        yield fact, GB.confidence, Literal(f"{float(data['confidence']):.3f}", datatype=XSD.decimal), mint.provenance
    for rule in data.get("rules", ()):
        yield fact, GB.rule, Literal(rule), mint.provenance


def _holds(mint: Minter, graph: nx.MultiDiGraph[str], person: str, role: str, data: dict[str, Any]) -> Iterator[Quad]:
    """A HOLDS edge is one org:Membership: person, post, organisation, status and dates."""
    m = mint.membership(person, role)
    facts: list[tuple[URIRef, Node]] = [
        (RDF.type, ORG.Membership),
        (ORG.member, mint.node(person)),
        (ORG.role, mint.node(role)),
    ]
    organisation = graph.nodes[role].get("organisation")
    if organisation:
        facts.append((ORG.organization, mint.node(organisation)))
    status = data.get("status")
    if status:
        facts.append((GB.status, Literal(status)))
    if data.get("first_reported"):
        facts.append((GB.firstReported, date_literal(data["first_reported"])))
    last = data.get("last_reported")
    if last:
        facts.append((GB.lastReported, date_literal(last)))
    for p, o in facts:
        yield m, p, o, mint.facts
    relation = _STATUS_RELATION.get(status or "")
    reported = date_literal(last) if last else None
    if reported is not None and reported.datatype == XSD.date and relation is not None:
        # The post was held at (or before, or after) the date it was last reported.
        interval, instant = URIRef(f"{m}#during"), URIRef(f"{m}#reported")
        triples: tuple[tuple[URIRef, URIRef, Node], ...] = (
            (m, ORG.memberDuring, interval),
            (interval, RDF.type, TIME.Interval),
            (interval, relation, instant),
            (instant, RDF.type, TIME.Instant),
            (instant, TIME.inXSDDate, reported),
        )
        for s, p, o in triples:
            yield s, p, o, mint.facts
    yield from _provenance(mint, m, data)


def _party_of(predicate: URIRef, kind: str) -> Callable[..., Iterator[Quad]]:
    """Handler for an edge party → event: a direct schema.org triple, and a reified
    rdf:Statement of it that carries the provenance."""

    def handler(
        mint: Minter, graph: nx.MultiDiGraph[str], party: str, event: str, data: dict[str, Any]
    ) -> Iterator[Quad]:
        e, x = mint.node(event), mint.node(party)
        yield e, predicate, x, mint.facts
        st = mint.statement(kind, event, party)
        for p, o in ((RDF.type, RDF.Statement), (RDF.subject, e), (RDF.predicate, predicate), (RDF.object, x)):
            yield st, p, o, mint.provenance
        if data.get("as"):
            yield st, GB.participantRole, Literal(data["as"]), mint.provenance
        yield from _provenance(mint, st, data)

    return handler


def _fact_iri(mint: Minter, rel: str, u: str, v: str) -> URIRef:
    """The IRI the export gives one fact: a membership, or the reified statement of a party's part."""
    if rel == "HOLDS":
        return mint.membership(u, v)
    return mint.statement("attendance" if rel == "PARTICIPATED_IN" else "organising", v, u)


#: How a curation record bears on the facts it affected, in PROV terms.
_CURATION_LINKS = {
    "invalidated": PROV.wasInvalidatedBy,
    "revised": PROV.wasGeneratedBy,
    "confirmed": PROV.wasInfluencedBy,
}


def curation_quads(mint: Minter, graph: nx.MultiDiGraph[str]) -> Iterator[Quad]:
    """Each correction a user made is a prov:Activity; the facts it removed were invalidated by it,
    the facts it made or confirmed were generated or influenced by it."""
    for rec in graph.graph.get("curation", ()):
        act = mint._iri("curation", rec.get("id") or "unnamed")
        triples: list[tuple[URIRef, URIRef, Node]] = [
            (act, RDF.type, PROV.Activity),
            (act, RDF.type, GB.Curation),
            (act, GB.operation, Literal(rec["op"])),
        ]
        if rec.get("at"):
            triples.append((act, PROV.endedAtTime, date_literal(rec["at"])))
        if rec.get("note"):
            triples.append((act, RDFS.comment, Literal(rec["note"])))
        for target in [rec.get("fact"), rec.get("entity"), *rec.get("entities", ())]:
            if target:
                triples.append((act, GB.target, Literal(target)))
        for how, link in _CURATION_LINKS.items():
            for rel, u, v in ((e[2], e[0], e[1]) for e in rec.get("affects", {}).get(how, ())):
                triples.append((_fact_iri(mint, rel, u, v), link, act))
        for s, p, o in triples:
            yield s, p, o, mint.provenance


def fact_subjects(mint: Minter, rel: str, u: str, v: str) -> tuple[URIRef, ...]:
    """The IRIs only this relationship's statements have for subject (none for one that is a single triple
    about a node): a membership with its interval and instant, or a party's reified statement."""
    if rel == "HOLDS":
        m = mint.membership(u, v)
        return m, URIRef(f"{m}#during"), URIRef(f"{m}#reported")
    if rel in ("PARTICIPATED_IN", "ORGANISED"):
        return (_fact_iri(mint, rel, u, v),)
    return ()


def _direct(predicate: URIRef) -> Callable[..., Iterator[Quad]]:
    def handler(mint: Minter, graph: nx.MultiDiGraph[str], u: str, v: str, data: dict[str, Any]) -> Iterator[Quad]:
        yield mint.node(u), predicate, mint.node(v), mint.facts

    return handler


#: How each relationship type is written. ROLE_IN is absent: a membership's
#: org:organization already says which organisation a post belongs to.
_EDGES: dict[str, Callable[..., Iterator[Quad]]] = {
    "HOLDS": _holds,
    "PARTICIPATED_IN": _party_of(SCHEMA.attendee, "attendance"),
    "ORGANISED": _party_of(SCHEMA.organizer, "organising"),
    "HELD_IN": _direct(SCHEMA.location),
    "BASED_IN": _direct(SCHEMA.location),
    "MENTIONS": _direct(SCHEMA.mentions),
}


def bind_prefixes(target: G) -> G:
    """Our prefixes on a graph, so Turtle, TriG and messages use `schema:`, `org:`, ... rather than ns1."""
    for prefix, ns in PREFIXES.items():
        target.bind(prefix, ns, replace=True)
    return target


def to_dataset(graph: nx.MultiDiGraph[str], base_iri: str) -> Dataset:
    """The whole export as an rdflib Dataset, facts and provenance in their named graphs."""
    ds = bind_prefixes(Dataset())
    for s, p, o, g in quads(graph, base_iri):
        ds.add((s, p, o, g))  # type: ignore[arg-type]  # the stubs take no named graph given by IRI
    return ds


def to_graph(graph: nx.MultiDiGraph[str], base_iri: str) -> Graph:
    """The whole export as one rdflib Graph (named graphs merged)."""
    g = bind_prefixes(Graph())
    for s, p, o, _ in quads(graph, base_iri):
        g.add((s, p, o))
    return g


def nt_term(term: Node) -> str:
    """One term in N-Triples syntax (rdflib's `.n3()` writes multi-line literals Turtle-style)."""
    if not isinstance(term, Literal):
        return term.n3()
    body = '"' + str(term).translate(_NT_ESCAPES) + '"'
    if term.language:
        return f"{body}@{term.language}"
    if term.datatype:
        return f"{body}^^{term.datatype.n3()}"
    return body


def write_ntriples(graph: nx.MultiDiGraph[str], path: Path, settings: Settings) -> None:
    """Streams the export statement by statement: memory stays flat however big the graph."""
    with atomic_open(path) as out:
        for s, p, o, _ in quads(graph, settings.base_iri):
            out.write(f"{nt_term(s)} {nt_term(p)} {nt_term(o)} .\n")


_PNAME_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")


#: Namespace -> its prefix; every namespace ends in "/" or "#", and a prefixed name's local part holds neither.
_NAMESPACE_PREFIX = {str(ns): prefix for prefix, ns in reversed(PREFIXES.items())}


def turtle_term(term: Node) -> str:
    """A term in Turtle: our vocabularies' IRIs as prefixed names, everything else as in N-Triples.

    The namespace is the IRI up to its last "/" or "#", found with one dictionary look-up rather than a
    test of every prefix, since a large export writes millions of terms."""
    if isinstance(term, URIRef):
        iri = str(term)
        cut = max(iri.rfind("/"), iri.rfind("#")) + 1
        prefix = _NAMESPACE_PREFIX.get(iri[:cut])
        if prefix is not None and _PNAME_LOCAL.fullmatch(iri[cut:]):
            return f"{prefix}:{iri[cut:]}"
    return nt_term(term)


def write_turtle(graph: nx.MultiDiGraph[str], path: Path, settings: Settings) -> None:
    """Streams Turtle: prefixed vocabulary terms, and a subject's statements joined with ";".

    Written statement by statement, like N-Triples, rather than through rdflib's serializer, whose
    prefix search slows down with every distinct IRI "folder" a large graph has.
    """
    with atomic_open(path) as out:
        for prefix, ns in PREFIXES.items():
            out.write(f"@prefix {prefix}: <{ns}> .\n")
        subject = None
        for s, p, o, _ in quads(graph, settings.base_iri):
            verb = "a" if p == RDF.type else turtle_term(p)
            if s == subject:
                out.write(f" ;\n    {verb} {turtle_term(o)}")
                continue
            if subject is not None:
                out.write(" .\n")
            out.write(f"\n{turtle_term(s)} {verb} {turtle_term(o)}")
            subject = s
        if subject is not None:
            out.write(" .\n")


def write_jsonld(graph: nx.MultiDiGraph[str], path: Path, settings: Settings) -> None:
    context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    with atomic_open(path, "wb") as out:
        to_graph(graph, settings.base_iri).serialize(
            destination=out, format="json-ld", context=context, auto_compact=True, encoding="utf-8"
        )


def write_trig(graph: nx.MultiDiGraph[str], path: Path, settings: Settings) -> None:
    """Facts and provenance in two named graphs, so either can be loaded alone."""
    with atomic_open(path, "wb") as out:
        to_dataset(graph, settings.base_iri).serialize(destination=out, format="trig", encoding="utf-8")


def read_file(path: Path) -> Graph:
    """An export read back as one graph (named graphs merged); the format comes from the suffix."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise ValidationError(f"{path}: cannot tell the RDF format from the suffix; use one of {known}")
    try:
        if fmt in ("trig", "nquads"):
            ds = Dataset()
            ds.parse(path, format=fmt)
            g = Graph()
            for s, p, o, _ in ds.quads((None, None, None, None)):
                g.add((s, p, o))
        else:
            g = Graph().parse(path, format=fmt)
    except (OSError, ValueError, LookupError, SyntaxError, RDFLibError) as exc:
        raise ValidationError(f"{path}: cannot read it as {fmt}: {exc}; check the path and re-run the export") from exc
    return g


def shapes() -> Graph:
    """The SHACL shapes shipped with the package."""
    text = resources.files("graph_builder.sinks").joinpath("shapes.ttl").read_text(encoding="utf-8")
    return Graph().parse(data=text, format="turtle")


_WHAT: dict[Node, str] = {
    ORG.Membership: "membership",
    SCHEMA.Person: "person",
    ORG.Organization: "organisation",
    SCHEMA.Place: "place",
    ORG.Role: "role",
    SCHEMA.Event: "event",
    SCHEMA.NewsArticle: "article",
    NIF.String: "evidence span",
    RDF.Statement: "statement",
    TIME.Interval: "interval",
    GB.Curation: "correction",
}


def validate_graph(data: Graph) -> list[str]:
    """SHACL violations of an export, in plain words, sorted; empty when it conforms."""
    import pyshacl  # here, not at the top: exports should not pay ~10 MB for the validator

    conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes(), inference="none")
    if conforms:
        return []
    names = bind_prefixes(Graph(bind_namespaces="none")).namespace_manager
    problems = []
    nested = set(results.objects(None, SH.detail))
    for result in set(results.subjects(RDF.type, SH.ValidationResult)) - nested:
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        component = str(results.value(result, SH.sourceConstraintComponent)).rpartition("#")[2]
        value = results.value(result, SH.value)
        why = results.value(result, SH.resultMessage)
        what = next((_WHAT[t] for t in data.objects(focus, RDF.type) if t in _WHAT), "node")
        prop = names.normalizeUri(path) if isinstance(path, URIRef) else None
        if prop is None:
            problems.append(f"{what} {focus.n3()}: {why}")
            continue
        if component == "MinCountConstraintComponent":
            problem = f"has no {prop}"
        elif component == "MaxCountConstraintComponent":
            problem = f"has more than one {prop}"
        else:
            problem = f"{prop} is {value.n3(names)}" if value is not None else f"{prop} is wrong"
        problems.append(f"{what} {focus.n3()}: {problem} ({why})")
    return sorted(problems)


def validate_file(path: Path) -> list[str]:
    """Read an export and check it against the shipped shapes; raise only when it cannot be read."""
    return validate_graph(read_file(path))
