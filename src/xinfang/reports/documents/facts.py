"""The facts a document states, read from the matter and its timeline.

Only what the petitioner is entitled to read goes in: the decision, basis and text of the reply,
the days and stated reason of an approved extension (the handler's request, which art. 34 says
is told to the petitioner), never the approver's note, a refused request or a staff note.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from xinfang.deadlines.services import matter_clocks
from xinfang.matters.errors import InvalidInput
from xinfang.matters.models import Event, EventKind, Matter, Petitioner
from xinfang.matters.services.review import higher_body
from xinfang.org.models import Unit
from xinfang.reports.documents.docx import chinese_date
from xinfang.reports.models import DocumentKind

# In records and documents the labels are Chinese whatever the reader's language.
DECISIONS = {"support": "支持", "explain": "解释说明", "reject": "不予支持"}
OUTCOMES = {"upheld": "维持", "changed": "变更", "revoked": "撤销，重新办理"}
CHANNELS = {
    "litigation": "诉讼",
    "arbitration": "仲裁",
    "reconsideration": "行政复议",
    "other": "其他法定程序",
}
NONE = "（无）"


def _day(moment: object) -> date:
    return timezone.localtime(moment).date()  # type: ignore[arg-type]


def _last(events: list[Event], *kinds: str) -> Event | None:
    found = [e for e in events if e.kind in kinds]
    return found[-1] if found else None


def _when(event: Event | None) -> str:
    return chinese_date(_day(event.occurred_at)) if event is not None else NONE


def _due(matter: Matter, events: list[Event], *keys: str) -> str:
    clocks = [c for c in matter_clocks(matter, events) if c.rule.key in keys]
    return chinese_date(clocks[-1].due_on) if clocks else NONE


def _one_up(matter: Matter, unit: Unit | None, *, re_review: bool) -> str:
    """The body the petitioner may ask next, as the lifecycle would take the request
    (matters.services.review.higher_body: one level up, never an inactive body or one the matter
    accuses), or "上一级机关" where it cannot be told."""
    try:
        return higher_body(matter, unit, None, re_review=re_review).name
    except InvalidInput:
        return "上一级机关"


def petitioner_names(matter: Matter) -> str:
    names = [p.name for p in Petitioner.objects.filter(matter=matter).order_by("position")]
    return "、".join(names)


def issuing_unit(kind: str, matter: Matter, events: list[Event]) -> Unit | None:
    """The body that writes this document: the one that took the step it reports."""
    if kind == DocumentKind.FORWARDING:
        sent = _last(events, EventKind.FORWARDED, EventKind.ASSIGNED)
        if sent is None:
            return None
        return Unit.objects.filter(pk=sent.data.get("from_unit")).first()
    if kind == DocumentKind.REVIEW:
        return matter.review_unit
    if kind == DocumentKind.RE_REVIEW:
        return matter.re_review_unit
    return matter.lead_unit


def matter_facts(kind: str, matter: Matter, events: list[Event], issuer: Unit) -> dict[str, str]:
    values = {
        "信访人": petitioner_names(matter) or "信访人",
        "事项编号": matter.number,
        "事项标题": matter.title,
        "收到日期": chinese_date(_day(matter.received_at)),
        "登记机关": matter.office.name,
        "发文单位": issuer.name,
    }
    accepted = _last(events, EventKind.ACCEPTED)
    values["受理日期"] = _when(accepted)
    if kind == DocumentKind.ACCEPTANCE:
        values["处理单位"] = matter.lead_unit.name
        values["办理程序"] = "简易程序" if matter.simplified else "普通程序"
        values["答复期限"] = _due(matter, events, "handling", "simplified")
    elif kind == DocumentKind.NON_ACCEPTANCE:
        values["不予受理理由"] = _text(_last(events, EventKind.NOT_ACCEPTED))
    elif kind == DocumentKind.GUIDANCE:
        guided = _last(events, EventKind.GUIDED)
        values["法定途径"] = CHANNELS.get(matter.legal_channel, "法定途径")
        values["引导说明"] = _text(guided)
    elif kind == DocumentKind.FORWARDING:
        sent = _last(events, EventKind.FORWARDED, EventKind.ASSIGNED)
        values["转送方式"] = "交办" if sent and sent.kind == EventKind.ASSIGNED else "转送"
        values["转送日期"] = _when(sent)
        values["处理单位"] = str(sent.data.get("to_unit_name", "")) if sent else NONE
    elif kind == DocumentKind.EXTENSION:
        approved = _last(events, EventKind.EXTENSION_APPROVED)
        before = [e for e in events if approved is None or e.seq < approved.seq]
        request = _last(before, EventKind.EXTENSION_REQUESTED)
        values["延期天数"] = str(approved.data.get("days", "")) if approved else NONE
        values["延期理由"] = _text(request)
        values["原期限"] = _due(matter, before, "handling")
        values["新期限"] = _due(matter, events, "handling")
    elif kind == DocumentKind.REPLY:
        replied = _last(events, EventKind.REPLIED)
        data = replied.data if replied is not None else {}
        values["信访请求"] = matter.content
        values["答复意见"] = _text(replied)
        values["处理意见"] = DECISIONS.get(str(data.get("decision", "")), "解释说明")
        values["处理依据"] = str(data.get("basis", "")).strip() or NONE
        values["复查机关"] = _one_up(matter, matter.lead_unit, re_review=False)
        values["复查期限"] = _due(matter, events, "review_request")
    elif kind == DocumentKind.REVIEW:
        requested = _last(events, EventKind.REVIEW_REQUESTED)
        reviewed = _last(events, EventKind.REVIEWED)
        values["原办理机关"] = matter.lead_unit.name
        values["复查申请日期"] = _when(requested)
        values["复查结论"] = (
            OUTCOMES.get(str(reviewed.data.get("outcome")), NONE) if reviewed else NONE
        )
        values["复查意见"] = _text(reviewed)
        values["复核机关"] = _one_up(matter, matter.review_unit, re_review=True)
        values["复核期限"] = _due(matter, events, "re_review_request")
    elif kind == DocumentKind.RE_REVIEW:
        requested = _last(events, EventKind.RE_REVIEW_REQUESTED)
        decided = _last(events, EventKind.RE_REVIEWED)
        values["复查机关"] = matter.review_unit.name if matter.review_unit else NONE
        values["复核申请日期"] = _when(requested)
        values["复核结论"] = (
            OUTCOMES.get(str(decided.data.get("outcome")), NONE) if decided else NONE
        )
        values["复核意见"] = _text(decided)
    return values


def _text(event: Event | None) -> str:
    return (event.text or "").strip() if event is not None else NONE


def sample_facts(kind: str, issuer_name: str) -> dict[str, str]:
    """Made-up values for the template editor's preview."""
    return {
        "信访人": "张三",
        "事项编号": "清信〔2026〕17号",
        "事项标题": "工资被拖欠",
        "收到日期": "2026年3月2日",
        "登记机关": "清河县信访局",
        "发文单位": issuer_name,
        "成文日期": chinese_date(timezone.localdate()),
        "处理单位": "县人社局",
        "受理日期": "2026年3月4日",
        "答复期限": "2026年5月4日",
        "办理程序": "普通程序",
        "不予受理理由": "该事项已经依法处理终结。",
        "法定途径": "劳动仲裁",
        "引导说明": "劳动报酬争议可向县劳动人事争议仲裁委员会申请仲裁。",
        "转送方式": "转送",
        "转送日期": "2026年3月3日",
        "延期天数": "30",
        "延期理由": "需会同有关部门调查核实",
        "原期限": "2026年5月4日",
        "新期限": "2026年6月3日",
        "信访请求": "请求督促某公司支付拖欠的三个月工资。",
        "答复意见": "经调查，该公司确有拖欠，已责令限期支付。",
        "处理意见": "支持",
        "处理依据": "《劳动合同法》第三十条",
        "复查机关": "清河县人民政府",
        "复查期限": "2026年4月15日",
        "原办理机关": "县人社局",
        "复查申请日期": "2026年3月20日",
        "复查结论": "维持",
        "复查意见": "原处理意见认定事实清楚，适用依据正确。",
        "复核机关": "江州市人民政府",
        "复核期限": "2026年4月24日",
        "复核申请日期": "2026年3月30日",
        "复核结论": "维持",
        "复核意见": "复查意见认定事实清楚，处理适当。",
        "期间": "2026年10月",
        "指标": "一、按期受理告知率：95.0%（19/20）。",
    }
