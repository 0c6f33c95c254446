"""Rewrite the README's generated blocks from what the program prints today (`make readme`).

A block sits between `<!-- readme:NAME -->` and `<!-- /readme:NAME -->`; everything
outside the markers is left as written. The blocks are the demo build's counts, sample
outputs of `graph-builder query` and of the SPARQL examples, and the commands table,
made from the command-line parser itself so every verb and flag is documented.
`tests/test_readme.py` regenerates them from a fresh build and fails when the README differs.

    python scripts/readme.py            # rewrite README.md in place
    python scripts/readme.py --check    # exit 1 and name the stale blocks instead
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import platform
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph_builder import cli  # noqa: E402
from graph_builder.build import build  # noqa: E402
from graph_builder.config import Settings  # noqa: E402

README = ROOT / "README.md"
DEMO_SOURCES = ["data"]
#: Rows of a sample output the README shows; the rest are counted in a closing line.
SAMPLE_ROWS = 8
#: Characters of a SPARQL result line shown; longer lines end in `…`.
SAMPLE_WIDTH = 110
#: Blocks whose text holds a measured time: compared without the figure.
TIMED = ("demo-counts",)
_BLOCK = re.compile(r"(<!-- readme:(?P<name>[\w-]+) -->\n)(?P<body>.*?)(<!-- /readme:(?P=name) -->)", re.DOTALL)
_SECONDS = re.compile(r"\d+(\.\d+)? s\b")


def _run(argv: list[str]) -> str:
    """What `graph-builder ARGV` prints on stdout."""
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(io.StringIO()):
        code = cli.main(argv)
    if code != 0:
        raise SystemExit(f"graph-builder {' '.join(argv)} exited {code}")
    return buf.getvalue()


def _sample(lines: list[str], header: int, what: str) -> str:
    """The first SAMPLE_ROWS rows after `header` lines, and a line saying how many more there are."""
    rows = lines[header:]
    shown = lines[: header + SAMPLE_ROWS]
    if len(rows) > SAMPLE_ROWS:
        shown.append(f"… {len(rows) - SAMPLE_ROWS} more rows ({what} prints all {len(rows)})")
    return "\n".join(shown)


def _fence(text: str, lang: str = "") -> str:
    return f"```{lang}\n{text.rstrip()}\n```\n"


def demo_counts(out: Path, seconds: float) -> str:
    report_line = (out / "summary.txt").read_text(encoding="utf-8")
    return (
        f"On the demo data `make demo` prints:\n\n{_fence(report_line)}\n"
        f"(The build took {seconds:.1f} s when `make readme` last ran, on {os.cpu_count()} cores "
        f"({platform.machine()}), the spaCy model loading included; it varies with the machine and its load.)\n"
    )


def query_roles(out: Path) -> str:
    lines = [line.rstrip() for line in _run(["query", "roles", "--out", str(out)]).splitlines()]
    return _fence(_sample(lines, 2, "`graph-builder query roles`"))


def _sparql(name: str) -> Callable[[Path], str]:
    def block(out: Path) -> str:
        from rdflib import Graph

        graph = Graph().parse(out / "graph.ttl")
        query = (ROOT / "graph_builder" / "data" / "queries" / "sparql" / f"{name}.rq").read_text(encoding="utf-8")
        lines = []
        for row in graph.query(query):
            line = " | ".join(str(v) for v in row)
            lines.append(line if len(line) <= SAMPLE_WIDTH else line[: SAMPLE_WIDTH - 1] + "…")
        return _fence(_sample(lines, 0, "the query"))

    return block


#: Placeholders for flags whose parser gives none.
METAVARS = {"out": "DIR", "config": "FILE", "output": "FILE"}


def _flag(action: argparse.Action) -> str:
    """One option or positional as the commands table shows it (`|` escaped for the table)."""
    if not action.option_strings:
        name = str(action.metavar or action.dest).upper().replace("|", "\\|")
        return f"{name}…" if action.nargs in ("+", "*") else (f"[{name}]" if action.nargs == "?" else name)
    flag = max(action.option_strings, key=len)
    if action.nargs == 0:
        return f"[{flag}]"
    if action.choices:
        value = "\\|".join(str(c) for c in action.choices)
    else:
        default = "N" if action.type is int else action.dest.upper()
        value = str(action.metavar or METAVARS.get(action.dest, default))
    value = f"[{value}]" if action.nargs == "?" else value
    repeat = "…" if isinstance(action, argparse._AppendAction) else ""
    return f"{flag} {value}{repeat}" if action.required else f"[{flag} {value}]{repeat}"


def commands_table(out: Path) -> str:
    """One row a verb, every flag but --help, from the parser `graph-builder` runs."""
    del out
    sub = next(a for a in cli.parser()._actions if isinstance(a, argparse._SubParsersAction))
    rows = ["| verb and flags | does |", "| --- | --- |"]
    for name, verb in sub.choices.items():
        flags = " ".join(_flag(a) for a in verb._actions if not isinstance(a, argparse._HelpAction))
        rows.append(f"| `{name} {flags}` | {verb.description} |")
    return "\n".join(rows) + "\n"


BLOCKS: dict[str, Callable[..., str]] = {
    "demo-counts": demo_counts,
    "query-roles": query_roles,
    "sparql-roles": _sparql("roles"),
    "sparql-events": _sparql("events"),
    "sparql-provenance": _sparql("provenance"),
    "commands": commands_table,
}


def demo_build(out: Path) -> float:
    """Build the demo data into `out` as `make demo` does; keeps its summary in out/summary.txt."""
    cwd = os.getcwd()
    os.chdir(ROOT)  # sources and graph_builder.toml as `make demo` sees them
    try:
        report = build(DEMO_SOURCES, Settings(out_dir=out, progress=False))
    finally:
        os.chdir(cwd)
    summary = report.summary().splitlines()
    (out / "summary.txt").write_text("\n".join(line for line in summary if not line.startswith("done in")))
    return report.seconds


def render(text: str, out: Path, seconds: float) -> str:
    """The README text with every known block regenerated; unknown block names are an error."""

    def replace(match: re.Match[str]) -> str:
        name = match["name"]
        if name not in BLOCKS:
            raise SystemExit(f"README.md: unknown generated block {name!r}; known: {', '.join(BLOCKS)}")
        fn = BLOCKS[name]
        body = fn(out, seconds) if name == "demo-counts" else fn(out)
        return f"{match.group(1)}{body}{match.group(4)}"

    return _BLOCK.sub(replace, text)


def blocks(text: str) -> dict[str, str]:
    """Generated blocks by name, timings masked so a check compares what is not measured."""
    found = {m["name"]: m["body"] for m in _BLOCK.finditer(text)}
    return {k: _SECONDS.sub("N s", v) if k in TIMED else v for k, v in found.items()}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--check", action="store_true", help="report stale blocks instead of rewriting")
    args = p.parse_args(argv)
    text = README.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        fresh = render(text, out, demo_build(out))
    if args.check:
        old, new = blocks(text), blocks(fresh)
        stale = [name for name in new if old.get(name) != new[name]]
        if stale:
            print(f"README.md blocks out of date: {', '.join(stale)}; run `make readme`", file=sys.stderr)
            return 1
        return 0
    README.write_text(fresh, encoding="utf-8")
    print(f"rewrote {len(blocks(fresh))} generated blocks in {README.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
