"""The public portal: submissions through the whole view, and whether a look-up's timing tells
a wrong code from an unknown number. Prints one JSON object.

    python benchmarks/portal_lookup.py [--matters 2000] [--lookups 400] [--database-url URL]

Without --database-url it works in a fresh temporary SQLite file (never ./var). It builds the
demo county (xinfang.demo.org), submits --matters matters through POST /portal/submit/ with
Django's test client (CSRF, form, portal_submit, registration, no attachments), then times
--lookups POSTs to /portal/lookup/ of each kind: the right pair, the right number with a wrong
code, an unknown number. Rate limits are raised for the run (they would stop it) but still
counted: every look-up counts first and is judged on the count (a success takes its count
back), as in production.

The figure that matters is the difference of the medians of "wrong code" and "unknown number":
it should be small against the spread, so that timing does not reveal whether a number exists.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed_and_measure import machine_info, setup_django


def _ms(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 3),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 3),
        "stdev_ms": round(statistics.pstdev(ordered) * 1000, 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--matters", type=int, default=2000)
    parser.add_argument("--lookups", type=int, default=400)
    parser.add_argument("--database-url")
    args = parser.parse_args(argv)
    tmp = setup_django(args.database_url)
    # Every refused look-up is a 404, which Django logs as a warning: not wanted here.
    logging.getLogger("django.request").setLevel(logging.ERROR)

    from django.conf import settings
    from django.test import Client

    from xinfang.demo.org import build_org
    from xinfang.matters.models import Matter

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.XINFANG_PORTAL_SUBMIT_HARD = settings.XINFANG_PORTAL_SUBMIT_SOFT = 10**9
    settings.XINFANG_PORTAL_LOOKUP_HARD = settings.XINFANG_PORTAL_LOOKUP_SOFT = 10**9
    settings.XINFANG_PORTAL_NUMBER_SOFT = 10**9
    build_org()
    client = Client()
    rng = random.Random(20261123)
    form = {
        "type": "request",
        "content": "某公司拖欠工人工资三个月，请求督促支付。",
        "name": "张三",
        "phone": "13800138000",
        "address": "永安镇",
        "consent": "on",
    }
    started = time.perf_counter()
    for i in range(args.matters):
        response = client.post("/portal/submit/", {**form, "title": f"拖欠工资{i}"})
        assert response.status_code == 302, response.content[:500]
    submit_seconds = time.perf_counter() - started

    matters = list(Matter.objects.values_list("number", "query_code"))
    kinds: dict[str, list[float]] = {"right_pair": [], "wrong_code": [], "unknown_number": []}
    for _ in range(args.lookups):
        number, code = rng.choice(matters)
        wrong = ("2" if code[0] != "2" else "3") + code[1:]
        unknown = number.replace("〕", "〕9")  # 清信〔2026〕917号: a number never issued
        order = [
            ("right_pair", number, code, 302),
            ("wrong_code", number, wrong, 404),
            ("unknown_number", unknown, code, 404),
        ]
        rng.shuffle(order)
        for kind, n, c, expected in order:
            t = time.perf_counter()
            response = client.post("/portal/lookup/", {"number": n, "code": c})
            kinds[kind].append(time.perf_counter() - t)
            assert response.status_code == expected, (kind, response.status_code)
    wrong_ms = statistics.median(kinds["wrong_code"]) * 1000
    unknown_ms = statistics.median(kinds["unknown_number"]) * 1000
    result: dict[str, Any] = {
        "benchmark": "portal_lookup",
        "matters": len(matters),
        "lookups_per_kind": args.lookups,
        "submissions_per_second": round(args.matters / submit_seconds, 1),
        "lookup": {kind: _ms(samples) for kind, samples in kinds.items()},
        "wrong_code_minus_unknown_number_median_ms": round(wrong_ms - unknown_ms, 3),
        "machine": machine_info(),
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if tmp:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("XINFANG_LOG_LEVEL", "WARNING")
    raise SystemExit(main())
