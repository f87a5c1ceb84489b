"""Matters: register, list, read, and reveal a petitioner's identifier (logged).

No `from __future__ import annotations` here: @paginate wraps matter_list, and ninja resolves
the wrapper's string annotations in ninja's module, where MatterFilters is unknown. Real
annotations work everywhere in this module (Python 3.11), so they are used throughout.
"""

from typing import Any

from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PaginationBase, paginate

from xinfang.api.auth import caller
from xinfang.api.lookups import (
    fields_renamed,
    find_category,
    find_region,
    find_unit,
    find_units,
    get_matter,
)
from xinfang.api.present import DETAIL_RELATED, matter_detail, matter_summary
from xinfang.api.schemas import (
    ErrorOut,
    MatterDetail,
    MatterFilters,
    MatterRefPath,
    MatterSummary,
    RegisterIn,
    RevealIn,
    RevealOut,
)
from xinfang.matters import services
from xinfang.matters.errors import NotFound
from xinfang.matters.models import OPEN_STATES, Matter
from xinfang.matters.selectors import visible_matters

router = Router(tags=["信访事项"])

ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


def detail_of(request: HttpRequest, pk: int) -> dict[str, Any]:
    """The matter after an action, fresh from the database. The caller was just allowed to act
    on it, so this does not ask again whether they may see it."""
    matter = Matter.objects.select_related(*DETAIL_RELATED).get(pk=pk)
    return matter_detail(caller(request), matter)


class Page(PaginationBase):
    """limit/offset, with items shaped like MatterSummary."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=200, description="每页条数（1–200）")
        offset: int = Field(0, ge=0, description="从第几条开始（0起）")

    def paginate_queryset(
        self,
        queryset: QuerySet[Matter],
        pagination: Input,
        request: HttpRequest,
        **params: Any,
    ) -> Any:
        today = timezone.localdate()
        page = queryset[pagination.offset : pagination.offset + pagination.limit]
        return {
            "items": [matter_summary(m, today) for m in page],
            "count": queryset.count(),
        }


@router.post(
    "/matters",
    response={201: MatterDetail, **ERRORS},
    summary="登记信访事项",
    description="登记来信、来访、网上、电话、传真或上级转来的信访事项，返回事项详情。",
)
def register(request: HttpRequest, payload: RegisterIn) -> Status:
    user = caller(request)
    with fields_renamed(at="received_at", office="office_id", accused_units="accused_unit_ids"):
        matter = services.matter_register(
            actor=user,
            channel=payload.channel.value,
            received_at=payload.received_at,
            title=payload.title,
            content=payload.content,
            type=payload.type.value,
            category=find_category(payload.category),
            region=find_region(payload.region),
            petitioners=[
                services.PetitionerInput(
                    name=p.name,
                    phone=p.phone,
                    id_number=p.id_number,
                    address=p.address,
                    email=p.email,
                )
                for p in payload.petitioners
            ],
            is_collective=payload.is_collective,
            head_count=payload.head_count,
            source_reference=payload.source_reference,
            accused_units=find_units(payload.accused_unit_ids, "accused_unit_ids"),
            office=find_unit(payload.office_id, "office_id"),
        )
    return Status(201, detail_of(request, matter.pk))


@router.get(
    "/matters",
    response={200: list[MatterSummary], 401: ErrorOut, 422: ErrorOut},
    summary="我可见的信访事项",
    description="按最近届满日排列（无期限的排在最后）；limit/offset 分页。",
)
@paginate(Page)
def matter_list(request: HttpRequest, filters: Query[MatterFilters]) -> QuerySet[Matter]:
    matters = visible_matters(caller(request))
    if filters.state is not None:
        matters = matters.filter(state=filters.state.value)
    if filters.open is True:
        matters = matters.filter(state__in=OPEN_STATES)
    elif filters.open is False:
        matters = matters.exclude(state__in=OPEN_STATES)
    if filters.unit_id is not None:
        matters = matters.filter(lead_unit_id=filters.unit_id)
    return matters.select_related("office", "lead_unit").order_by(
        F("due_date").asc(nulls_last=True), "id"
    )


@router.get(
    "/matters/{ref}",
    response={200: MatterDetail, **ERRORS},
    summary="信访事项详情",
    description="`ref` 为事项ID（如 `42`）或URL编码后的事项编号（如 `清信〔2026〕1号` 编码为 "
    "`%E6%B8%85%E4%BF%A1%E3%80%942026%E3%80%951%E5%8F%B7`）。返回事项、信访人（已脱敏；"
    "检举控告人的身份对无权知悉者保密）、各项期限、时间线和附件。",
)
def matter_get(request: HttpRequest, ref: MatterRefPath) -> dict[str, Any]:
    user = caller(request)
    return detail_of(request, get_matter(user, ref).pk)


# POST, not GET: every reveal writes the access log, so it must not be triggered by a link, a
# prefetch or another site riding on the session (POST needs the CSRF token there).
@router.post(
    "/matters/{ref}/petitioners/{pid}/reveal",
    response={200: RevealOut, **ERRORS},
    summary="查看未脱敏的身份证号码或电话",
    description="每次查看都记入访问日志（查看人、事项、信访人、项目、时间、目的）。",
)
def petitioner_reveal(
    request: HttpRequest,
    response: HttpResponse,
    ref: MatterRefPath,
    pid: int,
    payload: RevealIn,
) -> dict[str, str]:
    user = caller(request)
    matter = get_matter(user, ref)
    petitioner = matter.petitioners.filter(pk=pid).first()
    if petitioner is None:
        raise NotFound(_("没有找到该信访人。"))
    value = services.petitioner_reveal(
        petitioner=petitioner, actor=user, field=payload.field, purpose=payload.purpose
    )
    # An unmasked identifier must not linger in a browser or proxy cache.
    response["Cache-Control"] = "no-store"
    return {"value": value}
