"""Errors in JSON, never a 500 for bad input: a value the database refuses, an id that is not a
number or a Django validation error is the client's error (400)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler


def api_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    elif isinstance(exc, DataError | ValueError | OverflowError):
        exc = exceptions.ValidationError({"detail": [_("Invalid value in the query.")]})
    return exception_handler(exc, context)
