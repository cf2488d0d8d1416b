import pytest
from django.core.cache import caches


@pytest.fixture(autouse=True)
def _empty_throttle_counts(request):
    """Throttle counts live in the shared cache (a table): every API test that uses the
    database starts from zero."""
    if request.node.get_closest_marker("django_db"):
        caches["shared"].clear()
    yield
