"""Project-wide quality gates, run with the rest of the suite so that `make test` is all of CI."""

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
BIN = Path(sys.executable).parent


def run(*args, env=None):
    return subprocess.run(
        args, cwd=ROOT, capture_output=True, text=True, timeout=300, env=env, check=False
    )


def test_ruff_lint():
    result = run(str(BIN / "ruff"), "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format():
    result = run(str(BIN / "ruff"), "format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_templates_pass_djlint():
    """djlint (configured in pyproject.toml, `[tool.djlint]`) on the project's templates and
    every app's: lint only, the templates are never reformatted by the tests."""
    directories = ["templates"] + sorted(
        str(path.relative_to(ROOT))
        for path in ROOT.glob("*/templates")
        if path.is_dir() and not path.parts[-2].startswith(".") and path.parts[-2] != "var"
    )
    assert len(directories) > 5  # the apps' template directories were found
    result = run(str(BIN / "djlint"), "--lint", *directories)
    assert result.returncode == 0, result.stdout + result.stderr
    linted = re.search(r"Linted (\d+) files", result.stdout)
    assert linted and int(linted.group(1)) > 100, result.stdout  # it did read the templates


@pytest.mark.django_db
def test_no_missing_migrations():
    from django.core.management import call_command

    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=0)
    except SystemExit as exc:  # makemigrations --check exits 1 when a migration is missing
        pytest.fail(f"Models changed without a migration (exit {exc.code}): run make migrations")


def test_production_settings_pass_check_deploy():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "x" * 20 + "-a-long-random-looking-production-secret-" + "y" * 20,
        "DJANGO_ALLOWED_HOSTS": "resorption-bidonvilles.example",
        "DATABASE_URL": "postgres://user:pass@db.example:5432/resorption",
    }
    result = run(
        sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING", env=env
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_to_start_without_secrets():
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SECRET_KEY", "DATABASE_URL"}}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    result = run(sys.executable, "manage.py", "check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr or "DATABASE_URL" in result.stderr


def test_every_declared_dependency_is_pinned_in_the_lock():
    import re
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = project["dependencies"] + project["optional-dependencies"]["dev"]
    pinned = {
        re.split(r"==", line)[0].strip().lower().replace("_", "-")
        for line in (ROOT / "requirements.lock").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    }
    names = {
        re.split(r"[<>=\[ ;]", requirement)[0].lower().replace("_", "-") for requirement in declared
    }
    assert names - pinned == set(), "run make lock"


# --- Dependencies: what the code imports is what pyproject.toml declares ------------------------


def _project():
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _normalise(name: str) -> str:
    import re

    return re.sub(r"[-_.]+", "-", name).lower()


def _declared(requirements) -> set[str]:
    import re

    return {_normalise(re.split(r"[<>=!~\[ ;]", requirement)[0]) for requirement in requirements}


def _python_files():
    """Every Python file of the project (tracked or not), outside the virtualenv and var/."""
    skipped = {".venv", "var", "node_modules", ".git", "__pycache__"}
    for path in sorted(ROOT.rglob("*.py")):
        if not skipped & set(path.relative_to(ROOT).parts):
            yield path


def _top_level_imports(path: Path) -> set[str]:
    import ast

    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _first_party() -> set[str]:
    return set(_project()["tool"]["ruff"]["lint"]["isort"]["known-first-party"])


def test_every_imported_package_is_declared():
    """A third-party module imported by the project maps (through the installed distributions)
    to a dependency declared in pyproject.toml: a runtime one for the application, a runtime or
    dev one for the tests and benchmarks. Catches a package that only arrives as the dependency of
    another (it would vanish when that one drops it)."""
    from importlib.metadata import packages_distributions

    project = _project()["project"]
    runtime = _declared(project["dependencies"])
    dev = runtime | _declared(project["optional-dependencies"]["dev"])
    distributions = packages_distributions()
    first_party = _first_party() | {"manage", "conftest"}
    problems = []
    for path in _python_files():
        relative = path.relative_to(ROOT)
        allowed = dev if relative.parts[0] in {"tests", "bench"} else runtime
        for module in sorted(_top_level_imports(path)):
            if module in sys.stdlib_module_names or module in first_party:
                continue
            providers = {_normalise(name) for name in distributions.get(module, [])}
            if not providers:
                problems.append(f"{relative}: `{module}` comes from no installed distribution")
            elif not providers & allowed:
                problems.append(f"{relative}: `{module}` ({', '.join(sorted(providers))})")
    assert not problems, "imported but not declared in pyproject.toml:\n" + "\n".join(problems)


def test_known_first_party_lists_every_app():
    """Each top-level package of the repository is first-party for ruff's import sorting."""
    packages = {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in {".venv", "var"}
    }
    assert packages - _first_party() == set()


# --- Tests: no date taken at import (collection) time --------------------------------------------

# Calls that read the clock: always (`timezone.now()`, `datetime.now()`, `date.today()`…), or
# when given no value to convert (`timezone.localdate()`, `timezone.localtime()`).
_CLOCK_CALLS = {"now", "today", "utcnow"}
_CLOCK_CALLS_WITHOUT_VALUE = {"localdate", "localtime"}


class _ImportTimeClock(ast.NodeVisitor):
    """Finds the clock calls evaluated when a module is imported: module-level statements, class
    bodies, decorators (so `pytest.mark.parametrize` arguments) and default argument values;
    not function bodies nor lambdas, which run when the test does."""

    def __init__(self):
        self.calls: list[tuple[int, str]] = []

    def visit_FunctionDef(self, node):
        for decorator in node.decorator_list:
            self.visit(decorator)
        self.visit(node.args)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node):
        self.visit(node.args)

    def visit_arguments(self, node):
        for default in [*node.defaults, *node.kw_defaults]:
            if default is not None:
                self.visit(default)

    def visit_Call(self, node):
        function = node.func
        name = getattr(function, "attr", None) or getattr(function, "id", None)
        if name in _CLOCK_CALLS or (name in _CLOCK_CALLS_WITHOUT_VALUE and not node.args):
            self.calls.append((node.lineno, ast.unparse(node)))
        self.generic_visit(node)


