"""The embedded PostgreSQL server: started on demand, shared, stopped by its last user."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from core import embedded_db

pytestmark = [
    pytest.mark.embedded,
    pytest.mark.skipif(
        bool(settings.DATABASE_URL),
        reason="DATABASE_URL is set: the embedded server is not in use (deselect with "
        "-m 'not embedded')",
    ),
]

ROOT = Path(settings.BASE_DIR)


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_test_run_uses_the_embedded_server(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    assert connection.vendor == "postgresql"
    assert int(version.split(".")[0]) >= 16
    assert connection.get_connection_params()["host"]  # a socket directory, not a TCP host
    pgdata = Path(settings.DATABASES["default"]["EMBEDDED"]["PGDATA"])
    assert embedded_db.is_running(pgdata)
    assert os.getpid() in json.loads((pgdata.resolve() / embedded_db.HANDLES_FILE).read_text())


def test_a_process_starts_the_server_and_stops_it_when_it_exits(tmp_path):
    pgdata = tmp_path / "pg"
    result = run_python(
        f"""
        from pathlib import Path
        import psycopg
        from core import embedded_db
        address = embedded_db.start(Path({str(pgdata)!r}))
        embedded_db.ensure_database(address, "essai")
        embedded_db.ensure_database(address, "essai")  # idempotent
        with psycopg.connect(host=address.host, port=address.port, user=address.user,
                             dbname="essai") as conn:
            print(conn.execute("SELECT current_database()").fetchone()[0])
        print(embedded_db.is_running(Path({str(pgdata)!r})))
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["essai", "True"]
    assert (pgdata / "PG_VERSION").exists()
    assert not embedded_db.is_running(pgdata), "the last process to exit must stop the server"


def test_handles_of_dead_processes_do_not_keep_the_server_alive(tmp_path):
    pgdata = tmp_path / "pg"
    start = f"""
        from pathlib import Path
        from core import embedded_db
        embedded_db.start(Path({str(pgdata)!r}))
        """
    assert run_python(start).returncode == 0
    dead_pid = 2**22 + 12345  # above the default pid_max: no such process
    (pgdata / embedded_db.HANDLES_FILE).write_text(json.dumps([dead_pid]))
    result = run_python(
        f"""
        from pathlib import Path
        from core import embedded_db
        embedded_db.start(Path({str(pgdata)!r}))
        print(embedded_db.handle_count(Path({str(pgdata)!r})))
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1"]
    assert not embedded_db.is_running(pgdata)


def test_manage_py_creates_the_application_database_on_first_use(tmp_path):
    pgdata = tmp_path / "pg"
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.db import connection; connection.ensure_connection();"
            "print(connection.settings_dict['NAME'])",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "EMBEDDED_PGDATA": str(pgdata),
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "resorption"
    assert not embedded_db.is_running(pgdata)


def test_a_process_ended_by_sigterm_still_stops_the_server(tmp_path):
    pgdata = tmp_path / "pg"
    with subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import time
                from pathlib import Path
                from core import embedded_db
                embedded_db.start(Path({str(pgdata)!r}))
                print("ready", flush=True)
                time.sleep(60)
                """
            ),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout.readline().strip() == "ready"
        assert embedded_db.is_running(pgdata)
        process.terminate()
        process.wait(timeout=30)
    assert not embedded_db.is_running(pgdata)
