from django.urls import path

from xinfang.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("submit/", views.submit, name="submit"),
    path("receipt/", views.receipt, name="receipt"),
    path("receipt/download/", views.receipt_download, name="receipt_download"),
    path("lookup/", views.lookup, name="lookup"),
    path("matter/", views.status, name="status"),
    path("matter/rate/", views.rate, name="rate"),
    path("matter/review/", views.review, name="review"),
    path("matter/documents/<int:seq>/", views.document, name="document"),
    path("leave/", views.leave, name="leave"),
]
