"""Excel ledgers: export of 10k and 100k rows, import of 1,000 rows; prints one JSON object.

    .venv/bin/python benchmarks/reports_ledger.py [--seed-matters 10000] [--export 10000,100000]
        [--import-rows 1000] [--database-url URL] [--keep]

Works like seed_and_measure.py (whose setup and seeding it reuses): a fresh temporary SQLite
data directory unless --database-url names a throw-away database. It registers --seed-matters
matters through the services (a share forwarded, assigned, accepted), and for export sizes
beyond that copies those matters with their petitioners in bulk (new numbers; the export reads
the same columns, so the copies cost what real rows cost). Each export is timed as the view
does it: the director's visible matters (the whole county), rows read in chunks, streamed into
the sheet's XML in a temporary file (xinfang.reports.ledger.sheet).

The import builds a ledger of --import-rows fictional petitions (the demo's templates, each
with its own petitioner, a third sent on to the responsible unit) and times the dry run and the
import proper at the county petition bureau, both with the repeat look-up on (as the page runs
them). Figures: seconds, rows per second, file size, peak resident memory of the process.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import resource
import shutil
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed_and_measure import _log, machine_info, seed, setup_django

CHUNK = 5000


def _grow_to(n: int) -> int:
    """Copy existing matters (and their petitioners) until there are n. Returns the count."""
    from django.db import transaction

    from xinfang.matters.models import Matter, Petitioner
    from xinfang.matters.services.registration import new_query_code

    have = Matter.objects.count()
    if have >= n:
        return have
    sources = list(Matter.objects.order_by("pk").values_list("pk", flat=True))
    office_seq: dict[tuple[int, int], int] = {}
    for office_id, year, seq in Matter.objects.values_list("office_id", "year", "seq"):
        office_seq[(office_id, year)] = max(office_seq.get((office_id, year), 0), seq)
    made = 0
    need = n - have
    while made < need:
        batch_ids = sources[: min(CHUNK, need - made)]
        with transaction.atomic():
            originals = list(Matter.objects.filter(pk__in=batch_ids).select_related("office"))
            copies = []
            for m in originals:
                key = (m.office_id, m.year)
                office_seq[key] += 1
                seq = office_seq[key]
                copy = Matter(
                    **{
                        f.attname: getattr(m, f.attname)
                        for f in Matter._meta.concrete_fields
                        if f.attname not in ("id", "seq", "number", "query_code")
                    }
                )
                copy.seq = seq
                copy.number = f"{m.office.short_name}〔{m.year}〕{seq}号"
                copy.query_code = new_query_code()
                copies.append(copy)
            Matter.objects.bulk_create(copies, batch_size=1000)
            by_source = {o.pk: c for o, c in zip(originals, copies, strict=True)}
            people = []
            for p in Petitioner.objects.filter(matter_id__in=batch_ids):
                p.pk = None
                p.matter = by_source[p.matter_id]
                people.append(p)
            Petitioner.objects.bulk_create(people, batch_size=1000)
        made += len(copies)
    return Matter.objects.count()


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def measure_export(rows: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from xinfang.desk.selectors import ListFilters, matter_list
    from xinfang.reports.ledger.export import ledger_rows, write_ledger

    total = _grow_to(rows)
    director = get_user_model().objects.get(username="director")
    qs = matter_list(director, ListFilters(sort="-received"))[:rows]
    t0 = time.perf_counter()
    handle = write_ledger(ledger_rows(director, qs), title="台账")
    seconds = time.perf_counter() - t0
    size = handle.seek(0, io.SEEK_END)
    handle.close()
    return {
        "rows": rows,
        "matters_in_database": total,
        "seconds": round(seconds, 2),
        "rows_per_second": round(rows / seconds, 1),
        "file_bytes": size,
        "peak_rss_mb_so_far": _peak_mb(),
    }


def _ledger(n: int, seed_value: int) -> bytes:
    from django.utils import timezone
    from openpyxl import Workbook

    from xinfang.demo.org import build_org
    from xinfang.demo.petitions import compose
    from xinfang.demo.seed import registration_kwargs
    from xinfang.demo.texts import TEMPLATES
    from xinfang.matters.models import Channel, MatterType

    org = build_org()
    rng = random.Random(seed_value)
    now = timezone.localtime()
    channel_names = dict(Channel.choices)
    type_names = dict(MatterType.choices)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    ws.append(
        ["编号", "收到日期", "来源", "类型", "问题类别", "属地", "事由", "主要内容", "姓名",
         "联系方式", "身份证号", "住址", "人数", "责任单位", "状态"]
    )  # fmt: skip
    from django.utils import translation

    with translation.override("zh-hans"):
        for i in range(n):
            filing = compose(rng, rng.randrange(len(TEMPLATES)), today=now.date())
            received = now - timedelta(days=rng.uniform(1, 60))
            kw = registration_kwargs(org, filing, office="bureau", received_at=received)
            people = kw["petitioners"]
            first = people[0] if people else None
            sent = rng.random() < 0.33 and filing.unit in org.units
            ws.append(
                [
                    f"BENCH-{i + 1:05d}",
                    received.strftime("%Y-%m-%d %H:%M"),
                    str(channel_names[kw["channel"]]),
                    str(type_names[kw["type"]]),
                    kw["category"].name,
                    kw["region"].name,
                    kw["title"],
                    # Each row its own: the demo's templates repeat, a ledger's rows do not.
                    f"{kw['content']}（台账第{i + 1}件）",
                    "、".join(p.name for p in people),
                    first.phone if first else "",
                    first.id_number if first else "",
                    first.address if first else "",
                    kw["head_count"] or max(len(people), 1),
                    org.units[filing.unit].name if sent else "",
                    "转送" if sent else "登记",
                ]
            )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def measure_import(n: int, seed_value: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from xinfang.matters.models import Matter
    from xinfang.org.models import Unit
    from xinfang.reports.ledger import columns, importer

    data = _ledger(n, seed_value)
    registrar = get_user_model().objects.get(username="registrar")
    bureau = Unit.objects.get(memberships__user=registrar, memberships__role="registrar")
    table = importer.read_table(data)
    mapping = columns.propose_mapping(table.headers)
    before = Matter.objects.count()
    result: dict[str, Any] = {"rows": n, "file_bytes": len(data)}
    for label, dry in (("dry_run", True), ("import", False)):
        t0 = time.perf_counter()
        outcome = importer.run_import(
            data=data, mapping=mapping, actor=registrar, office=bureau, dry_run=dry
        )
        seconds = time.perf_counter() - t0
        result[label] = {
            "seconds": round(seconds, 2),
            "rows_per_second": round(n / seconds, 1),
            "errors": len(outcome.errors),
            "repeat_warnings": len(outcome.warnings),
        }
        if outcome.errors:
            result[label]["first_errors"] = [
                f"row {p.row} {p.column}: {p.reason}" for p in outcome.errors[:5]
            ]
    result["matters_added"] = Matter.objects.count() - before
    result["peak_rss_mb_so_far"] = _peak_mb()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed-matters", type=int, default=10_000)
    parser.add_argument("--export", default="10000,100000", help="row counts, comma-separated")
    parser.add_argument("--import-rows", type=int, default=1000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--seed", type=int, default=20260301)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.export.split(",") if s.strip())

    tmp = setup_django(args.database_url)
    try:
        _log(f"seeding {args.seed_matters} matters through the services…")
        seeding = seed(args.seed_matters, batch=1000, seed=args.seed, quiet=False)
        # Import first, on the seeded county: the repeat look-up then searches real data.
        _log(f"importing a ledger of {args.import_rows} rows…")
        imported = measure_import(args.import_rows, args.seed + 1)
        exports = []
        for size in sizes:
            _log(f"exporting {size} rows…")
            exports.append(measure_export(size))
        result = {
            "benchmark": "reports_ledger",
            "machine": machine_info(),
            "seeded_through_services": args.seed_matters,
            "seeding_wall_seconds": seeding["seeding_wall_seconds"],
            "note": (
                "export sizes above the seeded count are reached by bulk copies of the seeded "
                "matters and their petitioners; the import runs with the repeat look-up on"
            ),
            "import": imported,
            "export": exports,
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
