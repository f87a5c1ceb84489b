"""Every state change of a matter is one of these functions (see DESIGN.md, Lifecycle).

Each checks role, scope and state, writes the change and its timeline event in one transaction,
and raises a DomainError (xinfang.matters.errors) with a clear message otherwise.
"""

from xinfang.matters.services.classification import matter_classify
from xinfang.matters.services.handling import (
    matter_add_co_units,
    matter_assign_owners,
    matter_close,
    matter_decide_extension,
    matter_declare_interest,
    matter_rate,
    matter_reply,
    matter_request_extension,
)
from xinfang.matters.services.petitioners import petitioner_reveal, petitioners_for
from xinfang.matters.services.registration import (
    PetitionerInput,
    Upload,
    attachment_add,
    matter_register,
)
from xinfang.matters.services.review import (
    matter_decide_re_review,
    matter_decide_review,
    matter_record_hearing,
    matter_request_re_review,
    matter_request_review,
    review_window_closes,
)
from xinfang.matters.services.routing import (
    matter_accept,
    matter_assign,
    matter_decline,
    matter_forward,
    matter_guide,
    matter_link_repeat,
    matter_object,
)

__all__ = [
    "PetitionerInput",
    "Upload",
    "attachment_add",
    "matter_accept",
    "matter_add_co_units",
    "matter_assign",
    "matter_assign_owners",
    "matter_classify",
    "matter_close",
    "matter_decide_extension",
    "matter_decide_re_review",
    "matter_decide_review",
    "matter_declare_interest",
    "matter_decline",
    "matter_forward",
    "matter_guide",
    "matter_link_repeat",
    "matter_object",
    "matter_rate",
    "matter_record_hearing",
    "matter_register",
    "matter_reply",
    "matter_request_extension",
    "matter_request_re_review",
    "matter_request_review",
    "petitioner_reveal",
    "petitioners_for",
    "review_window_closes",
]
