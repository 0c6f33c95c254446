"""Who and what an article names: NER mentions, cleaned, repaired, and grouped by coreference.

The statistical NER is a good first guess, not the last word: a span that a
role pattern puts in a person slot becomes a person (`force`), a name the NER
labels two ways takes the label most of its mentions have, and "Aramaki",
"Mr Aramaki" and "Kenji Aramaki's" all become the one person "Kenji Aramaki".
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from ..text import HONORIFICS, POSSESSIVE
from .lexicon import Country, Lexicon

NER_LABELS = {
    "PERSON": "Person",
    "ORG": "Organisation",
    "GPE": "Place",
    "LOC": "Place",
    "FAC": "Place",
    "NORP": "Norp",
    "EVENT": "Event",
}
CONNECTORS = frozenset(
    {"van", "von", "de", "den", "der", "da", "do", "dos", "di", "del", "la", "le", "bin", "al", "el", "du", "ter"}
)
SPEECH_VERBS = frozenset(
    {
        *("say", "says", "said", "tell", "tells", "told", "add", "adds", "added"),
        *("explain", "explains", "explained", "argue", "argues", "argued", "insist", "insists", "insisted"),
        *("warn", "warns", "warned", "tweet", "tweets", "tweeted", "claim", "claims", "claimed"),
        *("note", "notes", "noted", "stress", "stressed"),
    }
)
#: The label of a name that is no person, body or place: a product, a work, an event's name. The event rules
#: still read such a name from its words.
THING = "Thing"
#: Punctuation that closes what came before a name: "in [Ivory Coast],”Param-Preet Singh".
CLOSERS = frozenset({"]", ")", "”", "“", '"', "’"})
#: Prepositions before a side's opponent: "against Canada", "a win over Russia", "a re-match with Australia".
OPPONENT_WORDS = frozenset({"against", "over", "with", "v", "vs"})
#: Words before "for/to/at" + a club: "played for Ajax", "at home to Middlesbrough", "spells at Barcelona".
PLAYS_FOR = frozenset({"played", "plays", "play", "playing", "home", "signed", "moved", "spell", "spells", "stint"})
#: Verbs whose object is a club: "joined Barcelona", "coached Ajax", "beating FC Nordhavn".
CLUB_VERBS = frozenset({"joined", "join", "coached", "coach", "managed", "beat", "beating"})
#: Words that introduce a body's name: "an organization called BRAC".
NAMING_WORDS = frozenset({"called", "named"})
#: Kinds of body whose word makes an untagged run of proper nouns a name ("FC Nordhavn", "Acme Holdings").
UNTAGGED_KINDS = frozenset({"club", "company"})
#: "G7", "G20": a group of nations by its number.
GROUP_OF_NATIONS = re.compile(r"^G\d{1,2}$")
ACRONYM = re.compile(r"^[A-Z][A-Z0-9&.\-]{1,7}$")


@dataclass
class Mention:
    start: int  # token index
    end: int  # exclusive
    label: str  # Person, Organisation, Place, Norp, Event, Thing
    text: str
    forced: bool = False


def is_name_token(tok: Token) -> bool:
    """A token that can be part of a proper name: capitalised word, initial, or name particle."""
    text = tok.text
    if tok.lower_ in CONNECTORS and tok.i > 0:
        return True
    if not text[:1].isupper() or tok.is_punct:
        return False
    return tok.pos_ in {"PROPN", "NOUN", "ADJ", "X", "VERB"} or bool(re.fullmatch(r"[A-Z]\.?", text))


def ends_sentence(tok: Token) -> bool:
    """A word with a full stop that is no initial ("O.P.") nor honorific ("Dr."): "Som Vuth. Kestcorp"."""
    text = tok.text
    return (
        len(text) > 2
        and text.endswith(".")
        and not re.fullmatch(r"(?:[A-Z]\.)+", text)
        and tok.lower_[:-1] not in HONORIFICS
    )


def clean_span(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Trim determiners, honorifics, possessives and punctuation from a name span."""
    while start < end and (
        doc[start].lower_ in {"the", "a", "an"}
        or doc[start].lower_.rstrip(".") in HONORIFICS
        or doc[start].is_punct
        or doc[start].is_space
    ):
        start += 1
    while (
        end > start
        and (doc[end - 1].lower_ in POSSESSIVE or doc[end - 1].is_punct or doc[end - 1].is_space)
        and doc[end - 1].text not in {".", ")"}
    ):
        end -= 1
    while end > start and doc[end - 1].text == "." and not re.fullmatch(r"[A-Z]\.", doc[end - 2].text + "."):
        end -= 1
    opened = [k for k in range(start, end) if doc[k].text == "("]
    if opened and not any(doc[k].text == ")" for k in range(opened[-1], end)):
        end = opened[-1]  # "European Bank for Reconstruction and Development (EBRD": the name stops at "("
        while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
            end -= 1
    return start, end


