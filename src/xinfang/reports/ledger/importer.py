"""Importing an office's existing Excel ledger (台账).

An import records, for each row, what the ledger can vouch for: the registration (at the
row's received time, by the importing registrar, at their office) and, when the row names a
responsible unit and its state says forwarded (转送) or assigned (交办), that step at its date.
Anything later (acceptance, reply, rating...) is not in the ledger's word and is recorded on the
matter page afterwards; a row whose state is past assignment is refused with that reason.

Every row goes through the real services (register_at_office, matter_forward, matter_assign) in
ONE transaction, each in a savepoint so that every bad row is found. A dry run is the same
import, rolled back at the end; the import proper commits only when no row failed, else it is
rolled back whole. So a dry run and an import cannot disagree, and a failed import changes
nothing: no matter, no event, no petitioner, and the number sequence is not advanced.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from xinfang.matters.errors import DomainError, Forbidden, InvalidInput
from xinfang.matters.identity import IdentityError, normalize_phone, validate_id_number
from xinfang.matters.models import (
    Category,
    Channel,
    Event,
    EventKind,
    Matter,
    MatterType,
    Petitioner,
    State,
)
from xinfang.matters.services import PetitionerInput, matter_assign, matter_forward
from xinfang.matters.services._core import in_records
from xinfang.matters.services.registration import MAX_REPRESENTATIVES, register_at_office
from xinfang.org.access import memberships_of
from xinfang.org.models import Region, Unit
from xinfang.reports.ledger import columns
from xinfang.reports.ledger.columns import CellError

if TYPE_CHECKING:
    from django.contrib.auth.models import User

MAX_BYTES = 20 * 1024 * 1024
# An import is one request and one transaction, during which the office's number sequence (and,
# on SQLite, the database's write lock, whose waiters give up after 20 s) is held; after the
# commit, routing indexes each new matter in the same request (its commit hook): 20-30 s per
# 1,000 rows on a 2-core machine (benchmarks/reports_ledger.py), and gunicorn's default worker
# timeout is 30 s. Larger ledgers are imported in several files.
MAX_ROWS = 1000
HEADER_SCAN_ROWS = 10  # a title row or two may sit above the headers
SHA256 = re.compile(r"[0-9a-f]{64}")
UPLOAD_DIR = "ledger"
# An upload not imported within a day is deleted (purge_uploads): start again with the file.
KEEP_UPLOADS = timedelta(days=1)
# Lengths the services would cut short silently: refused here instead, so nothing is lost.
MAX_LEN = {"names": 50, "address": 200, "source_reference": 100, "title": 200}
CONFIDENTIAL_NAMES = {"（保密）", "(保密)", "保密", "(confidential)", "confidential", "匿名"}


class LedgerFileError(Exception):
    """The upload is not a readable .xlsx ledger; the message is translated."""


# --- the file ---------------------------------------------------------------------------------


def storage_name(sha256: str) -> str:
    return f"{UPLOAD_DIR}/{sha256}.xlsx"


def store_upload(data: bytes, name: str) -> str:
    """Check the upload is an .xlsx workbook with a header row and keep it under its checksum.
    Returns the checksum."""
    if not name.lower().endswith(".xlsx"):
        raise LedgerFileError(
            _("请上传Excel工作簿（.xlsx文件）；旧版.xls或CSV请先在Excel中另存为.xlsx。")
        )
    if len(data) > MAX_BYTES:
        raise LedgerFileError(_("文件超过%(n)dMB的大小限制。") % {"n": MAX_BYTES // (1024 * 1024)})
    if not data.startswith(b"PK\x03\x04"):
        raise LedgerFileError(_("该文件不是有效的.xlsx工作簿，可能已损坏或并非Excel文件。"))
    read_table(data)  # refuses a broken workbook or one without a header row, before keeping it
    purge_uploads()
    sha = hashlib.sha256(data).hexdigest()
    path = storage_name(sha)
    # Saved anew even when the same file is there already, so that its age counts from now.
    default_storage.delete(path)
    saved = default_storage.save(path, ContentFile(data))
    if saved != path:  # the same file uploaded at the same moment: one copy is enough
        default_storage.delete(saved)
    return sha


def purge_uploads(older_than: timedelta = KEEP_UPLOADS) -> int:
    """Delete kept ledgers uploaded more than `older_than` ago and never imported (an
    abandoned upload holds ID numbers and phones in the clear). Runs on every upload, and as
    `xinfang ledger_purge_uploads` (from cron, for offices that stop uploading). Returns how
    many files were deleted."""
    try:
        _dirs, files = default_storage.listdir(UPLOAD_DIR)
    except (FileNotFoundError, NotADirectoryError):
        return 0
    cutoff = timezone.now() - older_than
    deleted = 0
    for name in files:
        path = f"{UPLOAD_DIR}/{name}"
        try:
            if default_storage.get_modified_time(path) >= cutoff:
                continue
            default_storage.delete(path)
        except FileNotFoundError:  # deleted meanwhile by another request
            continue
        deleted += 1
    return deleted


def load_upload(sha256: str) -> bytes:
    if not SHA256.fullmatch(sha256 or ""):
        raise LedgerFileError(_("没有找到上传的台账文件，请重新上传。"))
    path = storage_name(sha256)
    if not default_storage.exists(path):
        raise LedgerFileError(_("没有找到上传的台账文件，请重新上传。"))
    with default_storage.open(path, "rb") as fh:
        data: bytes = fh.read()
    return data


def discard_upload(sha256: str) -> None:
    """Remove a kept ledger once it is imported: it holds ID numbers and phones in the clear,
    which the database keeps only sealed."""
    if SHA256.fullmatch(sha256 or ""):
        default_storage.delete(storage_name(sha256))


@dataclass
class Table:
    headers: list[str]
    header_row: int  # the header's row number in the sheet (1-based)
    rows: list[tuple[int, list[Any]]]  # (row number in the sheet, cells)
    sheet: str


def read_table(data: bytes) -> Table:
    """The first sheet's header row (the best-matching of the first rows) and data rows."""
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # zip, XML and openpyxl errors alike: the file is unreadable
        raise LedgerFileError(
            _("该文件不是有效的.xlsx工作簿，可能已损坏或并非Excel文件。")
        ) from exc
    try:
        ws = wb.worksheets[0]
        raw: list[tuple[int, list[Any]]] = []
        for number, cells in enumerate(ws.iter_rows(values_only=True), start=1):
            values = list(cells)
            while values and (values[-1] is None or columns.text(values[-1]) == ""):
                values.pop()
            if values:
                raw.append((number, values))
            if len(raw) > MAX_ROWS + HEADER_SCAN_ROWS:
                raise LedgerFileError(
                    _("一次最多导入%(n)d行，请将台账分成几个文件。") % {"n": MAX_ROWS}
                )
        title = ws.title
    except LedgerFileError:
        raise
    except Exception as exc:
        raise LedgerFileError(
            _("该文件不是有效的.xlsx工作簿，可能已损坏或并非Excel文件。")
        ) from exc
    finally:
        wb.close()
    if not raw:
        raise LedgerFileError(_("工作簿的第一个工作表是空的。"))
    candidates = raw[:HEADER_SCAN_ROWS]
    best = max(
        range(len(candidates)),
        key=lambda i: (columns.header_row_score(candidates[i][1]), -i),
    )
    header_number, header_cells = candidates[best]
    headers = [columns.text(h) for h in header_cells]
    rows = [(n, cells) for n, cells in raw if n > header_number]
    if len(rows) > MAX_ROWS:
        raise LedgerFileError(_("一次最多导入%(n)d行，请将台账分成几个文件。") % {"n": MAX_ROWS})
    return Table(headers=headers, header_row=header_number, rows=rows, sheet=title)


