"""`remove` finds an article by its id, a prefix of it, its doc_id, its source path or its URL."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_builder.config import Settings
from graph_builder.errors import ConfigError
from graph_builder.model import Article, ArticleFacts
from graph_builder.remove import Removal, article_ids


def stored(tmp_path: Path) -> dict[str, ArticleFacts]:
    local = tmp_path / "05_bpa_appoints_saar.txt"
    local.write_text("Saar named.", encoding="utf-8")
    arts = [
        Article("a" * 64, "05_bpa_appoints_saar", "", source=str(local)),
        Article("b" * 64, "wire-001", "", source=str(tmp_path / "wire.jsonl"), url="https://news.example.org/x"),
        Article("c" * 64, "wire-002", "", source=str(tmp_path / "wire.jsonl")),
    ]
    return {a.id: ArticleFacts(a) for a in arts}


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("a" * 64, {"a" * 64}),
        ("article:" + "b" * 64, {"b" * 64}),
        ("cccccccc", {"c" * 64}),
        ("05_bpa_appoints_saar", {"a" * 64}),
        ("wire-002", {"c" * 64}),
        ("https://news.example.org/x", {"b" * 64}),
    ],
)
def test_each_way_of_naming_an_article(tmp_path: Path, target: str, expected: set[str]) -> None:
    assert article_ids(target, stored(tmp_path), Settings(out_dir=tmp_path)) == expected


def test_source_path_names_every_article_read_from_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    facts = stored(tmp_path)
    assert article_ids(str(tmp_path / "wire.jsonl"), facts, Settings(out_dir=tmp_path)) == {"b" * 64, "c" * 64}
    monkeypatch.chdir(tmp_path)  # a relative path to the file it was read from
    assert article_ids("05_bpa_appoints_saar.txt", facts, Settings(out_dir=tmp_path)) == {"a" * 64}


def test_unknown_name_says_how_to_list_articles(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="doc_id, source path or URL"):
        article_ids("no-such-story", stored(tmp_path), Settings(out_dir=tmp_path))


def test_summary_shows_full_ids(tmp_path: Path) -> None:
    facts = stored(tmp_path)
    text = Removal(removed=[facts["a" * 64]], kept=2).summary()
    assert f"removed {'a' * 64} 05_bpa_appoints_saar ({tmp_path / '05_bpa_appoints_saar.txt'})" in text
