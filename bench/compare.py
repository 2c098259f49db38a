"""Before and after: server CPU per request of every page bench/run.py measures, for two
checkouts of the portal (two commits' worktrees), on the same generated data.

    .venv/bin/python bench/compare.py BEFORE AFTER [--sizes 100 1000 5000]

For each size the data is generated once, by the older checkout (``generate_portfolio``, as
bench/run.py does), into ``sixaika_cmp_<N>_before``. ``sixaika_cmp_<N>_after`` is a copy of it
(``create database ... template``) migrated by the newer checkout, so a change of schema between
the two (issue 15 moved status report transitions into ``core_transition``) is carried by the
change's own migration and both read the same rows. Each checkout is served by its own gunicorn
(2 sync workers, ``sixaika.settings.bench``) and the pages are measured with bench/run.py's own
functions, alternating page by page (before, after, before, after...) so that whatever else
the machine runs weighs on both alike, the whole round repeated ``--repeats`` times.

A page counts as slower after when after/before > 1.05 in every repeat, faster when < 1/1.05 in
every repeat, unchanged when within both bounds in every repeat, and unclear otherwise.
Writes docs/benchmarks-house.md (after each size, so a long run keeps what it has measured).
"""

import argparse
import json
import os
import platform
import shlex
import sys
import time
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import (  # noqa: E402  (bench/ is not a package: bench/run.py is run as a script)
    DEFAULT_PG,
    HELSINKI,
    PY,
    ROOT,
    Page,
    django_env,
    free_port,
    load_average,
    machine,
    pages_for,
    prepare,
    run_page,
    sh,
    start_gunicorn,
)

PREFIX = "sixaika_cmp_"  # never another run's databases (sixaika_bench_*, ...)
SLOWER = 1.05  # after/before above this in every repeat: slower
SIDES = ("before", "after")


@dataclass(frozen=True)
class Sample:
    """One timed wrk run of one page on one checkout."""

    key: str
    size: int
    side: str  # "before" or "after"
    repeat: int
    cpu_ms: float | None
    p50_ms: float
    requests: int
    errors: int


@dataclass
class Comparison:
    """One page at one size: the checkouts' server CPU per request, repeat by repeat."""

    key: str
    label: str
    size: int
    before: list[float]
    after: list[float]
    errors_before: int = 0
    errors_after: int = 0

    @property
    def ratios(self) -> list[float]:
        return [a / b for b, a in zip(self.before, self.after, strict=True) if b]

    @property
    def verdict(self) -> str:
        return verdict(self.ratios)


def verdict(ratios: list[float], bound: float = SLOWER) -> str:
    """The after/before ratios of the repeats, in one word; one repeat alone is not enough."""
    if len(ratios) < 2:
        return "unclear"
    if all(r > bound for r in ratios):
        return "slower"
    if all(r < 1 / bound for r in ratios):
        return "faster"
    if all(1 / bound <= r <= bound for r in ratios):
        return "unchanged"
    return "unclear"


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


def comparisons(samples: list[Sample], labels: dict[str, str]) -> list[Comparison]:
    """The samples paired by page, size and repeat, in the order they were measured."""
    out: dict[tuple[str, int], Comparison] = {}
    by = {(s.key, s.size, s.side, s.repeat): s for s in samples}
    for s in samples:
        if s.side != "before" or s.cpu_ms is None:
            continue
        other = by.get((s.key, s.size, "after", s.repeat))
        if other is None or other.cpu_ms is None:
            continue
        c = out.setdefault(
            (s.key, s.size), Comparison(s.key, labels.get(s.key, s.key), s.size, [], [])
        )
        c.before.append(s.cpu_ms)
        c.after.append(other.cpu_ms)
        c.errors_before += s.errors
        c.errors_after += other.errors
    return list(out.values())


def table(found: list[Comparison]) -> list[str]:
    """The results as a Markdown table: means over the repeats and each repeat's ratio."""
    lines = [
        "| page | projects | before ms/req | after ms/req | after/before | each repeat "
        "| verdict | errors before / after |",
        "|---|---:|---:|---:|---:|---|---|---:|",
    ]
    for c in found:
        before, after = mean(c.before), mean(c.after)
        overall = f"{after / before:.2f}" if before else "n/a"
        each = ", ".join(f"{r:.2f}" for r in c.ratios)
        word = f"**{c.verdict}**" if c.verdict == "slower" else c.verdict
        lines.append(
            f"| {c.label} | {c.size} | {before:.1f} | {after:.1f} | {overall} | {each} "
            f"| {word} | {c.errors_before} / {c.errors_after} |"
        )
    return lines


