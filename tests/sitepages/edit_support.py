"""Helpers of the site form tests: users with a role on a territory, and POST payloads built from
the forms a GET rendered (what a browser would send back unchanged)."""

import datetime
import decimal

from django import forms

from directory.fields import TerritoryField
from tests.directory.factories import CommuneFactory, DepartmentFactory, UserFactory, give_area
from tests.sitepages.factories import SitePageFactory


def user_with(role, territory=None, **kwargs):
    user = UserFactory(role=role, **kwargs)
    give_area(user, territory)
    return user


def site_in(department=None, **kwargs):
    department = department or DepartmentFactory()
    return SitePageFactory(commune=CommuneFactory(department=department), **kwargs)


def _value(bound_field):
    field = bound_field.field
    value = bound_field.value()
    if isinstance(field, TerritoryField):
        if isinstance(value, str) and ":" in value:
            return value
        return f"commune:{getattr(value, 'pk', value)}" if value else ""
    if isinstance(field.widget, forms.CheckboxInput):
        return "on" if value else None
    if isinstance(value, (list, tuple)):
        return [str(item) for item in value]
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (datetime.date, decimal.Decimal, int)):
        return value.isoformat() if isinstance(value, datetime.date) else str(value)
    return field.widget.format_value(value) if hasattr(field.widget, "format_value") else value


def form_payload(form, **overrides) -> dict:
    data = {}
    for bound_field in form:
        value = _value(bound_field)
        if value is not None:
            data[bound_field.html_name] = value
    for name, value in overrides.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def formset_payload(formset) -> dict:
    data = {}
    management = formset.management_form
    for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
        data[f"{formset.prefix}-{name}"] = str(management[name].value())
    for form in formset.forms:
        data.update(form_payload(form))
    return data


def page_payload(response, **overrides) -> dict:
    """The payload of a rendered site form, formsets included, with `overrides`."""
    context = response.context
    data = form_payload(context["form"])
    for formset in (context.get("formsets") or {}).values():
        data.update(formset_payload(formset))
    for name, value in overrides.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data
