"""The reports' second navigation bar: every reports page has it, and it offers bulletins,
templates and the ledger import only to whoever may use them."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ALL = ["/reports/", "/reports/metrics/"]
FOR_ISSUERS = ["/reports/documents/bulletins/", "/reports/documents/templates/"]
FOR_REGISTRARS = ["/reports/ledger/import/"]


def _links(client: Client, url: str) -> list[str]:
    html = client.get(url).content.decode()
    assert 'class="sub-nav"' in html
    nav = html.split('class="sub-nav"', 1)[1].split("</nav>", 1)[0]
    return [href for href in ALL + FOR_ISSUERS + FOR_REGISTRARS if f'href="{href}"' in nav]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("registrar", ALL + FOR_ISSUERS + FOR_REGISTRARS),
        ("unit_lead", ALL + FOR_ISSUERS + FOR_REGISTRARS),
        ("handler", ALL),
        ("supervisor", ALL),
        ("auditor", ALL),
    ],
)
def test_the_bar_offers_only_what_the_person_may_use(world, who, expected):
    client = Client()
    client.force_login(getattr(world, who))
    assert _links(client, "/reports/") == expected
    assert _links(client, "/reports/metrics/") == expected
    # And what it leaves out is refused by the page itself.
    for url in set(FOR_ISSUERS + FOR_REGISTRARS) - set(expected):
        assert client.get(url).status_code == 403


def test_the_main_bar_marks_reports_as_the_current_page(world):
    client = Client()
    client.force_login(world.handler)
    html = client.get("/reports/metrics/").content.decode()
    main = html.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/reports/" aria-current="page"' in main