def span_text(doc: Doc, start: int, end: int) -> str:
    text = doc[start:end].text
    text = re.sub(r"['’]s$", "", text)
    return " ".join(text.split())


class Mentions:
    """The mentions of one document, indexed by token, with label repair and coreference."""

    def __init__(self, doc: Doc, lex: Lexicon) -> None:
        self.doc = doc
        self.lex = lex
        self.by_token: dict[int, Mention] = {}
        self.openers: set[int] = set()  # tokens trimmed from the front of a body's name
        self.common_words = {t.text for t in doc if t.is_lower}  # words the article writes in lower case
        self.bodies: set[str] = set()  # texts the NER tags as organisations somewhere in the article
        self.sport: str | None = None  # the team sport the story is about, if it is a sports story
        for ent in doc.ents:
            label = NER_LABELS.get(ent.label_)
            if label is None:
                continue
            # An entity never runs across a line break: headlines are not part of the next line's name.
            start = ent.start
            for tok in ent:
                if "\n" in tok.text or tok.is_space:
                    start = tok.i + 1
            earlier = self.by_token.get(start)
            if earlier is not None and earlier.start < start and earlier.end >= ent.end:
                continue  # "Department for Enterprise" + "and Skills": taken into the name before it
            end = ent.end
            if label in {"Person", "Place"} and (self._kind_word(start - 1) or self._kind_word(end)):
                label = "Organisation"  # "FC" + "Skarvik", "Brandholt" + "Mining": a body's word the NER left out
                start, end = start - self._kind_word(start - 1), end + self._kind_word(end)
            if label == "Organisation":
                end = self.extend_name(end)
                if end < len(doc) and doc[end].like_num and doc[end].text[:1].isupper() | doc[end].is_digit:
                    end += lex.org_kinds.get(doc[end - 1].lower_) == "media"  # "BBC One", "BBC 3", "Radio 1"
            while label == "Person" and end < len(doc) and doc[end - 1].lower_ in CONNECTORS and doc[end].is_title:
                end += 1  # "Marine Le" + "Pen", "Ard van der" + "Steur"
            while (
                label == "Place"
                and end + 1 < len(doc)
                and doc[end].lower_ in CONNECTORS
                and doc[end + 1].is_title
                and doc[end + 1].pos_ == "PROPN"
            ):
                end += 2  # "Viana" + "do Castelo", "Rio" + "de Janeiro"
            while (
                label == "Person"
                and end < len(doc)
                and doc[end].pos_ == "PROPN"
                and doc[end].is_title
                and not doc[end].ent_type_
                and "\n" not in doc[end - 1].text
                and not ends_sentence(doc[end - 1])
            ):
                end += 1  # "Andros" + "Varnavides": a surname the NER left outside the name
            stop = next((k for k in range(start, end - 1) if ends_sentence(doc[k])), None)
            if label == "Person" and stop is not None and doc[stop + 1].is_title:
                end = stop + 1  # "Som Vuth. Kestcorp": the sentence ended inside the entity
            while label == "Person" and end - start > 1 and doc[end - 1].lower_ in {"-and", "and", "-", "of"}:
                end -= 1  # "Ifeanyi Okorafe of": the NER took the next word in
            while (
                label == "Person"
                and start > 0
                and doc[start - 1].pos_ == "PROPN"
                and doc[start - 1].is_title
                and not doc[start - 1].ent_type_
                and not doc[start - 1].is_sent_start
                and not self._describes(doc[start - 1])
            ):
                start -= 1  # "Per" + "Holmgaard": a first name the NER left outside the name
            start, end = clean_span(doc, start, end)
            if label == "Person" and end - start > 2 and doc[end - 1].text == doc[end - 2].text:
                end -= 1  # "Julie Christie Christie": a caption run into the text
            if end <= start:
                continue
            while label == "Person" and end - start > 1 and doc[end - 1].lower_.rstrip(".") in HONORIFICS:
                end -= 1  # "Lib Dem Sir" + "Archy Kirkwood": the honorific opens the next name
            cut = max((k + 1 for k in range(start, end - 1) if doc[k].text in CLOSERS), default=start)
            start = cut if label == "Person" and end - cut >= 2 else start  # "[Ivory Coast],”Param-Preet Singh"
            while label == "Person" and end - start > 2 and self._describes(doc[start]):
                start += 1  # "Conservative Graham Brady", "Scots Guardsman Allan Hendry": not part of the name
            while (
                label == "Person"
                and end - start > 1
                and (
                    doc[start].lower_ in lex.titles
                    or doc[start].lower_ in lex.qualifiers
                    or doc[start].lower_ in lex.occupations
                )
            ):
                start += 1  # "Keeper Tony Bullock": the title is not part of the name
            if label == "Person" and doc[end - 1].lower_ in lex.titles and end < len(doc) and is_name_token(doc[end]):
                continue  # "Azerbaijani President" + "Ilham Aliyev": a title before the name, not a name
            while (
                label == "Organisation"
                and end - start > 1
                and doc[start].lower_ in lex.qualifiers
                and (doc[start].is_lower or doc[start].is_sent_start)
            ):
                start += 1  # "Former CIA station chief": the qualifier is the title's (not "New York Times")
            if label == "Organisation":
                end = self._name_end(start, end)
                while (
                    end - start > 1 and doc[end - 1].lower_ in lex.titles and end < len(doc) and is_name_token(doc[end])
                ):
                    end -= 1  # "Labour MP" + "Oona King": the title before a name is no part of the body's name
            if label == "Place" and any(lex.org_kinds.get(doc[k].lower_) for k in range(start, end)):
                label = "Organisation"  # "the Indian Embassy", "Harbour City FC": bodies the NER took for places
            self._put(Mention(start, end, label, span_text(doc, start, end)))
        self._untagged_bodies()
        self._described_bodies()
        self._groups()
        self._trim_sentence_openers()
        self._speakers()
        self._credits()
        self._reclassify()

    def _describes(self, tok: Token) -> bool:
        """A word that stands before a name to describe the person, not to name them."""
        low = tok.lower_.rstrip(".")
        lex = self.lex
        return (
            low in lex.titles
            or low in lex.qualifiers
            or low in lex.occupations
            or low in lex.portfolios
            or low in lex.parties
            or low in HONORIFICS
            or lex.country(tok.text) is not None
            or tok.ent_type_ == "NORP"
        )

    def personal_shape(self, m: Mention) -> bool:
        """A body or place mention shaped like a person's name: two or more capitalised words, none a
        body's kind ("Bank", "Party") nor a country."""
        doc, lex = self.doc, self.lex
        return (
            m.label in {"Organisation", "Place"}
            and m.end - m.start >= 2
            and all(is_name_token(doc[k]) or doc[k].text == "-" for k in range(m.start, m.end))
            and not any(lex.org_kinds.get(doc[k].lower_) or lex.country(doc[k].text) for k in range(m.start, m.end))
        )

    def _speakers(self) -> None:
        """A name that says or tells something is a person's, whatever label the NER gave it:
        "Csaba Borsos said", "tweeted Dustin Black"."""
        for m in self.all():
            root = self.doc[m.start : m.end].root
            if root.dep_ == "nsubj" and root.head.lower_ in SPEECH_VERBS and self.personal_shape(m):
                self.force(m.start, m.end, "Person")

    def _name_end(self, start: int, end: int) -> int:
        """Where a body's name really ends: not in lower-case words after it ("Associated Press news agency"),
        not at "in" and a place ("Glenurquhart High School in Inverness"), not in a nationality before a
        noun ("Tampa Bay Buccaneers American football team")."""
        doc, lex = self.doc, self.lex
        cut = next((k for k in range(start + 2, end - 1) if doc[k].lower_ == "in" and doc[k + 1].ent_type_), None)
        end = cut if cut is not None else end
        # "Council of economic advisers" keeps its words; a name all in lower case is left as it is
        strip = doc[start].is_title and not any(doc[k].lower_ in {"of", "for"} for k in range(start, end))
        while strip and end - start > 1 and doc[end - 1].is_lower and doc[end - 1].is_alpha:
            end -= 1
        country = lex.country(doc[end - 1].text)
        nationality = country is not None and doc[end - 1].text in country.adjectives and doc[end - 2].lower_ != "of"
        if end - start > 2 and nationality and end < len(doc) and doc[end].is_lower and doc[end].pos_ == "NOUN":
            end -= 1
        return end

    def _kind_word(self, k: int) -> bool:
        """An untagged capitalised word at k that names a club's or company's kind: "FC", "Holdings"."""
        if k < 0 or k >= len(self.doc):
            return False
        tok = self.doc[k]
        return tok.text[:1].isupper() and not tok.ent_type_ and self.lex.org_kinds.get(tok.lower_) in UNTAGGED_KINDS

    def _groups(self) -> None:
        """ "the G7 meeting", "its G8 presidency": a group of nations, whatever the NER made of it."""
        for tok in self.doc:
            if not GROUP_OF_NATIONS.match(tok.text):
                continue
            m = self.by_token.get(tok.i)
            if m is None or (m.label != "Organisation" and m.end - m.start == 1):
                self._put(Mention(tok.i, tok.i + 1, "Organisation", tok.text, forced=True))

    def _untagged_bodies(self) -> None:
        """A run of proper nouns holding a word of a body's kind that the NER left untagged: "beating FC
        Nordhavn 3-1", "Acme Holdings"."""
        doc, lex = self.doc, self.lex

        def free(k: int) -> bool:
            tok = doc[k]
            return tok.pos_ == "PROPN" and tok.text[:1].isupper() and not tok.ent_type_ and k not in self.by_token

        for tok in doc:
            if lex.org_kinds.get(tok.lower_) not in UNTAGGED_KINDS or not free(tok.i):
                continue
            start, end = tok.i, tok.i + 1
            while start > 0 and free(start - 1) and "\n" not in doc[start - 1].text and not doc[start].is_sent_start:
                start -= 1
            while end < len(doc) and free(end) and not doc[end].is_sent_start:
                end += 1
            if end - start >= 2:
                self._put(Mention(start, end, "Organisation", span_text(doc, start, end)))

    def _opener(self, i: int) -> bool:
        """A capitalised adjective, participle or qualifier that opens a sentence: "Sacked MP Howard Flight",
        "Legendary Dutch boss", "Outgoing Leeds chairman"."""
        tok = self.doc[i]
        opening = bool(tok.is_sent_start) and tok.is_title
        return opening and (tok.pos_ in {"ADJ", "VERB"} or tok.lower_ in self.lex.qualifiers)

    def names_no_one(self, m: Mention) -> bool:
        """The mention is no name at all: "Friday", "TV", "US TV", a sentence's opening adjective ("Sacked")."""
        words = [self.doc[k] for k in range(m.start, m.end)]
        return all(w.lower_ in self.lex.not_names or self.lex.country(w.text) for w in words) or (
            len(words) == 1 and self._opener(m.start)
        )

    def _described_bodies(self) -> None:
        """An untagged name that a body's noun introduces, or that is "called" so: "telecom analysts Ovum",
        "rival suitor Euronext", "His firm Hapinoy", "an organization called BRAC"."""
        doc, lex = self.doc, self.lex
        for tok in doc[:-1]:
            described = tok.is_lower and (tok.lower_ in lex.descriptors or tok.lower_ in NAMING_WORDS)
            if not described or tok.i + 1 in self.by_token or doc[tok.i + 1].ent_type_:
                continue
            run = self.name_run(tok.i + 1)
            if run is not None and all(doc[k].pos_ == "PROPN" and k not in self.by_token for k in range(*run)):
                self._put(Mention(*run, "Organisation", span_text(doc, *run), forced=True))
        for tok in doc[1:]:
            # "the Evening Standard newspaper", "The Observer newspaper": the body's noun after its name
            if not (tok.is_lower and tok.pos_ == "NOUN" and tok.lower_ in lex.descriptors):
                continue
            start = tok.i
            while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].is_title and not self.at(start - 1):
                start -= 1
            if start > 0 and doc[start - 1].text == "The" and start < tok.i:
                start -= 1  # "The Observer": a paper whose name holds its article
            # "Roc-A-Fella label", "a 21st Century network": the name runs on before it, or is no name
            joined = start > 0 and (doc[start - 1].text == "-" or doc[start - 1].pos_ in {"NUM", "ADJ"})
            if start < tok.i and self._opener(start):
                start += 1  # "Veteran Greens party"
            if start < tok.i and not joined and lex.country(doc[start : tok.i].text) is None:
                self._put(Mention(start, tok.i, "Organisation", span_text(doc, start, tok.i), forced=True))

    def _credits(self) -> None:
        """A wire credit line, "msh / dr (AFP, dpa, Reuters)": the editors' initials name no one, and the
        agencies in the closing brackets are organisations, whatever their case."""
        doc, lex = self.doc, self.lex
        for m in self.all():
            slash = any(doc[k].text == "/" for k in range(max(m.start - 1, 0), min(m.end + 1, len(doc))))
            if slash and all(doc[k].is_lower or doc[k].is_punct for k in range(m.start, m.end)):
                self._drop(m)
        for tok in doc:
            if tok.text != "(":
                continue
            close = next((k for k in range(tok.i + 1, min(tok.i + 16, len(doc))) if doc[k].text == ")"), None)
            if close is None or (close + 1 < len(doc) and "\n" not in doc[close + 1].text):
                continue
            items = [k for k in range(tok.i + 1, close) if doc[k].text != ","]
            known = [k for k in items if doc[k].lower_ in lex.agencies]
            if items and all(doc[k].is_alpha for k in items) and 2 * len(known) >= len(items):
                for k in items:
                    if k in known:
                        self.force(k, k + 1, "Organisation")
                    elif (source := self.by_token.get(k)) is not None:
                        self._drop(source)  # an unknown credit is a source, not a body we can name

    def _drop(self, m: Mention) -> None:
        for k in range(m.start, m.end):
            if self.by_token.get(k) is m:
                del self.by_token[k]

    def _reclassify(self) -> None:
        """Labels the NER gets wrong, repaired from what the words around a name say it is: a made thing, a
        place, an event, a person or a body (see `_evidence`). A repaired mention counts as pattern evidence,
        so it outvotes the NER's other mentions of the same name."""
        doc, lex = self.doc, self.lex
        self.sport = sport_of(doc, lex)
        acting = {m.text for m in self.all() if self._acts_as_body(m)}
        self.bodies = {m.text for m in self.all() if m.label == "Organisation"}
        for m in self.all():
            if m.forced:
                continue
            if m.text.lower() in lex.not_names or lex.titles.get(m.text.lower().removesuffix("s"), "") != "":
                self._drop(m)  # "GMT", "TV", "Friday", "MPs"
                continue
            if m.end - m.start > 1 and doc[m.start].lower_ in lex.not_names:
                m = Mention(m.start + 1, m.end, m.label, span_text(doc, m.start + 1, m.end))  # "ISP Freedom2surf"
                self._put(m)
            label = self._evidence(m)
            if label == THING and m.text in acting and not self._event_named(m):
                continue  # "Toyota cars" where "Toyota said": a maker that acts, not only its product
            if label is not None and label != m.label:
                self._put(Mention(m.start, m.end, label, m.text, forced=True))

    def _acts_as_body(self, m: Mention) -> bool:
        """The name does or owns something: the subject of an active verb or a possessor."""
        root = self.doc[m.start : m.end].root
        owner = m.end < len(self.doc) and self.doc[m.end].text in POSSESSIVE
        return owner or (root.dep_ == "nsubj" and root.head.pos_ == "VERB")

    def _evidence(self, m: Mention) -> str | None:
        """The label the words around a mention give it, if they say more than the NER did."""
        doc, lex = self.doc, self.lex
        root = doc[m.start : m.end].root
        before = doc[m.start - 1] if m.start > 0 else None
        if m.label in {"Organisation", "Person"}:
            # "the Heron drone", "its Slimfast range", "drama Vera Drake", "biopic Ray"
            head = root.head
            made = root.dep_ in {"compound", "nmod", "amod"} and head.i >= m.end and _noun_in(head, lex.products)
            if made or (before is not None and _noun_in(before, lex.works)):
                return THING
            of = m.start - 1 - (before is not None and before.lower_ == "the")
            if of >= 1 and doc[of].lower_ == "of" and doc[of - 1].lower_ in lex.place_nouns:
                return "Place"  # "on the banks of the Tagus", "the Brazilian city of Porto Alegre"
        club = (m.label == "Place" and plays(root)) or (m.label in {"Place", "Person"} and _plays_for(root))
        if self.sport and club and lex.country(m.text) is None and m.end - m.start <= 2:
            return "Organisation"  # "Michels played for Ajax", "at home to Middlesbrough": a club, not its city
        if m.label in {"Organisation", "Place"} and self._event_named(m):
            return THING
        if m.label == "Organisation" and self.personal_shape(m) and self._described_as_person(m):
            return "Person"
        if m.label in {"Organisation", "Place"} and before is not None and before.lower_.rstrip(".") in HONORIFICS:
            return "Person"  # "Mr Hilton", tagged a place
        if m.label == "Person" and (self.introduced_as_body(m) or self._bodily(m)):
            return "Organisation"
        return None

    def introduced_as_body(self, m: Mention) -> bool:
        """A body's noun introduces the name: "water firm Aguas Argentinas", "its fuel supplier, Eni",
        "Syriza, a left-wing party"."""
        doc, descriptors = self.doc, self.lex.descriptors
        root = doc[m.start : m.end].root
        before = doc[m.start - 1] if m.start > 0 else None
        if before is not None and before.is_lower and before.lower_ in descriptors:
            return True
        if before is not None and before.text == "," and root.dep_ == "appos" and root.head.i == m.start - 2:
            return root.head.is_lower and root.head.lower_ in descriptors
        return any(c.dep_ == "appos" and c.i >= m.end and c.is_lower and c.lower_ in descriptors for c in root.children)

    def _bodily(self, m: Mention) -> bool:
        """A name that holds a word of a body's kind ("Hereford County Hospital", "Leeds United") or opens
        with a body the article names alone ("Vivendi Universal" beside "Vivendi")."""
        doc = self.doc
        if any(
            self.lex.org_kinds.get(doc[k].lower_) and not (k > m.start and doc[k - 1].lower_ in CONNECTORS)
            for k in range(m.start, m.end)
        ):
            return True  # but "Rob Da Bank": a particle makes the word a surname
        return m.end - m.start > 1 and doc[m.start].text in self.bodies

    def _event_named(self, m: Mention) -> bool:
        """ "Adam Smith Lecture", "Davis Cup", "Greek Civil War": a name that ends in an event's head word and
        holds no word of a body's kind is an event's."""
        doc, lex = self.doc, self.lex
        last = doc[m.end - 1]
        return (
            m.end - m.start > 1
            and last.is_title
            and last.lower_ in lex.event_heads
            and not any(lex.org_kinds.get(doc[k].lower_) for k in range(m.start, m.end))
        )

    def _described_as_person(self, m: Mention) -> bool:
        """What stands beside the name makes it a person's: a title, an occupation or a person's noun in
        apposition ("Alois Rhiel, its minister", "Rinat Akhmetov, the country's richest man"), a relative
        "who", or a possessive before one ("Denise Lewis' coach")."""
        doc, lex = self.doc, self.lex
        root = doc[m.start : m.end].root

        def personal(word: Token) -> bool:
            low = word.lower_
            return low in lex.person_nouns or low in lex.titles or low in lex.occupations

        if any(c.dep_ == "appos" and personal(c) and c.i >= m.end for c in root.children):
            return True
        if any(c.dep_ == "relcl" and any(g.lower_ == "who" for g in c.children) for c in root.children):
            return True
        after = m.end + 1
        return after < len(doc) and doc[m.end].text in POSSESSIVE and personal(doc[after])

    def _trim_sentence_openers(self) -> None:
        """A capitalised opener or a demonym the NER took into a body's name: "New World Bank President
        Jim Yong Kim", "the Afghan Taliban spokesman", where the article elsewhere names the "World Bank"
        and the "Taliban"."""
        doc = self.doc
        bodies = {m.text for m in self.all() if m.label == "Organisation"}
        for m in self.all():
            first = doc[m.start]
            # A sentence opener the article also writes in lower case: "new", not "Henricus".
            opener = m.end - m.start > 1 and first.is_sent_start and first.lower_ in self.common_words
            country = self.lex.country(first.text)
            demonym = m.end - m.start > 1 and country is not None and first.text in country.adjectives
            if m.label == "Organisation" and (opener or demonym):
                rest = span_text(doc, m.start + 1, m.end)
                if rest in bodies:
                    self._put(Mention(m.start + 1, m.end, m.label, rest))
                    self.openers.add(m.start)

    def extend_name(self, end: int) -> int:
        """Take in what the NER cut from a body's name: "Office of the" + "Deputy Prime Minister",
        "Department for Culture" + ", Media and Sport"; but "Airbus and Boeing" are two bodies."""
        doc = self.doc
        k = end - 1
        while k > 0 and (doc[k].text[:1].isupper() or doc[k].lower_ in {"of", "for", "and", "&", ","}) and end - k < 8:
            k -= 1
        of_what = any(doc[i].lower_ in {"of", "for"} for i in range(k + 1, end))  # "Department for ...", "Office of"
        club = any(self.lex.org_kinds.get(doc[i].lower_) == "club" for i in range(k + 1, end))
        j = end
        if of_what:
            while j + 2 < len(doc) and doc[j].text == "," and doc[j + 1].is_title and doc[j + 2].text in {",", "and"}:
                j += 2  # "Department for Culture, Media and Sport"
            if j > end and doc[j].text == ",":
                return end
        start = j
        while j < len(doc) and doc[j].lower_ in {"of", "the", "for", "and", "&"}:
            if doc[j].lower_ == "the" and doc[j - 1].lower_ in {"and", "&"}:
                return end  # "Royal Scots and the King's Own ...": two bodies, not one name
            j += 1
        first_word = k + 2 == end  # the name so far is one word: "Public" + "and Commercial Services Union"
        k = j
        while (
            k < len(doc)
            and doc[k].is_title
            and "\n" not in doc[k - 1].text
            and (doc[k].ent_type_ != "PERSON" or doc[k].lower_ in self.lex.titles)
        ):
            k += 1
        joined = {doc[i].lower_ for i in range(start, j)} <= {"and", "&"} and not of_what
        if joined and not (first_word and k > j and self.lex.org_kinds.get(doc[k - 1].lower_)):
            return end  # "Airbus and Boeing", "SPD and Greens": two bodies
        if club and k > j and self.lex.country(doc[j:k].text) is not None:
            return end  # "FC Skarvik of Denmark": a club's country is not part of its name
        if k > j and (j > end or doc[end - 1].lower_ in {"of", "the", "for", "and"}):
            return k
        return end

    def _put(self, m: Mention) -> None:
        for i in range(m.start, m.end):
            old = self.by_token.get(i)
            if old is not None:
                for j in range(old.start, old.end):
                    self.by_token.pop(j, None)
        for i in range(m.start, m.end):
            self.by_token[i] = m

    def at(self, i: int) -> Mention | None:
        return self.by_token.get(i)

    def starting(self, i: int) -> Mention | None:
        m = self.by_token.get(i)
        return m if m is not None and m.start == i else None

    def ending(self, i: int) -> Mention | None:
        """The mention whose last token is i."""
        m = self.by_token.get(i)
        return m if m is not None and m.end == i + 1 else None

    def force(self, start: int, end: int, label: str) -> Mention:
        """Record evidence from a pattern: this span is a `label` whatever the NER said. Words that only open
        the sentence or name no one are not part of it: "Outgoing Leeds", "ISP Freedom2surf"."""
        start, end = clean_span(self.doc, start, end)
        while end - start > 1 and (self._opener(start) or self.doc[start].lower_ in self.lex.not_names):
            start += 1
        m = Mention(start, end, label, span_text(self.doc, start, end), forced=True)
        self._put(m)
        return m

    def name_run(self, i: int, limit: int = 5) -> tuple[int, int] | None:
        """The capitalised name that starts at token i, if one does (e.g. "R. Anand")."""
        doc = self.doc
        j = i
        while j < len(doc) and j - i < limit and "\n" not in doc[j].text:
            if (
                doc[j].text == "-"
                and j > i
                and not doc[j - 1].whitespace_
                and j + 1 < len(doc)
                and is_name_token(doc[j + 1])
            ):
                j += 2  # "Douglas-Westwood", "Mohd-Saaid"
                continue
            if not is_name_token(doc[j]) or doc[j].lower_ in self.lex.titles or doc[j].lower_ in self.lex.qualifiers:
                break
            j += 1
            last = doc[j - 1].text
            if ends_sentence(doc[j - 1]) or (
                len(last) > 2 and last.endswith(".") and j < len(doc) and doc[j].ent_iob_ == "B"
            ):
                break  # "Som Vuth." + "Kestcorp": a full stop, then another name
        while j > i and doc[j - 1].lower_ in CONNECTORS:
            j -= 1
        return (i, j) if j > i else None

    def all(self) -> list[Mention]:
        seen: dict[int, Mention] = {}
        for m in self.by_token.values():
            seen.setdefault(id(m), m)
        return sorted(seen.values(), key=lambda m: m.start)

    def country(self, m: Mention) -> Country | None:
        if m.label in {"Place", "Norp", "Organisation"}:
            return self.lex.country(m.text)
        return None


