"""Start and stop the local Neo4j server built from Maven Central jars (`make neo4j`, tests, benchmarks).

The server is `scripts/neo4j/Neo4jServer.java`, run by the JDK's single-file source launcher with
the jars `make neo4j-jars` copies into `scripts/neo4j/lib/`. Its output goes to `server.log` in its
home folder; it is ready when it prints "neo4j ready". The password reaches it only through the
environment, never its command line, so `ps` does not show it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from graph_builder.errors import Neo4jError
from graph_builder.sinks.neo4j_admin import import_arguments

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts" / "neo4j"
READY = "neo4j ready"
LOG_FILE = "server.log"
PID_FILE = "server.pid"
DEV_PASSWORD = "graph-builder-dev"  # only for the local development server; documented in docs/neo4j.md


@dataclass(frozen=True)
class LocalServer:
    """A running server this process (or `make neo4j`) started."""

    pid: int
    home: Path
    port: int
    password: str = field(repr=False)
    startup_seconds: float = 0.0

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _command(home: Path, port: int) -> list[str]:
    java = shutil.which("java")
    lib = SCRIPTS / "lib"
    if java is None:
        raise Neo4jError("cannot start a local Neo4j: no `java` on PATH (a JDK 17 or newer is needed)")
    if not any(lib.glob("neo4j-*.jar")):
        raise Neo4jError(f"cannot start a local Neo4j: no jars in {lib}; run `make neo4j-jars` first")
    return [
        java,
        f"@{SCRIPTS / 'jvm.options'}",
        "-cp",
        f"{lib}/*",
        str(SCRIPTS / "Neo4jServer.java"),
        str(home),
        str(port),
    ]


def admin_command() -> list[str]:
    """`neo4j-admin` made of the jars the server runs on (no Neo4j installation needed)."""
    java = shutil.which("java")
    lib = SCRIPTS / "lib"
    if java is None or not any(lib.glob("neo4j-import-tool-*.jar")):
        raise Neo4jError("no local neo4j-admin: needs `java` (a JDK 17 or newer) and the jars of `make neo4j-jars`")
    return [java, "-cp", f"{lib}/*", "org.neo4j.cli.AdminTool"]


def bulk_import(home: Path, folder: Path, timeout: float = 1800.0) -> None:
    """Import a `neo4j-admin` export folder into a new database `neo4j` in `home` (no server may run there).

    Runs the importer (`neo4j-admin database import full`) from the jars the server runs on; a server
    started in `home` afterwards holds the graph (without key constraints: the export's
    `constraints.cypher` creates them).
    """
    (home / "conf").mkdir(parents=True, exist_ok=True)
    (home / "conf" / "neo4j.conf").touch()
    done = subprocess.run(
        [*admin_command(), *import_arguments(folder)],
        env={**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")},
        cwd=home,  # where the importer writes its import.report
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise Neo4jError(f"neo4j-admin import into {home} failed ({done.returncode}):\n{done.stderr[-2000:]}")


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no output)"


def start(home: Path, port: int, password: str, timeout: float = 600.0) -> LocalServer:
    """Launch the server detached from this process and wait until it accepts Bolt connections.

    The generous `timeout` is for a busy machine: compiling the launcher and starting can take minutes there.
    """
    if len(password) < 8:
        raise Neo4jError("the local Neo4j server needs a password of at least 8 characters in NEO4J_PASSWORD")
    home = home.resolve()
    home.mkdir(parents=True, exist_ok=True)
    log = home / LOG_FILE
    began = time.monotonic()
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen(
            _command(home, port),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "NEO4J_PASSWORD": password},
            start_new_session=True,
        )
    (home / PID_FILE).write_text(str(proc.pid), encoding="utf-8")
    while READY not in log.read_text(encoding="utf-8", errors="replace"):
        if proc.poll() is not None:
            (home / PID_FILE).unlink(missing_ok=True)
            raise Neo4jError(
                f"the local Neo4j server exited with code {proc.returncode} while starting "
                f"(is port {port} free?); its output:\n{_tail(log)}"
            )
        if time.monotonic() - began > timeout:
            stop(home)
            raise Neo4jError(f"the local Neo4j server was not ready after {timeout:.0f} s; see {log}")
        time.sleep(0.2)
    return LocalServer(proc.pid, home, port, password, time.monotonic() - began)


def _is_ours(pid: int) -> bool:
    try:
        return b"Neo4jServer.java" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def running_pid(home: Path) -> int | None:
    """The pid of the server whose pid file is in `home`, if that process is still the server."""
    try:
        pid = int((home / PID_FILE).read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return None
    return pid if _is_ours(pid) else None


def stop(home: Path, timeout: float = 60.0) -> bool:
    """SIGTERM the server (it checkpoints and closes its stores) and wait; False if none was running."""
    pid = running_pid(home)
    (home / PID_FILE).unlink(missing_ok=True)
    if pid is None:
        return False
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while _is_ours(pid):
        try:  # reap it when it is our own child, so it does not linger as a zombie
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                break
        except ChildProcessError:
            pass
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            break
        time.sleep(0.1)
    return True


def main(argv: list[str] | None = None) -> int:
    """`make neo4j` / `make neo4j-stop`: manage the development server in the background."""
    parser = argparse.ArgumentParser(prog="python -m devtools.neo4j_server")
    parser.add_argument("action", choices=["start", "stop"])
    parser.add_argument("--home", type=Path, default=Path(os.environ.get("NEO4J_HOME_DIR") or ".neo4j/data"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("NEO4J_PORT") or 7687))
    args = parser.parse_args(argv)
    try:
        if args.action == "stop":
            print("neo4j stopped" if stop(args.home) else f"no neo4j running from {args.home}")
            return 0
        if (pid := running_pid(args.home)) is not None:
            print(f"neo4j already running from {args.home} (pid {pid})")
            return 0
        server = start(args.home, args.port, os.environ.get("NEO4J_PASSWORD") or DEV_PASSWORD)
    except Neo4jError as exc:
        print(exc, file=sys.stderr)
        return exc.exit_code
    print(
        f"neo4j ready at {server.uri} (pid {server.pid}, data in {server.home}, "
        f"started in {server.startup_seconds:.1f} s); `make neo4j-stop` stops it"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
