"""`make bench`: load the portal's key pages through gunicorn (2 workers) on PostgreSQL with wrk,
at 100 and 5 000 projects, and rewrite docs/benchmarks.md with the figures.

For each data size: a database ``<BENCH_DB_PREFIX>_<N>`` (``sixaika_bench_<N>`` unless the
environment names another prefix, so two checkouts can bench side by side; made once with
``generate_portfolio``; ``--regenerate`` makes it again), gunicorn with ``sixaika.settings.bench``, then for each page
a short warm-up and a timed wrk run with 8 connections. Two references are measured in the same
run: a trivial view (no database: the framework's floor) and the Django admin's change list of
projects (what a small team would otherwise use). Ratios matter more than absolute times, which
drift on shared machines.
"""

import argparse
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
HELSINKI = ZoneInfo("Europe/Helsinki")  # the portal's TIME_ZONE: dates as the portal sees them
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
DEFAULT_PG = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
# The bench databases' names: <prefix>_<size>. Another checkout benchmarking at the same time
# sets its own prefix, so neither drops or regenerates the other's database mid-run.
DB_PREFIX = os.environ.get("BENCH_DB_PREFIX", "sixaika_bench")
if not re.fullmatch(r"[a-z_][a-z0-9_]*", DB_PREFIX):
    raise SystemExit(f"BENCH_DB_PREFIX must be a plain lower-case identifier, not {DB_PREFIX!r}")

# Issue 19's targets, judged at the largest size (server CPU: worker + its PostgreSQL backend).
TARGET_CPU_HTML_MS = 10.0  # every HTML page
TARGET_CPU_API_MS = 15.0  # the API's list, a page of 50
TARGET_GROWTH = 1.2  # server CPU at the largest size / at the smallest, every page
TARGET_MEDIAN_MS = 50.0  # median latency, judged only when the machine was otherwise idle
IDLE_LOAD = 1.0  # 1-minute load average before the run below which the machine counts as idle
TARGET_VS_ADMIN = 1.0


@dataclass
class Page:
    key: str
    label: str
    path: str
    user: str | None = None
    method: str = "GET"
    body: dict[str, str] = field(default_factory=dict)
    reference: bool = False
    api: bool = False  # the open-data API (JSON), with targets of its own
    saves: list[int] = field(default_factory=list)  # reports saved in turn (valid POST)


@dataclass
class Result:
    page: Page
    size: int
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    cpu_ms: float | None = None  # server CPU per request: gunicorn workers + their PG backends

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def sh(cmd: list[str], env: dict[str, str] | None = None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, env=env, check=True, text=True, **kw)  # noqa: S603


