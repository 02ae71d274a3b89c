"""manage.py bench: every page on SQLite and PostgreSQL at the seed and at generated sizes (`make bench`; README:
"Benchmark"). Each database is prepared (migrate, seed, generate_demo when its sheets are missing, a superuser named
bench) and every page is measured in a fresh subprocess (programs/benchmark.py); the table is printed and written to
benchmarks/RESULTS.md. `--here` measures the database of DATABASE_URL in this process, as it is (what each subprocess
runs; tests/test_bench.py)."""

import cProfile
import datetime
import io
import json
import os
import platform
import pstats
import secrets
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client

from programs import benchmark

BENCH_DIR = Path(settings.BASE_DIR) / "benchmarks"
# Sizes: the seed alone, or the seed plus generated sheets (generate_demo's arguments; wards × programs × years).
SIZES = {
    "seed": [],
    "1000": ["--wards", "1", "--programs", "200", "--years", "5", "--seed", "1"],  # a quick check of the tool
    "5000": ["--wards", "1", "--programs", "1000", "--years", "5", "--seed", "1"],
    "46000": ["--wards", "23", "--programs", "400", "--years", "5", "--seed", "1"],
}
COUNTED_TABLES = [
    "programs_municipality",
    "programs_program",
    "programs_sheet",
    "finance_budgetyear",
    "finance_costline",
    "finance_breakdownline",
    "indicators_indicator",
    "indicators_indicatorvalue",
    "indicators_activityitem",
    "indicators_activityvalue",
    "programs_sheetissue",
    "programs_sheetfinding",
]
RESULT_PREFIX = "BENCH-RESULT "
NOTES_MARKER = "<!-- bench:notes (kept when the benchmark rewrites this file) -->"


