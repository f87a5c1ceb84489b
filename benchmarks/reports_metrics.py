"""Server time of the service-quality metrics pages on a seeded database; print one JSON object.

    python benchmarks/reports_metrics.py --matters 10000          # seed 10k first (temporary)
    python benchmarks/reports_metrics.py --matters 100000
    python benchmarks/reports_metrics.py --database-url postgres://…   # seeded if empty

Seeding is benchmarks/seed_and_measure.py's (the demo county, N matters registered at the
county petition bureau over the past year through the services, a share forwarded or assigned
and accepted), followed here by replies and ratings through the services, so that every metric
has something to count: of the accepted matters, 75 % are replied 10–80 days after acceptance
(those whose day has come), and half of the replies are rated 1–20 days later.

Each page is requested `--repetitions` times (default 10) with Django's test Client after one
warm-up request; the figures are the median and p95 of the wall time of `client.get` (the whole
server side: queries, the clocks of every matter involved, rendering). `api_*` times
`scope_metrics` alone, the call the monthly bulletin makes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import seed_and_measure as sm  # noqa: E402  (the seeding and machine description we share)

REPLY_SHARE = 0.75
RATE_SHARE = 0.5


def enrich(seed: int) -> dict[str, Any]:
    """Reply to and rate a share of the accepted matters, through the services."""
    from django.db import transaction
    from django.utils import timezone

    from xinfang.demo.org import build_org
    from xinfang.matters import services
    from xinfang.matters.models import Decision, Matter, MatterType, Rating

    org = build_org()
    lead_of = {org.units[slug].pk: org.user(crew.lead) for slug, crew in org.staff.items()}
    rng = random.Random(seed)
    latest = timezone.now() - timedelta(minutes=5)
    replied = rated = 0
    t0 = time.perf_counter()
    ids = list(Matter.objects.filter(state="accepted").order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 500):
        with transaction.atomic():
            for matter in Matter.objects.filter(pk__in=ids[start : start + 500]).select_related(
                "lead_unit"
            ):
                if rng.random() >= REPLY_SHARE or matter.lead_unit_id not in lead_of:
                    continue
                accepted_at = matter.events.filter(kind="accepted").latest("seq").occurred_at
                reply_at = accepted_at + timedelta(days=rng.uniform(10, 80))
                if reply_at > latest:
                    continue
                request = matter.type == MatterType.REQUEST
                matter = services.matter_reply(
                    matter=matter,
                    actor=lead_of[matter.lead_unit_id],
                    text="经调查，答复如下。",
                    decision=rng.choice(Decision.values) if request else "",
                    basis="《信访工作条例》第三十二条" if request else "",
                    at=reply_at,
                )
                replied += 1
                rate_at = reply_at + timedelta(days=rng.uniform(1, 20))
                if rng.random() >= RATE_SHARE or rate_at > latest:
                    continue
                rating = rng.choices(Rating.values, weights=[6, 3, 1])[0]
                services.matter_rate(matter=matter, actor=None, rating=rating, at=rate_at)
                rated += 1
    return {
        "replied": replied,
        "rated": rated,
        "enrich_seconds": round(time.perf_counter() - t0, 2),
    }


def measure(repetitions: int) -> dict[str, Any]:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from xinfang.reports.metrics import Period, scope_metrics
    from xinfang.reports.metrics.selectors import candidates
    from xinfang.reports.periods import default_period

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    users = {u.username: u for u in get_user_model().objects.all()}
    today = timezone.localdate()
    month = default_period(today)
    quarter = Period.quarter(month.start.year, (month.start.month - 1) // 3 + 1)
    year = Period(today - timedelta(days=364), today)
    pages = [
        ("table, last month, county registrar", "registrar", "/reports/metrics/", month),
        ("table, last month, department lead", "unit_lead", "/reports/metrics/", month),
        ("table, quarter, county registrar", "registrar", "/reports/metrics/", quarter),
        ("table, past 365 days, county registrar", "registrar", "/reports/metrics/", year),
        (
            "drill-down, timely acceptance, last month",
            "registrar",
            "/reports/metrics/timely_acceptance/",
            month,
        ),
        ("export .xlsx, last month", "registrar", "/reports/metrics/export.xlsx", month),
    ]
    clients: dict[str, Client] = {}
    out = []
    for label, username, path, period in pages:
        client = clients.get(username)
        if client is None:
            client = clients[username] = Client()
            client.force_login(users[username])
        url = f"{path}?period={period.token}"
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} as {username}: HTTP {response.status_code}")
        previous = period.previous()
        span = Period(previous.start, period.end)
        read = candidates(users[username], span, None).count()
        out.append(
            {
                "page": label,
                "url": url,
                "matters_read (this and the previous period)": read,
                **sm.timed(lambda c=client, u=url: c.get(u), repetitions, warmups=1, digits=1),
            }
        )
    registrar = users["registrar"]
    api = {
        "api_scope_metrics_last_month": sm.timed(
            lambda: scope_metrics(registrar, month), repetitions, warmups=1, digits=1
        ),
        "api_figures_last_month": [
            {"key": v.key, "numerator": v.numerator, "denominator": v.denominator}
            for v in scope_metrics(registrar, month)
        ],
    }
    return {"pages": out, **api}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--database-url", help="a database (seeded here if empty)")
    parser.add_argument("--matters", type=int, default=10_000, help="seed this many first")
    parser.add_argument("--repetitions", type=int, default=10, help="requests per page (≥5)")
    parser.add_argument("--keep", action="store_true", help="keep the seeded directory")
    args = parser.parse_args(argv)
    if args.repetitions < 5:
        parser.error("--repetitions must be at least 5")

    made = None
    seeding: dict[str, Any] = {}
    if args.database_url:
        sm.setup_django(args.database_url)
        from xinfang.matters.models import Matter

        if not Matter.objects.exists():
            seeding = sm.seed(args.matters, batch=1000, seed=sm.DEFAULT_SEED, quiet=False)
            seeding.update(enrich(sm.DEFAULT_SEED))
    else:
        made = sm.setup_django(None)
        seeding = sm.seed(args.matters, batch=1000, seed=sm.DEFAULT_SEED, quiet=False)
        seeding.update(enrich(sm.DEFAULT_SEED))
    try:
        from django.db import connection

        from xinfang.matters.models import Event, Matter

        result: dict[str, Any] = {
            "machine": sm.machine_info(),
            "database": connection.vendor,
            "matters_in_database": Matter.objects.count(),
            "events_in_database": Event.objects.count(),
            "repetitions": args.repetitions,
            "what": "wall time of django.test.Client.get: the whole server side of the request",
        }
        if seeding:
            result["seeding"] = seeding
        result.update(measure(args.repetitions))
    finally:
        if made and not args.keep:
            shutil.rmtree(made, ignore_errors=True)
        elif made:
            sm._log(f"kept {made}")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("XINFANG_DEBUG", "0")
    tempfile.tempdir = tempfile.tempdir or "/tmp"
    sys.exit(main())
