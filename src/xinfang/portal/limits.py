"""Rate limits and the self-hosted challenge of the public side.

Counts live in the database (RateWindow), in fixed windows of XINFANG_PORTAL_WINDOW_MINUTES, so
several app servers share them. Clients and numbers are counted under keyed hashes: no address
or number is stored in clear. The challenge is an arithmetic question written out in words
(readable by a screen reader, no image), its answer bound to a signed, expiring token that is
good for one try.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from xinfang.portal.models import RateWindow, UsedChallenge

CHALLENGE_SECONDS = 15 * 60
_CHALLENGE_SALT = "xinfang.portal.challenge"


def client_address(request: HttpRequest) -> str:
    header = settings.XINFANG_PORTAL_PROXY_HEADER
    if header:
        forwarded = request.META.get(header, "")
        # The proxy appends the address it saw: the last entry is the one to trust.
        last = forwarded.split(",")[-1].strip() if forwarded else ""
        if last:
            return last
    return str(request.META.get("REMOTE_ADDR", ""))


def _keyed(kind: str, value: str) -> str:
    digest = hmac.new(
        str(settings.SECRET_KEY).encode(), f"{kind}:{value}".encode(), hashlib.sha256
    ).hexdigest()
    return f"{kind}:{digest[:40]}"


def client_network(address: str) -> str:
    """What one client is counted as: an IPv4 address, or an IPv6 address's /64 (one home or
    phone gets a whole /64 and can pick any address in it). Anything unparsable as is."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def client_key(kind: str, request: HttpRequest) -> str:
    return _keyed(kind, client_network(client_address(request)))


def number_key(number: str) -> str:
    return _keyed("number", number)


def _window() -> timedelta:
    return timedelta(minutes=max(1, settings.XINFANG_PORTAL_WINDOW_MINUTES))


def _window_start(now: datetime) -> datetime:
    size = int(_window().total_seconds())
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % size, tz=now.tzinfo)


def window_ends(now: datetime | None = None) -> datetime:
    now = now or timezone.now()
    return _window_start(now) + _window()


def count(key: str, now: datetime | None = None) -> int:
    start = _window_start(now or timezone.now())
    found = RateWindow.objects.filter(key=key, window_start=start).values_list("count", flat=True)
    return next(iter(found), 0)


def hit(*keys: str, now: datetime | None = None) -> list[int]:
    """Count one more occurrence for each key in the current window; the counts it made, in the
    order of the keys.

    The increment comes first (UPDATE ... SET count = count + 1, which holds the row until the
    commit) and the count is read back in the same transaction: of N concurrent calls, each gets
    a different count, 1..N, so limits judged on it cannot be overshot by requests that all read
    the count before any of them wrote it."""
    now = now or timezone.now()
    start = _window_start(now)
    counts = []
    with transaction.atomic():
        for key in keys:
            rows = RateWindow.objects.filter(key=key, window_start=start)
            if not rows.update(count=F("count") + 1):
                try:
                    with transaction.atomic():
                        RateWindow.objects.create(key=key, window_start=start, count=1)
                except IntegrityError:  # another request opened the window just now
                    rows.update(count=F("count") + 1)
                else:
                    # Cheap housekeeping when a window opens: counts a day old serve nothing.
                    RateWindow.objects.filter(window_start__lt=now - timedelta(days=1)).delete()
            counts.append(rows.values_list("count", flat=True).get())
    return counts


def unhit(*keys: str, now: datetime | None = None) -> None:
    """Take back an occurrence counted by hit() that turned out not to count (a look-up that
    succeeded, a form not filled in)."""
    start = _window_start(now or timezone.now())
    # One statement a key: no statement holds two rows at once, so none waits on hit() in a
    # cycle (hit() takes a client's row before a number's).
    for key in keys:
        RateWindow.objects.filter(key=key, window_start=start, count__gt=0).update(
            count=F("count") - 1
        )


@dataclass(frozen=True)
class Verdict:
    """What the limits say about one more attempt."""

    refused_until: datetime | None = None
    needs_challenge: bool = False

    @property
    def refused(self) -> bool:
        return self.refused_until is not None


def attempt(key: str, soft: int, hard: int, *, also_soft: tuple[str, int] | None = None) -> Verdict:
    """Count this attempt first, then judge it on the count it got: the attempt numbered
    soft + 1 and later need the challenge, those after `hard` are refused. Concurrent attempts
    get different numbers, so no more than `hard` get through in a window."""
    now = timezone.now()
    keys = [key] + ([also_soft[0]] if also_soft is not None else [])
    counts = hit(*keys, now=now)
    if counts[0] > hard:
        return Verdict(refused_until=window_ends(now))
    needs = counts[0] > soft
    if also_soft is not None and counts[1] > also_soft[1]:
        needs = True
    return Verdict(needs_challenge=needs)


def judge(key: str, soft: int, hard: int, *, also_soft: tuple[str, int] | None = None) -> Verdict:
    """What the counts so far say about the next attempt, counting nothing (to show a page)."""
    now = timezone.now()
    seen = count(key, now)
    if seen >= hard:
        return Verdict(refused_until=window_ends(now))
    needs = seen >= soft
    if also_soft is not None and count(also_soft[0], now) >= also_soft[1]:
        needs = True
    return Verdict(needs_challenge=needs)


# --- The challenge ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Challenge:
    question: str
    token: str


def _answer_mac(nonce: str, answer: int) -> str:
    return hmac.new(
        str(settings.SECRET_KEY).encode(),
        f"{_CHALLENGE_SALT}:{nonce}:{answer}".encode(),
        hashlib.sha256,
    ).hexdigest()


def new_challenge() -> Challenge:
    a = secrets.randbelow(9) + 2
    b = secrets.randbelow(9) + 2
    if secrets.randbelow(2):
        question = _("What is %(a)d plus %(b)d?") % {"a": a, "b": b}
        answer = a + b
    else:
        a, b = max(a, b) + 5, min(a, b)
        question = _("What is %(a)d minus %(b)d?") % {"a": a, "b": b}
        answer = a - b
    nonce = secrets.token_hex(16)
    token = signing.dumps({"n": nonce, "m": _answer_mac(nonce, answer)}, salt=_CHALLENGE_SALT)
    return Challenge(question=question, token=token)


def check_challenge(token: str, answer: str) -> bool:
    """True once for a right answer to a live challenge; every token is spent by its first try."""
    try:
        payload = signing.loads(token or "", salt=_CHALLENGE_SALT, max_age=CHALLENGE_SECONDS)
        nonce, mac = str(payload["n"]), str(payload["m"])
    except (signing.BadSignature, KeyError, TypeError):
        return False
    try:
        with transaction.atomic():
            UsedChallenge.objects.create(nonce=nonce, used_at=timezone.now())
    except IntegrityError:
        return False  # already tried
    UsedChallenge.objects.filter(
        used_at__lt=timezone.now() - timedelta(seconds=2 * CHALLENGE_SECONDS)
    ).delete()
    try:
        given = int(answer.strip())
    except (ValueError, AttributeError):
        return False
    return hmac.compare_digest(_answer_mac(nonce, given), mac)
