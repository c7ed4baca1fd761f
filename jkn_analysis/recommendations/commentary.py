"""The analyst's commentary (Markdown) as safe HTML for the report (`render_markdown`)."""

from __future__ import annotations

import re
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markupsafe import Markup

SAFE_HREF = re.compile(r"^(?:https?|mailto):", re.IGNORECASE)


def _strip_unsafe_links(state) -> None:
    """Keep a link's text; drop the link itself unless it goes to http(s) or mailto."""
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        children = []
        dropping = False
        for child in token.children:
            if child.type == "link_open":
                href = str(child.attrs.get("href", ""))
                if not SAFE_HREF.match(href):
                    dropping = True
                    continue
                child.attrs = {"href": href}  # nothing else: no title, no target
            elif child.type == "link_close" and dropping:
                dropping = False  # links do not nest in CommonMark
                continue
            children.append(child)
        token.children = children


def _image_as_alt_text(self, tokens, idx, options, env) -> str:
    """An image is shown as its alt text: the report fetches nothing."""
    return escapeHtml(self.renderInlineAsText(tokens[idx].children or [], options, env))


def _heading_open(self, tokens, idx, options, env) -> str:
    return '<p class="commentary-heading"><strong>'


def _heading_close(self, tokens, idx, options, env) -> str:
    return "</strong></p>\n"


@cache
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False})
    # Every link is parsed (so that its text is kept), then unsafe ones lose their href.
    md.validateLink = lambda url: True
    md.core.ruler.push("jkn_safe_links", _strip_unsafe_links)
    md.add_render_rule("image", _image_as_alt_text)
    md.add_render_rule("heading_open", _heading_open)
    md.add_render_rule("heading_close", _heading_close)
    return md


def render_markdown(text: str) -> Markup:
    """Analyst Markdown (CommonMark) as safe HTML for the report.

    Raw HTML is escaped and shown as text; images become their alt text; links keep their
    text, with an ``href`` only for ``http:``, ``https:`` and ``mailto:`` addresses; headings
    become bold paragraphs so that they stay out of the report's outline.
    """
    return Markup(_markdown().render(text or ""))