def django_env(db_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(DJANGO_SETTINGS_MODULE="sixaika.settings.bench", DATABASE_URL=db_url)
    # Redis on loopback, as in production: the cache behind the kept public pages, the totals
    # and the data versions (without it each process keeps its own, and public pages are
    # rendered for every request). Database 14, apart from the tests' 15; the settings keep
    # each bench database's keys apart.
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")
    return env


def database_exists(name: str) -> bool:
    out = sh(
        [
            "psql",
            f"{DEFAULT_PG}/postgres",
            "-Atc",
            f"select 1 from pg_database where datname='{name}'",
        ],
        capture_output=True,
    ).stdout
    return out.strip() == "1"


GENERATION_RECORD = ROOT / "var" / "bench-generation.json"


def generation_record() -> dict[str, dict]:
    """How each bench database was made (seed, day, seconds), by database name: kept between
    runs."""
    try:
        return json.loads(GENERATION_RECORD.read_text())
    except (OSError, ValueError):
        return {}


def build_database(size: int, regenerate: bool, seed: int) -> tuple[str, dict | None]:
    name = f"{DB_PREFIX}_{size}"
    url = f"{DEFAULT_PG}/{name}"
    if database_exists(name) and not regenerate:
        # New migrations (indexes) reach an existing database without regenerating it.
        sh([PY, "manage.py", "migrate", "--noinput", "-v0"], env=django_env(url), cwd=ROOT)
        return url, generation_record().get(name)
    sh(["psql", f"{DEFAULT_PG}/postgres", "-qc", f'drop database if exists "{name}"'])
    sh(["psql", f"{DEFAULT_PG}/postgres", "-qc", f'create database "{name}"'])
    env = django_env(url)
    for args in (["migrate", "--noinput", "-v0"], ["load_6aika"], ["load_demo"]):
        sh([PY, "manage.py", *args], env=env, cwd=ROOT, capture_output=True)
    today = datetime.now(HELSINKI).date().isoformat()
    started = time.perf_counter()
    sh(
        [PY, "manage.py", "generate_portfolio", "--projects", str(size), "--seed", str(seed),
         "--today", today],
        env=env,
        cwd=ROOT,
    )  # fmt: skip
    generation = {"seconds": time.perf_counter() - started, "seed": seed, "today": today}
    sh(["psql", url, "-qc", "vacuum analyze"])
    record = generation_record()
    record[name] = generation
    GENERATION_RECORD.parent.mkdir(exist_ok=True)
    GENERATION_RECORD.write_text(json.dumps(record, indent=2))
    return url, generation


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict[str, str], port: int, root: Path = ROOT) -> subprocess.Popen:
    """gunicorn serving the checkout at ``root`` (bench/compare.py serves two)."""
    proc = subprocess.Popen(  # noqa: S603
        [GUNICORN, "sixaika.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning"],
        cwd=root,
        env=env,
    )  # fmt: skip
    deadline = time.time() + 120  # a loaded machine imports slowly
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=1):  # noqa: S310
                return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("gunicorn did not start")


def wrk(url: str, seconds: int, connections: int, env_extra: dict[str, str]) -> dict:
    env = {**os.environ, **env_extra}
    out = sh(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
         "-s", str(ROOT / "bench" / "report.lua"), url],
        env=env,
        capture_output=True,
    ).stdout  # fmt: skip
    match = re.search(r"BENCH_JSON (\{.*\})", out)
    if not match:
        raise RuntimeError(f"wrk printed no summary:\n{out}")
    return json.loads(match.group(1))


VALID_REPORT = {
    "version": "BENCHVERSION",  # each report's current version, filled in by bench/report.lua
    "overall_status": "green",
    "schedule_status": "green",
    "budget_status": "amber",
    "scope_status": "green",
    "narrative": "Kokeilut etenevät suunnitelman mukaisesti. " * 5,
    "costs_to_date": "1 000",
    "risks": "Henkilöstövaihdokset.",
    "next_steps": "Seuraavan kauden kokeilut.",
}


def report_versions(url: str, ids: list[int]) -> str:
    """The reports' current versions as "id:version,..." (they move on with every save)."""
    if not ids:
        return ""
    query = (
        "select string_agg(id || ':' || version, ',' order by id) from projects_statusreport "
        f"where id in ({','.join(str(int(i)) for i in ids)})"
    )
    # wrk stops without waiting for the answers in flight: the server finishes those saves
    # (each up to a few seconds on a loaded machine), so wait until the versions stay put.
    versions = None
    time.sleep(3)
    for _ in range(20):
        time.sleep(1)
        now = sh(["psql", url, "-Atc", query], capture_output=True).stdout.strip()
        if now == versions:
            break
        versions = now
    return versions or ""


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def server_cpu(master: int, url: str) -> dict[int, float]:
    """CPU seconds used so far by the gunicorn workers and the PostgreSQL backends serving the
    bench database. Per request, it does not depend on how busy the machine is, as latency
    does: the comparable figure when other work shares the cores."""
    workers = [
        int(p.name)
        for p in Path("/proc").iterdir()
        if p.name.isdigit() and _parent(int(p.name)) == master
    ]
    backends = sh(
        ["psql", url, "-Atc", "select pid from pg_stat_activity "
         "where datname = current_database() and pid <> pg_backend_pid()"],
        capture_output=True,
    ).stdout.split()  # fmt: skip
    return {pid: _cpu_seconds(pid) for pid in [*workers, *map(int, backends)]}


