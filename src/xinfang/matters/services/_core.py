"""Shared machinery of the lifecycle services: locking, permission checks, the timeline."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from xinfang.audit.chain import GENESIS, event_hash
from xinfang.deadlines.clocks import Clock
from xinfang.deadlines.services import due_fields, matter_clocks
from xinfang.matters.errors import Conflict, Forbidden, InvalidInput, InvalidState, NotFound
from xinfang.matters.identity import Keyring
from xinfang.matters.models import Event, Matter, State
from xinfang.matters.selectors import is_visible
from xinfang.org.access import roles_in
from xinfang.org.models import Membership, Unit

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Allow a little clock skew between app servers before calling a time "in the future".
_FUTURE_SLACK = timedelta(minutes=2)

_keyring: tuple[str, Keyring] | None = None


def keyring() -> Keyring:
    global _keyring
    key = str(settings.XINFANG_DATA_KEY)  # settings refuse to start without it
    if _keyring is None or _keyring[0] != key:
        _keyring = (key, Keyring(key))
    return _keyring[1]


def in_records(label: Any) -> str:
    """A choice label written into a timeline event: a plain str in the primary language
    (LANGUAGE_CODE) whatever the actor's language, since the event is a record, hashed into
    the chain, and must read the same for everyone."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(label)


def format_day(day: date) -> str:
    """A date inside a message: 2026年03月17日 in Chinese, 2026-03-17 in English."""
    # Translators: a date inside a sentence. English: %(year)d-%(month)02d-%(day)02d
    return _("%(year)d年%(month)02d月%(day)02d日") % {
        "year": day.year,
        "month": day.month,
        "day": day.day,
    }


def resolve_time(
    at: datetime | date | None, *, not_before: datetime | None = None, field: str = "at"
) -> datetime:
    """When a step happened: now, or a past moment being recorded after the fact."""
    now = timezone.now()
    if at is None:
        return now
    if not isinstance(at, datetime):
        # A bare date means some time that day: noon, moved within the day so that it is neither
        # after now (today's date entered in the morning) nor before a step recorded earlier
        # that same day.
        day = at
        at = timezone.make_aware(datetime.combine(day, time(12)))
        if not_before is not None and timezone.localtime(not_before).date() == day:
            at = max(at, not_before)
        if day == timezone.localdate(now):
            at = min(at, now)
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    if at > now + _FUTURE_SLACK:
        raise InvalidInput(_("日期不能晚于当前时间。"), field=field)
    if not_before is not None and at < not_before:
        raise InvalidInput(_("日期不能早于该事项上一步办理的时间。"), field=field)
    return at


def lock(matter: Matter, expected_version: int | None) -> Matter:
    """Re-read the matter under a row lock; refuse if someone changed it since it was shown."""
    # Lock the matter's row alone, then read it with its units. A locking query that joins the
    # units locks their rows too (FOR UPDATE covers every joined table), so all work at an
    # office, registrations included, would queue behind any one of its matters; and PostgreSQL
    # drops the row from a joined FOR UPDATE whose join key another transaction just changed
    # (a concurrent forward moving lead_unit), which surfaced as Matter.DoesNotExist.
    Matter.objects.select_for_update().filter(pk=matter.pk).values_list("pk").get()
    locked = Matter.objects.select_related("office", "lead_unit").get(pk=matter.pk)
    if expected_version is not None and locked.version != expected_version:
        raise Conflict(_("该事项已被他人更新，请刷新页面查看最新情况后再操作。"))
    return locked


def begin(
    matter: Matter, actor: User | None, expected_version: int | None, at: datetime | date | None
) -> tuple[Matter, datetime]:
    """Start a step: lock the matter, check the actor still sees it, resolve when it happened.

    Visibility is checked on the locked row, so a matter that moved out of the actor's scope
    while the page was open is refused, not acted on. `actor` None is the petitioner on the
    public side (who proves their right with the query code, checked by the caller).
    """
    # Checked before locking too, so that nobody outside the scope can hold (or wait on) the
    # row lock of a matter they may not even know exists.
    if actor is not None:
        require_visible(actor, matter)
    matter = lock(matter, expected_version)
    if actor is not None:
        require_visible(actor, matter)
    last = last_event(matter)
    return matter, resolve_time(at, not_before=last.occurred_at if last else None)


def require_visible(actor: User, matter: Matter) -> None:
    if not is_visible(actor, matter):
        raise NotFound(_("没有找到该信访事项，或您无权查看。"))


