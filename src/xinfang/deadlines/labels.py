"""Clock labels, articles and warnings in the user's language.

clocks.py is plain Python and speaks Chinese, the language of the regulation; screens and the
API show its words through these translations.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinfang.deadlines.clocks import Clock

_LABELS = {
    "route": gettext_lazy("转送交办期限"),
    "acceptance": gettext_lazy("受理告知期限"),
    "objection": gettext_lazy("异议期限"),
    "handling": gettext_lazy("办理期限"),
    "simplified": gettext_lazy("简易办理期限"),
    "review_request": gettext_lazy("申请复查期限"),
    "review": gettext_lazy("复查期限"),
    "re_review_request": gettext_lazy("申请复核期限"),
    "re_review": gettext_lazy("复核期限"),
    "first_visit": gettext_lazy("初访办理期限"),
}

_ARTICLES = {
    "《信访工作条例》第二十二条": gettext_lazy("《信访工作条例》第二十二条"),
    "《信访工作条例》第二十三条": gettext_lazy("《信访工作条例》第二十三条"),
    "《信访工作条例》第二十三条第三款": gettext_lazy("《信访工作条例》第二十三条第三款"),
    "《信访工作条例》第三十四条": gettext_lazy("《信访工作条例》第三十四条"),
    "《信访工作条例》第三十五条": gettext_lazy("《信访工作条例》第三十五条"),
    "《信访工作条例》第三十六条": gettext_lazy("《信访工作条例》第三十六条"),
    "《信访事项简易办理办法（试行）》": gettext_lazy("《信访事项简易办理办法（试行）》"),
    "本地规定：初次来访": gettext_lazy("本地规定：初次来访"),
}


def clock_label(clock: Clock) -> str:
    label = _LABELS.get(clock.key)
    return str(label) if label is not None else clock.rule.label


def clock_article(clock: Clock) -> str:
    article = _ARTICLES.get(clock.rule.article)
    return str(article) if article is not None else clock.rule.article


def clock_warnings(clock: Clock) -> list[str]:
    return [
        _("%(year)d年的法定节假日安排尚未载入，截止日按周末推算，请管理员载入后再核对。")
        % {"year": year}
        for year in clock.uncovered_years
    ]