class Command(BaseCommand):
    help = "Benchmark every page on SQLite and PostgreSQL at the seed and generated sizes (make bench)."

    def add_arguments(self, parser):
        parser.add_argument("--databases", default="sqlite,postgres", help="sqlite, postgres or both (comma separated)")
        parser.add_argument("--sizes", default="seed,46000", help=f"comma separated, of {', '.join(SIZES)}")
        parser.add_argument("--repeat", type=int, default=7, help="timed requests per page after the cold one")
        parser.add_argument("--pages", default="", help="only these page keys (comma separated)")
        parser.add_argument("--output", default=str(BENCH_DIR / "RESULTS.md"), help="the Markdown report ('' = none)")
        parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432"))
        parser.add_argument(
            "--merge", action="store_true", help="keep the other databases/sizes of the report's RESULTS.json (runs apart)"
        )
        parser.add_argument("--prepare", action="store_true", help="only prepare the databases (migrate, seed, generate)")
        parser.add_argument("--here", action="store_true", help="measure the DATABASE_URL database in this process")
        parser.add_argument("--json", action="store_true", help="with --here: one JSON line per page")
        parser.add_argument("--info", action="store_true", help="with --here: the database's version and row counts")
        parser.add_argument("--profile", default="", help="with --here: cProfile one request of this page")

    def handle(self, *args, **options):
        keys = [key for key in options["pages"].split(",") if key]
        if options["here"]:
            return self.here(keys=keys, options=options)
        databases = [name for name in options["databases"].split(",") if name]
        sizes = [name for name in options["sizes"].split(",") if name]
        for name in databases:
            if name not in ("sqlite", "postgres"):
                raise CommandError(f"--databases: sqlite or postgres, not {name!r}")
        for size in sizes:
            if size not in SIZES:
                raise CommandError(f"--sizes: one of {', '.join(SIZES)}, not {size!r}")
        started = datetime.datetime.now(datetime.UTC)
        runs = []
        for database in databases:
            for size in sizes:
                runs.append(self.run_one(database=database, size=size, keys=keys, options=options))
        if options["output"] and not options["prepare"]:
            path = Path(options["output"])
            path.parent.mkdir(parents=True, exist_ok=True)
            if options["merge"] and path.with_suffix(".json").exists():
                earlier = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
                runs = merge_runs(earlier, runs, keys=keys)
                runs.sort(key=lambda run: (run["database"], run["info"]["counts"]["programs_sheet"]))
            path.write_text(report(runs, started=started, argv=sys.argv, keep=path), encoding="utf-8")
            path.with_suffix(".json").write_text(json.dumps(runs, ensure_ascii=False, indent=1), encoding="utf-8")
            self.stdout.write(f"written: {path} and {path.with_suffix('.json')}")

    # --- in this process ------------------------------------------------------------------------------------------

    def here(self, *, keys, options):
        if options["info"]:
            self.stdout.write(RESULT_PREFIX + json.dumps(database_info(), ensure_ascii=False))
            return
        if options["profile"]:
            self.stdout.write(profile_page(options["profile"]))
            return
        for page in benchmark.pages():
            if keys and page.key not in keys:
                continue
            result = benchmark.measure_page(page, repeat=options["repeat"])
            if options["json"]:
                self.stdout.write(RESULT_PREFIX + benchmark.result_to_json(result))
            else:
                self.stdout.write(benchmark.text_table([result]).splitlines()[-1])

    # --- one database at one size, each page in its own process ---------------------------------------------------

    def run_one(self, *, database: str, size: str, keys: list[str], options) -> dict:
        url = database_url(database, size, postgres=options["postgres"])
        started, load_before = datetime.datetime.now(datetime.UTC), load_average()
        # DEBUG off; the per-process cache (a page's first request is cold); a key for this run's sessions if none
        env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": "", "DJANGO_DEBUG": "", "DJANGO_LOG_LEVEL": "WARNING"}
        env["DJANGO_SECRET_KEY"] = env.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50)
        self.stdout.write(self.style.MIGRATE_HEADING(f"== {database} / {size}: {redact(url)}"))
        if database == "postgres":
            create_postgres_database(url)
        BENCH_DIR.mkdir(exist_ok=True)
        prepared = prepare(env=env, size=size, write=self.stdout.write)
        if database == "postgres":
            prepared["vacuum_analyze_s"] = vacuum_analyze_postgres(url)
        if options["prepare"]:
            return {"database": database, "size": size, "url": redact(url), "prepared": prepared}
        info = here_json(env, ["--info"])[0]
        results = []
        for key in keys or info["pages"]:  # one process per page: its peak memory is that page's
            try:
                [data] = here_json(env, ["--json", "--repeat", str(options["repeat"]), "--pages", key])
            except CommandError as error:
                self.stderr.write(f"  {key}: {error}")
                continue
            results.append(data)
            self.stdout.write(f"  {key}: {data['median_ms']:,.1f} ms median, {data['queries']} queries")
        self.stdout.write(benchmark.text_table([benchmark.result_from_json(data) for data in results]))
        return {
            "database": database,
            "size": size,
            "url": redact(url),
            "info": info,
            "prepared": prepared,
            "results": results,
            "started": started.strftime("%Y-%m-%d %H:%M UTC"),
            "load": f"{load_before} at the start, {load_average()} at the end",
            "command": " ".join(["manage.py", *sys.argv[1:]]),
        }


def merge_runs(earlier: list[dict], fresh: list[dict], *, keys: list[str]) -> list[dict]:
    """The earlier runs with the fresh ones in their place; with `keys`, only those pages of an earlier run of the same
    database and size are replaced (and named as re-measured)."""
    fresh_by = {(run["database"], run["size"]): run for run in fresh}
    merged = []
    for run in earlier:
        new = fresh_by.pop((run["database"], run["size"]), None)
        if new is None:
            merged.append(run)
        elif not keys:
            merged.append(new)
        else:
            by_key = {data["key"]: data for data in new["results"]}
            results = [by_key.get(data["key"], data) for data in run["results"]]
            note = f"{', '.join(by_key)} re-measured {new['started']} by `{new['command']}` (load {new['load']})"
            merged.append({**run, "results": results, "remeasured": [*run.get("remeasured", []), note]})
    return merged + list(fresh_by.values())


