"""Showing who petitioned: masked by default, unmasked only with a trace in the access log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from xinfang.audit.models import AccessLog
from xinfang.matters.errors import Forbidden, InvalidInput
from xinfang.matters.models import Matter, Petitioner
from xinfang.matters.selectors import can_see_identity
from xinfang.matters.services._core import keyring, require_visible

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

# Stands in for a withheld identity; shown translated (petitioners_for).
CONFIDENTIAL = gettext_noop("（保密）")


@dataclass(frozen=True)
class PetitionerView:
    id: int
    name: str
    address: str
    phone: str
    id_number: str
    is_representative: bool
    confidential: bool


def petitioners_for(user: User | AnonymousUser, matter: Matter) -> list[PetitionerView]:
    """The matter's petitioners as this user may see them: masked, or withheld entirely for an
    accusation the user may not know the author of."""
    hidden = not can_see_identity(user, matter)
    withheld = _(CONFIDENTIAL)
    return [
        PetitionerView(
            id=p.pk,
            name=withheld if hidden else p.name,
            address=withheld if hidden else p.address,
            phone=withheld if hidden else p.phone_masked,
            id_number=withheld if hidden else p.id_masked,
            is_representative=p.is_representative,
            confidential=hidden,
        )
        for p in matter.petitioners.all()
    ]


@transaction.atomic
def petitioner_reveal(*, petitioner: Petitioner, actor: User, field: str, purpose: str = "") -> str:
    """The unmasked ID number or phone, written to the access log in the same transaction."""
    matter = petitioner.matter
    require_visible(actor, matter)
    if not can_see_identity(actor, matter):
        raise Forbidden(
            _(
                "检举控告人的身份信息只对登记机关和纪检监察机关可见，"
                "且不向被检举控告单位的人员披露（第四十六条）。"
            )
        )
    sealed: dict[str, str] = {
        AccessLog.Field.ID_NUMBER.value: petitioner.id_sealed,
        AccessLog.Field.PHONE.value: petitioner.phone_sealed,
    }
    if field not in sealed:
        raise InvalidInput(_("只能查看身份证号码或电话号码。"), field="field")
    if not sealed[field]:
        raise InvalidInput(_("信访人没有提供该信息。"), field="field")
    AccessLog.objects.create(
        user=actor,
        matter=matter,
        petitioner=petitioner,
        field=field,
        purpose=purpose.strip()[:200],
        at=timezone.now(),
    )
    return keyring().unseal(sealed[field])
