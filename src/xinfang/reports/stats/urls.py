"""/reports/: the period statistics, the annual figures, exports and the drill-down list."""

from django.urls import path

from xinfang.reports.stats import views

urlpatterns = [
    path("", views.stats_page, name="stats"),
    path("export.xlsx", views.stats_xlsx, name="stats_xlsx"),
    path("matters/", views.drill_page, name="stats_matters"),
    path("annual/<int:year>/", views.annual_page, name="annual"),
    path("annual/<int:year>/export.xlsx", views.annual_xlsx, name="annual_xlsx"),
]
