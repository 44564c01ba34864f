"""Ledger import and export pages (templates, uploads with progress, error reports, 台帐)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
