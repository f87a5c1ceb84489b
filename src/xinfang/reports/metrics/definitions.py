"""The seven service-quality metrics: name, definition and article, in the regulation's language
(Chinese msgids, translated to English), and the names of the groups a drill-down splits into.

Every metric is about the office's service to the petitioner, per responsible unit. None rewards
fewer petitions, none counts petitions that reached a higher level, none is per petitioner.

A duty clock (route, acceptance, handling) counts once, in the period holding the earlier of its
stop date and its due date: decided on time → met, when decided; decided late or still undecided
after the due date → missed, when it fell due; running and not yet due → not counted. A rate with
a zero denominator is None (shown "—").

1. Timely acceptance 及时受理率 (arts. 22, 23): route clocks (the office forwards/assigns within
   15 days) and acceptance clocks (the receiving body accepts, declines, guides or objects within
   15 days); met = decided by the due date.
2. On-time reply 按期答复率 (art. 34; simplified handling): handling clocks (60 days from
   acceptance plus an approved extension ≤ 30 days; 10 working days simplified); met = written
   reply by the due date.
3. Participation in rating 参评率: matters first replied to in the period; met = rated (as of
   today).
4. Satisfaction 满意率: ratings recorded in the period; met = 满意 or 基本满意.
5. First-time resolution 一次性化解率 (arts. 35, 19 ¶3): matters whose review-request window ended
   in the period (request, closure or expiry, the earliest); met = no review request and no later
   matter linked to it as a repeat.
6. Repeat rate 重复信访率 (art. 19 ¶3; lower is better): matters accepted in the period; counted =
   a repeat was linked to it (per matter, never per petitioner).
7. Review outcomes 复查复核维持率 (arts. 35, 36): review and re-review decisions made in the
   period, by outcome, for the unit whose reply was reviewed; met = upheld.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Definition:
    key: str
    label: Promise
    definition: Promise
    article: Promise
    # What the numerator holds, and what the rest of the denominator is (drill-down headings).
    counted_label: Promise
    rest_label: Promise
    # False for the repeat rate: a lower share is better service.
    higher_is_better: bool = True


TIMELY_ACCEPTANCE = "timely_acceptance"
ON_TIME_REPLY = "on_time_reply"
RATING_PARTICIPATION = "rating_participation"
SATISFACTION = "satisfaction"
FIRST_TIME_RESOLUTION = "first_time_resolution"
REPEAT_RATE = "repeat_rate"
REVIEW_UPHELD = "review_upheld"

DEFINITIONS: dict[str, Definition] = {
    d.key: d
    for d in (
        Definition(
            TIMELY_ACCEPTANCE,
            _("及时受理率"),
            _(
                "分母：统计期内作出决定或届满的转送交办期限（第二十二条，信访工作机构15日内转送、"
                "交办）和受理告知期限（第二十三条，有权处理机关15日内受理、不予受理、引导或提出"
                "异议）。每个期限只计一次，计入办结日与截止日中较早者所在的统计期；届满仍未决定的"
                "计为未按期，尚未届满的不计入。分子：在截止日当日或之前作出决定的期限。期限按本"
                "机关的期限规则和法定节假日计算。"
            ),
            _("《信访工作条例》第二十二条、第二十三条"),
            _("按期决定"),
            _("逾期决定或届满未决定"),
        ),
        Definition(
            ON_TIME_REPLY,
            _("按期答复率"),
            _(
                "分母：统计期内答复或届满的办理期限（第三十四条，受理之日起60日，经批准延期的加上"
                "延长的天数，最多30日；简易办理为10个工作日）。每个期限计入答复日与截止日中较早者"
                "所在的统计期；届满仍未答复的计为未按期，尚未届满的不计入。分子：在截止日当日或"
                "之前出具书面答复的。"
            ),
            _("《信访工作条例》第三十四条；《信访事项简易办理办法（试行）》"),
            _("按期答复"),
            _("逾期答复或届满未答复"),
        ),
        Definition(
            RATING_PARTICIPATION,
            _("参评率"),
            _(
                "分母：统计期内首次书面答复的事项。分子：其中信访人已作出评价的事项（截至统计之日，"
                "因此以往统计期的参评率会随后续评价而上升）。"
            ),
            _("《信访工作条例》第三十四条（答复）；满意度评价"),
            _("已评价"),
            _("未评价"),
        ),
        Definition(
            SATISFACTION,
            _("满意率"),
            _(
                "分母：统计期内记录的信访人评价。分子：评价为“满意”或“基本满意”的。"
                "每件事项只评价一次。"
            ),
            _("满意度评价"),
            _("满意或基本满意"),
            _("不满意"),
        ),
        Definition(
            FIRST_TIME_RESOLUTION,
            _("一次性化解率"),
            _(
                "分母：统计期内申请复查期限（第三十五条，书面答复之日起30日）结束的事项：信访人"
                "申请复查、事项办结或期限届满，计入其中较早日期所在的统计期；期限尚未届满的不计入。"
                "分子：其中既未申请复查、也没有后来的信访事项作为重复件关联到本件（第十九条第三款）的。"
            ),
            _("《信访工作条例》第三十五条、第十九条第三款"),
            _("一次性化解"),
            _("申请复查或重复信访"),
        ),
        Definition(
            REPEAT_RATE,
            _("重复信访率"),
            _(
                "分母：统计期内受理的事项。分子：其中有信访人再次提出、作为重复件关联到本件的事项"
                "（第十九条第三款，截至统计之日）。按事项计数，不按信访人计数；比率越低越好。"
            ),
            _("《信访工作条例》第十九条第三款"),
            _("有重复件"),
            _("无重复件"),
            higher_is_better=False,
        ),
        Definition(
            REVIEW_UPHELD,
            _("复查复核维持率"),
            _(
                "分母：统计期内作出的复查意见（第三十五条）和复核意见（第三十六条），按维持、变更、"
                "撤销分列，归属原处理意见的责任单位。分子：维持原处理意见的。"
            ),
            _("《信访工作条例》第三十五条、第三十六条"),
            _("维持"),
            _("变更或撤销"),
        ),
    )
}

KEYS: tuple[str, ...] = tuple(DEFINITIONS)

# Why an item is where it is in a drill-down.
REASONS: dict[str, Promise] = {
    "on_time": _("按期"),
    "late": _("逾期办结"),
    "overdue": _("届满仍未办结"),
    "rated": _("已评价"),
    "not_rated": _("未评价"),
    "satisfied": _("满意"),
    "basically": _("基本满意"),
    "unsatisfied": _("不满意"),
    "resolved": _("一次性化解"),
    "review_requested": _("申请复查"),
    "repeated": _("有重复件"),
    "not_repeated": _("无重复件"),
    "upheld": _("维持"),
    "changed": _("变更"),
    "revoked": _("撤销"),
}

# Which step of the matter an item is about.
STEPS: dict[str, Promise] = {
    "route": _("转送交办"),
    "acceptance": _("受理告知"),
    "handling": _("办理答复"),
    "simplified": _("简易办理"),
    "reply": _("书面答复"),
    "rating": _("评价"),
    "review_request": _("申请复查期限"),
    "accepted": _("受理"),
    "review": _("复查"),
    "re_review": _("复核"),
}
