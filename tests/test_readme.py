"""The README cannot drift: its generated blocks are what the program prints today (`make readme`)."""

from __future__ import annotations

import importlib.util
import sys
import tempfile
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIX = "the README differs from what the program prints; run `make readme` and commit README.md"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("readme_generator", ROOT / "scripts" / "readme.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


readme = _generator()


def test_every_verb_and_flag_is_in_the_commands_table() -> None:
    documented = readme.blocks((ROOT / "README.md").read_text(encoding="utf-8")).get("commands")
    assert documented == readme.commands_table(None), f"commands table: {FIX}"


def test_every_block_is_generated_and_none_is_unknown() -> None:
    found = readme.blocks((ROOT / "README.md").read_text(encoding="utf-8"))
    assert set(found) == set(readme.BLOCKS), f"generated blocks {sorted(found)}: {FIX}"


@pytest.mark.e2e
def test_generated_blocks_match_a_fresh_demo_build() -> None:
    """Counts and sample outputs exactly; the build time only in form (it is labelled as measured)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        fresh = readme.render(text, out, readme.demo_build(out))
    old, new = readme.blocks(text), readme.blocks(fresh)
    stale = {name: new[name] for name in new if old.get(name) != new[name]}
    assert not stale, f"blocks {', '.join(stale)}: {FIX}\n" + "\n".join(stale.values())
    assert "when `make readme` last ran" in old["demo-counts"]
