"""What gets indexed: one `Source` per content type, turning an object into a search document.

`build(obj)` returns the document's fields, or None when the object must not be searchable
(unpublished page, unapproved... handled through keys, inactive account, deleted entry).
Sensitive site fields (owners, justice and police procedures) are never part of a document.
"""

import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F
from django.urls import NoReverseMatch, reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from actions.models import Action
from directory.enums import TerritoryLevel, UserStatus
from directory.enums import Topic as Theme
from directory.models import InterventionArea, Organization, User
from journal.models import Entry
from search import access
from search.enums import DocStatus, DocType
from sitepages.models import SitePage

#: labels of the tag values documents carry (forum themes, site markers, journal tags)
EXTRA_TAG_LABELS = {"heatwave": _("Heatwave alert")}


def tag_label(value: str) -> str:
    labels = dict(Theme.choices)
    if value in labels:
        return str(labels[value])
    if value in EXTRA_TAG_LABELS:
        return str(EXTRA_TAG_LABELS[value])
    return value.replace("_", " ").capitalize()


def normalize(text: str) -> str:
    """Lower case, no accents, single spaces: what trigram matching compares."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"\s+", " ", stripped).strip().lower()


def join(*parts) -> str:
    return "\n".join(str(part).strip() for part in parts if part and str(part).strip())


def _territory_fields(commune=None, department=None, region_code="") -> dict:
    fields = {"commune_code": "", "commune_name": "", "department_code": "", "region_code": ""}
    if commune is not None:
        fields.update(commune_code=commune.code, commune_name=commune.name)
        department = commune.department
    if department is not None:
        fields.update(department_code=department.code, region_code=department.region_id)
    elif region_code:
        fields["region_code"] = region_code
    return fields


@dataclass(frozen=True)
class Source:
    doc_type: str

    def ref(self, obj) -> str:
        return f"{self.doc_type}:{obj.pk}"

    def build(self, obj) -> dict | None:
        raise NotImplementedError

    def all_objects(self) -> Iterable:
        raise NotImplementedError

    def count(self) -> int:
        return self.all_objects().count()


# --- Sites ------------------------------------------------------------------------------------


class SiteSource(Source):
    def all_objects(self):
        return SitePage.objects.select_related("commune__department").order_by("pk")

    def build(self, site):
        if not site.live:
            return None
        if site.closed_at is None:
            status = DocStatus.OPEN
        elif site.closed_with_solutions:
            status = DocStatus.RESORBED
        else:
            status = DocStatus.CLOSED
        date = site.updated_at or site.declared_at
        return {
            "title": site.title,
            # Never owners, justice, police or eviction details: they need other rights.
            "text": join(
                site.name,
                site.address,
                site.access_details,
                site.reinstallation_comments,
                site.water_comments,
                site.pests_details,
                site.closing_context,
            ),
            **_territory_fields(commune=site.commune),
            "date": date,
            "status": status,
            "tags": ["heatwave"] if site.heatwave else [],
            "access_keys": access.site_keys(site),
            "url": site.url or site.url_path,
        }


# --- Actions ----------------------------------------------------------------------------------


class ActionSource(Source):
    """Resorption actions: name, goals, topics, operators, department — never finances."""

    def all_objects(self):
        return (
            Action.objects.select_related("department")
            .prefetch_related("pilots", "operator_rows__organization")
            .order_by("pk")
        )

    def build(self, action):
        operators = [row.organization for row in action.operator_rows.all()]
        return {
            "title": action.name,
            "text": join(
                action.goals,
                ", ".join(action.topic_labels()),
                *(join(o.name, o.abbreviation) for o in operators),
                action.department.name,
            ),
            **_territory_fields(department=action.department),
            "date": action.started_at,
            "status": "",
            "tags": [],
            "access_keys": access.action_keys(action),
            "url": action.get_absolute_url(),
        }


# --- Editorial pages --------------------------------------------------------------------------


#: elements after which text continues as a new word ("<p>sites</p><p>la" is "sites la")
_BLOCK_BOUNDARY = re.compile(
    r"(<br\s*/?>|<hr\s*/?>|</?(?:p|div|h[1-6]|li|ul|ol|dl|dt|dd|blockquote|pre|table|tr|td|th"
    r"|caption|section|article|header|footer|figure|figcaption)(?:\s[^>]*)?>)",
    re.IGNORECASE,
)


def html_to_text(value: str) -> str:
    """Plain text of an HTML fragment: tags removed, a space wherever a block element ends."""
    spaced = _BLOCK_BOUNDARY.sub(r" \1 ", value or "")
    return re.sub(r"\s+", " ", html.unescape(strip_tags(spaced))).strip()


def _block_text(block, value) -> list[str]:
    """The readable text of one StreamField block: its text fields only, never its id or type.

    Rich text goes through `html_to_text`; structures, lists and nested streams are walked
    child by child; other blocks give what Wagtail indexes for them (nothing for links,
    images, documents or page choosers).
    """
    from wagtail import blocks

    if value is None:
        return []
    if isinstance(block, blocks.RichTextBlock):
        return [html_to_text(getattr(value, "source", value))]
    if isinstance(block, blocks.StructBlock):
        return [
            text
            for name, child in block.child_blocks.items()
            for text in _block_text(child, value.get(name))
        ]
    if isinstance(block, blocks.ListBlock):
        return [text for item in value for text in _block_text(block.child_block, item)]
    if isinstance(block, blocks.StreamBlock):
        return stream_text(value)
    return [str(text) for text in block.get_searchable_content(value)]


def stream_text(stream) -> list[str]:
    """The text of a StreamField value, block by block, in reading order."""
    return [text for child in stream for text in _block_text(child.block, child.value)]


def markup_text(rendered_html: str, source: str = "") -> str:
    """Plain text of content written in Markdown: from its rendered HTML, not its source."""
    if rendered_html:
        return html_to_text(rendered_html)
    return source or ""


class PageSource(Source):
    """Public, live Wagtail pages (home, guides, content pages), readable by every member."""

    EXCLUDED = {"sitepages.sitepage", "sitepages.siteindexpage"}

    def all_objects(self):
        from wagtail.models import Page

        return Page.objects.filter(depth__gt=1).order_by("pk")

    def is_indexed_type(self, page) -> bool:
        meta = page.specific_class._meta if page.specific_class else page._meta
        return f"{meta.app_label}.{meta.model_name}" not in self.EXCLUDED

    def build(self, page):
        if not self.is_indexed_type(page):
            return None
        page = page.specific
        if not page.live or page.depth <= 1 or page.get_view_restrictions().exists():
            return None
        parts = [page.search_description]
        for name in ("intro", "body", "content", "outro"):
            value = getattr(page, name, None)
            if value is None:
                continue
            if hasattr(value, "raw_data"):  # StreamField
                parts += stream_text(value)
            else:
                parts.append(html_to_text(str(value)))
        date = page.last_published_at or page.first_published_at
        return {
            "title": page.title,
            "text": join(*parts),
            **_territory_fields(),
            "date": date.date() if date else None,
            "status": "",
            "tags": [],
            "access_keys": [access.PUBLIC],
            "url": page.url or page.url_path,
        }


# --- Forum ------------------------------------------------------------------------------------


def _topic_url(topic) -> str:
    return reverse(
        "forum_conversation:topic",
        kwargs={
            "forum_slug": topic.forum.slug,
            "forum_pk": topic.forum_id,
            "slug": topic.slug,
            "pk": topic.pk,
        },
    )


def _post_text(post) -> str:
    """A forum post's text from its rendered HTML (machina stores it beside the Markdown)."""
    content = post.content
    return markup_text(str(getattr(content, "rendered", "") or ""), content.raw)


