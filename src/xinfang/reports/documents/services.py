"""Issuing documents (文书) and editing their templates. Every change is one transaction.

A document is rendered once, when issued: its .docx is stored under its SHA-256 and its number
and checksum go onto the matter's hash-chained timeline. Downloads serve the stored bytes after
checking them; nothing is ever rendered again, so a later template edit changes nothing issued.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from xinfang.matters.errors import Conflict, Forbidden, InvalidInput, InvalidState, NotFound
from xinfang.matters.models import Event, EventKind, Matter, State
from xinfang.matters.selectors import can_see_identity, is_visible
from xinfang.matters.services._core import append_event, begin, resolve_time, save, timeline
from xinfang.org.access import memberships_of, scope_unit_ids, units_within
from xinfang.org.models import JURISDICTION_ROLES, Membership, Unit
from xinfang.reports.documents import docx
from xinfang.reports.documents.facts import issuing_unit, matter_facts
from xinfang.reports.documents.kinds import (
    SPECS,
    KindSpec,
    body_only_placeholders,
    fill,
    unknown_placeholders,
)
from xinfang.reports.metrics import MetricValue, Period, metrics_by_unit, scope_metrics
from xinfang.reports.models import (
    Document,
    DocumentKind,
    DocumentSequence,
    DocumentTemplate,
    document_path,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

MAX_PREFIX = 20
# A number prefix is printed as "清人社受〔2026〕1号": the brackets and 号 are the format's.
_PREFIX_FORBIDDEN = set("〔〕[]{}()（）号 \t\r\n")


@dataclass(frozen=True)
class TemplateText:
    """The template in use for a unit and kind: the office's newest version, or the default."""

    unit: Unit
    kind: str
    version: int  # 0: the built-in default
    issuer_mark: str
    number_prefix: str
    title: str
    body: str
    signature: str
    seal_text: str
    cc: str
    row: DocumentTemplate | None = None


def default_template(unit: Unit, kind: str) -> TemplateText:
    spec = SPECS[kind]
    return TemplateText(
        unit=unit,
        kind=kind,
        version=0,
        issuer_mark=unit.name,
        number_prefix=f"{unit.short_name}{spec.suffix}",
        title=spec.title,
        body=spec.body,
        signature=unit.name,
        seal_text="（印章）",
        cc="",
    )


def template_in_use(unit: Unit, kind: str) -> TemplateText:
    row = DocumentTemplate.objects.filter(unit=unit, kind=kind).order_by("-version").first()
    if row is None:
        return default_template(unit, kind)
    return TemplateText(
        unit=unit,
        kind=kind,
        version=row.version,
        issuer_mark=row.issuer_mark,
        number_prefix=row.number_prefix,
        title=row.title,
        body=row.body,
        signature=row.signature,
        seal_text=row.seal_text,
        cc=row.cc,
        row=row,
    )


def template_units(user: User | AnonymousUser) -> list[Unit]:
    """The units whose templates (and bulletins) this user may edit and issue."""
    seen: dict[int, Unit] = {}
    for m in memberships_of(user):
        if m.can_route:
            seen.setdefault(m.unit_id, m.unit)
    return sorted(seen.values(), key=lambda u: u.name)


def _kind(kind: str) -> KindSpec:
    if kind not in SPECS:
        raise InvalidInput(_("没有这种文书。"), field="kind")
    return SPECS[kind]


