"""``registry/urls.py`` includes this module; the patterns live in ``registry/io/urls.py``."""

from civicgrid.registry.io.urls import urlpatterns

__all__ = ["urlpatterns"]
