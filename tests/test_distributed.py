"""Extraction off the main process: a Dask cluster of two worker processes, and a local process pool,
give the same facts as the local run (and, on the cluster, the same graph)."""

from __future__ import annotations

import multiprocessing
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

import dask
import pytest

from graph_builder.build import build
from graph_builder.config import Scoring, Settings
from graph_builder.distributed import extract_on_dask
from graph_builder.errors import ClusterError, WorkerError
from graph_builder.extract import runner
from graph_builder.extract.runner import Extractor
from graph_builder.extract.scorer import ScorerModelError
from graph_builder.ingest import read_sources
from graph_builder.model import Article

pytestmark = pytest.mark.e2e

DATA = Path(__file__).resolve().parents[1] / "data"


def test_dask_cluster_builds_the_same_facts_as_the_local_run(tmp_path: Path) -> None:
    from distributed import Client, LocalCluster

    settings = Settings(out_dir=tmp_path / "local", workers=1, batch_size=2, progress=False)
    local = build([str(DATA)], settings, sinks=())
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        on_dask = settings.with_overrides(out_dir=tmp_path / "dask", dask_scheduler=cluster.scheduler_address)
        report = build([str(DATA)], on_dask, sinks=())
        # Both workers loaded a pipeline, so both extracted batches.
        loaded = client.run(lambda: len(runner._worker))
    assert report.extracted == local.extracted > 10
    assert report.facts == local.facts  # resolution's map and reduce ran on the cluster too: the same graph
    assert sorted(loaded.values()) == [1, 1]
    assert (tmp_path / "dask" / "facts.jsonl").read_text() == (tmp_path / "local" / "facts.jsonl").read_text()


def test_process_pool_gives_the_same_facts_in_the_same_order_as_one_process() -> None:
    articles = [a for a in read_sources([str(DATA)], Settings()) if isinstance(a, Article)]
    one = list(Extractor(None, 1).extract(articles))
    with Extractor(None, 2, batch_size=3) as extractor:
        pooled = list(extractor.extract(articles))
    assert pooled == one
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("forkserver")) as pool:
        assert list(runner.extract_in_order(pool, articles, batch_size=3, window=3)) == one


def test_unreachable_scheduler_says_what_to_do(tmp_path: Path) -> None:
    shutil.copy(DATA / "01_norvale_portugal_wind.txt", tmp_path)
    settings = Settings(out_dir=tmp_path / "out", dask_scheduler="tcp://127.0.0.1:9", progress=False)
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}), pytest.raises(ClusterError, match="Dask sch"):
        build([str(tmp_path / "01_norvale_portugal_wind.txt")], settings, sinks=())


def test_a_worker_that_dies_is_a_clear_error() -> None:
    articles = [a for a in read_sources([str(DATA)], Settings()) if isinstance(a, Article)]
    many = [replace(a, id=f"{a.id}-{n}") for n in range(5) for a in articles]
    with Extractor(None, 2, batch_size=3) as extractor, pytest.raises(WorkerError, match="worker died"):
        facts = extractor.extract(many)
        next(facts)
        next(iter(extractor._pool._processes.values())).kill()
        list(facts)


def test_dask_workers_decide_roles_with_the_given_scorer_and_min_confidence(tmp_path: Path) -> None:
    from distributed import Client, LocalCluster

    settings = Settings(out_dir=tmp_path / "local", workers=1, batch_size=2, progress=False, min_confidence=0.9)
    local = build([str(DATA)], settings, sinks=())
    with (
        LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster),
    ):
        on_dask = settings.with_overrides(out_dir=tmp_path / "dask", dask_scheduler=cluster.scheduler_address)
        build([str(DATA)], on_dask, sinks=())
    facts = (tmp_path / "dask" / "facts.jsonl").read_text()
    assert facts == (tmp_path / "local" / "facts.jsonl").read_text() and local.extracted > 10
    everything = build([str(DATA)], settings.with_overrides(out_dir=tmp_path / "all", min_confidence=0.0), sinks=())
    assert everything.extracted == local.extracted
    assert len(facts) < len((tmp_path / "all" / "facts.jsonl").read_text())


def test_dask_extraction_refuses_a_bad_scorer_file_before_connecting(tmp_path: Path) -> None:
    bad = tmp_path / "scorer.json"
    bad.write_text("{}")
    with pytest.raises(ScorerModelError, match=r"scorer\.json: not a role scorer"):
        next(extract_on_dask([], "tcp://127.0.0.1:9", scoring=Scoring(scorer_model=str(bad))))
