"""Field users' forms on the front end: declare, edit, "visited, nothing changed", close, history.

Views parse input, ask `directory.perms`, call `sitepages.services`, render. A site the user may
not read is a 404 (its existence is not revealed); a site they may read but not change, a 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.storage import private_download
from directory import perms
from directory.permission_matrix import Feature
from sitepages import history, locating, services
from sitepages import perms as site_perms
from sitepages.forms import ClosingForm, SiteForm
from sitepages.forms.attachments import DecreeAttachmentForm
from sitepages.forms.children import child_formsets, form_fields
from sitepages.forms.site import SECTION_TITLES, section_choices
from sitepages.models import DecreeAttachment, SitePage
from sitepages.nearby import nearby_sites

HISTORY_PAGE_SIZE = 10


def readable_site(request, pk) -> SitePage:
    site = get_object_or_404(SitePage.objects.select_related("commune__department"), pk=pk)
    if not perms.can(request.user, Feature.SITE_READ, site):
        raise Http404
    return site


def _breadcrumb(request, site, current):
    return {"links": [{"url": site.get_url(request), "title": site.title}], "current": current}


def _base_revision(data):
    try:
        return int(data.get("base_revision") or 0) or None
    except (TypeError, ValueError):
        return None


def _with_base(data, revision_id):
    data = data.copy()
    data["base_revision"] = str(revision_id)
    return data


def _render_site_form(
    request, *, form, formsets, site=None, conflict=None, status=200, nearby=None
):
    title = _("Edit the site") if site else _("Declare a site")
    context = {
        "title": title,
        "site": site,
        "form": form,
        "formsets": formsets,
        "conflict": conflict,
        "nearby": nearby,
        "locate": locating.map_settings(form.instance),
        "breadcrumb_data": _breadcrumb(request, site, title) if site else {"current": title},
    }
    return TemplateResponse(request, "sitepages/edit/site_form.html", context, status=status)


# --- Create and edit ----------------------------------------------------------------------------


@login_required
def site_create(request):
    if not perms.can(request.user, Feature.SITE_CREATE):
        raise PermissionDenied
    site = SitePage()
    data = request.POST if request.method == "POST" else None
    form = SiteForm(data, instance=site, user=request.user, feature=Feature.SITE_CREATE)
    formsets = child_formsets(form, data, instance=site)
    if data is not None:
        valid = all([form.is_valid(), *(formset.is_valid() for formset in formsets.values())])
        nearby = (
            None if not valid or data.get("confirm_nearby") else nearby_sites(site, request.user)
        )
        if nearby:
            return _render_site_form(request, form=form, formsets=formsets, nearby=nearby)
        if valid:
            for formset in formsets.values():
                formset.save(commit=False)
            form.apply_relations()
            site_perms.drop_hidden_answers(site, request.user)
            services.create_site(site=site, user=request.user)
            messages.success(request, _("The site was declared."))
            return redirect(site.get_url(request))
        return _render_site_form(request, form=form, formsets=formsets, status=400)
    return _render_site_form(request, form=form, formsets=formsets)


def _section(request, site) -> str | None:
    """The section saved alone, or None for the whole form (an unknown one saves the whole)."""
    section = request.POST.get("section") or None
    if section is None:
        return None
    return section if section in section_choices(request.user, site) else None


def _whole_form(request, site, form, formsets):
    """After a section failed to save: the whole form with everything that was posted (nothing
    typed elsewhere is lost), showing that section's errors only."""
    state = services.editable_state(site)
    whole = SiteForm.with_errors_of(form, request.POST, instance=state)
    whole_formsets = child_formsets(whole, request.POST, instance=state)
    whole_formsets.update(formsets)
    return whole, whole_formsets


