"""The public pages. Thin: forms check the input, services act, portal.present words it.

Which matter a visitor may see is held in their session once they have proven it (by
submitting it, or by its number and query code); no URL carries a matter's id or code.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from xinfang.matters.errors import DomainError
from xinfang.matters.models import Matter, MatterType
from xinfang.portal import limits
from xinfang.portal.forms import (
    TYPE_EXPLANATIONS,
    ChallengeForm,
    LookupForm,
    RateForm,
    ReviewForm,
    SubmitForm,
)
from xinfang.portal.present import rules_summary, status_page
from xinfang.portal.services import (
    Submission,
    find_matter,
    normalize_number,
    portal_office,
    portal_rate,
    portal_request_review,
    portal_submit,
    receipt_context,
)
from xinfang.portal.uploads import check_upload

_SESSION_KEY = "portal_matter"
# The proof lasts a while after the last page seen: long enough to read and answer, short
# enough that a shared phone does not keep it open for the next person.
_SESSION_SECONDS = 30 * 60


def _prove(request: HttpRequest, matter: Matter) -> None:
    request.session.cycle_key()  # a fresh session id for the fresh right
    request.session[_SESSION_KEY] = {"id": matter.pk, "until": time.time() + _SESSION_SECONDS}


def _proven(request: HttpRequest) -> Matter | None:
    held = request.session.get(_SESSION_KEY)
    if not isinstance(held, dict) or float(held.get("until", 0)) < time.time():
        return None
    if not isinstance(held.get("id"), int):
        return None
    matter = (
        Matter.objects.select_related("office", "lead_unit", "review_unit", "re_review_unit")
        .filter(pk=int(held["id"]))
        .first()
    )
    if matter is not None:
        held["until"] = time.time() + _SESSION_SECONDS
        request.session[_SESSION_KEY] = held
    return matter


def _refusal(request: HttpRequest, until: Any) -> HttpResponse:
    when = timezone.localtime(until)
    response = render(
        request,
        "portal/refused.html",
        {"until": when},
        status=429,
    )
    response["Retry-After"] = str(max(1, int((until - timezone.now()).total_seconds())))
    return response


def _challenge_context(needed: bool) -> dict[str, Any]:
    if not needed:
        return {"challenge": None}
    challenge = limits.new_challenge()
    return {
        "challenge": challenge,
        "challenge_form": ChallengeForm(initial={"challenge_token": challenge.token}),
    }


def _challenge_passed(request: HttpRequest) -> bool:
    form = ChallengeForm(request.POST)
    form.is_valid()
    data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    return limits.check_challenge(
        str(data.get("challenge_token") or ""), str(data.get("challenge_answer") or "")
    )


@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"rules": rules_summary(None)})


def _submit_context(form: SubmitForm, needs_challenge: bool) -> dict[str, Any]:
    try:
        office = portal_office()
        office_problem = ""
    except DomainError as error:
        office, office_problem = None, error.message
    return {
        "form": form,
        "office": office,
        "office_problem": office_problem,
        "rules": rules_summary(office),
        "explanations": TYPE_EXPLANATIONS,
        "max_files": settings.XINFANG_PORTAL_MAX_FILES,
        "max_mb": settings.XINFANG_PORTAL_MAX_FILE_BYTES // (1024 * 1024),
        **_challenge_context(needs_challenge),
    }


@never_cache
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    key = limits.client_key("submit", request)
    soft, hard = settings.XINFANG_PORTAL_SUBMIT_SOFT, settings.XINFANG_PORTAL_SUBMIT_HARD
    if request.method != "POST":
        verdict = limits.judge(key, soft, hard)
        if verdict.refused:
            return _refusal(request, verdict.refused_until)
        return render(
            request, "portal/submit.html", _submit_context(SubmitForm(), verdict.needs_challenge)
        )

    # Counted first, judged on the count this attempt got (see limits.attempt).
    verdict = limits.attempt(key, soft, hard)
    if verdict.refused:
        return _refusal(request, verdict.refused_until)
    # A body far beyond the allowed files is refused without opening the files. (The CSRF check
    # has read the body already: the reverse proxy should cap request sizes, see README.)
    ceiling = settings.XINFANG_PORTAL_MAX_FILES * settings.XINFANG_PORTAL_MAX_FILE_BYTES
    form = SubmitForm(request.POST, request.FILES)
    status = 400
    if int(request.META.get("CONTENT_LENGTH") or 0) > ceiling + 1024 * 1024:
        form.is_valid()
        form.add_error(
            "attachments",
            _("The files are too large together: at most %(n)d files of %(mb)d MB each.")
            % {
                "n": settings.XINFANG_PORTAL_MAX_FILES,
                "mb": settings.XINFANG_PORTAL_MAX_FILE_BYTES // (1024 * 1024),
            },
        )
    elif verdict.needs_challenge and not _challenge_passed(request):
        form.is_valid()
        form.add_error(None, _("Please answer the question at the end of the form correctly."))
    elif form.is_valid():
        data = form.cleaned_data
        try:
            files = [check_upload(f.name, f) for f in data["attachments"]]
            matter = portal_submit(
                submission=Submission(
                    type=data["type"],
                    title=data["title"],
                    content=data["content"],
                    name=data["name"],
                    phone=data["phone"],
                    email=data["email"],
                    address=data["address"],
                    id_number=data["id_number"],
                    consent=data["consent"],
                ),
                files=files,
            )
        except DomainError as error:
            status = error.status
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            _prove(request, matter)
            return redirect("portal:receipt")
    again = limits.judge(key, soft, hard)
    context = _submit_context(form, again.needs_challenge or verdict.needs_challenge)
    context["files_lost"] = bool(request.FILES)
    return render(request, "portal/submit.html", context, status=status)


@never_cache
@require_http_methods(["GET"])
def receipt(request: HttpRequest) -> HttpResponse:
    matter = _proven(request)
    if matter is None:
        return redirect("portal:lookup")
    return render(request, "portal/receipt.html", receipt_context(matter))


@never_cache
@require_http_methods(["GET"])
def receipt_download(request: HttpRequest) -> HttpResponse:
    matter = _proven(request)
    if matter is None:
        return redirect("portal:lookup")
    text = render_to_string("portal/emails/receipt.txt", receipt_context(matter), request)
    response = HttpResponse(text.replace("\n", "\r\n"), content_type="text/plain; charset=utf-8")
    filename = f"receipt-{matter.year}-{matter.seq}.txt"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _lookup_verdict(request: HttpRequest, number: str) -> limits.Verdict:
    return limits.judge(
        limits.client_key("lookup", request),
        settings.XINFANG_PORTAL_LOOKUP_SOFT,
        settings.XINFANG_PORTAL_LOOKUP_HARD,
        also_soft=(limits.number_key(number), settings.XINFANG_PORTAL_NUMBER_SOFT)
        if number
        else None,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        verdict = _lookup_verdict(request, "")
        if verdict.refused:
            return _refusal(request, verdict.refused_until)
        context = {"form": LookupForm(), **_challenge_context(verdict.needs_challenge)}
        return render(request, "portal/lookup.html", context)

    form = LookupForm(request.POST)
    number = normalize_number(request.POST.get("number", ""))
    # Counted first (as a failure until it proves otherwise), judged on the count it got: the
    # limits hold under concurrent guesses too (see limits.attempt).
    counted = [limits.client_key("lookup", request)]
    if number:
        counted.append(limits.number_key(number))
    verdict = limits.attempt(
        counted[0],
        settings.XINFANG_PORTAL_LOOKUP_SOFT,
        settings.XINFANG_PORTAL_LOOKUP_HARD,
        also_soft=(counted[1], settings.XINFANG_PORTAL_NUMBER_SOFT) if number else None,
    )
    if verdict.refused:
        return _refusal(request, verdict.refused_until)
    status = 400
    if not form.is_valid():
        limits.unhit(*counted)  # a form not filled in is no guess
    elif verdict.needs_challenge and not _challenge_passed(request):
        form.add_error(None, _("Please answer the question below correctly, then try again."))
    else:
        matter = find_matter(form.cleaned_data["number"], form.cleaned_data["code"])
        if matter is not None:
            limits.unhit(*counted)  # not a failure after all
            _prove(request, matter)
            return redirect("portal:status")
        # Unknown number or wrong code: one answer, one status.
        status = 404
        form.add_error(
            None,
            _(
                "No matter matches this number and query code. Please check both against your "
                "receipt."
            ),
        )
    # The code typed is never sent back: it is typed again, and no page repeats a code.
    cleared = request.POST.copy()
    cleared["code"] = ""
    form.data = cleared
    again = _lookup_verdict(request, number)
    if again.refused:
        return _refusal(request, again.refused_until)
    context = {"form": form, **_challenge_context(again.needs_challenge)}
    return render(request, "portal/lookup.html", context, status=status)


def _status_response(
    request: HttpRequest,
    matter: Matter,
    *,
    rate_form: RateForm | None = None,
    review_form: ReviewForm | None = None,
    status: int = 200,
) -> HttpResponse:
    page = status_page(matter)
    return render(
        request,
        "portal/status.html",
        {
            "page": page,
            "matter": matter,
            "rate_form": rate_form or RateForm(),
            "review_form": review_form or ReviewForm(),
            "is_accusation": matter.type == MatterType.ACCUSATION,
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET"])
def status(request: HttpRequest) -> HttpResponse:
    matter = _proven(request)
    if matter is None:
        return redirect("portal:lookup")
    return _status_response(request, matter)


@never_cache
@require_POST
def rate(request: HttpRequest) -> HttpResponse:
    matter = _proven(request)
    if matter is None:
        return redirect("portal:lookup")
    form = RateForm(request.POST)
    if not form.is_valid():
        return _status_response(request, matter, rate_form=form, status=400)
    try:
        portal_rate(
            matter=matter, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"]
        )
    except DomainError as error:
        form.add_error("rating" if error.field == "rating" else None, error.message)
        return _status_response(request, matter, rate_form=form, status=error.status)
    messages.success(request, _("Thank you. Your rating has been recorded."))
    return redirect("portal:status")


@never_cache
@require_POST
def review(request: HttpRequest) -> HttpResponse:
    matter = _proven(request)
    if matter is None:
        return redirect("portal:lookup")
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _status_response(request, matter, review_form=form, status=400)
    try:
        portal_request_review(matter=matter, reasons=form.cleaned_data["reasons"])
    except DomainError as error:
        form.add_error("reasons" if error.field == "reasons" else None, error.message)
        return _status_response(request, matter, review_form=form, status=error.status)
    messages.success(request, _("Your request has been recorded. The time limit is shown below."))
    return redirect("portal:status")


@never_cache
@require_http_methods(["GET"])
def document(request: HttpRequest, seq: int) -> HttpResponse:
    matter = _proven(request)
    if matter is None:
        return redirect("portal:lookup")
    page = status_page(matter)
    found = next((d for d in page.documents if d.seq == seq), None)
    if found is None:
        return render(request, "portal/not_found.html", status=404)
    text = render_to_string("portal/document.txt", {"doc": found, "matter": matter}, request)
    response = HttpResponse(text.replace("\n", "\r\n"), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="document-{matter.year}-{matter.seq}-{seq}.txt"'
    )
    return response


@require_POST
def leave(request: HttpRequest) -> HttpResponse:
    request.session.pop(_SESSION_KEY, None)
    messages.info(request, _("The matter is closed on this device. Keep your receipt."))
    return redirect("portal:home")
