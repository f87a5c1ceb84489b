"""Regions and units: division codes, the region tree, unit kinds."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from xinfang.org.models import Level, Region, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def city() -> Region:
    return Region.objects.create(code="990100", name="江州市", level=Level.CITY)


@pytest.fixture
def county(city) -> Region:
    return Region.objects.create(code="990102", name="清河县", level=Level.COUNTY, parent=city)


def test_a_well_formed_tree_validates(city, county):
    township = Region(code="990102001", name="永安镇", level=Level.TOWNSHIP, parent=county)
    township.full_clean()
    township.save()
    Region(code="990102001203", name="柳村", level=Level.VILLAGE, parent=township).full_clean()
    assert county.subtree_prefix == "990102"
    assert city.subtree_prefix == "9901"


def test_a_county_may_stand_alone_as_the_root():
    Region(code="990102", name="清河县", level=Level.COUNTY).full_clean()


@pytest.mark.parametrize(
    ("code", "level", "parent", "field"),
    [
        ("99010", Level.COUNTY, "city", "code"),  # six digits for a county
        ("990102", Level.TOWNSHIP, "county", "code"),  # nine for a township
        ("990101", Level.CITY, None, "code"),  # a city code ends in 00
        ("990102001", Level.TOWNSHIP, "city", "parent"),  # the parent is one level up
        ("990103001", Level.TOWNSHIP, "county", "code"),  # the code extends the parent's
        ("990102001", Level.TOWNSHIP, None, "parent"),
    ],
)
def test_a_malformed_region_is_refused(city, county, code, level, parent, field):
    parents = {"city": city, "county": county, None: None}
    region = Region(code=code, name="错误", level=level, parent=parents[parent])
    with pytest.raises(ValidationError) as info:
        region.clean()
    assert field in info.value.message_dict


def test_unit_kinds_tell_petition_offices_and_discipline_apart(county):
    office = Unit(name="信访局", short_name="信", kind=Unit.Kind.PETITION_OFFICE, region=county)
    discipline = Unit(name="纪委", short_name="纪", kind=Unit.Kind.DISCIPLINE, region=county)
    assert office.is_petition_office and not office.is_discipline
    assert discipline.is_discipline and not discipline.is_petition_office