def column_name(table: Table, index: int) -> str:
    header = table.headers[index] if index < len(table.headers) else ""
    letter = get_column_letter(index + 1)
    return f"{letter}（{header}）" if header else letter


# --- the run ----------------------------------------------------------------------------------


@dataclass
class Problem:
    row: int
    column: str
    reason: str


@dataclass
class Outcome:
    dry_run: bool
    rows: int = 0
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    imported: list[str] = field(default_factory=list)  # matter numbers (of a committed import)
    masked_rows: int = 0

    @property
    def clean(self) -> bool:
        return not self.errors

    @property
    def committed(self) -> bool:
        return not self.dry_run and not self.errors


class _RollBack(Exception):
    pass


def import_offices(user: User) -> list[Unit]:
    """The offices where the user may register matters, hence import a ledger."""
    return sorted({m.unit for m in memberships_of(user) if m.can_register}, key=lambda u: u.name)


@dataclass
class _Lookups:
    channels: dict[str, str]
    types: dict[str, str]
    states: dict[str, str]
    categories: dict[str, Category]
    regions: dict[str, Region]
    ambiguous_regions: set[str]
    units: dict[str, Unit]


def _lookups(office: Unit) -> _Lookups:
    categories = {columns.normalise(c.name): c for c in Category.objects.filter(is_active=True)}
    prefix = office.region.subtree_prefix
    regions: dict[str, Region] = {}
    ambiguous: set[str] = set()
    for region in Region.objects.filter(code__startswith=prefix).order_by("code"):
        regions[columns.normalise(region.code)] = region
        name = columns.normalise(region.name)
        if name in regions and regions[name].pk != region.pk:
            ambiguous.add(name)  # two villages of one name in different townships
        regions.setdefault(name, region)
    units: dict[str, Unit] = {}
    for unit in Unit.objects.filter(is_active=True).order_by("level", "name"):
        units.setdefault(columns.normalise(unit.name), unit)
        units.setdefault(columns.normalise(unit.short_name), unit)
    return _Lookups(
        channels=columns.channel_lookup(),
        types=columns.type_lookup(),
        states=columns.state_lookup(),
        categories=categories,
        regions=regions,
        ambiguous_regions=ambiguous,
        units=units,
    )