def summary(found: list[Comparison], samples: list[Sample] = ()) -> list[str]:
    """Which pages were slower, faster or unclear: drawn from the figures, nothing fixed."""
    lines = []
    compared = {(c.key, c.size) for c in found}
    missing = sorted({(s.size, s.key) for s in samples if (s.key, s.size) not in compared})
    if missing:
        lines.append(
            "- Not compared (no request finished in a timed run of one checkout): "
            + "; ".join(f"{key} ({size})" for size, key in missing)
        )
    for word in ("slower", "faster", "unclear", "unchanged"):
        pages = [f"{c.label} ({c.size})" for c in found if c.verdict == word]
        if pages:
            lines.append(f"- {word.capitalize()} after ({len(pages)}): {'; '.join(pages)}")
    return lines


def save(path: Path, samples: list[Sample], labels: dict[str, str], run: dict[str, str]) -> None:
    """This run's samples, so that a later run (of other sizes or pages) can merge them."""
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps({"samples": [asdict(s) for s in samples], "labels": labels,
                                "runs": [run]}, indent=1))  # fmt: skip


def merge(paths: list[Path]) -> tuple[list[Sample], dict[str, str], list[dict[str, str]]]:
    """Earlier runs' samples, labels and descriptions, in the order given."""
    samples: list[Sample] = []
    labels: dict[str, str] = {}
    runs: list[dict[str, str]] = []
    for path in paths:
        saved = json.loads(path.read_text())
        samples += [Sample(**s) for s in saved["samples"]]
        labels.update(saved["labels"])
        runs += saved["runs"]
    return samples, labels, runs


def combined(earlier: list[Sample], now: list[Sample]) -> list[Sample]:
    """This run's samples replace an earlier run's of the same page and size."""
    fresh = {(s.key, s.size) for s in now}
    return [s for s in earlier if (s.key, s.size) not in fresh] + now


def write(
    path: Path, found: list[Comparison], meta: dict[str, str], samples: list[Sample] = ()
) -> None:
    lines = [
        "# Before and after the house re-cut (issue 15)",
        "",
        f"Written by `bench/compare.py` on {meta['date']}, from these runs:",
        "",
        *[
            f"- `{run['command']}` ({run['date']}; load average (1, 5, 15 min, /proc/loadavg) "
            f"at the start {run['load_start']}, at the end {run['load_end']}; data: {run['data']})"
            for run in meta["runs"]
        ],
        "",
        f"- Before: {meta['before']}",
        f"- After: {meta['after']}",
        f"- Machine: {meta['machine']}",
        "- Server: each checkout served by its own gunicorn, 2 sync workers, "
        "`sixaika.settings.bench`, each with its own local-memory cache, PostgreSQL on loopback",
        f"- Load: as `make bench` (bench/run.py's functions): wrk, {meta['connections']} "
        f"connections, 2 threads, {meta['seconds']} s per page after a 2 s warm-up",
        f"- Order: page by page, before then after, the whole round {meta['repeats']} times",
        "",
        "Server CPU per request is the CPU time the gunicorn workers and their PostgreSQL "
        "backends spent during the timed run, divided by the requests (from /proc, bench/run.py's "
        "`server_cpu`). Before and after are means over the repeats; the verdict asks every "
        f"repeat: slower when after/before > {SLOWER} in each, faster when < 1/{SLOWER} in each, "
        "unchanged when within both bounds in each, unclear otherwise. Errors are answers other "
        "than 2xx/3xx summed over the repeats (the invalid POST answers 400 by design).",
        "",
        *table(found),
        "",
        *summary(found, samples),
    ]
    if meta.get("notes"):
        lines += ["", meta["notes"].strip()]
    path.write_text("\n".join(lines) + "\n")


def work(root: Path, url: str, prep: dict) -> dict[str, dict]:
    """bench/costs.py run with the code of ``root``: queries and Python function calls per
    request of every GET page, counts that do not depend on what else the machine runs."""
    pages = [
        {"key": p.key, "path": p.path, "user": p.user} for p in pages_for(prep) if p.method == "GET"
    ]
    env = {**server_env(url), "BENCH_ROOT": str(root), "BENCH_CALLS": "1"}
    out = sh([PY, str(ROOT / "bench" / "costs.py")], env=env, cwd=root, capture_output=True,
             input=json.dumps(pages)).stdout  # fmt: skip
    return json.loads(out)