def database_url(database: str, size: str, *, postgres: str) -> str:
    if database == "sqlite":
        return f"sqlite:///{BENCH_DIR / f'bench-{size}.sqlite3'}"
    return f"{postgres.rstrip('/')}/evalsheets_bench_{size}"


def redact(url: str) -> str:
    """The URL without a password."""
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    credentials, host = rest.split("@", 1)
    return f"{scheme}://{credentials.split(':', 1)[0]}@{host}"


def create_postgres_database(url: str) -> None:
    """CREATE DATABASE evalsheets_bench_<size> unless it exists (only databases named evalsheets_bench*)."""
    import psycopg2

    base, name = url.rsplit("/", 1)
    if not name.startswith("evalsheets_bench"):
        raise CommandError(f"the benchmark only uses databases named evalsheets_bench*, not {name!r}")
    server = psycopg2.connect(f"{base}/postgres")
    server.autocommit = True
    try:
        with server.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        server.close()


def vacuum_analyze_postgres(url: str) -> float:
    """VACUUM ANALYZE: bulk-generated tables have no planner statistics until autovacuum gets round to them (at 46,000
    sheets the plans of a municipality's latest sheet took 2 s instead of milliseconds), and no visibility map, without
    which an index-only scan still reads the table (the cache's data version, index sheet_data_version: 10 ms after
    VACUUM, 66–353 ms reading the table). Returns the seconds it took."""
    import psycopg2

    started = time.perf_counter()
    server = psycopg2.connect(url)
    server.autocommit = True
    try:
        with server.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    finally:
        server.close()
    return round(time.perf_counter() - started, 1)


def manage(env: dict, *args: str, ok_codes: tuple[int, ...] = (0,)) -> str:
    completed = subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *args],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if completed.returncode not in ok_codes:
        raise CommandError(f"manage.py {' '.join(args)} failed:\n{completed.stderr[-4000:]}")
    return completed.stdout


def here_json(env: dict, args: list[str]) -> list[dict]:
    """The JSON lines of `manage.py bench --here ARGS` in the database of `env`."""
    out = manage(env, "bench", "--here", *args)
    return [json.loads(line[len(RESULT_PREFIX) :]) for line in out.splitlines() if line.startswith(RESULT_PREFIX)]


def prepare(*, env: dict, size: str, write) -> dict:
    """migrate; the seed when the database has no sheet; generate_demo when it has fewer sheets than the size;
    collectstatic (DEBUG off serves hashed static names). Returns what was done and how long it took."""
    done = {}
    started = time.perf_counter()
    manage(env, "migrate", "--noinput", "-v0")
    done["migrate_s"] = round(time.perf_counter() - started, 1)
    sheets = here_json(env, ["--info"])[0]["counts"]["programs_sheet"]
    if sheets == 0:
        started = time.perf_counter()
        manage(env, "load_seed")
        done["load_seed_s"] = round(time.perf_counter() - started, 1)
        sheets = 6
    wanted = int(size) if size.isdigit() else 0
    if wanted and sheets < wanted:
        findings = here_json(env, ["--info"])[0]["counts"]["programs_sheetfinding"]
        write(f"generating {size} sheets: manage.py generate_demo {' '.join(SIZES[size])} …")
        started = time.perf_counter()
        manage(env, "generate_demo", *SIZES[size])
        done["generate_demo_s"] = round(time.perf_counter() - started, 1)
        done["generate_demo_args"] = " ".join(SIZES[size])
        write(f"generated in {done['generate_demo_s']} s")
        if here_json(env, ["--info"])[0]["counts"]["programs_sheetfinding"] <= findings:
            # a generate_demo that stores the figures only: the findings of every sheet are stored here
            started = time.perf_counter()
            manage(env, "check_sheets", "--rebuild", ok_codes=(0, 1))  # 1: some sheet has an error finding
            done["check_sheets_rebuild_s"] = round(time.perf_counter() - started, 1)
            write(f"findings stored in {done['check_sheets_rebuild_s']} s")
    manage(env, "collectstatic", "--noinput", "-v0")
    return done


