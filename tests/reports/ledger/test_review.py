"""Found in review: the export's file format and identity rule checked cell by cell against the
desk, abandoned uploads purged, and one ledger file never imported twice (also not by a double
click on "Import" while the first import runs)."""

from __future__ import annotations

import io
import os
import time
from collections.abc import Iterator
from datetime import datetime
from types import SimpleNamespace
from typing import Any

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command
from openpyxl import load_workbook

from tests.conftest import VALID_ID, register
from tests.matters.concurrently import run_concurrently
from tests.reports.ledger.helpers import snapshot, xlsx
from tests.reports.ledger.test_import import CLEAN, NOW
from xinfang.matters import services
from xinfang.matters.models import Category, Matter, MatterType
from xinfang.matters.services import petitioners_for
from xinfang.reports.ledger import columns, importer
from xinfang.reports.ledger.export import COLUMNS, ledger_rows, write_ledger


@pytest.fixture(autouse=True)
def _now() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def lw(world: SimpleNamespace, settings: Any, tmp_path: Any) -> SimpleNamespace:
    settings.MEDIA_ROOT = tmp_path
    for i, name in enumerate(("劳动与社会保障", "城乡建设与住房")):
        Category.objects.get_or_create(name=name, defaults={"position": i})
    return world


def _sheet(user: Any, qs: Any = None) -> Any:
    handle = write_ledger(ledger_rows(user, qs if qs is not None else Matter.objects.all()), "台账")
    return load_workbook(handle).worksheets[0]


def _run(w: SimpleNamespace, data: bytes, *, dry_run: bool) -> importer.Outcome:
    table = importer.read_table(data)
    return importer.run_import(
        data=data,
        mapping=columns.propose_mapping(table.headers),
        actor=w.registrar,
        office=w.bureau,
        dry_run=dry_run,
    )


# --- the export's file ------------------------------------------------------------------------


def test_stored_text_with_control_characters_or_error_words_exports_as_text(lw):
    """A letter pasted with a stray control character (\\x0b) made openpyxl refuse the whole
    export; "#N/A" and "=..." must stay words."""
    w = lw
    matter = register(w)
    Matter.objects.filter(pk=matter.pk).update(
        title="#N/A", content='=HYPERLINK("http://x.invalid")\x0b第二段\x01', head_count=4
    )
    ws = _sheet(w.registrar)
    assert ws.freeze_panes == "A2"
    header = [c for c in ws[1]]
    assert all(c.font.b for c in header) and len(header) == len(COLUMNS)
    title, content = ws.cell(row=2, column=7), ws.cell(row=2, column=8)
    assert (title.value, title.data_type) == ("#N/A", "s")
    assert (content.value, content.data_type) == ('=HYPERLINK("http://x.invalid")第二段', "s")
    received, due = ws.cell(row=2, column=2), ws.cell(row=2, column=17)
    assert isinstance(received.value, datetime) and received.number_format == "yyyy-mm-dd hh:mm"
    assert ws.cell(row=2, column=14).value == 4 and ws.cell(row=2, column=14).data_type == "n"
    assert due.value is None or due.number_format == "yyyy-mm-dd"
    assert ws.column_dimensions["H"].width == 50


def _desk_cells(user: Any, matter: Matter) -> list[str]:
    """Name, phone, ID number and address as the desk's matter page shows them."""
    people = petitioners_for(user, matter)
    if people and people[0].confidential:
        return [people[0].name] * 4
    return [
        "、".join(p.name for p in people),
        "、".join(p.phone for p in people if p.phone),
        "、".join(p.id_number for p in people if p.id_number),
        "；".join(p.address for p in people if p.address),
    ]


def test_every_users_export_shows_each_petitioner_exactly_as_the_desk_does(lw):
    w = lw
    representatives = [
        services.PetitionerInput(
            name="赵一", phone="13600136000", id_number=VALID_ID, address="永安镇一号"
        ),
        services.PetitionerInput(name="钱二", phone="13500135000", address="永安镇二号"),
    ]
    collective = register(
        w,
        channel="visit",
        type=MatterType.ACCUSATION,
        is_collective=True,
        head_count=12,
        petitioners=representatives,
        accused_units=[w.dept],
    )
    services.matter_forward(matter=collective, actor=w.registrar, to_unit=w.discipline)
    sent = register(w, type=MatterType.ACCUSATION, petitioners=representatives)
    services.matter_forward(matter=sent, actor=w.registrar, to_unit=w.dept)
    plain = register(w, petitioners=representatives, is_collective=True, head_count=5)
    services.matter_forward(matter=plain, actor=w.registrar, to_unit=w.dept)
    users = [v for v in vars(w).values() if hasattr(v, "username")]
    checked = 0
    for user in users:
        ws = _sheet(user)
        by_number = {row[0]: row for row in ws.iter_rows(min_row=2, values_only=True)}
        for matter in Matter.objects.all():
            row = by_number.get(matter.number)
            if row is None:
                continue
            cells = [c or "" for c in row[8:12]]
            assert cells == _desk_cells(user, matter), (user.username, matter.number)
            text = str(row)
            if petitioners_for(user, matter)[0].confidential:
                assert "赵一" not in text and "钱二" not in text and "永安镇一号" not in text
            assert "13600136000" not in text and VALID_ID not in text
            checked += 1
    assert checked >= 9
    # The unit an accusation was sent to never sees who filed it.
    rows = {r[0]: r for r in _sheet(w.unit_lead).iter_rows(min_row=2, values_only=True)}
    assert rows[sent.number][8:12] == ("（保密）",) * 4 and "赵一" in str(rows[plain.number])
    if collective.number in rows:  # visible to the unit it accuses (the desk's rule): sealed
        assert rows[collective.number][8:12] == ("（保密）",) * 4


