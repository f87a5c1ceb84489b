"""Documents (文书): issuing notices and a monthly bulletin on a seeded county; one JSON object.

    .venv/bin/python benchmarks/reports_documents.py [--seed-matters 2000] [--issues 300]
        [--database-url URL] [--keep]

Works like seed_and_measure.py (whose setup and seeding it reuses): a fresh temporary SQLite
data directory unless --database-url names a throw-away database. It registers --seed-matters
matters through the services (a share forwarded or assigned and accepted), then issues a
受理告知书 on up to --issues accepted matters through `document_issue`, each in its own
transaction as the page does it (lock, number, render the .docx, store it under its SHA-256,
timeline event). Figures: per issue the median and p95 wall time, the share of it spent
rendering the .docx (python-docx), the file size; reading a document back with its checksum
check; and one monthly bulletin over the whole county (the metrics of the last full month).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed_and_measure import _log, machine_info, seed, setup_django


def _ms(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(p95 * 1000, 2),
        "n": len(ordered),
    }


def measure(issues: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from xinfang.matters.models import Matter, State
    from xinfang.reports.documents import services

    accepted = list(
        Matter.objects.filter(state=State.ACCEPTED).select_related("lead_unit")[:issues]
    )
    users = get_user_model().objects
    render_seconds: list[float] = []
    original = services.docx.render

    def timed_render(letter: Any) -> bytes:
        t0 = time.perf_counter()
        try:
            return original(letter)
        finally:
            render_seconds.append(time.perf_counter() - t0)

    services.docx.render = timed_render  # type: ignore[assignment]
    issue_seconds: list[float] = []
    sizes: list[int] = []
    documents = []
    try:
        for matter in accepted:
            lead = next(
                (
                    m.user
                    for m in matter.lead_unit.memberships.select_related("user")
                    if m.can_route
                ),
                None,
            )
            if lead is None:
                continue
            lead = users.get(pk=lead.pk)  # a fresh user: no cached memberships or scope
            t0 = time.perf_counter()
            document = services.document_issue(
                actor=lead, matter=matter, kind="acceptance", expected_version=None
            )
            issue_seconds.append(time.perf_counter() - t0)
            sizes.append(document.size)
            documents.append(document)
    finally:
        services.docx.render = original  # type: ignore[assignment]

    read_seconds = []
    for document in documents[:100]:
        t0 = time.perf_counter()
        services.document_bytes(document)
        read_seconds.append(time.perf_counter() - t0)

    registrar = users.get(username="registrar")
    today = timezone.localdate()
    last_month = today.replace(day=1) - timedelta(days=1)
    t0 = time.perf_counter()
    bulletin = services.bulletin_issue(
        actor=registrar,
        unit=next(m.unit for m in registrar.memberships.all() if m.can_route),
        year=last_month.year,
        month=last_month.month,
    )
    bulletin_seconds = time.perf_counter() - t0
    return {
        "issued": len(issue_seconds),
        "issue": _ms(issue_seconds),
        "render_docx": _ms(render_seconds[: len(issue_seconds)]),
        "docx_bytes_median": int(statistics.median(sizes)) if sizes else 0,
        "read_back_with_sha256_check": _ms(read_seconds),
        "bulletin": {
            "period": bulletin.period,
            "seconds": round(bulletin_seconds, 3),
            "docx_bytes": bulletin.size,
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed-matters", type=int, default=2000)
    parser.add_argument("--issues", type=int, default=300)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--seed", type=int, default=20260301)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)

    tmp = setup_django(args.database_url)
    try:
        _log(f"seeding {args.seed_matters} matters through the services…")
        seeding = seed(args.seed_matters, batch=500, seed=args.seed, quiet=False)
        _log(f"issuing up to {args.issues} notices and one bulletin…")
        figures = measure(args.issues)
        result = {
            "benchmark": "reports_documents",
            "machine": machine_info(),
            "seeded_through_services": args.seed_matters,
            "accepted_in_seed": seeding["accepted"],
            **figures,
        }
    finally:
        if tmp and not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        elif tmp:
            _log(f"kept {tmp}")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
