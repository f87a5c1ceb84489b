"""Issuing and downloading documents, editing templates, monthly bulletins.

Thin views: a form shapes the input, one service acts, the page shows the result. Every form
posts and redirects (303) on success, so it all works without JavaScript.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinfang.matters.errors import DomainError, NotFound
from xinfang.matters.models import Matter
from xinfang.matters.selectors import get_matter_for_user
from xinfang.reports.documents import services
from xinfang.reports.documents.facts import sample_facts
from xinfang.reports.documents.forms import BulletinForm, IssueForm, TemplateForm
from xinfang.reports.documents.kinds import COMMON, SPECS, allowed_placeholders, fill
from xinfang.reports.models import Document, DocumentKind, DocumentTemplate

if TYPE_CHECKING:
    from django.contrib.auth.models import User

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
log = logging.getLogger(__name__)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]  # login_required ran


def _see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _matter_or_404(user: User, pk: int) -> Matter:
    try:
        return get_matter_for_user(user, pk=pk)
    except NotFound:
        raise Http404(_("没有找到该信访事项，或您无权查看。")) from None


@require_POST
@login_required
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue a document from the matter page's Documents panel."""
    user = _user(request)
    matter = _matter_or_404(user, pk)
    back = reverse("desk:matter", kwargs={"pk": pk}) + "#documents"
    form = IssueForm(request.POST)
    if not form.is_valid():
        return _refused(request, matter, back, _("Please choose a document to issue."), 400)
    try:
        document = services.document_issue(
            actor=user,
            matter=matter,
            kind=form.cleaned_data["kind"],
            expected_version=form.cleaned_data["expected_version"],
        )
    except DomainError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from None
        return _refused(request, matter, back, exc.message, exc.status)
    messages.success(
        request,
        _("Issued %(title)s %(number)s.") % {"title": document.title, "number": document.number},
    )
    return _see_other(back)


def _refused(
    request: HttpRequest, matter: Matter, back: str, message: str, status: int
) -> HttpResponse:
    return render(
        request,
        "reports/documents/refused.html",
        {"matter": matter, "back": back, "problem": message},
        status=status,
    )


@require_GET
@login_required
def download(request: HttpRequest, pk: int) -> HttpResponse:
    """The stored bytes, exactly as issued (checked against their SHA-256), never re-rendered."""
    try:
        document = services.document_for_user(_user(request), pk)
    except NotFound:
        raise Http404 from None
    return docx_response(document)


