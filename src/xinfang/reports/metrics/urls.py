from django.urls import path

from xinfang.reports.metrics import views

urlpatterns = [
    path("", views.metrics, name="metrics"),
    path("export.xlsx", views.metrics_export, name="metrics-export"),
    path("<slug:key>/", views.metric_matters, name="metric-matters"),
    path("<slug:key>/export.xlsx", views.metric_matters_export, name="metric-matters-export"),
]
