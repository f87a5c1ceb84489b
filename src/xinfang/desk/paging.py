"""Pages of a list without COUNT(*) over everything the person sees.

The list counts at most COUNT_CAP + 1 rows (a LIMIT inside the count, as on the home page):
above the cap it reads "1000+" and the pager offers Previous/Next without a last page. A page
reads one row more than it shows, to know whether a next page exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet


@dataclass
class CappedPage:
    number: int
    count: int  # at most the cap
    more: bool  # more than the cap: the count reads "1000+"
    num_pages: int | None  # None when more than the cap (the last page is not known)
    has_next: bool
    object_list: list[Any] = field(default_factory=list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next


def capped_page(qs: QuerySet[Any], number: Any, *, per_page: int, cap: int) -> CappedPage:
    """Page `number` (1-based; anything else is page 1) of `qs` (already ordered)."""
    try:
        n = max(1, int(number))
    except (TypeError, ValueError):
        n = 1
    counted = qs.order_by()[: cap + 1].count()
    more = counted > cap
    num_pages = None if more else max(1, -(-counted // per_page))
    if num_pages is not None:
        n = min(n, num_pages)  # past the end: the last page, as Paginator.get_page does
    rows = list(qs[(n - 1) * per_page : n * per_page + 1])
    if not rows and n > 1:
        # Far past the end of a list above the cap: count it once and show its last page.
        total = qs.order_by().count()
        n = max(1, -(-total // per_page))
        rows = list(qs[(n - 1) * per_page : n * per_page + 1])
    return CappedPage(
        number=n,
        count=min(counted, cap),
        more=more,
        num_pages=num_pages,
        has_next=len(rows) > per_page,
        object_list=rows[:per_page],
    )