def _parent(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def pages_for(prep: dict) -> list[Page]:
    return [
        Page("floor", "Trivial view, no database (floor)", "/healthz/", reference=True),
        Page("admin", "Django admin change list of projects (reference)",
             "/admin/projects/project/", user="toimisto", reference=True),
        Page("list", "Public portfolio list /projects/", "/projects/"),
        Page("project", "Project page", f"/projects/{prep['project_id']}/"),
        Page("home", "Coordinator's home page", "/", user="koordinaattori-tampere"),
        Page("report_get", "Status report form (GET)",
             f"/projects/reports/{prep['report_id']}/edit/", user="koordinaattori-tampere"),
        Page("report_post", "Status report form (POST, invalid: re-shown with errors)",
             f"/projects/reports/{prep['report_id']}/edit/", user="koordinaattori-tampere",
             method="POST", body={"overall_status": "not-a-status"}),
        Page("report_save", "Status report form (POST, valid: draft saved, redirected)",
             "/projects/reports/{id}/edit/", user="koordinaattori-tampere", method="POST",
             body=VALID_REPORT, saves=prep["draft_ids"]),
        Page("search", "Portfolio list, search", f"/projects/?{urlencode({'q': prep['search']})}"),
        Page("deep", "Portfolio list, last page", f"/projects/?page={prep['last_page']}"),
        Page("reports", "Status report list (coordinator)", "/projects/reports/",
             user="koordinaattori-tampere"),
        Page("decisions", "Public decision register /decisions/", "/decisions/"),
        Page("governance", "Bodies and seats /governance/", "/governance/"),
        Page("clock", "Annual clock /annual-clock/", "/annual-clock/"),
        Page("meeting", "Board meeting page", f"/meetings/{prep['meeting_id']}/",
             user="johtoryhma-pj"),
        Page("api", "Open-data API, projects, page of 50", "/api/v1/projects/", api=True),
        Page("api500", "Open-data API, projects, page of 500",
             "/api/v1/projects/?page_size=500", api=True),
    ]  # fmt: skip


def costs(url: str, prep: dict, only: list[str] | None) -> dict[str, dict]:
    """What each GET page spends its CPU on (bench/costs.py, one process, no load)."""
    pages = [
        {"key": p.key, "path": p.path, "user": p.user}
        for p in pages_for(prep)
        if p.method == "GET" and (not only or p.key in only or p.reference)
    ]
    out = sh([PY, "bench/costs.py"], env=django_env(url), cwd=ROOT, capture_output=True,
             input=json.dumps(pages)).stdout  # fmt: skip
    return json.loads(out)


def prepare(env: dict[str, str], root: Path = ROOT) -> dict:
    """bench/prepare.py against the database in ``env``, loading the code of ``root``."""
    out = sh([PY, str(ROOT / "bench" / "prepare.py")], env={**env, "BENCH_ROOT": str(root)},
             cwd=root, capture_output=True).stdout  # fmt: skip
    return json.loads(out)


def run_page(
    page: Page, size: int, port: int, server: int, url: str, prep: dict, seconds: int,
    connections: int,
) -> Result:  # fmt: skip
    """A 2 s warm-up, then ``seconds`` of wrk on the page served on ``port`` by the gunicorn
    master ``server``; its CPU per request read from /proc around the timed run."""
    cookies = [f"{prep['csrf_cookie_name']}={prep['csrf']}"]
    if page.user:
        cookies.append(f"{prep['session_cookie_name']}={prep['sessions'][page.user]}")
    extra = {
        "BENCH_METHOD": page.method,
        "BENCH_COOKIE": "; ".join(cookies),
        "BENCH_CSRF": prep["csrf"] if page.method == "POST" else "",
        "BENCH_BODY": urlencode({**page.body, "csrfmiddlewaretoken": prep["csrf"]})
        if page.method == "POST"
        else "",
    }
    if page.saves:
        extra["BENCH_REPORT_PATH"] = page.path
        extra["BENCH_THREADS"] = "2"
    path = page.path.replace("{id}", str(page.saves[0])) if page.saves else page.path
    target = f"http://127.0.0.1:{port}{path}"
    if page.saves:
        extra["BENCH_REPORTS"] = report_versions(url, page.saves)
    wrk(target, 2, connections, extra)  # warm-up: caches, connections, imports
    if page.saves:
        extra["BENCH_REPORTS"] = report_versions(url, page.saves)
    before = server_cpu(server, url)
    summary = wrk(target, seconds, connections, extra)
    after = server_cpu(server, url)
    used = sum(after.values()) - sum(before.get(pid, 0.0) for pid in after)
    return Result(
        page=page,
        size=size,
        requests=summary["requests"],
        seconds=summary["duration_us"] / 1e6,
        p50_ms=summary["p50_us"] / 1000,
        p95_ms=summary["p95_us"] / 1000,
        p99_ms=summary["p99_us"] / 1000,
        errors=summary["socket_errors"] + summary["non_2xx_3xx"],
        cpu_ms=used * 1000 / summary["requests"] if summary["requests"] else None,
    )


def measure(
    size: int, url: str, seconds: int, connections: int, only: list[str] | None = None
) -> tuple[list[Result], dict]:
    env = django_env(url)
    prep = prepare(env)
    port = free_port()
    server = start_gunicorn(env, port)
    results = []
    try:
        for page in pages_for(prep):
            if only and page.key not in only and not page.reference:
                continue
            if page.key == "report_save" and not page.saves:
                continue  # no draft to save in this database
            results.append(run_page(page, size, port, server.pid, url, prep, seconds, connections))
            print(
                f"{size:>5} {page.key:<12} p50 {results[-1].p50_ms:7.1f} ms  "
                f"p95 {results[-1].p95_ms:7.1f} ms  {results[-1].rps:7.1f} req/s  "
                f"errors {results[-1].errors}  cpu {results[-1].cpu_ms or 0:6.1f} ms/req",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results, costs(url, prep, only)


def machine() -> str:
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )  # fmt: skip
    pg = sh(["psql", f"{DEFAULT_PG}/postgres", "-Atc", "show server_version"],
            capture_output=True).stdout.strip()  # fmt: skip
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem_kb / 1024 / 1024:.1f} GiB memory, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}, "
        f"PostgreSQL {pg}"
    )


