"""The petitioner's actions on the public side: submit, look up, rate, ask for (re-)review.

Submissions go through the same registration as the desk (matters.services.registration), with
no staff actor: the petitioner submitted it. Rating and review requests are the lifecycle
services themselves, with `actor=None`; their rules and messages are theirs.
"""

from __future__ import annotations

import hmac
import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from xinfang.matters.errors import InvalidInput, InvalidState
from xinfang.matters.models import Channel, Evaluation, Matter, MatterType, State
from xinfang.matters.services import (
    PetitionerInput,
    Upload,
    matter_rate,
    matter_request_re_review,
    matter_request_review,
)
from xinfang.matters.services.registration import QUERY_CODE_LENGTH, register_at_office
from xinfang.org.models import Level, Unit
from xinfang.portal.present import day, rules_summary
from xinfang.portal.uploads import CheckedFile

log = logging.getLogger(__name__)

_LEVEL_RANK = {Level.CITY: 0, Level.COUNTY: 1, Level.TOWNSHIP: 2, Level.VILLAGE: 3}


def portal_office() -> Unit:
    """The unit that registers online submissions (setting XINFANG_PORTAL_OFFICE, a short name),
    or else the one petition office at the top level; InvalidState when that is unclear."""
    configured = settings.XINFANG_PORTAL_OFFICE.strip()
    if configured:
        office = Unit.objects.filter(short_name=configured, is_active=True).first()
        if office is None:
            raise InvalidState(
                _("网上信访的受理机关（%(name)s）没有找到或已停用，请联系管理员。")
                % {"name": configured}
            )
        return office
    offices = list(Unit.objects.filter(kind=Unit.Kind.PETITION_OFFICE, is_active=True))
    if not offices:
        raise InvalidState(_("网上信访暂未开通：尚未设置受理机关，请联系管理员。"))
    top = min(_LEVEL_RANK.get(Level(u.level), 9) for u in offices)
    candidates = [u for u in offices if _LEVEL_RANK.get(Level(u.level), 9) == top]
    if len(candidates) > 1:
        raise InvalidState(_("网上信访暂未开通：尚未设置受理机关，请联系管理员。"))
    return candidates[0]


@dataclass(frozen=True)
class Submission:
    type: str
    content: str
    name: str
    phone: str = ""
    email: str = ""
    address: str = ""
    id_number: str = ""
    title: str = ""
    consent: bool = False


@transaction.atomic
def portal_submit(*, submission: Submission, files: Sequence[CheckedFile] = ()) -> Matter:
    """An online submission: registered at the portal office, state registered, channel online.

    Attachments must have been checked by portal.uploads.check_upload. A receipt is e-mailed
    after the commit when an address was given."""
    if not submission.consent:
        raise InvalidInput(_("请阅读并同意信息使用说明后再提交。"), field="consent")
    if not submission.name.strip():
        raise InvalidInput(_("请填写您的姓名。"), field="name")
    if not submission.phone.strip() and not submission.email.strip():
        raise InvalidInput(
            _("请至少留下一种联系方式（手机号码或电子邮箱），以便告知办理情况。"), field="phone"
        )
    limit = settings.XINFANG_PORTAL_MAX_FILES
    if len(files) > limit:
        raise InvalidInput(
            _("附件最多%(limit)d个，本次选择了%(count)d个。")
            % {"limit": limit, "count": len(files)},
            field="attachments",
        )
    office = portal_office()
    matter = register_at_office(
        office=office,
        actor=None,
        channel=Channel.ONLINE,
        received_at=timezone.now(),
        content=submission.content,
        type=submission.type,
        title=submission.title,
        petitioners=[
            PetitionerInput(
                name=submission.name,
                phone=submission.phone,
                id_number=submission.id_number,
                address=submission.address,
                email=submission.email,
            )
        ],
        attachments=[
            Upload(name=f.name, stream=f.stream, content_type=f.content_type) for f in files
        ],
        record_text=f"信访人网上提交，{office.name}收到",
    )
    if submission.email.strip():
        language = translation.get_language() or settings.LANGUAGE_CODE
        matter_id = matter.pk
        # robust: whatever happens in it, the committed matter's receipt page is still shown.
        transaction.on_commit(lambda: send_receipt(matter_id, language), robust=True)
    return matter


