"""The page shell's header and footer, rendered once per look and reused.

Every page repeats the same header (the navigation, the member's menu) and footer (the
language switcher, the scripts). Rendering them costs some forty translations, thirty
URLs and a few macros: as much as a small page's own content. What they show depends on
a handful of values: the language, who is logged in and under which name, the section
of the site, the unread and flagged counts. So each combination is rendered once per
process and kept in a bounded LRU (``shell_fragments``), keyed by all of those values:
a changed name or count is a new key, never a stale page.

Two things differ on every request and are put in per request: the CSRF token (the
log-out and language forms) and the page's own address (where the language switcher
comes back to). The templates write them as ``SlotMarks`` (``shell_csrf``,
``shell_next``): per-process random marks that no member can type.

The header's badges (the unread count, the moderation queue) belong to the features
that count them: each registers its count with ``register_badge``.

A page whose own part is HTML already (the room page, a thread, a profile...) may keep
its whole shell too, ``<head>`` and scripts included (``kept_page``), once per kind of
page and language for all readers: its title, content, header, footer and the reader's
id are marks there, put in per request like the token (the header and footer from their
own kept copies).

In debug mode (the development server reloads templates) nothing is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from flask import current_app, render_template, request, session
from flask_login import current_user
from markupsafe import Markup, escape

from hallway.core.forms import csrf_token
from hallway.core.fragment_cache import FragmentCache, SlotMarks
from hallway.core.i18n import current_locale_name

#: Kept headers and footers: one per language x viewer x section x counts in use.
shell_fragments = FragmentCache(max_entries=4_096, max_bytes=16 * 1024 * 1024)

_SHELL_SLOTS = SlotMarks("csrf", "next")
#: Where a kept page's per-request parts go (``kept_page``).
_PAGE_SLOTS = SlotMarks("csrf", "title", "content", "header", "footer", "viewer_id")
CSRF_MARKER = _SHELL_SLOTS["csrf"]
NEXT_MARKER = _SHELL_SLOTS["next"]

#: The header's badges: name -> this request's count, or None where the viewer has no
#: such link (registered by features at start-up; _site_header.html names them).
_badges: dict[str, Callable[[], int | None]] = {}


def register_badge(name: str, count: Callable[[], int | None]) -> None:
    """Show ``count()`` in the header as the badge ``name`` (registering again replaces)."""
    _badges[name] = count


def header_badges() -> tuple[tuple[str, int | None], ...]:
    """Each badge's count for this request, by name."""
    return tuple(sorted((name, count()) for name, count in _badges.items()))


def nav_section() -> str | None:
    """Which main navigation link is the current page ("aria-current"), if any."""
    endpoint = request.endpoint or ""
    blueprint = request.blueprint
    if blueprint == "discussions":
        return "discussions"
    if endpoint == "members.directory":
        return "members"
    if blueprint == "events":
        return "events"
    if endpoint == "matching.people":
        return "people"
    if blueprint == "notifications" and endpoint != "notifications.preferences":
        return "notifications"
    if endpoint == "moderation.queue":
        return "moderation"
    return None


def viewer_id() -> int | None:
    """The logged-in member's id (``data-user-id`` on ``<body>``), None for visitors."""
    return current_user.id if current_user.is_authenticated else None


def _viewer() -> tuple[int, str, str] | None:
    """What of the logged-in member the header shows: their id, name and handle."""
    if not current_user.is_authenticated:
        return None
    return (current_user.id, current_user.display_name, current_user.handle)


def site_header() -> Markup:
    """The skip link and the site header, with its badges (``header_badges``)."""
    badges = header_badges()
    key = ("header", request.script_root, current_locale_name(), _viewer(), nav_section(), badges)
    return _kept("_site_header.html", key, {"section": key[4], **dict(badges)})


def site_footer() -> Markup:
    """The site footer with its language switcher."""
    key = ("footer", request.script_root, current_locale_name())
    return _kept("_site_footer.html", key, {})


def _kept(template: str, key: Hashable, variables: dict[str, object]) -> Markup:
    kept = shell_fragments.get(key, ())
    if kept is None:
        html = render_template(
            template, shell_csrf=CSRF_MARKER, shell_next=NEXT_MARKER, **variables
        )
        kept = _SHELL_SLOTS.split(html)
        if not current_app.debug:
            shell_fragments.put(key, (), kept, size=len(kept))
    values = {"csrf": csrf_token()}
    if "next" in kept.names:
        values["next"] = escape(request.full_path.rstrip("?"))
    return kept.fill(values)


def kept_page(template: str, *, title: str, content: Markup) -> Markup:
    """``template`` (a shell extending base.html that shows ``title`` and ``content``)
    kept whole per language and logged-in-or-not: the title, the content, the reader's
    token and id, the header and the footer are put in per request.

    A page with flashed messages to show is rendered as usual (they are read once)."""
    if current_app.debug or session.get("_flashes"):
        return Markup(render_template(template, title=title, content=content))
    authenticated = bool(current_user.is_authenticated)
    key = ("page", template, request.script_root, current_locale_name(), authenticated)
    kept = shell_fragments.get(key, ())
    if kept is None:
        html = render_template(
            template,
            title=_PAGE_SLOTS["title"],
            content=_PAGE_SLOTS["content"],
            csrf_token=lambda: _PAGE_SLOTS["csrf"],
            site_header=lambda: _PAGE_SLOTS["header"],
            site_footer=lambda: _PAGE_SLOTS["footer"],
            viewer_id=lambda: _PAGE_SLOTS["viewer_id"],
        )
        kept = _PAGE_SLOTS.split(html)
        shell_fragments.put(key, (), kept, size=len(kept))
    return kept.fill(
        {
            "csrf": csrf_token(),
            "title": escape(title),
            "content": content,
            "header": site_header(),
            "footer": site_footer(),
            "viewer_id": str(viewer_id()),
        }
    )
