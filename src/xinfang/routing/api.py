"""Routing API, mounted at /api/v1/routing: suggestions, repeat candidates, clusters."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from xinfang.api.auth import caller
from xinfang.api.lookups import find_category, find_region, find_unit, get_matter
from xinfang.api.schemas import ErrorOut
from xinfang.matters.errors import NotFound
from xinfang.matters.services import PetitionerInput
from xinfang.routing import selectors
from xinfang.routing.services.rules import routing_office
from xinfang.routing.services.training import routing_confirm
from xinfang.routing.suggest import Suggestion, find_repeats, suggest, suggest_for_matter

router = Router(tags=["分办建议"])

ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class ChoiceOut(Schema):
    value: str
    label: str
    confidence: float


class UnitChoiceOut(Schema):
    unit_id: int
    unit: str
    confidence: float
    rule: str = Field(description="为何建议该单位（规则及条文）")


class SuggestionOut(Schema):
    types: list[ChoiceOut]
    categories: list[ChoiceOut]
    units: list[UnitChoiceOut]
    legal_channel: bool = Field(description="是否可能属于诉讼、仲裁、复议等法定途径（诉访分离）")
    legal_channel_reason: str
    source: str = Field(description="rules（内置规则）或 model vN（本单位训练的模型）")


class SuggestIn(Schema):
    title: str = ""
    content: str = Field(min_length=1)
    office_id: int | None = Field(None, description="登记单位；不填则为本人有登记权限的单位")
    region: str | None = Field(None, description="事项发生地的行政区划代码（乡镇9位、村12位）")


class PetitionerIn(Schema):
    name: str = ""
    phone: str = ""
    id_number: str = ""
    address: str = ""


class RepeatsIn(Schema):
    title: str = ""
    content: str = Field(min_length=1)
    petitioners: list[PetitionerIn]
    exclude: str | None = Field(None, description="不参与比对的事项（ID或编号），如正在登记的本件")


class RepeatOut(Schema):
    matter_id: int
    number: str
    title: str
    state: str
    score: float
    reasons: list[str]


class ClusterOut(Schema):
    id: int
    label: str
    size: int = Field(description="您可见的事项数（不含您无权查看的事项）")
    units: list[str]
    open: int
    overdue: int
    next_due: str | None
    last_at: str = Field(description="您可见的事项中最近一件的收到时间")


def present(s: Suggestion) -> dict[str, Any]:
    return {
        "types": [c.__dict__ for c in s.types],
        "categories": [c.__dict__ for c in s.categories],
        "units": [
            {"unit_id": u.unit.pk, "unit": u.unit.name, "confidence": u.confidence, "rule": u.rule}
            for u in s.units
        ],
        "legal_channel": s.legal_channel,
        "legal_channel_reason": s.legal_channel_reason,
        "source": s.source,
    }


@router.post(
    "/suggest",
    response={200: SuggestionOut, **ERRORS},
    summary="分办建议",
    description="根据标题和内容建议事项类型、内容分类和责任单位（各取前三，附置信度和所依据的规则），"
    "并提示可能属于诉讼、仲裁、复议等法定途径的事项（诉访分离）。仅供登记人员参考，由登记人员确认。",
)
def suggest_endpoint(request: HttpRequest, payload: SuggestIn) -> dict[str, Any]:
    user = caller(request)
    office = routing_office(user, find_unit(payload.office_id, "office_id"))
    return present(
        suggest(
            title=payload.title,
            content=payload.content,
            office=office,
            region=find_region(payload.region),
        )
    )


@router.get(
    "/matters/{ref}/suggestion",
    response={200: SuggestionOut, **ERRORS},
    summary="已登记事项的分办建议",
)
def matter_suggestion(request: HttpRequest, ref: str) -> dict[str, Any]:
    matter = get_matter(caller(request), ref)
    return present(suggest_for_matter(matter))


class ConfirmIn(Schema):
    type: str = Field(description="suggestion / accusation / request")
    category: str | None = Field(None, description="内容分类名称或ID")
    unit_id: int
    suggested_unit_id: int | None = None


class ConfirmOut(Schema):
    id: int
    matter_id: int


@router.post(
    "/matters/{ref}/confirmation",
    response={201: ConfirmOut, **ERRORS},
    summary="确认分办（作为训练数据）",
    description="登记人员确认的类型、分类和责任单位，"
    "用于本单位的分办模型训练（xinfang routing-train）。",
)
def confirm(request: HttpRequest, ref: str, payload: ConfirmIn) -> Status:
    user = caller(request)
    matter = get_matter(user, ref)
    unit = find_unit(payload.unit_id, "unit_id")
    assert unit is not None
    row = routing_confirm(
        matter=matter,
        actor=user,
        type=payload.type,
        category=find_category(payload.category),
        unit=unit,
        suggested_unit=find_unit(payload.suggested_unit_id, "suggested_unit_id"),
    )
    return Status(201, {"id": row.pk, "matter_id": matter.pk})


@router.post(
    "/repeats",
    response={200: list[RepeatOut], **ERRORS},
    summary="重复信访比对",
    description="按身份证号、电话或姓名加地址的加密散列找出同一信访人在办的事项，"
    "再比对内容是否为同一事项（第十九条第三款）。只返回您可见的在办事项，最相近的在前。",
)
def repeats_endpoint(request: HttpRequest, payload: RepeatsIn) -> list[dict[str, Any]]:
    user = caller(request)
    # Only those who register or route matters compare submissions (as on the desk): anyone
    # else has no reason to ask whether a person has petitions open.
    routing_office(user)
    exclude = get_matter(user, payload.exclude) if payload.exclude else None
    found = find_repeats(
        user=user,
        petitioners=[
            PetitionerInput(name=p.name, phone=p.phone, id_number=p.id_number, address=p.address)
            for p in payload.petitioners
        ],
        title=payload.title,
        content=payload.content,
        exclude=exclude,
    )
    return [
        {
            "matter_id": c.matter.pk,
            "number": c.matter.number,
            "title": c.matter.title,
            "state": c.matter.state,
            "score": c.score,
            "reasons": c.reasons,
        }
        for c in found
    ]


def _cluster_out(row: selectors.ClusterRow) -> dict[str, Any]:
    return {
        "id": row.cluster.pk,
        "label": row.cluster.label,
        "size": row.size,
        "units": [u.name for u in row.units],
        "open": row.open,
        "overdue": row.overdue,
        "next_due": row.next_due.isoformat() if row.next_due else None,
        "last_at": timezone.localtime(row.last_at).isoformat(),
    }


@router.get(
    "/clusters",
    response={200: list[ClusterOut], 401: ErrorOut},
    summary="同一问题的事项群",
    description="不同信访人就同一问题（同一企业、小区、工厂、道路等）提出的事项，供确定牵头单位联合办理"
    "（第二十四条）。事项群只涉及问题，不涉及对任何人的评分、排序或标记。",
)
def cluster_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_cluster_out(r) for r in selectors.clusters_for(caller(request))]


@router.get(
    "/clusters/{cluster_id}",
    response={200: ClusterOut, **ERRORS},
    summary="事项群详情",
)
def cluster_get(request: HttpRequest, cluster_id: int) -> dict[str, Any]:
    row = selectors.cluster_for(caller(request), cluster_id)
    if row is None:
        raise NotFound(_("没有找到该事项群，或您无权查看。"))
    return _cluster_out(row)
