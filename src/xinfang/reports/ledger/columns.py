"""The ledger's columns: the fields an import fills, the header names that propose them, and how
a cell's text becomes a value (dates, choices, numbers).

Header names are matched after normalisation (spaces, colons, asterisks and case dropped), in
the order given: the first field to claim a header gets it, so 原编号 goes to the original
number before the bare 编号 is tried.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from xinfang.matters.models import Channel, MatterType, State

LANGUAGES = ("zh-hans", "en")


@dataclass(frozen=True)
class Field:
    key: str
    label: Promise
    required: bool
    # Header names in the file that propose this field (besides its own label in either
    # language, and the export's column label).
    names: tuple[str, ...]


FIELDS: tuple[Field, ...] = (
    Field(
        "source_reference",
        pgettext_lazy("ledger column", "Original number"),
        False,
        ("原编号", "原始编号", "台账编号", "编号"),
    ),
    Field(
        "received_at",
        pgettext_lazy("ledger column", "Received"),
        True,
        ("收到日期", "来信日期", "来访日期", "登记日期", "收到时间", "收件日期", "日期"),
    ),
    Field(
        "channel",
        pgettext_lazy("ledger column", "Channel"),
        True,
        ("来源", "渠道", "信访形式", "信访方式", "形式"),
    ),
    Field(
        "type",
        pgettext_lazy("ledger column", "Type"),
        True,
        ("类型", "性质", "信访类型", "事项类型", "事项性质"),
    ),
    Field(
        "category",
        pgettext_lazy("ledger column", "Category"),
        False,
        ("类别", "问题类别", "问题分类", "分类", "所属类别"),
    ),
    Field(
        "region",
        pgettext_lazy("ledger column", "Region"),
        False,
        ("地区", "属地", "问题属地", "所属地区", "发生地"),
    ),
    Field(
        "title",
        pgettext_lazy("ledger column", "Title"),
        False,
        ("标题", "事由", "主题", "简要事由"),
    ),
    Field(
        "content",
        pgettext_lazy("ledger column", "Content"),
        True,
        ("内容", "诉求", "主要内容", "主要诉求", "反映内容", "信访内容", "反映问题"),
    ),
    Field(
        "names",
        pgettext_lazy("ledger column", "Petitioners"),
        False,
        ("信访人", "姓名", "信访人姓名", "来信人", "来访人"),
    ),
    Field(
        "phone",
        pgettext_lazy("ledger column", "Phone"),
        False,
        ("电话", "联系方式", "联系电话", "手机", "手机号码"),
    ),
    Field(
        "id_number",
        pgettext_lazy("ledger column", "ID number"),
        False,
        ("身份证号", "身份证号码", "证件号码", "身份证"),
    ),
    Field(
        "address",
        pgettext_lazy("ledger column", "Address"),
        False,
        ("地址", "住址", "家庭住址", "联系地址", "通讯地址"),
    ),
    Field(
        "head_count",
        pgettext_lazy("ledger column", "Number of people"),
        False,
        ("人数", "来访人数", "信访人数"),
    ),
    Field(
        "collective",
        pgettext_lazy("ledger column", "Collective"),
        False,
        ("集体", "是否集体", "集体访", "集体信访"),
    ),
    Field(
        "unit",
        pgettext_lazy("ledger column", "Responsible unit"),
        False,
        ("责任单位", "交办单位", "转送单位", "承办单位"),
    ),
    Field(
        "state", pgettext_lazy("ledger column", "State"), False, ("状态", "办理状态", "办理情况")
    ),
    Field(
        "sent_at",
        pgettext_lazy("ledger column", "Forwarded or assigned on"),
        False,
        ("转送日期", "交办日期", "转交日期"),
    ),
)
FIELD_KEYS = tuple(f.key for f in FIELDS)
FIELDS_BY_KEY = {f.key: f for f in FIELDS}


def normalise(header: Any) -> str:
    text = "" if header is None else str(header)
    return re.sub(r"[\s:：*＊()（）]+", "", text).lower()


def _labels(value: Any) -> set[str]:
    """A lazy label in every language, normalised."""
    out = set()
    for language in LANGUAGES:
        with translation.override(language):
            out.add(normalise(str(value)))
    return out


def propose_mapping(headers: Sequence[Any]) -> dict[str, int | None]:
    """For each field, the index of the header that proposes it (or None)."""
    by_name: dict[str, int] = {}
    for index, header in enumerate(headers):
        name = normalise(header)
        if name and name not in by_name:
            by_name[name] = index
    taken: set[int] = set()
    mapping: dict[str, int | None] = {}
    # Own labels first (an exported ledger maps back exactly), then the common names.
    passes: list[dict[str, list[str]]] = [
        {f.key: sorted(_labels(f.label)) for f in FIELDS},
        {f.key: [normalise(n) for n in f.names] for f in FIELDS},
    ]
    for candidates in passes:
        for f in FIELDS:
            if mapping.get(f.key) is not None:
                continue
            for name in candidates[f.key]:
                found = by_name.get(name)
                if found is not None and found not in taken:
                    mapping[f.key] = found
                    taken.add(found)
                    break
    return {key: mapping.get(key) for key in FIELD_KEYS}


def header_row_score(cells: Sequence[Any]) -> int:
    return sum(1 for v in propose_mapping(cells).values() if v is not None)


# --- cell values ------------------------------------------------------------------------------


class CellError(ValueError):
    """A cell that cannot be read; the message is a translated sentence."""


def text(value: Any) -> str:
    """A cell as text: whole numbers without ".0", dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


