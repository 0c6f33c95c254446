"""`graph-builder` under faulty input, random text, removals, kills mid-run, and long runs."""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import pty
import random
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF, SDO, Graph

from graph_builder.build import extract_facts
from graph_builder.cli import main
from graph_builder.config import Settings
from graph_builder.errors import GraphBuilderError
from graph_builder.extract.nlp import load_pipeline
from graph_builder.ingest.files import read_data
from graph_builder.model import Article, ArticleFacts
from graph_builder.sinks.store import run_query
from tests.factories import ONE, TWO, facts, rdf, store_dump
from tests.factories import cli_build as build
from tests.factories import write_file as write

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Harbour Times</title>
<item><title>Port of Bergen Names New Director</title><link>https://news.example.org/bergen-port</link>
<description>The Port of Bergen appointed Kari Nilsen as its director on Wednesday.</description></item>
<item><title>Ferry Strike Ends</title><link>https://news.example.org/ferry</link>
<description>The ferry str"""

ROOT = Path(__file__).resolve().parent.parent


def snapshot(out: Path) -> tuple[str, tuple[list[Any], list[Any]], Any]:
    return (out / "facts.jsonl").read_text(), store_dump(out), rdf(out)


def leftovers(out: Path) -> list[str]:
    """Files in the out folder that are not finished outputs (temporary files, journals)."""
    return sorted(p.name for p in out.iterdir() if p.name.startswith("."))


# --- input faults through `graph-builder build` ------------------------------------------------------------


def _directory_faults(src: Path) -> None:
    folder = src / "folder"
    write(folder / "story.txt", TWO)
    os.symlink(folder, folder / "back")  # a directory loop
    os.symlink(folder / "one.txt", folder / "two.txt")
    os.symlink(folder / "two.txt", folder / "one.txt")  # a file loop
    os.symlink(folder / "gone.txt", folder / "dangling.txt")
    os.mkfifo(folder / "pipe.txt")
    write(folder / "locked.txt", "Locked story.\nIt says little.").chmod(0)


ROOT_READS_ALL = os.geteuid() == 0

#: name -> (writes the faulty input into the source folder, exit status, (source[:line], reason) of each skip)
FAULTS: dict[str, tuple[Callable[[Path], object], int, list[tuple[str, str]]]] = {
    "empty file": (lambda s: write(s / "empty.txt", b""), 4, [("empty.txt", "empty file")]),
    "binary with a text extension": (
        lambda s: write(s / "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))),
        4,
        [("photo.txt", "looks binary")],
    ),
    "invalid UTF-8": (
        lambda s: write(s / "garbled.txt", bytes(range(0x80, 0x100)) * 4),
        4,
        [("garbled.txt", "is not valid UTF-8")],
    ),
    "Latin-1 text": (
        lambda s: write(s / "cafe.txt", "Café Owners Protest\nThe café owners met in Bergen.\n".encode("latin-1")),
        0,
        [],
    ),
    "HTML with no article body": (
        lambda s: write(s / "index.html", "<html><title>Index</title><body><nav><a href='/'>Home</a></nav></html>"),
        4,
        [("index.html", "no article text found")],
    ),
    "JSON that is not an object": (lambda s: write(s / "answer.json", "42"), 4, [("answer.json", "a JSON number")]),
    "JSONL with one malformed line": (
        lambda s: write(
            s / "wire.jsonl",
            "\n".join(
                [
                    json.dumps({"title": "Talks", "text": TWO}),
                    '{"title": "Broken", "text": "cut',
                    json.dumps({"title": "Ferry", "text": "The ferry strike ended on Monday, the union said."}),
                ]
            ),
        ),
        4,
        [("wire.jsonl:2", "not valid JSON")],
    ),
    "truncated RSS feed": (
        lambda s: write(s / "cut.xml", RSS),
        4,
        [("cut.xml", "feed entry 2 (Ferry Strike Ends) has no text"), ("cut.xml:6", "malformed or truncated")],
    ),
    "unreadable files and symlink loops": (
        _directory_faults,
        4,
        [
            ("one.txt", "symbolic link loop"),
            ("two.txt", "symbolic link loop"),
            ("dangling.txt", "broken symbolic link"),
            ("pipe.txt", "not a regular file"),
        ]
        + ([] if ROOT_READS_ALL else [("locked.txt", "permission denied")]),
    ),
    "same article twice under two names": (lambda s: write(s / "copy.txt", ONE.replace("\n", "\r\n")), 0, []),
}


@pytest.mark.e2e
@pytest.mark.parametrize("fault", FAULTS)
def test_input_fault_is_named_and_the_rest_is_built(
    fault: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    make, status, expected = FAULTS[fault]
    src, out = tmp_path / "src", tmp_path / "out"
    write(src / "good.txt", ONE)
    make(src)
    try:
        assert build(src, "--out", out) == status
    finally:
        for locked in src.rglob("locked.txt"):
            locked.chmod(0o644)
    err = capsys.readouterr().err
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    skipped = [line for line in err.splitlines() if line.startswith("  skipped ")]
    assert len(warnings) == len(skipped) == len(expected), (warnings, skipped)
    for where, reason in expected:  # one message as it happens, and its line in the closing summary
        assert sum(f"{where}: " in w and reason in w for w in warnings) == 1, (where, warnings)
        assert sum(f"{where}: " in line and reason in line for line in skipped) == 1, (where, skipped)
    assert f"skipped {len(expected)} input(s)" in err and "\ngraph: " in err
    docs = {rec["doc_id"]: rec for rec in facts(out)}
    good = docs.get("good") or docs["copy"]  # the good article was built whatever else failed
    assert {p["name"] for p in good["people"]} >= {"Tomas Arden", "Maria Lenz"}
    assert store_dump(out)[0]
    assert leftovers(out) == []
    if fault == "Latin-1 text":
        assert docs["cafe"]["article"]["title"] == "Café Owners Protest"
    if fault == "JSONL with one malformed line":
        assert {"wire-1", "wire-3"} <= docs.keys()
    if fault == "truncated RSS feed":
        assert "bergen-port" in docs
    if fault == "unreadable files and symlink loops":
        assert "story" in docs and ("locked" in docs) == ROOT_READS_ALL
    if fault == "same article twice under two names":
        assert len(docs) == 1 and "read 1 article(s)" in err
        assert any("same text as an article read before" in r.getMessage() for r in caplog.records)


@pytest.mark.e2e
def test_article_over_the_size_limit_is_skipped_quickly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    write(src / "good.txt", ONE)
    paragraph = "Maria Lenz, chief executive of Norvale Energy, met Ines Carvalho in Lisbon on Monday.\n\n"
    with open(src / "huge.txt", "w", encoding="utf-8") as fh:
        fh.write("An Article of Fifty Megabytes\n\n")
        for _ in range(50_000_000 // len(paragraph)):
            fh.write(paragraph)
    assert (src / "huge.txt").stat().st_size >= 49_000_000
    assert build(src, "--out", out) == 4
    err = capsys.readouterr().err
    assert "huge.txt: article of 49,9" in err and "longer than max_article_chars (1,000,000)" in err
    assert "raise it in graph_builder.toml" in err
    assert [rec["doc_id"] for rec in facts(out)] == ["good"]
    # The limit is a setting; raised past spaCy's own limit, spaCy's is raised with it.
    (src / "huge.txt").unlink()
    write(tmp_path / "small.toml", "max_article_chars = 100\n")
    assert build(src, "--out", tmp_path / "out2", "--config", tmp_path / "small.toml") == 4
    assert "good.txt: article of 2" in capsys.readouterr().err
    list(extract_facts([], Settings(max_article_chars=3_000_000, workers=1)))
    assert load_pipeline(None).max_length > 3_000_000


# --- random input to readers and extractor -----------------------------------------------------------------

_WORDS = [
    "Maria Lenz", "Mr Arden", "Norvale Energy", "Portugal's", "foreign minister", "chief executive", "former",
    "-elect", "chairman of", "met", "held talks with", "in Lisbon", "Summit", "said", ",", ".", "'s", " ", "\n",
    "\n\n", "(", ")", '"', "Minister for Trade and Industry", "The", "who heads", "ALSO READ", "é", "\u200b",
    "<p>", "</p>", "<article>", "&amp;", "{", '"text": ', "}",
]  # fmt: skip
_TEXT = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(_WORDS) | st.text(max_size=6), max_size=60).map("".join),
)


@pytest.fixture(scope="module")
def extractor() -> Any:
    from graph_builder.extract import Extractor

    return Extractor(workers=1)


def _check_facts(af: ArticleFacts, article: Article) -> None:
    assert af.article == article
    for fact in (*af.roles, *af.events):
        ev = fact.evidence
        assert 0 <= ev.start <= ev.end <= len(article.text)
        assert article.text[ev.start : ev.end] == ev.text


@given(text=_TEXT, kind=st.sampled_from(["text", "html", "json", "raw"]))
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_random_text_through_readers_and_extractor(extractor: Any, text: str, kind: str) -> None:
    """Nothing escapes but our documented errors, and every evidence span points at its sentence."""
    if kind == "raw":
        articles = [Article(id="fuzz", doc_id="fuzz", text=text)]
    else:
        data = json.dumps({"title": "Fuzz", "text": text}) if kind == "json" else text
        items = list(read_data(data.encode(), source="fuzz", kind=kind, stem="fuzz", settings=Settings()))
        articles = [a for a in items if isinstance(a, Article)]
    for article in articles:
        try:
            af = extractor.extract_one(article)
        except GraphBuilderError:
            continue
        _check_facts(af, article)


# --- remove ------------------------------------------------------------------------------------------------


def _holders(out: Path, name: str) -> list[list[Any]]:
    return sorted(
        run_query(
            out / "graph.lbdb",
            "MATCH (p:Person {name: $name})-[h:HOLDS]->(r:Role) RETURN r.title, h.articles, h.spans",
            {"name": name},
        )[1]
    )


@pytest.mark.e2e
def test_remove_keeps_shared_facts_and_readding_restores(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src, out, only_one = tmp_path / "src", tmp_path / "out", tmp_path / "only-one"
    write(src / "one.txt", ONE)
    two = write(src / "two.txt", TWO)
    assert build(src, "--out", out) == 0
    full = snapshot(out)
    ids = {rec["doc_id"]: rec["article"]["id"] for rec in facts(out)}
    [(title, articles, spans)] = _holders(out, "Tomas Arden")
    assert title == "chairman" and sorted(articles) == sorted(ids.values()) and len(spans) == 2
    assert _holders(out, "Aino Kask")

    capsys.readouterr()
    assert main(["remove", str(two), "--out", str(out)]) == 0
    assert f"removed 1 article(s), 1 left\n  removed {ids['two']} two ({two})" in capsys.readouterr().err
    # Stated by both: kept, with the removed article gone from its provenance. Stated only by two: gone.
    assert _holders(out, "Tomas Arden") == [["chairman", [ids["one"]], [s for s in spans if s.startswith(ids["one"])]]]
    assert _holders(out, "Aino Kask") == []
    assert run_query(out / "graph.lbdb", "MATCH (p:Person {name: 'Aino Kask'}) RETURN p.id")[1] == []
    assert "Aino Kask" not in (out / "graph.ttl").read_text() and "Aino Kask" not in (out / "graph.html").read_text()
    assert build(src / "one.txt", "--out", only_one) == 0
    assert snapshot(out) == snapshot(only_one)  # as if two had never been read
    assert leftovers(out) == []

    assert build(src, "--out", out) == 0
    assert snapshot(out) == full
    assert main(["remove", ids["one"][:10], "--out", str(out)]) == 0  # by the start of its id
    assert [rec["doc_id"] for rec in facts(out)] == ["two"]


def test_remove_unknown_target_says_how_to_list_articles(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["remove", "deadbeef00", "--out", str(out)]) == 1
    assert f"no build in {out}" in capsys.readouterr().err
    out.mkdir()
    (out / "facts.jsonl").write_text("")
    assert main(["remove", "no-such-thing", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "'no-such-thing' is neither an article id" in err and "MATCH (a:Article) RETURN a.id" in err


# --- progress and summary ----------------------------------------------------------------------------------


@pytest.mark.e2e
def test_progress_is_plain_log_lines_off_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    src, out = tmp_path / "src", tmp_path / "out"
    for i, text in enumerate([ONE, TWO, ONE.replace("Lenz", "Berg"), TWO.replace("Kask", "Tamm"), ONE + "More."]):
        write(src / f"s{i}.txt", text)
    write(src / "empty.txt", "")
    write(tmp_path / "every2.toml", "progress_every = 2\n")
    assert (
        main(["build", str(src), "--out", str(out), "--workers", "1", "--config", str(tmp_path / "every2.toml")]) == 4
    )
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("extracted ")]
    assert [line.split(" (")[0] for line in lines] == [f"extracted {n}/5 articles" for n in (2, 4, 5)]
    assert all("/s, ETA " in line and line.endswith("s)") for line in lines)
    err = capsys.readouterr().err
    assert "\r" not in err and "it/s" not in err  # no progress bar off a terminal
    summary = err.splitlines()
    assert summary[0] == "read 5 article(s): 5 extracted, 0 unchanged; skipped 1 input(s)"
    assert summary[1].startswith("graph: ") and " Person" in summary[1] and " relationships" in summary[1]
    assert summary[2].startswith("  skipped ") and "empty.txt: empty file" in summary[2]


def _cli(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "graph_builder.cli", *map(str, args)]


@pytest.mark.e2e
def test_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    write(src / "one.txt", ONE)
    write(src / "two.txt", TWO)
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a new pty is 0 columns wide
    proc = subprocess.Popen(_cli("build", src, "--out", out, "--workers", "1"), stderr=follower, cwd=tmp_path)
    os.close(follower)
    shown = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        try:
            chunk = os.read(leader, 4096) if ready else b""
        except OSError:  # the terminal closes when the process ends
            chunk = b""
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert proc.wait(timeout=60) == 0
    text = shown.decode(errors="replace")
    assert "extracting: 100%" in text and "2/2 [" in text and "article/s]" in text  # done, ETA/elapsed, rate


# --- killed mid-run ----------------------------------------------------------------------------------------

_FIRST = ["Maria", "Tomas", "Ines", "Aino", "Henrik", "Kari", "Mateo", "Ingrid", "Bruno", "Gavin"]
_LAST = ["Lenz", "Arden", "Carvalho", "Kask", "Saar", "Nilsen", "Rivas", "Solberg", "Salgado", "Rusk"]
_ORGS = ["Norvale Energy", "Veltrane Group", "Baltic Ports Authority", "Harbour City FC", "Acme Shipping"]


def corpus(folder: Path, n: int) -> list[Path]:
    """n short articles, each a different pair of people in posts, some sharing organisations."""
    paths = []
    for i in range(n):
        a = f"{_FIRST[i % 10]} {_LAST[(i // 10) % 10]}"
        b = f"{_FIRST[(i + 3) % 10]} {_LAST[(i // 10 + 5) % 10]}"
        org = _ORGS[i % len(_ORGS)]
        text = (
            f"{org} report {i}\n\nLISBON, March {1 + i % 28} (Wire) - {org} chairman {a} said on Monday the company "
            f"would expand.\n{b}, chief executive of {org}, met Portugal's foreign minister, Ines Carvalho, in Lisbon."
            f"\nThe talks lasted {i + 2} hours.\n"
        )
        paths.append(write(folder / f"story-{i:03d}.txt", text))
    return paths


def run_until(args: list[str | Path], cwd: Path, marker: str | None) -> str:
    """Run a build; SIGKILL it as soon as a stderr line contains `marker` (None: let it finish)."""
    proc = subprocess.Popen(_cli(*args), cwd=cwd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    assert proc.stderr is not None
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if marker is not None and marker in line:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=120)
    log = "".join(seen)
    assert proc.returncode == (-signal.SIGKILL if marker else 0), log
    return log


def run_for(args: list[str | Path], cwd: Path, seconds: float) -> int:
    """Run a command; SIGKILL it after `seconds` unless it has finished. Its exit status (negative: killed)."""
    proc = subprocess.Popen(_cli(*args), cwd=cwd, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    try:
        return proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        return proc.wait(timeout=60)


def timed(args: list[str | Path], cwd: Path) -> float:
    start = time.monotonic()
    subprocess.run(_cli(*args), cwd=cwd, stderr=subprocess.DEVNULL, check=True)
    return time.monotonic() - start


def check_whole(out: Path) -> None:
    """What readers see after a killed run: no build yet, or one whole build whose outputs agree."""
    if not (out / "current").exists():
        assert not (out / "graph.lbdb").exists()
        return
    ids = {rec["article"]["id"] for rec in facts(out)}
    stored = run_query(out / "graph.lbdb", "MATCH (a:Article) RETURN a.id")[1]
    assert {row[0] for row in stored} == {f"article:{i}" for i in ids}
    articles = set(Graph().parse(out / "graph.ttl").subjects(RDF.type, SDO.NewsArticle))
    assert len(articles) == len(ids)
    assert (out / "graph.html").stat().st_size > 0


def _fresh(log: str) -> int:
    """How many articles a run set out to extract, from its progress lines."""
    return int(re.findall(r"extracted \d+/(\d+) articles", log)[-1])


def check_clean(out: Path) -> None:
    """No temporaries, journal, stale generation or unused part left behind."""
    assert leftovers(out) == []
    generations = sorted(p.name for p in (out / "generations").iterdir())
    assert generations[-1] == "writer.lock" and 1 <= len(generations) - 1 <= 2, generations
    used = set()
    for gen in generations[:-1]:
        used |= set(json.loads((out / "generations" / gen / "manifest.json").read_text())["parts"])
    assert {p.name for p in (out / "facts").iterdir()} == used


@pytest.mark.e2e
def test_journal_keeps_a_killed_runs_extraction(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    paths = corpus(src, 30)
    write(tmp_path / "graph_builder.toml", "progress_every = 5\n")
    run_until(["-v", "build", *paths, "--out", out, "--workers", "1"], tmp_path, "extracted 10/30")
    check_whole(out)
    assert not (out / "facts.jsonl").exists()
    log = run_until(["build", *paths, "--out", out, "--workers", "1"], tmp_path, None)
    assert _fresh(log) <= 20  # the killed run's first ten or more articles were kept
    check_clean(out)


@pytest.mark.e2e
def test_build_killed_at_random_points_then_rerun_matches_an_uninterrupted_run(tmp_path: Path) -> None:
    src, ref, out = tmp_path / "src", tmp_path / "ref", tmp_path / "out"
    paths = corpus(src, 10)
    first = paths[:5]
    common = ["--workers", "1", "-q"]
    whole = timed(["build", *first, "--out", ref, *common], tmp_path)
    timed(["build", *paths, "--out", ref, *common], tmp_path)
    rng = random.Random(17)
    for round_ in range(10):  # over no build, then over the first half's build
        given = first if round_ < 5 else paths
        if round_ == 5:
            run_until(["build", *first, "--out", out, *common], tmp_path, None)
        run_for(["build", *given, "--out", out, *common], tmp_path, rng.uniform(0.5, whole))
        check_whole(out)
    run_until(["build", *paths, "--out", out, *common], tmp_path, None)
    check_clean(out)
    assert snapshot(out) == snapshot(ref)


@pytest.mark.e2e
def test_remove_killed_at_random_points_then_rerun_matches_an_uninterrupted_run(tmp_path: Path) -> None:
    src, built, ref = tmp_path / "src", tmp_path / "built", tmp_path / "ref"
    paths = corpus(src, 8)
    common = ["--workers", "1", "-q"]
    run_until(["build", *paths, "--out", built, *common], tmp_path, None)
    shutil.copytree(built, ref, symlinks=True)
    gone = [str(paths[1]), str(paths[4])]
    whole = timed(["remove", *gone, "--out", ref], tmp_path)
    rng = random.Random(23)
    for round_ in range(10):
        out = tmp_path / f"out-{round_}"
        shutil.copytree(built, out, symlinks=True)
        run_for(["remove", *gone, "--out", out], tmp_path, rng.uniform(0.3, whole))
        check_whole(out)
        assert main(["remove", *gone, "--out", str(out)]) == 0  # completes it, or finds nothing left to do
        check_clean(out)
        assert snapshot(out) == snapshot(ref), round_
        shutil.rmtree(out)


@pytest.mark.e2e
def test_remove_twice_succeeds_and_changes_nothing_the_second_time(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    one = write(src / "one.txt", ONE)
    write(src / "two.txt", TWO)
    assert build(src, "--out", out) == 0
    ids = {rec["doc_id"]: rec["article"]["id"] for rec in facts(out)}
    assert main(["remove", ids["one"], "--out", str(out)]) == 0
    after = snapshot(out), os.readlink(out / "current")
    caplog.clear()
    assert main(["remove", ids["one"], "--out", str(out)]) == 0
    assert any("no article of the build" in r.getMessage() for r in caplog.records)
    assert main(["remove", str(one), "--out", str(out)]) == 0
    assert (snapshot(out), os.readlink(out / "current")) == after


@pytest.mark.e2e
def test_second_writer_is_refused_at_once_or_waits(tmp_path: Path) -> None:
    from graph_builder.generations import writer_lock

    src, out = tmp_path / "src", tmp_path / "out"
    write(src / "one.txt", ONE)
    with writer_lock(out, "remove"):
        refused = subprocess.run(_cli("build", src, "--out", out, "-q"), capture_output=True, text=True, timeout=120)
        waiting = subprocess.Popen(_cli("build", src, "--out", out, "-q", "--wait", "--workers", "1"),
                                   stderr=subprocess.PIPE, text=True)  # fmt: skip
        assert waiting.stderr is not None
        said = waiting.stderr.readline()
        assert waiting.poll() is None
    assert refused.returncode == 2
    assert f"{out} is being written by graph-builder remove (pid {os.getpid()})" in refused.stderr
    assert "--wait" in refused.stderr and "Traceback" not in refused.stderr
    assert "waiting for graph-builder remove" in said
    assert waiting.wait(timeout=120) == 0
    assert [rec["doc_id"] for rec in facts(out)] == ["one"]


@pytest.mark.e2e
def test_two_builds_started_together_lose_no_article(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    paths = corpus(src, 12)
    halves = [paths[:6], paths[6:]]
    procs = [
        subprocess.Popen(
            _cli("build", *half, "--out", out, "-q", "--workers", "1", *wait), stderr=subprocess.PIPE, text=True
        )
        for half, wait in zip(halves, (["--wait"], []), strict=True)
    ]
    status = [p.wait(timeout=300) for p in procs]
    errors = [p.stderr.read() if p.stderr else "" for p in procs]
    assert status[0] == 0, errors[0]
    assert status[1] in (0, 2), errors[1]  # refused only if it met the other one's lock
    if status[1] == 2:
        assert "is being written by graph-builder build" in errors[1]
    built = [p for half, code in zip(halves, status, strict=True) if code == 0 for p in half]
    assert sorted(rec["doc_id"] for rec in facts(out)) == sorted(p.stem for p in built)
    check_whole(out)
    check_clean(out)


def _tree(out: Path) -> dict[str, str]:
    """Every file and link under `out` by its bytes (a link by its target), the writers' lock aside."""
    found = {}
    for path in sorted(out.rglob("*")):
        rel = str(path.relative_to(out))
        if path.is_symlink():
            found[rel] = "-> " + os.readlink(path)
        elif path.is_file() and path.name != "writer.lock":
            found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@pytest.mark.e2e
