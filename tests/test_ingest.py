"""Ingest: every source type in, Article records or clear InputErrors out."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_builder.config import DEFAULT_JSON_FIELDS, Settings
from graph_builder.errors import InputError
from graph_builder.ingest import article_id, normalise, read_sources
from graph_builder.ingest.files import EXTENSIONS, read_data
from graph_builder.ingest.normalise import iso_date
from graph_builder.model import Article
from tests.factories import write_file as write

SETTINGS = Settings()

BODY = (
    "The Foreign Minister of Norway, Ingrid Solberg, met the Trade Commissioner of Chile, Mateo Rivas, "
    "in Bergen on Monday to discuss fisheries and shipping.\n"
    "Both sides agreed to hold a joint conference on ocean research in Valparaíso next spring, "
    "organised by the University of Bergen."
)
STORY = "Norway and Chile Agree on Ocean Research\n" + BODY + "\n"

PAGE = f"""<!DOCTYPE html>
<html><head><title>Norway and Chile Agree on Ocean Research | Harbour Times</title>
<meta property="og:title" content="Norway and Chile Agree on Ocean Research">
<meta property="article:published_time" content="2024-03-05T08:30:00+00:00">
<link rel="canonical" href="https://news.example.org/world/norway-chile-ocean"></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/sport">Sport</a></nav>
<article><h1>Norway and Chile Agree on Ocean Research</h1>
{"".join(f"<p>{para}</p>" for para in BODY.split(chr(10)))}
</article>
<footer><p>Copyright Harbour Times. All rights reserved.</p></footer></body></html>"""

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Harbour Times</title><link>https://news.example.org/</link>
<item><title>Norway and Chile Agree on Ocean Research</title>
<link>https://news.example.org/world/norway-chile-ocean</link>
<guid>https://news.example.org/world/norway-chile-ocean</guid>
<pubDate>Tue, 05 Mar 2024 08:30:00 GMT</pubDate>
<description>&lt;p&gt;The Foreign Minister of Norway, &lt;b&gt;Ingrid Solberg&lt;/b&gt;, met Mateo Rivas.&lt;/p&gt;
&lt;p&gt;Talks continue on Tuesday.&lt;/p&gt;</description></item>
<item><title>Port of Bergen Names New Director</title>
<link>https://news.example.org/business/bergen-port-director</link>
<pubDate>Wed, 06 Mar 2024 10:00:00 GMT</pubDate>
<description>The Port of Bergen appointed Kari Nilsen as its director on Wednesday.</description></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Harbour Times</title>
<entry><id>tag:news.example.org,2024:story-17</id><title>Chile Opens Embassy Office in Bergen</title>
<updated>2024-03-07T09:00:00Z</updated><link href="https://news.example.org/world/chile-office"/>
<content type="html">&lt;p&gt;Chile opened an embassy office in Bergen, its ambassador said.&lt;/p&gt;</content>
</entry></feed>"""


def split(items: Iterator[Article | InputError]) -> tuple[list[Article], list[InputError]]:
    items = list(items)
    assert all(isinstance(item, Article | InputError) for item in items)
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, InputError)]


def read(*paths: Path | str, config: Settings = SETTINGS) -> tuple[list[Article], list[InputError]]:
    return split(read_sources([str(p) for p in paths], config))


# --- normalisation -----------------------------------------------------------------------------------------


def test_normalise_keeps_text_but_unifies_form() -> None:
    raw = "Title line  \r\nCafe\u0301 opened.\t\r\n\r\n\r\n\r\nSecond paragraph.\rThird.\n\n"
    assert normalise(raw) == "Title line\nCafé opened.\n\nSecond paragraph.\nThird."
    assert article_id(raw) == article_id("Title line\nCafé opened.\n\nSecond paragraph.\nThird.")
    assert len(article_id(raw)) == 64


