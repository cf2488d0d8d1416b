"""Wagtail admin access for national admins, without making them superusers.

The group « Éditeurs nationaux » gives access to `/admin/`, add/change/publish permissions on
the home page's tree (the editorial pages; sitepages/wagtail_hooks_editors.py keeps the site
pages out), the images and documents of the root collection, the editorial snippets (charter
versions, journal tags, contact messages and site reports) and the site settings (footer,
menu, contact routing). The permission exceptions snippet stays for superusers: it changes the
role matrix itself.

`sync_wagtail_access(user)` keeps membership and `is_staff` in line with the role: an active
national admin has both, anybody else (superusers apart) neither. It runs whenever an account is
saved with a change of role, status or activity (directory/signals.py).
"""

from django.contrib.auth.models import Group

from directory.enums import Role, UserStatus

EDITORS_GROUP_NAME = "Éditeurs nationaux"

#: (app_label, codename) of the model permissions of the group.
MODEL_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("directory", "add_charterversion"),
    ("directory", "change_charterversion"),
    ("directory", "view_charterversion"),
    ("journal", "add_tag"),
    ("journal", "change_tag"),
    ("journal", "view_tag"),
    ("cms", "view_contactmessage"),
    ("cms", "change_contactmessage"),
    ("cms", "view_sitereport"),
    ("cms", "change_sitereport"),
    ("cms", "change_footerlinks"),
    ("cms", "change_mainmenu"),
    ("cms", "change_contactsettings"),
]
#: Page permissions granted on the home page (inherited by its whole tree).
PAGE_PERMISSIONS = [
    ("wagtailcore", "add_page"),
    ("wagtailcore", "change_page"),
    ("wagtailcore", "publish_page"),
]
#: Permissions granted on the root collection (and its children).
COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]


def _permissions(Permission, pairs):
    found = {
        (permission.content_type.app_label, permission.codename): permission
        for permission in Permission.objects.filter(
            codename__in=[codename for _app, codename in pairs]
        ).select_related("content_type")
    }
    return [found[pair] for pair in pairs if pair in found]


def ensure_editors_group(apps=None):
    """Create or complete the group (idempotent). `apps`: a migration's app registry."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    GroupModel = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Site = apps.get_model("wagtailcore", "Site")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    group, _created = GroupModel.objects.get_or_create(name=EDITORS_GROUP_NAME)
    group.permissions.add(*_permissions(Permission, MODEL_PERMISSIONS))
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    if site is not None:
        for permission in _permissions(Permission, PAGE_PERMISSIONS):
            GroupPagePermission.objects.get_or_create(
                group=group, page_id=site.root_page_id, permission=permission
            )
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for permission in _permissions(Permission, COLLECTION_PERMISSIONS):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission
            )
    return group


def editors_group() -> Group:
    group = Group.objects.filter(name=EDITORS_GROUP_NAME).first()
    return group if group is not None else ensure_editors_group()


def should_edit_in_admin(user) -> bool:
    """An active national admin (superusers are handled apart: they have everything)."""
    return bool(
        user.is_active and user.status == UserStatus.ACTIVE and user.role == Role.NATIONAL_ADMIN
    )


def sync_wagtail_access(user) -> bool:
    """Give or take back the group and `is_staff` according to the role; True if changed."""
    if user.is_superuser:
        return False
    from directory.models import User

    wanted = should_edit_in_admin(user)
    group = editors_group()
    member = user.groups.filter(pk=group.pk).exists()
    changed = False
    if wanted and not member:
        user.groups.add(group)
        changed = True
    elif not wanted and member:
        user.groups.remove(group)
        changed = True
    if user.is_staff != wanted:
        User.objects.filter(pk=user.pk).update(is_staff=wanted)
        user.is_staff = wanted
        changed = True
    if changed:
        for cache in (
            "_perm_cache",
            "_user_perm_cache",
            "_group_perm_cache",
            "_page_permission_cache",
        ):
            user.__dict__.pop(cache, None)
    return changed
