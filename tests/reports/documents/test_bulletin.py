"""The monthly bulletin (通报): the metrics of a month that has ended, as a numbered document."""

from __future__ import annotations

from datetime import date
from typing import Any

import docx
import pytest
from django.urls import reverse

from tests.matters.flows import on, refused, walk
from tests.reports.documents.helpers import opened
from xinfang.matters.errors import Forbidden, InvalidInput
from xinfang.reports.documents.services import bulletin_issue
from xinfang.reports.metrics import Period, scope_metrics
from xinfang.reports.models import Document


def test_the_bulletin_states_the_months_figures_and_each_units(world: Any) -> None:
    matter = walk(world, "replied")
    with on(date(2026, 4, 10)):
        document = bulletin_issue(actor=world.registrar, unit=world.bureau, year=2026, month=3)
        expected = scope_metrics(world.registrar, Period.month(2026, 3))
    assert document.number == "清信通〔2026〕1号"
    assert document.matter is None and document.period == "2026-03"
    assert not document.to_petitioner
    d = opened(document)
    text = "\n".join(p.text for p in d.paragraphs)
    assert "2026年3月信访工作情况通报" in text
    assert "各有关单位：" in text
    assert "2026年4月10日" in text
    for value in expected:
        assert str(value.label) in text
    timely = next(v for v in expected if v.rate is not None)
    assert f"{timely.rate * 100:.1f}%（{timely.numerator}/{timely.denominator}）" in text
    # The figures per responsible unit, in a table.
    table = d.tables[0]
    assert table.cell(0, 0).text == "单位"
    assert "县人社局" in [row.cells[0].text for row in table.rows]
    assert matter.number not in text and "张三" not in text  # about service, never persons
    assert document.text.startswith("清河县信访局")


def test_only_a_month_that_has_ended_and_only_the_units_deciders(world: Any) -> None:
    walk(world, "accepted")
    with on(date(2026, 3, 20)):
        with pytest.raises(InvalidInput, match="已经结束的月份"):
            bulletin_issue(actor=world.registrar, unit=world.bureau, year=2026, month=3)
        for someone in (world.handler, world.auditor):
            with pytest.raises(Forbidden):
                bulletin_issue(actor=someone, unit=world.dept, year=2026, month=2)
    assert not Document.objects.exists()


def test_the_bulletins_page_issues_and_lists(client: Any, world: Any) -> None:
    walk(world, "replied")
    client.force_login(world.registrar)
    with on(date(2026, 4, 10)):
        page = client.get(reverse("reports:bulletins"))
        assert page.status_code == 200
        assert 'value="2026-03"' in page.content.decode()
        url = reverse("reports:bulletins")
        response = client.post(url, {"unit": world.bureau.pk, "month": "2026-03"})
        assert response.status_code == 303
        assert client.post(url, {"unit": world.bureau.pk, "month": "2026-4"}).status_code == 400
        assert client.post(url, {"unit": world.bureau.pk, "month": "junk"}).status_code == 400
        listing = client.get(url).content.decode()
    document = Document.objects.get()
    assert document.number in listing
    download = client.get(reverse("reports:document_download", kwargs={"pk": document.pk}))
    assert download.status_code == 200
    assert docx.Document(__import__("io").BytesIO(download.content)).tables
    # Read-only roles and units outside the scope.
    client.force_login(world.auditor)
    assert client.get(reverse("reports:bulletins")).status_code == 403
    client.force_login(world.outsider)
    assert (
        client.get(reverse("reports:document_download", kwargs={"pk": document.pk})).status_code
        == 404
    )


def test_a_bulletin_is_not_issued_on_a_matter(world: Any) -> None:
    """A bulletin is not a matter's document: issuing it through the matter path is refused."""
    from xinfang.reports.documents.services import document_issue

    matter = walk(world, "accepted")
    with on(date(2026, 3, 6)), refused(matter, InvalidInput, "通报"):
        document_issue(actor=world.unit_lead, matter=matter, kind="bulletin", expected_version=None)


def test_a_units_bulletin_covers_only_that_units_scope(world: Any) -> None:
    """Someone who is both the bureau's registrar and the department's lead issues the
    department's bulletin: it states the department's figures (its own scope), never the
    county's that the bureau's role lets the person see."""
    from tests.factories import MembershipFactory
    from xinfang.org.access import forget_memberships
    from xinfang.org.models import Role

    walk(world, "replied")  # the bureau's routing clock and the department's clocks
    both = world.registrar
    MembershipFactory(user=both, unit=world.dept, role=Role.UNIT_LEAD)
    forget_memberships(both)
    with on(date(2026, 4, 10)):
        document = bulletin_issue(actor=both, unit=world.dept, year=2026, month=3)
        expected = scope_metrics(world.unit_lead, Period.month(2026, 3))  # the dept's own
        county = scope_metrics(world.registrar, Period.month(2026, 3))
    assert [v.denominator for v in county] != [v.denominator for v in expected]
    d = opened(document)
    text = "\n".join(p.text for p in d.paragraphs)
    for value in expected:
        if value.rate is not None:
            assert f"{value.label}：{value.rate * 100:.1f}%（{value.numerator}/" in text
    units = [row.cells[0].text for row in d.tables[0].rows[1:]]
    assert units == ["县人社局"]
    assert "清河县信访局" not in document.text.split("\n", 2)[2]
