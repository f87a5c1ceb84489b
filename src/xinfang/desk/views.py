"""The staff workbench: home queues, matter lists and search, registration, the matter page and
its actions.

Views are thin: a form shapes the input, one service acts, the page shows the result. A refused
action (DomainError) is shown on the page with its status (400/403/404/409). With htmx an action
answers with the matter's body alone; without JavaScript it redirects back (POST-redirect-GET)
with a message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinfang.deadlines.labels import clock_article, clock_label, clock_warnings
from xinfang.deadlines.services import matter_clocks
from xinfang.desk import actions as desk_actions
from xinfang.desk import panels, search, selectors
from xinfang.desk.forms import ListFilterForm, PetitionerFormSet, RegistrationForm
from xinfang.desk.paging import capped_page
from xinfang.desk.selectors import LIST_COLUMNS, QUEUES, decorate, home_queues, matter_list
from xinfang.matters import services
from xinfang.matters.errors import Conflict, DomainError, InvalidInput, NotFound
from xinfang.matters.models import Attachment, Category, Evaluation, EventKind, Matter
from xinfang.matters.selectors import (
    can_see_identity,
    get_matter_for_user,
    is_visible,
    visible_matters,
)
from xinfang.matters.services.registration import MAX_REPRESENTATIVES
from xinfang.org.access import memberships_of
from xinfang.org.models import Region

if TYPE_CHECKING:
    from django.contrib.auth.models import User

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]  # login_required ran


def _htmx(request: HttpRequest) -> bool:
    """An htmx request that wants a fragment. A history restore (the page was not in htmx's
    history cache) wants the whole page."""
    htmx = getattr(request, "htmx", None)  # django_htmx's HtmxMiddleware
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


def _vary_on_htmx(response: HttpResponse) -> HttpResponse:
    """The same address answers a fragment or the whole page: caches must tell them apart."""
    patch_vary_headers(response, ("HX-Request",))
    return response


def _read_only(user: User) -> bool:
    """Only read-only roles (supervisor, auditor): they see, never act."""
    ms = memberships_of(user)
    return bool(ms) and all(m.is_read_only for m in ms)


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What needs me now: each queue with its count and its first matters."""
    user = _user(request)
    return render(
        request,
        "desk/home.html",
        {
            "memberships": memberships_of(user),
            "queues": home_queues(user),
            "can_register": any(m.can_register for m in memberships_of(user)),
        },
    )


@require_GET
@login_required
def matter_list_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ListFilterForm(request.GET or None, user=user)
    filters = form.filters()
    status, problem = 200, ""
    ignored = form.ignored()
    if ignored:
        problem = _("Not applied, please correct: %(fields)s.") % {"fields": "、".join(ignored)}
    try:
        qs = matter_list(user, filters)
    except search.QueryTooShort:
        status, problem = 400, _("Please enter at least two characters to search.")
        qs = visible_matters(user).none()
    page = capped_page(
        qs.values(*LIST_COLUMNS),
        request.GET.get("page"),
        per_page=PAGE_SIZE,
        cap=selectors.COUNT_CAP,
    )
    rows = decorate(list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    queue = next((q for q in QUEUES if q.key == filters.queue), None)
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "problem": problem,
        "querystring": query.urlencode(),
        "queue": queue,
    }
    template = "desk/matter_list.html"
    if _htmx(request):
        template += "#results"
    return _vary_on_htmx(render(request, template, context, status=status))