def person_groups(mentions: list[Mention], doc: Doc) -> dict[str, str]:
    """Map every surface form of a person to its fullest name in the article.

    A one-word name goes to the unique full name that contains it (as first or
    last word); when several do, to the nearest one mentioned before it.
    """
    people = [m for m in mentions if m.label == "Person"]
    full_order: list[tuple[int, str]] = [(m.start, m.text) for m in people if len(m.text.split()) > 1]
    fulls = sorted({t for _, t in full_order}, key=lambda t: -len(t.split()))
    canon: dict[str, str] = {}
    # Longer full names absorb shorter ones with the same first and last word ("George Bush" -> "George W Bush").
    for f in fulls:
        words = f.split()
        for g in fulls:
            gw = g.split()
            if g != f and len(gw) > len(words) and gw[0] == words[0] and gw[-1] == words[-1]:
                canon[f] = canon.get(g, g)
                break
        canon.setdefault(f, f)
    for m in people:
        if m.text in canon:
            continue
        word = m.text
        matches = {canon[f] for f in fulls if word in f.split()[:1] + f.split()[-1:]}
        if len(matches) == 1:
            canon[word] = matches.pop()
        elif matches:
            before = [canon[t] for s, t in full_order if s < m.start and canon[t] in matches]
            canon[word] = before[-1] if before else sorted(matches)[0]
        else:
            canon[word] = word
    return canon


