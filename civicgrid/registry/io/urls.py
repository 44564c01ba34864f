"""Ledger import and export pages (templates, uploads with progress, error reports, 台账)."""

from django.urls import URLPattern, path

from civicgrid.registry.io import views as io_views

urlpatterns: list[URLPattern] = [
    path("", io_views.import_home, name="io_home"),
    path("import/<str:kind>/", io_views.import_upload, name="io_import"),
    path("template/<str:kind>.<str:extension>", io_views.import_template, name="io_template"),
    path("jobs/<int:pk>/", io_views.job_detail, name="io_job"),
    path("jobs/<int:pk>/progress/", io_views.job_progress, name="io_job_progress"),
    path("jobs/<int:pk>/errors.xlsx", io_views.job_errors, name="io_job_errors"),
    path("ledger/", io_views.ledger_list, name="io_ledger"),
    path("ledger/<int:pk>/export.xlsx", io_views.ledger_export, name="io_ledger_export"),
    path("ledger/<int:pk>/unmasked/", io_views.ledger_export_unmasked, name="io_ledger_unmasked"),
    path("ledger/<int:pk>/print/", io_views.ledger_print, name="io_ledger_print"),
]