@transaction.atomic
def template_save(
    *,
    actor: User,
    unit: Unit,
    kind: str,
    expected_version: int,
    issuer_mark: str,
    number_prefix: str,
    title: str,
    body: str,
    signature: str,
    seal_text: str = "",
    cc: str = "",
    at: datetime | None = None,
) -> DocumentTemplate:
    """Save an office's template as a new version; earlier versions stay as they were.

    `expected_version` is the version the editor was shown (0 for the default): if someone saved
    meanwhile the edit is refused (409), never merged."""
    spec = _kind(kind)
    if unit.pk not in scope_unit_ids(actor):
        raise NotFound(_("没有找到该单位，或您无权查看。"))
    if unit not in template_units(actor):
        raise Forbidden(
            _("只有本单位的登记人员、负责人可以修改%(unit)s的文书模板。") % {"unit": unit.name}
        )
    fields = {
        "issuer_mark": (issuer_mark, _("发文机关标志")),
        "number_prefix": (number_prefix, _("机关代字")),
        "title": (title, _("标题")),
        "body": (body, _("正文")),
        "signature": (signature, _("署名")),
    }
    cleaned: dict[str, str] = {}
    for name, (value, label) in fields.items():
        text = docx.clean(value or "").strip()
        if not text:
            raise InvalidInput(_("请填写%(what)s。") % {"what": label}, field=name)
        cleaned[name] = text.replace("\r\n", "\n")
    cleaned["seal_text"] = docx.clean(seal_text or "").strip()
    cleaned["cc"] = docx.clean(cc or "").strip()
    prefix = cleaned["number_prefix"]
    if len(prefix) > MAX_PREFIX or set(prefix) & _PREFIX_FORBIDDEN:
        raise InvalidInput(
            _("机关代字最多%(max)d个字，不含括号、空格和“号”，如“清人社受”。")
            % {"max": MAX_PREFIX},
            field="number_prefix",
        )
    limits = {"issuer_mark": 60, "title": 100, "signature": 100, "seal_text": 30, "cc": 200}
    for name, limit in limits.items():
        if len(cleaned[name]) > limit:
            raise InvalidInput(
                _("%(what)s最多%(max)d个字。")
                % {"what": fields[name][1] if name in fields else name, "max": limit},
                field=name,
            )
    for name in ("issuer_mark", "title", "body", "signature", "cc"):
        unknown = unknown_placeholders(kind, cleaned[name])
        if unknown:
            raise InvalidInput(
                _("不认识的占位符：%(names)s。请只使用本页列出的占位符。")
                % {"names": "、".join("{" + n + "}" for n in unknown)},
                field=name,
            )
        misplaced = [] if name == "body" else body_only_placeholders(cleaned[name])
        if misplaced:
            raise InvalidInput(
                _("%(names)s只能用在正文中（标题会显示在办理记录、文书列表和文件名中）。")
                % {"names": "、".join("{" + n + "}" for n in misplaced)},
                field=name,
            )
    current = template_in_use(unit, spec.kind)
    if current.version != expected_version:
        raise Conflict(_("该模板已被他人修改，请刷新页面查看最新版本后再编辑。"))
    when = resolve_time(at)
    try:
        with transaction.atomic():
            return DocumentTemplate.objects.create(
                unit=unit,
                kind=spec.kind,
                version=current.version + 1,
                created_by=actor,
                created_at=when,
                **cleaned,
            )
    except IntegrityError:
        # Another edit of the same version was saved between our read and our insert.
        raise Conflict(_("该模板已被他人修改，请刷新页面查看最新版本后再编辑。")) from None


# --- issuing -----------------------------------------------------------------------------------


def _effective_state(matter: Matter, events: list[Event]) -> str:
    """The state a document is judged by: a closed matter counts as the state it closed from."""
    if matter.state == State.CLOSED:
        closed = [e for e in events if e.kind == EventKind.CLOSED]
        return closed[-1].from_state if closed else matter.state
    return matter.state


def _issuer_membership(
    user: User, spec: KindSpec, unit: Unit | None, matter: Matter
) -> Membership | None:
    """The user's membership in the issuing unit that may issue this kind. A handler who is
    not the matter's handler may not, as they may not reply or ask for an extension
    (matters.services.handling._require_handler): only the unit's deciders and its handler."""
    if unit is None:
        return None
    for m in memberships_of(user):
        if m.unit_id != unit.pk:
            continue
        if any(getattr(m, c) for c in spec.capabilities if c != "can_handle"):
            return m
        if "can_handle" in spec.capabilities and m.can_handle and matter.handler_id == user.pk:
            return m
    return None


