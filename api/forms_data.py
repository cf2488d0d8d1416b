"""JSON payloads as the data of the screens' forms, so that writes get the forms' validation and
French messages. A partial payload (PATCH) starts from what the form would show — the current
state — and replaces only the fields it names."""

import datetime

from django.db.models import Model
from django.http import QueryDict
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError


def _as_strings(value) -> list[str]:
    values = value if isinstance(value, list | tuple) else [value]
    result = []
    for item in values:
        if item is None:
            result.append("")
        elif isinstance(item, Model):
            result.append(str(item.pk))
        elif isinstance(item, datetime.date | datetime.datetime):
            result.append(item.isoformat())
        elif isinstance(item, dict | list):
            raise ValidationError({"detail": [_("Invalid value in the query.")]})
        else:
            result.append(str(item))
    return result


def _commune(value) -> str:
    value = "" if value is None else str(value)
    return value if not value or ":" in value else f"commune:{value}"


def current_data(form) -> QueryDict:
    """What the unbound `form` would post as it stands."""
    data = QueryDict(mutable=True)
    for name in form.fields:
        value = form[name].value()
        if name == "commune":
            commune = form.instance.commune if form.instance.commune_id else None
            data[name] = f"commune:{commune.pk}" if commune else ""
            continue
        data.setlist(name, _as_strings(value))
    return data


def _formset_data(formset, rows) -> QueryDict:
    """The formset as it stands, or, when `rows` is given, its rows replaced by `rows`."""
    data = QueryDict(mutable=True)
    prefix = formset.prefix
    initial = formset.initial_forms
    for index, form in enumerate(initial):
        for name in form.fields:
            if name == "DELETE":
                continue
            data.setlist(f"{prefix}-{index}-{name}", _as_strings(form[name].value()))
        if rows is not None:
            data[f"{prefix}-{index}-DELETE"] = "on"
    new_rows = rows or []
    for offset, row in enumerate(new_rows):
        if not isinstance(row, dict):
            raise ValidationError({prefix: [_("Invalid value in the query.")]})
        for name, value in row.items():
            data.setlist(f"{prefix}-{len(initial) + offset}-{name}", _as_strings(value))
    data[f"{prefix}-TOTAL_FORMS"] = str(len(initial) + len(new_rows))
    data[f"{prefix}-INITIAL_FORMS"] = str(len(initial))
    data[f"{prefix}-MIN_NUM_FORMS"] = "0"
    data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
    return data


def merged_data(form, payload, formsets=None) -> QueryDict:
    """The form's current data with the fields of the JSON `payload` replaced. A field the
    user may not change (or that does not exist) is refused."""
    if not isinstance(payload, dict):
        raise ValidationError({"detail": [_("A JSON object is expected.")]})
    formsets = formsets or {}
    allowed = set(form.fields) | set(formsets)
    unknown = sorted(set(payload) - allowed)
    if unknown:
        raise ValidationError(
            {name: [_("Unknown field, or a field you may not change.")] for name in unknown}
        )
    data = current_data(form)
    for name, value in payload.items():
        if name in formsets:
            continue
        data.setlist(name, [_commune(value)] if name == "commune" else _as_strings(value))
    for name, formset in formsets.items():
        rows = payload.get(name)
        if rows is not None and not isinstance(rows, list):
            raise ValidationError({name: [_("A list is expected.")]})
        data.update(_formset_data(formset, rows))
    return data


def form_errors(form, formsets=None) -> dict:
    errors = {name: list(messages) for name, messages in form.errors.items()}
    for name, formset in (formsets or {}).items():
        rows = [dict(row) for row in formset.errors if row]
        if rows or formset.non_form_errors():
            errors[name] = rows + [{"__all__": list(formset.non_form_errors())}] * bool(
                formset.non_form_errors()
            )
    return errors
