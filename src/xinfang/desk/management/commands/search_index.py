"""`xinfang search_index rebuild`: fill the full-text index again from the matters.

Registration keeps the index in step; rebuild after loading matters by other means than the
models (a raw SQL import) or to check that nothing is missing (it prints the count).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from xinfang.desk import search
from xinfang.matters.models import Matter


class Command(BaseCommand):
    help = "Rebuild the full-text search index of matters' titles and content."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild"])

    def handle(self, *args: Any, **options: Any) -> None:
        rows = Matter.objects.order_by("pk").values_list("pk", "title", "content")
        with transaction.atomic():
            count = search.rebuild(rows.iterator(chunk_size=2000))
        self.stdout.write(f"{count}")