_DATE_PATTERNS = (
    re.compile(
        r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
        r"(?:[\sT]+(?P<H>\d{1,2})\s*[:：时]\s*(?P<M>\d{1,2})(?:\s*[:：分]\s*(?P<S>\d{1,2}))?\s*秒?)?"
    ),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
)


def moment(value: Any) -> datetime | date | None:
    """A date or date and time from a cell: an Excel date, or text like 2026-03-01,
    2026/3/1 9:30, 2026.3.1, 2026年3月1日, 20260301. None for an empty cell."""
    from django.utils.translation import gettext as _

    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date()
        return timezone.make_aware(value) if timezone.is_naive(value) else value
    if isinstance(value, date):
        return value
    raw = text(value)
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(raw)
        if match is None:
            continue
        parts = {k: int(v) for k, v in match.groupdict().items() if v is not None}
        try:
            day = date(parts["y"], parts["m"], parts["d"])
            if "H" not in parts:
                return day
            at = datetime.combine(day, time(parts["H"], parts["M"], parts.get("S", 0)))
        except ValueError:
            break
        return timezone.make_aware(at)
    raise CellError(_("“%(value)s”不是有效的日期（例如2026-03-01）。") % {"value": raw[:40]})


def as_moment(value: datetime | date) -> datetime:
    """A bare date means noon that day, or now if that is today and noon has not come: the
    same rule as recording a past step by its date."""
    if isinstance(value, datetime):
        return value
    noon = timezone.make_aware(datetime.combine(value, time(12)))
    now = timezone.now()
    if value == timezone.localdate(now):
        return min(noon, now)
    return noon


def _choice_lookup(choices: Iterable[tuple[str, Any]], extra: Mapping[str, str]) -> dict[str, str]:
    lookup = {normalise(k): v for k, v in extra.items()}
    for value, label in choices:
        lookup[normalise(value)] = value
        for name in _labels(label):
            lookup[name] = value
            # "建议意见 (suggestion or opinion)": each part alone also names it.
            for part in re.split(r"[()（）]", str(name)):
                if part:
                    lookup.setdefault(part, value)
    return lookup


CHANNEL_NAMES = {
    "信": Channel.LETTER,
    "来信": Channel.LETTER,
    "信件": Channel.LETTER,
    "书信": Channel.LETTER,
    "访": Channel.VISIT,
    "来访": Channel.VISIT,
    "走访": Channel.VISIT,
    "网上": Channel.ONLINE,
    "网信": Channel.ONLINE,
    "网上信访": Channel.ONLINE,
    "网络": Channel.ONLINE,
    "电话": Channel.PHONE,
    "来电": Channel.PHONE,
    "传真": Channel.FAX,
    "上级转来": Channel.TRANSFERRED,
    "上级转办": Channel.TRANSFERRED,
    "上级交办": Channel.TRANSFERRED,
    "转来": Channel.TRANSFERRED,
}
TYPE_NAMES = {
    "建议": MatterType.SUGGESTION,
    "意见": MatterType.SUGGESTION,
    "建议意见": MatterType.SUGGESTION,
    "检举": MatterType.ACCUSATION,
    "控告": MatterType.ACCUSATION,
    "检举控告": MatterType.ACCUSATION,
    "举报": MatterType.ACCUSATION,
    "申诉": MatterType.REQUEST,
    "求决": MatterType.REQUEST,
    "申诉求决": MatterType.REQUEST,
}
# The states an import can record (see importer: registration, then forwarding or assignment).
STATE_NAMES = {
    "登记": State.REGISTERED,
    "待转送": State.REGISTERED,
    "待交办": State.REGISTERED,
    "待处理": State.REGISTERED,
    "转送": State.FORWARDED,
    "已转": State.FORWARDED,
    "交办": State.ASSIGNED,
}
YES = {"是", "集体", "yes", "y", "true", "1", "√", "✓"}
NO = {"否", "个体", "个人", "no", "n", "false", "0", ""}


def channel_lookup() -> dict[str, str]:
    return _choice_lookup(Channel.choices, CHANNEL_NAMES)


def type_lookup() -> dict[str, str]:
    return _choice_lookup(MatterType.choices, TYPE_NAMES)


def state_lookup() -> dict[str, str]:
    return _choice_lookup(State.choices, STATE_NAMES)


def split_people(value: str) -> list[str]:
    """Several petitioners in one cell: 张三、李四 (also , ， ; ； / and line breaks)."""
    return [p.strip() for p in re.split(r"[、,，;；/\n]+", value) if p.strip()]


def split_addresses(value: str) -> list[str]:
    """Addresses hold commas: only semicolons and line breaks separate them."""
    return [p.strip() for p in re.split(r"[;；\n]+", value) if p.strip()]


def is_masked(value: str) -> bool:
    return "*" in value or "＊" in value