def vote_labels(mentions: list[Mention]) -> dict[str, str]:
    """The label each surface text carries in most of its mentions.

    Pattern evidence ("chairman of X", "X's chief executive") outranks the
    statistical NER: where a text has any, the NER's labels for it are not counted.
    """
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    forced: dict[str, Counter[str]] = defaultdict(Counter)
    for m in mentions:
        (forced if m.forced else votes)[m.text][m.label] += 1
    labels = {text: c.most_common(1)[0][0] for text, c in votes.items()}
    labels.update({text: c.most_common(1)[0][0] for text, c in forced.items()})
    return labels


def acronym_of(name: str) -> str:
    words = [w for w in re.split(r"[\s\-]+", name) if w and w.lower() not in {"of", "and", "the", "for", "&"}]
    return "".join(w[0] for w in words if w[0].isalpha()).upper()


def in_subject(tok: Token) -> bool:
    """The token is a clause's subject, a conjunct of one or what joins one "along with" it: "The UK,
    France and Sweden want ...", "India, along with China and Brazil, has been invited"."""
    seen = 0
    while seen < 12:
        if tok.dep_ in {"nsubj", "nsubjpass"}:
            return True
        if tok.dep_ == "conj" or (tok.dep_ == "pobj" and tok.head.dep_ == "prep" and tok.head.lower_ == "with"):
            tok = tok.head if tok.dep_ == "conj" else tok.head.head
            if tok.lower_ == "along":
                tok = tok.head
        elif tok.dep_ == "prep" and tok.lower_ == "along":
            tok = tok.head
        else:
            return False
        seen += 1
    return False


