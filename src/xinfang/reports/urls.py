"""/reports/: statistics, service-quality metrics, documents and Excel ledgers. Each part keeps its
own URL list; the names live in the one `reports` namespace."""

from django.urls import include, path

app_name = "reports"

urlpatterns = [
    path("", include("xinfang.reports.stats.urls")),
    path("metrics/", include("xinfang.reports.metrics.urls")),
    path("documents/", include("xinfang.reports.documents.urls")),
    path("ledger/", include("xinfang.reports.ledger.urls")),
]