def test_boilerplate_lines_are_dropped() -> None:
    raw = (
        "Harbour Deal Signed\n"
        "- Country:\n"
        "- Norway\n"
        "The Port of Bergen signed a deal with the City of Valparaíso on Friday.\n"
        "Share this article\n"
        "Follow us on Mastodon and Bluesky\n"
        "The mayor, Lena Berg, welcomed the agreement.\n"
        "(With inputs from agencies.)\n"
        "ALSO READ\n"
        "Fishing Quotas Cut for Third Year\n"
        "Ferry Strike Ends After Two Days\n"
    )
    assert normalise(raw) == (
        "Harbour Deal Signed\n"
        "The Port of Bergen signed a deal with the City of Valparaíso on Friday.\n"
        "The mayor, Lena Berg, welcomed the agreement."
    )


def test_related_list_stops_at_blank_line_or_sentence() -> None:
    raw = "Lead.\nRelated:\nOne Headline\nTwo Headline\n\nThe story goes on here.\nRead more\nThis is a sentence."
    assert normalise(raw) == "Lead.\n\nThe story goes on here.\nThis is a sentence."


_PIECES = [*"ab \t\r\n.:-é\u0301\u2028", "ALSO READ", "- Country:", "Share this article", "Headline"]


@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
@settings(max_examples=300, deadline=None)
def test_normalise_is_idempotent(raw: str) -> None:
    once = normalise(raw)
    assert normalise(once) == once


def test_iso_dates() -> None:
    assert iso_date("2024-03-05T08:30:00Z") == "2024-03-05"
    assert iso_date("Tue, 05 Mar 2024 08:30:00 GMT") == "2024-03-05"
    assert iso_date("5 March 2024") == "2024-03-05"
    assert iso_date("March 5, 2024") == "2024-03-05"
    assert iso_date("2024-03-05 08:30:00 +0000 UTC") == "2024-03-05"
    assert iso_date(time.strptime("2024-03-05", "%Y-%m-%d")) == "2024-03-05"
    assert iso_date(1709627400) == "2024-03-05"
    assert iso_date(1709627400000) == "2024-03-05"
    assert iso_date("yesterday") is None
    assert iso_date(None) is None


# --- text, markdown, html ----------------------------------------------------------------------------------


def test_text_file_title_is_first_line_and_stays_in_text(tmp_path: Path) -> None:
    [article], errors = read(write(tmp_path / "norway-chile.txt", STORY))
    assert not errors
    assert article.doc_id == "norway-chile"
    assert article.title == "Norway and Chile Agree on Ocean Research"
    assert article.text.startswith("Norway and Chile Agree on Ocean Research\nThe Foreign Minister")
    assert article.id == article_id(STORY) == article_id(article.text)
    start = article.text.index("Ingrid Solberg")
    assert article.text[start : start + 14] == "Ingrid Solberg"
    assert article.source == str(tmp_path / "norway-chile.txt")


def test_first_line_that_reads_as_a_sentence_is_not_a_title(tmp_path: Path) -> None:
    [article], _ = read(write(tmp_path / "plain.txt", BODY))
    assert article.title is None


def test_markdown_heading_is_the_title(tmp_path: Path) -> None:
    [article], _ = read(write(tmp_path / "note.md", "# Ferry Strike Ends\n\nThe ferry strike ended on Sunday."))
    assert article.title == "Ferry Strike Ends"
    assert article.text.startswith("# Ferry Strike Ends")


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    [article], errors = read(write(tmp_path / "story.html", PAGE))
    assert not errors
    assert article.doc_id == "story"
    assert article.title == "Norway and Chile Agree on Ocean Research"
    assert article.published == "2024-03-05"
    assert article.url == "https://news.example.org/world/norway-chile-ocean"
    assert "Ingrid Solberg" in article.text
    assert "Home" not in article.text and "Copyright" not in article.text


def test_html_without_article_body(tmp_path: Path) -> None:
    page = "<html><head><title>Index</title></head><body><nav><a href='/'>Home</a></nav></body></html>"
    articles, [error] = read(write(tmp_path / "index.htm", page))
    assert not articles
    assert "no article text found" in str(error) and str(tmp_path / "index.htm") in str(error)


# --- json and jsonl ----------------------------------------------------------------------------------------


