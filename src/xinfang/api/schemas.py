"""Request and response shapes of API v1, described for the people who call it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Field, Path, Schema
from pydantic import StrictBool, StrictInt

from xinfang.matters.models import (
    Channel,
    Decision,
    LegalChannel,
    MatterType,
    Rating,
    ReviewOutcome,
    State,
)

# ---------------------------------------------------------------------------------------------
# Input


class PetitionerIn(Schema):
    name: str = Field(..., description="姓名", examples=["张三"])
    phone: str = Field("", description="电话（手机或座机）", examples=["13800138000"])
    id_number: str = Field("", description="居民身份证号码（18位，校验位须正确）")
    address: str = Field("", description="地址")
    email: str = Field("", description="电子邮箱")


class RegisterIn(Schema):
    channel: Channel = Field(
        ...,
        description="信访形式：letter 来信、visit 来访、online 网上、phone 电话、fax 传真、"
        "transferred 上级转来",
    )
    received_at: datetime = Field(
        ..., description="收到时间（不能晚于当前时间），如 2026-03-02T09:30:00+08:00"
    )
    title: str = Field("", description="标题；不填则取内容前30字")
    content: str = Field(..., description="信访事项内容（不能为空）")
    type: MatterType = Field(
        ..., description="类型：suggestion 建议意见、accusation 检举控告、request 申诉求决"
    )
    category: int | str | None = Field(
        None, description="内容分类：分类名称（如“劳动与社会保障”）或分类ID"
    )
    region: str | None = Field(None, description="问题属地的行政区划代码（6、9或12位）")
    petitioners: list[PetitionerIn] = Field(
        default_factory=list,
        description="信访人；多人共同提出的，代表不超过5人（第二十条）。检举控告可以匿名。",
    )
    is_collective: StrictBool = Field(False, description="是否集体访（多人共同提出）")
    head_count: StrictInt | None = Field(None, ge=1, description="人数；不填则按信访人人数计")
    source_reference: str = Field("", description="上级转来的文号（上级转来的必须填写）")
    accused_unit_ids: list[StrictInt] = Field(
        default_factory=list, description="被检举控告的单位ID（仅检举控告类）"
    )
    office_id: StrictInt | None = Field(
        None, description="登记单位ID；在多个单位有登记权限时必须填写"
    )


class ActionIn(Schema):
    """Common to every action: optimistic concurrency and recording after the fact."""

    version: StrictInt | None = Field(
        None,
        description="读取事项时的版本号（version）。填写后，若事项已被他人修改则返回409，"
        "不会覆盖他人的操作。",
    )


class TimedActionIn(ActionIn):
    at: datetime | None = Field(
        None, description="办理时间；不填为当前时间。补录时填写实际时间（不能晚于当前时间）。"
    )


class SendIn(TimedActionIn):
    to_unit_id: StrictInt = Field(..., description="接收单位ID")
    note: str = Field("", description="说明")


class ClassifyIn(TimedActionIn):
    type: MatterType | None = Field(
        None,
        description="类型：suggestion 建议意见、accusation 检举控告、request 申诉求决；不填不改",
    )
    category: int | str | None = Field(None, description="内容分类：名称或ID；不填不改")
    region: str | None = Field(None, description="问题属地的行政区划代码；不填不改")


class ReasonIn(TimedActionIn):
    reason: str = Field(..., description="理由")


class AcceptIn(TimedActionIn):
    simplified: StrictBool = Field(False, description="是否简易办理（10个工作日内出具意见）")
    note: str = Field("", description="说明")


class GuideIn(TimedActionIn):
    legal_channel: LegalChannel = Field(
        ...,
        description="法定途径：litigation 诉讼、arbitration 仲裁、"
        "reconsideration 行政复议、other 其他法定程序",
    )
    reason: str = Field(..., description="引导的理由和途径说明")


class OwnersIn(TimedActionIn):
    leader_id: StrictInt = Field(..., description="包案领导的用户ID")
    handler_id: StrictInt = Field(..., description="承办人的用户ID")


class CoUnitsIn(TimedActionIn):
    unit_ids: list[StrictInt] = Field(..., description="协办单位ID")


class InterestIn(ActionIn):
    reason: str = Field(..., description="利害关系的说明（第二十八条回避）")


class ExtensionRequestIn(TimedActionIn):
    days: StrictInt = Field(..., description="延长天数（1至30日，第三十四条）")
    reason: str = Field(..., description="延期理由")


class ExtensionDecisionIn(TimedActionIn):
    approve: StrictBool = Field(..., description="true 批准，false 不予批准")
    note: str = Field("", description="说明；不予批准时必须填写理由")


class ReplyIn(TimedActionIn):
    text: str = Field(..., description="答复意见")
    decision: Decision | None = Field(
        None,
        description="处理意见：support 支持、explain 解释说明、reject 不予支持"
        "（申诉求决类必填，第三十二条）",
    )
    basis: str = Field("", description="处理依据（申诉求决类必填）")


class ReviewRequestIn(TimedActionIn):
    reasons: str = Field(..., description="申请复查的理由")
    review_unit_id: StrictInt | None = Field(
        None, description="复查机关ID；不填为原办理机关的上一级机关"
    )


class ReviewDecisionIn(TimedActionIn):
    outcome: ReviewOutcome = Field(..., description="结论：upheld 维持、changed 变更、revoked 撤销")
    text: str = Field(..., description="意见书正文")


class ReReviewRequestIn(TimedActionIn):
    reasons: str = Field(..., description="申请复核的理由")
    re_review_unit_id: StrictInt | None = Field(
        None, description="复核机关ID；不填为复查机关的上一级机关"
    )


class HearingIn(ActionIn):
    start: date = Field(..., description="听证开始日期")
    end: date = Field(..., description="听证结束日期（听证时间不计入复核期限）")
    note: str = Field("", description="说明")


class LinkRepeatIn(TimedActionIn):
    original: str = Field(..., description="原事项的ID或编号（如“清信〔2026〕1号”）")
    note: str = Field("", description="说明")


class RatingIn(ActionIn):
    rating: Rating = Field(
        ..., description="评价：satisfied 满意、basically 基本满意、unsatisfied 不满意"
    )
    comment: str = Field("", description="信访人的意见")
    at: datetime | None = Field(None, description="评价时间；不填为当前时间")


class NoteIn(TimedActionIn):
    note: str = Field("", description="说明")


class MatterFilters(Schema):
    state: State | None = Field(None, description="只看此状态的事项")
    open: bool | None = Field(
        None, description="true 只看未办结（办理中、待复查等）的事项；false 只看已办结的"
    )
    unit_id: int | None = Field(None, description="只看此责任单位的事项")


# ---------------------------------------------------------------------------------------------
# Output


class Ref(Schema):
    id: int
    name: str


class MatterRef(Schema):
    id: int
    number: str


class Named(Schema):
    """A code and its label, e.g. a category or a region."""

    code: str
    name: str


class PetitionerOut(Schema):
    id: int
    name: str = Field(..., description="姓名；检举控告人身份对您保密时为“（保密）”")
    address: str
    phone: str = Field(..., description="电话（已脱敏）")
    id_number: str = Field(..., description="身份证号码（已脱敏）")
    is_representative: bool = Field(..., description="是否代表")
    confidential: bool = Field(..., description="身份是否对您保密（第三十条、第四十六条）")


class ClockOut(Schema):
    key: str = Field(..., description="期限规则：route、acceptance、handling、review 等")
    label: str = Field(..., description="期限名称")
    article: str = Field(..., description="依据")
    started_on: date = Field(..., description="起算日")
    due_on: date = Field(..., description="届满日")
    days_left: int | None = Field(..., description="剩余天数（今日起算；已停止为null）")
    overdue: bool = Field(..., description="是否超期（单位应办未办）")
    expired: bool = Field(..., description="申请期限是否已过（信访人或单位的权利期限）")
    running: bool = Field(..., description="是否正在计算")
    stopped_on: date | None = Field(..., description="停止日期")
    late: bool = Field(..., description="是否超期后才办结")
    extra_days: int = Field(..., description="延长或不计入的天数")
    is_window: bool = Field(..., description="是否为申请期限（非单位的办理期限）")
    warnings: list[str]


class EventOut(Schema):
    seq: int
    kind: str
    label: str
    at: datetime = Field(..., description="发生时间")
    recorded_at: datetime = Field(..., description="记录时间")
    actor: str | None = Field(..., description="办理人")
    unit: str | None = Field(..., description="办理单位")
    from_state: str
    to_state: str
    text: str
    data: dict[str, Any]
    is_public: bool = Field(..., description="是否向信访人公开")


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    sha256: str
    content_type: str
    uploaded_at: datetime


class EvaluationOut(Schema):
    rating: str
    label: str
    comment: str
    recorded_at: datetime


class MatterSummary(Schema):
    id: int
    number: str = Field(..., description="事项编号，如“清信〔2026〕1号”")
    title: str
    type: str
    channel: str
    state: str
    state_label: str
    received_at: datetime
    due_date: date | None = Field(..., description="最近的办理期限届满日")
    overdue: bool
    office: Ref = Field(..., description="登记单位")
    lead_unit: Ref = Field(..., description="责任单位")
    version: int


class MatterDetail(MatterSummary):
    query_code: str = Field(..., description="信访人查询码")
    type_label: str
    channel_label: str
    registered_at: datetime
    source_reference: str
    content: str
    category: Ref | None
    region: Named | None
    is_collective: bool
    head_count: int
    is_open: bool
    co_units: list[Ref]
    accused_units: list[Ref]
    leader: Ref | None = Field(..., description="包案领导")
    handler: Ref | None = Field(..., description="承办人")
    review_unit: Ref | None
    re_review_unit: Ref | None
    repeat_of: MatterRef | None
    simplified: bool
    extension_days: int
    decision: str
    legal_channel: str
    is_final: bool
    calendar_warning: bool
    petitioners: list[PetitionerOut]
    clocks: list[ClockOut]
    timeline: list[EventOut]
    attachments: list[AttachmentOut]
    evaluation: EvaluationOut | None


class RevealIn(Schema):
    field: Literal["id_number", "phone"] = Field(..., description="id_number 或 phone")
    purpose: str = Field("", description="查看目的（记入访问日志）")


class RevealOut(Schema):
    value: str = Field(..., description="未脱敏的号码（本次查看已记入访问日志）")


class ErrorOut(Schema):
    message: str = Field(..., description="错误说明：默认中文，请求头 Accept-Language: en 时为英文")
    code: str = Field(
        ...,
        description="invalid、validation、unauthorized、forbidden、not_found、"
        "invalid_state、conflict 等",
    )
    field: str | None = Field(None, description="出错的字段")


RevealField = Literal["id_number", "phone"]

MatterRefPath = Annotated[
    str,
    Path(
        description="事项ID（如 42）或URL编码后的事项编号"
        "（如 清信〔2026〕1号 → %E6%B8%85%E4%BF%A1%E3%80%942026%E3%80%951%E5%8F%B7）",
    ),
]
