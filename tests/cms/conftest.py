import pytest

from cms import statistics


@pytest.fixture(autouse=True)
def _fresh_statistics(db):
    """The statistics are cached in the shared cache: start every test without them."""
    statistics.clear_cache()
    yield
