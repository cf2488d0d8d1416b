"""« Suivre ce site » / « Ne plus suivre ce site » (POST only; the site page shows the button)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sitepages import follows
from sitepages.views_edit import readable_site


@login_required
@require_POST
def site_follow(request, pk):
    site = readable_site(request, pk)  # 404 when the user may not read it
    if request.POST.get("action") == "unfollow":
        follows.unfollow(site=site, user=request.user)
        messages.success(request, _("You no longer follow this site."))
    else:
        follows.follow(site=site, user=request.user)
        messages.success(request, _("You follow this site: it appears on your home page."))
    return redirect(site.get_url(request))
