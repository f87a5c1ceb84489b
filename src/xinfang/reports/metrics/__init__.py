"""Service-quality metrics per responsible unit and period (issue 6, part 1).

The API the monthly bulletin uses::

    from xinfang.reports.metrics import Period, MetricValue, scope_metrics, metrics_by_unit
    values = scope_metrics(user, Period.month(2026, 10))          # whole scope
    rows = metrics_by_unit(user, Period.month(2026, 10))          # [(unit, [MetricValue...])]

Definitions (with their articles) are in `definitions.py`; the computation, from the real clocks,
in `selectors.py`.
"""

from xinfang.reports.metrics.selectors import MetricValue, metrics_by_unit, scope_metrics
from xinfang.reports.periods import Period, parse_period

__all__ = ["MetricValue", "Period", "metrics_by_unit", "parse_period", "scope_metrics"]
