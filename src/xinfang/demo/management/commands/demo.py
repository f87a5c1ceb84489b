"""`xinfang demo`: load the fictional county of 清河县 with staff accounts and a year of matters."""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from xinfang.demo.data import DEMO_PASSWORD
from xinfang.demo.documents import issue_demo_documents
from xinfang.demo.org import Org, build_org
from xinfang.demo.seed import DEFAULT_SEED, seed_matters
from xinfang.matters.models import Matter, State

URL = "http://127.0.0.1:8000"


class Command(BaseCommand):
    help = (
        "Load a fictional county (清河县) with one account per role and a year of petition matters "
        "in every state, all made through the services. Development only; safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--matters",
            type=int,
            default=300,
            help="how many matters to create on an empty database (default 300)",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help="random seed: the same seed gives the same matters",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="run even though neither XINFANG_DEV nor XINFANG_DEBUG is set",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not (getattr(settings, "DEV", False) or settings.DEBUG or options["force"]):
            raise CommandError(
                "演示数据只用于开发环境：请设置 XINFANG_DEV=1（或 XINFANG_DEBUG=1），"
                "或确认后加 --force。The demo loads accounts with a published password; "
                "it refuses to run outside development."
            )
        if options["matters"] < 0:
            raise CommandError("--matters must be 0 or more.")
        self.verbosity = options["verbosity"]
        started = time.perf_counter()
        with transaction.atomic():
            org = build_org()
            existing = Matter.objects.count()
            documents = 0
            if existing:
                seeded = 0
            else:
                seeded = len(
                    seed_matters(
                        org, count=options["matters"], seed=options["seed"], progress=self._progress
                    )
                )
                if seeded:
                    documents = issue_demo_documents(org)
        elapsed = time.perf_counter() - started
        self._report(org, existing, seeded, elapsed, documents)

    def _progress(self, done: int, total: int) -> None:
        if self.verbosity >= 2 and (done % 50 == 0 or done == total):
            self.stdout.write(f"  {done}/{total} matters")

    def _report(
        self, org: Org, existing: int, seeded: int, elapsed: float, documents: int = 0
    ) -> None:
        out = self.stdout.write
        made = ", ".join(f"{n} {what}" for what, n in org.created.items()) or "nothing new"
        out(f"Organisation: {made}.")
        if existing:
            out(
                f"Matters: {existing} already present, none added "
                "(the demo only seeds an empty database)."
            )
        else:
            counts = Counter(Matter.objects.values_list("state", flat=True))
            by_state = ", ".join(f"{State(s).label} {counts[s]}" for s in State.values if counts[s])
            out(f"Matters: {seeded} created through the services ({by_state}).")
            if documents:
                out(f"Documents: {documents} issued (notices, letters and last month's bulletin).")
        out(f"Done in {elapsed:.1f}s.\n")

        listed = [a for a in org.accounts if a.listed]
        width = max(len(a.username) for a in listed) + 2
        heading = f"演示账号 / Demo logins — password for all: {DEMO_PASSWORD}"
        out(self.style.MIGRATE_HEADING(heading))
        out(f"  {'username'.ljust(width)}{'role'.ljust(22)}unit / 用途")
        for a in listed:
            out(f"  {a.username.ljust(width)}{a.role.ljust(22)}{a.unit} · {a.name} · {a.title}")
        others = [a for a in org.accounts if not a.listed]
        if others:
            out(
                f"  …and {len(others)} more staff accounts, one head and one handler per body "
                "(e.g. cgj_lead, cgj_handler for 县城管局; jw_lead, fy_handler), same password."
            )
        out("")
        out(self.style.SUCCESS(f"Open {URL} and log in (run: xinfang runserver)."))
        out(self.style.SUCCESS(f"The public portal, for petitioners: {URL}/portal/"))
        out(
            self.style.SUCCESS(
                f"Statistics, service quality, documents and ledgers: {URL}/reports/"
            )
        )
