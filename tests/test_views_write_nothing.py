"""Views parse, check, call, render: no view writes a model itself.

A view parses its input, checks the permissions (`perms.py`), calls a service (`services.py`,
or a model form's `save()`) and renders or redirects. Every write — and the transaction, the
lock and the audit entry that come with it — lives in a service, where it is tested once and
reused by the screens and the API alike.

This test reads (with `ast`, without importing them) every view module of the project's apps —
the files named `views*.py` and the modules of a `views/` package, migrations and tests aside —
and fails, naming file:line, on a call that writes a model:

- `.save()`, `.delete()`, `.bulk_create()`, `.bulk_update()`, `.get_or_create()`,
  `.update_or_create()`, on any receiver;
- `.create()` on a manager or a QuerySet: `Model.objects.create`, `obj.relation.create`,
  `Model.objects.filter(...).create` — any receiver but a plain local name;
- `.update()` on a QuerySet: the receiver is a call (`….filter(...).update`), a manager
  (`….objects.update`), or a name spelled like a QuerySet (`qs`, `queryset`, `*_qs`,
  `*queryset*`);
- `.add()`, `.remove()`, `.set()`, `.clear()` on a related manager: the receiver is an
  attribute (`topic.subscribers.add`, `entry.tags.set`).

Allowed, because they are not a model write made by the view:

- a form's or formset's `save()` (the model form's own write): the receiver is named `form`,
  ends with `_form`, or contains `formset` (`form.save()`, `self.attachment_formset.save()`);
- the view's own handlers: a receiver `self` or `super()` (`super().delete(request)` runs the
  parent view, whose writes are its own concern);
- the dictionary rule: `update()` on a plain name or an attribute that is not a manager is a
  `dict` update (`context.update(...)`, `kwargs.update(...)`, `self.extra_context.update(...)`);
  a QuerySet held in a local variable must therefore be named like one (`qs`, `queryset`,
  `*_qs`) — or, better, not be updated in a view at all;
- `add`/`remove`/`set`/`clear` on a plain name (a Python `set`, `list` or `dict`).
"""

import ast
from pathlib import Path

import pytest

from tests.test_layers import LAYERS

ROOT = Path(__file__).resolve().parents[1]

#: The project's apps whose views are checked: every app of the layers (the project package,
#: `config`, has no views).
APPS = tuple(app for app in LAYERS if app != "config")

#: Methods that write whatever their receiver (forms and the view itself aside).
ALWAYS_WRITES = {
    "save",
    "delete",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
    "mark_as_read",  # django-notifications' own writes
    "mark_as_unread",
    "mark_all_as_read",
}
RELATED_MANAGER_WRITES = {"add", "remove", "set", "clear"}


def view_modules() -> list[Path]:
    found = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            parts = path.relative_to(ROOT).parts
            if "migrations" in parts or "tests" in parts:
                continue
            if path.name.startswith("views") or "views" in parts[:-1]:
                found.add(path)
    return sorted(found)


