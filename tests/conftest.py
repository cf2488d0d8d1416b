import pytest

from tests.factories import DEFAULT_PASSWORD, UserFactory


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def password():
    return DEFAULT_PASSWORD


@pytest.fixture(autouse=True)
def _fresh_local_cache():
    """Each test starts with an empty per-process cache, so that a value cached by an earlier
    test (e.g. the charter version, cached for a minute) can neither leak into it nor expire in
    the middle of its query counts."""
    from django.core.cache import cache

    cache.clear()
    yield