def test_json_shapes(tmp_path: Path) -> None:
    one = {"id": "a1", "title": "Ferry Strike Ends", "body": "The ferry strike ended.", "date": "2024-03-01"}
    two = {"headline": "Port Director Named", "content": "<p>Kari Nilsen was <b>named</b> director.</p>"}
    single, _ = read(write(tmp_path / "single.json", json.dumps(one)))
    listed, _ = read(write(tmp_path / "listed.json", json.dumps([one | {"id": "b1"}, two])))
    wrapped, _ = read(write(tmp_path / "wrapped.json", json.dumps({"status": "ok", "articles": [two | {"x": 1}]})))
    assert [(a.doc_id, a.title, a.published) for a in single] == [("a1", "Ferry Strike Ends", "2024-03-01")]
    assert [a.doc_id for a in listed] == ["b1", "listed-2"]
    assert listed[1].text == "Kari Nilsen was named director."
    assert [a.doc_id for a in wrapped] == ["wrapped-1"]


def test_configured_json_field_names(tmp_path: Path) -> None:
    fields = dict(DEFAULT_JSON_FIELDS, text=("story_body",), title=("heading",), id=("ref",), url=("permalink",))
    config = Settings(json_fields=fields)
    record = {
        "ref": 7,
        "heading": "Ferry Strike Ends",
        "story_body": "The strike ended.",
        "permalink": "https://x.org/a",
    }
    [article], errors = read(write(tmp_path / "api.jsonl", json.dumps(record) + "\n"), config=config)
    assert not errors
    assert (article.doc_id, article.title, article.text) == ("7", "Ferry Strike Ends", "The strike ended.")
    assert article.url == "https://x.org/a"
    _, [error] = read(write(tmp_path / "api2.jsonl", json.dumps(record) + "\n"))
    assert "story_body" not in error.reason and "no article text" in error.reason


def test_jsonl_with_bad_lines_reads_the_good_ones(tmp_path: Path) -> None:
    lines = [
        json.dumps({"title": "One", "text": "First story text."}),
        '{"title": "Broken", "text": "unterminated',
        "",
        json.dumps({"title": "No text here"}),
        json.dumps({"title": "Four", "text": "Fourth story text.", "published": "Mon, 04 Mar 2024 10:00:00 GMT"}),
        "[1, 2]",
    ]
    articles, errors = read(write(tmp_path / "dump.jsonl", "\n".join(lines)))
    assert [(a.doc_id, a.title, a.published) for a in articles] == [
        ("dump-1", "One", None),
        ("dump-5", "Four", "2024-03-04"),
    ]
    assert [e.line for e in errors] == [2, 4, 6]
    assert "not valid JSON" in errors[0].reason and str(errors[0]).startswith(f"{tmp_path / 'dump.jsonl'}:2:")
    assert "no article text" in errors[1].reason
    assert "expected a JSON object" in errors[2].reason


def test_json_that_is_not_an_article(tmp_path: Path) -> None:
    _, [number] = read(write(tmp_path / "n.json", "42"))
    assert "found a JSON number" in number.reason
    _, [broken] = read(write(tmp_path / "b.json", '{"text": "x",\n "title": }'))
    assert broken.line == 2 and "not valid JSON" in broken.reason
    _, [bare] = read(write(tmp_path / "o.json", '{"status": "ok"}'))
    assert "without article text" in bare.reason


# --- feeds -------------------------------------------------------------------------------------------------


def test_rss_and_atom(tmp_path: Path) -> None:
    rss, errors = read(write(tmp_path / "news.rss", RSS))
    assert not errors
    assert [(a.doc_id, a.title, a.published) for a in rss] == [
        ("norway-chile-ocean", "Norway and Chile Agree on Ocean Research", "2024-03-05"),
        ("bergen-port-director", "Port of Bergen Names New Director", "2024-03-06"),
    ]
    assert rss[0].text == "The Foreign Minister of Norway, Ingrid Solberg, met Mateo Rivas.\nTalks continue on Tuesday."
    assert rss[0].url == "https://news.example.org/world/norway-chile-ocean"
    [atom], _ = read(write(tmp_path / "news.atom", ATOM))
    assert (atom.doc_id, atom.published, atom.url) == (
        "story-17",
        "2024-03-07",
        "https://news.example.org/world/chile-office",
    )