def ratio(a: float, b: float | None) -> str:
    return f"{a / b:.2f}" if b else "n/a"


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


@dataclass
class Check:
    """One target judged on this run's figures."""

    what: str
    figure: str
    ok: bool | None  # None: not judged (the machine was not idle)

    @property
    def word(self) -> str:
        return "not judged" if self.ok is None else verdict(self.ok)


def checks(results: list[Result], sizes: list[int], idle: bool) -> list[Check]:
    by = {(r.page.key, r.size): r for r in results}
    small, large = min(sizes), max(sizes)
    out: list[Check] = []
    for r in results:
        if r.size != large or r.page.reference:
            continue
        cpu = r.cpu_ms or float("nan")
        if r.page.key == "api":
            out.append(Check(f"{r.page.label}: server CPU <= {TARGET_CPU_API_MS:.0f} ms",
                             f"{cpu:.1f} ms", cpu <= TARGET_CPU_API_MS))  # fmt: skip
        elif not r.page.api:
            out.append(Check(f"{r.page.label}: server CPU <= {TARGET_CPU_HTML_MS:.0f} ms",
                             f"{cpu:.1f} ms", cpu <= TARGET_CPU_HTML_MS))  # fmt: skip
            out.append(Check(f"{r.page.label}: median < {TARGET_MEDIAN_MS:.0f} ms (idle machine)",
                             f"{r.p50_ms:.1f} ms", (r.p50_ms < TARGET_MEDIAN_MS) if idle else None))  # fmt: skip
        base = by.get((r.page.key, small))
        # A page of 500 holds only the 100 projects of the small database: no growth to judge.
        if r.page.key != "api500" and small != large and base and base.cpu_ms and r.cpu_ms:
            growth = r.cpu_ms / base.cpu_ms
            out.append(Check(f"{r.page.label}: server CPU growth {small} -> {large} "
                             f"<= {TARGET_GROWTH}x", f"{growth:.2f}x", growth <= TARGET_GROWTH))  # fmt: skip
    fifty, five_hundred = by.get(("api", large)), by.get(("api500", large))
    if fifty and five_hundred and fifty.cpu_ms and five_hundred.cpu_ms:
        times = five_hundred.cpu_ms / fifty.cpu_ms
        out.append(Check("API list linear in page_size: CPU at 500 <= 10x CPU at 50",
                         f"{times:.1f}x", times <= 10))  # fmt: skip
    return out


