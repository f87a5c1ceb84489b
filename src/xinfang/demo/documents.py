"""Documents for the demo: a notice or letter on some matters and last month's bulletin, issued
through the documents service by a person who may issue them, as an office would."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model

from xinfang.demo.org import Org
from xinfang.matters.models import Event, Matter
from xinfang.org.models import Membership
from xinfang.reports.documents.services import bulletin_issue, document_issue, issuable_kinds

User = get_user_model()


def issue_demo_documents(org: Org, *, limit: int = 40, today: date | None = None) -> int:
    """Issue the first document each of up to `limit` matters offers to someone in its
    responsible unit or its registering office, then the bureau's bulletin for last month.
    Returns how many documents were issued."""
    issued = 0
    for matter in Matter.objects.order_by("pk").iterator(chunk_size=200):
        if issued >= limit:
            break
        events = list(Event.objects.filter(matter=matter).order_by("seq"))
        unit_ids = {matter.lead_unit_id, matter.office_id}
        people = User.objects.filter(
            pk__in=Membership.objects.filter(unit_id__in=unit_ids).values("user")
        ).order_by("username")
        for person in people:
            kinds = issuable_kinds(person, matter, events)
            if kinds:
                document_issue(
                    actor=person,
                    matter=matter,
                    kind=kinds[0].kind,
                    expected_version=matter.version,
                )
                issued += 1
                break
    day = today or date.today()
    year, month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    bulletin_issue(actor=org.user("registrar"), unit=org.units["bureau"], year=year, month=month)
    return issued + 1
