"""The account page's personal API tokens: list, create (the token is shown once), revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from api import services
from api.forms import TokenForm
from api.models import ApiToken


def _page(request, form, *, new_token=None, status=200):
    return render(
        request,
        "api/tokens.html",
        {
            "title": _("API tokens"),
            "form": form,
            "tokens": ApiToken.objects.filter(user=request.user),
            "new_token": new_token,
            "breadcrumb_data": {
                "links": [{"url": "/mon-compte/", "title": _("My account")}],
                "current": _("API tokens"),
            },
        },
        status=status,
    )


@never_cache
@login_required
def token_list(request):
    if request.method == "POST":
        form = TokenForm(request.POST, user=request.user)
        if form.is_valid():
            token, secret = services.create_token(
                user=request.user, name=form.cleaned_data["name"], expiry=form.ttl
            )
            return _page(request, TokenForm(user=request.user), new_token=(token, secret))
        return _page(request, form, status=400)
    return _page(request, TokenForm(user=request.user))


@login_required
@require_POST
def token_revoke(request, key):
    token = get_object_or_404(ApiToken, user=request.user, token_key=key)
    services.revoke_token(token=token)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("api_account:tokens")
