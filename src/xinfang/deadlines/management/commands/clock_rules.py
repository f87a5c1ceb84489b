"""`xinfang clock_rules`: the statutory clock table, and an office's changes to it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xinfang.deadlines.services import clock_rule_set, rules_for
from xinfang.matters.errors import DomainError
from xinfang.org.models import Unit


class Command(BaseCommand):
    help = "List the clock rules in force for an office, or change one."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        show = sub.add_parser("list")
        show.add_argument("--office", help="Unit name; default: the rules in force everywhere.")
        change = sub.add_parser("set")
        change.add_argument("key")
        change.add_argument("--days", type=int, required=True)
        change.add_argument("--kind", choices=["calendar", "working"], required=True)
        change.add_argument("--office", help="Unit name; default: everywhere.")
        change.add_argument("--disable", action="store_true")

    def _office(self, name: str | None) -> Unit | None:
        if not name:
            return None
        try:
            return Unit.objects.get(name=name)
        except Unit.DoesNotExist as exc:
            raise CommandError(f"No unit named {name!r}.") from exc

    def handle(self, *args: Any, **options: Any) -> None:
        office = self._office(options.get("office"))
        if options["action"] == "set":
            try:
                moved = clock_rule_set(
                    office_id=office.pk if office else None,
                    key=options["key"],
                    days=options["days"],
                    day_kind=options["kind"],
                    enabled=not options["disable"],
                )
            except DomainError as exc:
                raise CommandError(exc.message) from exc
            self.stdout.write(self.style.SUCCESS(f"Rule changed; {moved} due dates moved."))
            return
        for rule in rules_for(office.pk if office else None).values():
            state = "" if rule.enabled else "  (disabled)"
            self.stdout.write(
                f"{rule.key:18} {rule.days:>3} {rule.day_kind.value:8} {rule.label}  "
                f"{rule.article}{state}"
            )