def _in_state(spec: KindSpec, matter: Matter, events: list[Event]) -> bool:
    return _effective_state(matter, events) in spec.states and any(
        e.kind in spec.after for e in events
    )


def issuable_kinds(user: User, matter: Matter, events: list[Event]) -> list[KindSpec]:
    """The documents this user may issue on this matter now (the page's buttons; the service
    checks again)."""
    if not can_see_identity(user, matter):
        return []
    offered = []
    for kind, spec in SPECS.items():
        if kind == DocumentKind.BULLETIN or not _in_state(spec, matter, events):
            continue
        if _issuer_membership(user, spec, issuing_unit(kind, matter, events), matter) is not None:
            offered.append(spec)
    return offered


def _next_number(unit: Unit, prefix: str, year: int) -> int:
    """The next gap-free number of (unit, prefix, year). The UPDATE holds the sequence row's
    lock until the caller's transaction commits: a rolled-back issue gives its number back."""
    table = connection.ops.quote_name(DocumentSequence._meta.db_table)
    sql = (
        f"UPDATE {table} SET last = last + 1 "
        "WHERE unit_id = %s AND prefix = %s AND year = %s RETURNING last"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [unit.pk, prefix, year])
        row = cursor.fetchone()
        if row is None:
            DocumentSequence.objects.get_or_create(unit=unit, prefix=prefix, year=year)
            cursor.execute(sql, [unit.pk, prefix, year])
            row = cursor.fetchone()
    return int(row[0])


def _letter(
    template: TemplateText,
    values: dict[str, str],
    *,
    number: str,
    addressee: str,
    when: datetime,
    tables: list[list[list[str]]],
) -> docx.Letter:
    body = fill(template.body, values)
    paragraphs = [line.strip() for line in body.splitlines() if line.strip()]
    return docx.Letter(
        issuer_mark=fill(template.issuer_mark, values),
        number=number,
        title=fill(template.title, values),
        addressee=addressee,
        paragraphs=paragraphs,
        signature=fill(template.signature, values),
        date_text=values["成文日期"],
        seal_text=template.seal_text,
        cc=fill(template.cc, values),
        issued_at=timezone.localtime(when),
        author=template.unit.name,
        tables=tables,
    )


def _store(content: bytes) -> tuple[str, str]:
    """Store the bytes under their SHA-256 (the same bytes are stored once)."""
    sha = hashlib.sha256(content).hexdigest()
    name = document_path(Document(sha256=sha), "")
    if not default_storage.exists(name):
        stored = default_storage.save(name, ContentFile(content))
        if stored != name:  # the storage renamed it: a file appeared there meanwhile
            default_storage.delete(stored)
    return name, sha


def _make(
    *,
    kind: str,
    template: TemplateText,
    values: dict[str, str],
    addressee: str,
    when: datetime,
    actor: User,
    matter: Matter | None,
    period: str = "",
    to_petitioner: bool,
    tables: list[list[list[str]]] | None = None,
) -> tuple[Document, docx.Letter]:
    year = timezone.localtime(when).year
    seq = _next_number(template.unit, template.number_prefix, year)
    number = f"{template.number_prefix}〔{year}〕{seq}号"
    values = {**values, "成文日期": docx.chinese_date(timezone.localtime(when).date())}
    letter = _letter(
        template, values, number=number, addressee=addressee, when=when, tables=tables or []
    )
    if tables and "指标" in values:
        # The figures per unit right after the figures' lines, wherever the template puts them.
        last_figure = values["指标"].splitlines()[-1:] or [""]
        found = [i for i, text in enumerate(letter.paragraphs) if text == last_figure[0]]
        letter.tables_after = found[-1] if found else None
    content = docx.render(letter)
    name, sha = _store(content)
    document = Document(
        kind=kind,
        matter=matter,
        period=period,
        unit=template.unit,
        prefix=template.number_prefix,
        year=year,
        seq=seq,
        number=number,
        title=letter.title[:100],
        issued_at=when,
        issued_by=actor,
        template=template.row,
        template_version=template.version,
        sha256=sha,
        size=len(content),
        text=docx.plain_text(letter),
        to_petitioner=to_petitioner,
    )
    document.file.name = name
    return document, letter


