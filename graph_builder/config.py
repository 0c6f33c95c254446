"""All settings in one place: defaults, then `graph_builder.toml`, then the environment, then flags.

The Neo4j password is read from the environment (or a prompt by the CLI, or the userinfo of a
`bolt://user:password@host` URI, which is taken out of the URI at once) and is never written to a
file or shown in a repr; URIs are shown through `mask_uri`.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from .errors import ConfigError

CONFIG_FILE = "graph_builder.toml"
#: The corrections a user made to a build, kept in its folder and applied at every build (see `curation.py`).
CURATION_FILE = "curation.jsonl"

#: Field names recognised in JSON/JSONL records, first match wins; a dotted name ("content.body") reads
#: a field of a nested object. `[json_fields]` in graph_builder.toml adds names in front of these.
DEFAULT_JSON_FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("id", "doc_id", "uuid", "guid"),
    "title": ("title", "headline"),
    "text": ("text", "body", "content", "article", "story"),
    "url": ("url", "link", "href"),
    "published": ("published", "date", "published_at", "publishedAt", "pubDate", "datetime"),
}

ENV = {
    "neo4j_uri": "NEO4J_URI",
    "neo4j_user": "NEO4J_USER",
    "neo4j_password": "NEO4J_PASSWORD",
    "neo4j_database": "NEO4J_DATABASE",
    "model": "GRAPH_BUILDER_MODEL",
    "out_dir": "GRAPH_BUILDER_OUT",
    "base_iri": "GRAPH_BUILDER_BASE_IRI",
    "neo4j_connect_timeout": "NEO4J_CONNECT_TIMEOUT",
    "neo4j_transaction_timeout": "NEO4J_TRANSACTION_TIMEOUT",
    "scorer_model": "GRAPH_BUILDER_SCORER_MODEL",
    "event_scorer_model": "GRAPH_BUILDER_EVENT_SCORER_MODEL",
}

#: `scheme://userinfo@rest` (the last `@` ends the userinfo, as a password may hold an unescaped one).
_USERINFO = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)?(?P<userinfo>.*)@(?P<rest>[^@]*)$", re.DOTALL)


def mask_uri(uri: str) -> str:
    """The URI as it may be shown: any `user:password@` replaced by `***@`."""
    match = _USERINFO.match(uri)
    return f"{match['scheme'] or ''}***@{match['rest']}" if match else uri


def split_userinfo(uri: str) -> tuple[str, str | None, str | None]:
    """(URI without userinfo, user, password): credentials in a URI are moved to where secrets are kept."""
    match = _USERINFO.match(uri)
    if match is None:
        return uri, None, None
    user, sep, password = match["userinfo"].partition(":")
    return f"{match['scheme'] or ''}{match['rest']}", unquote(user) or None, unquote(password) if sep else None


@dataclass(frozen=True)
class Scoring:
    """The models that decide role and event facts, and the least confidence kept: one hashable value, so it
    travels to worker processes whole and keys the extractor each of them keeps."""

    scorer_model: str | None = None  # role scorer JSON (`graph-builder train`); None: the one shipped
    event_scorer_model: str | None = None  # event scorer JSON (`graph-builder train --events`); None: shipped
    min_confidence: float = 0.0  # role and event facts the scorers give less are left out


#: The shipped scorers, every fact kept.
DEFAULT_SCORING = Scoring()


@dataclass(frozen=True)
class Settings:
    out_dir: Path = Path("out")
    model: str | None = None  # None: whichever English pipeline is installed
    workers: int = 0  # 0: one per available core
    batch_size: int = 64  # articles per extraction batch
    dask_scheduler: str | None = None  # address of a Dask scheduler: extract on its cluster
    base_iri: str = "https://graph-builder.example.org/id/"
    neo4j_uri: str = "bolt://localhost:7687"
    neo4j_user: str = "neo4j"
    neo4j_password: str | None = field(default=None, repr=False)
    neo4j_database: str = "neo4j"
    neo4j_batch_size: int = 5000
    neo4j_retry_seconds: float = 30.0  # how long a transaction is retried on a transient failure before giving up
    neo4j_connect_timeout: float = 15.0  # seconds to open a connection (TCP, TLS, Bolt handshake) or get one
    neo4j_transaction_timeout: float = 300.0  # seconds one transaction (a batch, a query) may take, server or wire
    json_fields: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_JSON_FIELDS))
    html_physics_threshold: int = 400  # above this many nodes the layout is computed in Python
    progress: bool = True
    progress_every: int = 500  # articles between progress log lines when stderr is not a terminal
    max_article_chars: int = 1_000_000  # longer articles are skipped (spaCy needs ~1 GB per 100k characters)
    wait: bool = False  # a writer that finds the output folder locked waits for it instead of failing
    languages: tuple[str, ...] = ("en",)  # articles confidently in another language are skipped; () reads all
    scorer_model: str | None = None  # role scorer JSON (`graph-builder train`); None: the one shipped
    event_scorer_model: str | None = None  # event scorer JSON (`graph-builder train --events`); None: shipped
    min_confidence: float = 0.0  # role and event facts the scorers give less are left out
    # a build of at most this many articles also writes facts.jsonl and graph.ttl whole; a bigger one writes only
    # its RDF update (rdf/NNNNNN.ru) and leaves the whole files to `graph-builder export`
    full_exports_max_articles: int = 5000

    def __post_init__(self) -> None:
        uri, user, password = split_userinfo(self.neo4j_uri)
        if uri != self.neo4j_uri:  # frozen: set once here, so no copy of the settings holds the secret in a URI
            object.__setattr__(self, "neo4j_uri", uri)
            object.__setattr__(self, "neo4j_user", user or self.neo4j_user)
            object.__setattr__(self, "neo4j_password", password if password is not None else self.neo4j_password)

    @property
    def scoring(self) -> Scoring:
        return Scoring(self.scorer_model, self.event_scorer_model, self.min_confidence)

    def with_overrides(self, **values: Any) -> Settings:
        """A copy with the given values, ignoring those left as None (unset flags)."""
        known = {f.name for f in fields(self)}
        unknown = set(values) - known
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        return replace(self, **{k: v for k, v in values.items() if v is not None})


def _coerce(name: str, value: Any) -> Any:
    target = {f.name: f.type for f in fields(Settings)}[name]
    if name == "out_dir":
        return Path(value)
    if name == "json_fields":
        if not isinstance(value, dict):
            raise ConfigError(f"{CONFIG_FILE}: json_fields must be a table of field -> [names]")
        unknown = sorted(set(value) - set(DEFAULT_JSON_FIELDS))
        if unknown:
            raise ConfigError(
                f"{CONFIG_FILE}: unknown json_fields key(s) {', '.join(unknown)}; "
                f"valid: {', '.join(DEFAULT_JSON_FIELDS)}"
            )
        # The names given are tried first, then the defaults: adding "body" never stops "text" being read.
        merged = dict(DEFAULT_JSON_FIELDS)
        for key, names in value.items():
            given = (names,) if isinstance(names, str) else tuple(names)
            merged[key] = tuple(dict.fromkeys((*given, *DEFAULT_JSON_FIELDS[key])))
        return merged
    if name == "languages":
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f'setting languages must be a list of language codes such as ["en"], not {value!r}')
        return tuple(v.lower() for v in value)
    if "int" in str(target) and not isinstance(value, bool):
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ConfigError(f"setting {name} must be a whole number, not {value!r}") from None
    if "float" in str(target):
        try:
            return float(value)
        except (TypeError, ValueError):
            raise ConfigError(f"setting {name} must be a number, not {value!r}") from None
    if "bool" in str(target):
        return value if isinstance(value, bool) else str(value).lower() in {"1", "true", "yes", "on"}
    return value


def load_settings(config_file: Path | None = None, environ: dict[str, str] | None = None) -> Settings:
    """Defaults, overridden by the TOML file (if any), overridden by the environment."""
    environ = dict(os.environ if environ is None else environ)
    values: dict[str, Any] = {}
    path = config_file or Path(CONFIG_FILE)
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read configuration: {exc}") from exc
        data = data.get("graph_builder", data)
        if "neo4j_password" in data:
            raise ConfigError(f"{path}: do not store the Neo4j password in a file; set NEO4J_PASSWORD")
        valid = {f.name for f in fields(Settings)} - {"neo4j_password"}
        unknown = sorted(set(data) - valid)
        if unknown:
            raise ConfigError(
                f"{path}: unknown setting(s) {', '.join(unknown)}; valid settings: {', '.join(sorted(valid))}"
            )
        values.update(data)
    elif config_file is not None:
        raise ConfigError(f"{config_file}: configuration file not found")
    for name, var in ENV.items():
        if environ.get(var):
            values[name] = environ[var]
    return Settings().with_overrides(**{k: _coerce(k, v) for k, v in values.items()})
