"""Resolution as map -> reduce -> decide on a DataFrame engine: the same entities however the rows are
chunked, in whatever order the articles come, and on a two-worker Dask cluster as in this process."""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_builder.frames import Frames
from graph_builder.model import Article, ArticleFacts, Entity, EventFact, Evidence, RoleFact, Status
from graph_builder.resolve import Resolver

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from synthetic import synthetic_facts

#: Few words, so that names collide: short forms, surnames, acronyms, legal forms, one name with two labels.
WORDS = ["Norvale", "Energy", "Party", "Lenz", "van", "Dorn", "BA", "Harbour", "City", "FC", "Disney+"]
LABELS = ["Person", "Organisation", "Place"]
KINDS = [None, "company", "government", "club", "international", "city"]

names = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join)
entities = st.builds(
    Entity, names, st.sampled_from(LABELS), st.lists(names, max_size=2).map(tuple), st.sampled_from(KINDS)
)


@st.composite
def articles(draw: st.DrawFn, aid: str) -> ArticleFacts:
    """One article's facts: entities, and roles, events and mention counts that use some of their names."""
    ents = tuple(draw(st.lists(entities, max_size=6)))
    used = [e.name for e in ents] or ["Lenz"]
    ev = Evidence(aid, 0, 1, "s")
    roles = tuple(
        RoleFact(p, t, o, Status.CURRENT, ev, "r")
        for p, t, o in draw(
            st.lists(st.tuples(st.sampled_from(used), names, st.none() | st.sampled_from(used)), max_size=2)
        )
    )
    events = tuple(
        EventFact(n, "meeting", tuple(ps), ev, "e", place=pl)
        for n, ps, pl in draw(
            st.lists(
                st.tuples(st.none() | names, st.lists(st.sampled_from(used), max_size=2), st.none() | names),
                max_size=2,
            )
        )
    )
    mentions = tuple(draw(st.lists(st.tuples(st.sampled_from(used), st.integers(1, 4)), max_size=3)))
    return ArticleFacts(Article(aid, aid, ""), ents, roles, events, mentions)


@st.composite
def corpora(draw: st.DrawFn) -> list[ArticleFacts]:
    n = draw(st.integers(1, 6))
    return [draw(articles(f"a{i}")) for i in range(n)]


apart_names = st.dictionaries(st.tuples(st.sampled_from(LABELS), names.map(str.lower)), st.just("org:x"), max_size=2)


def state(r: Resolver, facts: list[ArticleFacts]) -> dict[str, Any]:
    """What the rest of the code reads of a resolver: its entities, and the id of every name of every article."""
    ids = {
        f"{af.article.id}|{label}|{n}": r.id_of(af.article.id, label, n)
        for af in facts
        for n in {*(e.name for e in af.entities), *(a for e in af.entities for a in e.aliases), *WORDS}
        for label in LABELS
    }
    ents = {e.id: [e.label, e.name, e.aliases, e.kind, sorted(e.names.items())] for e in r.entities.values()}
    return {"entities": ents, "ids": ids}


def digest(r: Resolver, facts: list[ArticleFacts]) -> str:
    return hashlib.sha256(json.dumps(state(r, facts), sort_keys=True).encode()).hexdigest()[:16]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpora(), apart_names, st.integers(1, 3), st.randoms(use_true_random=False))
def test_chunking_and_article_order_do_not_change_the_entities(
    facts: list[ArticleFacts], apart: dict[tuple[str, str], str], chunk: int, rng: Any
) -> None:
    whole = state(Resolver(facts, apart), facts)
    shuffled = rng.sample(facts, len(facts))
    assert state(Resolver(shuffled, apart, Frames(chunk=chunk)), facts) == whole


#: Digests of the resolution of synthetic corpora, as the resolver of dictionaries gave them before
#: resolution ran on frames: the entities, their names and the id of every name, byte for byte.
SYNTHETIC = {40: "84352ff6c9b0a5ba", 400: "eb9cecab052e1cbd"}


@pytest.mark.parametrize("size", sorted(SYNTHETIC))
def test_synthetic_corpora_resolve_as_before(size: int) -> None:
    facts = synthetic_facts(size)
    assert digest(Resolver(facts), facts) == SYNTHETIC[size]


@pytest.fixture(scope="module")
def dask_client() -> Iterator[Any]:
    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        yield client


@pytest.mark.e2e
def test_a_two_worker_dask_cluster_resolves_exactly_as_pandas_here(dask_client: Any) -> None:
    facts = synthetic_facts(300)
    apart = {("Person", next(iter(facts[0].entities)).name.lower()): "person:x"}
    here = Resolver(facts, apart)
    on_dask = Resolver(facts, apart, Frames(dask_client, chunk=64))  # several partitions on each worker
    assert state(on_dask, facts) == state(here, facts)
    assert len(here.entities) > 300


@pytest.mark.e2e
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(corpora(), apart_names)
def test_dask_resolves_generated_corpora_as_pandas(
    dask_client: Any, facts: list[ArticleFacts], apart: dict[tuple[str, str], str]
) -> None:
    assert state(Resolver(facts, apart, Frames(dask_client, chunk=2)), facts) == state(Resolver(facts, apart), facts)
