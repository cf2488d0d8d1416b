"""Signal handlers keeping search documents in step with the content, in the same transaction."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from actions.models import Action, ActionRevision
from directory.models import InterventionArea, Organization, User
from directory.services.erasure import replace_everywhere
from directory.services.erasure import user_anonymized as anonymized
from forum.forum_conversation.signals import topic_changed as forum_topic_changed
from journal.models import Entry
from journal.signals import entry_changed as journal_entry_changed
from search import indexing
from search.enums import DocType
from sitepages.models import SiteIndexPage, SitePage

#: User fields whose change does not touch the user's search document
USER_NOISE_FIELDS = frozenset(
    {
        "last_login",
        "last_access",
        "password",
        "inactivity_warned_at",
        "charter_version_accepted",
        "charter_accepted_at",
        "admin_comments",
        "search_name",
    }
)


def _page_doc_type(page) -> str:
    return DocType.SITE if isinstance(page.specific_deferred, SitePage) else DocType.PAGE


#: Page fields Wagtail saves alone while handling drafts and locks: the live content is unchanged
#: (and the in-memory page may hold an unpublished draft, which must not reach the index).
PAGE_BOOKKEEPING_FIELDS = frozenset(
    {
        "latest_revision",
        "latest_revision_created_at",
        "has_unpublished_changes",
        "draft_title",
        "locked",
        "locked_at",
        "locked_by",
        "live_revision",
    }
)


def page_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.depth is None or instance.depth <= 1:
        return
    if update_fields and set(update_fields) <= PAGE_BOOKKEEPING_FIELDS:
        return

    if isinstance(instance, SiteIndexPage):
        return
    doc_type = _page_doc_type(instance)
    if doc_type != DocType.SITE:
        indexing.index_by_type(doc_type, instance)
        return
    from search.models import SearchDocument

    ref = f"{DocType.SITE}:{instance.pk}"
    before = SearchDocument.objects.filter(ref=ref).values_list("title", "access_keys").first()
    indexing.index_by_type(doc_type, instance)
    after = SearchDocument.objects.filter(ref=ref).values_list("title", "access_keys").first()
    if before is not None and before != after:
        # Journal entries show the site's name and follow its place.
        for entry in Entry.objects.filter(site_id=instance.pk).select_related(
            "site__commune__department"
        ):
            indexing.index_by_type(DocType.JOURNAL, entry)


def page_deleted(sender, instance, **kwargs):
    indexing.remove_by_type(_page_doc_type(instance), instance.pk)


def page_publication_changed(sender, instance, **kwargs):
    page_saved(sender, instance)


def view_restriction_changed(sender, instance, raw=False, **kwargs):
    """Page privacy set, changed or lifted on a page: it and every page below it change audience
    (a private page is not indexed at all, see `sources.PageSource`)."""
    if raw:
        return
    from wagtail.models import Page

    try:
        page = Page.objects.get(pk=instance.page_id)
    except Page.DoesNotExist:  # the page itself is being deleted: its own handler removes it
        return
    below = Page.objects.descendant_of(page, inclusive=True).not_type(SiteIndexPage, SitePage)
    for descendant in below.specific():
        page_saved(sender, descendant)


def topic_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from search.models import SearchDocument

    ref = f"{DocType.TOPIC}:{instance.pk}"
    before = SearchDocument.objects.filter(ref=ref).values_list("title", "access_keys").first()
    indexing.index_by_type(DocType.TOPIC, instance)
    after = SearchDocument.objects.filter(ref=ref).values_list("title", "access_keys").first()
    if before == after:
        return
    # The topic's approval decides who reads its answers, and they show its subject.
    for post in instance.posts.select_related("topic__forum").exclude(pk=instance.first_post_id):
        indexing.index_by_type(DocType.POST, post)


def topic_changed(sender, topic, **kwargs):
    """The forum's own signal for writes that bypass `save()` (`.update()`): the topic is read
    again, the in-memory one may be stale."""
    fresh = type(topic).objects.filter(pk=topic.pk).select_related("forum").first()
    if fresh is None:
        indexing.remove_by_type(DocType.TOPIC, topic.pk)
    else:
        topic_saved(sender, fresh)


def topic_deleted(sender, instance, **kwargs):
    indexing.remove_by_type(DocType.TOPIC, instance.pk)


def post_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    topic = instance.topic
    if topic.first_post_id in (None, instance.pk):
        # machina sets the topic's first post after saving it: index the topic, and drop a
        # possible answer document of the same post.
        indexing.remove_by_type(DocType.POST, instance.pk)
        topic.refresh_from_db()
        indexing.index_by_type(DocType.TOPIC, topic)
        return
    indexing.index_by_type(DocType.POST, instance)


def post_deleted(sender, instance, **kwargs):
    indexing.remove_by_type(DocType.POST, instance.pk)


def organization_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    indexing.index_by_type(DocType.ORGANIZATION, instance)
    for member in instance.users.all():  # their documents mention the organisation
        indexing.index_by_type(DocType.PERSON, member)


def organization_deleted(sender, instance, **kwargs):
    indexing.remove_by_type(DocType.ORGANIZATION, instance.pk)


def user_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields and set(update_fields) <= USER_NOISE_FIELDS):
        return
    indexing.index_by_type(DocType.PERSON, instance)


def user_deleted(sender, instance, **kwargs):
    indexing.remove_by_type(DocType.PERSON, instance.pk)


def user_anonymized(sender, user, former, replacement, **kwargs):
    """The person's document is a tombstone already (inactive accounts are not indexed): it
    keeps no trace of the former identity (`directory.services.erasure`)."""
    from search.models import SearchDocument

    ref = f"{DocType.PERSON}:{user.pk}"
    SearchDocument.objects.filter(ref=ref).update(title=replacement, text="", names="", tags=[])
    replace_everywhere(SearchDocument.objects.all(), ["title", "text"], former, replacement)


def area_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return

    if instance.user_id:
        user = User.objects.filter(pk=instance.user_id).first()
        if user is not None:
            indexing.index_by_type(DocType.PERSON, user)
    if instance.organization_id:
        organization = Organization.objects.filter(pk=instance.organization_id).first()
        if organization is not None:
            indexing.index_by_type(DocType.ORGANIZATION, organization)


def entry_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        indexing.index_by_type(DocType.JOURNAL, instance)


def entry_deleted(sender, instance, **kwargs):
    indexing.remove_by_type(DocType.JOURNAL, instance.pk)


def entry_relations_changed(sender, instance, action, reverse=False, **kwargs):
    """Audience users/organisations and tags change the keys and tags of an entry."""
    if action in ("post_add", "post_remove", "post_clear") and not reverse:
        indexing.index_by_type(DocType.JOURNAL, instance)


def entry_changed(sender, entry, deleted=False, **kwargs):
    """The journal's own signal (sent after commit), a safety net for changes made through
    its services."""
    if deleted:
        indexing.remove_by_type(DocType.JOURNAL, entry.pk)
    else:
        indexing.index_by_type(DocType.JOURNAL, entry)


def action_changed(sender, instance, raw=False, **kwargs):
    """Every change of an action stores a revision (`actions.services`): index it then."""
    if not raw:
        action = Action.objects.filter(pk=instance.action_id).first()
        if action is not None:
            indexing.index_by_type(DocType.ACTION, action)
            # Its journal's messages carry its readers' keys (pilots, operators, department).
            for entry in (
                Entry.objects.filter(action_id=action.pk)
                .select_related("action__department")
                .prefetch_related("action__pilots", "action__operator_rows")
            ):
                indexing.index_by_type(DocType.JOURNAL, entry)


def action_deleted(sender, instance, **kwargs):
    indexing.remove_by_type(DocType.ACTION, instance.pk)


def connect():
    from machina.core.db.models import get_model
    from wagtail.models import PageViewRestriction, get_page_models

    uid = "platform_search"

    anonymized.connect(user_anonymized, dispatch_uid=f"{uid}_user_anonymized")
    for model in get_page_models():
        post_save.connect(page_saved, sender=model, dispatch_uid=f"{uid}_save_{model.__name__}")
        post_delete.connect(
            page_deleted, sender=model, dispatch_uid=f"{uid}_delete_{model.__name__}"
        )
    page_published.connect(page_publication_changed, dispatch_uid=f"{uid}_published")
    for signal, name in ((post_save, "save"), (post_delete, "delete")):
        signal.connect(
            view_restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"{uid}_view_restriction_{name}",
        )
    page_unpublished.connect(page_publication_changed, dispatch_uid=f"{uid}_unpublished")

    topic = get_model("forum_conversation", "Topic")
    post = get_model("forum_conversation", "Post")
    post_save.connect(topic_saved, sender=topic, dispatch_uid=f"{uid}_topic_save")
    forum_topic_changed.connect(topic_changed, dispatch_uid=f"{uid}_topic_changed")
    post_delete.connect(topic_deleted, sender=topic, dispatch_uid=f"{uid}_topic_delete")
    post_save.connect(post_saved, sender=post, dispatch_uid=f"{uid}_post_save")
    post_delete.connect(post_deleted, sender=post, dispatch_uid=f"{uid}_post_delete")

    post_save.connect(organization_saved, sender=Organization, dispatch_uid=f"{uid}_org_save")
    post_delete.connect(organization_deleted, sender=Organization, dispatch_uid=f"{uid}_org_delete")
    post_save.connect(user_saved, sender=User, dispatch_uid=f"{uid}_user_save")
    post_delete.connect(user_deleted, sender=User, dispatch_uid=f"{uid}_user_delete")
    post_save.connect(area_changed, sender=InterventionArea, dispatch_uid=f"{uid}_area_save")
    post_delete.connect(area_changed, sender=InterventionArea, dispatch_uid=f"{uid}_area_delete")

    post_save.connect(action_changed, sender=ActionRevision, dispatch_uid=f"{uid}_action_save")
    post_delete.connect(action_deleted, sender=Action, dispatch_uid=f"{uid}_action_delete")

    post_save.connect(entry_saved, sender=Entry, dispatch_uid=f"{uid}_entry_save")
    post_delete.connect(entry_deleted, sender=Entry, dispatch_uid=f"{uid}_entry_delete")
    for field in Entry._meta.many_to_many:
        m2m_changed.connect(
            entry_relations_changed,
            sender=field.remote_field.through,
            dispatch_uid=f"{uid}_entry_m2m_{field.name}",
        )
    journal_entry_changed.connect(entry_changed, dispatch_uid=f"{uid}_entry_changed")