@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small tmpfs needs root")
def test_full_disk_leaves_the_previous_build_byte_identical(tmp_path: Path) -> None:
    src, disk = tmp_path / "src", tmp_path / "disk"
    paths = corpus(src, 6)
    staged = tmp_path / "first"
    assert build(*paths[:3], "--out", staged) == 0
    size = sum(p.stat().st_size for p in staged.rglob("*") if p.is_file() and not p.is_symlink())
    disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size * 3 // 2 + 65536}", "tmpfs", str(disk)], check=True)
    try:
        out = disk / "out"
        shutil.copytree(staged, out, symlinks=True)
        before = _tree(out)
        free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
        for fill in (free - 4096, free // 2, free // 5):  # the disk runs out at different steps of the build
            filler = disk / "filler"
            with open(filler, "wb") as fh:
                fh.truncate(0)
                fh.write(b"\0" * max(fill, 0))
            run = subprocess.run(
                _cli("build", *paths, "--out", out, "-q", "--workers", "1"), capture_output=True, text=True
            )
            filler.unlink()
            assert run.returncode != 0, run.stderr
            assert "graph-builder: error: " in run.stderr and "Traceback" not in run.stderr, run.stderr
            after = _tree(out)
            after.pop(".facts.journal.jsonl", None)  # the extraction done so far is kept for the rerun
            assert after == before
        subprocess.run(["mount", "-o", f"remount,size={size * 4}", str(disk)], check=True)  # room for the rerun
        assert build(*paths, "--out", out) == 0
        assert sorted(rec["doc_id"] for rec in facts(out)) == sorted(p.stem for p in paths)
        check_clean(out)
    finally:
        subprocess.run(["umount", str(disk)], check=False)


@pytest.mark.e2e
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_workers_end_with_a_terminated_or_killed_build(tmp_path: Path, sig: signal.Signals) -> None:
    corpus(tmp_path / "src", 150)
    proc = subprocess.Popen(
        _cli("extract", tmp_path / "src", "-o", tmp_path / "facts.jsonl", "--workers", "2"),
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    workers = _children_once_running(proc.pid)
    proc.send_signal(sig)
    proc.wait(timeout=60)
    for pid in workers:
        for _ in range(100):  # the kernel (a killed parent) or the parent's clean-up (SIGTERM) ends them
            if not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]:
                break
            select.select([], [], [], 0.1)
        else:
            pytest.fail(f"worker {pid} outlived its parent after {sig.name}")


def _children_once_running(pid: int) -> list[int]:
    """The pool's worker processes, waiting until both have started."""
    for _ in range(600):
        children = Path(f"/proc/{pid}/task/{pid}/children")
        pids = [int(p) for p in children.read_text().split()] if children.exists() else []
        if len(pids) >= 2:
            return pids
        select.select([], [], [], 0.1)
    pytest.fail("the build never started its workers")


@pytest.mark.e2e
def test_damaged_facts_are_extracted_again_when_their_source_is_given(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    one = write(src / "one.txt", ONE)
    two = write(src / "two.txt", TWO)
    assert build(src, "--out", out) == 0
    whole = snapshot(out)
    part = next((out / "facts").iterdir())
    meta = pq.ParquetFile(part).metadata
    record = meta.row_group(0).column(meta.schema.names.index("record"))
    data = bytearray(part.read_bytes())
    start = record.data_page_offset + 24  # inside the first page of records, past its header
    data[start : start + 64] = b"\xff" * 64  # a damaged page: same size, other bytes
    part.write_bytes(bytes(data))
    caplog.set_level(logging.INFO)
    capsys.readouterr()
    assert build(one, "--out", out) == 0  # one's source is given: extracted again; two's is not: left out
    said = [r.getMessage() for r in caplog.records]
    assert sum(f"extracting it again from {one}" in m for m in said) == 1
    assert sum("left out of this build, and extracted again when its source is given" in m for m in said) == 1
    assert "read 1 article(s): 1 extracted, 0 unchanged" in capsys.readouterr().err
    assert [rec["doc_id"] for rec in facts(out)] == ["one"]
    assert build(one, two, "--out", out) == 0
    assert "read 2 article(s): 1 extracted, 1 unchanged" in capsys.readouterr().err
    assert snapshot(out) == whole


@pytest.mark.e2e
def test_a_folder_written_before_generations_is_taken_over(tmp_path: Path) -> None:
    src, out, old = tmp_path / "src", tmp_path / "out", tmp_path / "old"
    write(src / "one.txt", ONE)
    write(src / "two.txt", TWO)
    assert build(src, "--out", out) == 0
    old.mkdir()
    shutil.copyfile(out / "facts.jsonl", old / "facts.jsonl")  # the plain files the earlier layout wrote
    shutil.copyfile(out / "graph.lbdb", old / "graph.lbdb")
    (old / "graph.lbdb.wal").write_bytes(b"")
    assert main(["query", "MATCH (a:Article) RETURN count(a)", "--out", str(old)]) == 0  # read as it is
    assert build(src, "--out", old) == 0
    assert (old / "facts.jsonl").is_symlink() and (old / "graph.lbdb").is_symlink()
    assert not (old / "graph.lbdb.wal").exists()
    assert snapshot(old) == snapshot(out)
    check_clean(old)
