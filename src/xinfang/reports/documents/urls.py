from django.urls import path

from xinfang.reports.documents import views

urlpatterns = [
    path("matter/<int:pk>/issue/", views.issue, name="document_issue"),
    path("<int:pk>/download/", views.download, name="document_download"),
    path("templates/", views.templates, name="templates"),
    path("bulletins/", views.bulletins, name="bulletins"),
]
