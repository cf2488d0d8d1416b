"""Keep the site pages out of the Wagtail admin for everyone but superusers.

The group « Éditeurs nationaux » (directory/services/wagtail_access.py) holds its page
permissions on the home page, so that national admins edit the whole editorial tree — including
the editorial pages added later — without a permission per page. Wagtail's page permissions
are inherited down the tree and cannot be denied on a subtree, and the departments' site
indexes (`sitepages.SiteIndexPage`) and their sites (`sitepages.SitePage`) also live under the
home page: these hooks take them out again. Sites are edited through the platform's own
screens, where directory.perms decides (site pages stay editable in the admin by superusers,
under the site's lock: `LockedSiteEditView`).

Two layers. A permission policy for the two site page types only counts the page permissions
granted inside the sites' subtree (none by default), so Wagtail's own checks on a site page
(edit, unpublish, history, revisions…) refuse the editors. Hooks cover the views that check
permissions on a plain `Page` rather than on the specific page: the explorer and the page
chooser do not list site pages; creating, editing, publishing, unpublishing, deleting, copying,
moving or converting one is refused (Wagtail shows its "permission denied" redirect or a 403).
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.views.pages.edit import EditView
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import register_permission_policy

from sitepages.models import SiteIndexPage, SitePage
from sitepages.services import lock_site

SITE_PAGES_APP_LABEL = "sitepages"


class SitePagesPermissionPolicy(PagePermissionPolicy):
    """Page permissions on site pages come only from grants made inside the sites' subtree:
    a grant on the home page (the editors' group) does not reach them."""

    permission_cache_name = "_site_pages_permission_cache"

    def get_all_permissions_for_user(self, user):
        return (
            super()
            .get_all_permissions_for_user(user)
            .filter(page__content_type__app_label=SITE_PAGES_APP_LABEL)
        )


for _model in (SiteIndexPage, SitePage):
    register_permission_policy(_model, SitePagesPermissionPolicy(_model))


def _site_page_models():
    return (SiteIndexPage, SitePage)


def is_site_page_class(page_class) -> bool:
    return page_class is not None and issubclass(page_class, _site_page_models())


def is_site_page(page) -> bool:
    return is_site_page_class(page.specific_class)


def may_edit_site_pages_in_admin(user) -> bool:
    return bool(user.is_active and user.is_superuser)


def _forbid_site_page(request, page):
    if not may_edit_site_pages_in_admin(request.user) and is_site_page(page):
        raise PermissionDenied


def _without_site_pages(pages, request):
    if may_edit_site_pages_in_admin(request.user):
        return pages
    return pages.not_type(*_site_page_models())


@hooks.register("construct_explorer_page_queryset")
def hide_site_pages_from_explorer(parent_page, pages, request):
    return _without_site_pages(pages, request)


@hooks.register("construct_page_chooser_queryset")
def hide_site_pages_from_chooser(pages, request):
    return _without_site_pages(pages, request)


@hooks.register("before_create_page")
def forbid_creating_site_pages(request, parent_page, page_class):
    if not may_edit_site_pages_in_admin(request.user) and (
        is_site_page_class(page_class) or is_site_page(parent_page)
    ):
        raise PermissionDenied


class LockedSiteEditView(EditView):
    """Wagtail's page editor for a site page (superusers only), run under the site's lock like
    every other write to a site (docs/concurrency.md): a form loaded before a change saved
    meanwhile (by the platform's forms or another superuser) is shown again with the input
    kept and an error, never published over that change."""

    def post(self, request, *args, **kwargs):
        with transaction.atomic():
            locked = lock_site(self.page)
            loaded = request.POST.get("loaded_revision_id", "")
            if locked.latest_revision_id and loaded != str(locked.latest_revision_id):
                form = self.form_class(
                    request.POST,
                    request.FILES,
                    instance=self.page,
                    subscription=self.subscription,
                    parent_page=self.parent,
                    for_user=request.user,
                )
                form.is_valid()
                form.add_error(
                    None,
                    _(
                        "This site was changed since you opened this form: your changes were "
                        "not saved. Open the site again to see its latest version."
                    ),
                )
                self.form = form
                return self.form_invalid(form)
            return super().post(request, *args, **kwargs)


@hooks.register("before_edit_page")
def forbid_editing_site_pages(request, page):
    _forbid_site_page(request, page)
    if (
        request.method == "POST"
        and is_site_page(page)
        and page.specific_class is SitePage
        and not getattr(request, "_site_edit_locked", False)
    ):
        request._site_edit_locked = True  # the view below calls this hook again
        return LockedSiteEditView.as_view()(request, page_id=page.pk)
    return None


@hooks.register("before_publish_page")
def forbid_publishing_site_pages(request, page):
    _forbid_site_page(request, page)


@hooks.register("before_unpublish_page")
def forbid_unpublishing_site_pages(request, page):
    _forbid_site_page(request, page)


@hooks.register("before_delete_page")
def forbid_deleting_site_pages(request, page):
    _forbid_site_page(request, page)


@hooks.register("before_copy_page")
def forbid_copying_site_pages(request, page):
    _forbid_site_page(request, page)


@hooks.register("before_move_page")
def forbid_moving_site_pages(request, page, destination):
    if not may_edit_site_pages_in_admin(request.user) and (
        is_site_page(page) or is_site_page(destination)
    ):
        raise PermissionDenied


@hooks.register("before_convert_alias_page")
def forbid_converting_site_pages(request, page):
    _forbid_site_page(request, page)
