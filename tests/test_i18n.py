"""Chinese first, English second: the services' messages are Chinese msgids with English
translations; timeline records stay Chinese whatever the actor's language; the catalogues are
complete and compiled."""

from __future__ import annotations

import gettext
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.functional import Promise

from tests.api.conftest import BASE, ApiClient, registration
from tests.conftest import VALID_ID, register
from tests.matters.flows import REPLIED_ON, on, walk
from xinfang.api.models import ApiToken
from xinfang.audit.chain import verify_all
from xinfang.matters import services
from xinfang.matters.errors import DomainError, Forbidden, InvalidInput, InvalidState
from xinfang.matters.models import Event, Rating

LOCALE = Path(settings.LOCALE_PATHS[0])
# The project's catalogue, then each app's own (desk/locale, portal/locale, ...): makemessages
# files an app's strings under the app's locale directory.
CATALOGUES = [LOCALE, *sorted(LOCALE.parent.glob("*/locale"))]
# Chinese: ideographs, or Chinese punctuation (a msgid like "；" or "%(field)s：%(problem)s").
HAN = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")
PLACEHOLDER = re.compile(r"%\((\w+)\)")
BAD_ID = VALID_ID[:-1] + "1"  # wrong check digit


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """A request through LocaleMiddleware leaves its language active in the thread: put the
    default back so that later tests see Chinese."""
    yield
    translation.deactivate()


# ---------------------------------------------------------------------------------------------
# Services


def _refusal(call: Any, language: str | None) -> DomainError:
    """The error `call` raises, with `language` active (None: the default, LANGUAGE_CODE)."""
    with pytest.raises(DomainError) as info:
        if language is None:
            call()
        else:
            with translation.override(language):
                call()
    assert type(info.value.message) is str  # evaluated, never a lazy object
    return info.value


def _extension_over_30_days(w: Any) -> Any:
    m = walk(w, "in_handling")

    def call() -> None:
        with on(date(2026, 3, 10)):
            services.matter_request_extension(matter=m, actor=w.handler, days=31, reason="复杂")

    return call


def _review_after_its_window(w: Any) -> Any:
    m = walk(w, "replied")  # replied 16 March: the window closes on 15 April

    def call() -> None:
        with on(date(2026, 4, 16)):
            services.matter_request_review(matter=m, actor=w.registrar, reasons="仍未解决")

    return call


def _invalid_id_number(w: Any) -> Any:
    def call() -> None:
        register(w, petitioners=[services.PetitionerInput(name="张三", id_number=BAD_ID)])

    return call


def _accepted_twice(w: Any) -> Any:
    m = walk(w, "accepted")
    return lambda: services.matter_accept(matter=m, actor=w.unit_lead)


def _accepted_without_the_power(w: Any) -> Any:
    m = walk(w, "forwarded")
    return lambda: services.matter_accept(matter=m, actor=w.handler)


def _closed_inside_the_review_window(w: Any) -> Any:
    m = walk(w, "replied")

    def call() -> None:
        with on(date(2026, 3, 20)):
            services.matter_close(matter=m, actor=w.unit_lead)

    return call


def _forwarded_to_itself(w: Any) -> Any:
    m = walk(w, "registered")
    return lambda: services.matter_forward(matter=m, actor=w.registrar, to_unit=w.bureau)


@dataclass(frozen=True)
class Case:
    make: Any
    error: type[DomainError]
    chinese: str
    english: str