def limits(cost: dict | None) -> str:
    """What the page's server CPU went to, from bench/costs.py."""
    if not cost:
        return "n/a"
    python, backend = cost["python_ms"], cost["backend_ms"]
    side = "Python (rendering, serialising, the ORM)" if python >= backend else "SQL"
    return (
        f"{side}: worker {python:.1f} ms, PostgreSQL backend {backend:.1f} ms, "
        f"{cost['queries']:g} queries, {cost['bytes'] / 1024:.1f} KB"
    )


def notes(results: list[Result], sizes: list[int], found: list[Check], load: list[str],
          idle: bool, cost: dict[int, dict]) -> list[str]:  # fmt: skip
    """The notes of this run: drawn from its own figures, nothing fixed in advance."""
    large = max(sizes)
    missed = [c for c in found if c.ok is False]
    met = [c for c in found if c.ok]
    lines = ["## Notes (written from this run's figures)", ""]
    if idle:
        lines.append(f"- The machine was idle when the run started (load {load[0]}); the "
                     "medians can be compared with the 50 ms target.")  # fmt: skip
    else:
        lines.append(f"- **The machine was shared** (load {load[0]} at the start, {load[-1]} at "
                     "the end, on 2 cores): medians are noisy and the median target is not "
                     "judged. Server CPU per request is the figure to trust: it counts only the "
                     "CPU the worker and its PostgreSQL backend spent, whoever else ran.")  # fmt: skip
    lines.append(f"- {len(met)} of {len(met) + len(missed)} judged targets met"
                 + (": every one." if not missed else "; missed:"))  # fmt: skip
    lines += [f"  - {c.what}: {c.figure}" for c in missed]
    queueing = [r.p50_ms / r.cpu_ms for r in results if r.size == large and r.cpu_ms
                and not r.page.reference and r.page.method == "GET"]  # fmt: skip
    if queueing:
        queueing.sort()
        lines.append(
            f"- Median latency / server CPU at {large} projects: {queueing[len(queueing) // 2]:.1f}x "
            "(median over the pages): with 8 clients on 2 sync workers a request waits for "
            "others; a median follows from the CPU per request and the machine's load."
        )
    kept = [r.page.label for r in results if r.size == large and not r.page.reference
            and (cost.get(large, {}).get(r.page.key) or {}).get("queries") == 0]  # fmt: skip
    if kept:
        lines.append(
            f"- Answered without a query at {large} projects: {', '.join(kept)}. These are "
            "kept for anonymous visitors until their data changes (core/page_cache.py), and "
            "wrk asks for the same URL again and again: the figures are a kept page's. The "
            "first request after the data changed renders the page as before."
        )
    lines += ["", f"What limits each page at {large} projects (bench/costs.py: each GET page "
              "requested ten times in one process, without the wrk load but beside whatever "
              "else the machine ran; the worker's CPU against its PostgreSQL backend's):", "",
              "| page | limited by |", "|---|---|"]  # fmt: skip
    for r in results:
        if r.size == large and not r.page.reference:
            lines.append(f"| {r.page.label} | {limits(cost.get(large, {}).get(r.page.key))} |")
    return lines


