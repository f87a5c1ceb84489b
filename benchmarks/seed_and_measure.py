"""Seed N petition matters through the service layer and measure it; print one JSON object.

    python benchmarks/seed_and_measure.py [--matters 10000|100000|1000000] [--database-url URL]

Without --database-url it works in a fresh temporary data directory with its own SQLite file
(removed afterwards unless --keep), so it never touches ./var. It sets XINFANG_DEV=1 (development
keys), migrates, builds the demo county with the demo's own org builder (xinfang.demo.org), then
registers N matters with services.matter_register, each made from the demo's petition templates
(xinfang.demo.petitions.compose). A share is then forwarded or assigned (about 35%) and some
of those accepted, with `at=` times after the receipt, so that units' worklists hold open matters
with due dates.

Registrations run in batches of --batch (default 1000) inside one transaction per batch: on
SQLite a commit per registration would measure the disk's fsync rather than the code. The JSON
says so ("batch_transaction"). Only the matter_register calls are timed for
registrations_per_second; the forward/accept calls are timed separately.

Expected time, measured on a 2-core development VM (SQLite 3.40, Python 3.11): about 320
registrations/s through the services and 370 forward/accept steps/s, at 10k (47 s of seeding) and
still at 100k (476 s, 8 minutes). At that rate 1M takes about 80 minutes to seed, so plan for
1.5 hours with the baseline and a slower disk; the rate may fall a little further as the indexes
outgrow the page cache. 1M is supported, it is just long.

Read benchmarks/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

SRC = Path(__file__).resolve().parents[1] / "src"
DEFAULT_SEED = 20260301
SEND_SHARE = 0.35  # forwarded or assigned to the responsible body
ACCEPT_SHARE = 0.6  # of those sent, accepted there


def setup_django(database_url: str | None) -> str | None:
    """Configure and migrate; returns the temporary data directory made, if any."""
    if str(SRC) not in sys.path:
        sys.path.insert(0, str(SRC))
    os.environ["XINFANG_DEV"] = "1"
    # DEBUG would keep every query in memory: millions of them here.
    os.environ["XINFANG_DEBUG"] = "0"
    os.environ.setdefault("XINFANG_LOG_LEVEL", "WARNING")
    tmp = None
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        tmp = tempfile.mkdtemp(prefix="xinfang-bench-")
        os.environ["XINFANG_DATA_DIR"] = tmp
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "xinfang.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    return tmp


def machine_info() -> dict[str, Any]:
    from django.db import connection

    vendor = connection.vendor
    if vendor == "sqlite":
        version = sqlite3.sqlite_version  # the library Django's sqlite3 backend uses
    elif vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
    else:
        version = ""
    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "database": {"vendor": vendor, "version": version},
    }


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def seed(n: int, *, batch: int, seed: int, quiet: bool = True) -> dict[str, Any]:
    """Register n matters through the services (and send/accept a share); return timings."""
    from django.db import transaction
    from django.utils import timezone

    from xinfang.demo.org import build_org
    from xinfang.demo.petitions import compose
    from xinfang.demo.seed import registration_kwargs
    from xinfang.demo.texts import TEMPLATES
    from xinfang.matters import services

    org = build_org()
    now = timezone.localtime()
    rng = random.Random(seed)
    today = now.date()
    latest = now - timedelta(minutes=5)
    # Receipts spread over the past year, oldest first, so numbers follow the calendar.
    offsets = sorted((rng.uniform(0.01, 365.0) for _ in range(n)), reverse=True)

    register_seconds = 0.0
    other_seconds = 0.0
    other_steps = sent = accepted = 0
    wall_start = time.perf_counter()
    for start in range(0, n, batch):
        with transaction.atomic():
            for offset in offsets[start : start + batch]:
                filing = compose(rng, rng.randrange(len(TEMPLATES)), today=today)
                received = now - timedelta(days=offset)
                kwargs = registration_kwargs(org, filing, office="bureau", received_at=received)
                t0 = time.perf_counter()
                matter = services.matter_register(**kwargs)
                register_seconds += time.perf_counter() - t0

                sent_at = received + timedelta(days=rng.uniform(0.05, 3))
                if rng.random() >= SEND_SHARE or sent_at > latest:
                    continue
                mode = (
                    services.matter_assign
                    if filing.unit not in ("jw", "fy") and rng.random() < 0.25
                    else services.matter_forward
                )
                t0 = time.perf_counter()
                matter = mode(
                    matter=matter,
                    actor=org.user("registrar"),
                    to_unit=org.units[filing.unit],
                    at=sent_at,
                )
                other_seconds += time.perf_counter() - t0
                other_steps += 1
                sent += 1
                accepted_at = sent_at + timedelta(days=rng.uniform(0.05, 5))
                if rng.random() >= ACCEPT_SHARE or accepted_at > latest:
                    continue
                lead = org.user(org.staff[filing.unit].lead)
                t0 = time.perf_counter()
                services.matter_accept(matter=matter, actor=lead, at=accepted_at)
                other_seconds += time.perf_counter() - t0
                other_steps += 1
                accepted += 1
        if not quiet:
            done = min(start + batch, n)
            _log(f"seeded {done}/{n} ({done / register_seconds:.0f} registrations/s)")
    wall = time.perf_counter() - wall_start
    return {
        "seeding_wall_seconds": round(wall, 2),
        "registrations_per_second": round(n / register_seconds, 1) if n else 0.0,
        "register_seconds": round(register_seconds, 2),
        "forwarded_or_assigned": sent,
        "accepted": accepted,
        "other_steps_per_second": (round(other_steps / other_seconds, 1) if other_steps else 0.0),
    }


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def raw_sqlite_baseline(directory: str) -> dict[str, Any]:
    """Insert the same matter rows, as plain tuples, into a plain SQLite table with the same
    columns (no indexes or constraints), with executemany in one transaction."""
    from xinfang.matters.models import Matter

    fields = [f for f in Matter._meta.concrete_fields if not f.primary_key]
    columns = [str(f.column) for f in fields]
    path = Path(directory) / "raw-baseline.sqlite3"
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        # The same journal settings the project gives SQLite.
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(f"CREATE TABLE matter (id INTEGER PRIMARY KEY, {', '.join(columns)})")
        insert = (
            f"INSERT INTO matter ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        )
        rows = Matter.objects.order_by("pk").values_list(*[f.attname for f in fields])
        seconds = 0.0
        count = 0
        chunk: list[tuple[Any, ...]] = []

        def flush() -> float:
            t0 = time.perf_counter()
            conn.executemany(insert, chunk)
            return time.perf_counter() - t0

        t0 = time.perf_counter()
        conn.execute("BEGIN")
        seconds += time.perf_counter() - t0
        for row in rows.iterator(chunk_size=5000):
            chunk.append(tuple(_plain(v) for v in row))
            if len(chunk) == 50_000:
                seconds += flush()
                count += len(chunk)
                chunk = []
        if chunk:
            seconds += flush()
            count += len(chunk)
        t0 = time.perf_counter()
        conn.execute("COMMIT")
        seconds += time.perf_counter() - t0
    finally:
        conn.close()
        path.unlink(missing_ok=True)
    return {
        "rows": count,
        "columns": len(columns),
        "rows_per_second": round(count / seconds, 1) if seconds else 0.0,
    }


def timed(call: Any, repetitions: int, *, warmups: int = 2, digits: int = 2) -> dict[str, float]:
    """Median and p95 wall time of `call()` in milliseconds, after `warmups` calls not counted
    (the page benchmarks time Django test-client requests with it)."""
    for _ in range(warmups):
        call()
    samples = []
    for _ in range(repetitions):
        t0 = time.perf_counter()
        call()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return {
        "median_ms": round(statistics.median(samples), digits),
        "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)], digits),
    }


def worklist_latency(repetitions: int) -> dict[str, Any]:
    """selectors.unit_worklist(unit_id)[:50], evaluated, round-robin over the units that have
    open matters, after one warm-up pass."""
    from xinfang.matters.models import Matter
    from xinfang.matters.selectors import unit_worklist

    units = sorted(set(Matter.objects.open().values_list("lead_unit_id", flat=True)))
    if not units:
        return {"units": 0, "repetitions": 0, "median_ms": 0.0, "p95_ms": 0.0}
    for unit_id in units:
        list(unit_worklist(unit_id)[:50])
    samples = []
    for i in range(repetitions):
        t0 = time.perf_counter()
        rows = list(unit_worklist(units[i % len(units)])[:50])
        samples.append((time.perf_counter() - t0) * 1000)
        assert len(rows) <= 50
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return {
        "units": len(units),
        "repetitions": repetitions,
        "limit": 50,
        "median_ms": round(statistics.median(samples), 3),
        "p95_ms": round(p95, 3),
        "largest_worklist": max(
            Matter.objects.open().filter(lead_unit_id=u).count() for u in units
        ),
    }


def measure(
    n: int,
    *,
    batch: int = 1000,
    seed_value: int = DEFAULT_SEED,
    worklist_repetitions: int = 200,
    scratch_dir: str | None = None,
    quiet: bool = True,
) -> dict[str, Any]:
    """Everything after Django is set up: seed, baseline, worklist. Returns the JSON object."""
    from xinfang.matters.models import Matter

    result: dict[str, Any] = {
        "benchmark": "seed_and_measure",
        "machine": machine_info(),
        "n": n,
        "batch_transaction": batch,
        "seed": seed_value,
    }
    result.update(seed(n, batch=batch, seed=seed_value, quiet=quiet))
    scratch = scratch_dir or tempfile.mkdtemp(prefix="xinfang-raw-")
    try:
        baseline = raw_sqlite_baseline(scratch)
    finally:
        if scratch_dir is None:
            shutil.rmtree(scratch, ignore_errors=True)
    result["raw_sqlite_insert"] = baseline
    result["raw_sqlite_rows_per_second"] = baseline["rows_per_second"]
    service = result["registrations_per_second"]
    result["raw_over_service_ratio"] = (
        round(baseline["rows_per_second"] / service, 1) if service else None
    )
    result["matters_in_database"] = Matter.objects.count()
    result["open_matters"] = Matter.objects.open().count()
    result["worklist"] = worklist_latency(worklist_repetitions)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--matters",
        type=int,
        default=10_000,
        help="how many matters to seed (10000, 100000, 1000000; default 10000)",
    )
    parser.add_argument(
        "--database-url",
        default=None,
        help="use this database (give an empty, throw-away one) instead of a temporary SQLite file",
    )
    parser.add_argument(
        "--batch", type=int, default=1000, help="registrations per transaction (default 1000)"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--repetitions", type=int, default=200, help="worklist queries to time (default 200)"
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the temporary data directory and print where it is",
    )
    args = parser.parse_args(argv)
    if args.matters < 1 or args.batch < 1:
        parser.error("--matters and --batch must be at least 1")

    tmp = setup_django(args.database_url)
    try:
        result = measure(
            args.matters,
            batch=args.batch,
            seed_value=args.seed,
            worklist_repetitions=args.repetitions,
            quiet=False,
        )
    finally:
        if tmp and not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        elif tmp:
            _log(f"kept {tmp}")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
