#!/usr/bin/env python3
"""Load with a database restart in the middle: do the pages answer 503 (never 500) while PostgreSQL is down, and
only then? Standard library only (threads + urllib); it sends traffic to the given base URL and nothing else, and
stops by itself after --duration seconds.

Steps (README: "Load with a database restart" gives the measured figures):

    createdb -h 127.0.0.1 -U postgres evalsheets_load
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/evalsheets_load DJANGO_SECRET_KEY=…
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_seed
    .venv/bin/python manage.py collectstatic --noinput
    .venv/bin/gunicorn evalsheets.wsgi --bind 127.0.0.1:8000 --workers 2 &
    .venv/bin/python tools/load_restart.py --base-url http://127.0.0.1:8000 --clients 50 --duration 120 --restart-at 60 \
        --restart-command "pg_ctlcluster --skip-systemctl-redirect 15 main restart"

Prints one JSON summary: requests by status, by phase (before the restart, while the database is down or just back,
after), any 5xx other than 503 with its time, the database's downtime, and latency percentiles.
"""

import argparse
import json
import shlex
import statistics
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from urllib.parse import urlsplit

PATHS = ["/", "/sheets/", "/sheets/2021/03-04-01/", "/compare/", "/rollup/", "/api/sheets/"]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.results: list[tuple[float, float, str, str]] = []  # finished (s after the start), seconds, path, status

    def add(self, finished: float, seconds: float, path: str, status: str) -> None:
        with self.lock:
            self.results.append((finished, seconds, path, status))


def client(base_url: str, paths: list[str], offset: int, deadline: float, timeout: float, recorder: Recorder, t0: float):
    index = offset
    while time.monotonic() < deadline:
        path = paths[index % len(paths)]
        index += 1
        started = time.monotonic()
        try:
            with urllib.request.urlopen(base_url + path, timeout=timeout) as response:
                response.read()
                status = str(response.status)
        except urllib.error.HTTPError as error:
            error.read()
            status = str(error.code)
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as error:
            reason = getattr(error, "reason", error)
            status = f"error:{type(reason).__name__}"
        finished = time.monotonic()
        recorder.add(finished - t0, finished - started, path, status)


def database_ready(command: list[str]) -> bool:
    return subprocess.run(command, capture_output=True, check=False).returncode == 0


def restarter(restart_command: str, ready_command: str, at: float, t0: float, timeline: dict):
    time.sleep(max(0.0, t0 + at - time.monotonic()))
    timeline["restart_started"] = time.monotonic() - t0
    result = subprocess.run(shlex.split(restart_command), capture_output=True, text=True, check=False)
    timeline["restart_command_returned"] = time.monotonic() - t0
    timeline["restart_exit_code"] = result.returncode
    ready = shlex.split(ready_command)
    give_up = time.monotonic() + 120
    while not database_ready(ready) and time.monotonic() < give_up:
        time.sleep(0.1)
    timeline["database_ready"] = time.monotonic() - t0


def summarise(results, timeline, duration):
    statuses = Counter(status for *_, status in results)
    down_from = timeline.get("restart_started")
    # Phases by the time a response arrived (a request waits in gunicorn's queue for seconds under this load, so it
    # meets the database when it is answered, not when it is sent): "restart" is [restart, database ready + 5 s].
    down_to = timeline.get("database_ready", down_from) + 5 if down_from is not None else None

    def phase(finished):
        if down_from is None or finished < down_from:
            return "before"
        return "restart" if finished <= down_to else "after"

    phases = {name: Counter() for name in ("before", "restart", "after")}
    for finished, _, _, status in results:
        phases[phase(finished)][status] += 1
    errors = [(round(finished, 2), path, status) for finished, _, path, status in results if not status.startswith(("2", "3"))]
    other_5xx = [e for e in errors if e[2] != "503"]
    seconds_ok = [seconds for _, seconds, _, status in results if status == "200"]
    seconds_all = [seconds for _, seconds, _, _ in results]
    first_503 = min((e[0] for e in errors if e[2] == "503"), default=None)  # seconds after the start
    last_503 = max((e[0] for e in errors if e[2] == "503"), default=None)
    per_path = {}
    for _, seconds, path, _status in results:
        entry = per_path.setdefault(path, {"requests": 0, "seconds": []})
        entry["requests"] += 1
        entry["seconds"].append(seconds)

    def ms(value):
        return None if value is None else round(value * 1000)

    return {
        "requests": len(results),
        "requests_per_second": round(len(results) / duration, 1),
        "by_status": dict(sorted(statuses.items())),
        "by_phase": {name: dict(sorted(counter.items())) for name, counter in phases.items()},
        "errors_outside_the_restart_window": [e for e in errors if phase(e[0]) != "restart"][:20],
        "non_503_errors": other_5xx[:20],
        "timeline_seconds": {k: (round(v, 2) if isinstance(v, float) else v) for k, v in timeline.items()},
        "database_down_seconds": round(timeline["database_ready"] - timeline["restart_started"], 2)
        if "database_ready" in timeline
        else None,
        "first_503_answered_at": first_503,
        "last_503_answered_at": last_503,
        "latency_ms_all": {"p50": ms(percentile(seconds_all, 0.5)), "p95": ms(percentile(seconds_all, 0.95))},
        "latency_ms_200": {
            "p50": ms(percentile(seconds_ok, 0.5)),
            "p95": ms(percentile(seconds_ok, 0.95)),
            "p99": ms(percentile(seconds_ok, 0.99)),
            "max": ms(max(seconds_ok, default=None)),
            "mean": ms(statistics.fmean(seconds_ok)) if seconds_ok else None,
        },
        "latency_ms_by_path": {
            path: {"requests": v["requests"], "p50": ms(percentile(v["seconds"], 0.5)), "p95": ms(percentile(v["seconds"], 0.95))}
            for path, v in sorted(per_path.items())
        },
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=120.0, help="seconds of traffic (then it stops)")
    parser.add_argument("--restart-at", type=float, default=60.0, help="seconds after the start")
    parser.add_argument("--restart-command", default="", help="e.g. 'pg_ctlcluster --skip-systemctl-redirect 15 main restart'")
    parser.add_argument("--ready-command", default="pg_isready -h 127.0.0.1 -p 5432 -q")
    parser.add_argument("--timeout", type=float, default=60.0, help="per request")
    parser.add_argument("--paths", nargs="+", default=PATHS)
    args = parser.parse_args()
    host = urlsplit(args.base_url).hostname
    if host not in LOCAL_HOSTS and not (host or "").startswith("127."):
        parser.error(f"{args.base_url}: only a server on this machine (loopback) is a target")
    if not 1 <= args.clients <= 200 or not 1 <= args.duration <= 900:
        parser.error("clients 1..200, duration 1..900 s")

    recorder, timeline = Recorder(), {}
    t0 = time.monotonic()
    deadline = t0 + args.duration
    threads = [
        threading.Thread(
            target=client, args=(args.base_url.rstrip("/"), args.paths, i, deadline, args.timeout, recorder, t0), daemon=True
        )
        for i in range(args.clients)
    ]
    if args.restart_command:
        threads.append(
            threading.Thread(target=restarter, args=(args.restart_command, args.ready_command, args.restart_at, t0, timeline))
        )
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.duration + args.timeout + 130)
    print(json.dumps(summarise(recorder.results, timeline, args.duration), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
