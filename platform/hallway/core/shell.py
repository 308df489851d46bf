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

In debug mode (the development server reloads templates) nothing is kept.
"""

from __future__ import annotations

from collections.abc import Hashable

from flask import current_app, render_template, request
from flask_login import current_user
from markupsafe import Markup, escape

from hallway.core.forms import csrf_token
from hallway.core.fragment_cache import FragmentCache, SlotMarks
from hallway.core.i18n import current_locale_name

#: Kept headers and footers: one per language x viewer x section x counts in use.
shell_fragments = FragmentCache(max_entries=4_096, max_bytes=16 * 1024 * 1024)

_SHELL_SLOTS = SlotMarks("csrf", "next")
CSRF_MARKER = _SHELL_SLOTS["csrf"]
NEXT_MARKER = _SHELL_SLOTS["next"]


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


def _viewer() -> tuple[int, str, str] | None:
    """What of the logged-in member the header shows: their id, name and handle."""
    if not current_user.is_authenticated:
        return None
    return (current_user.id, current_user.display_name, current_user.handle)


def site_header(**counts: int | None) -> Markup:
    """The skip link and the site header; ``counts`` are the badges it shows
    (``unread``, ``flagged``: None where the viewer has no such link)."""
    key = (
        "header",
        request.script_root,
        current_locale_name(),
        _viewer(),
        nav_section(),
        tuple(sorted(counts.items())),
    )
    return _kept("_site_header.html", key, {"section": key[4], **counts})


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