def test_feed_content_is_recognised_whatever_the_name(tmp_path: Path) -> None:
    articles, errors = read(write(tmp_path / "feed.cgi", ATOM), write(tmp_path / "feed.txt", RSS))
    assert not errors and len(articles) == 3


def test_truncated_rss_keeps_parsed_entries(tmp_path: Path) -> None:
    cut = RSS[: RSS.index(b"<description>The Port")]
    articles, errors = read(write(tmp_path / "cut.xml", cut))
    assert [a.title for a in articles] == ["Norway and Chile Agree on Ocean Research"]
    assert any("entry 2" in e.reason and "no text" in e.reason for e in errors)
    assert any("truncated" in e.reason for e in errors)
    _, [only] = read(write(tmp_path / "stub.xml", b"<?xml version='1.0'?><rss version='2.0'><chan"))
    assert "truncated" in only.reason or "not an RSS" in only.reason
    _, [notfeed] = read(write(tmp_path / "plain.xml", b"<catalog><book>Moby Dick</book></catalog>"))
    assert "not an RSS or Atom feed" in notfeed.reason


# --- encodings and bad files -------------------------------------------------------------------------------


def test_encodings(tmp_path: Path) -> None:
    latin = "Café Owners Protest\nThe café owners of Bergen protested on Monday, très fâchés.\n"
    [cp1252], _ = read(write(tmp_path / "latin.txt", latin.encode("cp1252")))
    assert cp1252.text == latin.strip() and cp1252.title == "Café Owners Protest"
    [short], _ = read(write(tmp_path / "short.txt", "café".encode("latin-1")))
    assert short.text == "café"
    [bom], _ = read(write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + latin.encode("utf-8")))
    assert bom.text == cp1252.text
    [utf16], _ = read(write(tmp_path / "utf16.txt", latin.encode("utf-16")))
    assert utf16.text == cp1252.text
    assert len({cp1252.id, short.id, bom.id, utf16.id}) == 2  # same text, same id, whatever the encoding


def test_undecodable_binary_and_empty_files(tmp_path: Path) -> None:
    _, [binary] = read(write(tmp_path / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))))
    assert "looks binary" in binary.reason
    _, [garbage] = read(write(tmp_path / "bad.txt", bytes(range(0x80, 0x100)) * 4))
    assert "not valid UTF-8" in garbage.reason
    _, [empty] = read(write(tmp_path / "empty.txt", b""))
    assert "empty file" in empty.reason
    _, [blank] = read(write(tmp_path / "blank.md", "  \n\n\t\n"))
    assert "empty file" in blank.reason
    _, [only_boilerplate] = read(write(tmp_path / "furniture.txt", "Share this article\nAdvertisement\n"))
    assert "no article text found" in only_boilerplate.reason


