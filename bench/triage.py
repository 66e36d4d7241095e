"""Benchmark: officers working the triage queue against the full deployment on this machine.

Run ``python bench/triage.py`` from the repository root (needs the bench extras:
``pip install -e .[bench]``, and PostgreSQL and Redis on 127.0.0.1 as CI has them).

1. Creates a fresh PostgreSQL database (``aircop_bench_triage``), migrates it, collects the
   static files, and seeds one task force at Lomé: two agencies, ``--users`` officers, flights
   over the next hours with their travellers, and ``--hits`` watchlist hits (a few per flagged
   traveller; one in ten from a list only customs may see) — see bench/triage_seed.py.
2. Serves the site with gunicorn (``--workers`` sync workers) against that database and Redis,
   and waits for ``/healthz``.
3. Runs locust headless (bench/triage_locust.py) for ``--duration`` seconds: each officer signs
   in through the login form, then opens the queue (mostly as it comes, sometimes filtered or on
   page 2), opens travellers picked from it and now and then records a decision, pausing
   ``--think`` seconds between clicks as a person reading the page would.
4. Prints, per kind of request, the count, failures and p50/p95/p99 in milliseconds, then
   stops gunicorn and drops the database (``--keep`` leaves both the database and its URL).

The load generator runs on the same machine as gunicorn, PostgreSQL and Redis, so it takes some
of the CPU it measures; the figures are for this machine, not a capacity plan. Exits 1 if any
request failed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter, defaultdict
from dataclasses import asdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LOCUSTFILE = Path(__file__).resolve().parent / "triage_locust.py"
# The rows of the table, in this order; "queue, all" pools the three kinds of queue request.
QUEUE_NAMES = ("queue", "queue, filtered", "queue, page 2")
ROWS = (
    "login",
    *QUEUE_NAMES,
    "queue, all",
    "triage view",
    "decision",
)
TARGET_P95_MS = 150


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _admin_connection(postgres: str) -> Any:
    import psycopg

    return psycopg.connect(f"{postgres}/postgres", autocommit=True)


def create_database(postgres: str, name: str) -> None:
    with _admin_connection(postgres) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def drop_database(postgres: str, name: str) -> None:
    with _admin_connection(postgres) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def bench_environment(args: argparse.Namespace, state: Path) -> dict[str, str]:
    """The settings of a production run (DEBUG off), over plain HTTP on the loopback."""
    queue = f"bench-triage-{os.getpid()}"
    return {
        **os.environ,
        "DATABASE_URL": f"{args.postgres}/{args.database}",
        "REDIS_URL": args.redis,
        "CELERY_BROKER_URL": args.redis,
        # Tasks queued by decisions go to a queue of their own that nothing else reads.
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DEBUG": "0",
        "AIRCOP_HTTPS": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "AIRCOP_VAR_DIR": str(state),
        "STATIC_ROOT": str(state / "static"),
        "MEDIA_ROOT": str(state / "uploads"),
        "LOG_LEVEL": "WARNING",
    }


def prepare(args: argparse.Namespace) -> dict[str, Any]:
    """Migrate, collect static files and seed, in this process (Django set up for the bench)."""
    import django
    from django.core.management import call_command

    django.setup()
    from bench.triage_seed import seed

    for command in ("migrate", "collectstatic"):
        started = time.perf_counter()
        call_command(command, verbosity=0, interactive=False)
        print(f"{command:<30}{time.perf_counter() - started:8.1f} s")
    started = time.perf_counter()
    seeded = seed(
        hits=args.hits, officers=args.users, flights=args.flights, per_flight=args.per_flight
    )
    print(
        f"seed                          {time.perf_counter() - started:8.1f} s: "
        f"{seeded.flights} flights, {seeded.travellers:,} travellers, "
        f"{len(seeded.flagged_travellers):,} flagged, {seeded.hits:,} hits "
        f"({seeded.customs_only_hits:,} customs only), {len(seeded.usernames)} officers"
    )
    from django.db import connection, connections

    # Statistics as a running installation has them (autovacuum would get there in a minute).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    connections.close_all()
    return asdict(seeded)


def start_gunicorn(
    args: argparse.Namespace, env: dict[str, str], port: int, log: Path
) -> subprocess.Popen[bytes]:
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "aircop.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={args.workers}",
    ]
    # Its log and Django's (a refused decision is logged as a 409) go to a file, not the table.
    with log.open("w") as output:
        server = subprocess.Popen(  # noqa: S603 - our own venv's gunicorn
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}:\n{_tail(log)}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit(f"gunicorn did not answer /healthz within 60 s:\n{_tail(log)}")


def _tail(log: Path, lines: int = 20) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def cpu_seconds(gunicorn_pid: int, database: str) -> dict[str, float]:
    """CPU time so far of gunicorn (master and workers) and of the database's backends."""
    import psutil

    def total(processes: list[psutil.Process]) -> float:
        seconds = 0.0
        for process in processes:
            try:
                times = process.cpu_times()
            except psutil.NoSuchProcess:
                continue
            seconds += times.user + times.system
        return seconds

    master = psutil.Process(gunicorn_pid)
    backends = [
        p
        for p in psutil.process_iter(["cmdline"])
        if f" {database} " in " ".join(p.info["cmdline"] or [])
    ]
    return {
        "gunicorn": total([master, *master.children(recursive=True)]),
        "postgres": total(backends),
    }