@transaction.atomic
def document_issue(
    *,
    actor: User,
    matter: Matter,
    kind: str,
    expected_version: int | None,
    at: datetime | None = None,
) -> Document:
    """Issue one of a matter's documents: number it, render it, store it, and put it on the
    timeline, in one transaction. Issuing again makes a new document with a new number."""
    spec = _kind(kind)
    if spec.kind == DocumentKind.BULLETIN:
        raise InvalidInput(_("通报不属于某一信访事项，请在通报页面出具。"), field="kind")
    matter, when = begin(matter, actor, expected_version, at)
    events = timeline(matter)
    if not _in_state(spec, matter, events):
        raise InvalidState(
            _("该事项当前状态为“%(state)s”，不能出具《%(name)s》。")
            % {"state": State(matter.state).label, "name": spec.name}
        )
    issuer = issuing_unit(spec.kind, matter, events)
    membership = _issuer_membership(actor, spec, issuer, matter)
    if membership is None or issuer is None:
        raise Forbidden(
            _("您在%(unit)s没有出具《%(name)s》的权限。")
            % {"unit": issuer.name if issuer else _("相关单位"), "name": spec.name}
        )
    if not can_see_identity(actor, matter):
        raise Forbidden(_("检举控告人的身份须严格保密（第四十六条），您不能出具载有其姓名的文书。"))
    template = template_in_use(issuer, spec.kind)
    values = matter_facts(spec.kind, matter, events, issuer)
    document, _letter_made = _make(
        kind=spec.kind,
        template=template,
        values=values,
        addressee=values["信访人"],
        when=when,
        actor=actor,
        matter=matter,
        to_petitioner=True,
    )
    event = append_event(
        matter,
        kind=EventKind.DOCUMENT_ISSUED,
        actor=actor,
        actor_unit=membership.unit,
        at=when,
        from_state=matter.state,
        to_state=matter.state,
        text=f"出具《{document.title}》{document.number}",
        # The checksum goes into the chain: the stored file is as tamper-evident as the event.
        data={
            "kind": spec.kind,
            "number": document.number,
            "sha256": document.sha256,
            "template_version": template.version,
        },
        is_public=True,
    )
    document.event = event
    document.save(force_insert=True)
    save(matter, [])
    return document


# --- the monthly bulletin ------------------------------------------------------------------------

_ORDINALS = "一二三四五六七八九十"


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def bulletin_scope(actor: User, unit: Unit) -> frozenset[int]:
    """The units a bulletin of `unit` covers: what the person's roles in that unit let them see
    (the same rule as org.access.scope_unit_ids, applied to that unit's memberships only), so
    that someone with roles in two units never puts the other unit's figures in it."""
    roles = [m for m in memberships_of(actor) if m.unit_id == unit.pk]
    if unit.is_petition_office or any(m.role in JURISDICTION_ROLES for m in roles):
        ids = units_within([], [unit.region.subtree_prefix])
    else:
        ids = units_within([unit.pk])
    return frozenset(ids) & scope_unit_ids(actor)


def _summed(rows: list[tuple[Unit, list[MetricValue]]]) -> list[MetricValue]:
    """The figures over several units: each item counts for exactly one unit, so numerators
    and denominators add up."""
    total = list(rows[0][1])
    for _unit, values in rows[1:]:
        for index, value in enumerate(values):
            numerator = total[index].numerator + value.numerator
            denominator = total[index].denominator + value.denominator
            total[index] = replace(
                total[index],
                numerator=numerator,
                denominator=denominator,
                rate=numerator / denominator if denominator else None,
            )
    return total