@dataclass
class _Row:
    number: int
    values: dict[str, Any]
    problems: list[tuple[str, str]] = field(default_factory=list)  # (field key, reason)
    masked: bool = False

    def raw(self, key: str) -> Any:
        return self.values.get(key)

    def text(self, key: str) -> str:
        return columns.text(self.values.get(key))

    def fail(self, key: str, reason: str) -> None:
        self.problems.append((key, reason))


@dataclass
class _Parsed:
    channel: str = ""
    type: str = ""
    received_at: datetime | None = None
    content: str = ""
    title: str = ""
    source_reference: str = ""
    category: Category | None = None
    region: Region | None = None
    petitioners: list[PetitionerInput] = field(default_factory=list)
    head_count: int | None = None
    collective: bool = False
    unit: Unit | None = None
    send_state: str = ""
    sent_at: datetime | None = None


def _parse(row: _Row, lk: _Lookups, office: Unit) -> _Parsed:
    out = _Parsed()
    today = timezone.localdate()

    def choice(key: str, lookup: dict[str, str], message: str) -> str:
        value = row.text(key)
        if not value:
            row.fail(key, _("此项必填。"))
            return ""
        found = lookup.get(columns.normalise(value))
        if found is None:
            row.fail(key, message % {"value": value[:40]})
            return ""
        return found

    out.channel = choice(
        "channel",
        lk.channels,
        _("信访形式“%(value)s”无法识别（来信、来访、网上信访、电话、传真、上级转来）。"),
    )
    out.type = choice(
        "type", lk.types, _("类型“%(value)s”无法识别（建议意见、检举控告、申诉求决）。")
    )
    try:
        received = columns.moment(row.raw("received_at"))
        if received is None:
            row.fail("received_at", _("此项必填。"))
        else:
            out.received_at = columns.as_moment(received)
            if timezone.localtime(out.received_at).date() > today:
                row.fail("received_at", _("收到日期不能晚于今天。"))
    except CellError as exc:
        row.fail("received_at", str(exc))
    out.content = row.text("content")
    if not out.content:
        row.fail("content", _("内容为空。"))
    out.title = row.text("title")
    out.source_reference = row.text("source_reference")
    for key, value in (
        ("title", out.title),
        ("source_reference", out.source_reference),
    ):
        if len(value) > MAX_LEN[key]:
            row.fail(key, _("超过%(n)d字的长度限制。") % {"n": MAX_LEN[key]})
    category = row.text("category")
    if category:
        out.category = lk.categories.get(columns.normalise(category))
        if out.category is None:
            row.fail(
                "category", _("问题类别“%(value)s”不在本系统的分类中。") % {"value": category[:40]}
            )
    region = row.text("region")
    if region:
        out.region = lk.regions.get(columns.normalise(region))
        if columns.normalise(region) in lk.ambiguous_regions:
            out.region = None
            row.fail(
                "region",
                _("辖区内有不止一个名为“%(value)s”的地区，请填写其区划代码。")
                % {"value": region[:40]},
            )
        elif out.region is None:
            row.fail(
                "region",
                _("地区“%(value)s”不在%(office)s的辖区内。")
                % {"value": region[:40], "office": office.name},
            )
    _parse_people(row, out, today)
    _parse_routing(row, out, lk, office)
    return out


