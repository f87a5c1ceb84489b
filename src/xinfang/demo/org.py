"""Build the demo county: regions, units, categories and staff accounts, idempotently.

Everything is looked up by a natural key (division code, unit name, username, category name) and
created only when missing, so running the builder again changes nothing. Existing accounts keep
whatever password they have now.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from xinfang.demo import data
from xinfang.matters.models import Category
from xinfang.org.models import Level, Membership, Region, Role, Unit


@dataclass(frozen=True)
class Account:
    username: str
    name: str
    role: str
    unit: str  # unit name
    title: str
    listed: bool  # printed in the main login table


@dataclass
class UnitStaff:
    lead: str
    handler: str
    leader: str = ""  # a leader of the unit itself; empty: the county leaders own its cases


@dataclass
class Org:
    units: dict[str, Unit]  # by slug: city, gov, bureau, departments, jw, fy, township slugs
    villages: dict[str, Unit]  # village or community committee by village name
    township_units: dict[str, Unit]  # township government by township name
    regions: dict[str, Region]  # by name: the city, the county, townships, villages
    categories: dict[str, Category]
    users: dict[str, Any]
    staff: dict[str, UnitStaff]  # by unit slug, for every body that handles matters
    accounts: list[Account]
    county_leaders: list[str]
    created: dict[str, int] = field(default_factory=dict)

    def user(self, username: str) -> Any:
        return self.users[username]

    @property
    def departments(self) -> list[str]:
        return [slug for slug, *_ in data.DEPARTMENTS]


# The handling staff of the listed accounts; the builder fills in the rest.
_LISTED_STAFF = {
    "rsj": UnitStaff(lead="unit_lead", handler="handler", leader="leader"),
    "zjj": UnitStaff(lead="zjj_lead", handler="handler2"),
    "ya": UnitStaff(lead="town_lead", handler="ya_handler"),
}


def _region(
    code: str, name: str, level: str, parent: Region | None, counts: dict[str, int]
) -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None:
        region = Region(code=code, name=name, level=level, parent=parent)
        region.clean()
        region.save()
        counts["regions"] = counts.get("regions", 0) + 1
    return region


def _unit(
    name: str,
    *,
    short_name: str,
    kind: str,
    level: str,
    region: Region,
    parent: Unit | None,
    counts: dict[str, int],
) -> Unit:
    unit, created = Unit.objects.get_or_create(
        name=name,
        defaults={
            "short_name": short_name,
            "kind": kind,
            "level": level,
            "region": region,
            "parent": parent,
        },
    )
    if created:
        counts["units"] = counts.get("units", 0) + 1
    return unit


StaffPlan = list[tuple[data.Staff, bool]]  # each account, and whether the login table lists it


def _staff_plan(units: dict[str, Unit]) -> tuple[StaffPlan, dict[str, UnitStaff]]:
    """Every account to exist: the listed ones, then a head and a handler for each other body."""
    names = random.Random("xinfang-demo-staff")  # fixed: the same names on every run
    taken = {s.name for s in data.STAFF}

    def new_name() -> str:
        while True:
            name = names.choice(data.SURNAMES) + names.choice(data.GIVEN_NAMES)
            if name not in taken:
                taken.add(name)
                return name

    plan: StaffPlan = [(s, True) for s in data.STAFF]
    second_leader = data.Staff("county_leader2", new_name(), "leader", "gov", "副县长（包案）")
    plan.append((second_leader, False))
    listed = {s.username for s in data.STAFF}
    handling = [slug for slug, *_ in data.DEPARTMENTS + data.INDEPENDENT]
    handling += [slug for _, _, slug, _ in data.TOWNSHIPS]
    staff: dict[str, UnitStaff] = {}
    for slug in handling:
        listed_crew = _LISTED_STAFF.get(slug)
        crew = (
            replace(listed_crew)
            if listed_crew
            else UnitStaff(lead=f"{slug}_lead", handler=f"{slug}_handler")
        )
        if slug in data.EXTRA_LEADERS:
            crew.leader = f"{slug}_leader"
        unit_name = units[slug].name
        for username, role, title in (
            (crew.lead, "unit_lead", "负责人"),
            (crew.handler, "handler", "承办人"),
            (crew.leader, "leader", "领导（包案）"),
        ):
            if username and username not in listed:
                account = data.Staff(username, new_name(), role, slug, unit_name + title)
                plan.append((account, False))
                listed.add(username)
        staff[slug] = crew
    return plan, staff


@transaction.atomic
def build_org() -> Org:
    """Create whatever of the demo county is missing and return all of it."""
    counts: dict[str, int] = {}
    city_region = _region(data.CITY[0], data.CITY[1], Level.CITY, None, counts)
    county_region = _region(data.COUNTY[0], data.COUNTY[1], Level.COUNTY, city_region, counts)
    regions = {city_region.name: city_region, county_region.name: county_region}

    units: dict[str, Unit] = {}
    slug, name, short = data.CITY_GOV
    units[slug] = _unit(
        name,
        short_name=short,
        kind=Unit.Kind.OTHER,
        level=Level.CITY,
        region=city_region,
        parent=None,
        counts=counts,
    )
    slug, name, short = data.COUNTY_GOV
    gov = units[slug] = _unit(
        name,
        short_name=short,
        kind=Unit.Kind.OTHER,
        level=Level.COUNTY,
        region=county_region,
        parent=units["city"],
        counts=counts,
    )
    slug, name, short = data.BUREAU
    units[slug] = _unit(
        name,
        short_name=short,
        kind=Unit.Kind.PETITION_OFFICE,
        level=Level.COUNTY,
        region=county_region,
        parent=gov,
        counts=counts,
    )
    for slug, name, short, kind in data.DEPARTMENTS:
        units[slug] = _unit(
            name,
            short_name=short,
            kind=kind,
            level=Level.COUNTY,
            region=county_region,
            parent=gov,
            counts=counts,
        )
    for slug, name, short, kind in data.INDEPENDENT:
        units[slug] = _unit(
            name,
            short_name=short,
            kind=kind,
            level=Level.COUNTY,
            region=county_region,
            parent=None,
            counts=counts,
        )

    township_units: dict[str, Unit] = {}
    villages: dict[str, Unit] = {}
    for t_index, (township, gov_name, slug, village_names) in enumerate(data.TOWNSHIPS):
        t_region = _region(
            data.township_code(t_index), township, Level.TOWNSHIP, county_region, counts
        )
        regions[township] = t_region
        town = units[slug] = township_units[township] = _unit(
            gov_name,
            short_name=township[:2],
            kind=Unit.Kind.TOWNSHIP,
            level=Level.TOWNSHIP,
            region=t_region,
            parent=gov,
            counts=counts,
        )
        for v_index, village in enumerate(village_names):
            v_region = _region(
                data.village_code(t_index, v_index), village, Level.VILLAGE, t_region, counts
            )
            regions[village] = v_region
            villages[village] = _unit(
                data.village_unit_name(village),
                short_name=village[:10],
                kind=Unit.Kind.VILLAGE,
                level=Level.VILLAGE,
                region=v_region,
                parent=town,
                counts=counts,
            )

    categories = {}
    for position, name in enumerate(data.CATEGORIES, start=1):
        category, created = Category.objects.get_or_create(
            name=name, defaults={"position": position}
        )
        categories[name] = category
        if created:
            counts["categories"] = counts.get("categories", 0) + 1

    plan, staff = _staff_plan(units)
    users, accounts = _ensure_accounts(plan, units, counts)
    return Org(
        units=units,
        villages=villages,
        township_units=township_units,
        regions=regions,
        categories=categories,
        users=users,
        staff=staff,
        accounts=accounts,
        county_leaders=["county_leader", "county_leader2"],
        created=counts,
    )


def _ensure_accounts(
    plan: StaffPlan, units: dict[str, Unit], counts: dict[str, int]
) -> tuple[dict[str, Any], list[Account]]:
    User = get_user_model()
    plan = list(plan)
    existing = {
        u.username: u for u in User.objects.filter(username__in=[s.username for s, _ in plan])
    }
    # One hash for every demo account: hashing is deliberately slow (PBKDF2), and these are
    # development accounts sharing one published password anyway.
    password = make_password(data.DEMO_PASSWORD) if len(existing) < len(plan) else ""
    users: dict[str, Any] = {}
    accounts: list[Account] = []
    for staff, listed in plan:
        user = existing.get(staff.username)
        if user is None:
            is_admin = staff.role == Role.ADMIN
            user = User.objects.create(
                username=staff.username,
                first_name=staff.name,
                password=password,
                is_staff=is_admin,
                is_superuser=is_admin,
            )
            counts["users"] = counts.get("users", 0) + 1
        unit = units[staff.unit]
        _, created = Membership.objects.get_or_create(user=user, unit=unit, role=staff.role)
        if created:
            counts["memberships"] = counts.get("memberships", 0) + 1
        users[staff.username] = user
        accounts.append(
            Account(
                staff.username,
                user.first_name or staff.name,
                staff.role,
                unit.name,
                staff.title,
                listed,
            )
        )
    return users, accounts