def _clock_calls_at_import(source: str, filename: str = "<sample>") -> list[tuple[int, str]]:
    finder = _ImportTimeClock()
    finder.visit(ast.parse(source, filename=filename))
    return finder.calls


def test_no_test_module_takes_the_date_at_import():
    """The suite runs for about 45 minutes: a "today" computed at collection is stale for every
    test that runs after midnight (Europe/Paris), which then fails. Dates are computed in the
    test (a call in its body, a fixture, a lambda or a day offset resolved there)."""
    modules = sorted((ROOT / "tests").rglob("*.py"))
    assert len(modules) > 100  # the test modules were found
    problems = [
        f"{path.relative_to(ROOT)}:{line}: {call}"
        for path in modules
        for line, call in _clock_calls_at_import(path.read_text(), str(path))
    ]
    assert not problems, "the clock read at import (collection) time:\n" + "\n".join(problems)


def test_the_import_time_clock_check_catches_what_it_should():
    sample = """
import datetime
import pytest
from django.utils import timezone
from django.utils.timezone import now

TODAY = timezone.localdate()
LONG_AGO = datetime.date.today() - datetime.timedelta(days=40)
RULES = {"declared_at": {"declared_at": (timezone.now() + datetime.timedelta(days=1)).date()}}
STAMP = now()


class TestSomething:
    moment = datetime.datetime.now()

    def test_it(self, when=timezone.localtime()):
        pass


@pytest.mark.parametrize("day", [datetime.date.today()])
def test_parametrized(day):
    pass
"""
    assert [call for _, call in _clock_calls_at_import(sample)] == [
        "timezone.localdate()",
        "datetime.date.today()",
        "timezone.now()",
        "now()",
        "datetime.datetime.now()",
        "timezone.localtime()",
        "datetime.date.today()",
    ]
    # The same calls made when the test runs, and dates converted from a fixed value, are fine.
    fine = """
import datetime
from django.utils import timezone

FIXED = datetime.date(2026, 11, 1)
CONVERTED = timezone.localdate(datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC))
IN_DAYS = {"declared_at": lambda: timezone.localdate() + datetime.timedelta(days=1)}


def today():
    return timezone.localdate()


class TestSomething:
    def test_it(self):
        assert timezone.now() and datetime.date.today()
"""
    assert _clock_calls_at_import(fine) == []
