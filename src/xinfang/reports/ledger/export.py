"""Exporting a filtered list of matters as a ledger (.xlsx).

Rows are read in chunks (a chunk's petitioners and accused units in one query each) and streamed
into the sheet's XML in a temporary file (sheet.write_sheet), so 100,000 rows never sit in
memory at once. Text is always stored as text: a petitioner's "=..." is never a formula.

Identity is shown as the desk shows it (xinfang.matters.services.petitioners_for): ID numbers
and phones masked; an accusation's petitioners withheld as （保密） from whoever may not know
them (xinfang.matters.selectors.identity_visible, can_see_identity's rule, applied to a whole
chunk with its accused units read at once).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import date
from typing import IO, TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from xinfang.matters.models import (
    OPEN_STATES,
    Channel,
    Decision,
    Matter,
    MatterQuerySet,
    MatterType,
    Petitioner,
    Rating,
    State,
)
from xinfang.matters.selectors import identity_visible
from xinfang.matters.services.petitioners import CONFIDENTIAL
from xinfang.org.access import memberships_of
from xinfang.org.models import Membership
from xinfang.reports.ledger.sheet import write_sheet
from xinfang.reports.xlsx import display_width

if TYPE_CHECKING:
    from django.contrib.auth.models import User

CHUNK = 2000

# (label, width). The import reads these headers back (columns.FIELDS share the labels). The
# context is their own: "Category" or "Number" mean other things in other catalogues.
COLUMNS = (
    (pgettext_lazy("ledger column", "Number"), 20),
    (pgettext_lazy("ledger column", "Received"), 17),
    (pgettext_lazy("ledger column", "Channel"), 10),
    (pgettext_lazy("ledger column", "Type"), 10),
    (pgettext_lazy("ledger column", "Category"), 14),
    (pgettext_lazy("ledger column", "Region"), 12),
    (pgettext_lazy("ledger column", "Title"), 30),
    (pgettext_lazy("ledger column", "Content"), 50),
    (pgettext_lazy("ledger column", "Petitioners"), 14),
    (pgettext_lazy("ledger column", "Phone"), 14),
    (pgettext_lazy("ledger column", "ID number"), 20),
    (pgettext_lazy("ledger column", "Address"), 24),
    (pgettext_lazy("ledger column", "Collective"), 8),
    (pgettext_lazy("ledger column", "Number of people"), 8),
    (pgettext_lazy("ledger column", "Responsible unit"), 18),
    (pgettext_lazy("ledger column", "State"), 12),
    (pgettext_lazy("ledger column", "Due date"), 12),
    (pgettext_lazy("ledger column", "Overdue"), 8),
    (pgettext_lazy("ledger column", "Decision"), 10),
    (pgettext_lazy("ledger column", "Rating"), 10),
    (pgettext_lazy("ledger column", "Original number"), 18),
)

FIELDS = (
    "id",
    "number",
    "received_at",
    "channel",
    "type",
    "category__name",
    "region__name",
    "title",
    "content",
    "is_collective",
    "head_count",
    "lead_unit__name",
    "state",
    "due_date",
    "decision",
    "evaluation__rating",
    "source_reference",
    "office_id",
)


def _labels() -> dict[str, dict[str, str]]:
    """Choice labels in the current language, looked up once per export."""
    return {
        "channel": {str(v): str(label) for v, label in Channel.choices},
        "type": {str(v): str(label) for v, label in MatterType.choices},
        "state": {str(v): str(label) for v, label in State.choices},
        "decision": {str(v): str(label) for v, label in Decision.choices},
        "rating": {str(v): str(label) for v, label in Rating.choices},
    }


def ledger_rows(user: User, qs: MatterQuerySet, today: date | None = None) -> Iterator[list[Any]]:
    """The ledger's rows for the matters of `qs` (already limited to what the user sees)."""
    today = today or timezone.localdate()
    labels = _labels()
    memberships = memberships_of(user)
    withheld = _(CONFIDENTIAL)
    yes, no = pgettext("ledger column", "Yes"), pgettext("ledger column", "No")
    chunk: list[dict[str, Any]] = []
    for record in qs.values(*FIELDS).iterator(chunk_size=CHUNK):
        chunk.append(record)
        if len(chunk) >= CHUNK:
            yield from _chunk_rows(chunk, memberships, labels, withheld, yes, no, today)
            chunk = []
    if chunk:
        yield from _chunk_rows(chunk, memberships, labels, withheld, yes, no, today)


def _chunk_rows(
    chunk: list[dict[str, Any]],
    memberships: list[Membership],
    labels: dict[str, dict[str, str]],
    withheld: str,
    yes: str,
    no: str,
    today: date,
) -> Iterator[list[Any]]:
    ids = [r["id"] for r in chunk]
    people: dict[int, list[Any]] = {}
    for p in (
        Petitioner.objects.filter(matter_id__in=ids)
        .order_by("matter_id", "position")
        .values("matter_id", "name", "phone_masked", "id_masked", "address")
    ):
        people.setdefault(p["matter_id"], []).append(p)
    accusations = [r["id"] for r in chunk if r["type"] == MatterType.ACCUSATION]
    accused: dict[int, set[int]] = {}
    if accusations:
        through = Matter.accused_units.through.objects.filter(matter_id__in=accusations)
        for matter_id, unit_id in through.values_list("matter_id", "unit_id"):
            accused.setdefault(matter_id, set()).add(unit_id)
    for r in chunk:
        persons = people.get(r["id"], [])
        visible = identity_visible(
            memberships,
            type=r["type"],
            office_id=r["office_id"],
            accused=accused.get(r["id"], set()),
        )
        if persons and not visible:
            names = phones = ids_ = addresses = withheld
        else:
            names = "、".join(p["name"] for p in persons)
            phones = "、".join(p["phone_masked"] for p in persons if p["phone_masked"])
            ids_ = "、".join(p["id_masked"] for p in persons if p["id_masked"])
            addresses = "；".join(p["address"] for p in persons if p["address"])
        due = r["due_date"]
        overdue = due is not None and due < today and r["state"] in OPEN_STATES
        yield [
            r["number"],
            r["received_at"],
            labels["channel"].get(r["channel"], r["channel"]),
            labels["type"].get(r["type"], r["type"]),
            r["category__name"] or "",
            r["region__name"] or "",
            r["title"],
            r["content"],
            names,
            phones,
            ids_,
            addresses,
            yes if r["is_collective"] else no,
            r["head_count"],
            r["lead_unit__name"],
            labels["state"].get(r["state"], r["state"]),
            due,
            yes if overdue else no,
            labels["decision"].get(r["decision"], r["decision"] or ""),
            labels["rating"].get(r["evaluation__rating"] or "", ""),
            r["source_reference"],
        ]


def write_ledger(rows: Iterator[list[Any]], title: str) -> IO[bytes]:
    """The rows as a workbook in a temporary file (rewound, ready to send), written as a stream
    (sheet.write_sheet): text always text, dates as dates, a bold frozen header row."""
    headers = [str(label) for label, _w in COLUMNS]
    widths = [
        max(width, display_width(h) + 2) for h, (_l, width) in zip(headers, COLUMNS, strict=True)
    ]
    out = tempfile.TemporaryFile()  # noqa: SIM115  # the response closes it when sent
    write_sheet(out, title=title, headers=headers, widths=widths, rows=rows)
    out.seek(0)
    return out