def _parse_people(row: _Row, out: _Parsed, today: date) -> None:
    names = columns.split_people(row.text("names"))
    if len(names) == 1 and names[0] in CONFIDENTIAL_NAMES:
        names = []  # an exported accusation whose author was withheld: recorded as anonymous
    phones = columns.split_people(row.text("phone"))
    ids_cell = row.raw("id_number")
    if isinstance(ids_cell, int | float) and not isinstance(ids_cell, bool):
        row.fail(
            "id_number",
            _("身份证号码被存成了数字，末几位可能已丢失；请将该列设为文本格式后重新录入。"),
        )
        ids: list[str] = []
    else:
        ids = columns.split_people(row.text("id_number"))
    addresses = columns.split_addresses(row.text("address"))
    # An accusation exported by someone who may not know its author: every field withheld.
    phones = [v for v in phones if v not in CONFIDENTIAL_NAMES]
    ids = [v for v in ids if v not in CONFIDENTIAL_NAMES]
    addresses = [v for v in addresses if v not in CONFIDENTIAL_NAMES]
    if len(names) > MAX_REPRESENTATIVES:
        row.fail(
            "names",
            _("信访人（代表）不超过%(max)d人（《信访工作条例》第二十条），本行有%(count)d人。")
            % {"max": MAX_REPRESENTATIVES, "count": len(names)},
        )
        names = names[:MAX_REPRESENTATIVES]
    for name in names:
        if len(name) > MAX_LEN["names"]:
            row.fail("names", _("超过%(n)d字的长度限制。") % {"n": MAX_LEN["names"]})
    for address in addresses:
        if len(address) > MAX_LEN["address"]:
            row.fail("address", _("超过%(n)d字的长度限制。") % {"n": MAX_LEN["address"]})
    if not names and (phones or ids or addresses) and out.type != MatterType.ACCUSATION:
        row.fail("names", _("填写了联系方式或地址，但没有信访人姓名。"))
    for key, values in (("phone", phones), ("id_number", ids), ("address", addresses)):
        if len(values) > max(len(names), 1):
            row.fail(key, _("本栏的项数多于信访人人数。"))
    people = []
    for position, name in enumerate(names):
        phone = phones[position] if position < len(phones) else ""
        number = ids[position] if position < len(ids) else ""
        address = addresses[position] if position < len(addresses) else ""
        # An exported ledger shows phones and ID numbers masked: the real values are not in the
        # file, so they are left out (said once on the page), never stored as if they were.
        if phone and columns.is_masked(phone):
            phone, row.masked = "", True
        if number and columns.is_masked(number):
            number, row.masked = "", True
        try:
            if number:
                validate_id_number(number, today=today)
        except IdentityError as exc:
            row.fail("id_number", f"{name}：{_(str(exc))}")
        try:
            if phone:
                normalize_phone(phone)
        except IdentityError as exc:
            row.fail("phone", f"{name}：{_(str(exc))}")
        people.append(PetitionerInput(name=name, phone=phone, id_number=number, address=address))
    out.petitioners = people
    head = row.raw("head_count")
    if head is not None and columns.text(head):
        try:
            count = int(float(columns.text(head)))
            if count < 1 or count != float(columns.text(head)):
                raise ValueError
            out.head_count = count
        except ValueError:
            row.fail("head_count", _("人数应为正整数。"))
    collective = columns.normalise(row.text("collective"))
    if collective in columns.YES:
        out.collective = True
    elif collective not in columns.NO:
        row.fail("collective", _("请填写“是”或“否”。"))
    out.collective = out.collective or (out.head_count or 1) > 1


