"""Content blocks (sites-faciles style): one class per DSFR component, each with its template,
icon and preview value. Templates live in `cms/templates/cms/blocks/`."""

import uuid

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "link", "document-link", "ol", "ul"]
SHORT_RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Rich text")
        template = "cms/blocks/paragraph.html"
        preview_value = (
            "<h2>Résorber plutôt qu’évacuer</h2><p>La plateforme aide les acteurs à agir sur "
            "chaque site, de son installation à sa disparition.</p>"
        )
        description = _("Headings, paragraphs, lists and links.")


class LinkBlock(blocks.StructBlock):
    """A link to a page of the site or to an address, with a label."""

    label = blocks.CharBlock(label=_("Link text"), required=False, max_length=120)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("Or an address"), required=False)

    class Meta:
        icon = "link"
        label = _("Link")
        form_classname = "struct-block"

    def clean(self, value):
        value = super().clean(value)
        if value.get("label") and not value.get("page") and not value.get("url"):
            raise StructBlockValidationError(
                block_errors={"page": ValidationError(_("Choose a page or give an address."))}
            )
        return value


def link_href(value) -> str:
    page = value.get("page")
    if page is not None:
        return page.url or ""
    return value.get("url") or ""


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=150)
    text = blocks.TextBlock(label=_("Text"), max_length=1000)
    link = LinkBlock(label=_("Button"), required=False)

    class Meta:
        icon = "info-circle"
        label = _("Callout")
        template = "cms/blocks/callout.html"
        preview_value = {
            "title": "Une charte d’engagement",
            "text": "Chaque utilisateur signe la charte : l’objectif est la résorption, pas "
            "l’évacuation.",
        }
        description = _("A highlighted message, with an optional button.")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        link = value.get("link")
        href = link_href(link) if link and (link.get("page") or link.get("url")) else ""
        context["callout"] = {
            "title": value.get("title") or "",
            "text": value.get("text") or "",
            "heading_tag": "h2",
            "icon_class": "fr-icon-information-line",
            "extra_classes": "fr-mb-4w",
        }
        if href:
            context["callout"]["button"] = {
                "url": href,
                "label": link.get("label") or _("Read more"),
            }
        return context


class AccordionItemBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    content = blocks.RichTextBlock(label=_("Content"), features=SHORT_RICH_TEXT_FEATURES)

    class Meta:
        icon = "list-ul"
        label = _("Accordion item")


class UniqueIdMixin:
    """Gives the template a `uid` unique in the page, for `id` / `aria-controls` pairs."""

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["uid"] = uuid.uuid4().hex[:8]
        return context


class AccordionBlock(UniqueIdMixin, blocks.StructBlock):
    title = blocks.CharBlock(
        label=_("Heading above the accordions"), required=False, max_length=150
    )
    items = blocks.ListBlock(AccordionItemBlock(), label=_("Items"), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("Accordions")
        template = "cms/blocks/accordion.html"
        preview_value = {
            "title": "Questions fréquentes",
            "items": [
                {"title": "Qui peut accéder à la plateforme ?", "content": "<p>Les acteurs…</p>"},
                {"title": "Comment demander un accès ?", "content": "<p>Par le formulaire…</p>"},
            ],
        }
        description = _("Questions and answers that unfold.")


class TableRowBlock(blocks.StructBlock):
    cells = blocks.ListBlock(blocks.CharBlock(label=_("Cell"), max_length=300), label=_("Cells"))

    class Meta:
        icon = "table"
        label = _("Row")


class TableBlock(blocks.StructBlock):
    """A simple data table: a caption (required for accessibility), column headers and rows."""

    caption = blocks.CharBlock(label=_("Caption"), max_length=200)
    headers = blocks.ListBlock(
        blocks.CharBlock(label=_("Header"), max_length=100), label=_("Column headers"), min_num=1
    )
    rows = blocks.ListBlock(TableRowBlock(), label=_("Rows"))

    class Meta:
        icon = "table"
        label = _("Table")
        template = "cms/blocks/table.html"
        preview_value = {
            "caption": "Étapes d’une demande d’accès",
            "headers": ["Étape", "Qui", "Délai"],
            "rows": [
                {"cells": ["Demande", "Vous", "—"]},
                {"cells": ["Décision", "Administrateur local", "Quelques jours"]},
            ],
        }
        description = _("Rows and columns, with a caption.")


class FigureBlock(blocks.StructBlock):
    image = ImageBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "cms/blocks/image.html"
        preview_value = {"caption": "Légende de l’image"}
        description = _("An image with its text alternative and a caption.")


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(
        label=_("Link text"),
        required=False,
        max_length=200,
        help_text=_("The document's title when left empty."),
    )

    class Meta:
        icon = "doc-full"
        label = _("Document download")
        template = "cms/blocks/document.html"
        preview_value = {"title": "Guide de l’administrateur local"}
        description = _("A link to download a document, with its format and size.")


class VideoLinkBlock(UniqueIdMixin, blocks.StructBlock):
    """A link to a video (no embedded third-party player: no tracking, no foreign script)."""

    title = blocks.CharBlock(label=_("Title"), max_length=200)
    url = blocks.URLBlock(label=_("Video address"))
    duration = blocks.CharBlock(
        label=_("Duration"), required=False, max_length=20, help_text=_("For example: 4 min")
    )
    transcript = blocks.TextBlock(
        label=_("Transcript"),
        required=False,
        help_text=_("What is said and shown in the video, for those who cannot watch it."),
    )

    class Meta:
        icon = "media"
        label = _("Video link")
        template = "cms/blocks/video.html"
        preview_value = {
            "title": "Présentation de la plateforme",
            "url": "https://video.example.org/presentation",
            "duration": "4 min",
            "transcript": "La plateforme Résorption-bidonvilles…",
        }
        description = _("A link to a video with its transcript.")


class TileBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=100)
    description = blocks.CharBlock(label=_("Description"), required=False, max_length=250)
    link = LinkBlock(label=_("Link"))

    def clean(self, value):
        value = super().clean(value)
        link = value.get("link") or {}
        if not link.get("page") and not link.get("url"):
            raise StructBlockValidationError(
                block_errors={"link": ValidationError(_("Choose a page or give an address."))}
            )
        return value

    class Meta:
        icon = "link"
        label = _("Tile")


class LinkTilesBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Heading"), required=False, max_length=150)
    tiles = blocks.ListBlock(TileBlock(), label=_("Tiles"), min_num=1)

    class Meta:
        icon = "grip"
        label = _("Link tiles")
        template = "cms/blocks/tiles.html"
        preview_value = {
            "title": "Découvrir",
            "tiles": [
                {
                    "title": "Statistiques",
                    "description": "Les chiffres publics",
                    "link": {"label": "Statistiques", "url": "/statistiques/"},
                },
                {
                    "title": "Questions fréquentes",
                    "description": "Les idées reçues passées au crible",
                    "link": {"label": "FAQ", "url": "/questions-frequentes/"},
                },
            ],
        }
        description = _("Tiles linking to pages.")


class KeyFiguresBlock(blocks.StructBlock):
    """The headline public statistics (suppressed like the statistics page)."""

    title = blocks.CharBlock(label=_("Heading"), required=False, max_length=150)
    statistics_page = blocks.PageChooserBlock(
        label=_("Statistics page"), required=False, page_type="cms.StatisticsPage"
    )

    class Meta:
        icon = "order"
        label = _("Key figures")
        template = "cms/blocks/key_figures.html"
        preview_value = {"title": "La résorption en chiffres"}
        description = _("Open sites, people, minors in school, departments: computed hourly.")

    def get_context(self, value, parent_context=None):
        from cms import statistics

        context = super().get_context(value, parent_context)
        context["figures"] = statistics.public_statistics()
        page = value.get("statistics_page")
        context["statistics_url"] = page.url if page else ""
        return context


class FaqQuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=250)
    short_answer = blocks.CharBlock(
        label=_("Short answer"), required=False, max_length=150, help_text=_("For example: No!")
    )
    answer = blocks.RichTextBlock(label=_("Answer"), features=SHORT_RICH_TEXT_FEATURES)

    class Meta:
        icon = "help"
        label = _("Question")


class FaqGroupBlock(UniqueIdMixin, blocks.StructBlock):
    title = blocks.CharBlock(label=_("Group title"), max_length=150)
    questions = blocks.ListBlock(FaqQuestionBlock(), label=_("Questions"), min_num=1)

    class Meta:
        icon = "help"
        label = _("Group of questions")
        template = "cms/blocks/faq_group.html"
        preview_value = {
            "title": "Idées reçues",
            "questions": [
                {
                    "question": "« C’est la plateforme de la Dihal »",
                    "short_answer": "En partie, mais pas que…",
                    "answer": "<p>Elle est conçue pour tous ses utilisateurs.</p>",
                }
            ],
        }
        description = _("Questions and answers under a heading, as accordions.")
