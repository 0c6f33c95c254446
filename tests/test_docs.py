"""Documentation that states the schema says what the code defines."""

from __future__ import annotations

import re
from pathlib import Path

from graph_builder.graph import EDGE_PROPERTIES, LABELS, NODE_PROPERTIES, RELATIONSHIPS

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _rows(text: str) -> dict[str, list[str]]:
    """`| `Name` | ... | a, b |` table rows: name -> every cell after it."""
    rows = {}
    for line in text.splitlines():
        m = re.fullmatch(r"\| `(\w+)` \|(.*)\|", line.strip())
        if m:
            rows[m.group(1)] = [cell.strip() for cell in m.group(2).split("|")]
    return rows


def test_schema_doc_lists_every_label_and_relationship_with_its_properties() -> None:
    rows = _rows((DOCS / "schema.md").read_text(encoding="utf-8"))
    nodes = {name: cells[0] for name, cells in rows.items() if name in LABELS}
    assert nodes == {label: ", ".join(["id", "name", *NODE_PROPERTIES[label]]) for label in LABELS}
    edges = {name: cells for name, cells in rows.items() if name in RELATIONSHIPS}
    assert edges == {
        rel: [f"{'/'.join(src)} → {'/'.join(dst)}", ", ".join(EDGE_PROPERTIES[rel])]
        for rel, (src, dst) in RELATIONSHIPS.items()
    }


def test_docstrings_cite_files_that_exist() -> None:
    """Every `docs/NAME.md` a module cites is in the repository; nothing cites a design file outside it."""
    root = DOCS.parent
    for path in (root / "graph_builder").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "DESIGN.md" not in text, path
        for cited in re.findall(r"docs/[\w-]+\.md", text):
            assert (root / cited).exists(), f"{path}: {cited}"
