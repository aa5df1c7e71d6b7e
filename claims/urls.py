from django.urls import path

from claims import views

app_name = "claims"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("assign/", views.assign, name="assign"),
    path("export/<str:fmt>/", views.export, name="export"),
    path("report/", views.report, name="report"),
    path("<int:pk>/", views.claim_detail, name="detail"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/edit/", views.edit_claim, name="edit"),
    path("<int:pk>/sources/", views.add_source, name="add_source"),
    path("<int:pk>/sources/<int:source_pk>/remove/", views.remove_source, name="remove_source"),
]
