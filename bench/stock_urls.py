"""Newsdesk's URLs plus a stock Django admin for Claim (default ModelAdmin settings): the
peer the reviewer queue is measured against in bench/scale.py."""

from django.contrib.admin import AdminSite
from django.urls import path

from claims.models import Claim
from newsdesk.urls import urlpatterns as newsdesk_urls

stock_site = AdminSite(name="stock")
stock_site.register(Claim)

urlpatterns = [path("stock-admin/", stock_site.urls), *newsdesk_urls]
