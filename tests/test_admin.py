"""The admin configures organisation and taxonomy; it never edits matters or the calendar."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from tests.conftest import register


@pytest.fixture
def admin_client(client, world):
    admin = get_user_model().objects.create_superuser("root", "root@example.invalid", "pw")
    client.force_login(admin)
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/admin/org/unit/",
        "/admin/org/region/",
        "/admin/org/membership/",
        "/admin/matters/category/",
        "/admin/matters/matter/",
        "/admin/deadlines/holidayoverride/",
        "/admin/deadlines/clockrulesetting/",
        "/admin/audit/accesslog/",
    ],
)
def test_admin_lists_open(admin_client, path):
    assert admin_client.get(path).status_code == 200


def test_a_matter_can_be_viewed_but_not_changed_or_deleted(admin_client, world):
    matter = register(world)
    page = admin_client.get(f"/admin/matters/matter/{matter.pk}/change/")
    assert page.status_code == 200
    assert matter.number in page.content.decode()
    response = admin_client.post(f"/admin/matters/matter/{matter.pk}/change/", {"title": "改"})
    assert response.status_code == 403
    assert admin_client.get(f"/admin/matters/matter/{matter.pk}/delete/").status_code == 403
    matter.refresh_from_db()
    assert matter.title == "工资被拖欠"


def test_holidays_cannot_be_added_in_the_admin(admin_client):
    assert admin_client.get("/admin/deadlines/holidayoverride/add/").status_code == 403


def test_units_cannot_be_deleted(admin_client, world):
    assert admin_client.get(f"/admin/org/unit/{world.dept.pk}/delete/").status_code == 403
