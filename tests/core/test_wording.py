"""Wording found by a day of real use (issue 16, item 12)."""

import ast
from pathlib import Path

import pytest
from django.urls import reverse

from directory.enums import Role
from tests.directory.factories import DepartmentFactory, UserFactory, give_area

ROOT = Path(__file__).resolve().parents[2]
APPS = ("core", "directory", "sitepages", "journal", "forum", "activity", "search", "cms")


def _labels():
    """Every `label=…` / `labels = {…}` string of a form field in the project's code."""
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                values = []
                if isinstance(node, ast.keyword) and node.arg == "label":
                    values = [node.value]
                elif isinstance(node, ast.Assign) and any(
                    isinstance(target, ast.Name) and target.id == "labels"
                    for target in node.targets
                ):
                    values = getattr(node.value, "values", [])
                for value in values:
                    for constant in ast.walk(value):
                        if isinstance(constant, ast.Constant) and isinstance(constant.value, str):
                            yield path.relative_to(ROOT), constant.value


def test_no_field_label_says_optional_the_dsfr_forms_already_do():
    """DSFR_MARK_OPTIONAL_FIELDS adds « (Optionnel) » to every optional field."""
    doubled = [(str(path), text) for path, text in _labels() if "(optional)" in text.lower()]
    assert doubled == []


@pytest.mark.django_db
@pytest.mark.parametrize("url", [reverse("site_export"), reverse("journal:export")])
def test_export_forms_mark_optional_fields_once(client, url):
    user = UserFactory(role=Role.LOCAL_ADMIN)
    give_area(user, DepartmentFactory())
    client.force_login(user)
    content = client.get(url).content.decode()
    assert "(Optionnel)" in content
    assert "(facultatif)" not in content
