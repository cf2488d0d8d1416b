"""bench/report.json (everything measured) and bench/report.md (the tables people read)."""

import json
from pathlib import Path

from bench import write_mix

# Targets of issue 14 for every main page.
MIN_SHARE_OF_HEALTH = 0.30  # of /sante/'s throughput
MAX_P95_MS = 200
CEILING = "health"


def gaps(report: dict) -> dict[str, dict]:
    """Per page: share of /sante/'s throughput and p95, against the targets."""
    ceiling = report["throughput"].get(CEILING, {}).get("rps") or 0
    rows = {}
    for name, stats in report["throughput"].items():
        if name == CEILING or not stats:
            continue
        share = stats["rps"] / ceiling if ceiling else 0
        rows[name] = {
            "share_of_health": round(share, 3),
            "throughput_ok": share >= MIN_SHARE_OF_HEALTH,
            "p95_ok": stats["p95_ms"] <= MAX_P95_MS and stats["errors"] == 0,
            # requests per second still missing to reach the share target
            "rps_missing": round(max(0.0, MIN_SHARE_OF_HEALTH * ceiling - stats["rps"]), 1),
        }
    return rows


def _table(headers: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines


def markdown(report: dict) -> str:
    machine, parameters = report["machine"], report["parameters"]
    gap = gaps(report)
    ceiling = report["throughput"].get(CEILING, {})
    lines = [
        "# Load benchmark",
        "",
        f"Run of `make bench` started {report['started_at']} ({report['duration_s']} s).",
        f"Data: {report['data']}. Parameters: {parameters['users']} concurrent users, "
        f"{parameters['workers']} gunicorn sync workers, mixed journeys for "
        f"{parameters['duration']} s, each page alone for {parameters['page_seconds']} s.",
        "",
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gb']} GB, "
        f"Python {machine['python']}. Load average before the run "
        f"{machine['load_average_before']}, during it {machine.get('load_average_during')} "
        "(the machine is shared: other work runs beside the benchmark, and load generator, "
        "server and database share the same cores).",
        "",
        "## Each page alone: throughput and latency",
        "",
        f"Every user requests the page without pause. Targets: at least "
        f"{MIN_SHARE_OF_HEALTH:.0%} of `/sante/`'s throughput "
        f"({ceiling.get('rps', '?')} req/s in this run) and p95 ≤ {MAX_P95_MS} ms.",
        "",
    ]
    rows = []
    for name, stats in report["throughput"].items():
        if not stats:
            rows.append([name, report["pages"][name], "—", "—", "—", "—", "—", "—", "no data"])
            continue
        row_gap = gap.get(name)
        verdict = (
            "ceiling"
            if name == CEILING
            else "met"
            if row_gap["throughput_ok"] and row_gap["p95_ok"]
            else f"short: {row_gap['rps_missing']} req/s missing"
            if not row_gap["throughput_ok"]
            else "short: p95"
        )
        share = "100 %" if name == CEILING else f"{row_gap['share_of_health']:.0%}"
        rows.append(
            [
                name,
                f"`{report['pages'][name]}`",
                stats["rps"],
                share,
                stats["p50_ms"],
                stats["p95_ms"],
                stats["p99_ms"],
                stats["errors"],
                verdict,
            ]
        )
    lines += _table(
        ["page", "path", "req/s", "of /sante/", "p50 ms", "p95 ms", "p99 ms", "errors", "target"],
        rows,
    )
    lines += ["", "## Mixed journeys (anonymous visitors and three roles, 0.5–2 s pauses)", ""]
    lines += _table(
        ["request", "count", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors"],
        [
            [name, s["requests"], s["rps"], s["p50_ms"], s["p95_ms"], s["p99_ms"], s["errors"]]
            for name, s in sorted(report["journeys"].items())
        ],
    )
    lines += [
        "",
        "## Server time in-process and SQL queries",
        "",
        "Django test client with the production settings against the same database (no "
        f"network, no gunicorn): median of {parameters['repeat']} requests after one warm-up; "
        "queries of one request.",
        "",
    ]
    lines += _table(
        ["page", "median ms", "queries", "status"],
        [
            [name, s["median_ms"], s["queries"], s["status"]]
            for name, s in report["server_time"].items()
        ],
    )
    lines += profile_lines(report["server_time"])
    memory = report["memory"]
    lines += [
        "",
        "## Memory",
        "",
        f"Peak resident memory of one gunicorn worker: {memory['peak_worker_rss_mb']} MB; "
        f"of all workers together: {memory['peak_workers_total_rss_mb']} MB.",
        "",
        "## Analysis",
        "",
        "What the figures mean, the profiles behind the changes and what would close the gaps: "
        "[bench/analysis.md](analysis.md) (written by hand after a run; this file is generated).",
        "",
        "## Write mix",
        "",
    ]
    lines += write_mix_lines(report.get("write_mix"))
    return "\n".join(lines)


def profile_lines(server_time: dict) -> list[str]:
    """Where each page's server time goes (bench/server_time.py's profile)."""
    profiled = {name: s for name, s in server_time.items() if s.get("profile")}
    if not profiled:
        return []
    lines = [
        "",
        "## Where the server time goes (profile of each page)",
        "",
        "SQL: milliseconds per request waiting for PostgreSQL (timed around every query). "
        "Templates: share of the profiled time spent rendering templates (forms rendered "
        "through templates included). Costliest project code: cumulative shares (a function's "
        "share includes what it calls), from cProfile over a few requests.",
        "",
    ]
    rows = []
    for name, s in profiled.items():
        top = "; ".join(
            f"`{label}` {share:.0%}"
            for label, share in s["profile"]["top"]
            if not label.endswith(" __call__")  # a middleware (older reports listed them)
        )
        rows.append(
            [name, s["median_ms"], s["sql_ms"], f"{s['profile']['templates_share']:.0%}", top]
        )
    return lines + _table(
        ["page", "median ms", "SQL ms", "templates", "costliest project code"], rows
    )


def write_mix_lines(result: dict | None) -> list[str]:
    """The writes of the mixed journeys against what the database holds (bench/write_mix.py)."""
    if result is None:
        return ["No write mix in this run.", ""]
    keys = write_mix.COUNTS
    rows = [[kind, *(row[key] for key in keys)] for kind, row in result["kinds"].items()]
    rows.append(["**total**", *(result["totals"][key] for key in keys)])
    lines = [
        "Site edits, visits and journal posts on the same few sites "
        f"({', '.join(map(str, result['sites']))}), counted once the load stopped: "
        f"**{'ok' if result['ok'] else 'FAILED'}**.",
        "",
        *_table(["write", *keys], rows),
        "",
    ]
    lines += [f"- {problem}" for problem in result.get("problems", [])]
    return lines


def write_reports(report: dict, out: Path) -> tuple[Path, Path]:
    report = {**report, "gaps": gaps(report)}
    out.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out / "report.json", out / "report.md"
    json_path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    md_path.write_text(markdown(report))
    return json_path, md_path