def _parse_routing(row: _Row, out: _Parsed, lk: _Lookups, office: Unit) -> None:
    unit = row.text("unit")
    state = row.text("state")
    send_state = ""
    if state:
        found = lk.states.get(columns.normalise(state))
        if found is None:
            row.fail("state", _("状态“%(value)s”无法识别。") % {"value": state[:40]})
        elif found not in (State.REGISTERED, State.FORWARDED, State.ASSIGNED):
            row.fail(
                "state",
                _(
                    "状态“%(value)s”无法导入：台账导入只记录登记和转送/交办，"
                    "之后的办理步骤请导入后在事项页面补录。"
                )
                % {"value": state[:40]},
            )
        else:
            send_state = found
    if unit:
        found_unit = lk.units.get(columns.normalise(unit))
        if found_unit is None:
            row.fail("unit", _("责任单位“%(value)s”不在本系统的单位中。") % {"value": unit[:40]})
        elif found_unit.pk != office.pk and send_state != State.REGISTERED:
            # A state that says "registered" keeps the matter at the office (an exported
            # ledger names the registering office there); named with no state, the unit is
            # where the matter was sent (转送).
            out.unit = found_unit
            out.send_state = send_state or State.FORWARDED
    elif send_state in (State.FORWARDED, State.ASSIGNED):
        row.fail("unit", _("状态为转送或交办时，请填写责任单位。"))
    try:
        sent = columns.moment(row.raw("sent_at"))
        if sent is not None:
            out.sent_at = columns.as_moment(sent)
    except CellError as exc:
        row.fail("sent_at", str(exc))


def _field_of(error: DomainError) -> str:
    """The ledger field a service's refusal is about."""
    return {
        "channel": "channel",
        "type": "type",
        "content": "content",
        "title": "title",
        "received_at": "received_at",
        "source_reference": "source_reference",
        "petitioners": "names",
        "head_count": "head_count",
        "to_unit": "unit",
        "at": "sent_at",
    }.get(error.field or "", "")


