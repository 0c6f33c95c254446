"""The command line's rough edges, each as a user meets it: settings, pipes, tables, skipped files,
the view's file, `extract`'s output, JSON field names, and finding a person by surname or alias."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from graph_builder.cli import MAX_CELL, VIEW_FILE, _print_rows, main
from graph_builder.config import DEFAULT_JSON_FIELDS, load_settings
from graph_builder.errors import ConfigError

pytestmark = pytest.mark.e2e

STORY = """Korvane Energy names chief

OSLO, May 4 (Wire) - Korvane Energy said on Monday that Edda Marsh would become its chief executive.
Edda Marsh, chief executive of Korvane Energy, met Norway's trade minister, Lars Velde, in Oslo.
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """A folder with one story, a CSV and a PNG, built once; returns (sources, out, build stderr)."""
    root = tmp_path_factory.mktemp("cli")
    src = root / "src"
    src.mkdir()
    (src / "story.txt").write_text(STORY, encoding="utf-8")
    (src / "prices.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (src / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(16))
    out = root / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "graph_builder.cli", "build", str(src), "--out", str(out), "--workers", "1", "-q"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return src, out, proc.stderr


def test_unknown_setting_names_the_key_and_the_valid_ones(tmp_path: Path) -> None:
    config = tmp_path / "graph_builder.toml"
    config.write_text('out_dri = "elsewhere"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_settings(config, environ={})
    assert "out_dri" in str(err.value) and "out_dir" in str(err.value) and "workers" in str(err.value)
    proc = subprocess.run(
        [sys.executable, "-m", "graph_builder.cli", "query", "roles", "--config", str(config)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "unknown setting(s) out_dri" in proc.stderr and "Traceback" not in proc.stderr


def test_json_fields_add_to_the_defaults_and_read_dotted_paths(tmp_path: Path) -> None:
    config = tmp_path / "graph_builder.toml"
    config.write_text('[json_fields]\ntext = ["content.body"]\ntitle = "meta.headline"\n', encoding="utf-8")
    settings = load_settings(config, environ={})
    assert settings.json_fields["text"] == ("content.body", *DEFAULT_JSON_FIELDS["text"])
    dump = tmp_path / "dump.jsonl"
    records = [
        {"id": "n1", "content": {"body": STORY}, "meta": {"headline": "Nested headline"}},
        {"id": "n2", "text": STORY.replace("Oslo", "Bergen"), "title": "Flat"},
    ]
    dump.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    out = tmp_path / "facts.jsonl"
    assert main(["extract", str(dump), "--config", str(config), "--workers", "1", "-o", str(out)]) == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["doc_id"], r["title"]) for r in lines] == [("n1", "Nested headline"), ("n2", "Flat")]
    with pytest.raises(ConfigError, match="unknown json_fields key"):
        config.write_text('[json_fields]\nbody = ["x"]\n', encoding="utf-8")
        load_settings(config, environ={})


def test_a_closed_pipe_ends_quietly(built: tuple[Path, Path, str]) -> None:
    _, out, _ = built
    cmd = f"{sys.executable} -m graph_builder.cli query 'UNWIND range(1, 200000) AS i RETURN i' --out {out} | head -1"
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], capture_output=True, text=True, check=False)
    assert [line.strip() for line in proc.stdout.splitlines()] == ["i"]
    assert proc.stderr == "", proc.stderr
    assert proc.returncode == 141  # 128 + SIGPIPE, as other tools whose reader went away


def test_cut_table_cells_end_in_an_ellipsis(capsys: pytest.CaptureFixture[str]) -> None:
    long = "x" * (MAX_CELL + 10)
    _print_rows(["value"], [[long], ["short"]], "table")
    lines = capsys.readouterr().out.splitlines()
    assert lines[2] == "x" * (MAX_CELL - 1) + "…"
    assert lines[3].rstrip() == "short"


def test_files_of_other_types_are_counted_in_the_summary(built: tuple[Path, Path, str]) -> None:
    _, _, stderr = built
    assert "ignored 2 file(s) of other types in folders: 1 .csv, 1 .png" in stderr


def test_extract_counts_ignored_files_too(built: tuple[Path, Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    src, _, _ = built
    assert main(["extract", str(src), "--workers", "1", "-o", str(src.parent / "facts.jsonl")]) == 0
    assert "ignored 2 file(s) of other types in folders: 1 .csv, 1 .png" in capsys.readouterr().err


def test_view_without_output_keeps_the_builds_view(
    built: tuple[Path, Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = built
    before = (out / "graph.html").read_bytes()
    assert main(["view", "--focus", "Edda Marsh", "--out", str(out)]) == 0
    assert capsys.readouterr().err.strip() == f"wrote {out / VIEW_FILE}"
    assert (out / "graph.html").read_bytes() == before
    assert "Around Edda Marsh" in (out / VIEW_FILE).read_text(encoding="utf-8")


def test_extract_keeps_article_metadata_and_evidence(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    assert main(["extract", str(story), "--workers", "1"]) == 0
    rec = json.loads(capsys.readouterr().out)
    assert rec["title"] == "Korvane Energy names chief"
    assert {"url", "published"} <= rec.keys()
    role = next(r for r in rec["roles"] if r["person"] == "Edda Marsh")
    sentence = role["evidence"]["sentence"]
    assert "Edda Marsh" in sentence and "chief executive" in sentence and sentence in STORY
    assert "rule" not in role


def test_extract_explain_to_a_file_writes_the_explanations(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    out = tmp_path / "facts.jsonl"
    assert main(["extract", str(story), "--workers", "1", "--explain", "-o", str(out)]) == 0
    role = next(r for r in json.loads(out.read_text(encoding="utf-8"))["roles"] if r["person"] == "Edda Marsh")
    assert role["rule"] and role["confidence"] > 0 and role["evidence"]["sentence"]
    err = capsys.readouterr().err
    chain, p = " > ".join(role["rules"]), role["confidence"]
    assert f"# story role [{chain}] p={p} Edda Marsh | {role['title']} | {role['organisation']} |" in err


def test_person_query_finds_a_surname_and_an_alias(
    built: tuple[Path, Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = built
    for name in ("Marsh", "marsh", "Edda Marsh"):
        assert main(["query", "person", "--param", f"name={name}", "--out", str(out), "--format", "json"]) == 0
        rows = json.loads(capsys.readouterr().out)
        roles = {(r["what"], r["with_whom"]) for r in rows if r["fact"] == "role"}
        assert ("chief executive", "Korvane Energy") in roles, rows
    assert main(["query", "person", "--param", "name=Velde Lars", "--out", str(out), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