CASES = {
    "extension over 30 days": Case(
        _extension_over_30_days,
        InvalidInput,
        "延长期限为1至30日（第三十四条）。",
        "An extension is 1 to 30 days (art. 34).",
    ),
    "review after its window": Case(
        _review_after_its_window,
        InvalidState,
        "请求复查应当自收到书面答复之日起30日内提出（《信访工作条例》第三十五条）。"
        "该期限已于2026年04月15日届满。",
        "A review must be requested within 30 days of receiving the written reply "
        "(art. 35 of the Regulations on Letters and Visits). "
        "That time limit ended on 2026-04-15.",
    ),
    "invalid ID number": Case(
        _invalid_id_number,
        InvalidInput,
        "第1位信访人（张三）：身份证号码校验位不正确，请核对后重新输入。",
        "Petitioner 1 (张三): The check digit of the ID number is wrong. "
        "Please check the number and enter it again.",
    ),
    "state and action": Case(
        _accepted_twice,
        InvalidState,
        "该事项当前状态为“已受理”，不能受理。",
        "This matter is now “accepted”, so you cannot accept the matter.",
    ),
    "role, unit and action": Case(
        _accepted_without_the_power,
        Forbidden,
        "您在县人社局没有受理的权限。",
        "You are not allowed to accept the matter at 县人社局.",
    ),
    "date and step": Case(
        _closed_inside_the_review_window,
        InvalidState,
        "信访人可在2026年04月15日前申请复查，期限届满或信访人评价后方可办结。",
        "The petitioner may request a review until 2026-04-15; the matter can be closed once "
        "that period has ended or the petitioner has rated the outcome.",
    ),
    "forward or assign, one sentence each": Case(
        _forwarded_to_itself,
        InvalidInput,
        "不能转送给本单位。",
        "The matter cannot be forwarded to the unit that already has it.",
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_refusal_is_english_for_an_english_user_and_chinese_by_default(world, case):
    call = case.make(world)
    english = _refusal(call, "en")
    assert (type(english), english.message) == (case.error, case.english)
    chinese = _refusal(call, None)
    assert (type(chinese), chinese.message) == (case.error, case.chinese)
    assert _refusal(call, "zh-hans").message == case.chinese


def test_the_confidential_placeholder_follows_the_language(world):
    m = register(world, type="accusation", accused_units=[world.dept])
    with translation.override("en"):
        views = services.petitioners_for(world.outsider, m)
    assert {v.name for v in views} == {"(confidential)"}
    assert {v.name for v in services.petitioners_for(world.outsider, m)} == {"（保密）"}


def test_timeline_records_stay_chinese_whatever_the_actors_language(world):
    with translation.override("en"), on(date(2026, 3, 2)):
        m = register(world)
    m = walk(world, "replied")
    with translation.override("en"), on(REPLIED_ON):
        services.matter_rate(matter=m, actor=world.registrar, rating=Rating.SATISFIED)
    registered = Event.objects.filter(kind="registered").order_by("pk").first()
    rated = Event.objects.get(matter=m, kind="rated")
    assert registered.text == "清河县信访局登记，来信"
    assert rated.text == "满意"
    for event in Event.objects.all():
        assert type(event.text) is str
        assert not any(isinstance(v, Promise) for v in event.data.values())
    assert verify_all() == []


def test_identity_works_and_speaks_chinese_without_django_settings():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    code = (
        "import datetime, sys\n"
        "from xinfang.matters.identity import IdentityError, validate_id_number\n"
        "try:\n"
        f"    validate_id_number({BAD_ID!r}, today=datetime.date(2026, 1, 1))\n"
        "except IdentityError as exc:\n"
        "    print(exc)\n"
        "assert not any(m.startswith('django') for m in sys.modules), 'imported Django'\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "身份证号码校验位不正确，请核对后重新输入。"


# ---------------------------------------------------------------------------------------------
# API


def _client(user: Any, language: str | None) -> ApiClient:
    _, token = ApiToken.objects.create_token(user=user, name="tests")
    client = ApiClient(token)
    if language is not None:
        client.client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return client


def test_the_api_answers_in_english_with_accept_language_en(world):
    m = walk(world, "in_handling")
    body = {"days": 31, "reason": "复杂"}
    with on(date(2026, 3, 10)):
        english = _client(world.handler, "en").post(f"/matters/{m.pk}/extension-request", body)
        chinese = _client(world.handler, None).post(f"/matters/{m.pk}/extension-request", body)
    assert (english.status, english.body) == (
        400,
        {"message": "An extension is 1 to 30 days (art. 34).", "code": "invalid", "field": "days"},
    )
    assert chinese.body["message"] == "延长期限为1至30日（第三十四条）。"


def test_api_validation_and_authentication_errors_follow_the_language(world):
    english = _client(world.registrar, "en").post(
        "/matters", registration(channel="pigeon", petitioners=[{"phone": "1"}])
    )
    assert english.status == 422
    assert english.body["message"].startswith(
        "The request data is not valid: channel: invalid value; choose from "
    )
    assert "name of petitioner 1: required" in english.body["message"]
    chinese = _client(world.registrar, None).post("/matters", registration(channel="pigeon"))
    assert chinese.body["message"].startswith("请求数据有误：信访形式：取值无效，可选：")

    anonymous = Client().get(f"{BASE}/matters", headers={"Accept-Language": "en"})
    assert anonymous.status_code == 401
    assert anonymous.json()["message"].startswith("Not logged in, or the API token is invalid")


def test_an_invalid_id_number_through_the_api_in_english(world):
    r = _client(world.registrar, "en").post(
        "/matters", registration(petitioners=[{"name": "张三", "id_number": BAD_ID}])
    )
    assert (r.status, r.body["field"]) == (400, "petitioners")
    assert r.body["message"] == CASES["invalid ID number"].english


# ---------------------------------------------------------------------------------------------
# Catalogues


@dataclass(frozen=True)
class Entry:
    context: str | None
    msgid: str
    msgstr: str
    flags: frozenset[str]


def _unquote(s: str) -> str:
    return re.sub(r'\\(["\\nt])', lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), s)


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file (header excluded; obsolete `#~` entries skipped)."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        flags: set[str] = set()
        fields: dict[str, str] = {}
        current = None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags.update(f.strip() for f in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif m := re.match(r'(msgctxt|msgid|msgstr) "(.*)"$', line):
                current = m[1]
                fields[current] = _unquote(m[2])
            elif (m := re.match(r'"(.*)"$', line)) and current:
                fields[current] += _unquote(m[1])
        if fields.get("msgid"):
            entries.append(
                Entry(
                    fields.get("msgctxt"),
                    fields["msgid"],
                    fields.get("msgstr", ""),
                    frozenset(flags),
                )
            )
    return entries


def _po(language: str, root: Path = LOCALE) -> Path:
    return root / language / "LC_MESSAGES" / "django.po"


catalogues = pytest.mark.parametrize(
    "root", CATALOGUES, ids=[str(c.relative_to(LOCALE.parent)) for c in CATALOGUES]
)


def test_the_project_catalogue_is_the_big_one():
    assert len(read_po(_po("en"))) > 300
    assert len([e for e in read_po(_po("zh_Hans")) if not HAN.search(e.msgid)]) > 100


@catalogues
def test_every_english_entry_is_translated_and_not_fuzzy(root):
    entries = read_po(_po("en", root))
    untranslated = [e.msgid for e in entries if not e.msgstr]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert (untranslated, fuzzy) == ([], [])
    assert "fuzzy" not in _po("en", root).read_text(encoding="utf-8")


@catalogues
def test_english_translations_are_english_and_keep_their_placeholders(root):
    for e in read_po(_po("en", root)):
        assert sorted(PLACEHOLDER.findall(e.msgstr)) == sorted(PLACEHOLDER.findall(e.msgid)), e
        if not HAN.search(e.msgid):
            # An English msgid is its own translation.
            assert e.msgstr == e.msgid, e


@catalogues
def test_every_english_msgid_in_the_chinese_catalogue_is_translated(root):
    entries = read_po(_po("zh_Hans", root))
    english = [e for e in entries if not HAN.search(e.msgid)]
    assert [e.msgid for e in english if not e.msgstr or "fuzzy" in e.flags] == []
    assert "fuzzy" not in _po("zh_Hans", root).read_text(encoding="utf-8")


@catalogues
def test_the_msgids_are_the_same_in_both_catalogues(root):
    def keys(language: str) -> set[tuple[str | None, str]]:
        return {(e.context, e.msgid) for e in read_po(_po(language, root))}

    assert keys("en") == keys("zh_Hans")


def read_glossary(directory: Path) -> dict[str, str]:
    """glossary.tsv and any glossary-PART.tsv beside it (one per part of a large app)."""
    rows = [
        row
        for path in sorted(directory.glob("glossary*.tsv"))
        for row in path.read_text(encoding="utf-8").splitlines()
    ]
    return dict(r.split("\t", 1) for r in rows if r.strip() and not r.startswith("#"))


@catalogues
@pytest.mark.parametrize("language", ["en", "zh_Hans"])
def test_every_translation_is_the_glossarys(language, root):
    """The glossary is the source (scripts/po_fill.py). A msgstr that msgmerge wrapped onto
    several lines looks empty to po_fill, which then fills it and leaves the old lines after:
    the translation comes out doubled. Run `msgcat --no-wrap -o F F` on a catalogue before
    po_fill."""
    glossary = read_glossary(root / language)
    differ = [
        (e.msgid, e.msgstr)
        for e in read_po(_po(language, root))
        if e.msgstr and e.msgstr != glossary.get(e.msgid)
    ]
    assert differ == []


@catalogues
@pytest.mark.parametrize("language", ["en", "zh_Hans"])
def test_the_compiled_catalogue_matches_its_po(language, root):
    """compilemessages was run after the last change to the .po (fuzzy entries would be
    missing from the .mo: checked here too)."""
    with (root / language / "LC_MESSAGES" / "django.mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    for e in read_po(_po(language, root)):
        expected = e.msgstr or e.msgid
        got = compiled.pgettext(e.context, e.msgid) if e.context else compiled.gettext(e.msgid)
        assert got == expected, e