@login_required
def site_edit(request, pk):
    site = readable_site(request, pk)
    if not site_perms.can_edit_site(request.user, site):
        raise PermissionDenied
    if request.method != "POST":
        state = services.editable_state(site)
        form = SiteForm(
            instance=state,
            user=request.user,
            initial={"base_revision": site.latest_revision_id, "updated_at": timezone.localdate()},
        )
        return _render_site_form(
            request, form=form, formsets=child_formsets(form, instance=state), site=site
        )
    # Everything from reading the latest state to publishing runs under the site's lock
    # (services.change_site): a save made meanwhile is either seen as a conflict or kept.
    # « Enregistrer cette section » posts the whole form with `section`: only that section's
    # answers are then validated and saved, and only they can conflict with a save made meanwhile.
    bound = {}
    section = _section(request, site)

    def fields(state):
        probe = SiteForm(instance=state, user=request.user, section=section)
        return form_fields(probe, child_formsets(probe, instance=state))

    def change(state):
        form = SiteForm(request.POST, instance=state, user=request.user, section=section)
        formsets = child_formsets(form, request.POST, instance=state)
        bound.update(form=form, formsets=formsets)
        if not all([form.is_valid(), *(formset.is_valid() for formset in formsets.values())]):
            return False
        for formset in formsets.values():
            formset.save(commit=False)
        form.apply_relations()
        return True

    outcome = services.change_site(
        site=site,
        user=request.user,
        change=change,
        base_revision_id=_base_revision(request.POST),
        fields=fields,
        reader=request.user,
        allowed=lambda locked: site_perms.can_edit_site(request.user, locked),
    )
    if outcome.saved:
        if section is not None:
            title = SECTION_TITLES[section]
            saved = _("The section “%(section)s” was saved.") % {"section": title}
            messages.success(request, saved)
            return redirect(reverse("site_edit", args=[site.pk]) + f"#section-{section}")
        messages.success(request, _("The site was updated."))
        return redirect(site.get_url(request))
    conflict = outcome.conflict
    if conflict is not None:
        # The input is kept, on a form now based on the latest revision: saving it again
        # applies it knowingly.
        data = _with_base(request.POST, conflict.latest_revision_id)
        form = SiteForm(data, instance=outcome.state, user=request.user)
        formsets = child_formsets(form, data, instance=outcome.state)
        form.is_valid()
        for formset in formsets.values():
            formset.is_valid()
    else:
        form, formsets = bound["form"], bound["formsets"]
        if section is not None:
            form, formsets = _whole_form(request, site, form, formsets)
    return _render_site_form(
        request,
        form=form,
        formsets=formsets,
        site=site,
        conflict=conflict,
        status=409 if conflict else 400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def site_visit(request, pk):
    """GET: asks to confirm (one tap must not record a visit by mistake); POST: records it."""
    site = readable_site(request, pk)
    if not site_perms.can_record_visit(request.user, site):
        raise PermissionDenied
    if request.method == "GET":
        title = _("Visited, nothing changed")
        context = {
            "title": title,
            "site": site,
            "breadcrumb_data": _breadcrumb(request, site, title),
        }
        return TemplateResponse(request, "sitepages/edit/visit_confirm.html", context)
    services.record_visit(
        site=site,
        user=request.user,
        allowed=lambda locked: site_perms.can_record_visit(request.user, locked),
    )
    messages.success(request, _("The visit was recorded: nothing changed on the site."))
    return redirect(site.get_url(request))


# --- Closing ------------------------------------------------------------------------------------

CLOSING_FIELDS = [*ClosingForm._meta.fields, "closing_solutions"]


@login_required
def site_close(request, pk):
    site = readable_site(request, pk)
    if not site_perms.can_close_site(request.user, site):
        raise PermissionDenied
    title = _("Correct the closing") if site.is_closed else _("Close the site")
    conflict = None
    if request.method == "POST":
        bound = {}

        def change(state):
            bound["form"] = ClosingForm(request.POST, instance=state)
            return bound["form"].is_valid()

        outcome = services.change_site(
            site=site,
            user=request.user,
            change=change,
            base_revision_id=_base_revision(request.POST),
            fields=CLOSING_FIELDS,
            reader=request.user,
            allowed=lambda locked: site_perms.can_close_site(request.user, locked),
        )
        if outcome.saved:
            messages.success(request, _("The closing of the site was saved."))
            return redirect(site.get_url(request))
        conflict = outcome.conflict
        if conflict is not None:
            data = _with_base(request.POST, conflict.latest_revision_id)
            form = ClosingForm(data, instance=outcome.state)
            form.is_valid()
        else:
            form = bound["form"]
        status = 409 if conflict else 400
    else:
        state = services.editable_state(site)
        initial = {"base_revision": site.latest_revision_id}
        if not site.is_closed:
            initial["closed_at"] = timezone.localdate()
        form = ClosingForm(instance=state, initial=initial)
        status = 200
    context = {
        "title": title,
        "site": site,
        "form": form,
        "conflict": conflict,
        "breadcrumb_data": _breadcrumb(request, site, title),
    }
    return TemplateResponse(request, "sitepages/edit/close_form.html", context, status=status)


# --- History ------------------------------------------------------------------------------------


@login_required
def site_history(request, pk):
    site = readable_site(request, pk)
    paginator = Paginator(history.revisions_of(site), HISTORY_PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    title = _("History of the site")
    context = {
        "title": title,
        "site": site,
        "page_obj": page_obj,
        "diffs": history.revision_diffs(site, request.user, page_obj.object_list),
        "breadcrumb_data": _breadcrumb(request, site, title),
    }
    return TemplateResponse(request, "sitepages/history.html", context)


# --- Decree attachments -------------------------------------------------------------------------


def _justice_site(request, pk) -> SitePage:
    site = readable_site(request, pk)
    if not perms.can(request.user, Feature.SITE_JUSTICE, site):
        raise Http404  # not even the existence of procedures is revealed
    return site


@login_required
def site_attachments(request, pk):
    """The site's decrees, and the upload form for those who may edit the site."""
    site = _justice_site(request, pk)
    may_upload = site_perms.can_edit_site(request.user, site)
    form = None
    if may_upload:
        form = (
            DecreeAttachmentForm(request.POST or None, request.FILES or None)
            if request.method == "POST"
            else DecreeAttachmentForm()
        )
    elif request.method == "POST":
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.add_decree(
                site=site,
                user=request.user,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                allowed=lambda locked: site_perms.can_edit_site(request.user, locked),
            )
            messages.success(request, _("The decree was added."))
            return redirect("site_attachments", pk=site.pk)
        status = 400
    title = _("Decrees")
    context = {
        "title": title,
        "site": site,
        "form": form,
        "attachments": site.decree_attachments.select_related("uploaded_by"),
        "may_upload": may_upload,
        "breadcrumb_data": _breadcrumb(request, site, title),
    }
    return TemplateResponse(request, "sitepages/edit/attachments.html", context, status=status)


@login_required
def attachment_download(request, pk, attachment_id):
    site = _justice_site(request, pk)
    attachment = get_object_or_404(DecreeAttachment, pk=attachment_id, site=site)
    return private_download(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )


@login_required
@require_POST
def attachment_delete(request, pk, attachment_id):
    site = _justice_site(request, pk)
    if not site_perms.can_edit_site(request.user, site):
        raise PermissionDenied
    if services.delete_decree(site=site, user=request.user, attachment_id=attachment_id):
        messages.success(request, _("The decree was deleted."))
    else:
        messages.info(request, _("This decree had already been deleted."))
    return redirect("site_attachments", pk=site.pk)