# --- registration ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def register(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not any(m.can_register for m in memberships_of(user)):
        raise PermissionDenied(_("Your role may not register matters."))
    form = RegistrationForm(request.POST or None, request.FILES or None, user=user)
    people = PetitionerFormSet(request.POST or None, prefix="p")
    context: dict[str, Any] = {"form": form, "people": people, "repeats": [], "problem": ""}
    if request.method == "GET":
        return render(request, "desk/register.html", context)
    if "suggest" in request.POST:
        return _register_with_suggestion(request, user)
    if not (form.is_valid() and people.is_valid()):
        context["problem"] = _("Please correct the marked fields.")
        return render(request, "desk/register.html", context, status=400)
    data = form.cleaned_data
    petitioners = [p for p in (pf.as_input() for pf in people.forms) if p is not None]
    decision = request.POST.get("repeat_decision", "")
    if not decision:
        repeats = panels.repeats(
            user=user, petitioners=petitioners, title=data["title"], content=data["content"]
        )
        if repeats:
            context["repeats"] = repeats
            context["files_dropped"] = bool(data["attachments"])
            return render(request, "desk/register.html", context)
    link_to: int | None = None
    if decision.startswith("link:"):
        link_to = _int(decision[5:])
        if link_to is None:
            context["problem"] = _("Please choose the matter to link to again.")
            return render(request, "desk/register.html", context, status=400)
    original = None
    try:
        # Registering and linking are one transaction: a refused link saves nothing.
        with transaction.atomic():
            matter = services.matter_register(
                actor=user,
                office=data["office"],
                channel=data["channel"],
                received_at=data["received_at"],
                title=data["title"],
                content=data["content"],
                type=data["type"],
                category=data["category"],
                region=data["region"],
                is_collective=data["is_collective"],
                head_count=data["head_count"],
                source_reference=data["source_reference"],
                accused_units=list(data["accused_units"]),
                petitioners=petitioners,
                attachments=[
                    services.Upload(name=f.name, stream=f, content_type=f.content_type or "")
                    for f in data["attachments"]
                ],
            )
            if link_to is not None:
                # The service checks that the user may see it (same message if missing).
                original = Matter.objects.filter(pk=link_to).first()
                if original is None:
                    raise InvalidInput(
                        _("没有找到要关联的原事项，或您无权查看。"), field="original"
                    )
                services.matter_link_repeat(
                    matter=matter, actor=user, original=original, expected_version=matter.version
                )
    except DomainError as exc:
        context["problem"] = exc.message
        if exc.field and exc.field in form.fields:
            form.add_error(exc.field, exc.message)
        if link_to is not None:
            # Offer the choice again (link to another, or register as a new matter).
            context["repeats"] = panels.repeats(
                user=user, petitioners=petitioners, title=data["title"], content=data["content"]
            )
            context["files_dropped"] = bool(data["attachments"])
        return render(request, "desk/register.html", context, status=exc.status)
    messages.success(request, _("Registered as %(number)s.") % {"number": matter.number})
    if original is not None:
        messages.success(
            request, _("Linked as a repeat of %(number)s (art. 19).") % {"number": original.number}
        )
    return redirect("desk:matter", pk=matter.pk)


def _register_with_suggestion(request: HttpRequest, user: User) -> HttpResponse:
    """The form again as typed so far, with the suggested type and category filled in where
    the registrar has not chosen yet, and the suggestion beside it. Nothing is saved."""
    post = request.POST
    probe = RegistrationForm(user=user)
    initial: dict[str, Any] = {k: post.get(k, "") for k in probe.fields if k != "attachments"}
    initial["accused_units"] = post.getlist("accused_units")
    initial["is_collective"] = bool(post.get("is_collective"))
    offices = {m.unit_id: m.unit for m in memberships_of(user) if m.can_register}
    office = offices.get(_int(post.get("office")) or 0) or next(iter(offices.values()))
    region = Region.objects.filter(pk=_int(post.get("region")) or 0).first()
    suggestion = panels.suggestion_for_text(
        title=post.get("title", ""), content=post.get("content", ""), office=office, region=region
    )
    if suggestion is not None:
        if not initial["type"] and suggestion.types:
            initial["type"] = suggestion.types[0].value
        if not initial["category"] and suggestion.categories:
            category = Category.objects.filter(name=suggestion.categories[0].value).first()
            initial["category"] = category.pk if category else ""
    people = [
        {k: post.get(f"p-{i}-{k}", "") for k in ("name", "phone", "id_number", "address")}
        for i in range(MAX_REPRESENTATIVES)
    ]
    context = {
        "form": RegistrationForm(initial=initial, user=user),
        "people": PetitionerFormSet(initial=[p for p in people if any(p.values())], prefix="p"),
        "repeats": [],
        "problem": "",
        "suggestion": suggestion,
        "files_dropped": bool(request.FILES),
    }
    return render(request, "desk/register.html", context)


