"""`xinfang holidays`: see which years the working-day calendar covers, and load a year's
official schedule (国务院办公厅关于部分节假日安排的通知) for a year the bundled package lacks."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xinfang.deadlines.calendar import WorkingCalendar
from xinfang.deadlines.models import CoveredYear, HolidayOverride
from xinfang.deadlines.services import holidays_load
from xinfang.matters.errors import DomainError

_OFF = {"off", "休", "holiday", "0"}
_WORK = {"work", "班", "workday", "1"}


def parse_schedule(path: Path) -> list[tuple[date, bool, str]]:
    """CSV rows `date,kind,name`: kind is off/休 (a day off) or work/班 (an adjusted working
    day). Lines starting with # are comments."""
    days = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for number, row in enumerate(csv.reader(fh), start=1):
            if not row or not row[0].strip() or row[0].lstrip().startswith("#"):
                continue
            try:
                day = date.fromisoformat(row[0].strip())
            except ValueError as exc:
                raise CommandError(
                    f"{path}:{number}: {row[0]!r} is not a date (YYYY-MM-DD)"
                ) from exc
            kind = row[1].strip().lower() if len(row) > 1 else ""
            if kind not in _OFF | _WORK:
                raise CommandError(f"{path}:{number}: kind must be off/休 or work/班, not {kind!r}")
            days.append((day, kind in _WORK, row[2].strip() if len(row) > 2 else ""))
    return days


class Command(BaseCommand):
    help = "Show the calendar's coverage, or load an official holiday schedule for a year."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        show = sub.add_parser("show", help="Which years are covered, and by what.")
        show.add_argument("--from", dest="first", type=int, default=date.today().year - 1)
        show.add_argument("--to", dest="last", type=int, default=date.today().year + 2)
        load = sub.add_parser("load", help="Load one year's schedule from a CSV file.")
        load.add_argument("file", type=Path)
        load.add_argument("--year", type=int, required=True)
        load.add_argument(
            "--source",
            required=True,
            help="Where the schedule comes from, e.g. the State Council notice.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "load":
            days = parse_schedule(options["file"])
            try:
                moved = holidays_load(year=options["year"], days=days, source=options["source"])
            except DomainError as exc:
                raise CommandError(exc.message) from exc
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded {len(days)} days for {options['year']}; {moved} due dates moved."
                )
            )
            return
        overrides = dict(HolidayOverride.objects.values_list("day", "is_workday"))
        loaded = {c.year: c.source for c in CoveredYear.objects.all()}
        calendar = WorkingCalendar(overrides, loaded)
        for year in range(options["first"], options["last"] + 1):
            if year in loaded:
                state = f"loaded by an administrator ({loaded[year]})"
            elif calendar.covers(year):
                state = "covered by the chinese-calendar package"
            else:
                state = "NOT COVERED: clocks running into it show a warning; load it"
            self.stdout.write(f"{year}: {state}")
