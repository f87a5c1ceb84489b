"""Ledger pages: export the desk's filtered list, import an office's ledger (upload → map the
columns → dry run → import). Thin: the work is in export.py and importer.py."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from xinfang.desk import search
from xinfang.desk.forms import ListFilterForm
from xinfang.desk.selectors import matter_list
from xinfang.matters.errors import DomainError
from xinfang.matters.identity import mask_id_number, mask_phone
from xinfang.reports.ledger import columns, importer
from xinfang.reports.ledger.export import ledger_rows, write_ledger
from xinfang.reports.ledger.forms import MappingForm, UploadForm
from xinfang.reports.xlsx import XLSX

if TYPE_CHECKING:
    from django.contrib.auth.models import User

SESSION_KEY = "ledger_uploads"
KEEP_IN_SESSION = 20
PREVIEW_ROWS = 3


_ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
_MOBILE = re.compile(r"(?<!\d)1\d{10}(?!\d)")


def _masked(value: Any) -> str:
    """A preview cell with ID numbers and mobile numbers masked, as every screen shows them."""
    text = columns.text(value)
    text = _ID_NUMBER.sub(lambda m: mask_id_number(m.group(0).upper()), text)
    return _MOBILE.sub(lambda m: mask_phone(m.group(0)), text)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]  # login_required ran


@require_GET
@login_required
def export(request: HttpRequest) -> HttpResponseBase:
    """The desk list's matters, with the desk list's filters, as a ledger."""
    user = _user(request)
    form = ListFilterForm(request.GET or None, user=user)
    try:
        qs = matter_list(user, form.filters())
    except search.QueryTooShort:
        return render(
            request,
            "reports/ledger/problem.html",
            {"problem": _("Please enter at least two characters to search.")},
            status=400,
        )
    now = timezone.localtime()
    title = _("Ledger")
    handle = write_ledger(ledger_rows(user, qs, today=now.date()), title=title)
    filename = f"{title}-{now:%Y%m%d-%H%M}.xlsx"
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX)
    response["Cache-Control"] = "no-store"
    return response


def _offices(request: HttpRequest) -> list[Any]:
    offices = importer.import_offices(_user(request))
    if not offices:
        raise PermissionDenied(_("Only those who may register matters may import a ledger."))
    return offices


def _with_office(request: HttpRequest, offices: list[Any]) -> Any:
    """The posted data, with the office filled in when the user registers at one only."""
    if request.method != "POST":
        return None
    data = request.POST.copy()
    if len(offices) == 1 and not data.get("office"):
        data["office"] = str(offices[0].pk)
    return data


@require_http_methods(["GET", "POST"])
@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    offices = _offices(request)
    form = UploadForm(_with_office(request, offices), request.FILES or None, offices=offices)
    context: dict[str, Any] = {"upload": form, "problem": ""}
    if request.method == "GET":
        return render(request, "reports/ledger/import.html", context)
    if not form.is_valid():
        context["problem"] = _("Please choose a file.")
        return render(request, "reports/ledger/import.html", context, status=400)
    upload = form.cleaned_data["file"]
    try:
        if upload.size > importer.MAX_BYTES:
            raise importer.LedgerFileError(
                _("文件超过%(n)dMB的大小限制。") % {"n": importer.MAX_BYTES // (1024 * 1024)}
            )
        sha = importer.store_upload(upload.read(), upload.name or "")
    except importer.LedgerFileError as exc:
        context["problem"] = str(exc)
        return render(request, "reports/ledger/import.html", context, status=400)
    # Only who uploaded a file may go on with it: the session lists the files of this login.
    kept = [s for s in request.session.get(SESSION_KEY, []) if s != sha]
    request.session[SESSION_KEY] = [*kept, sha][-KEEP_IN_SESSION:]
    url = reverse("reports:ledger-import-map", args=[sha])
    return redirect(f"{url}?office={form.cleaned_data['office'].pk}")


@require_http_methods(["GET", "POST"])
@login_required
def import_map(request: HttpRequest, sha: str) -> HttpResponse:
    offices = _offices(request)
    if sha not in request.session.get(SESSION_KEY, []):
        raise Http404
    try:
        data = importer.load_upload(sha)
        table = importer.read_table(data)
    except importer.LedgerFileError:
        raise Http404 from None
    proposed = columns.propose_mapping(table.headers)
    initial = {"office": request.GET.get("office") or offices[0].pk}
    form = MappingForm(
        _with_office(request, offices),
        table=table,
        offices=offices,
        proposed=proposed,
        initial=initial,
    )
    context: dict[str, Any] = {
        "form": form,
        "table": table,
        "sha": sha,
        "preview": [[_masked(c) for c in cells] for _n, cells in table.rows[:PREVIEW_ROWS]],
        "outcome": None,
        "problems": [],
        "problem": "",
    }
    template = "reports/ledger/map.html"
    if request.method == "GET":
        return render(request, template, context)
    if not form.is_valid():
        context["problem"] = _("Please correct the marked fields.")
        return render(request, template, context, status=400)
    mapping, problems = importer.parse_mapping(form.raw_mapping(), form.width)
    if problems:
        context["problems"] = problems
        return render(request, template, context, status=400)
    dry_run = request.POST.get("action") != "import"
    try:
        outcome = importer.run_import(
            data=data,
            mapping=mapping,
            actor=_user(request),
            office=form.cleaned_data["office"],
            dry_run=dry_run,
        )
    except DomainError as exc:
        context["problem"] = exc.message
        return render(request, template, context, status=exc.status)
    if outcome.committed:
        importer.discard_upload(sha)
        request.session[SESSION_KEY] = [s for s in request.session[SESSION_KEY] if s != sha]
        messages.success(
            request,
            _("Imported %(n)d matters from the ledger (%(first)s to %(last)s).")
            % {
                "n": len(outcome.imported),
                "first": outcome.imported[0] if outcome.imported else "",
                "last": outcome.imported[-1] if outcome.imported else "",
            },
        )
        return redirect(f"{reverse('desk:list')}?sort=-received")
    context["outcome"] = outcome
    return render(request, template, context, status=200 if outcome.clean else 400)