def run_import(
    *,
    data: bytes,
    mapping: dict[str, int | None],
    actor: User,
    office: Unit,
    dry_run: bool,
    find_repeats: bool | None = None,
) -> Outcome:
    """Import the ledger's rows (see the module's docstring). `mapping` gives each field's
    column index. Raises Forbidden if the actor may not register at `office`.

    `find_repeats` (by default: in a dry run) flags rows that may repeat an open matter; the
    import proper skips it (the dry run showed them, and they never refuse a row)."""
    if not any(m.can_register and m.unit_id == office.pk for m in memberships_of(actor)):
        raise Forbidden(
            _("您在%(unit)s没有%(action)s的权限。") % {"unit": office.name, "action": _("导入台账")}
        )
    table = read_table(data)
    sha = hashlib.sha256(data).hexdigest()
    outcome = Outcome(dry_run=dry_run, rows=len(table.rows))
    if not table.rows:
        outcome.errors.append(Problem(table.header_row, "", _("标题行下面没有数据行。")))
        return outcome
    before = _imported_before(sha, office)
    if before:
        outcome.errors.append(Problem(table.header_row, "", _already_imported(before)))
        return outcome
    lk = _lookups(office)
    columns_of = {key: index for key, index in mapping.items() if index is not None}

    def where(key: str) -> str:
        index = columns_of.get(key)
        if index is None:
            return str(columns.FIELDS_BY_KEY[key].label) if key else ""
        return column_name(table, index)

    checked = _check_rows(table, columns_of, lk, office, outcome, where)
    if find_repeats is None:
        find_repeats = dry_run
    if find_repeats:
        # Read-only look-ups, made before the write transaction: on SQLite that transaction
        # holds the database's write lock, and nobody else should wait on these.
        maybe = _known_petitioners(checked)
        for row, parsed in checked:
            if row.number in maybe:
                _flag_repeats(row, parsed, actor, outcome, where)
    if outcome.errors and not dry_run:
        return outcome  # refused whole: no need to take the lock to find the rest
    try:
        with transaction.atomic():
            if not dry_run and not _still_new(table, columns_of, checked, sha, office, outcome):
                raise _RollBack
            for row, parsed in checked:
                try:
                    with transaction.atomic():  # a savepoint: a refused row leaves no trace
                        matter = _import_row(parsed, row, sha, actor, office)
                except DomainError as exc:
                    outcome.errors.append(Problem(row.number, where(_field_of(exc)), exc.message))
                    continue
                outcome.imported.append(matter.number)
            if dry_run or outcome.errors:
                raise _RollBack
    except _RollBack:
        outcome.imported = []
    outcome.errors.sort(key=lambda p: p.row)
    return outcome


def _check_rows(
    table: Table,
    columns_of: dict[str, int],
    lk: _Lookups,
    office: Unit,
    outcome: Outcome,
    where: Any,
) -> list[tuple[_Row, _Parsed]]:
    """Read and check every row without writing; the rows that passed, with their values."""
    seen_refs: dict[str, int] = {}
    seen_texts: dict[tuple[str, str, str], int] = {}
    existing_refs = _existing_references(table, columns_of, office)
    checked = []
    for number, cells in table.rows:
        values = {key: (cells[i] if i < len(cells) else None) for key, i in columns_of.items()}
        row = _Row(number=number, values=values)
        parsed = _parse(row, lk, office)
        ref = parsed.source_reference
        if ref:
            if ref in seen_refs:
                row.fail(
                    "source_reference",
                    _("原编号“%(ref)s”与第%(row)d行重复。") % {"ref": ref, "row": seen_refs[ref]},
                )
            elif ref in existing_refs:
                row.fail(
                    "source_reference",
                    _("原编号“%(ref)s”已登记为%(number)s（该台账可能已导入过）。")
                    % {"ref": ref, "number": existing_refs[ref]},
                )
            seen_refs.setdefault(ref, number)
        same = (
            parsed.content,
            "、".join(p.name for p in parsed.petitioners),
            timezone.localtime(parsed.received_at).date().isoformat() if parsed.received_at else "",
        )
        if parsed.content and same in seen_texts:
            row.fail(
                "content",
                _("与第%(row)d行的信访人、日期和内容完全相同（文件内重复）。")
                % {"row": seen_texts[same]},
            )
        elif parsed.content:
            seen_texts[same] = number
        if row.masked:
            outcome.masked_rows += 1
        if row.problems:
            for key, reason in row.problems:
                outcome.errors.append(Problem(number, where(key), reason))
        else:
            checked.append((row, parsed))
    return checked


