"""Journal views: parse input, check `journal.perms`, call `journal.services`, render.
An entry or site the reader may not see answers 404 (its existence is never revealed)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.navigation import next_url
from core.storage import private_download
from directory import perms as directory_perms
from directory.permission_matrix import Feature
from journal import lookups, moderation, perms, services
from journal.forms import DepartmentFilterForm, EntryForm, ReasonForm
from journal.models import Attachment, Entry

PAGE_SIZE = 20
INCLUDE_SIZE = 5


# --- Helpers ------------------------------------------------------------------------------------


def breadcrumb(site, current, *, with_stream=False) -> dict:
    links = [{"url": site.url, "title": site.title}]
    if with_stream:
        links.append({"url": stream_url(site), "title": _("Journal")})
    return {"links": links, "current": current}


def stream_url(site) -> str:
    return reverse("journal:site", args=[site.pk])


def entry_rows(user, entries) -> list[dict]:
    """What each entry shows and which buttons the reader gets (no query per entry: the
    entries come from `for_display()`; permissions are cached on the user)."""
    rows = []
    for entry in entries:
        moderator = perms.can_moderate(user, entry.site)
        rows.append(
            {
                "entry": entry,
                "can_edit": perms.can_edit_entry(user, entry),
                "can_delete": perms.can_delete_entry(user, entry),
                "can_report": perms.can_report_entry(user, entry),
                "can_moderate": moderator,
                "show_audience": perms.can_see_audience(user, entry),
            }
        )
    return rows


def include_context(request, site) -> dict:
    """Context of the site page's journal block (journal/includes/site_journal.html)."""
    user = request.user
    if not perms.can_read_journal(user, site):
        return {"journal_visible": False}
    entries = list(Entry.objects.in_stream(site, user)[: INCLUDE_SIZE + 1])
    can_post = perms.can_post(user, site)
    return {
        "journal_visible": True,
        "journal_rows": entry_rows(user, entries[:INCLUDE_SIZE]),
        "journal_has_more": len(entries) > INCLUDE_SIZE,
        "journal_stream_url": stream_url(site),
        "journal_form": EntryForm(site=site, author=user, auto_id="journal_%s")
        if can_post
        else None,
        "journal_post_url": reverse("journal:post", args=[site.pk]),
        "journal_next": request.get_full_path(),
    }


# --- Stream and posting -------------------------------------------------------------------------