# --- abandoned uploads ------------------------------------------------------------------------


def _age(sha: str, hours: float) -> None:
    path = default_storage.path(importer.storage_name(sha))
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def test_an_upload_purges_files_abandoned_for_a_day_and_keeps_recent_ones(lw):
    old = importer.store_upload(xlsx(CLEAN[:1]), "old.xlsx")
    recent = importer.store_upload(xlsx(CLEAN[:2]), "recent.xlsx")
    _age(old, 25)
    _age(recent, 23)
    importer.store_upload(xlsx(CLEAN), "new.xlsx")
    assert not default_storage.exists(importer.storage_name(old))
    assert default_storage.exists(importer.storage_name(recent))
    # Uploading the same file again counts its day from now.
    importer.store_upload(xlsx(CLEAN[:2]), "recent.xlsx")
    assert importer.purge_uploads() == 0
    assert default_storage.exists(importer.storage_name(recent))
    assert len(default_storage.listdir("ledger")[1]) == 2


def test_the_purge_command_deletes_abandoned_uploads(lw):
    sha = importer.store_upload(xlsx(CLEAN), "a.xlsx")
    out = io.StringIO()
    call_command("ledger_purge_uploads", stdout=out)
    assert default_storage.exists(importer.storage_name(sha)) and "deleted 0" in out.getvalue()
    _age(sha, 30)
    call_command("ledger_purge_uploads", stdout=out)
    assert not default_storage.exists(importer.storage_name(sha))
    assert "deleted 1" in out.getvalue()


def test_the_purge_copes_with_no_upload_directory(lw):
    assert importer.purge_uploads() == 0


# --- one file, one import ---------------------------------------------------------------------


def _without_numbers() -> bytes:
    """CLEAN without its original numbers: nothing else tells a second import of it apart."""
    return xlsx([["", *row[1:]] for row in CLEAN])


def test_the_same_ledger_file_is_not_imported_twice(lw):
    w = lw
    data = _without_numbers()
    assert _run(w, data, dry_run=False).committed
    before = snapshot()
    for dry_run in (True, False):
        again = _run(w, data, dry_run=dry_run)
        assert not again.committed and len(again.errors) == 1
        assert (
            "已经导入过" in again.errors[0].reason and "清信〔2026〕1号" in again.errors[0].reason
        )
    assert snapshot() == before


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_imports_of_one_file_at_once_import_it_once(lw, monkeypatch):
    """A double click on "Import": both requests pass the checks made before the write
    transaction; the second must find the first's matters once it gets the office's lock."""
    w = lw
    data = _without_numbers()
    original = importer._import_row

    def slow(*args: Any, **kwargs: Any) -> Matter:
        time.sleep(0.3)  # both requests are past their first checks before either commits
        return original(*args, **kwargs)

    monkeypatch.setattr(importer, "_import_row", slow)
    results = run_concurrently(2, lambda i: _run(w, data, dry_run=False))
    assert all(isinstance(r, importer.Outcome) for r in results), results
    assert sorted(r.committed for r in results) == [False, True]
    loser = next(r for r in results if not r.committed)
    assert "已经导入过" in loser.errors[0].reason
    assert Matter.objects.count() == len(CLEAN)


# --- repeats ----------------------------------------------------------------------------------


@pytest.mark.parametrize("same", ["phone", "name_address", "id_number", "nothing"])
def test_repeats_are_flagged_by_any_one_identifier_and_only_then(lw, same):
    """The dry run looks up repeats only for rows whose petitioner is known at all (one bulk
    query): each identifier alone must still find the matter in handling."""
    w = lw
    from tests.reports.ledger.test_import import GOOD, HEADERS

    existing = register(
        w,
        title=GOOD[6],
        content=GOOD[7],
        received_at=datetime(2026, 3, 1, 9, tzinfo=NOW.tzinfo),
        petitioners=[
            services.PetitionerInput(
                name="张三", phone="13800138000", id_number=VALID_ID, address="永安镇幸福村1号"
            )
        ],
    )
    existing = services.matter_forward(matter=existing, actor=w.registrar, to_unit=w.dept)
    services.matter_accept(matter=existing, actor=w.unit_lead)
    row = list(GOOD)
    person = {"姓名": "李四", "联系方式": "13900139000", "身份证号": "", "住址": "别处"}
    if same == "phone":
        person["联系方式"] = "13800138000"
    elif same == "name_address":
        person.update(姓名="张三", 住址="永安镇幸福村1号")
    elif same == "id_number":
        person["身份证号"] = VALID_ID
    for key, value in person.items():
        row[HEADERS.index(key)] = value
    outcome = _run(w, xlsx([row]), dry_run=True)
    assert outcome.clean, outcome.errors
    if same == "nothing":
        assert outcome.warnings == []
    else:
        assert [p.row for p in outcome.warnings] == [2]
        assert existing.number in outcome.warnings[0].reason