def _imported_before(sha: str, office: Unit) -> str:
    """The number of a matter this very file was imported as at the office, if any."""
    found = (
        Event.objects.filter(
            matter__office=office,
            kind=EventKind.REGISTERED,
            text__contains=f"导入自台账{sha[:12]}，",
        )
        .order_by("matter__seq")
        .values_list("matter__number", flat=True)
        .first()
    )
    return found or ""


def _already_imported(number: str) -> str:
    return _("这个台账文件已经导入过（%(number)s等），同一文件不能重复导入。") % {"number": number}


def _still_new(
    table: Table,
    columns_of: dict[str, int],
    checked: list[tuple[_Row, _Parsed]],
    sha: str,
    office: Unit,
    outcome: Outcome,
) -> bool:
    """The checks against what is already registered, made again under the office's lock.

    They ran first without a lock; a second import of the same file started at the same time
    (a double click on "Import") passed them too, and would wait on the number sequence and
    then register every row again. Locking the office row (FOR NO KEY UPDATE: registrations
    and forwardings referring to the office are not held up) makes imports into one office
    take turns; on SQLite the write transaction already does."""
    list(Unit.objects.select_for_update(no_key=True).filter(pk=office.pk).values_list("pk"))
    before = _imported_before(sha, office)
    if before:
        outcome.errors.append(Problem(table.header_row, "", _already_imported(before)))
        return False
    existing = _existing_references(table, columns_of, office)
    for row, parsed in checked:
        ref = parsed.source_reference
        if ref and ref in existing:
            outcome.errors.append(
                Problem(
                    row.number,
                    column_name(table, columns_of["source_reference"]),
                    _("原编号“%(ref)s”已登记为%(number)s（该台账可能已导入过）。")
                    % {"ref": ref, "number": existing[ref]},
                )
            )
    return not outcome.errors


def _existing_references(table: Table, columns_of: dict[str, int], office: Unit) -> dict[str, str]:
    index = columns_of.get("source_reference")
    if index is None:
        return {}
    refs = {
        columns.text(cells[index])
        for _n, cells in table.rows
        if index < len(cells) and columns.text(cells[index])
    }
    found: dict[str, str] = {}
    refs_list = sorted(refs)
    for start in range(0, len(refs_list), 500):
        for ref, number in Matter.objects.filter(
            office=office, source_reference__in=refs_list[start : start + 500]
        ).values_list("source_reference", "number"):
            found.setdefault(ref, number)
    return found


def _known_petitioners(checked: list[tuple[_Row, _Parsed]]) -> set[int]:
    """The rows whose petitioners' keyed hashes (ID number, phone, name with address) occur on
    any registered matter at all: the only rows find_repeats could match (it looks for those
    hashes among the open matters the user may see). A few bulk queries instead of a full
    look-up per row, which made a dry run's repeat check cost most of its time; find_repeats
    then judges those rows as it always does."""
    from xinfang.routing.models import IdentityKey
    from xinfang.routing.services import indexing

    try:
        with transaction.atomic():
            indexing.catch_up()  # as find_repeats does first: recent matters into the index
        keys_of = {
            row.number: indexing.keys_of_input(parsed.petitioners)
            for row, parsed in checked
            if parsed.petitioners
        }
        keys = sorted({k for row_keys in keys_of.values() for k in row_keys})
        hashed = sorted(
            {
                k
                for row_keys in keys_of.values()
                for k, kind in row_keys.items()
                if kind in (indexing.ID, indexing.PHONE)
            }
        )
        found: set[str] = set()
        for start in range(0, len(keys), 500):
            found.update(
                IdentityKey.objects.filter(key__in=keys[start : start + 500]).values_list(
                    "key", flat=True
                )
            )
        for name in ("id_hash", "phone_hash"):
            for start in range(0, len(hashed), 500):
                found.update(
                    Petitioner.objects.filter(
                        **{f"{name}__in": hashed[start : start + 500]}
                    ).values_list(name, flat=True)
                )
    except Exception:  # repeat hints help; they never stop an import
        return set()
    return {number for number, row_keys in keys_of.items() if found.intersection(row_keys)}


