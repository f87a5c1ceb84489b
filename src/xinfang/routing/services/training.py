"""Confirmations and training: the office's confirmed routings become a new model version."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import joblib
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from xinfang.matters.errors import Conflict, Forbidden, InvalidInput
from xinfang.matters.models import Category, Matter, MatterType, State
from xinfang.org.access import can
from xinfang.org.models import Unit
from xinfang.routing import store
from xinfang.routing.core import evaluate
from xinfang.routing.core.classify import TYPE_NAMES
from xinfang.routing.directory import named_directory, routable_units
from xinfang.routing.models import Confirmation, ModelVersion

if TYPE_CHECKING:
    from django.contrib.auth.models import User

MIN_ITEMS = 20
MIN_CATEGORIES = 2


@transaction.atomic
def routing_confirm(
    *,
    matter: Matter,
    actor: User | None,
    type: str,
    category: Category | None,
    unit: Unit,
    suggested_unit: Unit | None = None,
) -> Confirmation:
    """Record what the registrar confirmed for a matter (the screens call this when they
    forward, assign or accept with a suggestion shown): training data for the office."""
    # Training data is the office's: only those who route its matters confirm a routing
    # (not a unit the matter was sent to, which would teach the office's model its own view).
    if actor is not None and not can(actor, "can_route", matter.office_id):
        raise Forbidden(_("您没有确认该事项分办的权限。"))
    if type not in MatterType.values:
        raise InvalidInput(_("事项类型不正确。"), field="type")
    routable = {u.pk for u in routable_units(matter.office)}
    for field, given in (("unit", unit), ("suggested_unit", suggested_unit)):
        if given is not None and given.pk not in routable:
            raise InvalidInput(_("责任单位不在本单位的管辖范围内。"), field=field)
    return Confirmation.objects.create(
        matter=matter,
        office=matter.office,
        type=type,
        category=category,
        unit=unit,
        suggested_unit=suggested_unit,
        confirmed_by=actor,
        confirmed_at=timezone.now(),
    )


def confirmed_rows(office: Unit) -> list[dict[str, Any]]:
    """The office's routings that staff confirmed: its matters that were forwarded, assigned
    or accepted with a category (the unit they went to), overridden by explicit
    confirmations. In the labelled-file format of routing-eval.

    Not a routing: a matter not yet sent on, linked as a repeat, not accepted or guided to the
    legal channel (no unit took it), or one whose responsible unit is the office itself (sent
    back, or handled there)."""
    rows: dict[int, dict[str, Any]] = {}
    matters = (
        Matter.objects.filter(office=office, category__isnull=False)
        .exclude(state__in=[State.REGISTERED, State.LINKED, State.NOT_ACCEPTED, State.GUIDED])
        .exclude(lead_unit_id=F("office_id"))
        .select_related("category", "lead_unit")
        .order_by("pk")
    )
    for m in matters.iterator(chunk_size=2000):
        rows[m.pk] = _row(m.title, m.content, m.type, m.category.name, m.lead_unit.name)  # type: ignore[union-attr]
    for c in (
        Confirmation.objects.filter(office=office, category__isnull=False)
        .select_related("matter", "category", "unit")
        .order_by("confirmed_at", "pk")
    ):
        category = c.category.name if c.category is not None else ""
        rows[c.matter_id] = _row(c.matter.title, c.matter.content, c.type, category, c.unit.name)
    return list(rows.values())


def _row(title: str, content: str, type: str, category: str, unit: str) -> dict[str, Any]:
    return {
        "title": title,
        "text": content,
        "type": TYPE_NAMES.get(type, type),
        "category": category,
        "unit": unit,
    }


def choose_segmentation(
    rows: Sequence[dict[str, Any]], directory: evaluate.Directory
) -> tuple[str, dict[str, Any]]:
    """Character n-grams or jieba words: whichever cross-validates better on the office's own
    data (3 folds); characters on a tie, as they need no dictionary."""
    scores: dict[str, Any] = {}
    for segmentation in ("chars", "jieba"):
        figures, _, _ = evaluate.cross_validate(rows, directory, 3, segmentation)
        scores[segmentation] = figures["category"]["accuracy"] + figures["type"]["accuracy"]
    best = "jieba" if scores["jieba"] > scores["chars"] else "chars"
    return best, scores


def routing_train(
    *, office: Unit, segmentation: str = "chars", rows: Sequence[dict[str, Any]] | None = None
) -> ModelVersion:
    """Train on the office's confirmed routings, store the model file, record the version.
    The server picks the new version up within seconds (store.CHECK_SECONDS)."""
    rows = list(rows) if rows is not None else confirmed_rows(office)
    if len(rows) < MIN_ITEMS or len({r["category"] for r in rows}) < MIN_CATEGORIES:
        raise InvalidInput(
            _("已确认的分办不足%(n)d件（或不足两个分类），暂不训练，继续使用内置规则。")
            % {"n": MIN_ITEMS},
            field="office",
        )
    metrics: dict[str, Any] = {}
    if segmentation == "auto":
        segmentation, metrics["segmentation_cv"] = choose_segmentation(
            rows, named_directory(office)
        )
    model = evaluate.train(rows, segmentation)
    folder = store.model_dir()
    folder.mkdir(parents=True, exist_ok=True)
    # The file is written under a name of its own, then the row takes the next number; two
    # trainings at once collide on (office, number) and the later one is refused, not merged.
    with tempfile.NamedTemporaryFile(dir=folder, suffix=".joblib", delete=False) as handle:
        joblib.dump(model, handle)
    path = Path(handle.name)
    last = ModelVersion.objects.filter(office=office).aggregate(top=Max("number"))["top"] or 0
    number = last + 1
    name = f"office{office.pk}-v{number}-{path.stem[-8:]}.joblib"
    path.replace(folder / name)
    try:
        with transaction.atomic():
            return ModelVersion.objects.create(
                office=office,
                number=number,
                path=name,
                sha256=store.sha256_of(folder / name),
                trained_at=timezone.now(),
                items=len(rows),
                segmentation=segmentation,
                metrics=metrics,
            )
    except IntegrityError as exc:
        (folder / name).unlink(missing_ok=True)
        raise Conflict(_("另一次训练刚刚完成，请重新运行。")) from exc