def sport_of(doc: Doc, lex: Lexicon) -> str | None:
    """The team sport a story is about, if it is a sports story: its sport named at least twice, and at
    least two of its words players' titles ("striker", "coach") or tournaments ("Cup", "league")."""
    named: Counter[str] = Counter()
    sporting = 0
    for tok in doc:
        low = tok.lower_
        if low in lex.sports:
            named[lex.sports[low]] += 1
        elif lex.titles.get(low) == "club" or lex.event_heads.get(low) in {"tournament", "league"}:
            sporting += 1
    ranked = named.most_common(1)
    return ranked[0][0] if ranked and ranked[0][1] >= 2 and sporting >= 2 else None


def plays(tok: Token) -> bool:
    """In a sports story, the country at this token plays: a subject, an opponent ("against Canada", "a
    win over Russia", "a re-match with Australia") or an owner ("England's first Test")."""
    if in_subject(tok) or tok.dep_ == "poss" or (tok.dep_ == "dobj" and tok.head.lower_ in CLUB_VERBS):
        return True
    return tok.dep_ == "pobj" and tok.head.lower_ in OPPONENT_WORDS


def _plays_for(tok: Token) -> bool:
    """ "played for Ajax", "at home to Middlesbrough", "joined Barcelona": the club a player plays for."""
    if tok.dep_ == "pobj" and tok.head.lower_ in {"for", "to", "at"}:
        return tok.head.head.lower_ in PLAYS_FOR
    return tok.dep_ == "dobj" and tok.head.lower_ in CLUB_VERBS


def _noun_in(tok: Token, words: frozenset[str]) -> bool:
    """A lower-case noun of the list: "drone", "drama" (not the verb "play")."""
    return tok.pos_ == "NOUN" and tok.is_lower and tok.lower_ in words


def houses_seating(doc: Doc, lex: Lexicon, home: Country | None) -> list[str]:
    """The houses whose members' titles the story uses ("Labour MP Oona King": the House of Commons), where
    the title belongs to the story's country."""
    found: dict[str, None] = {}
    for tok in doc:
        row = lex.houses.get(tok.lower_)
        if row is not None and (not row[1] or (home is not None and home.name == row[1])):
            found[row[0]] = None
    return list(found)
