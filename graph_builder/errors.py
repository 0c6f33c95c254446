"""One exception tree, so callers can catch everything we raise with one clause.

Every message says what went wrong and what to do about it.
"""

from __future__ import annotations


class GraphBuilderError(Exception):
    """Root of every error graph_builder raises on purpose."""

    exit_code = 1


class ConfigError(GraphBuilderError):
    """A setting, flag or configuration file is missing or wrong."""

    exit_code = 2


class InputError(GraphBuilderError):
    """One source could not be read as articles; the rest of a batch goes on."""

    def __init__(self, source: str, reason: str, line: int | None = None) -> None:
        self.source = source
        self.reason = reason
        self.line = line
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {reason}")


class ModelNotFoundError(GraphBuilderError):
    """The spaCy pipeline named in the configuration is not installed."""


class StoreError(GraphBuilderError):
    """The embedded Cypher store could not be written or read."""


class QueryError(GraphBuilderError):
    """A Cypher query is unknown, malformed, or failed on the engine."""


class Neo4jError(GraphBuilderError):
    """Neo4j could not be reached, refused the credentials, or failed mid-load."""

    exit_code = 3


class ValidationError(GraphBuilderError):
    """An RDF export does not conform to the shipped SHACL shapes."""


class WorkerError(GraphBuilderError):
    """An extraction worker process died."""


class ClusterError(GraphBuilderError):
    """The Dask scheduler given for distributed extraction could not be reached."""


class FolderBusyError(GraphBuilderError):
    """Another command is writing the same output folder."""

    exit_code = 2