def require_role(actor: User, capability: str, unit: Unit | None, action: str) -> Membership:
    """The actor's membership in `unit` that allows `capability`, or Forbidden.

    `action` is already translated: `pgettext("action", "受理")`, a verb phrase that completes
    "you may not …" in English.
    """
    if unit is not None:
        for membership in roles_in(actor, unit.pk):
            if getattr(membership, capability):
                return membership
    where = unit.name if unit is not None else _("相关单位")
    raise Forbidden(_("您在%(unit)s没有%(action)s的权限。") % {"unit": where, "action": action})


def require_state(matter: Matter, allowed: Iterable[State], action: str) -> None:
    """`action` as for require_role."""
    allowed = set(allowed)
    if matter.state not in allowed:
        raise InvalidState(
            _("该事项当前状态为“%(state)s”，不能%(action)s。")
            % {"state": State(matter.state).label, "action": action}
        )


def require_text(value: str | None, field: str, label: str) -> str:
    """`label` is already translated: `_("延期理由")`, a noun phrase without an article
    ("reasons for the extension": the English sentence is "Please fill in the …")."""
    text = (value or "").strip()
    if not text:
        raise InvalidInput(_("请填写%(what)s。") % {"what": label}, field=field)
    return text


def timeline(matter: Matter) -> list[Event]:
    """The matter's events in order, read once per step and kept on the locked instance.

    Safe to keep: every writer holds the matter's row lock while it appends.
    """
    events: list[Event] | None = getattr(matter, "_timeline", None)
    if events is None:
        events = list(Event.objects.filter(matter=matter).order_by("seq"))
        matter._timeline = events  # type: ignore[attr-defined]
    return events


def last_event(matter: Matter) -> Event | None:
    events = timeline(matter)
    return events[-1] if events else None


def append_event(
    matter: Matter,
    *,
    kind: str,
    actor: User | None,
    actor_unit: Unit | None,
    at: datetime,
    from_state: str = "",
    to_state: str = "",
    text: str = "",
    data: dict[str, Any] | None = None,
    is_public: bool = True,
) -> Event:
    last = last_event(matter)
    event = Event(
        matter=matter,
        seq=(last.seq + 1) if last else 1,
        kind=kind,
        actor=actor,
        actor_unit=actor_unit,
        occurred_at=at,
        recorded_at=timezone.now(),
        from_state=from_state,
        to_state=to_state,
        text=text,
        data=data or {},
        is_public=is_public,
        prev_hash=last.hash if last else GENESIS,
    )
    event.hash = event_hash(event)
    event.save(force_insert=True)
    timeline(matter).append(event)
    # The chain's head goes to the database with the caller's save().
    matter.last_event_seq, matter.last_event_hash = event.seq, event.hash
    return event


def save(matter: Matter, fields: Iterable[str]) -> None:
    """One UPDATE: the changed fields, the version, the chain's head and the due date computed
    again from the events."""
    due = due_fields(matter_clocks(matter, timeline(matter)))
    matter.due_date, matter.calendar_warning = due.due_date, due.calendar_warning
    matter.version += 1
    matter.save(
        update_fields=[
            *fields,
            "version",
            "last_event_seq",
            "last_event_hash",
            "due_date",
            "calendar_warning",
        ]
    )


def step(
    matter: Matter,
    *,
    kind: str,
    actor: User | None,
    membership: Membership | None,
    at: datetime,
    to_state: str | None = None,
    fields: Iterable[str] = (),
    text: str = "",
    data: dict[str, Any] | None = None,
    is_public: bool = True,
) -> Event:
    """Write one lifecycle step: the state change, its event, the due date, in the caller's
    transaction."""
    from_state = matter.state
    changed = list(fields)
    if to_state is not None and to_state != from_state:
        matter.state = to_state
        changed.append("state")
    event = append_event(
        matter,
        kind=kind,
        actor=actor,
        actor_unit=membership.unit if membership else None,
        at=at,
        from_state=from_state,
        to_state=matter.state,
        text=text,
        data=data,
        is_public=is_public,
    )
    save(matter, changed)
    return event


def clock(matter: Matter, key: str) -> Clock | None:
    """The latest instance of one of the matter's clocks."""
    found = [c for c in matter_clocks(matter, timeline(matter)) if c.rule.key == key]
    return found[-1] if found else None


def require_window_open(matter: Matter, key: str, on: date, refusal: str) -> Clock:
    """Refuse a request made after its statutory window closed; say when it closed.

    `refusal` is a translated sentence."""
    window = clock(matter, key)
    if window is None or not window.running:
        raise InvalidState(refusal)
    if on > window.due_on:
        raise InvalidState(
            _("%(refusal)s该期限已于%(date)s届满。")
            % {"refusal": refusal, "date": format_day(window.due_on)}
        )
    return window
