"""The actors of a site (« Acteurs du site »): join, change my themes, leave, add an actor, invite
a partner. GET shows the small form (or the confirmation); POST calls `sitepages.actors`.

A site the user may not read is a 404 (never revealed); a site they read but where the action
is not theirs, a 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sitepages import actors
from sitepages.forms.actors import AddActorForm, InviteForm, ThemesForm
from sitepages.views_edit import readable_site


def _mine(request, site):
    return actors.actor_of(request.user, site)


def _render(request, site, *, title, form, intro="", submit_label, form_id, status=200):
    context = {
        "title": title,
        "site": site,
        "form": form,
        "intro": intro,
        "submit_label": submit_label,
        "form_id": form_id,
        "breadcrumb_data": {
            "links": [{"url": site.get_url(request), "title": site.title}],
            "current": title,
        },
    }
    return TemplateResponse(request, "sitepages/actors/form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def actor_join(request, pk):
    """« Je suis acteur de ce site » and « Modifier mes thèmes »: my themes on the site."""
    site = readable_site(request, pk)
    mine = _mine(request, site)
    if mine is None and not actors.can_join(request.user, site):
        raise PermissionDenied  # a closed site: nobody joins it
    title = _("Edit my themes") if mine else _("I am an actor of this site")
    form = ThemesForm(
        request.POST if request.method == "POST" else None,
        initial={"themes": mine.themes if mine else []},
    )
    if request.method == "POST" and form.is_valid():
        joined = actors.join(site=site, user=request.user, themes=form.cleaned_data["themes"])
        if joined.new:
            messages.success(request, _("You are now an actor of this site."))
        else:
            messages.success(request, _("Your themes on this site were saved."))
        return redirect(site.get_url(request))
    return _render(
        request,
        site,
        title=title,
        form=form,
        intro=_("Choose the themes on which you act on this site: the other actors see them."),
        submit_label=_("Save my themes") if mine else _("Become an actor of this site"),
        form_id="actor-join-form",
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def actor_leave(request, pk):
    """« Ne plus être acteur de ce site »: GET asks to confirm, POST removes me."""
    site = readable_site(request, pk)
    if request.method == "POST":
        if actors.leave(site=site, user=request.user):
            messages.success(request, _("You are no longer an actor of this site."))
        else:
            messages.info(request, _("You were not an actor of this site."))
        return redirect(site.get_url(request))
    if _mine(request, site) is None:
        return redirect(site.get_url(request))
    title = _("Stop being an actor of this site")
    return TemplateResponse(
        request,
        "sitepages/actors/leave_confirm.html",
        {
            "title": title,
            "site": site,
            "breadcrumb_data": {
                "links": [{"url": site.get_url(request), "title": site.title}],
                "current": title,
            },
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def actor_add(request, pk):
    """« Ajouter un acteur »: for who may edit the site."""
    site = readable_site(request, pk)
    if not actors.can_add_actors(request.user, site):
        raise PermissionDenied
    form = AddActorForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        actor = form.cleaned_data["user"]
        try:
            joined = actors.add_actor(
                site=site, user=request.user, actor=actor, themes=form.cleaned_data["themes"]
            )
        except actors.ActorError:
            form.add_error(
                "user",
                _(
                    "This person may not read this site (their territory or role does not "
                    "give access to it): they cannot be one of its actors."
                ),
            )
        else:
            name = actor.get_full_name() or actor.email
            if joined.new:
                messages.success(
                    request, _("%(name)s is now an actor of this site.") % {"name": name}
                )
            else:
                message = _("The themes of %(name)s were saved.")
                messages.success(request, message % {"name": name})
            return redirect(site.get_url(request))
    return _render(
        request,
        site,
        title=_("Add an actor"),
        form=form,
        intro=_("An actor acts on the site on some themes; they are told they were added."),
        submit_label=_("Add this actor"),
        form_id="actor-add-form",
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def actor_invite(request, pk):
    """« Inviter un partenaire »: for the site's actors and editors."""
    site = readable_site(request, pk)
    if not actors.can_invite(request.user, site, is_actor=_mine(request, site) is not None):
        raise PermissionDenied
    form = InviteForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            email = form.cleaned_data["email"]
            limited = actors.invitation_limited(user=request.user, email=email)
            if limited == "user":
                form.add_error(None, _("You sent too many invitations today: try again tomorrow."))
                status = 429
            elif limited == "address":
                form.add_error(
                    "email",
                    _(
                        "This address already received several invitations today: try again "
                        "tomorrow."
                    ),
                )
                status = 429
            else:
                actors.invite(
                    site=site,
                    user=request.user,
                    email=email,
                    message=form.cleaned_data["message"],
                    base_url=request.build_absolute_uri("/").rstrip("/"),
                )
                messages.success(
                    request,
                    _(
                        "Your invitation was sent to %(email)s. If this person may already read "
                        "the site, they find it in their notifications; otherwise they are invited "
                        "to request access to the platform."
                    )
                    % {"email": email},
                )
                return redirect(site.get_url(request))
    return _render(
        request,
        site,
        title=_("Invite a partner"),
        form=form,
        intro=_(
            "Invite a person who acts on this site. A member who may read the site is told in "
            "the platform; anybody else receives an email inviting them to request access, "
            "which does not name the site."
        ),
        submit_label=_("Send the invitation"),
        form_id="actor-invite-form",
        status=status,
    )
