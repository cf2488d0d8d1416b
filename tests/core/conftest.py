import pytest

from bench import stack


@pytest.fixture
def tmp_path():
    """Embedded servers of these tests live outside pytest's per-user folder: run as root, the
    server's own system user must traverse it, and each pytest run resets it to mode 0700."""
    with stack.scratch_directory("core-tests-") as path:
        yield path