def _forum_keys(*approvals) -> list[str]:
    """Approved content: every member; awaiting approval: moderators only."""
    return [access.FORUM_MEMBER if all(approvals) else access.FORUM_MODERATOR]


class TopicSource(Source):
    def all_objects(self):
        from machina.core.db.models import get_model

        Topic = get_model("forum_conversation", "Topic")  # noqa: N806
        return Topic.objects.select_related("forum", "first_post").order_by("pk")

    def build(self, topic):
        first_post = topic.first_post
        if not topic.approved:
            status = DocStatus.PENDING_APPROVAL
        else:
            status = DocStatus.SOLVED if topic.solved_post_id else DocStatus.UNSOLVED
        return {
            "title": topic.subject,
            "text": join(topic.forum.name, _post_text(first_post) if first_post else ""),
            **_territory_fields(),
            "date": topic.created.date() if topic.created else None,
            "status": status,
            "tags": list(topic.tags or []),
            "access_keys": _forum_keys(topic.approved),
            "url": _topic_url(topic),
        }


class PostSource(Source):
    """Answers (every post but a topic's first one, which is part of the topic document)."""

    def all_objects(self):
        from machina.core.db.models import get_model

        Post = get_model("forum_conversation", "Post")  # noqa: N806
        return (
            Post.objects.select_related("topic__forum")
            .exclude(topic__first_post_id=F("pk"))
            .order_by("pk")
        )

    def build(self, post):
        topic = post.topic
        if topic.first_post_id in (None, post.pk):
            return None
        return {
            "title": topic.subject,
            "text": _post_text(post),
            **_territory_fields(),
            "date": post.created.date() if post.created else None,
            "status": DocStatus.PENDING_APPROVAL if not post.approved else "",
            "tags": list(topic.tags or []),
            "access_keys": _forum_keys(topic.approved, post.approved),
            "url": f"{_topic_url(topic)}#{post.pk}",
        }


