"""Registering a matter: numbering, petitioners, attachments."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import IO, TYPE_CHECKING

from django.conf import settings
from django.core.files.base import File
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from xinfang.matters.errors import Forbidden, InvalidInput
from xinfang.matters.identity import (
    IdentityError,
    mask_id_number,
    mask_phone,
    normalize_phone,
    validate_id_number,
)
from xinfang.matters.models import (
    Attachment,
    Category,
    Channel,
    Event,
    EventKind,
    Matter,
    MatterType,
    NumberSequence,
    Petitioner,
    State,
)
from xinfang.matters.services._core import (
    append_event,
    begin,
    in_records,
    keyring,
    require_role,
    require_text,
    resolve_time,
    save,
)
from xinfang.org.access import memberships_of
from xinfang.org.models import Membership, Region, Unit

if TYPE_CHECKING:
    from django.contrib.auth.models import User

MAX_REPRESENTATIVES = 5  # art. 20
QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I to misread
QUERY_CODE_LENGTH = 12  # 32**12 = 2**60 codes


@dataclass(frozen=True)
class PetitionerInput:
    name: str
    phone: str = ""
    id_number: str = ""
    address: str = ""
    email: str = ""


@dataclass(frozen=True)
class Upload:
    """A file to attach: its name as the petitioner gave it, and its bytes."""

    name: str
    stream: IO[bytes]
    content_type: str = ""


def new_query_code() -> str:
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(QUERY_CODE_LENGTH))


def _registering_membership(actor: User, office: Unit | None) -> Membership:
    if office is not None:
        return require_role(actor, "can_register", office, pgettext("action", "登记信访事项"))
    candidates = [m for m in memberships_of(actor) if m.can_register]
    if not candidates:
        raise Forbidden(_("您没有登记信访事项的权限。"))
    if len({m.unit_id for m in candidates}) > 1:
        raise InvalidInput(_("您在多个单位有登记权限，请选择登记单位。"), field="office")
    return candidates[0]


def _next_number(office: Unit, year: int) -> tuple[int, str]:
    """The next gap-free number of the office's year.

    The UPDATE holds the sequence row's lock until the registration commits, so concurrent
    registrations queue on it and a rolled-back registration gives its number back.
    """
    table = connection.ops.quote_name(NumberSequence._meta.db_table)
    # UPDATE … RETURNING (SQLite ≥ 3.35, PostgreSQL): increment and read in one statement.
    sql = f"UPDATE {table} SET last = last + 1 WHERE office_id = %s AND year = %s RETURNING last"
    with connection.cursor() as cursor:
        cursor.execute(sql, [office.pk, year])
        row = cursor.fetchone()
        if row is None:
            # The office's first matter of the year. get_or_create survives a concurrent
            # creation of the same row (unique constraint, savepoint, re-read).
            NumberSequence.objects.get_or_create(office=office, year=year)
            cursor.execute(sql, [office.pk, year])
            row = cursor.fetchone()
    seq = int(row[0])
    return seq, f"{office.short_name}〔{year}〕{seq}号"


def _clean_petitioners(
    petitioners: Sequence[PetitionerInput], *, type: str, is_collective: bool
) -> list[Petitioner]:
    if not petitioners and type != MatterType.ACCUSATION:
        raise InvalidInput(_("请填写信访人信息（检举控告可以匿名）。"), field="petitioners")
    if len(petitioners) > MAX_REPRESENTATIVES:
        raise InvalidInput(
            _(
                "多人共同提出的信访事项应推选代表，代表人数不超过%(max)d人"
                "（《信访工作条例》第二十条），本次填写了%(count)d人。"
            )
            % {"max": MAX_REPRESENTATIVES, "count": len(petitioners)},
            field="petitioners",
        )
    ring = keyring()
    today = timezone.localdate()
    rows = []
    for position, given in enumerate(petitioners, start=1):
        name = require_text(given.name, "petitioners", _("第%(n)d位信访人的姓名") % {"n": position})
        row = Petitioner(
            position=position,
            name=name[:50],
            address=given.address.strip()[:200],
            email=given.email.strip(),
            is_representative=is_collective,
        )
        try:
            if given.id_number.strip():
                number = validate_id_number(given.id_number, today=today)
                row.id_sealed = ring.seal(number)
                row.id_hash = ring.match_hash("id", number)
                row.id_masked = mask_id_number(number)
            if given.phone.strip():
                phone = normalize_phone(given.phone)
                row.phone_sealed = ring.seal(phone)
                row.phone_hash = ring.match_hash("phone", phone)
                row.phone_masked = mask_phone(phone)
        except IdentityError as exc:
            # identity.py stays free of Django: its messages are marked there, translated here.
            raise InvalidInput(
                _("第%(n)d位信访人（%(name)s）：%(problem)s")
                % {"n": position, "name": name, "problem": _(str(exc))},
                field="petitioners",
            ) from exc
        rows.append(row)
    return rows


def _store_upload(
    matter: Matter, upload: Upload, actor: User | None, event: Event | None
) -> Attachment:
    limit = settings.XINFANG_MAX_ATTACHMENT_BYTES
    digest = hashlib.sha256()
    size = 0
    upload.stream.seek(0)
    for chunk in iter(lambda: upload.stream.read(1 << 16), b""):
        size += len(chunk)
        if size > limit:
            raise InvalidInput(
                _("附件“%(name)s”超过%(limit)dMB的大小限制。")
                % {"name": upload.name, "limit": limit // (1024 * 1024)},
                field="attachments",
            )
        digest.update(chunk)
    if size == 0:
        raise InvalidInput(
            _("附件“%(name)s”是空文件。") % {"name": upload.name}, field="attachments"
        )
    upload.stream.seek(0)
    attachment = Attachment(
        matter=matter,
        event=event,
        original_name=upload.name[:200],
        content_type=upload.content_type[:100],
        size=size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    # Stored under its checksum: the same bytes uploaded twice share one file on disk.
    attachment.file.save(upload.name, File(upload.stream), save=False)
    attachment.save()
    return attachment


@transaction.atomic
def matter_register(
    *,
    actor: User,
    channel: str,
    received_at: datetime,
    content: str,
    type: str,
    petitioners: Sequence[PetitionerInput],
    title: str = "",
    office: Unit | None = None,
    category: Category | None = None,
    region: Region | None = None,
    is_collective: bool = False,
    head_count: int | None = None,
    source_reference: str = "",
    accused_units: Sequence[Unit] = (),
    attachments: Sequence[Upload] = (),
) -> Matter:
    """Register a letter, visit, online submission, call, fax or transfer from above."""
    membership = _registering_membership(actor, office)
    return register_at_office(
        office=membership.unit,
        actor=actor,
        channel=channel,
        received_at=received_at,
        content=content,
        type=type,
        petitioners=petitioners,
        title=title,
        category=category,
        region=region,
        is_collective=is_collective,
        head_count=head_count,
        source_reference=source_reference,
        accused_units=accused_units,
        attachments=attachments,
    )


def register_at_office(
    *,
    office: Unit,
    actor: User | None,
    channel: str,
    received_at: datetime,
    content: str,
    type: str,
    petitioners: Sequence[PetitionerInput],
    title: str = "",
    category: Category | None = None,
    region: Region | None = None,
    is_collective: bool = False,
    head_count: int | None = None,
    source_reference: str = "",
    accused_units: Sequence[Unit] = (),
    attachments: Sequence[Upload] = (),
    record_text: str = "",
) -> Matter:
    """The registration itself, shared by matter_register (a registrar, whose right to register
    at `office` the caller has checked) and the portal's online submission (`actor` None: the
    petitioner submitted it). Runs in the caller's transaction.

    `record_text` replaces the registered event's default text ("<office>登记，<channel>")."""
    if channel not in Channel.values:
        raise InvalidInput(
            _("请选择信访形式（来信、来访、网上、电话、传真、上级转来）。"), field="channel"
        )
    if type not in MatterType.values:
        raise InvalidInput(_("请选择信访事项类型（建议意见、检举控告、申诉求决）。"), field="type")
    content = require_text(content, "content", _("信访事项的内容"))
    title = (title or "").strip() or content.replace("\n", " ")[:30]
    if len(title) > 200:
        raise InvalidInput(_("标题不超过200字。"), field="title")
    received = resolve_time(received_at, field="received_at")
    if channel == Channel.TRANSFERRED and not source_reference.strip():
        raise InvalidInput(
            _("上级转来的事项请填写转来机关的文号或编号。"), field="source_reference"
        )
    if accused_units and type != MatterType.ACCUSATION:
        raise InvalidInput(_("只有检举控告类事项可以填写被检举单位。"), field="accused_units")
    count = len(petitioners)
    is_collective = is_collective or count > 1
    people = head_count if head_count is not None else max(count, 1)
    if people < max(count, 1):
        raise InvalidInput(_("人数不能少于所填写的信访人（代表）人数。"), field="head_count")
    rows = _clean_petitioners(petitioners, type=type, is_collective=is_collective)

    year = timezone.localtime(received).year
    seq, number = _next_number(office, year)
    matter = Matter.objects.create(
        office=office,
        year=year,
        seq=seq,
        number=number,
        query_code=new_query_code(),
        channel=channel,
        received_at=received,
        registered_at=timezone.now(),
        source_reference=source_reference.strip()[:100],
        title=title,
        content=content,
        type=type,
        category=category,
        region=region,
        is_collective=is_collective,
        head_count=people,
        state=State.REGISTERED,
        lead_unit=office,
        created_by=actor,
    )
    matter._timeline = []  # type: ignore[attr-defined]  # a new matter has no events yet
    for row in rows:
        row.matter = matter
    Petitioner.objects.bulk_create(rows)
    if accused_units:
        matter.accused_units.set(accused_units)
    event = append_event(
        matter,
        kind=EventKind.REGISTERED,
        actor=actor,
        actor_unit=office,
        at=received,
        to_state=State.REGISTERED,
        text=record_text or f"{office.name}登记，{in_records(Channel(channel).label)}",
        data={"at_office": office.is_petition_office, "channel": channel},
    )
    for upload in attachments:
        _store_upload(matter, upload, actor, event)
    save(matter, [])
    return matter


@transaction.atomic
def attachment_add(
    *,
    matter: Matter,
    actor: User,
    upload: Upload,
    note: str = "",
    at: datetime | None = None,
) -> Attachment:
    """Add a document or scan to a matter's file; it is listed on the timeline."""
    matter, when = begin(matter, actor, None, at)
    memberships = [m for m in memberships_of(actor) if not m.is_read_only]
    if not memberships:
        raise Forbidden(_("您没有为该事项添加附件的权限。"))
    # Book it to the actor's unit on this matter where they have one.
    involved = {matter.lead_unit_id, matter.office_id}
    membership = next((m for m in memberships if m.unit_id in involved), memberships[0])
    event = append_event(
        matter,
        kind=EventKind.ATTACHED,
        actor=actor,
        actor_unit=membership.unit,
        at=when,
        from_state=matter.state,
        to_state=matter.state,
        text=note or upload.name,
        is_public=False,
    )
    attachment = _store_upload(matter, upload, actor, event)
    save(matter, [])
    return attachment
