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
from journal import export, lookups, moderation, perms, services, targets
from journal.enums import EntryState
from journal.forms import DepartmentFilterForm, EntryForm, ReasonForm
from journal.models import Attachment, Entry

PAGE_SIZE = 20
INCLUDE_SIZE = 5


# --- Helpers ------------------------------------------------------------------------------------


def target_context(target) -> dict:
    """What every journal page says about the target (a site or an action)."""
    is_action = targets.is_action(target)
    return {
        "site": target,
        "target": target,
        "is_action": is_action,
        "target_title": targets.title(target),
        "target_url": targets.url(target),
        "stream_url": targets.stream_url(target),
    }


def breadcrumb(target, current, *, with_stream=False) -> dict:
    links = [{"url": targets.url(target), "title": targets.title(target)}]
    if with_stream:
        links.append({"url": stream_url(target), "title": _("Journal")})
    return {"links": links, "current": current}


def stream_url(target) -> str:
    return targets.stream_url(target)


def entry_rows(user, entries) -> list[dict]:
    """What each entry shows and which buttons the reader gets (no query per entry: the
    entries come from `for_display()`; permissions are cached on the user)."""
    rows = []
    for entry in entries:
        moderator = perms.can_moderate(user, entry)
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


def include_context(request, target) -> dict:
    """Context of a target page's journal block (journal/includes/site_journal.html): the
    site page's, the action page's."""
    user = request.user
    if not perms.can_read_journal(user, target):
        return {"journal_visible": False}
    entries = list(Entry.objects.in_stream(target, user)[: INCLUDE_SIZE + 1])
    can_post = perms.can_post(user, target)
    return {
        "journal_visible": True,
        "journal_rows": entry_rows(user, entries[:INCLUDE_SIZE]),
        "journal_has_more": len(entries) > INCLUDE_SIZE,
        "journal_stream_url": stream_url(target),
        "journal_form": EntryForm(target=target, author=user, auto_id="journal_%s")
        if can_post
        else None,
        "journal_post_url": targets.post_url(target),
        "journal_next": request.get_full_path(),
    }


#: Messages of each action shown in the actions block of a site page.
LATEST_PER_ACTION = 3


def latest_by_action(user, actions, count=LATEST_PER_ACTION) -> dict[int, list]:
    """{action id: its latest published entries `user` may read}, for the actions whose journal
    they may open, in one query (plus the prefetches of `for_display`)."""
    readable = [action.pk for action in actions if perms.can_read_journal(user, action)]
    if not readable:
        return {}
    entries = (
        Entry.objects.filter(action_id__in=readable, state=EntryState.PUBLISHED)
        .visible_to(user)
        .latest_per_action(count)
        .for_display()
    )
    journals: dict[int, list] = {}
    for entry in entries:
        journals.setdefault(entry.action_id, []).append(entry)
    return journals


# --- Stream and posting -------------------------------------------------------------------------


def _stream(request, target):
    paginator = Paginator(Entry.objects.in_stream(target, request.user), PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    can_post = perms.can_post(request.user, target)
    export_url = None
    if targets.is_action(target):
        if export.can_export_target(request.user, target):
            export_url = reverse("journal:export") + f"?action={target.pk}"
    elif directory_perms.can(request.user, Feature.JOURNAL_EXPORT, target):
        export_url = reverse("journal:export") + f"?site={target.pk}"
    context = {
        **target_context(target),
        "site_url": targets.url(target),
        "breadcrumb_data": breadcrumb(target, _("Journal")),
        "page_obj": page_obj,
        "rows": entry_rows(request.user, page_obj.object_list),
        "form": EntryForm(target=target, author=request.user) if can_post else None,
        "post_url": targets.post_url(target),
        "next": request.get_full_path(),
        "export_url": export_url,
    }
    return TemplateResponse(request, "journal/site_stream.html", context)


@login_required
def site_stream(request, site_id):
    return _stream(request, lookups.site_or_404(request.user, site_id))


@login_required
def action_stream(request, action_id):
    return _stream(request, lookups.action_or_404(request.user, action_id))


def _post(request, target):
    if not perms.can_post(request.user, target):
        raise Http404
    form = EntryForm(
        request.POST or None, request.FILES or None, target=target, author=request.user
    )
    if request.method == "POST" and form.is_valid():
        entry = services.post_entry(target=target, author=request.user, **form.entry_data())
        messages.success(request, _("Your message was posted."))
        # Back where the user was, at the new message (not at the top of the page).
        target_url = next_url(request, stream_url(target)).split("#", 1)[0]
        return redirect(f"{target_url}#message-{entry.pk}")
    context = {
        **target_context(target),
        "form": form,
        "post_url": targets.post_url(target),
        "next": next_url(request, stream_url(target)),
    }
    return TemplateResponse(request, "journal/entry_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def post(request, site_id):
    return _post(request, lookups.site_or_404(request.user, site_id))


@login_required
@require_http_methods(["GET", "POST"])
def post_action(request, action_id):
    return _post(request, lookups.action_or_404(request.user, action_id))


# --- One entry ----------------------------------------------------------------------------------


@login_required
def entry_detail(request, pk):
    entry = lookups.entry_or_404(request.user, pk)
    row = entry_rows(request.user, [entry])[0]
    context = {
        **target_context(entry.target),
        "entry": entry,
        "breadcrumb_data": breadcrumb(entry.target, _("Message"), with_stream=True),
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
        target=entry.target,
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
        **target_context(entry.target),
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
        target = entry.target
        refused = _refused(
            request, entry, lambda: services.delete_entry(entry=entry, by=request.user)
        )
        if refused:
            return refused
        messages.success(request, _("The message was deleted."))
        return redirect(stream_url(target))
    return TemplateResponse(
        request, "journal/entry_delete.html", {**target_context(entry.target), "entry": entry}
    )


def _refused(request, entry, call):
    """Run `call` (a service); when it refuses because someone acted on the entry meanwhile,
    the redirect that says so (to the entry, or to the site's journal when it was deleted);
    None when it was done."""
    try:
        call()
    except services.Gone as refusal:
        messages.info(request, str(refusal))
        return redirect(stream_url(entry.target))
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
        **target_context(entry.target),
        "entry": entry,
        "breadcrumb_data": breadcrumb(entry.target, template_context["title"], with_stream=True),
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