def bulletin_facts(
    actor: User, year: int, month: int, unit: Unit | None = None
) -> tuple[str, list[list[list[str]]]]:
    """The figures of the month over the issuing unit's scope (everything the actor may see
    when no unit is given), one line each, and the same figures per responsible unit (units in
    their usual order, never ranked by a figure)."""
    period = Period.month(year, month)
    with translation.override(settings.LANGUAGE_CODE):  # a record: in the primary language
        lines = []
        by_unit = metrics_by_unit(actor, period)
        if unit is None:
            values = scope_metrics(actor, period)
        else:
            covered = bulletin_scope(actor, unit)
            by_unit = [(u, v) for u, v in by_unit if u.pk in covered]
            # Nothing in the scope: the unit's own (empty) figures, for their labels.
            values = _summed(by_unit) if by_unit else scope_metrics(actor, period, unit)
        for index, v in enumerate(values):
            if v.rate is None:
                figure = "本期无应计事项"
            else:
                figure = f"{_percent(v.rate)}（{v.numerator}/{v.denominator}）"
            lines.append(f"{_ORDINALS[index % 10]}、{v.label}：{figure}。依据：{v.article}。")
        rows = [["单位", *[str(v.label) for v in values]]]
        for row_unit, unit_values in by_unit:
            rows.append([row_unit.name, *[_percent(v.rate) for v in unit_values]])
    return "\n".join(lines), [rows] if len(rows) > 1 else []


@transaction.atomic
def bulletin_issue(
    *, actor: User, unit: Unit, year: int, month: int, at: datetime | None = None
) -> Document:
    """通报: the month's service-quality figures as a numbered document of the unit."""
    if unit.pk not in scope_unit_ids(actor):
        raise NotFound(_("没有找到该单位，或您无权查看。"))
    if unit not in template_units(actor):
        raise Forbidden(
            _("只有本单位的登记人员、负责人可以出具%(unit)s的通报。") % {"unit": unit.name}
        )
    when = resolve_time(at)
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise InvalidInput(_("请选择要通报的月份。"), field="month")
    last_day = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    if last_day >= timezone.localtime(when).date():
        raise InvalidInput(_("只能通报已经结束的月份。"), field="month")
    figures, tables = bulletin_facts(actor, year, month, unit)
    template = template_in_use(unit, DocumentKind.BULLETIN)
    values = {"期间": f"{year}年{month}月", "发文单位": unit.name, "指标": figures}
    document, _letter_made = _make(
        kind=DocumentKind.BULLETIN,
        template=template,
        values=values,
        addressee="各有关单位",
        when=when,
        actor=actor,
        matter=None,
        period=f"{year}-{month:02d}",
        to_petitioner=False,
        tables=tables,
    )
    document.save(force_insert=True)
    return document


def bulletins_for(user: User) -> list[Document]:
    units = [u.pk for u in template_units(user)]
    return list(
        Document.objects.filter(kind=DocumentKind.BULLETIN, unit_id__in=units)
        .select_related("unit", "issued_by")
        .order_by("-period", "-issued_at")
    )


# --- reading -----------------------------------------------------------------------------------


def documents_for(user: User, matter: Matter) -> list[Document]:
    return list(Document.objects.filter(matter=matter).select_related("unit", "issued_by"))


def document_for_user(user: User | AnonymousUser, pk: int) -> Document:
    """The document if the user may read it: NotFound otherwise (ids cannot be probed, and an
    accuser's notice is as absent to whoever may not know the accuser)."""
    document = Document.objects.select_related("matter", "unit").filter(pk=pk).first()
    if document is None:
        raise NotFound(_("没有找到该文书，或您无权查看。"))
    if document.matter is not None:
        if not is_visible(user, document.matter) or not can_see_identity(user, document.matter):
            raise NotFound(_("没有找到该文书，或您无权查看。"))
    elif document.unit_id not in scope_unit_ids(user):
        raise NotFound(_("没有找到该文书，或您无权查看。"))
    return document


class Tampered(Exception):
    """The stored file no longer matches its checksum: it is not served."""


def document_bytes(document: Document) -> bytes:
    with default_storage.open(str(document.file.name), "rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != document.sha256 or len(content) != document.size:
        raise Tampered(document.number)
    return content
