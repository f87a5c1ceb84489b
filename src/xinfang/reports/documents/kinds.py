"""The kinds of document: where each may be issued, by whom, which placeholders it knows, and
the default Chinese text shipped in code (each citing its article of the 2022 《信访工作条例》).

An office's own template replaces the default once saved (see services.template_save).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from xinfang.matters.models import EventKind, State
from xinfang.reports.models import DocumentKind

# Every document knows these.
COMMON = {
    "信访人": _("the petitioners' names (主送); in the body only"),
    "事项编号": _("the matter's number"),
    "事项标题": _("the matter's title"),
    "收到日期": _("the day the matter was received"),
    "登记机关": _("the registering office"),
    "发文单位": _("the issuing unit"),
    "成文日期": _("the day of issue"),
}


@dataclass(frozen=True)
class KindSpec:
    kind: DocumentKind
    name: str  # the short Chinese name, as on buttons and in the timeline
    suffix: str  # 机关代字 suffix after the unit's short name: 清人社 + 受
    article: str
    # The matter's state (or, once closed, the state it was closed from) where it may be issued.
    states: frozenset[str]
    # An event of one of these kinds must be on the timeline.
    after: frozenset[str]
    # The issuer needs one of these capabilities in the issuing unit.
    capabilities: tuple[str, ...]
    placeholders: dict[str, Promise]
    title: str
    body: str

    @property
    def allowed(self) -> set[str]:
        return set(COMMON) | set(self.placeholders)


_OPENING = "你（们）于{收到日期}提出的信访事项（编号：{事项编号}，事由：{事项标题}）"

SPECS: dict[str, KindSpec] = {}


def _spec(spec: KindSpec) -> None:
    SPECS[spec.kind] = spec


_spec(
    KindSpec(
        kind=DocumentKind.ACCEPTANCE,
        name="受理告知书",
        suffix="受",
        article="《信访工作条例》第二十三条",
        states=frozenset({State.ACCEPTED, State.IN_HANDLING}),
        after=frozenset({EventKind.ACCEPTED}),
        capabilities=("can_route",),
        placeholders={
            "处理单位": _("the unit handling the matter"),
            "受理日期": _("the day of acceptance"),
            "答复期限": _("the due date of the written reply"),
            "办理程序": _("普通程序 or 简易程序"),
        },
        title="信访事项受理告知书",
        body=(
            _OPENING + "已收悉。\n"
            "根据《信访工作条例》第二十三条的规定，经审查，该事项属于本机关职责范围，"
            "本机关已于{受理日期}依法受理（{办理程序}），由{处理单位}负责办理。\n"
            "根据《信访工作条例》第三十四条的规定，本机关将于{答复期限}前办结并书面答复你（们）；"
            "情况复杂的，经本机关负责人批准，可以适当延长办理期限，延长期限不超过30日，"
            "并告知你（们）延期理由。\n"
            "特此告知。"
        ),
    )
)
_spec(
    KindSpec(
        kind=DocumentKind.NON_ACCEPTANCE,
        name="不予受理告知书",
        suffix="不受",
        article="《信访工作条例》第二十三条",
        states=frozenset({State.NOT_ACCEPTED}),
        after=frozenset({EventKind.NOT_ACCEPTED}),
        capabilities=("can_route",),
        placeholders={"不予受理理由": _("the reasons for not accepting")},
        title="信访事项不予受理告知书",
        body=(
            _OPENING + "已收悉。经审查，本机关决定不予受理，理由如下：\n"
            "{不予受理理由}\n"
            "根据《信访工作条例》第二十三条的规定，特此书面告知。"
        ),
    )
)
_spec(
    KindSpec(
        kind=DocumentKind.GUIDANCE,
        name="引导告知书",
        suffix="引",
        article="《信访工作条例》第三十一条",
        states=frozenset({State.GUIDED}),
        after=frozenset({EventKind.GUIDED}),
        capabilities=("can_route",),
        placeholders={
            "法定途径": _("诉讼, 仲裁, 行政复议 or 其他法定程序"),
            "引导说明": _("why and how, as recorded when guiding"),
        },
        title="信访事项引导告知书",
        body=(
            _OPENING + "已收悉。经审查，你（们）的请求属于应当通过{法定途径}解决的事项。\n"
            "{引导说明}\n"
            "根据《信访工作条例》第三十一条的规定，对依法应当通过诉讼、仲裁、行政复议等法定途径"
            "解决的投诉请求，信访人应当依照有关法律、行政法规规定的程序向有关机关提出。"
            "请你（们）依照法定程序和期限，通过{法定途径}主张权利。\n"
            "特此告知。"
        ),
    )
)
_spec(
    KindSpec(
        kind=DocumentKind.FORWARDING,
        name="转送交办告知书",
        suffix="转",
        article="《信访工作条例》第二十二条",
        states=frozenset({State.FORWARDED, State.ASSIGNED}),
        after=frozenset({EventKind.FORWARDED, EventKind.ASSIGNED}),
        capabilities=("can_route",),
        placeholders={
            "转送方式": _("转送 or 交办"),
            "转送日期": _("the day it was forwarded or assigned"),
            "处理单位": _("the unit it was sent to"),
        },
        title="信访事项{转送方式}告知书",
        body=(
            _OPENING + "已收悉。\n"
            "根据《信访工作条例》第二十二条的规定，本机关已于{转送日期}将该事项{转送方式}"
            "{处理单位}办理。根据《信访工作条例》第二十三条的规定，{处理单位}将自收到之日起"
            "15日内书面告知你（们）是否受理。\n"
            "特此告知。"
        ),
    )
)
_spec(
    KindSpec(
        kind=DocumentKind.EXTENSION,
        name="延期告知书",
        suffix="延",
        article="《信访工作条例》第三十四条",
        states=frozenset({State.ACCEPTED, State.IN_HANDLING}),
        after=frozenset({EventKind.EXTENSION_APPROVED}),
        capabilities=("can_route", "can_handle"),
        placeholders={
            "受理日期": _("the day of acceptance"),
            "延期天数": _("the days of the extension"),
            "延期理由": _("the reasons given for it"),
            "原期限": _("the due date before the extension"),
            "新期限": _("the new due date"),
        },
        title="信访事项延期办理告知书",
        body=(
            _OPENING + "，本机关已于{受理日期}受理。\n"
            "因情况复杂，不能在规定期限内办结，根据《信访工作条例》第三十四条的规定，"
            "经本机关负责人批准，该事项办理期限延长{延期天数}日，"
            "办结期限由{原期限}延至{新期限}。\n"
            "延期理由：{延期理由}\n"
            "特此告知。"
        ),
    )
)
_spec(
    KindSpec(
        kind=DocumentKind.REPLY,
        name="信访处理意见书",
        suffix="处",
        article="《信访工作条例》第三十二条至第三十五条",
        states=frozenset({State.REPLIED}),
        after=frozenset({EventKind.REPLIED}),
        capabilities=("can_route", "can_handle"),
        placeholders={
            "受理日期": _("the day of acceptance"),
            "信访请求": _("the petitioner's request (the matter's content)"),
            "答复意见": _("facts found and reasons, as written in the reply"),
            "处理意见": _("支持, 解释说明 or 不予支持"),
            "处理依据": _("the legal basis given with the reply"),
            "复查机关": _("the body one level up"),
            "复查期限": _("the last day to ask for review"),
        },
        title="信访处理意见书",
        body=(
            _OPENING + "，本机关已于{受理日期}受理。经调查核实，"
            "根据《信访工作条例》第三十二条、第三十三条的规定，现答复如下：\n"
            "一、信访请求\n"
            "{信访请求}\n"
            "二、调查核实的事实和理由\n"
            "{答复意见}\n"
            "三、处理意见\n"
            "{处理意见}。\n"
            "四、处理依据\n"
            "{处理依据}\n"
            "如对本处理意见不服，可以自收到本意见书之日起30日内（{复查期限}前）"
            "请求{复查机关}复查（《信访工作条例》第三十五条）。"
        ),
    )
)
_spec(
    KindSpec(
        kind=DocumentKind.REVIEW,
        name="复查意见书",
        suffix="复查",
        article="《信访工作条例》第三十五条",
        states=frozenset({State.REVIEWED}),
        after=frozenset({EventKind.REVIEWED}),
        capabilities=("can_route", "can_approve"),
        placeholders={
            "原办理机关": _("the unit whose reply is reviewed"),
            "复查申请日期": _("the day review was requested"),
            "复查结论": _("维持, 变更 or 撤销"),
            "复查意见": _("the review decision's text"),
            "复核机关": _("the body one level up"),
            "复核期限": _("the last day to ask for re-review"),
        },
        title="信访事项复查意见书",
        body=(
            "你（们）不服{原办理机关}对信访事项（编号：{事项编号}，事由：{事项标题}）"
            "作出的处理意见，于{复查申请日期}请求复查。"
            "本机关根据《信访工作条例》第三十五条的规定进行了复查，现提出复查意见如下：\n"
            "复查结论：{复查结论}。\n"
            "{复查意见}\n"
            "如对本复查意见不服，可以自收到本意见书之日起30日内（{复核期限}前）"
            "向{复核机关}请求复核（《信访工作条例》第三十六条）。"
        ),
    )
)
_spec(
    KindSpec(
        kind=DocumentKind.RE_REVIEW,
        name="复核意见书",
        suffix="复核",
        article="《信访工作条例》第三十六条",
        states=frozenset({State.RE_REVIEWED}),
        after=frozenset({EventKind.RE_REVIEWED}),
        capabilities=("can_route", "can_approve"),
        placeholders={
            "复查机关": _("the unit whose review decision is re-reviewed"),
            "复核申请日期": _("the day re-review was requested"),
            "复核结论": _("维持, 变更 or 撤销"),
            "复核意见": _("the re-review decision's text"),
        },
        title="信访事项复核意见书",
        body=(
            "你（们）不服{复查机关}对信访事项（编号：{事项编号}，事由：{事项标题}）"
            "作出的复查意见，于{复核申请日期}请求复核。"
            "本机关根据《信访工作条例》第三十六条的规定进行了复核，现提出复核意见如下：\n"
            "复核结论：{复核结论}。\n"
            "{复核意见}\n"
            "本复核意见为终结意见。根据《信访工作条例》第三十六条第三款的规定，"
            "信访人对复核意见不服，仍然以同一事实和理由提出投诉请求的，不再受理。"
        ),
    )
)
_spec(
    KindSpec(
        kind=DocumentKind.BULLETIN,
        name="通报",
        suffix="通",
        article="《信访工作条例》第五章（监督和追责）",
        states=frozenset(),
        after=frozenset(),
        capabilities=("can_route", "can_approve"),
        placeholders={
            "期间": _("the month reported on, e.g. 2026年10月"),
            "指标": _("the service-quality figures, one line each"),
        },
        title="{期间}信访工作情况通报",
        body=(
            "根据《信访工作条例》关于信访工作监督的规定，现将{期间}{发文单位}信访事项办理服务质量情况"
            "通报如下：\n"
            "{指标}\n"
            "各单位要对照《信访工作条例》规定的受理、办理和答复时限，及时受理、按期答复，"
            "切实提高信访事项办理质量和群众满意度。"
        ),
    )
)

# The bulletin's placeholders are not a matter's.
BULLETIN_ALLOWED = {"发文单位", "成文日期"} | set(SPECS[DocumentKind.BULLETIN].placeholders)

MATTER_KINDS = [k for k in SPECS if k != DocumentKind.BULLETIN]

PLACEHOLDER = re.compile(r"\{([^{}\s]{1,20})\}")


def allowed_placeholders(kind: str) -> set[str]:
    if kind == DocumentKind.BULLETIN:
        return BULLETIN_ALLOWED
    return SPECS[kind].allowed


# Names the petitioner: only in the body. The title goes onto the matter's timeline, the
# Documents panel and the file's name, which staff who may not know an accuser (arts. 30, 46)
# see too; the issuer mark, signature and 抄送 are the office's, never the petitioner's.
BODY_ONLY = frozenset({"信访人"})


def body_only_placeholders(*texts: str) -> list[str]:
    """The placeholders in `texts` that may only be used in the body."""
    seen: list[str] = []
    for text in texts:
        for name in PLACEHOLDER.findall(text):
            if name in BODY_ONLY and name not in seen:
                seen.append(name)
    return seen


def unknown_placeholders(kind: str, *texts: str) -> list[str]:
    allowed = allowed_placeholders(kind)
    seen: list[str] = []
    for text in texts:
        for name in PLACEHOLDER.findall(text):
            if name not in allowed and name not in seen:
                seen.append(name)
    return seen


def fill(text: str, values: dict[str, str]) -> str:
    """Replace each {name} with its value. Values are inserted as they are, never read as
    placeholders or format strings themselves."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)