@login_required
def site_stream(request, site_id):
    site = lookups.site_or_404(request.user, site_id)
    paginator = Paginator(Entry.objects.in_stream(site, request.user), PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    can_post = perms.can_post(request.user, site)
    context = {
        "site": site,
        "site_url": site.url,
        "breadcrumb_data": breadcrumb(site, _("Journal")),
        "page_obj": page_obj,
        "rows": entry_rows(request.user, page_obj.object_list),
        "form": EntryForm(site=site, author=request.user) if can_post else None,
        "post_url": reverse("journal:post", args=[site.pk]),
        "next": request.get_full_path(),
        "export_url": reverse("journal:export") + f"?site={site.pk}"
        if directory_perms.can(request.user, Feature.JOURNAL_EXPORT, site)
        else None,
    }
    return TemplateResponse(request, "journal/site_stream.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def post(request, site_id):
    site = lookups.site_or_404(request.user, site_id)
    if not perms.can_post(request.user, site):
        raise Http404
    form = EntryForm(request.POST or None, request.FILES or None, site=site, author=request.user)
    if request.method == "POST" and form.is_valid():
        entry = services.post_entry(site=site, author=request.user, **form.entry_data())
        messages.success(request, _("Your message was posted."))
        # Back where the user was, at the new message (not at the top of the page).
        target = next_url(request, stream_url(site)).split("#", 1)[0]
        return redirect(f"{target}#message-{entry.pk}")
    context = {
        "site": site,
        "form": form,
        "post_url": reverse("journal:post", args=[site.pk]),
        "next": next_url(request, stream_url(site)),
    }
    return TemplateResponse(request, "journal/entry_form.html", context)


# --- One entry ----------------------------------------------------------------------------------


@login_required
def entry_detail(request, pk):
    entry = lookups.entry_or_404(request.user, pk)
    row = entry_rows(request.user, [entry])[0]
    context = {
        "entry": entry,
        "site": entry.site,
        "breadcrumb_data": breadcrumb(entry.site, _("Message"), with_stream=True),
        "row": row,
        "revisions": entry.revisions.select_related("replaced_by")
        if row["can_moderate"] or entry.author_id == request.user.pk
        else [],
        "reports": entry.reports.open().select_related("reporter") if row["can_moderate"] else [],
        "log_entries": moderation.entry_log(entry) if row["can_moderate"] else [],
    }
    return TemplateResponse(request, "journal/entry_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    entry = lookups.entry_or_404(request.user, pk)
    if not perms.can_edit_entry(request.user, entry):
        raise Http404
    initial = {
        "text": entry.text,
        "tags": list(entry.tags.all()),
        "audience": entry.audience,
        "organizations": list(entry.audience_organizations.all()),
        "users": list(entry.audience_users.all()),
    }
    form = EntryForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        site=entry.site,
        author=request.user,
        attachments=Attachment.objects.filter(entry=entry),
    )
    if request.method == "POST" and form.is_valid():
        refused = _refused(
            request,
            entry,
            lambda: services.edit_entry(
                entry=entry,
                by=request.user,
                **form.entry_data(),
                remove=form.cleaned_data.get("remove_attachments") or [],
            ),
        )
        if refused:
            return refused
        messages.success(request, _("Your message was updated."))
        return redirect(entry.get_absolute_url())
    context = {
        "site": entry.site,
        "entry": entry,
        "form": form,
        "post_url": reverse("journal:edit", args=[entry.pk]),
        "next": "",
    }
    return TemplateResponse(request, "journal/entry_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def delete(request, pk):
    entry = lookups.entry_or_404(request.user, pk)
    if not perms.can_delete_entry(request.user, entry):
        raise Http404
    if request.method == "POST":
        site = entry.site
        refused = _refused(
            request, entry, lambda: services.delete_entry(entry=entry, by=request.user)
        )
        if refused:
            return refused
        messages.success(request, _("The message was deleted."))
        return redirect(stream_url(site))
    return TemplateResponse(
        request, "journal/entry_delete.html", {"entry": entry, "site": entry.site}
    )


def _refused(request, entry, call):
    """Run `call` (a service); when it refuses because someone acted on the entry meanwhile,
    the redirect that says so (to the entry, or to the site's journal when it was deleted);
    None when it was done."""
    try:
        call()
    except services.Gone as refusal:
        messages.info(request, str(refusal))
        return redirect(stream_url(entry.site))
    except services.Stale as refusal:
        messages.info(request, str(refusal))
        return redirect(entry.get_absolute_url())
    return None


def _reason_view(request, entry, *, allowed, form_kwargs, action, template_context, success):
    if not allowed:
        raise Http404
    form = ReasonForm(request.POST or None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        refused = _refused(
            request, entry, lambda: action(entry=entry, by=request.user, reason=reason)
        )
        if refused:
            return refused
        messages.success(request, success)
        return redirect(next_url(request, entry.get_absolute_url()))
    context = {
        "entry": entry,
        "site": entry.site,
        "breadcrumb_data": breadcrumb(entry.site, template_context["title"], with_stream=True),
        "form": form,
        "next": next_url(request, ""),
        **template_context,
    }
    return TemplateResponse(request, "journal/entry_reason.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def report(request, pk):
    entry = lookups.entry_or_404(request.user, pk)
    return _reason_view(
        request,
        entry,
        allowed=perms.can_report_entry(request.user, entry),
        form_kwargs={
            "label": _("Why should the moderators look at this message?"),
            "help_text": _("Racist or insulting content, personal data about inhabitants…"),
        },
        action=services.report_entry,
        template_context={"title": _("Report a message"), "submit": _("Report")},
        success=_("Thank you: the moderators of the territory will look at this message."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def hide(request, pk):
    entry = lookups.entry_or_404(request.user, pk)
    return _reason_view(
        request,
        entry,
        allowed=perms.can_moderate(request.user, entry) and not entry.is_hidden,
        form_kwargs={
            "label": _("Reason for hiding"),
            "help_text": _("Emailed to the author and kept in the moderation log."),
        },
        action=services.hide_entry,
        template_context={"title": _("Hide a message"), "submit": _("Hide the message")},
        success=_("The message is hidden; its author was told why."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def restore(request, pk):
    entry = lookups.entry_or_404(request.user, pk)
    return _reason_view(
        request,
        entry,
        allowed=perms.can_moderate(request.user, entry) and entry.is_hidden,
        form_kwargs={"label": _("Reason for restoring"), "help_text": _("Kept in the log.")},
        action=services.restore_entry,
        template_context={"title": _("Restore a message"), "submit": _("Restore the message")},
        success=_("The message is shown again."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def dismiss(request, pk):
    entry = lookups.entry_or_404(request.user, pk)
    return _reason_view(
        request,
        entry,
        allowed=perms.can_moderate(request.user, entry) and entry.reports.open().exists(),
        form_kwargs={
            "label": _("Reason for dismissing the reports"),
            "help_text": _("Kept in the log."),
        },
        action=services.dismiss_reports,
        template_context={"title": _("Dismiss the reports"), "submit": _("Dismiss")},
        success=_("The reports were dismissed."),
    )


# --- Attachments --------------------------------------------------------------------------------


@login_required
def attachment(request, pk):
    """Served only to readers of the entry, always as a download under a safe name."""
    item = lookups.attachment_or_404(request.user, pk)
    return private_download(item.file, filename=item.name, content_type=item.content_type)


# --- Moderation queue ---------------------------------------------------------------------------


@login_required
def moderation_queue(request):
    user = request.user
    if not perms.can_use_moderation_queue(user):
        raise Http404
    moderated = Entry.objects.moderated_by(user)
    filter_form = DepartmentFilterForm(request.GET or None, departments=moderated.departments())
    department = filter_form.cleaned_data.get("departement") if filter_form.is_valid() else ""
    if department:
        moderated = moderated.in_department(department)
    reported_page = Paginator(moderated.reported(), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "breadcrumb_data": {"current": _("Journal moderation")},
        "filter_form": filter_form,
        "reported_page": reported_page,
        "reported_rows": moderation.reported_rows(reported_page.object_list),
        "hidden": list(moderated.recently_hidden()[:PAGE_SIZE]),
        "decisions": moderation.decisions(moderated)[:PAGE_SIZE],
        "next": request.get_full_path(),
    }
    return TemplateResponse(request, "journal/moderation_queue.html", context)
