"""The Documents panel on the matter page, issuing and downloading over HTTP, and the template
editor: statuses for scope (404), read-only roles (403), stale screens (409), wrong methods."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.storage import default_storage
from django.urls import reverse

from tests.matters.flows import on, walk
from tests.reports.documents.helpers import ISSUE_DAY, prepared
from xinfang.matters.models import Matter, MatterType
from xinfang.reports.documents.services import document_issue, template_save
from xinfang.reports.models import Document, DocumentTemplate


def _issue_url(m: Matter) -> str:
    return reverse("reports:document_issue", kwargs={"pk": m.pk})


def test_the_matter_page_offers_the_document_and_issuing_lists_it(client: Any, world: Any) -> None:
    matter, actor = prepared(world, "acceptance")
    client.force_login(actor)
    page = client.get(reverse("desk:matter", kwargs={"pk": matter.pk})).content.decode()
    assert 'id="documents"' in page
    assert "出具受理告知书" in page
    assert "出具信访处理意见书" not in page  # not before the reply
    with on(ISSUE_DAY["acceptance"]):
        response = client.post(
            _issue_url(matter), {"kind": "acceptance", "expected_version": matter.version}
        )
    assert response.status_code == 303
    assert response["Location"].endswith(f"/matters/{matter.pk}/#documents")
    document = Document.objects.get(matter=matter)
    page = client.get(reverse("desk:matter", kwargs={"pk": matter.pk})).content.decode()
    assert document.number in page
    assert f"出具《信访事项受理告知书》{document.number}" in page  # the timeline
    assert reverse("reports:document_download", kwargs={"pk": document.pk}) in page


def test_the_download_is_the_stored_bytes(client: Any, world: Any) -> None:
    matter, actor = prepared(world, "reply")
    with on(ISSUE_DAY["reply"]):
        document = document_issue(actor=actor, matter=matter, kind="reply", expected_version=None)
    client.force_login(world.handler)
    response = client.get(reverse("reports:document_download", kwargs={"pk": document.pk}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    with default_storage.open(document.file.name, "rb") as handle:
        assert response.content == handle.read()
    assert hashlib.sha256(response.content).hexdigest() == document.sha256


def test_a_template_edit_after_issuing_changes_nothing_issued(client: Any, world: Any) -> None:
    matter, actor = prepared(world, "acceptance")
    with on(ISSUE_DAY["acceptance"]):
        document = document_issue(
            actor=actor, matter=matter, kind="acceptance", expected_version=None
        )
    url = reverse("reports:document_download", kwargs={"pk": document.pk})
    client.force_login(actor)
    before = client.get(url).content
    template_save(
        actor=world.unit_lead,
        unit=world.dept,
        kind="acceptance",
        expected_version=0,
        issuer_mark="清河县人力资源和社会保障局",
        number_prefix="清人社告",
        title="受理告知书（新）",
        body="{信访人}：你的事项{事项编号}已受理。",
        signature="清河县人力资源和社会保障局",
    )
    after = client.get(url).content
    assert after == before
    assert hashlib.sha256(after).hexdigest() == document.sha256
    # The next document uses the new version, with its own prefix and numbering.
    matter = Matter.objects.get(pk=matter.pk)
    with on(ISSUE_DAY["acceptance"]):
        second = document_issue(
            actor=actor, matter=matter, kind="acceptance", expected_version=None
        )
    assert second.number == "清人社告〔2026〕1号"
    assert second.template_version == 1 and document.template_version == 0
    assert "受理告知书（新）" in second.text and "受理告知书（新）" not in document.text


def test_a_tampered_file_is_not_served(client: Any, world: Any) -> None:
    matter, actor = prepared(world, "acceptance")
    with on(ISSUE_DAY["acceptance"]):
        document = document_issue(
            actor=actor, matter=matter, kind="acceptance", expected_version=None
        )
    path = default_storage.path(document.file.name)
    with open(path, "ab") as handle:
        handle.write(b"x")
    client.force_login(actor)
    response = client.get(reverse("reports:document_download", kwargs={"pk": document.pk}))
    assert response.status_code == 500
    assert b"PK" not in response.content[:2]


def test_refusals_over_http(client: Any, world: Any) -> None:
    matter, actor = prepared(world, "acceptance")
    data = {"kind": "acceptance", "expected_version": matter.version}
    with on(ISSUE_DAY["acceptance"]):
        client.force_login(world.outsider)
        assert client.post(_issue_url(matter), data).status_code == 404
        client.force_login(world.auditor)
        assert client.post(_issue_url(matter), data).status_code == 403
        client.force_login(actor)
        assert client.get(_issue_url(matter)).status_code == 405
        stale = client.post(_issue_url(matter), {**data, "expected_version": matter.version - 1})
        assert stale.status_code == 409
        assert "他人更新" in stale.content.decode()
        wrong = client.post(_issue_url(matter), {**data, "kind": "reply"})
        assert wrong.status_code == 409
        assert client.post(_issue_url(matter), {"kind": "nonsense"}).status_code == 400
    assert not Document.objects.exists()
    # The auditor sees, never acts: no buttons on the page.
    client.force_login(world.auditor)
    page = client.get(reverse("desk:matter", kwargs={"pk": matter.pk})).content.decode()
    assert "出具受理告知书" not in page


def test_another_unit_cannot_download(client: Any, world: Any) -> None:
    matter, actor = prepared(world, "acceptance")
    with on(ISSUE_DAY["acceptance"]):
        document = document_issue(
            actor=actor, matter=matter, kind="acceptance", expected_version=None
        )
    client.force_login(world.outsider)
    url = reverse("reports:document_download", kwargs={"pk": document.pk})
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("reports:document_download", kwargs={"pk": 999999})).status_code == 404
    )


def test_an_accusers_notice_is_not_downloadable_by_whoever_may_not_know_the_accuser(
    client: Any, world: Any
) -> None:
    matter = walk(world, "forwarded", type=MatterType.ACCUSATION, accused_units=[world.other])
    with on(ISSUE_DAY["forwarding"]):
        document = document_issue(
            actor=world.registrar, matter=matter, kind="forwarding", expected_version=None
        )
    url = reverse("reports:document_download", kwargs={"pk": document.pk})
    client.force_login(world.registrar)
    assert client.get(url).status_code == 200
    # The department it was forwarded to sees the matter, not who the accuser is.
    client.force_login(world.unit_lead)
    assert client.get(url).status_code == 404
    page = client.get(reverse("desk:matter", kwargs={"pk": matter.pk})).content.decode()
    assert document.number in page  # listed, without a link
    assert url not in page


# --- templates ---------------------------------------------------------------------------------

TEMPLATE = {
    "issuer_mark": "清河县人力资源和社会保障局",
    "number_prefix": "清人社受",
    "title": "信访事项受理告知书",
    "body": "{事项编号}已于{受理日期}受理，将于{答复期限}前答复。",
    "signature": "清河县人力资源和社会保障局",
    "seal_text": "（印章）",
    "cc": "县信访局",
}


def _post(client: Any, world: Any, version: int, **changes: Any) -> Any:
    data = {"unit": world.dept.pk, "kind": "acceptance", "expected_version": version}
    return client.post(reverse("reports:templates"), {**data, **TEMPLATE, **changes})


def test_the_template_page_shows_the_default_and_saves_versions(client: Any, world: Any) -> None:
    client.force_login(world.unit_lead)
    page = client.get(reverse("reports:templates") + f"?unit={world.dept.pk}&kind=extension")
    assert page.status_code == 200
    text = page.content.decode()
    assert "{延期理由}" in text and "第三十四条" in text  # the placeholders and the default
    assert _post(client, world, 0).status_code == 303
    assert _post(client, world, 1, body="第二版：{事项编号}").status_code == 303
    versions = list(DocumentTemplate.objects.filter(unit=world.dept).values_list("version", "body"))
    assert sorted(versions)[0][1] == TEMPLATE["body"] and sorted(versions)[1][0] == 2


def test_a_stale_template_edit_is_refused(client: Any, world: Any) -> None:
    client.force_login(world.unit_lead)
    assert _post(client, world, 0).status_code == 303
    stale = _post(client, world, 0, body="我的修改：{事项编号}")
    assert stale.status_code == 409
    assert "已被他人修改" in stale.content.decode()
    assert DocumentTemplate.objects.count() == 1


def test_an_unknown_placeholder_is_refused(client: Any, world: Any) -> None:
    client.force_login(world.unit_lead)
    response = _post(client, world, 0, body="{事项编号}由{经办人电话}负责。")
    assert response.status_code == 400
    assert "不认识的占位符：{经办人电话}" in response.content.decode()
    assert not DocumentTemplate.objects.exists()


def test_preview_saves_nothing(client: Any, world: Any) -> None:
    client.force_login(world.unit_lead)
    data = {"unit": world.dept.pk, "kind": "acceptance", "expected_version": 0, "preview": "1"}
    response = client.post(reverse("reports:templates"), {**data, **TEMPLATE})
    assert response.status_code == 200
    assert "清信〔2026〕17号已于2026年3月4日受理" in response.content.decode()
    assert not DocumentTemplate.objects.exists()


def test_template_pages_are_for_the_offices_deciders(client: Any, world: Any) -> None:
    for reader in (world.auditor, world.supervisor, world.handler):
        client.force_login(reader)
        assert client.get(reverse("reports:templates")).status_code == 403
    # A unit that is not one's own is not offered (the first own unit is shown instead).
    client.force_login(world.unit_lead)
    page = client.get(reverse("reports:templates") + f"?unit={world.bureau.pk}")
    assert "清河县信访局" not in page.content.decode().split('id="edit-h"')[1][:200]


def test_the_portal_page_still_shows_the_matter_after_a_document(client: Any, world: Any) -> None:
    """The DOCUMENT_ISSUED event is public (the petitioner's notice) and must not break the
    petitioner's page; the document, which names the petitioner, is not offered there."""
    matter, actor = prepared(world, "acceptance")
    with on(ISSUE_DAY["acceptance"]):
        document = document_issue(
            actor=actor, matter=matter, kind="acceptance", expected_version=None
        )
        lookup = client.post(
            "/portal/lookup/", {"number": matter.number, "code": matter.query_code}
        )
        assert lookup.status_code == 302
        page = client.get("/portal/matter/")
    assert page.status_code == 200
    assert document.number not in page.content.decode()
    assert "张三" not in page.content.decode()


def test_an_edit_posted_for_a_unit_one_may_not_edit_is_refused(client: Any, world: Any) -> None:
    client.force_login(world.unit_lead)
    data = {"unit": world.bureau.pk, "kind": "acceptance", "expected_version": 0, **TEMPLATE}
    assert client.post(reverse("reports:templates"), data).status_code == 403
    data = {"unit": world.dept.pk, "kind": "nonsense", "expected_version": 0, **TEMPLATE}
    assert client.post(reverse("reports:templates"), data).status_code == 403
    assert not DocumentTemplate.objects.exists()


def test_a_title_or_mark_naming_the_petitioner_is_refused(client: Any, world: Any) -> None:
    """The title goes onto the timeline, the Documents panel and the file name, which whoever
    may not know an accuser sees too: the petitioner is named in the body only."""
    client.force_login(world.unit_lead)
    for field in ("title", "issuer_mark", "signature", "cc"):
        response = _post(client, world, 0, **{field: "致{信访人}"})
        assert response.status_code == 400, field
        assert "{信访人}" in response.content.decode()
    assert not DocumentTemplate.objects.exists()
    assert _post(client, world, 0, body="{信访人}：{事项编号}已受理。").status_code == 303


def test_the_panel_says_document_number_in_both_languages(client: Any, world: Any) -> None:
    matter, actor = prepared(world, "acceptance")
    with on(ISSUE_DAY["acceptance"]):
        document_issue(actor=actor, matter=matter, kind="acceptance", expected_version=None)
    client.force_login(actor)
    url = reverse("desk:matter", kwargs={"pk": matter.pk})
    panel = client.get(url).content.decode().split('id="documents"')[1].split("</section>")[0]
    assert '<th scope="col">文号</th>' in panel and "编号" not in panel
    assert "出具单位及人员" in panel
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    panel = english.split('id="documents"')[1].split("</section>")[0]
    assert '<th scope="col">Document number</th>' in panel
    assert "Issuing unit and person" in panel