def work_table(size: int, labels: dict[str, str], before: dict, after: dict) -> list[str]:
    """One row a GET page: queries and Python function calls per request, before and after."""
    lines = []
    for key, b in before.items():
        a = after.get(key)
        if a is None:
            continue
        calls = f"{a['calls'] / b['calls']:.2f}" if b.get("calls") and a.get("calls") else "n/a"
        lines.append(
            f"| {labels.get(key, key)} | {size} | {b['queries']:g} | {a['queries']:g} | "
            f"{b.get('calls') or 'n/a'} | {a.get('calls') or 'n/a'} | {calls} | "
            f"{b['status']} / {a['status']} | {b['bytes'] / 1024:.1f} / {a['bytes'] / 1024:.1f} |"
        )
    return lines


WORK_HEADER = [
    "| page | projects | queries before | queries after | Python calls before | Python calls "
    "after | calls after/before | status before / after | KB before / after |",
    "|---|---:|---:|---:|---:|---:|---:|---|---:|",
]


def write_work(path: Path, rows: list[str], meta: dict[str, str]) -> None:
    lines = [
        "# Work per request before and after the house re-cut (issue 15)",
        "",
        f"Written by `bench/compare.py --work-only` on {meta['date']}. Command: "
        f"`{meta['command']}`",
        "",
        f"- Before: {meta['before']}",
        f"- After: {meta['after']}",
        "",
        "Each GET page of the benchmark requested through Django's test client in one process "
        "per checkout (bench/costs.py with BENCH_CALLS=1, after a warm-up): the SQL queries per "
        "request and the Python function calls per request (cProfile). Both are counts, so "
        "unlike CPU time they do not move with the machine's load; they say where the work per "
        "request changed, the timed comparison ([benchmarks-house.md](benchmarks-house.md)) "
        "says what it costs.",
        "",
        *WORK_HEADER,
        *rows,
    ]
    path.write_text("\n".join(lines) + "\n")


def database(name: str) -> str:
    assert name.startswith(PREFIX), name
    return f"{DEFAULT_PG}/{name}"


def psql(*args: str, db: str = "postgres") -> None:
    sh(["psql", f"{DEFAULT_PG}/{db}", "-qc", *args])


def server_env(url: str) -> dict[str, str]:
    """bench/run.py's environment, without a shared cache: with REDIS_URL both servers would
    read each other's cached fragments."""
    env = django_env(url)
    for name in ("REDIS_URL", "CACHE_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"):
        env.pop(name, None)
    # The API's anonymous throttle (120/minute, counted per worker here) would answer one
    # checkout's repeats with cheap 429s and not the other's: both get a rate no run reaches.
    env["SIXAIKA_API_ANON_RATE"] = "1000000/minute"
    return env


def build(
    size: int, before: Path, after: Path, seed: int, prefix: str = PREFIX
) -> tuple[dict[str, str], dict, str]:
    """Generate the data once with ``before``, prepare the sessions and ids in it, copy it and
    migrate the copy with ``after``. Returns the two URLs, bench/prepare.py's answer and a line
    saying how the data was made."""
    names = {side: f"{prefix}{size}_{side}" for side in SIDES}
    urls = {side: database(name) for side, name in names.items()}
    for name in names.values():
        psql(f'drop database if exists "{name}"')
    psql(f'create database "{names["before"]}"')
    env = server_env(urls["before"])
    python = str(before / ".venv" / "bin" / "python")
    for args in (["migrate", "--noinput", "-v0"], ["load_6aika"], ["load_demo"]):
        sh([python, "manage.py", *args], env=env, cwd=before, capture_output=True)
    today = datetime.now(HELSINKI).date().isoformat()
    started = time.perf_counter()
    sh([python, "manage.py", "generate_portfolio", "--projects", str(size), "--seed", str(seed),
        "--today", today], env=env, cwd=before, capture_output=True)  # fmt: skip
    took = time.perf_counter() - started
    prep = prepare(env, before)  # sessions are rows: made before the copy, valid in both
    psql(f'create database "{names["after"]}" template "{names["before"]}"')
    sh([str(after / ".venv" / "bin" / "python"), "manage.py", "migrate", "--noinput", "-v0"],
       env=server_env(urls["after"]), cwd=after, capture_output=True)  # fmt: skip
    for url in urls.values():
        sh(["psql", url, "-qc", "vacuum analyze"])
    line = (
        f"{size} projects: `generate_portfolio --projects {size} --seed {seed} --today {today}` "
        f"by the before checkout ({took:.1f} s), into `{names['before']}`; `{names['after']}` "
        "is its copy migrated by the after checkout"
    )
    return urls, prep, line


