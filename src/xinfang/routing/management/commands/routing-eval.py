"""`xinfang routing-eval FILE.jsonl`: measure routing on labelled petitions, print JSON."""

from __future__ import annotations

import json
import platform
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xinfang.routing import store
from xinfang.routing.core import evaluate
from xinfang.routing.core import units as core_units
from xinfang.routing.directory import named_directory
from xinfang.routing.management.commands._office import find_office


def demo_directory() -> evaluate.Directory:
    """The demo county's bodies (xinfang.demo.data), when the database has no office."""
    from xinfang.demo import data

    units = [
        core_units.UnitInfo(key=name, name=name, kind=kind)
        for _, name, _, kind in data.DEPARTMENTS + data.INDEPENDENT
    ]
    units += [
        core_units.UnitInfo(key=gov, name=gov, kind="township", township=township)
        for township, gov, _, _ in data.TOWNSHIPS
    ]
    townships = [township for township, *_ in data.TOWNSHIPS]
    return evaluate.directory_from(units, townships, core_units.default_rules(units))


class Command(BaseCommand):
    help = (
        "Evaluate routing (type, category, unit, 诉访分离, repeats, clusters) on a labelled "
        "JSONL file and print JSON. Without options: what the server uses now."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="labelled petitions, one JSON object a line")
        parser.add_argument("--train", metavar="OTHER", help="train on this other file first")
        parser.add_argument("--cv", type=int, metavar="K", help="K-fold cross-validation")
        parser.add_argument(
            "--segmentation", choices=["chars", "jieba"], default="chars", help="for --train/--cv"
        )
        parser.add_argument("--office", help="the office whose units and model to use")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["train"] and options["cv"]:
            raise CommandError("--train and --cv exclude each other")
        if options["cv"] is not None and options["cv"] < 2:
            raise CommandError("--cv needs K ≥ 2")
        try:
            rows = evaluate.read_jsonl(options["file"])
            train_rows = evaluate.read_jsonl(options["train"]) if options["train"] else None
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        missing = [i for i, r in enumerate(rows, 1) if "category" not in r or "type" not in r]
        if missing:
            raise CommandError(f"line {missing[0]}: needs at least type and category")
        office = find_office(options["office"])
        if office is not None:
            d = named_directory(office)
            classifier = store.classifier_for(office.pk)
        else:
            d = demo_directory()
            classifier = store.RULES
        try:
            result = evaluate.evaluate(
                rows,
                d,
                classifier=classifier,
                train_rows=train_rows,
                cv=options["cv"],
                segmentation=options["segmentation"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        result["office"] = office.name if office else "demo county (no office in the database)"
        result["machine"] = (
            f"{platform.machine()} {platform.system()}, Python {platform.python_version()}"
        )
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