def database_info() -> dict:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            version = f"SQLite {cursor.fetchone()[0]}"
        else:
            cursor.execute("SELECT version()")
            version = cursor.fetchone()[0].split(" on ")[0]
        counts = {}
        for table in COUNTED_TABLES:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            counts[table] = cursor.fetchone()[0]
    pages = [page.key for page in benchmark.pages()] if counts["programs_sheet"] else []
    return {"vendor": connection.vendor, "version": version, "counts": counts, "pages": pages}


def profile_page(key: str) -> str:
    """cProfile of one warm request of page `key`: the project's 25 functions with the most cumulative time, then the
    25 functions (any code) with the most time of their own."""
    [page] = [page for page in benchmark.pages() if page.key == key]
    client = Client()
    if page.staff:
        client.force_login(benchmark.bench_user())
    benchmark._request(client, page.url)
    profiler = cProfile.Profile()
    profiler.enable()
    benchmark._request(client, page.url)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    out.write(f"== {page.url}: the project's functions by cumulative time\n")
    stats.sort_stats("cumulative").print_stats(r"/(programs|finance|indicators|evalsheets)/(?!benchmark)", 25)
    out.write("== every function by its own time\n")
    stats.sort_stats("tottime").print_stats(25)
    return out.getvalue()


# --- the report ---------------------------------------------------------------------------------------------------


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in _lines("/proc/cpuinfo") if line.startswith("model name")), "")
    memory_kb = next((line.split()[1] for line in _lines("/proc/meminfo") if line.startswith("MemTotal")), "")
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu or platform.processor(),
        "memory": f"{int(memory_kb) / 1_048_576:.1f} GB" if memory_kb else "?",
        "python": platform.python_version(),
        "os": platform.platform(),
    }


def load_average() -> str:
    """The 1, 5 and 15 minute load averages (other work on the machine slows every figure)."""
    return " ".join((_lines("/proc/loadavg") or ["?"])[0].split()[:3])


def _lines(path: str) -> list[str]:
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []


def report(runs: list[dict], *, started, argv: list[str], keep: Path) -> str:
    box = machine()
    notes = ""
    if keep.exists() and NOTES_MARKER in keep.read_text(encoding="utf-8"):
        notes = keep.read_text(encoding="utf-8").split(NOTES_MARKER, 1)[1]
    lines = [
        "# Benchmark results",
        "",
        f"Run {started:%Y-%m-%d %H:%M} UTC with `{' '.join(['manage.py', *argv[1:]])}`"
        ' (`make bench` runs `manage.py bench`; README: "Benchmark").',
        "",
        f"Machine: {box['nproc']} CPUs ({box['cpu']}), {box['memory']} memory, Python {box['python']}, {box['os']}.",
        "",
        "How: each page is requested through Django's test client in a fresh process (DEBUG off, the per-process",
        "cache, no network, body read in full): one cold request whose SQL queries are counted, then n timed ones",
        "(n = 7, or 3 when the cold request took over 5 s). *peak MB* is that process's VmHWM after serving the",
        "page (Django and the app loaded ≈ the *base*), before the floor runs. *floor* = the raw SQL fetching the",
        "rows the page shows through sqlite3/psycopg2 plus `json.dumps` (programs/benchmark.py), median of as many",
        "runs; *× floor* = median ÷ floor. Anonymous visitor (published sheets) except the admin rows and",
        "`/sheets/ = admin's rows`, requested as a superuser. Sizes are in the generated SQL database, not HTTP.",
        "",
    ]
    for run in runs:
        info = run["info"]
        counts = ", ".join(f"{table} {count:,}" for table, count in info["counts"].items())
        prepared = ", ".join(f"{key} {value}" for key, value in run["prepared"].items()) or "already prepared"
        results = [benchmark.result_from_json(data) for data in run["results"]]
        lines += [
            f"## {info['version']} — {run['size']} ({info['counts']['programs_sheet']:,} sheets)",
            "",
            f"Database `{run['url']}`, measured {run.get('started', '?')} by `{run.get('command', '?')}`. Rows: {counts}. "
            f"Preparation: {prepared}. Load average (1, 5, 15 min): {run.get('load', '?')}."
            + "".join(f" Pages {note}." for note in run.get("remeasured", [])),
            "",
            benchmark.markdown_table(results),
            "",
        ]
    lines += query_count_section(runs)
    lines += targets_section(runs)
    lines += ["", NOTES_MARKER]
    return "\n".join(lines) + (notes if notes else "\n")