def _name(node: ast.expr) -> str | None:
    """The name a receiver is known by: `form` for `form` and for `self.form`."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _is_form(receiver: ast.expr) -> bool:
    name = _name(receiver) or ""
    return name == "form" or name.endswith("_form") or "formset" in name


def _is_view_itself(receiver: ast.expr) -> bool:
    if isinstance(receiver, ast.Name) and receiver.id == "self":
        return True
    return (
        isinstance(receiver, ast.Call)
        and isinstance(receiver.func, ast.Name)
        and receiver.func.id == "super"
    )


def _looks_like_queryset(receiver: ast.expr) -> bool:
    name = _name(receiver) or ""
    return (
        name in {"objects", "qs", "queryset"} or name.endswith("_qs") or "queryset" in name.lower()
    )


def write_of(call: ast.Call) -> str | None:
    """What `call` writes (`"….objects.create()"`), or None when it writes no model."""
    if not isinstance(call.func, ast.Attribute):
        return None
    method, receiver = call.func.attr, call.func.value
    if _is_view_itself(receiver):
        return None
    if method in ALWAYS_WRITES:
        if method == "save" and _is_form(receiver):
            return None
        return method
    if method == "create":
        return None if isinstance(receiver, ast.Name) else method
    if method == "update":
        if isinstance(receiver, ast.Call) or _looks_like_queryset(receiver):
            return method
        return None
    if method in RELATED_MANAGER_WRITES and isinstance(receiver, ast.Attribute):
        return method
    return None


def writes_in(source: str) -> list[tuple[int, str]]:
    """(line, source of the call) of every model write in `source`."""
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and write_of(node):
            found.append((node.lineno, ast.get_source_segment(source, node.func) or ""))
    return sorted(found)


def test_the_checked_modules_are_found():
    names = {str(path.relative_to(ROOT)) for path in view_modules()}
    assert {
        "activity/views.py",
        "api/views_tokens.py",
        "forum/forum_moderation/views.py",
        "forum/forum_conversation/views.py",
        "sitepages/views_export.py",
    } <= names
    assert not any("migrations" in name or name.startswith("tests/") for name in names)


def test_no_view_writes_a_model_itself():
    offences = [
        f"{path.relative_to(ROOT)}:{line}: {call}()"
        for path in view_modules()
        for line, call in writes_in(path.read_text())
    ]
    assert not offences, (
        "Views parse, check, call a service, render: move these writes into the app's "
        "services.py (or a model form's save()):\n" + "\n".join(offences)
    )


FORBIDDEN = """
def view(request, topic, post, user, token):
    topic.save()
    post.delete()
    Post.objects.bulk_create([])
    Post.objects.bulk_update([], ["subject"])
    Token.objects.get_or_create(user=user)
    Token.objects.update_or_create(user=user)
    Export.objects.create(user=user)
    user.tokens.create(name="x")
    Export.objects.filter(user=user).create(user=user)
    Notification.objects.filter(user=user).update(unread=False)
    Notification.objects.update(unread=False)
    user.notifications.unread().update(unread=False)
    queryset.update(unread=False)
    pending_qs.update(unread=False)
    Token.objects.filter(user=user).delete()
    self.object.save()
    obj = form.save(commit=False)
    obj.save()
    topic.subscribers.add(user)
    topic.subscribers.remove(user)
    entry.tags.set([])
    entry.tags.clear()
    notification.mark_as_read()
"""

ALLOWED = """
class View:
    def post(self, request, form, formset):
        form.save()
        self.form.save()
        profile_form.save()
        formset.save()
        self.attachment_formset.save()
        context = {}
        context.update(title="x")
        kwargs.update({"user": request.user})
        self.extra_context.update(title="x")
        seen = set()
        seen.add(1)
        seen.remove(1)
        seen.clear()
        super().delete(request)
        super().form_valid(form)
        self.delete(request)
        services.delete_topic(topic=topic, by=request.user)
        Token.objects.filter(user=request.user).exists()
"""


def test_the_checker_catches_every_write():
    found = writes_in(FORBIDDEN)
    lines = [line for line, _call in found]
    expected = [
        number
        for number, text in enumerate(FORBIDDEN.splitlines(), start=1)
        if text.startswith("    ") and "form.save(commit=False)" not in text
    ]
    assert lines == expected, found
    assert len(found) == 22


def test_the_checker_allows_forms_dicts_and_the_view_itself():
    assert writes_in(ALLOWED) == []


@pytest.mark.parametrize(
    "source",
    [
        "Post.objects.create(subject='x')",
        "Post.objects.all().delete()",
        "request.user.notifications.filter(unread=True).update(unread=False)",
    ],
)
def test_the_checker_catches_writes_in_module_level_helpers(source):
    """A helper function defined in a view module is checked like a view."""
    assert writes_in(f"def _helper(request):\n    {source}\n")
