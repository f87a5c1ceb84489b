"""Delete ledger uploads that were never imported (they hold ID numbers and phones in the clear).

    xinfang ledger_purge_uploads [--hours 24]

Uploads are also purged on every new upload; run this daily from cron so that an office that
stops uploading does not keep abandoned files.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xinfang.reports.ledger.importer import KEEP_UPLOADS, purge_uploads


class Command(BaseCommand):
    help = "Delete uploaded ledgers older than --hours (default 24) that were never imported."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--hours",
            type=float,
            default=KEEP_UPLOADS.total_seconds() / 3600,
            help="delete uploads older than this many hours (default 24)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = purge_uploads(timedelta(hours=options["hours"]))
        self.stdout.write(f"deleted {deleted} uploaded ledger file(s)")
