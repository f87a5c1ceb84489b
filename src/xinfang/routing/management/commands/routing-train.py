"""`xinfang routing-train`: train the office's classifier on its confirmed routings."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xinfang.matters.errors import DomainError
from xinfang.routing.core import evaluate
from xinfang.routing.management.commands._office import find_office
from xinfang.routing.services.training import routing_train


class Command(BaseCommand):
    help = (
        "Train the routing classifier on the office's confirmed routings (or on a labelled "
        "JSONL file with --file) and store it as a new model version; the server loads it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--office", help="the petition office (unit name); default: the main one"
        )
        parser.add_argument(
            "--segmentation",
            choices=["chars", "jieba", "auto"],
            default="chars",
            help="character n-grams (default), jieba words, or whichever cross-validates better",
        )
        parser.add_argument("--file", help="train on this labelled JSONL file instead")

    def handle(self, *args: Any, **options: Any) -> None:
        office = find_office(options["office"])
        if office is None:
            raise CommandError("no petition office: create one, or name a unit with --office")
        rows = evaluate.read_jsonl(options["file"]) if options["file"] else None
        try:
            version = routing_train(office=office, segmentation=options["segmentation"], rows=rows)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            json.dumps(
                {
                    "office": office.name,
                    "version": version.number,
                    "items": version.items,
                    "segmentation": version.segmentation,
                    "file": version.path,
                    "metrics": version.metrics,
                },
                ensure_ascii=False,
            )
        )