def _int(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


# --- the matter page ---------------------------------------------------------------------------


def _matter_or_404(user: User, pk: int) -> Matter:
    try:
        return get_matter_for_user(user, pk=pk)
    except NotFound:
        raise Http404(_("没有找到该信访事项，或您无权查看。")) from None


def _matter_context(
    request: HttpRequest,
    matter: Matter,
    *,
    bound: desk_actions.Action | None = None,
    bound_form: Any = None,
    problem: str = "",
) -> dict[str, Any]:
    user = _user(request)
    today = timezone.localdate()
    events = list(matter.events.select_related("actor", "actor_unit").order_by("seq"))
    identity = can_see_identity(user, matter)
    evaluation = Evaluation.objects.filter(matter=matter).first()
    facts = desk_actions.Facts(user=user, matter=matter, events=events, rated=bool(evaluation))
    available = desk_actions.offered(facts)
    suggestion = panels.suggestion_for(matter, offered=[a.key for a in available])
    offered = []
    for action in available:
        if bound is not None and action.key == bound.key:
            form = bound_form
        else:
            form = action.form(matter=matter, user=user)
            panels.preselect(form, action.key, suggestion, matter)
        offered.append(
            {
                "action": action,
                "form": form,
                "open": action.key == getattr(bound, "key", None),
                "primary": action.is_primary(facts),
            }
        )
    clocks = [
        {
            "label": clock_label(c),
            "article": clock_article(c),
            "started_on": c.started_on,
            "due_on": c.due_on,
            "days_left": c.days_left(today),
            "late_days": -(c.days_left(today) or 0),
            "overdue": c.overdue(today),
            "expired": c.expired(today),
            "running": c.running,
            "stopped_on": c.stopped_on,
            "late": c.late,
            "extra_days": c.extra_days,
            "is_window": c.rule.is_window,
            "warnings": clock_warnings(c),
        }
        for c in matter_clocks(matter, events)
    ]
    repeats = list(visible_matters(user).filter(repeat_of=matter).only("id", "number"))
    # The original is named only to whoever may see it (an accusation may be hidden from them).
    repeat_of = matter.repeat_of if matter.repeat_of_id else None
    if repeat_of is not None and not is_visible(user, repeat_of):
        repeat_of = None
    return {
        "matter": matter,
        "events": events,
        "clocks": clocks,
        "petitioners": services.petitioners_for(user, matter),
        "attachments": list(matter.attachments.order_by("uploaded_at", "pk")),
        # A 检举控告 letter or its file name may name the accuser (arts. 30, 46): whoever may not
        # see the petitioners sees neither the attachments' names nor the files.
        "identity": identity,
        "timeline": _timeline(user, events, identity),
        "co_units": list(matter.co_units.order_by("name")),
        "accused_units": list(matter.accused_units.order_by("name")),
        "repeats": repeats,
        "repeat_of": repeat_of,
        "evaluation": evaluation,
        "offered": [o for o in offered if o["primary"]],
        "more": [o for o in offered if not o["primary"]],
        "problem": problem,
        "suggestion": suggestion,
        "today": today,
    }


_LINK_KEYS = ("original", "repeat")


def _timeline(user: User, events: list[Any], identity: bool) -> list[dict[str, Any]]:
    """The events with the text this person may read: an attachment's note or file name is
    withheld from whoever may not see the petitioners' identity (it may name an accuser), and
    a link to a matter they may not view does not name it."""
    linked = {
        e.data[k] for e in events for k in _LINK_KEYS if isinstance(e.data, dict) and k in e.data
    }
    seen = set(visible_matters(user).filter(pk__in=linked).values_list("pk", flat=True))
    entries = []
    for e in events:
        text = e.text
        if text and not identity and e.kind == EventKind.ATTACHED:
            text = _("(file name and note withheld)")
        elif isinstance(e.data, dict) and any(
            k in e.data and e.data[k] not in seen for k in _LINK_KEYS
        ):
            text = _("(concerns a matter you may not view)")
        entries.append({"event": e, "text": text})
    return entries


@require_GET
@login_required
def matter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    matter = _matter_or_404(_user(request), pk)
    return render(request, "desk/matter_detail.html", _matter_context(request, matter))


def _render_matter(
    request: HttpRequest, matter: Matter, status: int = 200, **kwargs: Any
) -> HttpResponse:
    template = "desk/matter_detail.html"
    if _htmx(request):
        template += "#matter-body"
    response = render(request, template, _matter_context(request, matter, **kwargs), status=status)
    return _vary_on_htmx(response)


@require_POST
@login_required
def matter_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = _user(request)
    matter = _matter_or_404(user, pk)
    chosen = desk_actions.BY_KEY.get(action)
    if chosen is None:
        raise Http404(_("No such action."))
    if _read_only(user):
        raise PermissionDenied(_("Your role may only view matters."))
    form = chosen.form(request.POST, request.FILES, matter=matter, user=user)
    if not form.is_valid():
        return _render_matter(
            request,
            matter,
            400,
            bound=chosen,
            bound_form=form,
            problem=_("Please correct the marked fields."),
        )
    data = form.cleaned_data
    version = data.pop("expected_version")
    try:
        if version != matter.version:
            raise Conflict(_("该事项已被他人更新，请刷新页面查看最新情况后再操作。"))
        chosen.run(matter, user, data, version)
    except DomainError as exc:
        if exc.field and exc.field in form.fields:
            form.add_error(exc.field, exc.message)
        if exc.status == 404:
            raise Http404(exc.message) from None
        fresh = _matter_or_404(user, pk)
        if isinstance(exc, Conflict):
            # The form was filled in on an old screen: show the matter as it is now.
            return _render_matter(request, fresh, exc.status, problem=exc.message)
        return _render_matter(
            request, fresh, exc.status, bound=chosen, bound_form=form, problem=exc.message
        )
    messages.success(request, str(chosen.done))
    if _htmx(request):
        return _render_matter(request, _matter_or_404(user, pk))
    response = HttpResponseRedirect(reverse("desk:matter", kwargs={"pk": pk}))
    response.status_code = 303  # See Other: the browser GETs the page
    return _vary_on_htmx(response)


@require_GET
@login_required
def attachment_download(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    user = _user(request)
    matter = _matter_or_404(user, pk)
    if not can_see_identity(user, matter):
        raise Http404  # the file may name the accuser: as if it were not there
    try:
        attachment = matter.attachments.get(pk=attachment_id)
    except Attachment.DoesNotExist:
        raise Http404 from None
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type or "application/octet-stream",
    )
