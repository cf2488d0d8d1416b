"""Faults of the embedded database's handles: holders killed together, at any moment, with
SIGTERM (a terminal's Ctrl-C signals the whole group) or SIGKILL, an emptied handle file, a
stale postmaster.pid, an orphaned server. After each, the next process starts and queries."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from django.conf import settings

from core import embedded_db

ROOT = Path(settings.BASE_DIR)

# Each test runs servers of its own: once is enough (not again in the external-server CI pass).
pytestmark = [
    pytest.mark.embedded,
    pytest.mark.skipif(
        bool(settings.DATABASE_URL),
        reason="DATABASE_URL is set: the embedded server is not in use (deselect with "
        "-m 'not embedded')",
    ),
]

HOLDER = """
import sys, time
from pathlib import Path
from core import embedded_db
embedded_db.start(Path(sys.argv[1]))
print("ready", flush=True)
time.sleep(600)
"""

QUERY = """
import sys
from pathlib import Path
import psycopg
from core import embedded_db
address = embedded_db.start(Path(sys.argv[1]))
embedded_db.ensure_database(address, "essai")
with psycopg.connect(host=address.host, port=address.port, user=address.user,
                     dbname="essai") as conn:
    conn.execute("CREATE TABLE IF NOT EXISTS t (n int)")
    conn.execute("INSERT INTO t VALUES (1)")
    print(conn.execute("SELECT count(*) FROM t").fetchone()[0])
"""


def spawn(code: str, pgdata: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), str(pgdata)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def query(pgdata: Path) -> int:
    """A new process starts (or joins) the server, writes and reads; returns the row count."""
    process = spawn(QUERY, pgdata)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return int(out.split()[-1])


def holders(pgdata: Path, count: int) -> list[subprocess.Popen]:
    processes = [spawn(HOLDER, pgdata) for _ in range(count)]
    for process in processes:
        line = process.stdout.readline().strip()
        assert line == "ready", process.stderr.read()
    return processes


def assert_handle_file_sound(pgdata: Path) -> None:
    handles = pgdata / embedded_db.HANDLES_FILE
    if handles.exists():
        assert isinstance(json.loads(handles.read_text()), list)


def test_holders_killed_together_repeatedly_never_leave_the_database_unusable(tmp_path):
    pgdata = tmp_path / "pg"
    rows = query(pgdata)
    patterns = [
        [signal.SIGTERM] * 4,
        [signal.SIGKILL] * 4,
        [signal.SIGTERM, signal.SIGKILL, signal.SIGTERM],
        [signal.SIGKILL, signal.SIGTERM, signal.SIGKILL, signal.SIGTERM],
    ]
    for round_number in range(10):
        signals = patterns[round_number % len(patterns)]
        processes = holders(pgdata, len(signals))
        assert embedded_db.handle_count(pgdata) == len(signals)
        if round_number % 2:
            time.sleep(0.05 * round_number)  # vary the moment
        for process, signum in zip(processes, signals, strict=True):
            process.send_signal(signum)
        for process in processes:
            process.communicate(timeout=60)
        assert_handle_file_sound(pgdata)
        rows += 1
        assert query(pgdata) == rows, f"round {round_number}: {signals}"
    # The last process to exit stopped the server, even after SIGKILL rounds left it orphaned.
    assert not embedded_db.is_running(pgdata)
    assert embedded_db.handle_count(pgdata) == 0


@pytest.mark.parametrize("content", ["", "[12", "{}", "null"])
def test_an_unreadable_handle_file_counts_as_no_handle(tmp_path, content):
    """The file `make demo` left empty when stopped: every later command died on it."""
    pgdata = tmp_path / "pg"
    assert query(pgdata) == 1
    (holder,) = holders(pgdata, 1)
    holder.send_signal(signal.SIGKILL)  # the server stays up, orphaned
    holder.communicate(timeout=60)
    assert embedded_db.is_running(pgdata)
    (pgdata / embedded_db.HANDLES_FILE).write_text(content)

    assert query(pgdata) == 2  # adopted the running server

    assert not embedded_db.is_running(pgdata), "the adopter stops it when it exits"
    assert json.loads((pgdata / embedded_db.HANDLES_FILE).read_text()) == []


def test_a_postmaster_pid_naming_another_process_is_stale(tmp_path):
    """After a crash, postmaster.pid may name a pid now used by another program: PostgreSQL
    would refuse to start ("another server might be running")."""
    pgdata = tmp_path / "pg"
    assert query(pgdata) == 1
    assert not embedded_db.is_running(pgdata)
    other = subprocess.Popen(["sleep", "60"])
    try:
        (pgdata / "postmaster.pid").write_text(
            f"{other.pid}\n{pgdata}\n1700000000\n5432\n{pgdata}\n\n  1 2\nready\n"
        )
        assert not embedded_db.is_running(pgdata)
        assert query(pgdata) == 2
    finally:
        other.kill()
        other.wait()
        other.wait()


def test_a_writer_killed_mid_write_leaves_the_previous_list(tmp_path):
    """The handle file is replaced by a rename: a half-written temporary file is ignored and
    cleaned up, the list stays whole."""
    pgdata = tmp_path / "pg"
    pgdata.mkdir()
    dead = [2**22 + 1, 2**22 + 2]  # above the default pid_max: no such processes
    embedded_db.write_handles(pgdata, dead)
    (pgdata / ".handle_pids.abc.tmp").write_text("[1, 2, ")
    assert embedded_db.read_handles(pgdata) == dead
    embedded_db.repair(pgdata)
    assert not list(pgdata.glob("*.tmp"))
    assert embedded_db.read_handles(pgdata) == []  # dead holders dropped


def test_the_lock_excludes_other_processes(tmp_path):
    pgdata = tmp_path / "pg"
    pgdata.mkdir()
    waiter = """
    import sys, time
    from pathlib import Path
    from core import embedded_db
    t0 = time.monotonic()
    with embedded_db.handles_lock(Path(sys.argv[1])):
        print(round(time.monotonic() - t0, 1))
    """
    with embedded_db.handles_lock(pgdata):
        process = spawn(waiter, pgdata)
        time.sleep(1.5)
        assert process.poll() is None, "the other process got the lock while it was held"
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert os.path.exists(embedded_db.lock_path(pgdata.resolve()))
