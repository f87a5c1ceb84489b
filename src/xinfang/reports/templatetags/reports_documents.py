"""{% documents_panel %}: the matter page's Documents panel (issued documents and what may be
issued now). The desk's matter page includes it with one line; the logic lives here."""

from __future__ import annotations

from typing import Any

from django import template

from xinfang.matters.models import Event
from xinfang.matters.selectors import can_see_identity
from xinfang.reports.documents.services import documents_for, issuable_kinds
from xinfang.reports.models import DocumentKind

register = template.Library()


@register.inclusion_tag("reports/documents/_panel.html", takes_context=True)
def documents_panel(context: template.Context) -> dict[str, Any]:
    request = context["request"]
    matter = context["matter"]
    user = request.user
    events = context.get("events")
    if events is None:
        events = list(Event.objects.filter(matter=matter).order_by("seq"))
    offered = [
        {"kind": spec.kind, "label": DocumentKind(spec.kind).label, "article": spec.article}
        for spec in issuable_kinds(user, matter, list(events))
    ]
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "matter": matter,
        "documents": documents_for(user, matter),
        "identity": can_see_identity(user, matter),
        "offered": offered,
    }
