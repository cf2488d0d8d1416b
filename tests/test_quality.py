"""Project-wide quality gates, run with the rest of the suite so that `make test` is all of CI."""

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
