"""The routing table's edits: who may make them, what is refused, concurrent edits."""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any

import pytest

from xinfang.matters.errors import Conflict, Forbidden, InvalidInput
from xinfang.routing import directory
from xinfang.routing.models import RoutingRule
from xinfang.routing.services import rules
from xinfang.routing.services.rules import (
    rule_create,
    rule_deactivate,
    rule_update,
    rules_fill_defaults,
)


def test_registrar_and_director_edit_the_table(rworld: SimpleNamespace) -> None:
    w = rworld
    rule = rule_create(
        actor=w.director, office=w.bureau, category=w.categories["教育"], unit=w.edu, note="教育"
    )
    rule = rule_update(
        actor=w.registrar,
        rule=rule,
        category=w.categories["教育"],
        region=w.township,
        unit=w.town,
        expected_version=0,
    )
    assert rule.version == 1 and rule.unit == w.town and rule.region == w.township


def test_others_may_not(rworld: SimpleNamespace) -> None:
    w = rworld
    for user in (w.handler, w.supervisor, w.outsider, w.dept_registrar):
        with pytest.raises(Forbidden):
            rule_create(actor=user, office=w.bureau, category=w.categories["教育"], unit=w.edu)
    assert not RoutingRule.objects.exists()


def test_bad_rows_are_refused_with_a_reason(rworld: SimpleNamespace) -> None:
    w = rworld
    with pytest.raises(InvalidInput) as exc:
        rule_create(actor=w.registrar, office=w.bureau, unit=w.edu)
    assert exc.value.field == "category"
    with pytest.raises(InvalidInput) as exc:
        rule_create(actor=w.registrar, office=w.bureau, category=w.categories["教育"], unit=w.city)
    assert exc.value.field == "unit"
    rule_create(actor=w.registrar, office=w.bureau, category=w.categories["教育"], unit=w.edu)
    with pytest.raises(InvalidInput):
        rule_create(actor=w.registrar, office=w.bureau, category=w.categories["教育"], unit=w.dept)
    assert RoutingRule.objects.count() == 1


def test_a_stale_edit_is_refused(rworld: SimpleNamespace) -> None:
    w = rworld
    rule = rule_create(
        actor=w.registrar, office=w.bureau, category=w.categories["教育"], unit=w.edu
    )
    rule_update(actor=w.director, rule=rule, category=w.categories["教育"], unit=w.dept)
    with pytest.raises(Conflict):
        rule_deactivate(actor=w.registrar, rule=rule, expected_version=0)
    assert RoutingRule.objects.get().is_active


def test_defaults_fill_the_table_from_unit_names(rworld: SimpleNamespace) -> None:
    w = rworld
    created = rules_fill_defaults(actor=w.registrar, office=w.bureau)
    by_category = {r.category.name: r.unit for r in created if r.category}
    assert by_category["劳动与社会保障"] == w.dept
    assert by_category["纪检监察"] == w.discipline
    assert by_category["教育"] == w.edu
    assert rules_fill_defaults(actor=w.registrar, office=w.bureau) == []


def test_every_change_forgets_the_cached_table_again_at_commit(
    rworld: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    """Another request may fill the cache with the table as it was before the change commits:
    each change clears it again once committed, not only at once."""
    w = rworld
    rule = rule_create(
        actor=w.registrar, office=w.bureau, category=w.categories["教育"], unit=w.edu
    )
    changes = [
        lambda: rule_update(
            actor=w.registrar,
            rule=rule,
            category=w.categories["教育"],
            unit=w.dept,
            expected_version=0,
        ),
        lambda: rule_deactivate(actor=w.registrar, rule=rule, expected_version=1),
        lambda: rules_fill_defaults(actor=w.registrar, office=w.bureau),
    ]
    for change in changes:
        with django_capture_on_commit_callbacks() as callbacks:
            change()
            directory.directory(w.bureau)  # filled before the commit
        assert w.bureau.pk in directory._cache
        for callback in callbacks:
            callback()
        assert w.bureau.pk not in directory._cache


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_registrars_adding_the_same_rule_at_once_one_is_refused(
    rworld: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both check for a duplicate and both write, unless the office's row makes them take
    turns: then the second sees the first's row."""
    from tests.matters.concurrently import run_concurrently

    w = rworld
    original = rules._validate

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.3)
        return original(*args, **kwargs)

    monkeypatch.setattr(rules, "_validate", slow)
    actors = [w.registrar, w.director]
    results = run_concurrently(
        2,
        lambda i: rule_create(
            actor=actors[i], office=w.bureau, category=w.categories["教育"], unit=w.edu
        ),
    )
    assert sorted(type(r).__name__ for r in results) == ["InvalidInput", "RoutingRule"], results
    assert RoutingRule.objects.filter(office=w.bureau, is_active=True).count() == 1