def _flag_repeats(row: _Row, parsed: _Parsed, actor: User, outcome: Outcome, where: Any) -> None:
    """Art. 19 ¶3: a matter already accepted and within its time limit, raised again, is
    linked rather than accepted anew. An import cannot decide that for the office: it flags
    the row (never refuses it); the registrar links it on the matter page afterwards."""
    from xinfang.routing.suggest import find_repeats

    try:
        with transaction.atomic():
            candidates = find_repeats(
                user=actor,
                petitioners=parsed.petitioners,
                title=parsed.title,
                content=parsed.content,
            )
    except Exception:  # repeat hints help; they never stop an import
        return
    for candidate in candidates[:3]:
        reason = _("可能是%(number)s的重复件（%(why)s），导入后请核对并关联。") % {
            "number": candidate.matter.number,
            "why": "、".join(candidate.reasons),
        }
        outcome.warnings.append(Problem(row.number, where("content"), reason))


def _import_row(parsed: _Parsed, row: _Row, sha: str, actor: User, office: Unit) -> Matter:
    assert parsed.received_at is not None
    origin = f"导入自台账{sha[:12]}，第{row.number}行"
    if parsed.source_reference:
        origin += f"，原编号{parsed.source_reference}"
    matter = register_at_office(
        office=office,
        actor=actor,
        channel=parsed.channel,
        received_at=parsed.received_at,
        content=parsed.content,
        type=parsed.type,
        petitioners=parsed.petitioners,
        title=parsed.title,
        category=parsed.category,
        region=parsed.region,
        is_collective=parsed.collective,
        head_count=parsed.head_count,
        source_reference=parsed.source_reference,
        record_text=f"{office.name}登记，{in_records(Channel(parsed.channel).label)}（{origin}）",
    )
    if parsed.unit is not None and parsed.send_state:
        forward = parsed.send_state == State.FORWARDED
        send = matter_forward if forward else matter_assign
        sent_at = parsed.sent_at or parsed.received_at
        if sent_at < parsed.received_at:
            raise InvalidInput(_("转送/交办日期早于收到日期。"), field="at")
        note = f"{'转送' if forward else '交办'}{parsed.unit.name}（{origin}）"
        matter = send(matter=matter, actor=actor, to_unit=parsed.unit, at=sent_at, note=note)
    return matter


def parse_mapping(raw: dict[str, str], width: int) -> tuple[dict[str, int | None], list[str]]:
    """The mapping posted by the form: field → column index; and what is wrong with it."""
    mapping: dict[str, int | None] = {}
    problems: list[str] = []
    used: dict[int, str] = {}
    for f in columns.FIELDS:
        value = (raw.get(f.key) or "").strip()
        index: int | None = None
        if value:
            try:
                index = int(value)
            except ValueError:
                index = None
            if index is None or not 0 <= index < width:
                problems.append(_("“%(field)s”选择的列不存在。") % {"field": f.label})
                index = None
        if index is not None and index in used:
            problems.append(
                _("同一列不能同时对应“%(a)s”和“%(b)s”。")
                % {"a": columns.FIELDS_BY_KEY[used[index]].label, "b": f.label}
            )
        elif index is not None:
            used[index] = f.key
        if index is None and f.required:
            problems.append(_("请为必填项“%(field)s”选择一列。") % {"field": f.label})
        mapping[f.key] = index
    return mapping, problems


def mapped_fields(mapping: dict[str, int | None]) -> Sequence[str]:
    return [key for key, index in mapping.items() if index is not None]
