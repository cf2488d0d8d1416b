"""StreamField blocks of the editorial pages, each rendered with the State design system."""

from cms.blocks.content import (
    AccordionBlock,
    CalloutBlock,
    DocumentBlock,
    FaqGroupBlock,
    FigureBlock,
    KeyFiguresBlock,
    LinkTilesBlock,
    ParagraphBlock,
    TableBlock,
    VideoLinkBlock,
)

#: Blocks of help guides and other long-form content.
GUIDE_BLOCKS = [
    ("paragraph", ParagraphBlock()),
    ("callout", CalloutBlock()),
    ("accordion", AccordionBlock()),
    ("table", TableBlock()),
    ("image", FigureBlock()),
    ("document", DocumentBlock()),
    ("video", VideoLinkBlock()),
]

#: Blocks of the home page: the guide blocks, tiles linking the main pages, key figures.
HOME_BLOCKS = [
    *GUIDE_BLOCKS,
    ("tiles", LinkTilesBlock()),
    ("key_figures", KeyFiguresBlock()),
]

FAQ_BLOCKS = [("group", FaqGroupBlock())]

__all__ = [
    "FAQ_BLOCKS",
    "GUIDE_BLOCKS",
    "HOME_BLOCKS",
    "AccordionBlock",
    "CalloutBlock",
    "DocumentBlock",
    "FaqGroupBlock",
    "FigureBlock",
    "KeyFiguresBlock",
    "LinkTilesBlock",
    "ParagraphBlock",
    "TableBlock",
    "VideoLinkBlock",
]
