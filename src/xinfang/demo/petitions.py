"""A petition as registered: a template filled in with a place, people and numbers. No Django."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from xinfang.demo import data, texts
from xinfang.demo.people import Person, person

TOWNSHIP_SLUGS = {name: slug for name, _, slug, _ in data.TOWNSHIPS}
VILLAGES = {name: villages for name, _, _, villages in data.TOWNSHIPS}


@dataclass(frozen=True)
class Filing:
    """What is registered: the petition as written, and who wrote it."""

    template: int
    title: str
    content: str
    type: str
    category: str
    unit: str  # slug of the body responsible
    township: str  # "" when county-wide
    village: str
    channel: str
    petitioners: tuple[Person, ...]
    is_collective: bool
    head_count: int
    accused: tuple[str, ...]  # unit slugs, or "village:<name>"
    legal: str
    source_reference: str = ""


def compose(
    rng: random.Random,
    template_index: int,
    *,
    today: date,
    office: str = "bureau",
    collective: bool = False,
) -> Filing:
    """Fill a template in with a place, people and numbers."""
    t = texts.TEMPLATES[template_index]
    townships = ("永安镇",) if office == "ya" else t.townships
    township = rng.choice(townships) if townships else ""
    village = rng.choice(VILLAGES[township]) if township else ""
    # Where the petitioner lives: the matter's place, or anywhere in the county.
    home_t = township or rng.choice(list(VILLAGES))
    home_v = village or rng.choice(VILLAGES[home_t])
    is_collective = bool(t.collective) and (collective or rng.random() < t.collective)
    head_count = rng.randint(6, 60) if is_collective else 1
    if t.type == "accusation" and not is_collective and rng.random() < 0.25:
        people: tuple[Person, ...] = ()  # anonymous accusation
    else:
        count = rng.randint(2, 5) if is_collective else 1
        people = tuple(
            person(
                rng,
                today=today,
                address=home_t + home_v + _house(rng, home_v),
                min_age=t.ages[0],
                max_age=t.ages[1],
            )
            for _ in range(count)
        )
    values = {
        "name": people[0].name if people else "",
        "age": people[0].age if people else rng.randint(*t.ages),
        "township": township or home_t,
        "village": village or home_v,
        "resident": "居民" if data.is_community(village or home_v) else "村民",
        "company": rng.choice(data.COMPANIES),
        "road": rng.choice(data.ROADS),
        "school": rng.choice(data.SCHOOLS),
        "wan": f"{rng.uniform(1.2, 12):.1f}",
        "yuan": rng.randrange(800, 30000, 100),
        "mu": f"{rng.uniform(0.8, 6):.1f}",
        "months": rng.randint(2, 11),
        "month": rng.randint(1, 12),
        "count": head_count if is_collective else rng.randint(5, 40),
    }
    channel = "visit" if is_collective else rng.choice(t.channels)
    source = ""
    if channel == "letter" and rng.random() < 0.15:
        channel = "transferred"
        source = f"江信转〔{today.year}〕{rng.randint(10, 999)}号"
    accused: tuple[str, ...] = ()
    if t.accused == "village":
        accused = (f"village:{village}",)
    elif t.accused == "township":
        accused = (TOWNSHIP_SLUGS[township],)
    elif t.accused:
        accused = (t.accused,)
    unit = TOWNSHIP_SLUGS[township] if t.unit == "township" else t.unit
    return Filing(
        template=template_index,
        title=t.title.format(**values),
        content=t.text.format(**values),
        type=t.type,
        category=t.category,
        unit=unit,
        township=township,
        village=village,
        channel=channel,
        petitioners=people,
        is_collective=is_collective,
        head_count=head_count,
        accused=accused,
        legal=t.legal,
        source_reference=source,
    )


def _house(rng: random.Random, village: str) -> str:
    if data.is_community(village):
        return f"{rng.randint(1, 30)}号楼{rng.randint(1, 6)}单元"
    return f"{rng.randint(1, 9)}组"
