"""The platform deployed once per test session as docs/deploy.md says, served by gunicorn."""

import os
import socket

import pytest

from bench import stack


@pytest.fixture(scope="session")
def deployed():
    name = f"prodcheck_{os.getpid()}"
    with (
        stack.scratch_directory("prodcheck-") as workdir,
        stack.database_for(workdir, name) as database_url,
    ):
        environment = stack.production_environment(workdir, database_url)
        outputs = stack.deploy(environment)
        stack.manage(environment, "load_demo", "--force")
        server = stack.Gunicorn(environment, workers=2, log=workdir / "gunicorn.log")
        server.start()
        try:
            yield {
                "url": server.url,
                "outputs": outputs,
                "workdir": workdir,
                "server": server,
                "database_url": database_url,
                "environment": environment,
                # The embedded server of this run, which a test may stop and start again.
                "pgdata": None if os.environ.get("DATABASE_URL") else workdir / "postgres",
            }
        finally:
            status = server.stop()
        assert status == 0, server.log_text()[-3000:]
        with pytest.raises(OSError):  # nothing listens on the port any more
            socket.create_connection((stack.HOST_NAME, server.port), timeout=2)