def test_same_article_twice_is_read_once(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", STORY)
    write(tmp_path / "b.txt", STORY.replace("\n", "\r\n") + "\nShare this article\n\n\n")
    articles, errors = read(tmp_path / "b.txt", tmp_path)
    assert not errors
    assert [a.doc_id for a in articles] == ["b"]


def test_missing_path_and_unsupported_type(tmp_path: Path) -> None:
    _, [missing] = read(tmp_path / "nope.txt")
    assert "no such file" in missing.reason
    _, [pdf] = read(write(tmp_path / "paper.pdf", b"%PDF-1.4 binary"))
    assert "unsupported file type '.pdf'" in pdf.reason


# --- directories -------------------------------------------------------------------------------------------


def test_directory_walk(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write(root / "b" / "second.txt", "Second story.")
    write(root / "a.md", "First story.")
    write(root / "c" / "d" / "third.html", PAGE)
    write(root / ".hidden.txt", "Hidden story.")
    write(root / ".git" / "x.txt", "Hidden directory.")
    write(root / "notes.pdf", b"%PDF ignored silently")
    os.symlink(root, root / "c" / "loop")  # a cycle back to the top
    os.symlink(root / "gone.txt", root / "dangling.txt")
    os.mkfifo(root / "pipe.txt")
    locked = write(root / "locked.txt", "Locked story.")
    locked.chmod(0)
    try:
        articles, errors = read(root)
    finally:
        locked.chmod(0o644)
    assert [a.doc_id for a in articles][:3] == ["a", "second", "third"]
    reasons = {Path(e.source).name: e.reason for e in errors}
    assert "broken symbolic link" in reasons["dangling.txt"]
    assert "not a regular file" in reasons["pipe.txt"]
    if os.geteuid() == 0:  # root reads files whatever their mode
        assert [a.doc_id for a in articles] == ["a", "second", "third", "locked"]
    else:
        assert "permission denied" in reasons["locked.txt"]
        assert [a.doc_id for a in articles] == ["a", "second", "third"]
    assert set(reasons) <= {"dangling.txt", "pipe.txt", "locked.txt"}


def test_directory_listing_denied(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root lists any directory, so permission cannot be denied here")
    closed = tmp_path / "closed"
    write(closed / "x.txt", "Story.")
    closed.chmod(0)
    try:
        _, [error] = read(closed)
    finally:
        closed.chmod(0o755)
    assert "cannot list" in error.reason


# --- URLs --------------------------------------------------------------------------------------------------

ROUTES = {
    "/world/norway-chile-ocean.html": ("text/html; charset=utf-8", PAGE.encode()),
    "/feed": ("application/rss+xml", RSS),
    "/feed-as-xml": ("text/xml", ATOM),
    "/plain": ("text/plain; charset=iso-8859-1", "Café News\nA café opened in Bergen today.".encode("latin-1")),
    "/empty": ("text/html", b"<html><body></body></html>"),
}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path not in ROUTES:
            self.send_error(404, "Not Found")
            return
        content_type, body = ROUTES[self.path]
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_url_article_page(server: str) -> None:
    [article], errors = read(f"{server}/world/norway-chile-ocean.html")
    assert not errors
    assert (article.doc_id, article.published) == ("norway-chile-ocean", "2024-03-05")
    assert article.source == f"{server}/world/norway-chile-ocean.html"
    assert "Mateo Rivas" in article.text


def test_url_feeds_and_text(server: str) -> None:
    articles, errors = read(f"{server}/feed", f"{server}/feed-as-xml", f"{server}/plain")
    assert not errors
    assert [a.doc_id for a in articles] == ["norway-chile-ocean", "bergen-port-director", "story-17", "plain"]
    assert articles[-1].text == "Café News\nA café opened in Bergen today."


def test_url_failures(server: str) -> None:
    _, [missing] = read(f"{server}/missing")
    assert "HTTP 404" in missing.reason and missing.source == f"{server}/missing"
    _, [empty] = read(f"{server}/empty")
    assert "no article text found" in empty.reason
    _, [refused] = read("http://127.0.0.1:9/")  # the discard port: nothing listens
    assert "cannot fetch" in refused.reason


# --- robustness --------------------------------------------------------------------------------------------

_FRAGMENTS = [
    "<html>", "<body>", "<p>", "</p>", "<article>", "<script>", "<!--", "-->", "<![CDATA[", "<?xml", "<rss>",
    "<item>", "<feed>", "{", "}", "[", "]", '"text":', '"title":', ",", "\n", "&amp;", "&#0;", "\x00", "é",
    "ALSO READ", "Minister", ".",
]  # fmt: skip
_BYTES = st.one_of(
    st.binary(max_size=400),
    st.lists(st.sampled_from(_FRAGMENTS) | st.text(max_size=8), max_size=40).map(lambda p: "".join(p).encode()),
)


@given(data=_BYTES, kind=st.sampled_from(sorted(set(EXTENSIONS.values()))))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_fuzzed_input_yields_only_articles_and_input_errors(data: bytes, kind: str) -> None:
    for item in read_data(data, source="fuzz", kind=kind, stem="fuzz", settings=SETTINGS):
        assert isinstance(item, Article | InputError)
        if isinstance(item, Article):
            assert item.text and normalise(item.text) == item.text
