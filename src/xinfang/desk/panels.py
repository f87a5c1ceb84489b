"""Advice shown beside the forms, from xinfang.routing: the repeat warning on registration
(art. 19 ¶3) and the suggested type, category and unit. Advice preselects, never decides."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from xinfang.matters.models import Category
from xinfang.routing import suggest as routing

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from xinfang.matters.models import Matter
    from xinfang.matters.services import PetitionerInput
    from xinfang.org.models import Region, Unit

# The forms that pick a unit, a type or a category: the suggestion is shown beside them.
SUGGESTING_ACTIONS = frozenset({"classify", "forward", "assign", "accept", "owners"})


def repeats(
    *, user: User, petitioners: Sequence[PetitionerInput], title: str, content: str
) -> list[Any]:
    return routing.find_repeats(user=user, petitioners=petitioners, title=title, content=content)


def suggestion_for(matter: Matter, *, offered: Sequence[str]) -> Any:
    if not SUGGESTING_ACTIONS & set(offered):
        return None
    return routing.suggest_for_matter(matter)


def preselect(form: Any, key: str, suggestion: Any, matter: Matter) -> None:
    """Put the best suggested unit first in a forward/assign form, and the best suggested
    category in the classification of a matter that has none; the user still chooses."""
    if suggestion is None or form.is_bound:
        return
    if key == "classify" and matter.category_id is None and suggestion.categories:
        category = Category.objects.filter(
            name=suggestion.categories[0].value, is_active=True
        ).first()
        if category is not None:
            form.initial["category"] = category.pk
        return
    if key not in ("forward", "assign"):
        return
    for choice in suggestion.units:
        if choice.unit.pk != matter.lead_unit_id and choice.unit.is_active:
            form.fields["to_unit"].initial = choice.unit.pk
            return


def suggestion_for_text(*, title: str, content: str, office: Unit, region: Region | None) -> Any:
    if not (title or content).strip():
        return None
    return routing.suggest(title=title, content=content, office=office, region=region)
