"""Staff pages: the office's routing table, and the clusters of matters about one problem."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinfang.matters.errors import DomainError
from xinfang.org.models import Unit
from xinfang.routing.forms import RuleForm
from xinfang.routing.models import RoutingRule
from xinfang.routing.selectors import cluster_for, clusters_for
from xinfang.routing.services import rules as rule_services

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]  # login_required ran


def _office(request: HttpRequest) -> Unit:
    """The office whose table is shown: ?office= among those the user may edit."""
    offices = rule_services.rule_offices(_user(request))
    if not offices:
        raise Http404(_("您没有可维护的分办规则表。"))
    wanted = request.GET.get("office") or request.POST.get("office")
    if wanted:
        for office in offices:
            if str(office.pk) == wanted:
                return office
        raise Http404(_("您没有可维护的分办规则表。"))
    return offices[0]


def _status(exc: DomainError) -> int:
    return exc.status


@require_http_methods(["GET", "POST"])
@login_required
def rules(request: HttpRequest) -> HttpResponse:
    """The routing table: every active row, and a form to add one."""
    office = _office(request)
    form = RuleForm(request.POST or None, office=office)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            rule_services.rule_create(
                actor=_user(request),
                office=office,
                category=form.cleaned_data["category"],
                matter_type=form.cleaned_data["matter_type"],
                region=form.cleaned_data["region"],
                unit=form.cleaned_data["unit"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            status = _status(exc)
        else:
            messages.success(request, _("规则已保存。"))
            return redirect(f"{request.path}?office={office.pk}")
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "routing/rules.html",
        {
            "office": office,
            "offices": rule_services.rule_offices(_user(request)),
            "rules": RoutingRule.objects.filter(office=office, is_active=True).select_related(
                "category", "region", "unit"
            ),
            "form": form,
        },
        status=status,
    )


def _rule(request: HttpRequest, pk: int) -> RoutingRule:
    rule = RoutingRule.objects.filter(pk=pk).select_related("office", "office__region").first()
    if rule is None or not rule_services.can_edit_rules(_user(request), rule.office):
        raise Http404(_("没有找到该分办规则。"))
    return rule


@require_http_methods(["GET", "POST"])
@login_required
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule = _rule(request, pk)
    initial = {
        "category": rule.category,
        "matter_type": rule.matter_type,
        "region": rule.region,
        "unit": rule.unit,
        "note": rule.note,
        "version": rule.version,
    }
    form = RuleForm(request.POST or None, initial=initial, office=rule.office, editing=True)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            rule_services.rule_update(
                actor=_user(request),
                rule=rule,
                category=form.cleaned_data["category"],
                matter_type=form.cleaned_data["matter_type"],
                region=form.cleaned_data["region"],
                unit=form.cleaned_data["unit"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            status = _status(exc)
        else:
            messages.success(request, _("规则已保存。"))
            return redirect(f"{reverse('routing:rules')}?office={rule.office_id}")
    elif request.method == "POST":
        status = 400
    return render(request, "routing/rule_edit.html", {"rule": rule, "form": form}, status=status)


@require_POST
@login_required
def rule_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    rule = _rule(request, pk)
    version = request.POST.get("version", "")
    if not version.isdigit():
        # Switching off a row that changed since the page was read is refused, as an edit is.
        messages.error(request, _("缺少规则的版本号，请刷新页面后重试。"))
        return redirect(f"{reverse('routing:rules')}?office={rule.office_id}")
    try:
        rule_services.rule_deactivate(
            actor=_user(request), rule=rule, expected_version=int(version)
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("规则已停用。"))
    return redirect(f"{reverse('routing:rules')}?office={rule.office_id}")


@require_POST
@login_required
def rules_defaults(request: HttpRequest) -> HttpResponse:
    office = _office(request)
    try:
        created = rule_services.rules_fill_defaults(actor=_user(request), office=office)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已添加%(n)d条默认规则。") % {"n": len(created)})
    return redirect(f"{reverse('routing:rules')}?office={office.pk}")


@require_GET
@login_required
def clusters(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "routing/clusters.html",
        {"rows": clusters_for(_user(request)), "today": timezone.localdate()},
    )


@require_GET
@login_required
def cluster_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = cluster_for(_user(request), pk)
    if row is None:
        raise Http404(_("没有找到该事项群，或您无权查看。"))
    context: dict[str, Any] = {"row": row, "today": timezone.localdate()}
    return render(request, "routing/cluster_detail.html", context)
