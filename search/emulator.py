"""Running `noida-db`, an Elasticsearch-API emulator shipped as a PyPI wheel (dev dependency).

Used by the test suite and the benchmark to exercise the real Elasticsearch client code path
without an Elasticsearch cluster. Production uses a real Elasticsearch 8 cluster.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

BINARY_NAME = "noida-db"


def binary() -> str | None:
    candidate = Path(sys.executable).parent / BINARY_NAME
    if candidate.exists():
        return str(candidate)
    return shutil.which(BINARY_NAME)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ElasticsearchServer:
    """One `noida-db` process serving only the Elasticsearch API, restartable (fault tests)."""

    def __init__(self, binary: str, data_dir: Path):
        self.binary, self.data_dir = binary, data_dir
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def is_up(self) -> bool:
        try:
            with urlopen(self.url, timeout=1) as response:  # noqa: S310 - local test server
                return response.status == 200
        except (URLError, OSError):
            return False

    def start(self, timeout: float = 30) -> None:
        log = open(self.data_dir / "server.log", "ab")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(  # noqa: S603
            [
                self.binary,
                "start",
                "--only",
                "elasticsearch",
                "--elasticsearch-port",
                str(self.port),
                "--data-dir",
                str(self.data_dir / "data"),
            ],
            cwd=self.data_dir,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"noida-db exited: {(self.data_dir / 'server.log').read_text()[-2000:]}"
                )
            if self.is_up():
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("noida-db did not answer in time")

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.process = None
        deadline = time.monotonic() + 10
        while self.is_up() and time.monotonic() < deadline:
            time.sleep(0.1)
