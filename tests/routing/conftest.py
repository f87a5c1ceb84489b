"""Routing tests: the shared world plus the categories and more of the county's bodies."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.api.conftest import api  # noqa: F401  (the token-authenticated API client)
from tests.factories import RegionFactory, UnitFactory
from xinfang.matters.models import Category
from xinfang.org.models import Level, Unit
from xinfang.routing.core.classify import CATEGORIES


@pytest.fixture
def rworld(world: SimpleNamespace) -> SimpleNamespace:
    """The shared world with the default categories, a few more county departments, a second
    township, and the court."""
    w = world
    w.categories = {
        name: Category.objects.get_or_create(name=name, defaults={"position": i})[0]
        for i, name in enumerate(CATEGORIES, start=1)
    }
    w.env = UnitFactory(name="县生态环境局", short_name="清环境", region=w.county, parent=w.gov)
    w.edu = UnitFactory(name="县教育局", short_name="清教育", region=w.county, parent=w.gov)
    w.court = UnitFactory(
        name="县法院", short_name="清法", kind=Unit.Kind.JUDICIAL, region=w.county, parent=None
    )
    w.township2 = RegionFactory(
        code="990102003", name="白沙乡", level=Level.TOWNSHIP, parent=w.county
    )
    w.town2 = UnitFactory(
        name="白沙乡政府",
        short_name="白沙",
        kind=Unit.Kind.TOWNSHIP,
        level=Level.TOWNSHIP,
        region=w.township2,
        parent=w.gov,
    )
    return w
