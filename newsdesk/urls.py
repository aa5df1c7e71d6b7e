from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "Newsdesk administration"
admin.site.site_title = "Newsdesk admin"
admin.site.index_title = "Articles, claims and their history"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", RedirectView.as_view(pattern_name="admin:index"), name="home"),
]
