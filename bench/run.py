"""`make bench`: the platform deployed with the production settings, on generated data, under
load; writes bench/report.json and bench/report.md (docs/performance.md explains them).

    python -m bench.run --scale 1 --users 20 --duration 60 --page-seconds 10 --workers 4
"""

import argparse
import csv
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import psutil

from bench import stack, write_mix
from bench.client import Client
from bench.pages import DEMO_PASSWORD, MAIN_ROLE, ROLES, discover
from bench.report import write_reports

HERE = Path(__file__).resolve().parent
LOCUST = str(Path(sys.executable).parent / "locust")


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def load_data(environment: dict[str, str], scale: int) -> str:
    """The data step (one function to swap): `generate_dataset --scale N` when the project has
    it, otherwise the demo data. Returns what was loaded."""
    probe = subprocess.run(
        [sys.executable, "manage.py", "help", "generate_dataset"],
        cwd=stack.ROOT,
        env=environment,
        capture_output=True,
        check=False,
    )
    if probe.returncode == 0:
        stack.manage(environment, "load_demo", "--force")  # the accounts the journeys use
        # Measured: 85 s at scale 1 on two idle cores, 16 min at scale 10 with other work beside
        # it; the default quarter of an hour is too short for scale 10.
        stack.manage(
            environment,
            "generate_dataset",
            "--scale",
            str(scale),
            "--seed",
            "1",
            timeout=900 * max(1, scale),
        )
        return f"generate_dataset --scale {scale} --seed 1 (plus the demo accounts)"
    stack.manage(environment, "load_demo", "--force")
    return "demo data (load_demo; generate_dataset is not available yet)"


class Sampler(threading.Thread):
    """Peak resident memory of gunicorn's workers and the load average, every half second."""

    def __init__(self, server: stack.Gunicorn):
        super().__init__(daemon=True)
        self.server = server
        self.stopping = threading.Event()
        self.peak_worker_rss = 0
        self.peak_total_rss = 0
        self.load = []

    def run(self):
        while not self.stopping.wait(0.5):
            rss = []
            for pid in self.server.worker_pids():
                try:
                    rss.append(psutil.Process(pid).memory_info().rss)
                except psutil.NoSuchProcess:
                    continue
            if rss:
                self.peak_worker_rss = max(self.peak_worker_rss, max(rss))
                self.peak_total_rss = max(self.peak_total_rss, sum(rss))
            self.load.append(os.getloadavg()[0])


