"""Looking a matter up by number and query code, and the abuse resistance around it."""

from __future__ import annotations

import re
import threading
from typing import Any

import pytest
from django.test import Client

from tests.matters.flows import snapshot
from tests.portal.conftest import lookup
from xinfang.matters.models import Matter
from xinfang.portal import limits
from xinfang.portal.models import RateWindow
from xinfang.portal.services import normalize_number

NOT_FOUND = "没有与该编号和查询码相符的事项"


def _wrong(code: str) -> str:
    return ("2" if code[0] != "2" else "3") + code[1:]


def _normalised(html: str) -> str:
    """The page without what legitimately differs between two requests."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'name="challenge_token" value="[^"]+"', "", html)
    return re.sub(r'name="number"[^>]*value="[^"]*"', 'name="number"', html)


def test_the_right_pair_opens_the_matter_with_any_brackets_and_spacing(
    portal_matter: Matter,
) -> None:
    client = Client()
    typed_number = portal_matter.number.replace("〔", "[").replace("〕", "]")
    code = portal_matter.query_code.lower()
    typed_code = f"{code[:4]} {code[4:8]}-{code[8:]}"
    response = lookup(client, typed_number, typed_code)
    assert response.status_code == 302
    assert response["Location"] == "/portal/matter/"
    page = client.get("/portal/matter/").content.decode()
    assert portal_matter.number in page
    assert "清河县信访局已收到并登记" in page
    assert "转送交办" in page or "转送或交办" in page


def test_a_wrong_code_and_an_unknown_number_get_the_same_answer(portal_matter: Matter) -> None:
    client = Client()
    wrong_code = lookup(client, portal_matter.number, _wrong(portal_matter.query_code))
    unknown = lookup(client, "清信〔2026〕999号", portal_matter.query_code)
    assert wrong_code.status_code == unknown.status_code == 404
    assert NOT_FOUND in wrong_code.content.decode()
    assert _normalised(wrong_code.content.decode()) == _normalised(unknown.content.decode())
    # Neither opened anything.
    assert client.get("/portal/matter/")["Location"] == "/portal/lookup/"


def test_no_page_shows_a_matter_without_its_code(portal_matter: Matter) -> None:
    stranger = Client()
    for url in (
        "/portal/matter/",
        "/portal/receipt/",
        "/portal/receipt/download/",
        "/portal/matter/documents/1/",
    ):
        response = stranger.get(url)
        assert response.status_code == 302 and response["Location"] == "/portal/lookup/", url
    for url in ("/portal/matter/rate/", "/portal/matter/review/"):
        response = stranger.post(url, {"rating": "satisfied", "reasons": "x"})
        assert response.status_code == 302 and response["Location"] == "/portal/lookup/", url
    assert stranger.get("/portal/matter/rate/").status_code == 405


def test_a_flood_of_lookups_meets_the_challenge_then_a_refusal_and_changes_nothing(
    portal_matter: Matter, settings: Any
) -> None:
    settings.XINFANG_PORTAL_LOOKUP_SOFT = 3
    settings.XINFANG_PORTAL_LOOKUP_HARD = 6
    settings.XINFANG_PORTAL_NUMBER_SOFT = 100
    before = snapshot(portal_matter)
    client = Client(REMOTE_ADDR="203.0.113.7")
    statuses = []
    for _ in range(3):
        response = lookup(client, portal_matter.number, _wrong(portal_matter.query_code))
        statuses.append(response.status_code)
    assert statuses == [404, 404, 404]
    # The third failure brings the challenge, with a question in words.
    assert "challenge_answer" in response.content.decode()
    assert re.search(r"\d+ (加|减) \d+ 等于多少", response.content.decode())
    # Without an answer even the right pair is not tried.
    response = lookup(client, portal_matter.number, portal_matter.query_code)
    assert response.status_code == 400
    assert "请正确回答下面的问题后再试" in response.content.decode()
    for _ in range(2):
        response = lookup(client, portal_matter.number, _wrong(portal_matter.query_code))
    # Now refused outright, with when to come back; the right pair too.
    assert response.status_code == 429
    page = response.content.decode()
    assert "尝试次数过多" in page and "以后再试" in page
    assert int(response["Retry-After"]) > 0
    response = lookup(client, portal_matter.number, portal_matter.query_code)
    assert response.status_code == 429
    assert client.get("/portal/matter/")["Location"] == "/portal/lookup/"
    # Another client is not affected; the matter is unchanged.
    other = Client(REMOTE_ADDR="198.51.100.2")
    assert lookup(other, portal_matter.number, portal_matter.query_code).status_code == 302
    assert snapshot(portal_matter) == before
    # Counted under keyed hashes: no address or number stored in clear.
    keys = " ".join(RateWindow.objects.values_list("key", flat=True))
    assert "203.0.113.7" not in keys and portal_matter.number not in keys


def test_the_challenge_answered_rightly_lets_one_attempt_through(
    portal_matter: Matter, settings: Any
) -> None:
    settings.XINFANG_PORTAL_LOOKUP_SOFT = 1
    client = Client()
    lookup(client, portal_matter.number, _wrong(portal_matter.query_code))
    challenge = limits.new_challenge()
    answer = _solve(challenge.question)
    response = lookup(
        client,
        portal_matter.number,
        portal_matter.query_code,
        challenge_token=challenge.token,
        challenge_answer=str(answer),
    )
    assert response.status_code == 302
    # The same token again is spent, even with the right answer.
    assert not limits.check_challenge(challenge.token, str(answer))
    fresh = limits.new_challenge()
    assert not limits.check_challenge(fresh.token, str(_solve(fresh.question) + 1))
    assert not limits.check_challenge(fresh.token + "x", str(_solve(fresh.question)))


def test_failures_on_one_number_from_many_places_bring_the_challenge_for_it(
    portal_matter: Matter, settings: Any
) -> None:
    settings.XINFANG_PORTAL_NUMBER_SOFT = 3
    for i in range(3):
        lookup(
            Client(REMOTE_ADDR=f"192.0.2.{i}"),
            portal_matter.number,
            _wrong(portal_matter.query_code),
        )
    response = lookup(Client(REMOTE_ADDR="192.0.2.99"), portal_matter.number, "X")
    assert response.status_code == 400
    assert "challenge_answer" in response.content.decode()
    # Another number from a fresh client is not challenged.
    response = lookup(Client(REMOTE_ADDR="192.0.2.100"), "清信〔2026〕5号", "X")
    assert response.status_code == 404
    assert "challenge_answer" not in response.content.decode()


def test_the_proxy_header_is_honoured_only_when_configured(world: Any, settings: Any) -> None:
    from django.test import RequestFactory

    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert limits.client_address(request) == "10.0.0.1"
    settings.XINFANG_PORTAL_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4"
    )
    assert limits.client_address(request) == "1.2.3.4"


def test_submissions_are_rate_limited_too(world: Any, settings: Any) -> None:
    from tests.portal.conftest import submit

    settings.XINFANG_PORTAL_SUBMIT_SOFT = 1
    settings.XINFANG_PORTAL_SUBMIT_HARD = 2
    client = Client()
    assert submit(client).status_code == 302
    response = submit(client)  # the challenge is now due, and not answered
    assert response.status_code == 400
    assert "请正确回答表单末尾的问题" in response.content.decode()
    response = submit(client)
    assert response.status_code == 429
    assert Matter.objects.count() == 1


def _solve(question: str) -> int:
    match = re.search(r"(\d+) (加|减|plus|minus) (\d+)", question)
    assert match, question
    a, op, b = int(match[1]), match[2], int(match[3])
    return a + b if op in ("加", "plus") else a - b


# --- Counting first, judging on the count -------------------------------------------------------


def test_the_nth_failure_brings_the_challenge_exactly_and_a_success_is_not_counted(
    portal_matter: Matter, settings: Any
) -> None:
    settings.XINFANG_PORTAL_LOOKUP_SOFT = 4
    settings.XINFANG_PORTAL_LOOKUP_HARD = 100
    settings.XINFANG_PORTAL_NUMBER_SOFT = 100
    client = Client(REMOTE_ADDR="203.0.113.9")
    key = limits.client_key("lookup", client.get("/portal/lookup/").wsgi_request)
    # A right pair first: it opens the matter and leaves no failure behind.
    assert lookup(client, portal_matter.number, portal_matter.query_code).status_code == 302
    assert limits.count(key) == 0
    for n in range(1, 5):
        response = lookup(client, portal_matter.number, _wrong(portal_matter.query_code))
        assert response.status_code == 404
        assert limits.count(key) == n
        # The page after the 4th failure, and only that one, asks the question.
        assert ("challenge_answer" in response.content.decode()) == (n == 4), n
    response = lookup(client, portal_matter.number, portal_matter.query_code)
    assert response.status_code == 400  # the 5th attempt must answer first
    assert limits.count(key) == 5
    # A form not filled in is no guess either.
    response = lookup(Client(REMOTE_ADDR="203.0.113.10"), "", "")
    assert response.status_code == 400
    assert limits.count(limits.client_key("lookup", response.wsgi_request)) == 0


def test_each_attempt_is_counted_before_it_is_judged(world: Any) -> None:
    key = "test:attempts"
    verdicts = [limits.attempt(key, 2, 4) for _ in range(6)]
    # Attempts 1–2 pass, 3–4 need the challenge, 5 and 6 are refused: judged on the number
    # each one got, so two attempts in flight at once never both pass as "the second".
    assert [v.needs_challenge for v in verdicts[:4]] == [False, False, True, True]
    assert [v.refused for v in verdicts] == [False, False, False, False, True, True]
    assert limits.count(key) == 6
    assert limits.hit(key, "test:other") == [7, 1]
    limits.unhit(key)
    assert limits.count(key) == 6


@pytest.mark.django_db(transaction=True)
def test_concurrent_attempts_never_overshoot_the_limit(world: Any) -> None:
    from django.db import connection, connections

    if connection.vendor == "sqlite":
        pytest.skip("the in-memory test database of SQLite cannot be written from threads")
    threads, hard = 8, 3
    barrier = threading.Barrier(threads)
    verdicts: list[limits.Verdict] = []

    def one() -> None:
        try:
            barrier.wait()
            verdicts.append(limits.attempt("test:concurrent", 100, hard))
        finally:
            connections.close_all()

    workers = [threading.Thread(target=one) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(verdicts) == threads
    assert sum(not v.refused for v in verdicts) == hard
    assert limits.count("test:concurrent") == threads


# --- IPv6: one client is one /64 ------------------------------------------------------------


def test_ipv6_clients_are_counted_by_their_64(portal_matter: Matter, settings: Any) -> None:
    from django.test import RequestFactory

    def key(address: str) -> str:
        return limits.client_key("lookup", RequestFactory().get("/", REMOTE_ADDR=address))

    assert key("2001:db8:1:2::1") == key("2001:db8:1:2:ffff:abcd:1234:9")
    assert key("2001:db8:1:2::1") != key("2001:db8:1:3::1")
    assert key("::ffff:203.0.113.7") == key("203.0.113.7")
    assert key("203.0.113.7") != key("203.0.113.8")
    assert limits.client_network("2001:DB8:1:2:aaaa::1") == "2001:db8:1:2::/64"

    settings.XINFANG_PORTAL_LOOKUP_SOFT = 2
    settings.XINFANG_PORTAL_NUMBER_SOFT = 100
    wrong = _wrong(portal_matter.query_code)
    lookup(Client(REMOTE_ADDR="2001:db8:1:2::1"), portal_matter.number, wrong)
    lookup(Client(REMOTE_ADDR="2001:db8:1:2::2"), portal_matter.number, wrong)
    # A third address of the same /64 is the same client: the question is due.
    response = lookup(Client(REMOTE_ADDR="2001:db8:1:2::3"), portal_matter.number, wrong)
    assert response.status_code == 400
    assert "请正确回答下面的问题后再试" in response.content.decode()
    # Another /64 is another client.
    response = lookup(Client(REMOTE_ADDR="2001:db8:1:3::1"), portal_matter.number, wrong)
    assert response.status_code == 404


# --- Numbers typed with full-width digits or other brackets ---------------------------------


def test_full_width_digits_and_any_brackets_find_the_number(portal_matter: Matter) -> None:
    assert normalize_number("清信［２０２６］１号") == "清信〔2026〕1号"
    assert normalize_number("清信（2026）1 号") == "清信〔2026〕1号"
    assert normalize_number("清信【２０２６】１号") == "清信〔2026〕1号"
    assert portal_matter.number == "清信〔2026〕1号"
    client = Client()
    response = lookup(client, "清信〔２０２６〕１号", portal_matter.query_code)
    assert response.status_code == 302


def test_one_number_typed_in_different_ways_shares_one_counter(
    portal_matter: Matter, settings: Any
) -> None:
    settings.XINFANG_PORTAL_NUMBER_SOFT = 2
    wrong = _wrong(portal_matter.query_code)
    lookup(Client(REMOTE_ADDR="192.0.2.11"), "清信[2026]1号", wrong)
    lookup(Client(REMOTE_ADDR="192.0.2.12"), "清信〔２０２６〕１号", wrong)
    assert limits.count(limits.number_key("清信〔2026〕1号")) == 2
    response = lookup(Client(REMOTE_ADDR="192.0.2.13"), "清信(2026)1号", portal_matter.query_code)
    assert response.status_code == 400
    assert "challenge_answer" in response.content.decode()
