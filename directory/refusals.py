"""How the directory's pages answer when another administrator acted meanwhile (the services
refuse and write nothing: `AlreadyDone`, `Conflict` of `directory.services.users` and
`directory.services.organizations`). One answer for every page, docs/concurrency.md."""

from http import HTTPStatus

from django.contrib import messages
from django.shortcuts import redirect


def already_done(request, refusal, url):
    """The change was already made (or undone) by someone else: say so, back to `url`."""
    messages.info(request, refusal.message)
    return redirect(url)


def show_conflict(form, *, message, base) -> HTTPStatus:
    """Someone saved meanwhile what the (bound) form was about to replace: the form says so
    above its fields, keeps the user's input and is based on the current state `base`, so that
    sending it again (once merged) replaces that state. Returns the status of the page that
    shows it again: 409 Conflict."""
    form.add_error(None, message)
    form.rebase(base)
    return HTTPStatus.CONFLICT