def log_in_every_role(url: str, opened: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """One session per demo account, opened here (second factor included) and handed to every
    locust run: an administrator's code is accepted once per 30-second step, so locust runs
    logging in again within one step would be refused."""
    sessions = dict(opened)
    for role, email in ROLES.items():
        if role in sessions:
            continue
        client = Client(url)
        client.login(email, DEMO_PASSWORD)
        sessions[role] = dict(client.cookies)
    return sessions


def locust(
    url: str, pages: dict, mode: str, users: int, seconds: int, out: Path, sessions: dict
) -> dict:
    """Run locust headless; return its statistics per request name."""
    prefix = out / mode.replace(":", "_")
    subprocess.run(
        [
            LOCUST,
            "-f",
            str(HERE / "locustfile.py"),
            "--headless",
            "--only-summary",
            "--users",
            str(users),
            "--spawn-rate",
            str(users),
            "--run-time",
            f"{seconds}s",
            "--host",
            url,
            "--csv",
            str(prefix),
            "--loglevel",
            "WARNING",
            # The journeys end gracefully: a write in flight when the time is up finishes and
            # is logged (killed mid-request, it was saved but never logged, and the write mix's
            # count then found one revision more than the writes it knew).
            *(["--stop-timeout", "20"] if mode == "journeys" else []),
        ],
        cwd=stack.ROOT,
        env={
            **os.environ,
            "BENCH_PAGES": json.dumps(pages),
            "BENCH_MODE": mode,
            "BENCH_SESSIONS": json.dumps(sessions),
        },
        capture_output=True,
        check=False,
        timeout=seconds + 140,
    )
    stats = {}
    with open(f"{prefix}_stats.csv") as stream:
        for row in csv.DictReader(stream):
            if row["Name"] in {"Aggregated", "login"}:
                continue
            count = int(row["Request Count"])
            stats[row["Name"]] = {
                "requests": count,
                "errors": int(row["Failure Count"]),
                "rps": round(float(row["Requests/s"]), 1),
                "p50_ms": float(row["50%"]),
                "p95_ms": float(row["95%"]),
                "p99_ms": float(row["99%"]),
            }
    return stats


def server_times(environment: dict[str, str], pages: dict, repeat: int) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "bench.server_time", json.dumps(pages), str(repeat)],
        cwd=stack.ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=1800,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def machine() -> dict:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "load_average_before": [round(value, 2) for value in os.getloadavg()],
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=int, default=60, help="seconds of mixed journeys")
    parser.add_argument("--page-seconds", type=int, default=10, help="seconds per single page")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--repeat", type=int, default=15, help="in-process requests per page")
    parser.add_argument("--out", type=Path, default=HERE)
    options = parser.parse_args(argv)
    started = datetime.now(UTC)
    report = {"started_at": started.isoformat(timespec="seconds"), "machine": machine()}
    report["parameters"] = {
        key: getattr(options, key)
        for key in ("scale", "users", "duration", "page_seconds", "workers", "repeat")
    }
    with stack.scratch_directory("bench-") as workdir:
        with stack.database_for(workdir, f"bench_{os.getpid()}") as database_url:
            environment = stack.production_environment(workdir, database_url)
            say("Deploying (migrate, collectstatic, check --deploy)…")
            stack.deploy(environment)
            say("Loading data…")
            report["data"] = load_data(environment, options.scale)
            server = stack.Gunicorn(environment, workers=options.workers, log=workdir / "g.log")
            with server:
                client = Client(server.url)
                client.login(ROLES[MAIN_ROLE], DEMO_PASSWORD)
                pages = discover(client)
                report["pages"] = pages
                say(f"In-process server time ({options.repeat} requests per page)…")
                report["server_time"] = server_times(environment, pages, options.repeat)
                sessions = log_in_every_role(server.url, {MAIN_ROLE: dict(client.cookies)})
                sampler = Sampler(server)
                sampler.start()
                out = workdir / "locust"
                out.mkdir()
                # Every write of the write mix is logged there (by locust's process).
                os.environ[write_mix.LOG_ENV] = str(workdir / "writes")
                (workdir / "writes").mkdir()
                say(f"Mixed journeys, {options.users} users, {options.duration} s…")
                report["journeys"] = locust(
                    server.url, pages, "journeys", options.users, options.duration, out, sessions
                )
                report["throughput"] = {}
                for name in pages:
                    say(f"  {name}: {options.users} users, {options.page_seconds} s")
                    stats = locust(
                        server.url,
                        pages,
                        f"page:{name}",
                        options.users,
                        options.page_seconds,
                        out,
                        sessions,
                    )
                    report["throughput"][name] = stats.get(name, {})
                sampler.stopping.set()
                sampler.join()
                report["memory"] = {
                    "peak_worker_rss_mb": round(sampler.peak_worker_rss / 2**20),
                    "peak_workers_total_rss_mb": round(sampler.peak_total_rss / 2**20),
                }
                load = sampler.load or [0]
                report["machine"]["load_average_during"] = {
                    "max": round(max(load), 2),
                    "mean": round(sum(load) / len(load), 2),
                }
            report["write_mix"] = write_mix.verify(database_url) if write_mix.ENABLED else None
            if report["write_mix"] and not report["write_mix"].get("ok"):
                # The scratch directory goes with the run: keep what explains the failure.
                kept = options.out / "write-mix-failure-gunicorn.log"
                shutil.copyfile(workdir / "g.log", kept)
                say(f"Write mix failed: gunicorn's log kept in {kept}")
    report["duration_s"] = round((datetime.now(UTC) - started).total_seconds())
    json_path, md_path = write_reports(report, options.out)
    say(f"Report: {md_path} and {json_path}")
    if report["write_mix"] and not report["write_mix"].get("ok"):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
