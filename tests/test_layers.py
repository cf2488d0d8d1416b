"""The apps form layers: an app imports only the apps below it.

    core → directory → sitepages → actions → journal → forum → {activity, search} → cms → api
    (config, the project package, sits above everything)

A lower app that must reach a higher one offers a hook (a signal, a registry) instead of importing
it. Every import counts — at module level or inside a function, through `importlib.import_module`
or a model looked up by its app label (`apps.get_model("journal", "Entry")`) — so that the order
cannot be dodged. Migrations and tests are outside the rule (migrations name models across apps
by design; tests exercise everything).
"""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)

#: Rank of each project app; an app may depend only on apps of a strictly lower rank.
LAYERS = {
    "core": 0,
    "directory": 1,
    "sitepages": 2,
    "actions": 3,
    "journal": 4,
    "forum": 5,
    "activity": 6,
    "search": 6,
    "cms": 7,
    "api": 8,
    "config": 9,
}

#: App labels that are not the package name (machina's apps belong to the forum layer).
LABELS = {
    "platform_search": "search",
    "forum": "forum",
    "forum_conversation": "forum",
    "forum_attachments": "forum",
    "forum_moderation": "forum",
    "forum_member": "forum",
    "forum_tracking": "forum",
    "forum_permission": "forum",
    "forum_polls": "forum",
    "forum_feeds": "forum",
    "forum_search": "forum",
}

#: Imports against the layers that remain to be removed. Each entry is (importer, imported):
#: this list only shrinks; a new entry is a design mistake, not a fix.
KNOWN_VIOLATIONS: set[tuple[str, str]] = set()


def app_of_module(name: str) -> str | None:
    top = name.split(".")[0]
    return top if top in LAYERS else None


def app_of_label(label: str) -> str | None:
    label = label.split(".")[0]
    return LABELS.get(label) or (label if label in LAYERS else None)


def _string_arg(call: ast.Call) -> str | None:
    if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
        return call.args[0].value
    return None


def dependencies(tree: ast.AST):
    """(line, app) for every project app this module reaches."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, app_of_module(alias.name)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, app_of_module(node.module)
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            argument = _string_arg(node)
            if argument is None:
                continue
            if name == "import_module":
                yield node.lineno, app_of_module(argument)
            elif name == "get_model":
                yield node.lineno, app_of_label(argument)


def project_modules():
    for app in LAYERS:
        folder = ROOT / app
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.py")):
            if "migrations" in path.parts:
                continue
            yield app, path


def violations() -> dict[tuple[str, str], list[str]]:
    found: dict[tuple[str, str], list[str]] = {}
    for app, path in project_modules():
        tree = ast.parse(path.read_text(), filename=str(path))
        for line, target in dependencies(tree):
            if target is None or target == app or LAYERS[target] < LAYERS[app]:
                continue
            found.setdefault((app, target), []).append(f"{path.relative_to(ROOT)}:{line}")
    return found


def test_no_app_imports_a_higher_or_sibling_layer():
    new = {pair: places for pair, places in violations().items() if pair not in KNOWN_VIOLATIONS}
    assert new == {}, (
        "Imports against the layers (offer a hook in the lower app instead): "
        + "; ".join(f"{a} → {b} at {', '.join(places)}" for (a, b), places in sorted(new.items()))
    )


def test_the_known_violations_are_still_there():
    """An entry removed from the code must leave the list too, so that it cannot come back."""
    gone = KNOWN_VIOLATIONS - set(violations())
    assert gone == set(), f"Fixed, remove from KNOWN_VIOLATIONS: {sorted(gone)}"


def test_the_checker_sees_imports_inside_functions_and_model_lookups():
    """Positive control: the three ways of reaching another app are all seen."""
    source = (
        "def f():\n"
        "    from journal.models import Entry\n"
        "    import importlib\n"
        "    importlib.import_module('search.sources')\n"
        "    apps.get_model('forum_conversation', 'Topic')\n"
        "    apps.get_model('platform_search.Document')\n"
    )
    reached = {app for _, app in dependencies(ast.parse(source))}
    assert reached == {"journal", "search", "forum", None}


def hidden_imports(tree: ast.AST, app: str):
    """(line, module) of every import of another project app made inside a function."""
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if function.name == "ready":  # AppConfig.ready: the documented place for late imports
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                target = app_of_module(node.module)
                if target is not None and target != app:
                    yield node.lineno, node.module


def test_apps_import_each_other_at_module_level():
    """An import of a lower app has no reason to hide in a function: at the top of the module it
    says what the module depends on (an import hidden to dodge a cycle is a layer mistake)."""
    hidden = [
        f"{path.relative_to(ROOT)}:{line} {module}"
        for app, path in project_modules()
        for line, module in hidden_imports(ast.parse(path.read_text(), filename=str(path)), app)
    ]
    assert hidden == []


def test_the_hidden_import_check_sees_a_function_level_import():
    source = "def f():\n    from journal.models import Entry\n    from sitepages import perms\n"
    assert list(hidden_imports(ast.parse(source), "sitepages")) == [(2, "journal.models")]
