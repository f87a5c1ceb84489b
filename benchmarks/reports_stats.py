"""Server time of the statistics pages (/reports/) on a seeded database; print one JSON object.

    python benchmarks/reports_stats.py --data-dir /tmp/xinfang-bench-XXXX   # a kept seed
    python benchmarks/reports_stats.py --matters 10000                      # seed one first
    python benchmarks/reports_stats.py --database-url postgres://…           # seeded if empty
    python benchmarks/reports_stats.py --data-dir … --proposed-indexes       # also with the
                                                                            # indexes proposed

The database is one made by benchmarks/seed_and_measure.py (the demo county, N matters received
over the past year through the services, a third forwarded or assigned, some accepted). Each
page is requested `--repetitions` times (default 30) with Django's test Client after two
warm-ups; the figures are the median and p95 of the wall time of `client.get`: everything the
server does (URL routing, middleware, session, queries, templates), without a network.

`registrar` works at the county petition bureau and sees the whole county; `unit_lead` leads
the county human resources bureau (a department: its own matters and those sent to it).

With --proposed-indexes the pages are measured a second time after creating, by plain SQL on
this benchmark database only, the indexes the statistics would like (see PROPOSED): the JSON
then shows both, so the gain can be judged before a migration adds them.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import seed_and_measure as sm  # noqa: E402  (the seeding and machine description we share)

# (name, SQL): created only with --proposed-indexes, on the benchmark's database.
PROPOSED = [
    (
        "matter_lead_received",
        "CREATE INDEX IF NOT EXISTS matter_lead_received "
        "ON matters_matter (lead_unit_id, received_at)",
    ),
    (
        "event_kind_occurred",
        "CREATE INDEX IF NOT EXISTS event_kind_occurred ON matters_event (kind, occurred_at)",
    ),
]


TOTAL = re.compile(r'<a href="[^"]*" data-count="(\d+)"')


def _pages() -> list[tuple[str, str, str, dict[str, str]]]:
    from django.utils import timezone

    from xinfang.reports.periods import default_period

    today = timezone.localdate()
    last = default_period(today)
    month = f"{last.start.year}-{last.start.month:02d}"
    this_year = str(today.year)
    return [
        ("statistics, last full month (default)", "registrar", "/reports/", {}),
        ("statistics, last full month (default)", "unit_lead", "/reports/", {}),
        (
            "statistics, last full month, one responsible unit",
            "registrar",
            "/reports/",
            {"period": "month", "month": month, "unit": "@dept"},
        ),
        (
            "statistics, this year",
            "registrar",
            "/reports/",
            {"period": "year", "year": this_year},
        ),
        ("statistics, this year", "unit_lead", "/reports/", {"period": "year", "year": this_year}),
        ("annual figures, this year", "registrar", f"/reports/annual/{this_year}/", {}),
        ("annual figures, this year", "unit_lead", f"/reports/annual/{this_year}/", {}),
        (
            "export, every table of the last full month",
            "registrar",
            "/reports/export.xlsx",
            {},
        ),
    ]


def measure_pages(repetitions: int) -> list[dict[str, Any]]:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from xinfang.org.models import Membership

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    users = {u.username: u for u in get_user_model().objects.all()}
    dept = Membership.objects.filter(user=users["unit_lead"]).values_list("unit_id", flat=True)[0]
    clients: dict[str, Client] = {}
    results = []
    for label, username, path, query in _pages():
        client = clients.get(username)
        if client is None:
            client = clients[username] = Client()
            client.force_login(users[username])
        params = {k: (str(dept) if v == "@dept" else v) for k, v in query.items()}
        url = path + ("?" + urlencode(params) if params else "")
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} as {username}: HTTP {response.status_code}")
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        found = TOTAL.search(response.content.decode()) if "xlsx" not in url else None
        results.append(
            {
                "page": label,
                "user": username,
                "url": url,
                # The first figure of the page: matters received in the period (or the year).
                "matters_counted": int(found.group(1)) if found else None,
                "queries": len(queries.captured_queries),
                **sm.timed(lambda c=client, u=url: c.get(u), repetitions),
            }
        )
    return results


def create_proposed_indexes() -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        for _name, sql in PROPOSED:
            cursor.execute(sql)
        cursor.execute("ANALYZE" if connection.vendor == "postgresql" else "PRAGMA optimize")
    return [name for name, _sql in PROPOSED]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--data-dir", help="a directory kept by seed_and_measure.py --keep")
    source.add_argument("--database-url", help="an already seeded database")
    parser.add_argument("--matters", type=int, default=10_000, help="seed this many first")
    parser.add_argument("--repetitions", type=int, default=30, help="requests per page (≥20)")
    parser.add_argument("--keep", action="store_true", help="keep a directory seeded here")
    parser.add_argument(
        "--proposed-indexes",
        action="store_true",
        help="measure again after creating the proposed indexes (benchmark database only)",
    )
    args = parser.parse_args(argv)
    if args.repetitions < 20:
        parser.error("--repetitions must be at least 20 (a median of fewer is noise)")

    made = None
    seeding: dict[str, Any] | None = None
    if args.data_dir:
        os.environ["XINFANG_DATA_DIR"] = args.data_dir
        sm.setup_django(f"sqlite:///{Path(args.data_dir).resolve()}/bench.sqlite3")
    elif args.database_url:
        sm.setup_django(args.database_url)
        from xinfang.matters.models import Matter

        if not Matter.objects.exists():
            seeding = sm.seed(args.matters, batch=1000, seed=sm.DEFAULT_SEED, quiet=False)
    else:
        made = sm.setup_django(None)
        seeding = sm.seed(args.matters, batch=1000, seed=sm.DEFAULT_SEED, quiet=False)
    try:
        from xinfang.matters.models import Event, Matter

        result: dict[str, Any] = {
            "machine": sm.machine_info(),
            "matters_in_database": Matter.objects.count(),
            "events_in_database": Event.objects.count(),
            "repetitions": args.repetitions,
            "what": "wall time of django.test.Client.get: the whole server side of the request",
        }
        if seeding:
            result["seeding"] = seeding
        result["existing_indexes"] = measure_pages(args.repetitions)
        if args.proposed_indexes:
            result["proposed_indexes"] = create_proposed_indexes()
            result["with_proposed_indexes"] = measure_pages(args.repetitions)
    finally:
        if made and not args.keep:
            shutil.rmtree(made, ignore_errors=True)
        elif made:
            sm._log(f"kept {made}")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    tempfile.tempdir = tempfile.tempdir or "/tmp"
    sys.exit(main())
