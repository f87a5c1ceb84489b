from django.urls import path

from xinfang.reports.ledger import views

urlpatterns = [
    path("export/", views.export, name="ledger-export"),
    path("import/", views.import_upload, name="ledger-import"),
    path("import/<str:sha>/", views.import_map, name="ledger-import-map"),
]
