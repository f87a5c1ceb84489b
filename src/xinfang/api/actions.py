"""One endpoint per lifecycle service: POST /matters/{ref}/{action}.

Each finds the matter in the caller's scope (404 outside it), calls the service with the body's
`version` as expected_version (409 "conflict" when someone changed the matter meanwhile), and
answers with the updated matter detail. Rules and refusals are the services'.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from xinfang.api.auth import caller
from xinfang.api.lookups import (
    fields_renamed,
    find_category,
    find_original,
    find_region,
    find_unit,
    find_units,
    find_user,
    get_matter,
    require_unit,
    version_checked,
)
from xinfang.api.matters import ERRORS, detail_of
from xinfang.api.schemas import (
    AcceptIn,
    ClassifyIn,
    CoUnitsIn,
    ExtensionDecisionIn,
    ExtensionRequestIn,
    GuideIn,
    HearingIn,
    InterestIn,
    LinkRepeatIn,
    MatterDetail,
    MatterRefPath,
    NoteIn,
    OwnersIn,
    RatingIn,
    ReasonIn,
    ReplyIn,
    ReReviewRequestIn,
    ReviewDecisionIn,
    ReviewRequestIn,
    SendIn,
)
from xinfang.matters import services

router = Router(tags=["办理操作"])

Detail = dict[str, Any]
RESPONSES: dict[int, Any] = {200: MatterDetail, **ERRORS}


def _action(path: str, summary: str, description: str = "") -> Any:
    return router.post(
        f"/matters/{{ref}}/{path}",
        response=RESPONSES,
        summary=summary,
        description=description or summary,
    )


@_action(
    "classify",
    "更正分类",
    "受理前设置或更正类型、内容分类和问题属地（网上提交的事项由登记人员核对）。"
    "检举控告事项不能改为其他类型。",
)
def classify(request: HttpRequest, ref: MatterRefPath, payload: ClassifyIn) -> Detail:
    user = caller(request)
    matter = get_matter(user, ref)
    services.matter_classify(
        matter=matter,
        actor=user,
        type=payload.type,
        category=find_category(payload.category),
        region=find_region(payload.region),
        expected_version=payload.version,
        at=payload.at,
    )
    return detail_of(request, matter.pk)


@_action("forward", "转送", "把事项转送有权处理的机关（第二十二条）。仅限“已登记”状态。")
def forward(request: HttpRequest, ref: MatterRefPath, payload: SendIn) -> Detail:
    user = caller(request)
    matter = get_matter(user, ref)
    with fields_renamed(to_unit="to_unit_id"):
        services.matter_forward(
            matter=matter,
            actor=user,
            to_unit=require_unit(payload.to_unit_id, "to_unit_id"),
            note=payload.note,
            expected_version=payload.version,
            at=payload.at,
        )
    return detail_of(request, matter.pk)


@_action("assign", "交办", "把事项交办给有权处理的机关，并要求报告结果（第二十二条）。")
def assign(request: HttpRequest, ref: MatterRefPath, payload: SendIn) -> Detail:
    user = caller(request)
    matter = get_matter(user, ref)
    with fields_renamed(to_unit="to_unit_id"):
        services.matter_assign(
            matter=matter,
            actor=user,
            to_unit=require_unit(payload.to_unit_id, "to_unit_id"),
            note=payload.note,
            expected_version=payload.version,
            at=payload.at,
        )
    return detail_of(request, matter.pk)


@_action(
    "object",
    "提出异议",
    "收到转送、交办的单位认为不属于本单位职责范围，"
    "自收到之日起5个工作日内提出异议并说明理由（第二十三条）。",
)
def object_(request: HttpRequest, ref: MatterRefPath, payload: ReasonIn) -> Detail:
    user = caller(request)
    matter = get_matter(user, ref)
    services.matter_object(
        matter=matter,
        actor=user,
        reason=payload.reason,
        expected_version=payload.version,
        at=payload.at,
    )
    return detail_of(request, matter.pk)


@_action("accept", "受理", "受理后开始计算60日办理期限（第三十四条），简易办理为10个工作日。")
def accept(request: HttpRequest, ref: MatterRefPath, payload: AcceptIn) -> Detail:
    user = caller(request)
    matter = get_matter(user, ref)
    services.matter_accept(
        matter=matter,
        actor=user,
        simplified=payload.simplified,
        note=payload.note,
        expected_version=payload.version,
        at=payload.at,
    )
    return detail_of(request, matter.pk)


@_action("decline", "不予受理", "不予受理，并书面告知理由。")
def decline(request: HttpRequest, ref: MatterRefPath, payload: ReasonIn) -> Detail:
    user = caller(request)
    matter = get_matter(user, ref)
    services.matter_decline(
        matter=matter,
        actor=user,
        reason=payload.reason,
        expected_version=payload.version,
        at=payload.at,
    )
    return detail_of(request, matter.pk)


@_action(
    "guide",
    "引导至法定途径",
    "诉访分离：应当通过诉讼、仲裁、行政复议等法定途径解决的"
    "申诉求决类事项，引导信访人依法提出（第二十八条、第三十一条）。",
)
def guide(request: HttpRequest, ref: MatterRefPath, payload: GuideIn) -> Detail:
    user = caller(request)
    matter = get_matter(user, ref)
    services.matter_guide(
        matter=matter,
        actor=user,
        legal_channel=payload.legal_channel.value,
        reason=payload.reason,
        expected_version=payload.version,
        at=payload.at,
    )
    return detail_of(request, matter.pk)


@_action("owners", "指定包案领导和承办人", "领导包案：每件事项一名包案领导和一名承办人。")
def owners(request: HttpRequest, ref: MatterRefPath, payload: OwnersIn) -> Detail:
    user = caller(request)
    matter = get_matter(user, ref)
    with fields_renamed(leader="leader_id", handler="handler_id"):
        services.matter_assign_owners(
            matter=matter,
            actor=user,
            leader=find_user(payload.leader_id, "leader_id"),
            handler=find_user(payload.handler_id, "handler_id"),
            expected_version=payload.version,
            at=payload.at,
        )
    return detail_of(request, matter.pk)


@_action("co-units", "增加协办单位", "联合办案：增加与责任单位共同办理的单位。")
def co_units(request: HttpRequest, ref: MatterRefPath, payload: CoUnitsIn) -> Detail:
    user = caller(request)
    matter = get_matter(user, ref)
    with fields_renamed(units="unit_ids"):
        services.matter_add_co_units(
            matter=matter,
            actor=user,
            units=find_units(payload.unit_ids, "unit_ids"),
            expected_version=payload.version,
            at=payload.at,
        )
    return detail_of(request, matter.pk)


@_action(
    "interest",
    "申报利害关系并回避",
    "本人与事项有利害关系的，申报后不得担任包案领导或承办人；已担任的即行解除（第二十八条）。",
)
def interest(request: HttpRequest, ref: MatterRefPath, payload: InterestIn) -> Detail:
    user = caller(request)
    matter = get_matter(user, ref)
    with version_checked(matter, payload.version):
        services.matter_declare_interest(matter=matter, actor=user, reason=payload.reason)
    return detail_of(request, matter.pk)


@_action(
    "extension-request", "申请延期", "办理期限内申请延长，最多一次、不超过30日（第三十四条）。"
)
def extension_request(
    request: HttpRequest, ref: MatterRefPath, payload: ExtensionRequestIn
) -> Detail:
    user = caller(request)
    matter = get_matter(user, ref)
    services.matter_request_extension(
        matter=matter,
        actor=user,
        days=payload.days,
        reason=payload.reason,
        expected_version=payload.version,
        at=payload.at,
    )
    return detail_of(request, matter.pk)


@_action("extension-decision", "审批延期", "单位负责人批准或不予批准待审批的延期申请。")
def extension_decision(
    request: HttpRequest, ref: MatterRefPath, payload: ExtensionDecisionIn
) -> Detail:
    user = caller(request)
    matter = get_matter(user, ref)
    services.matter_decide_extension(
        matter=matter,
        actor=user,
        approve=payload.approve,
        note=payload.note,
        expected_version=payload.version,
        at=payload.at,
    )
    return detail_of(request, matter.pk)


@_action("reply", "书面答复", "出具处理意见书；申诉求决类须写明处理意见和依据（第三十二条）。")
def reply(request: HttpRequest, ref: MatterRefPath, payload: ReplyIn) -> Detail:
    user = caller(request)
    matter = get_matter(user, ref)
    services.matter_reply(
        matter=matter,
        actor=user,
        text=payload.text,
        decision=payload.decision.value if payload.decision else "",
        basis=payload.basis,
        expected_version=payload.version,
        at=payload.at,
    )
    return detail_of(request, matter.pk)


@_action(
    "review-request", "登记复查申请", "信访人自收到书面答复之日起30日内请求复查（第三十五条）。"
)
def review_request(request: HttpRequest, ref: MatterRefPath, payload: ReviewRequestIn) -> Detail:
    user = caller(request)
    matter = get_matter(user, ref)
    with fields_renamed(body="review_unit_id"):
        services.matter_request_review(
            matter=matter,
            actor=user,
            reasons=payload.reasons,
            review_unit=find_unit(payload.review_unit_id, "review_unit_id"),
            expected_version=payload.version,
            at=payload.at,
        )
    return detail_of(request, matter.pk)


@_action("review-decision", "作出复查意见", "复查机关自收到复查请求之日起30日内提出复查意见。")
def review_decision(request: HttpRequest, ref: MatterRefPath, payload: ReviewDecisionIn) -> Detail:
    user = caller(request)
    matter = get_matter(user, ref)
    services.matter_decide_review(
        matter=matter,
        actor=user,
        outcome=payload.outcome.value,
        text=payload.text,
        expected_version=payload.version,
        at=payload.at,
    )
    return detail_of(request, matter.pk)


@_action(
    "re-review-request", "登记复核申请", "信访人自收到复查意见之日起30日内请求复核（第三十六条）。"
)
def re_review_request(
    request: HttpRequest, ref: MatterRefPath, payload: ReReviewRequestIn
) -> Detail:
    user = caller(request)
    matter = get_matter(user, ref)
    with fields_renamed(body="re_review_unit_id"):
        services.matter_request_re_review(
            matter=matter,
            actor=user,
            reasons=payload.reasons,
            re_review_unit=find_unit(payload.re_review_unit_id, "re_review_unit_id"),
            expected_version=payload.version,
            at=payload.at,
        )
    return detail_of(request, matter.pk)


@_action("hearing", "登记听证", "复核中举行听证的，听证时间不计入复核期限（第三十六条）。")
def hearing(request: HttpRequest, ref: MatterRefPath, payload: HearingIn) -> Detail:
    user = caller(request)
    matter = get_matter(user, ref)
    services.matter_record_hearing(
        matter=matter,
        actor=user,
        start=payload.start,
        end=payload.end,
        note=payload.note,
        expected_version=payload.version,
    )
    return detail_of(request, matter.pk)


@_action(
    "re-review-decision",
    "作出复核意见",
    "复核意见作出后，信访人以同一事实和理由提出的不再受理（第三十六条）。",
)
def re_review_decision(
    request: HttpRequest, ref: MatterRefPath, payload: ReviewDecisionIn
) -> Detail:
    user = caller(request)
    matter = get_matter(user, ref)
    services.matter_decide_re_review(
        matter=matter,
        actor=user,
        outcome=payload.outcome.value,
        text=payload.text,
        expected_version=payload.version,
        at=payload.at,
    )
    return detail_of(request, matter.pk)


@_action(
    "link-repeat",
    "作为重复件关联",
    "已受理且在办理期限内的事项，信访人再次提出的，关联到原事项，不再重复受理（第十九条）。",
)
def link_repeat(request: HttpRequest, ref: MatterRefPath, payload: LinkRepeatIn) -> Detail:
    user = caller(request)
    matter = get_matter(user, ref)
    services.matter_link_repeat(
        matter=matter,
        actor=user,
        original=find_original(payload.original),
        note=payload.note,
        expected_version=payload.version,
        at=payload.at,
    )
    return detail_of(request, matter.pk)


@_action(
    "rating",
    "记录信访人评价",
    "工作人员代为记录信访人对答复的评价（满意、基本满意、不满意），每件事项一次。",
)
def rating(request: HttpRequest, ref: MatterRefPath, payload: RatingIn) -> Detail:
    user = caller(request)
    matter = get_matter(user, ref)
    with version_checked(matter, payload.version):
        services.matter_rate(
            matter=matter,
            actor=user,
            rating=payload.rating.value,
            comment=payload.comment,
            at=payload.at,
        )
    return detail_of(request, matter.pk)


@_action("close", "办结", "答复或复查意见作出后，信访人的申请期限届满或已评价的，可以办结。")
def close(request: HttpRequest, ref: MatterRefPath, payload: NoteIn) -> Detail:
    user = caller(request)
    matter = get_matter(user, ref)
    services.matter_close(
        matter=matter,
        actor=user,
        note=payload.note,
        expected_version=payload.version,
        at=payload.at,
    )
    return detail_of(request, matter.pk)