def send_receipt(matter_id: int, language: str) -> bool:
    """E-mail the receipt to the address the petitioner gave. Every failure (reading, rendering,
    the mail server; EMAIL_TIMEOUT bounds the wait) is logged, never raised: the matter is
    registered and the receipt page shows the same."""
    try:
        matter = Matter.objects.select_related("office").get(pk=matter_id)
        first = matter.petitioners.first()
        if first is None or not first.email:
            return False
        with translation.override(language):
            context = receipt_context(matter)
            subject = render_to_string("portal/emails/receipt_subject.txt", context).strip()
            text = render_to_string("portal/emails/receipt.txt", context)
            html = render_to_string("portal/emails/receipt.html", context)
        message = EmailMultiAlternatives(subject, text, to=[first.email])
        message.attach_alternative(html, "text/html")
        message.send()
    except Exception:  # the mail's problem must not undo or hide the registration
        log.exception("portal: the receipt e-mail for matter %s could not be sent", matter_id)
        return False
    return True


def mask_name(name: str) -> str:
    """张三 → 张*; an accusation's petitioner is never shown in full on the public side."""
    name = name.strip()
    return name[:1] + "*" * max(1, len(name) - 1) if name else ""


def receipt_context(matter: Matter) -> dict[str, object]:
    first = matter.petitioners.first()
    name = first.name if first is not None else ""
    if matter.type == MatterType.ACCUSATION:
        name = mask_name(name)
    return {
        "matter": matter,
        "name": name,
        "phone": first.phone_masked if first is not None else "",
        "received": day(matter.received_at),
        "received_at": timezone.localtime(matter.received_at),
        "type_label": MatterType(matter.type).label,
        "attachments": list(matter.attachments.values_list("original_name", flat=True)),
        "rules": rules_summary(matter.office),
        "query_code_display": display_code(matter.query_code),
    }


def display_code(code: str) -> str:
    """ABCD-EFGH-JKLM: easier to read out and copy by hand."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


# --- Look-up ----------------------------------------------------------------------------------

_OPEN = str.maketrans({"[": "〔", "【": "〔", "(": "〔", "（": "〔", "［": "〔"})
_CLOSE = str.maketrans({"]": "〕", "】": "〕", ")": "〕", "）": "〕", "］": "〕"})
_NOT_CODE = re.compile(r"[\s\-_]+")
# Compared when the number is unknown, so that both wrong pairs take the same path.
_NO_CODE = "#" * QUERY_CODE_LENGTH


def normalize_number(raw: str) -> str:
    """The number as printed (清信〔2026〕17号), whatever brackets, spaces or full-width digits
    were typed (NFKC first: １７ → 17, ［ → [, ideographic space → space)."""
    text = unicodedata.normalize("NFKC", raw or "")
    return re.sub(r"\s+", "", text).translate(_OPEN).translate(_CLOSE)[:40]


def normalize_code(raw: str) -> str:
    return _NOT_CODE.sub("", raw or "").upper()[:32]


def find_matter(number: str, code: str) -> Matter | None:
    """The matter with this number and query code, or None: an unknown number and a wrong code
    are one answer, reached by the same steps."""
    number, code = normalize_number(number), normalize_code(code)
    matter = (
        Matter.objects.select_related("office", "lead_unit", "review_unit", "re_review_unit")
        .filter(number=number)
        .first()
    )
    expected = matter.query_code if matter is not None else _NO_CODE
    matches = hmac.compare_digest(expected.encode(), code.encode())
    return matter if matches and matter is not None else None


# --- After the reply ----------------------------------------------------------------------------


def portal_rate(*, matter: Matter, rating: str, comment: str = "") -> Evaluation:
    return matter_rate(matter=matter, actor=None, rating=rating, comment=comment[:2000])


def portal_request_review(*, matter: Matter, reasons: str) -> Matter:
    """Review after a reply, re-review after a review decision: whichever is due now.

    The petitioner cannot name the body on the portal: when the lifecycle finds none one level
    up (it would ask for it to be named), they are told plainly whom to contact instead."""
    re_review = matter.state == State.REVIEWED
    try:
        if re_review:
            return matter_request_re_review(matter=matter, actor=None, reasons=reasons)
        return matter_request_review(matter=matter, actor=None, reasons=reasons)
    except InvalidInput as error:
        if error.field != "body":
            raise
        message = (
            _(
                "本事项无法在网上申请复核：无法确定上一级复核机关。请联系%(office)s，由其告知向哪里申请。"
            )
            if re_review
            else _(
                "本事项无法在网上申请复查：无法确定上一级复查机关。请联系%(office)s，由其告知向哪里申请。"
            )
        )
        raise InvalidState(message % {"office": matter.office.name}) from None
