from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from xinfang.matters.selectors import unit_worklist
from xinfang.org.access import memberships_of


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each of the user's units with its open matters, nearest due date first."""
    units = {m.unit_id: m.unit for m in memberships_of(request.user)}
    worklists = [(unit, list(unit_worklist(unit.pk)[:20])) for unit in units.values()]
    return render(
        request,
        "desk/home.html",
        {
            "memberships": memberships_of(request.user),
            "worklists": worklists,
        },
    )