# --- Directory --------------------------------------------------------------------------------


def _main_area_fields(areas) -> dict:
    main = next((area for area in areas if area.is_main), None) or (areas[0] if areas else None)
    if main is None or main.level == TerritoryLevel.NATION:
        return _territory_fields()
    if main.level == TerritoryLevel.COMMUNE:
        return _territory_fields(commune=main.commune)
    if main.level == TerritoryLevel.DEPARTMENT:
        return _territory_fields(department=main.department)
    if main.level == TerritoryLevel.REGION:
        return _territory_fields(region_code=main.region_id)
    return _territory_fields()


def _areas(**owner):
    return list(
        InterventionArea.objects.filter(**owner).select_related("commune__department", "department")
    )


class OrganizationSource(Source):
    def all_objects(self):
        return Organization.objects.select_related("type").order_by("pk")

    def build(self, organization):
        if not organization.is_active:
            return None
        return {
            "title": organization.name,
            "text": join(
                organization.abbreviation,
                organization.type.name if organization.type_id else "",
                organization.get_category_display(),
            ),
            **_main_area_fields(_areas(organization=organization)),
            "date": organization.created_at.date() if organization.created_at else None,
            "status": "",
            "tags": [],
            "access_keys": [access.DIRECTORY],
            "url": _reverse("directory_organization", organization.pk),
        }


class PersonSource(Source):
    def all_objects(self):
        return User.objects.select_related("organization").order_by("pk")

    def build(self, user):
        if not (user.is_active and user.status == UserStatus.ACTIVE):
            return None
        areas = _areas(user=user) or (
            _areas(organization_id=user.organization_id) if user.organization_id else []
        )
        return {
            "title": f"{user.first_name} {user.last_name}".strip() or user.email,
            "text": join(
                user.position,
                user.organization.name if user.organization_id else "",
                *[str(dict(Theme.choices).get(topic, "")) for topic in user.expertise_topics or []],
            ),
            **_main_area_fields(areas),
            "date": user.date_joined.date() if user.date_joined else None,
            "status": "",
            "tags": list(user.expertise_topics or []),
            "access_keys": [access.DIRECTORY],
            "url": _reverse("directory_person", user.pk),
        }


def _reverse(name, pk) -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:  # pragma: no cover - the directory URLs are always mounted
        return ""


# --- Journal ------------------------------------------------------------------------------------


class JournalSource(Source):
    def all_objects(self):
        # What `build` and the access keys read, fetched with the entries (a rebuild of the
        # national data would otherwise cost four queries per message).
        return (
            Entry.objects.select_related("site__commune__department", "action__department")
            .prefetch_related(
                "tags",
                "audience_users",
                "audience_organizations",
                "action__pilots",
                "action__operator_rows",
            )
            .order_by("pk")
        )

    def build(self, entry):
        keys = access.journal_entry_keys(entry)
        if not keys:
            return None
        target = entry.target
        tags = getattr(entry, "tags", None)
        if hasattr(tags, "all"):
            tags = [tag.name for tag in tags.all()]
        created = getattr(entry, "created_at", None)
        state = getattr(entry, "state", "published")
        return {
            "title": str(_("Journal: %(site)s") % {"site": entry.target_title}),
            "text": markup_text(
                getattr(entry, "text_html", "") or "", getattr(entry, "text", "") or ""
            ),
            **(
                _territory_fields(department=target.department)
                if entry.action_id
                else _territory_fields(commune=target.commune)
            ),
            "date": created.date() if created else None,
            "status": DocStatus.HIDDEN if state == "hidden" else "",
            "tags": [str(tag)[:50] for tag in tags or []],
            "access_keys": keys,
            "url": entry.get_absolute_url(),
        }


SOURCES: dict[str, Source] = {
    DocType.SITE: SiteSource(DocType.SITE),
    DocType.ACTION: ActionSource(DocType.ACTION),
    DocType.PAGE: PageSource(DocType.PAGE),
    DocType.TOPIC: TopicSource(DocType.TOPIC),
    DocType.POST: PostSource(DocType.POST),
    DocType.ORGANIZATION: OrganizationSource(DocType.ORGANIZATION),
    DocType.PERSON: PersonSource(DocType.PERSON),
    DocType.JOURNAL: JournalSource(DocType.JOURNAL),
}
