"""Open a written HTML view in headless Chromium and report what the page did.

Tests, the benchmark and the docs screenshot share this one page load: what
the page drew, every request it tried to send off the machine, its script
errors, whether injected article text ran, and optionally a screenshot.

    python -m graph_builder.browser out/graph.html docs/graph.png [--hover NODE_ID]
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError

CHROMIUM = Path(os.environ.get("GRAPH_BUILDER_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")


@dataclass
class PageReport:
    nodes: int  # items in the page's vis DataSet of nodes
    edges: int
    ready_ms: float  # page clock, navigation start to the first drawing after layout
    wall_s: float  # driver clock, from navigation to that drawing
    outside_requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    pwned: bool = False  # set by test payloads if injected script ever ran
    tip: str = ""  # text of the tooltip opened by `hover`
    result: object = None  # what `script` returned


def inspect_page(
    html: Path,
    *,
    screenshot: Path | None = None,
    hover: str | None = None,
    script: str | None = None,
    viewport: tuple[int, int] = (1440, 900),
    timeout_s: float = 120.0,
) -> PageReport:
    """Load `html` from disk, wait for a stable drawing, and report; requests off the machine are blocked.

    `hover` names a node or edge (`from|TYPE|to`) to point at; `script` is a
    JavaScript function body run last, its return value kept in `result`.
    """
    if not CHROMIUM.exists():
        raise ConfigError(
            f"headless Chromium not found at {CHROMIUM}; run `make browser` "
            "(apt-get install chromium) or set GRAPH_BUILDER_CHROMIUM"
        )
    from playwright.sync_api import Route, sync_playwright

    outside: list[str] = []
    errors: list[str] = []

    def route(r: Route) -> None:
        if r.request.url.startswith(LOCAL_SCHEMES):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
            page.route("**/*", route)
            page.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
            start = time.perf_counter()
            page.goto(Path(html).resolve().as_uri())
            # Poll from here: wait_for_function evaluates strings with eval, which the page's CSP forbids.
            while not page.evaluate("() => Boolean(window.graphView && window.graphView.ready)"):
                if time.perf_counter() - start > timeout_s:
                    raise TimeoutError(f"{html}: no stable drawing after {timeout_s:.0f} s; errors: {errors}")
                page.wait_for_timeout(20)
            wall = time.perf_counter() - start
            found = page.evaluate("() => ({nodes: graphView.nodes.length, edges: graphView.edges.length})")
            ready_ms = page.evaluate("graphView.readyMs")
            tip = ""
            if hover is not None:
                point = page.evaluate(
                    """(id) => {
                    const net = graphView.network;
                    const edge = net.body.edges[id];
                    const p = net.canvasToDOM(edge ? edge.edgeType.getPoint(0.5) : net.getPosition(id));
                    const box = document.getElementById("network").getBoundingClientRect();
                    return {x: box.left + p.x, y: box.top + p.y};
                }""",
                    hover,
                )
                page.mouse.move(point["x"], point["y"])
                shown = page.wait_for_selector("#tip:not([hidden])")
                tip = shown.inner_text() if shown is not None else ""
            result = page.evaluate(f"() => {{ {script} }}") if script else None
            pwned = page.evaluate("window.__pwned === true")
            if screenshot is not None:
                Path(screenshot).parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(screenshot))
        finally:
            browser.close()
    return PageReport(found["nodes"], found["edges"], ready_ms, wall, outside, errors, pwned, tip, result)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Screenshot an HTML graph view in headless Chromium.")
    parser.add_argument("html", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--hover", help="node or edge id (from|TYPE|to) to hover so its tooltip shows")
    args = parser.parse_args(argv)
    report = inspect_page(args.html, screenshot=args.png, hover=args.hover)
    print(f"{args.png}: {report.nodes} nodes, {report.edges} edges, drawn in {report.ready_ms:.0f} ms")


if __name__ == "__main__":
    main()
