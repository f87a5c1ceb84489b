"""The ledger pages: upload, column matching (proposed and corrected), dry run and import;
broken files; who may import; the export's scope and masking."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import person, register
from tests.reports.ledger.helpers import HEADERS as CLEAN_HEADERS
from tests.reports.ledger.helpers import read, snapshot, xlsx
from tests.reports.ledger.test_import import CLEAN, GOOD, NOW
from xinfang.matters import services
from xinfang.matters.models import Category, Matter, MatterType
from xinfang.matters.selectors import can_see_identity
from xinfang.org.access import memberships_of
from xinfang.org.models import Role
from xinfang.reports.ledger import columns, importer
from xinfang.reports.ledger.export import identity_visible

IMPORT = "/reports/ledger/import/"
EXPORT = "/reports/ledger/export/"


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


def _upload(client: Any, data: bytes, name: str = "台账.xlsx") -> Any:
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, data)})


def _mapping_post(table_headers: list[str], **override: str) -> dict[str, str]:
    proposed = columns.propose_mapping(table_headers)
    post = {f"col_{k}": ("" if v is None else str(v)) for k, v in proposed.items()}
    post.update(override)
    return post


def test_upload_proposes_the_mapping_then_dry_run_then_import(lw, client):
    client.force_login(lw.registrar)
    assert client.get(IMPORT).status_code == 200
    data = xlsx(CLEAN, title_row="清河县信访局2026年信访台账")
    response = _upload(client, data)
    assert response.status_code == 302
    url = response["Location"]
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    # The header row is found under the title row; 主要内容 is proposed for the content.
    assert 'name="col_content"' in html
    assert page.context["form"]["col_content"].initial == "7"
    assert page.context["table"].header_row == 2
    # The preview masks ID numbers and phones, as every screen does.
    assert "13800138000" not in html and "110101197003070012" not in html
    assert "138****8000" in html
    post = _mapping_post(page.context["table"].headers, office=str(lw.bureau.pk))
    dry = client.post(url, {**post, "action": "dry_run"})
    assert dry.status_code == 200 and dry.context["outcome"].clean
    assert 'value="import"' in dry.content.decode()
    assert Matter.objects.count() == 0
    done = client.post(url, {**post, "action": "import"})
    assert done.status_code == 302 and done["Location"].startswith("/matters/")
    assert Matter.objects.count() == 3
    # The kept file (ID numbers and phones in the clear) is gone, and so is the way back to it.
    sha = url.split("?")[0].rstrip("/").split("/")[-1]
    assert not default_storage.exists(f"ledger/{sha}.xlsx")
    assert client.get(url).status_code == 404


def test_the_export_speaks_the_users_language_and_reads_back(lw, client):
    client.force_login(lw.registrar)
    response = client.get(EXPORT, HTTP_ACCEPT_LANGUAGE="en")
    rows = read(b"".join(response.streaming_content))
    assert rows[0][:3] == ["Number", "Received", "Channel"]
    mapping = columns.propose_mapping(rows[0])
    assert mapping["source_reference"] == 20 and mapping["content"] == 7


def test_a_corrected_mapping_is_what_the_import_uses(lw, client):
    client.force_login(lw.registrar)
    headers = [*CLEAN_HEADERS, "备注"]
    data = xlsx([[*GOOD, "另拟标题"]], headers=headers)
    url = _upload(client, data)["Location"]
    post = _mapping_post(headers, office=str(lw.bureau.pk), col_title=str(len(headers) - 1))
    response = client.post(url, {**post, "action": "import"})
    assert response.status_code == 302
    assert Matter.objects.get().title == "另拟标题"


def test_a_bad_mapping_is_refused_with_reasons(lw, client):
    client.force_login(lw.registrar)
    url = _upload(client, xlsx(CLEAN))["Location"]
    headers = client.get(url).context["table"].headers
    missing = client.post(url, {**_mapping_post(headers, col_content=""), "action": "dry_run"})
    assert missing.status_code == 400
    assert any("内容" in p for p in missing.context["problems"])
    twice = client.post(url, {**_mapping_post(headers, col_title="7"), "action": "dry_run"})
    assert twice.status_code == 400
    assert any("同一列" in p for p in twice.context["problems"])


def test_a_dry_run_with_bad_rows_shows_them_and_offers_no_import(lw, client):
    client.force_login(lw.registrar)
    bad = list(GOOD)
    bad[4] = "外星事务"
    url = _upload(client, xlsx([GOOD, bad]))["Location"]
    headers = client.get(url).context["table"].headers
    before = snapshot()
    response = client.post(url, {**_mapping_post(headers), "action": "dry_run"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "外星事务" in html and 'value="import"' not in html
    # Posting "import" anyway imports nothing.
    forced = client.post(url, {**_mapping_post(headers), "action": "import"})
    assert forced.status_code == 400 and snapshot() == before


@pytest.mark.parametrize(
    ("name", "data", "fragment"),
    [
        ("ledger.csv", b"a,b\n1,2\n", ".xlsx"),
        ("ledger.xls", b"\xd0\xcf\x11\xe0", ".xlsx"),
        ("ledger.xlsx", b"not a workbook at all", "不是有效的.xlsx"),
        ("ledger.xlsx", b"PK\x03\x04garbage", "不是有效的.xlsx"),
    ],
)
def test_a_file_that_is_not_a_readable_xlsx_gets_a_clear_message(lw, client, name, data, fragment):
    client.force_login(lw.registrar)
    response = _upload(client, data, name)
    assert response.status_code == 400
    assert fragment in response.context["problem"]


def test_a_zip_that_is_no_workbook_and_an_empty_sheet_are_refused(lw, client):
    client.force_login(lw.registrar)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "hi")
    assert _upload(client, out.getvalue()).status_code == 400
    from openpyxl import Workbook

    empty = io.BytesIO()
    Workbook().save(empty)
    response = _upload(client, empty.getvalue())
    assert response.status_code == 400 and "空" in response.context["problem"]


def test_a_ledger_over_the_row_limit_is_refused_with_the_limit(lw, client, monkeypatch):
    from xinfang.reports.ledger import importer as module

    monkeypatch.setattr(module, "MAX_ROWS", 2)
    client.force_login(lw.registrar)
    response = _upload(client, xlsx(CLEAN))
    assert response.status_code == 400 and "最多导入2行" in response.context["problem"]


@pytest.mark.parametrize("who", ["auditor", "supervisor", "handler", "inspector", "leader"])
def test_roles_that_may_not_register_may_not_import(lw, client, who):
    client.force_login(getattr(lw, who))
    assert client.get(IMPORT).status_code == 403
    assert _upload(client, xlsx(CLEAN)).status_code == 403


def test_anonymous_is_sent_to_log_in_and_wrong_methods_are_refused(lw, client):
    assert client.get(IMPORT).status_code == 302
    assert client.get(EXPORT).status_code == 302
    client.force_login(lw.registrar)
    assert client.post(EXPORT).status_code == 405


def test_an_uploaded_file_goes_on_only_in_the_session_that_uploaded_it(lw, client):
    client.force_login(lw.registrar)
    url = _upload(client, xlsx(CLEAN))["Location"]
    client.force_login(lw.director)  # a new session
    assert client.get(url).status_code == 404
    assert client.get(f"{IMPORT}{'0' * 64}/").status_code == 404
    assert client.get(f"{IMPORT}..%2F..%2Fetc/").status_code == 404


def _export(client: Any, user: Any, **params: str) -> list[list[Any]]:
    client.force_login(user)
    response = client.get(EXPORT, params)
    assert response.status_code == 200
    return read(b"".join(response.streaming_content))


def test_the_export_holds_only_visible_matters_with_the_desk_filters(lw, client):
    w = lw
    to_dept = register(w, title="人社的事")
    services.matter_forward(matter=to_dept, actor=w.registrar, to_unit=w.dept)
    to_other = register(w, title="住建的事")
    services.matter_forward(matter=to_other, actor=w.registrar, to_unit=w.other)
    register(w, title="还在信访局")
    titles = lambda rows: sorted(r[6] for r in rows[1:])  # noqa: E731
    assert titles(_export(client, w.registrar)) == ["人社的事", "住建的事", "还在信访局"]
    assert titles(_export(client, w.outsider)) == ["住建的事"]
    assert titles(_export(client, w.unit_lead)) == ["人社的事"]
    # The desk list's filters apply as they are.
    assert titles(_export(client, w.registrar, state="forwarded")) == ["人社的事", "住建的事"]
    assert titles(_export(client, w.registrar, unit=str(w.other.pk))) == ["住建的事"]
    client.force_login(w.registrar)
    assert client.get(EXPORT, {"q": "人"}).status_code == 400  # too short, as on the desk


def test_an_accusers_identity_is_not_in_another_units_export(lw, client):
    w = lw
    secret = register(
        w,
        type=MatterType.ACCUSATION,
        title="举报",
        petitioners=[services.PetitionerInput(name="赵密", phone="13600136000", address="保密村")],
    )
    services.matter_forward(matter=secret, actor=w.registrar, to_unit=w.dept)
    own = _export(client, w.registrar)
    assert own[1][8] == "赵密" and own[1][9] == "136****6000"
    for user in (w.unit_lead, w.handler):
        rows = _export(client, user)
        assert rows[1][8] == "（保密）" and rows[1][9] == "（保密）" and rows[1][11] == "（保密）"
        assert "赵密" not in str(rows) and "保密村" not in str(rows)
    # Such an export still reads back: the withheld petitioner is recorded as anonymous.
    client.force_login(w.unit_lead)
    data = b"".join(client.get(EXPORT).streaming_content)
    table = importer.read_table(data)
    outcome = importer.run_import(
        data=data,
        mapping=columns.propose_mapping(table.headers),
        actor=w.registrar,
        office=w.bureau,
        dry_run=True,
    )
    assert [p.reason for p in outcome.errors if p.column.startswith(("I", "J", "K", "L"))] == []


def test_the_exports_identity_rule_is_the_desks(lw):
    w = lw
    plain = register(w)
    anonymous = register(w, type=MatterType.ACCUSATION, petitioners=[])
    accusing = register(w, type=MatterType.ACCUSATION, accused_units=[w.dept])
    services.matter_forward(matter=accusing, actor=w.registrar, to_unit=w.discipline)
    sent = register(w, type=MatterType.ACCUSATION)
    services.matter_forward(matter=sent, actor=w.registrar, to_unit=w.dept)
    people = [v for v in vars(w).values() if hasattr(v, "username")]
    people.append(person("dept_inspector", w.dept, Role.DISCIPLINE_INSPECTOR))
    for matter in Matter.objects.all():
        accused = set(matter.accused_units.values_list("id", flat=True))
        for user in people:
            assert identity_visible(
                memberships_of(user), type=matter.type, office_id=matter.office_id, accused=accused
            ) == can_see_identity(user, matter), (matter.title, user.username)
    assert plain and anonymous


def test_proposed_mapping_knows_the_common_header_names():
    headers = [
        "序号",
        "来信日期",
        "渠道",
        "性质",
        "分类",
        "属地",
        "标题",
        "诉求",
        "信访人",
        "电话",
        "身份证号码",
        "地址",
        "人数",
        "交办单位",
        "办理状态",
        "原编号",
        "编号",
    ]
    mapping = columns.propose_mapping(headers)
    expected = {
        "received_at": 1, "channel": 2, "type": 3, "category": 4, "region": 5, "title": 6,
        "content": 7, "names": 8, "phone": 9, "id_number": 10, "address": 11,
        "head_count": 12, "unit": 13, "state": 14, "source_reference": 15,
    }  # fmt: skip
    for key, index in expected.items():
        assert mapping[key] == index, key
    assert mapping["collective"] is None and mapping["sent_at"] is None
    # English headers (an export made in English) map too.
    english = columns.propose_mapping(
        ["Number", "Received", "Channel", "Content", "Original number"]
    )
    assert english["source_reference"] == 4 and english["content"] == 3


def test_cells_read_as_dates_in_the_usual_ways():
    from datetime import date

    for raw in ("2026-03-01", "2026/3/1", "2026.3.1", "2026年3月1日", "20260301"):
        assert columns.moment(raw) == date(2026, 3, 1), raw
    at = columns.moment("2026-03-01 09:05")
    assert at is not None and at.hour == 9 and at.minute == 5
    with pytest.raises(columns.CellError):
        columns.moment("三月一日")
    assert columns.moment("") is None
