"""Names come from users, in any script: each is shown isolated from the text around it, so a
right-to-left name (or one holding U+202E, the right-to-left override) cannot turn round the
breadcrumb, the heading or the label it sits in."""

from __future__ import annotations

from markupsafe import Markup, escape

FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"


def bdi(value: object, empty: str = "(no name)") -> Markup:
    """The value escaped, in a `<bdi>` element (HTML text); `empty` when there is none."""
    text = "" if value is None else str(value)
    if not text:
        return Markup('<span class="muted">%s</span>') % empty
    return Markup("<bdi>%s</bdi>") % escape(text)


def isolated(value: object) -> str:
    """The value between U+2068 and U+2069, for where no element may go: the page's title, an
    attribute, the dashboard drawing's SVG text. Escaped by the template as any text."""
    text = "" if value is None else str(value)
    return f"{FIRST_STRONG_ISOLATE}{text}{POP_DIRECTIONAL_ISOLATE}" if text else text