def query_count_section(runs: list[dict]) -> list[str]:
    lines = ["## Query counts by size", ""]
    for database in sorted({run["database"] for run in runs}):
        mine = [run for run in runs if run["database"] == database]
        if len(mine) < 2:
            continue
        by_size = {run["size"]: {data["key"]: data["queries"] for data in run["results"]} for run in mine}
        sizes = list(by_size)
        lines += [f"{database}:", "", "| page | " + " | ".join(sizes) + " | same |", "|---|" + "---|" * (len(sizes) + 1)]
        for key in by_size[sizes[0]]:
            counts = [by_size[size].get(key) for size in sizes]
            same = "yes" if len(set(counts)) == 1 else "**no**"
            lines.append(f"| {key} | " + " | ".join(str(count) for count in counts) + f" | {same} |")
        lines.append("")
    return lines


def same_queries(runs: list[dict], database: str) -> str:
    by_size = [{data["key"]: data["queries"] for data in run["results"]} for run in runs if run["database"] == database]
    if len(by_size) < 2:
        return "— (one size)"
    differ = [key for key in by_size[0] if len({counts.get(key) for counts in by_size}) > 1]
    return "met" if not differ else "NOT met: " + ", ".join(differ)


FLOOR_LIMITS = {"sheet": 3, "program": 3, "api_list": 3, "api_detail": 3}


def targets_section(runs: list[dict]) -> list[str]:
    """Issue 13 part 3's targets, checked on the largest size of each database."""
    lines = ["## Targets (issue 13 part 3), at the largest size of each database", ""]
    for database in sorted({run["database"] for run in runs}):
        run = max((run for run in runs if run["database"] == database), key=lambda run: run["info"]["counts"]["programs_sheet"])
        results = [benchmark.result_from_json(data) for data in run["results"]]
        slow = [f"{r.key} {r.median_ms:,.0f} ms" for r in results if r.median_ms > 1000]
        cold = [f"{r.key} {r.cold_ms:,.0f} ms" for r in results if r.cold_ms > 1000]  # cached pages: the first request
        far = [
            f"{r.key} {r.floor_ratio:,.1f}× (limit {FLOOR_LIMITS.get(r.key, 5)})"
            for r in results
            if r.floor_ratio is not None and r.floor_ratio > FLOOR_LIMITS.get(r.key, 5)
        ]
        heavy = [f"{r.key} {r.peak_mb:,.0f} MB" for r in results if r.peak_mb >= 300]
        exports = [
            f"{r.key}: {'streamed' if r.streamed else 'NOT streamed'}, {r.median_ms / 1000:,.1f} s"
            for r in results
            if r.key in ("csv", "xlsx")
        ]
        ratio = benchmark.admin_ratio(results)
        sheets = run["info"]["counts"]["programs_sheet"]
        lines += [
            f"### {database}, {sheets:,} sheets",
            "",
            f"- ≤ 1 s median: {'met' if not slow else 'NOT met: ' + ', '.join(slow)}"
            + (f" (cold requests over 1 s: {', '.join(cold)})" if cold else ""),
            f"- within 5× floor (3× sheet, program, API): {'met' if not far else 'NOT met: ' + ', '.join(far)}",
            f"- /sheets/ ≤ admin changelist (same rows): {'—' if ratio is None else f'{ratio:.2f}'}"
            + ("" if ratio is None else (" met" if ratio <= 1 else " NOT met")),
            f"- exports stream, CSV < 10 s: {'; '.join(exports) or '—'}",
            f"- peak worker memory < 300 MB: {'met' if not heavy else 'NOT met: ' + ', '.join(heavy)}",
            f"- query counts identical at every size: {same_queries(runs, database)}",
            "",
        ]
    return lines
