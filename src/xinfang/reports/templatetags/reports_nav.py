"""The reports' second navigation bar shows only the pages this person may use: bulletins and
document templates for whoever may issue them in some unit, the ledger import for whoever may
register matters at an office. (The pages check again and answer 403 otherwise.)"""

from __future__ import annotations

from typing import Any

from django import template

from xinfang.reports.documents.services import template_units
from xinfang.reports.ledger.importer import import_offices

register = template.Library()


@register.simple_tag(takes_context=True)
def reports_allowed(context: dict[str, Any]) -> dict[str, bool]:
    user = context["request"].user
    documents = bool(template_units(user))
    return {"documents": documents, "ledger": bool(import_offices(user))}