def write_report(results: list[Result], generation: dict[int, dict | None], sizes: list[int],
                 seconds: int, connections: int, path: Path,
                 extra: dict[str, list[str]], found: list[Check], idle: bool,
                 cost: dict[int, dict]) -> None:  # fmt: skip
    by = {(r.page.key, r.size): r for r in results}
    small, large = min(sizes), max(sizes)
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` (bench/run.py) on {datetime.now(HELSINKI):%d.%m.%Y %H:%M}.",
        "",
        "Before and after the house re-cut (issue 15), page by page: "
        "[benchmarks-house.md](benchmarks-house.md) (bench/compare.py).",
        "",
        f"- Machine: {machine()}",
        "- Server: gunicorn, 2 sync workers, `sixaika.settings.bench` (DEBUG off, cached "
        "template loader, persistent database connections), PostgreSQL on loopback",
        f"- Load: wrk, {connections} connections, 2 threads, {seconds} s per page after a 2 s "
        f"warm-up; the load generator shares the machine's cores with the server",
        f"- Data sizes: {', '.join(f'{s} projects' for s in sizes)} (generate_portfolio, "
        f"seed 1: implementers across the cities, grants, indicators, actions and 8 "
        f"half-years of status reports; meetings, decisions, calls and applications are the "
        f"demo data's and do not grow with the size)",
        "- Errors count answers other than 2xx/3xx; the invalid POST answers 400 by design "
        "(the form is shown again with its errors), so its count is every request; the valid "
        "POST saves a draft and answers 302",
        f"- Load average (1, 5, 15 min, /proc/loadavg) at the start: {extra['load'][0]}; at "
        f"the end: {extra['load'][-1]}",
    ]
    for size in sizes:
        made = generation.get(size)
        if made:
            lines.append(
                f"- Generating {size} projects (`generate_portfolio --projects {size} --seed "
                f"{made['seed']} --today {made['today']}`) took {made['seconds']:.1f} s"
            )
    lines += [
        "",
        f"Targets (issue 19), at {large} projects: server CPU per request at most "
        f"{TARGET_CPU_HTML_MS:.0f} ms for every HTML page and {TARGET_CPU_API_MS:.0f} ms for "
        f"the API's page of 50, the API linear in page_size up to 500, no page's server CPU "
        f"growing more than {TARGET_GROWTH}x from {small} projects, and on an idle machine a "
        f"median under {TARGET_MEDIAN_MS:.0f} ms.",
        "",
        "Server CPU is the CPU time the gunicorn workers and their PostgreSQL backends spent "
        "per request during the timed run (from /proc): unlike latency it hardly depends on "
        "what else the machine is doing.",
        "",
        "| page | projects | server CPU ms/req | median ms | p95 ms | req/s | errors "
        "| CPU x floor | CPU x admin |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        floor = by.get(("floor", r.size))
        admin = by.get(("admin", r.size))
        lines.append(
            f"| {r.page.label} | {r.size} | "
            f"{r.cpu_ms if r.cpu_ms is not None else float('nan'):.1f} | {r.p50_ms:.1f} | "
            f"{r.p95_ms:.1f} | {r.rps:.0f} | {r.errors} | "
            f"{ratio(r.cpu_ms or 0.0, floor and floor.cpu_ms)} | "
            f"{ratio(r.cpu_ms or 0.0, admin and admin.cpu_ms)} |"
        )
    lines += ["", f"## Against the targets at {large} projects", "",
              "| target | this run | verdict |", "|---|---:|---|"]  # fmt: skip
    lines += [f"| {c.what} | {c.figure} | {c.word} |" for c in found]
    lines += ["", *notes(results, sizes, found, extra["load"], idle, cost)]
    if extra.get("explain"):
        lines += [
            "",
            f"## Indexes at {large} projects",
            "",
            "The main queries of the pages, with the indexes their plans use (EXPLAIN ANALYZE; "
            "the plans in full: [benchmarks-explain.md](benchmarks-explain.md)).",
            "",
            *extra["explain"],
        ]
    if extra.get("reports"):
        lines += [
            "",
            "## PDF monitoring reports",
            "",
            "`bench/reports.py`, run by `make bench` (details: "
            "[benchmarks-reports.md](benchmarks-reports.md)).",
            "",
            *extra["reports"],
        ]
    path.write_text("\n".join(lines) + "\n")


def explain(url: str, path: Path) -> list[str]:
    """Write the main queries' plans at this size (bench/explain.py); return its overview."""
    out = sh([PY, "bench/explain.py"], env=django_env(url), cwd=ROOT, capture_output=True).stdout
    path.write_text(
        "# Query plans of the benchmarked pages\n\n"
        "Written by `make bench` (bench/explain.py): EXPLAIN ANALYZE of each page's main "
        "queries on the largest benchmark database, with the indexes they use.\n\n" + out
    )
    overview = out.split("\n### ", 1)[0].strip().splitlines()
    return overview


def pdf_reports(regenerate: bool, run: bool) -> list[str]:
    """Run the PDF benchmark (bench/reports.py, its own databases of 60 and 1 000 projects)
    if asked, and return its latest figures (the table and the growth line of
    docs/benchmarks-reports.md, whose first line says when they were measured)."""
    if run:
        sh([PY, "bench/reports.py", *(["--regenerate"] if regenerate else [])], cwd=ROOT,
           capture_output=True)  # fmt: skip
    path = ROOT / "docs" / "benchmarks-reports.md"
    if not path.exists():
        return []
    text = path.read_text().splitlines()
    measured = [line for line in text if line.startswith("Measured")]
    table = [line for line in text if line.startswith("|")]
    growth = [line for line in text if line.startswith("Growth")]
    return [*measured, "", *table, "", *growth]


def load_average() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 5000])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument(
        "--reports", action="store_true", help="also run the PDF benchmark (bench/reports.py)"
    )
    parser.add_argument(
        "--pages", nargs="+", help="only these pages (keys, e.g. home list), with the references"
    )
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is needed for the load: apt-get install wrk", file=sys.stderr)
        return 1
    results: list[Result] = []
    generation: dict[int, dict | None] = {}
    cost: dict[int, dict] = {}
    idle = os.getloadavg()[0] < IDLE_LOAD
    extra: dict[str, list[str]] = {"load": [load_average()]}
    for size in args.sizes:
        url, generation[size] = build_database(size, args.regenerate, args.seed)
        measured, cost[size] = measure(size, url, args.seconds, args.connections, args.pages)
        results += measured
    extra["load"].append(load_average())
    found = checks(results, args.sizes, idle)
    print(f"\nLoad average at the start {extra['load'][0]}, at the end {extra['load'][-1]}"
          + ("" if idle else ": a shared machine, medians not judged, server CPU is the "
             "figure to trust"))  # fmt: skip
    for c in found:
        print(f"{c.word.strip('*'):>10}  {c.what}: {c.figure}")
    if args.pages:
        print("Some pages only (--pages): docs/benchmarks.md is left as it was.")
        return 0
    extra["explain"] = explain(url, args.output.parent / "benchmarks-explain.md")
    extra["reports"] = pdf_reports(args.regenerate, run=args.reports)
    for line in extra["reports"]:
        if line.startswith("|") and ("missed" in line or "met" in line):
            print(f"PDF: {line}")
    write_report(results, generation, args.sizes, args.seconds, args.connections, args.output,
                 extra, found, idle, cost)  # fmt: skip
    print(f"Wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
