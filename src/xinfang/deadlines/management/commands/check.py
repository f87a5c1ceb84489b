"""`xinfang check`: Django's system checks, then Xinfang's own data checks.

The data checks recompute every matter's due date from its timeline and compare it with the
stored one, and verify the timeline's hash chain. Either failing exits non-zero.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.core.management.commands.check import Command as DjangoCheck
from django.db import connection

from xinfang.audit.chain import verify_all
from xinfang.deadlines.services import find_drift, recompute_due_dates


class Command(DjangoCheck):
    help = DjangoCheck.help + " Then verify stored due dates and the timeline hash chain."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--no-data",
            action="store_true",
            help="Only Django's system checks; skip the data checks.",
        )
        parser.add_argument(
            "--fix-due-dates",
            action="store_true",
            help="Recompute drifted due dates (the timeline is never changed).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        super().handle(*args, **options)
        if options["no_data"]:
            return
        if "matters_matter" not in connection.introspection.table_names():
            self.stdout.write("Data checks skipped: the database is not migrated yet.")
            return
        problems = 0
        drifts = find_drift()
        if drifts and options["fix_due_dates"]:
            fixed = recompute_due_dates()
            self.stdout.write(self.style.WARNING(f"Recomputed {fixed} drifted due dates."))
            drifts = find_drift()
        for drift in drifts[:50]:
            self.stdout.write(
                self.style.ERROR(
                    f"Due date drifted: {drift.number}: stored {drift.stored}, "
                    f"events give {drift.computed}"
                )
            )
        problems += len(drifts)
        breaks = verify_all()
        for brk in breaks[:50]:
            self.stdout.write(
                self.style.ERROR(
                    f"Timeline broken: matter id {brk.matter_id} event #{brk.seq}: {brk.reason}"
                )
            )
        problems += len(breaks)
        if problems:
            raise CommandError(
                f"{len(drifts)} drifted due dates, {len(breaks)} timeline breaks. "
                "Run with --fix-due-dates to recompute due dates; a timeline break means a row "
                "was changed outside Xinfang: restore it from backup."
            )
        self.stdout.write(
            self.style.SUCCESS(
                "Data checks passed: every stored due date matches its timeline; "
                "every timeline hash chain verifies."
            )
        )
