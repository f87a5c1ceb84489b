"""Server time of the workbench's pages on a seeded database; print one JSON object.

    python benchmarks/desk_pages.py --data-dir /tmp/xinfang-bench-XXXX   # a kept seed
    python benchmarks/desk_pages.py --matters 10000                      # seed one first
    python benchmarks/desk_pages.py --database-url postgres://…           # seeded if empty
    scripts/with-postgres.sh sh -c 'python benchmarks/desk_pages.py --database-url "$DATABASE_URL"'

The database is one made by benchmarks/seed_and_measure.py (the demo county, N matters
registered through the services, a third forwarded or assigned, some accepted); give
`--data-dir` the directory it printed with `--keep`. Without one, this script seeds
`--matters` itself, with the same code, into a temporary directory under /tmp.

Each page is requested `--repetitions` times (default 30) with Django's test Client, logged
in as the person named, after two warm-up requests; the figures are the median and p95 of the
wall time of `client.get`, i.e. everything the server does for the request (URL routing,
middleware, session, queries, template rendering), without a network. Search is also timed
at the query alone (the count of matching ids in the index) to separate index and page.
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

# (label, username, path, query): who looks at what. `registrar` works at the county petition
# bureau and sees the whole county; `unit_lead` leads the county human resources bureau.
PAGES: list[tuple[str, str, str, dict[str, str]]] = [
    ("home, county registrar", "registrar", "/", {}),
    ("home, department lead", "unit_lead", "/", {}),
    ("home, handler", "handler", "/", {}),
    ("matter page, accepted matter", "registrar", "@matter", {}),
    ("list, all visible, by due date", "registrar", "/matters/", {}),
    (
        "list, filtered: forwarded requests received in 90 days, by due date",
        "registrar",
        "/matters/",
        {"state": "forwarded", "type": "request", "received_from": "@90", "sort": "due"},
    ),
    ("list, filtered: overdue, open", "registrar", "/matters/", {"overdue": "on", "open": "on"}),
    ("list, department's open matters", "unit_lead", "/matters/", {"open": "on"}),
    ("search: village 马坊村", "registrar", "/matters/", {"q": "马坊村"}),
    ("search: two characters 拖欠", "registrar", "/matters/", {"q": "拖欠"}),
    ("search: common word 有限公司", "registrar", "/matters/", {"q": "有限公司"}),
    ("search: no match 宏达建材", "registrar", "/matters/", {"q": "宏达建材"}),
    ("search + filter: 低保 and open", "registrar", "/matters/", {"q": "低保", "open": "on"}),
]
FOUND = re.compile(r"<h2>共(\d+)件</h2>")
SEARCHES = ["马坊村", "拖欠", "有限公司", "宏达建材", "低保"]


def measure_pages(repetitions: int) -> dict[str, Any]:
    from datetime import timedelta

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from xinfang.desk import search
    from xinfang.matters.models import Matter

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    users = {u.username: u for u in get_user_model().objects.all()}
    clients: dict[str, Client] = {}
    pages = []
    since = (timezone.localdate() - timedelta(days=90)).isoformat()
    for label, username, path, query in PAGES:
        client = clients.get(username)
        if client is None:
            client = clients[username] = Client()
            client.force_login(users[username])
        params = {k: (since if v == "@90" else v) for k, v in query.items()}
        if path == "@matter":  # the latest accepted matter: clocks, timeline, action forms
            path = f"/matters/{Matter.objects.filter(state='accepted').latest('pk').pk}/"
        url = path + ("?" + urlencode(params) if params else "")
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} as {username}: HTTP {response.status_code}")
        found = FOUND.search(response.content.decode())
        timing = sm.timed(lambda c=client, u=url: c.get(u), repetitions)
        pages.append(
            {
                "page": label,
                "user": username,
                "url": url,
                "matters_found": int(found.group(1)) if found else None,
                **timing,
            }
        )
    queries = []
    for q in SEARCHES:
        ids = Matter.objects.filter(pk__in=search.matching_ids(q))
        queries.append({"query": q, "matches": ids.count(), **sm.timed(ids.count, repetitions)})
    return {"pages": pages, "search_index_alone": queries}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--data-dir", help="a directory kept by seed_and_measure.py --keep")
    source.add_argument("--database-url", help="an already seeded database")
    parser.add_argument("--matters", type=int, default=10_000, help="seed this many first")
    parser.add_argument("--repetitions", type=int, default=30, help="requests per page (≥20)")
    parser.add_argument("--keep", action="store_true", help="keep a directory seeded here")
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

        if not Matter.objects.exists():  # an empty database: seed it first
            seeding = sm.seed(args.matters, batch=1000, seed=sm.DEFAULT_SEED, quiet=False)
    else:
        made = sm.setup_django(None)
        seeding = sm.seed(args.matters, batch=1000, seed=sm.DEFAULT_SEED, quiet=False)
    try:
        from xinfang.matters.models import Matter

        result: dict[str, Any] = {
            "machine": sm.machine_info(),
            "matters_in_database": Matter.objects.count(),
            "open_matters": Matter.objects.open().count(),
            "repetitions": args.repetitions,
            "what": "wall time of django.test.Client.get: the whole server side of the request",
        }
        if seeding:
            result["seeding"] = seeding
        result.update(measure_pages(args.repetitions))
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
