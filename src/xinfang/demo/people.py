"""Fictional petitioners: names, phone numbers and resident ID numbers. No Django here."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from xinfang.demo.data import COUNTY, GIVEN_NAMES, SURNAMES

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


@dataclass(frozen=True)
class Person:
    name: str
    phone: str
    id_number: str
    address: str
    age: int


def full_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)


def phone_number(rng: random.Random) -> str:
    """A mobile number of the 139 block; the digits are random, so any match is chance."""
    return f"139{rng.randrange(10**8):08d}"


def id_check_digit(first17: str) -> str:
    """GB 11643-1999 check digit (ISO 7064 MOD 11-2)."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def id_number(rng: random.Random, born: date) -> str:
    """A well-formed ID number with the fictional county's division code as its address code."""
    first17 = f"{COUNTY[0]}{born:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + id_check_digit(first17)


def person(
    rng: random.Random, *, today: date, address: str, min_age: int = 20, max_age: int = 85
) -> Person:
    age = rng.randint(min_age, max_age)
    born = today - timedelta(days=365 * age + rng.randrange(365))
    return Person(
        name=full_name(rng),
        phone=phone_number(rng),
        id_number=id_number(rng, born),
        address=address,
        age=age,
    )
