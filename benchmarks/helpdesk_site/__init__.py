"""A minimal Django project serving django-helpdesk's ticket API: the baseline of
benchmarks/test_intake_http_bench.py."""
