"""The search behind the "chosen users" of a private message (`journal.widgets`)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from journal import lookups, perms
from journal.enums import Audience
from journal.forms import audience_users
from journal.widgets import MAX_RESULTS, MIN_QUERY_LENGTH, person_label

#: Longer queries are cut (no name, email or organisation is that long).
MAX_QUERY_LENGTH = 100
MAX_WORDS = 5


def search_q(query: str) -> Q:
    """Every word is in the first name, last name, email or organisation (name or abbreviation),
    ignoring case and accents."""
    condition = Q()
    for word in query.split()[:MAX_WORDS]:
        condition &= (
            Q(first_name__unaccent__icontains=word)
            | Q(last_name__unaccent__icontains=word)
            | Q(email__unaccent__icontains=word)
            | Q(organization__name__unaccent__icontains=word)
            | Q(organization__abbreviation__unaccent__icontains=word)
        )
    return condition


@login_required
@require_GET
def audience_users_search(request, site_id=None, action_id=None):
    """`GET ?q=dupo` → `{"results": [{"id": 12, "label": "Jeanne Dupont (ASSO)"}, …]}`: at most
    20 users the requester may choose for a private message on the site or the action (its
    territory's users, themselves excluded). Only for who may post such a message there; others
    get a 404."""
    if action_id is not None:
        site = lookups.action_or_404(request.user, action_id)
    else:
        site = lookups.site_or_404(request.user, site_id)
    if Audience.CHOSEN not in perms.allowed_audiences(request.user, site):
        raise Http404
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = []
    if len(query) >= MIN_QUERY_LENGTH:
        users = audience_users(site, request.user).filter(search_q(query))[:MAX_RESULTS]
        results = [{"id": user.pk, "label": person_label(user)} for user in users]
    response = JsonResponse({"results": results})
    patch_cache_control(response, private=True, no_store=True)
    return response