def docx_response(document: Document) -> HttpResponse:
    """The stored bytes as a download, after their checksum check; a file that fails it is
    not served (and is logged)."""
    try:
        content = services.document_bytes(document)
    except (services.Tampered, OSError):
        log.error("document %s: stored file missing or not matching its checksum", document.pk)
        return HttpResponse(
            _("The stored file of this document does not match its checksum; it is not served."),
            status=500,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(content, content_type=DOCX)
    name = document.filename
    ascii_name = name.encode("ascii", "ignore").decode() or "document.docx"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-SHA256"] = document.sha256
    return response


# --- bulletins --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def bulletins(request: HttpRequest) -> HttpResponse:
    """Issue the monthly bulletin (通报) of a unit and list those issued."""
    user = _user(request)
    units = services.template_units(user)
    if not units:
        raise PermissionDenied(_("Your role may not issue bulletins."))
    status, problem = 200, ""
    if request.method == "POST":
        form = BulletinForm(request.POST, units=units)
        if form.is_valid():
            year, month = form.cleaned_data["month"]
            unit = next(u for u in units if u.pk == form.cleaned_data["unit"])
            try:
                document = services.bulletin_issue(actor=user, unit=unit, year=year, month=month)
            except DomainError as exc:
                status, problem = exc.status, exc.message
                if exc.field and exc.field in form.fields:
                    form.add_error(exc.field, exc.message)
            else:
                messages.success(
                    request,
                    _("Issued %(title)s %(number)s.")
                    % {"title": document.title, "number": document.number},
                )
                return _see_other(reverse("reports:bulletins"))
        else:
            status, problem = 400, _("Please correct the marked fields.")
    else:
        today = timezone.localdate()
        last_month = today.replace(day=1) - timedelta(days=1)
        form = BulletinForm(initial={"month": f"{last_month:%Y-%m}"}, units=units)
    context = {
        "form": form,
        "problem": problem,
        "bulletins": services.bulletins_for(user),
    }
    return render(request, "reports/documents/bulletins.html", context, status=status)


# --- templates ---------------------------------------------------------------------------------


def _kinds() -> list[tuple[str, str]]:
    return [(k, str(DocumentKind(k).label)) for k in SPECS]


_TEXT_FIELDS = ("issuer_mark", "number_prefix", "title", "body", "signature", "seal_text", "cc")


def _fields_of(current: services.TemplateText) -> dict[str, str]:
    return {name: str(getattr(current, name)) for name in _TEXT_FIELDS}


def _preview(text: dict[str, Any], kind: str, unit_name: str) -> str:
    """The letter's text with made-up facts (the file itself is made only when issuing)."""
    values = sample_facts(kind, unit_name)

    def get(name: str) -> str:
        return str(text.get(name) or "")

    parts = [
        fill(get("issuer_mark"), values),
        f"{get('number_prefix')}〔{timezone.localdate().year}〕1号",
        "",
        fill(get("title"), values),
        "",
        "张三：" if kind != DocumentKind.BULLETIN else "各有关单位：",
        *[line.strip() for line in fill(get("body"), values).splitlines() if line.strip()],
        "",
        get("seal_text"),
        fill(get("signature"), values),
        values["成文日期"],
    ]
    cc = fill(get("cc"), values)
    if cc:
        parts += ["", f"抄送：{cc.rstrip('。')}。"]
    return "\n".join(parts)


@require_http_methods(["GET", "POST"])
@login_required
def templates(request: HttpRequest) -> HttpResponse:
    """View and edit the office's templates, one kind at a time, with a preview; each save is a
    new version (the one shown is posted back: a stale edit is refused)."""
    user = _user(request)
    units = services.template_units(user)
    if not units:
        raise PermissionDenied(_("Your role may not edit document templates."))
    source = request.POST if request.method == "POST" else request.GET
    unit = _pick_unit(units, source.get("unit"))
    wanted = source.get("kind") or ""
    kind = wanted if wanted in SPECS else str(DocumentKind.ACCEPTANCE)
    if request.method == "POST" and (str(unit.pk) != source.get("unit") or kind != wanted):
        # A page shows one unit's template: an edit posted for another is never redirected
        # to the first unit the person may edit.
        raise PermissionDenied(_("Your role may not edit this unit's document templates."))
    current = services.template_in_use(unit, kind)
    status, problem, preview = 200, "", ""
    if request.method == "POST":
        form = TemplateForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            if "preview" in request.POST:
                preview = _preview(data, kind, unit.name)
            else:
                try:
                    saved = services.template_save(
                        actor=user,
                        unit=unit,
                        kind=kind,
                        expected_version=data["expected_version"],
                        issuer_mark=data["issuer_mark"],
                        number_prefix=data["number_prefix"],
                        title=data["title"],
                        body=data["body"],
                        signature=data["signature"],
                        seal_text=data["seal_text"],
                        cc=data["cc"],
                    )
                except DomainError as exc:
                    status, problem = exc.status, exc.message
                    if exc.field and exc.field in form.fields:
                        form.add_error(exc.field, exc.message)
                    preview = _preview(data, kind, unit.name)
                else:
                    messages.success(request, _("Saved as version %(n)d.") % {"n": saved.version})
                    query = urlencode({"unit": unit.pk, "kind": kind})
                    return _see_other(reverse("reports:templates") + "?" + query)
        else:
            status, problem = 400, _("Please correct the marked fields.")
    else:
        shown = _fields_of(current)
        form = TemplateForm(
            initial={"unit": unit.pk, "kind": kind, "expected_version": current.version, **shown}
        )
        preview = _preview(shown, kind, unit.name)
    spec = SPECS[kind]
    placeholders = [
        (name, COMMON.get(name) or spec.placeholders.get(name))
        for name in sorted(allowed_placeholders(kind), key=_placeholder_order(spec))
    ]
    context: dict[str, Any] = {
        "units": units,
        "unit": unit,
        "kinds": _kinds(),
        "kind": kind,
        "kind_label": DocumentKind(kind).label,
        "spec": spec,
        "current": current,
        "form": form,
        "problem": problem,
        "preview": preview,
        "placeholders": placeholders,
        "versions": list(
            DocumentTemplate.objects.filter(unit=unit, kind=kind)
            .select_related("created_by")
            .order_by("-version")
        ),
    }
    return render(request, "reports/documents/templates.html", context, status=status)


def _placeholder_order(spec: Any) -> Any:
    order = [*COMMON, *spec.placeholders]
    return lambda name: order.index(name) if name in order else len(order)


def _pick_unit(units: list[Any], raw: str | None) -> Any:
    try:
        wanted = int(raw or "")
    except ValueError:
        return units[0]
    for unit in units:
        if unit.pk == wanted:
            return unit
    return units[0]