def run_locust(
    args: argparse.Namespace, env: dict[str, str], port: int, plan: Path, log: Path
) -> None:
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        "--headless",
        f"--users={args.users}",
        f"--spawn-rate={args.users}",
        f"--run-time={args.duration}s",
        "--stop-timeout=10",
        f"--host=http://127.0.0.1:{port}",
        "--only-summary",
        "--loglevel=WARNING",
        f"--logfile={log}",
    ]
    with log.with_suffix(".out").open("w") as out:
        # Locust exits 1 when a request failed; the table below says which, so it is not fatal.
        subprocess.run(  # noqa: S603 - our own venv's locust
            command, cwd=ROOT, env={**env, "BENCH_TRIAGE_PLAN": str(plan)}, stdout=out, stderr=out
        )


def profile_queries(username: str, traveller_id: int) -> list[str]:
    """One officer's queue and triage view, in this process: the SQL each page runs."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from agencies.models import Person

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(Person.objects.get(username=username))
    lines = []
    for label, url in (("queue", "/"), ("triage view", f"/travellers/{traveller_id}/")):
        client.get(url)  # the first request compiles templates; measure the second
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
        queries = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
        sql_ms = sum(float(q["time"]) for q in queries) * 1000
        lines.append(
            f"{label} ({url}): HTTP {response.status_code}, {elapsed:.0f} ms, "
            f"{len(queries)} queries, {sql_ms:.0f} ms of them in PostgreSQL; slowest:"
        )
        lines.extend(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:140]}" for q in queries[:3])
    connection.close()
    return lines


def percentile(times: list[float], share: float) -> float:
    """Nearest-rank percentile of the times (ms)."""
    ordered = sorted(times)
    rank = max(1, round(share * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


def summarise(timings: list[tuple[str, float, str]]) -> tuple[list[str], int]:
    """The table, and how many requests failed (each distinct error listed under the table)."""
    by_name: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    errors: Counter[str] = Counter()
    for name, elapsed, error in timings:
        by_name[name].append((elapsed, not error))
        if name in QUEUE_NAMES:
            by_name["queue, all"].append((elapsed, not error))
        if error:
            errors[f"{name}: {error}"] += 1
    lines = [
        f"{'request':<24}{'count':>7}{'failed':>8}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}  (ms)"
    ]
    failures = 0
    for name in [*ROWS, *sorted(set(by_name) - set(ROWS))]:
        rows = by_name.get(name)
        if not rows:
            continue
        times = [elapsed for elapsed, _ in rows]
        failed = sum(not ok for _, ok in rows)
        if name != "queue, all":
            failures += failed
        lines.append(
            f"{name:<24}{len(rows):>7}{failed:>8}{percentile(times, 0.5):>8.0f}"
            f"{percentile(times, 0.95):>8.0f}{percentile(times, 0.99):>8.0f}{max(times):>8.0f}"
        )
    lines.extend(f"failed {n}x  {error}" for error, n in errors.most_common())
    return lines, failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20, help="simulated officers (20)")
    parser.add_argument("--hits", type=int, default=10_000, help="hits in the queue (10,000)")
    parser.add_argument("--duration", type=int, default=60, help="seconds of load (60)")
    # docker-compose.yml's WEB_CONCURRENCY; on two cores more workers only queue for the CPU.
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers (3)")
    parser.add_argument("--flights", type=int, default=60, help="flights in the queue (60)")
    parser.add_argument("--per-flight", type=int, default=250, help="travellers per flight")
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        default=(0.5, 2.0),
        metavar=("MIN", "MAX"),
        help="seconds an officer pauses between clicks (0.5 2.0)",
    )
    parser.add_argument(
        "--decide-share", type=float, default=0.1, help="share of traveller views decided (0.1)"
    )
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="aircop_bench_triage")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    state = Path(tempfile.mkdtemp(prefix="aircop-bench-triage-"))
    env = bench_environment(args, state)
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aircop.settings")
    port = _free_port()
    server: subprocess.Popen[bytes] | None = None
    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(
        f"config: {args.users} officers, {args.hits:,} hits, {args.flights} flights, "
        f"gunicorn {args.workers} sync workers, {args.duration} s of load, "
        f"think {args.think[0]:g} to {args.think[1]:g} s, decisions on "
        f"{args.decide_share:.0%} of traveller views, database {args.database}"
    )
    try:
        create_database(args.postgres, args.database)
        seeded = prepare(args)
        server = start_gunicorn(args, env, port, state / "gunicorn.log")
        print(f"gunicorn: {args.workers} workers on 127.0.0.1:{port}")
        plan = state / "plan.json"
        timings_file = state / "timings.json"
        plan.write_text(
            json.dumps(
                {
                    "usernames": seeded["usernames"],
                    "password": seeded["password"],
                    "flagged": seeded["flagged_travellers"],
                    "think_min": args.think[0],
                    "think_max": args.think[1],
                    "decide_share": args.decide_share,
                    "out": str(timings_file),
                }
            )
        )
        server_cpu = cpu_seconds(server.pid, args.database)
        locust_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        run_locust(args, env, port, plan, state / "locust.log")
        elapsed = time.perf_counter() - started
        used = {
            name: after - server_cpu[name]
            for name, after in cpu_seconds(server.pid, args.database).items()
        }
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        used["locust"] = after.ru_utime + after.ru_stime - locust_cpu.ru_utime - locust_cpu.ru_stime
        if not timings_file.exists():
            print(_tail(state / "locust.out", 40), file=sys.stderr)
            raise SystemExit("locust wrote no timings")
        timings = [(str(n), float(t), str(e)) for n, t, e in json.loads(timings_file.read_text())]
        lines, failures = summarise(timings)
        print(
            f"load: {len(timings):,} requests in {elapsed:.0f} s ({len(timings) / elapsed:.1f}/s)"
        )
        print("\n".join(lines))
        print(
            f"CPU during the load: {', '.join(f'{k} {v:.0f} s' for k, v in used.items())} "
            f"of {elapsed * (os.cpu_count() or 1):.0f} s on {os.cpu_count()} cores; "
            f"load average after: {os.getloadavg()[0]:.2f}"
        )
        pooled = [t for name, t, _ in timings if name in QUEUE_NAMES]
        views = [t for name, t, _ in timings if name == "triage view"]
        print("== summary ==")
        for label, times in (("queue", pooled), ("triage view", views)):
            if times:
                p95 = percentile(times, 0.95)
                verdict = "under" if p95 < TARGET_P95_MS else "OVER"
                print(
                    f"{label:<12} p50 {statistics.median(times):6.0f} ms  p95 {p95:6.0f} ms "
                    f"({verdict} the {TARGET_P95_MS} ms aim)"
                )
        print(f"== where the time goes: {seeded['usernames'][0]}, one request at a time ==")
        try:
            print(
                "\n".join(profile_queries(seeded["usernames"][0], seeded["flagged_travellers"][0]))
            )
        except Exception as error:  # a diagnostic after the figures; they stand without it
            print(f"could not profile the pages: {type(error).__name__}: {error}", file=sys.stderr)
        if failures:
            print(f"FAIL: {failures} requests failed (errors above)", file=sys.stderr)
        return 1 if failures or not timings else 0
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        if args.keep:
            print(f"kept: DATABASE_URL={env['DATABASE_URL']} and {state}")
        else:
            drop_database(args.postgres, args.database)
            shutil.rmtree(state, ignore_errors=True)
        _forget_queued_tasks(args.redis, env["CELERY_TASK_DEFAULT_QUEUE"])


def _forget_queued_tasks(redis_url: str, queue: str) -> None:
    """Tasks queued during the run have no worker; drop them with their queue."""
    import redis

    redis.Redis.from_url(redis_url).delete(queue)


if __name__ == "__main__":
    sys.exit(main())
