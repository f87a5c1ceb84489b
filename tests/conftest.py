"""The shared test world: a small county with one person per role.

Tests that need it take the `world` fixture; `register` makes a matter through the service.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone, translation

from tests.factories import MembershipFactory, RegionFactory, UnitFactory, UserFactory
from xinfang.deadlines.services import invalidate_caches
from xinfang.matters import services
from xinfang.matters.models import Channel, Matter, MatterType
from xinfang.org.models import Level, Role, Unit
from xinfang.routing import directory, store

# A valid resident ID number (check digit correct) for a fictional person born 1970-03-07.
VALID_ID = "110101197003070012"


def person(username: str, unit: Unit, *roles: str, name: str = "") -> Any:
    user = UserFactory(username=username, first_name=name or username)
    for role in roles:
        MembershipFactory(user=user, unit=unit, role=role)
    return user


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    invalidate_caches()
    yield
    # A request with Accept-Language: en leaves English active for the rest of the thread.
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def world(db: Any) -> SimpleNamespace:
    city_region = RegionFactory(code="990100", name="江州市", level=Level.CITY)
    county = RegionFactory(code="990102", name="清河县", level=Level.COUNTY, parent=city_region)
    township = RegionFactory(code="990102001", name="永安镇", level=Level.TOWNSHIP, parent=county)
    city = UnitFactory(
        name="江州市人民政府",
        short_name="江政",
        kind=Unit.Kind.OTHER,
        level=Level.CITY,
        region=city_region,
    )
    gov = UnitFactory(
        name="清河县人民政府",
        short_name="清政",
        kind=Unit.Kind.OTHER,
        level=Level.COUNTY,
        region=county,
        parent=city,
    )
    bureau = UnitFactory(
        name="清河县信访局",
        short_name="清信",
        kind=Unit.Kind.PETITION_OFFICE,
        region=county,
        parent=gov,
    )
    dept = UnitFactory(name="县人社局", short_name="清人社", region=county, parent=gov)
    other = UnitFactory(name="县住建局", short_name="清住建", region=county, parent=gov)
    discipline = UnitFactory(
        name="县纪委监委", short_name="清纪", kind=Unit.Kind.DISCIPLINE, region=county, parent=None
    )
    town = UnitFactory(
        name="永安镇政府",
        short_name="永安",
        kind=Unit.Kind.TOWNSHIP,
        level=Level.TOWNSHIP,
        region=township,
        parent=gov,
    )
    w = SimpleNamespace(
        county=county,
        township=township,
        city=city,
        gov=gov,
        bureau=bureau,
        dept=dept,
        other=other,
        discipline=discipline,
        town=town,
    )
    w.registrar = person("registrar", bureau, Role.REGISTRAR, name="登记员")
    w.director = person("director", bureau, Role.DIRECTOR, name="局长")
    w.supervisor = person("supervisor", bureau, Role.SUPERVISOR, name="督查员")
    w.auditor = person("auditor", bureau, Role.AUDITOR, name="审计员")
    w.dept_registrar = person("dept_registrar", dept, Role.REGISTRAR, name="人社登记员")
    w.handler = person("handler", dept, Role.HANDLER, name="承办人")
    w.handler2 = person("handler2", dept, Role.HANDLER, name="承办人二")
    w.unit_lead = person("unit_lead", dept, Role.UNIT_LEAD, name="人社局长")
    w.leader = person("leader", dept, Role.LEADER, name="分管领导")
    w.county_leader = person("county_leader", gov, Role.LEADER, name="副县长")
    w.gov_lead = person("gov_lead", gov, Role.UNIT_LEAD, name="县政府负责人")
    w.city_lead = person("city_lead", city, Role.UNIT_LEAD, name="市政府负责人")
    w.inspector = person("inspector", discipline, Role.DISCIPLINE_INSPECTOR, name="纪检员")
    w.discipline_lead = person("discipline_lead", discipline, Role.UNIT_LEAD, name="纪委负责人")
    w.outsider = person("outsider", other, Role.HANDLER, Role.UNIT_LEAD, name="外单位人员")
    w.town_lead = person("town_lead", town, Role.UNIT_LEAD, name="镇长")
    return w


def register(w: SimpleNamespace, *, actor: Any = None, **overrides: Any) -> Matter:
    """Register a matter through the service with sensible defaults."""
    kwargs: dict[str, Any] = {
        "actor": actor or w.registrar,
        "channel": Channel.LETTER,
        "received_at": timezone.now(),
        "title": "工资被拖欠",
        "content": "某公司拖欠工人工资三个月，请求督促支付。",
        "type": MatterType.REQUEST,
        "petitioners": [
            services.PetitionerInput(
                name="张三", phone="13800138000", id_number=VALID_ID, address="永安镇"
            )
        ],
    }
    kwargs.update(overrides)
    return services.matter_register(**kwargs)


def at(*args: int) -> datetime:
    """An aware local datetime, noon by default."""
    if len(args) == 3:
        args = (*args, 12)
    return timezone.make_aware(datetime(*args))


@pytest.fixture(autouse=True)
def _fresh_routing_caches() -> Iterator[None]:
    """The routing directory (units, regions, rules) and the loaded model are cached per
    process; each test's database starts afresh, and so must they."""
    directory.forget()
    store.forget()
    yield
    directory.forget()
    store.forget()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings: Any) -> None:
    # The default PBKDF2 hasher costs ~0.25 s per user: the world fixture would take seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_runtest_setup(item: pytest.Item) -> None:
    """`postgres_only` tests need real row locks and concurrent connections: skip elsewhere."""
    if item.get_closest_marker("postgres_only") is None:
        return
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        pytest.skip("needs PostgreSQL (run under scripts/with-postgres.sh)")