def describe(root: Path) -> str:
    head = sh(["git", "-C", str(root), "log", "-1", "--format=%h %s"], capture_output=True)
    return f"`{root}` at {head.stdout.strip()}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pages", nargs="+", help="only these pages (keys, e.g. meeting home)")
    parser.add_argument("--keep", action="store_true", help="keep the sixaika_cmp_* databases")
    parser.add_argument("--output", type=Path, default=None)
    parser.add_argument("--samples", type=Path, default=ROOT / "var" / "compare-samples.json",
                        help="where this run's samples are kept (JSON)")  # fmt: skip
    parser.add_argument("--merge", type=Path, nargs="*", default=[],
                        help="earlier runs' samples to report with this run's")  # fmt: skip
    parser.add_argument(
        "--work-only",
        action="store_true",
        help="no load: count queries and Python calls per request of each GET page "
        "(docs/benchmarks-house-work.md)",
    )
    args = parser.parse_args()
    name = "benchmarks-house-work.md" if args.work_only else "benchmarks-house.md"
    args.output = args.output or ROOT / "docs" / name
    roots = {"before": args.before.resolve(), "after": args.after.resolve()}
    meta = {
        "date": f"{datetime.now(HELSINKI):%d.%m.%Y %H:%M} (Helsinki)",
        "command": shlex.join([".venv/bin/python", "bench/compare.py", *sys.argv[1:]]),
        "before": describe(roots["before"]),
        "after": describe(roots["after"]),
        "machine": machine(),
        "load_start": load_average(),
        "repeats": str(args.repeats),
        "seconds": str(args.seconds),
        "connections": str(args.connections),
    }
    print(f"load at the start {meta['load_start']}; {os.cpu_count()} cores, "
          f"Python {platform.python_version()}", flush=True)  # fmt: skip
    earlier, labels, runs = merge(args.merge)
    samples: list[Sample] = []
    data: list[str] = []
    rows: list[str] = []
    for size in args.sizes:
        # --work-only has databases of its own: it may run beside a timed comparison.
        prefix = f"{PREFIX}work_" if args.work_only else PREFIX
        urls, prep, line = build(size, roots["before"], roots["after"], args.seed, prefix)
        data.append(line)
        if args.work_only:
            labels.update({p.key: p.label for p in pages_for(prep)})
            done = {side: work(roots[side], urls[side], prep) for side in SIDES}
            rows += work_table(size, labels, done["before"], done["after"])
            if not args.keep:
                for url in urls.values():
                    psql(f'drop database if exists "{url.rsplit("/", 1)[1]}"')
            write_work(args.output, rows, {**meta, "data": "; ".join(data)})
            print(f"Wrote {args.output}", flush=True)
            continue
        servers = {}
        try:
            for side in SIDES:
                port = free_port()
                servers[side] = (port, start_gunicorn(server_env(urls[side]), port, roots[side]))
            pages: list[Page] = [
                p
                for p in pages_for(prep)
                if not (p.key == "report_save" and not p.saves)
                and (not args.pages or p.key in args.pages)
            ]
            labels.update({p.key: p.label for p in pages})
            for repeat in range(args.repeats):
                for page in pages:
                    for side in SIDES:
                        port, server = servers[side]
                        r = run_page(page, size, port, server.pid, urls[side], prep,
                                     args.seconds, args.connections)  # fmt: skip
                        samples.append(Sample(page.key, size, side, repeat, r.cpu_ms,
                                              r.p50_ms, r.requests, r.errors))  # fmt: skip
                        print(f"{size:>5} {repeat} {page.key:<12} {side:<6} "
                              f"cpu {r.cpu_ms or 0:6.1f} ms/req  p50 {r.p50_ms:7.1f} ms  "
                              f"errors {r.errors}", flush=True)  # fmt: skip
        finally:
            for _port, server in servers.values():
                server.terminate()
                server.wait(timeout=30)
        if not args.keep:
            for url in urls.values():
                psql(f'drop database if exists "{url.rsplit("/", 1)[1]}"')
        meta.update(load_end=load_average(), data="; ".join(data))
        run = {k: meta[k] for k in ("command", "date", "load_start", "load_end", "data")}
        save(args.samples, samples, labels, run)
        everything = combined(earlier, samples)
        write(args.output, comparisons(everything, labels), {**meta, "runs": [*runs, run]},
              everything)  # fmt: skip
        print(f"Wrote {args.output} (load now {meta['load_end']})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
