"""The one Markdown pipeline for every piece of user-written text.

Posts, replies, bios and messages all go through `render_markdown`, so there is a single
place that decides what user HTML may contain. Two layers keep it safe:

1. markdown-it-py with raw HTML off (typed tags come out escaped, visibly), links limited to
   http, https, mailto and relative URLs, headings demoted, images turned into links and
   ``@handle`` mentions found on the token stream (never by regex over HTML).
2. nh3 (ammonia) with a small allow-list, as a second wall should layer 1 ever let
   something through.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from html.parser import HTMLParser
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup

MentionUrl = Callable[[str], str | None]

ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})

# A handle is 3-30 of these characters; matching is on ASCII only so that Unicode case
# folding (e.g. the Kelvin sign) can never produce a handle that differs from what is stored.
# The look-behind keeps "me@example.org", "@@x" and "https://host/@x" from counting.
MENTION_PATTERN = re.compile(r"(?<![\w@/])@([A-Za-z0-9_-]{3,30})(?![A-Za-z0-9_-])")

LONE_SURROGATE_PATTERN = re.compile("[\ud800-\udfff]")

LANGUAGE_CLASS_PATTERN = re.compile(r"language-[\w-]+")

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td", "span",
}  # fmt: skip

ALLOWED_ATTRIBUTES = {"a": {"href", "title", "class"}, "code": {"class"}}

LINK_REL = "nofollow ugc noopener"

# Headings start two levels down so a user's top heading (h3) never outranks the page's
# own h1/h2; the levels a text uses follow on without gaps, capped at h6.
HEADING_SHIFT = 2

BLOCK_TAGS_FOR_EXCERPT = {
    "p", "br", "hr", "pre", "blockquote", "ul", "ol", "li",
    "h3", "h4", "h5", "h6", "table", "tr", "th", "td",
}  # fmt: skip


def render_markdown(text: str | None, *, mention_url: MentionUrl | None = None) -> Markup:
    """Render user Markdown to HTML that is safe to put into a page as-is.

    `mention_url(handle)` returns the profile URL for a known lowercase handle, or None
    to leave the ``@handle`` as plain text (unknown member, or no one to link to).
    """
    if not text:
        return Markup("")
    env: dict[str, Any] = {"mention_url": mention_url}
    rendered_html = _markdown.render(text, env)
    # A lone surrogate (from broken client encoding) cannot be encoded as UTF-8 and would
    # make nh3 raise; show it as the replacement character instead.
    rendered_html = LONE_SURROGATE_PATTERN.sub("\ufffd", rendered_html)
    return Markup(_cleaner.clean(rendered_html))


def extract_mentions(text: str | None) -> list[str]:
    """Lowercase handles mentioned in `text`, unique, in order of first mention.

    Uses the same parse as rendering, so whatever renders as a mention is exactly what
    gets notified: nothing inside code or links, nothing that is part of an email address.
    """
    if not text:
        return []
    handles: list[str] = []
    for block_token in _markdown.parse(text, {}):
        for token in block_token.children or []:
            if token.type == "mention" and token.meta["handle"] not in handles:
                handles.append(token.meta["handle"])
    return handles


def render_plain_excerpt(text: str | None, length: int = 200) -> str:
    """Plain text (no tags, no Markdown syntax) of at most `length` characters.

    For list pages and notification emails. The result is not escaped: let the template or
    email library escape it like any other string.
    """
    if not text or length < 1:
        return ""
    collector = _TextCollector()
    collector.feed(str(render_markdown(text)))
    collector.close()
    plain = " ".join("".join(collector.parts).split())
    if len(plain) <= length:
        return plain
    cut = plain[: length - 1]
    # Prefer ending on a word boundary unless that would throw away most of the excerpt.
    last_space = cut.rfind(" ")
    if last_space > length // 2:
        cut = cut[:last_space]
    return cut.rstrip() + "…"


def _is_allowed_link(url: str) -> bool:
    """Allow relative URLs and the allowed schemes; refuse javascript:, data: and the rest.

    markdown-it has already decoded entities and percent-encoded whitespace and control
    characters here, so "jav&#x09;ascript:" arrives as "jav%09ascript:" and is refused for
    its colon. Decoding once more also refuses entities without semicolons
    ("&#106&#97...:"), which CommonMark leaves alone but a lenient consumer might decode.
    """
    first_segment = re.split(r"[/?#]", html.unescape(url).strip(), maxsplit=1)[0]
    if ":" not in first_segment:
        return True
    scheme = first_segment.split(":", 1)[0].lower()
    return scheme in ALLOWED_URL_SCHEMES


def _demote_headings(state: StateCore) -> None:
    """Headings follow the page's outline: the text's top level becomes h3 and each
    level it uses the next one, with no gaps (``##`` then ``####`` read as h3 then h4),
    capped at h6. A post sits under the page's h1/h2; a page that shows a post's body
    right under its h1 (the opening post) moves them up one (``promote_headings``)."""
    headings = [token for token in state.tokens if token.type in ("heading_open", "heading_close")]
    used = sorted({int(token.tag[1]) for token in headings})
    levels = {level: min(1 + HEADING_SHIFT + rank, 6) for rank, level in enumerate(used)}
    for token in headings:
        token.tag = f"h{levels[int(token.tag[1])]}"


_HEADING_TAG = re.compile(r"<(/?)h([3-6])>")


def promote_headings(html: str) -> Markup:
    """Rendered (trusted) HTML with its headings one level up (h3 -> h2 ... h6 -> h5):
    for a body shown right under a page's h1."""
    return Markup(_HEADING_TAG.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) - 1}>", html))


def _find_mentions(state: StateCore) -> None:
    """Split text tokens into text and `mention` tokens.

    Code spans and code blocks are separate token types, so they are never looked at; text
    inside a link is skipped so a mention never nests one link inside another.
    """
    for block_token in state.tokens:
        if block_token.type != "inline" or not block_token.children:
            continue
        new_children: list[Token] = []
        link_depth = 0
        previous: Token | None = None
        for token in block_token.children:
            if token.type == "link_open":
                link_depth += 1
            elif token.type == "link_close":
                link_depth = max(link_depth - 1, 0)
            if token.type == "text" and link_depth == 0 and "@" in token.content:
                new_children.extend(_split_mentions(token, _last_character(previous)))
            else:
                new_children.append(token)
            previous = token
        block_token.children = new_children


def _last_character(token: Token | None) -> str:
    """The character just before the next token, when it is plain text (for the look-behind)."""
    if token is not None and token.type in ("text", "text_special") and token.content:
        return token.content[-1]
    return ""


def _split_mentions(token: Token, character_before: str) -> list[Token]:
    """Cut one text token into text / mention / text ... tokens."""
    content = token.content
    scanned = character_before + content
    offset = len(character_before)
    pieces: list[Token] = []
    position = 0
    for match in MENTION_PATTERN.finditer(scanned, offset):
        start, end = match.start() - offset, match.end() - offset
        if start > position:
            pieces.append(_text_token(content[position:start], token))
        mention = Token("mention", "", 0)
        mention.content = content[start:end]
        mention.meta = {"handle": match.group(1).lower()}
        pieces.append(mention)
        position = end
    if not pieces:
        return [token]
    if position < len(content):
        pieces.append(_text_token(content[position:], token))
    return pieces


def _text_token(content: str, original: Token) -> Token:
    text = Token("text", "", 0)
    text.content = content
    text.level = original.level
    return text


def _render_mention(
    renderer: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: EnvType,
) -> str:
    """A link to the member's profile, or the text as typed if there is nowhere to link."""
    token = tokens[idx]
    handle = token.meta["handle"]
    mention_url = env.get("mention_url")
    if mention_url is None:
        return escapeHtml(token.content)
    # One post often names the same person many times; ask the callback once per handle.
    seen: dict[str, str | None] = env.setdefault("mention_urls_seen", {})
    if handle not in seen:
        seen[handle] = mention_url(handle)
    url = seen[handle]
    if not url:
        return escapeHtml(token.content)
    return f'<a class="mention" href="{escapeHtml(url)}">{escapeHtml(token.content)}</a>'


def _render_image_as_link(
    renderer: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: EnvType,
) -> str:
    """Images are not allowed (tracking pixels, layout breakage): link to the image instead.

    The alt text becomes the link text; inside an existing link only the alt text is kept,
    since links cannot nest.
    """
    token = tokens[idx]
    alt_text = renderer.renderInlineAsText(token.children or [], options, env)
    if _is_inside_link(tokens, idx):
        return escapeHtml(alt_text)
    src = str(token.attrGet("src") or "")
    title = token.attrGet("title")
    title_attribute = f' title="{escapeHtml(str(title))}"' if title else ""
    label = alt_text or src
    return f'<a href="{escapeHtml(src)}"{title_attribute}>{escapeHtml(label)}</a>'


def _is_inside_link(tokens: Sequence[Token], idx: int) -> bool:
    for token in reversed(tokens[:idx]):
        if token.type == "link_close":
            return False
        if token.type == "link_open":
            return True
    return False


def _keep_safe_attribute_values(tag: str, attribute: str, value: str) -> str | None:
    """nh3 callback: only our own classes survive (code language and mention)."""
    if tag == "code" and attribute == "class":
        return value if LANGUAGE_CLASS_PATTERN.fullmatch(value) else None
    if tag == "a" and attribute == "class":
        return value if value == "mention" else None
    return value


class _TextCollector(HTMLParser):
    """Collects text from sanitised HTML, with a space wherever a block starts or ends."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK_TAGS_FOR_EXCERPT:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCK_TAGS_FOR_EXCERPT:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _build_markdown() -> MarkdownIt:
    markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    markdown.enable(["table", "strikethrough"])
    markdown.validateLink = _is_allowed_link  # type: ignore[method-assign]
    markdown.core.ruler.after("block", "demote_headings", _demote_headings)
    # Before text_join, so an escaped "\@name" (a text_special token) stays plain text.
    markdown.core.ruler.before("text_join", "mentions", _find_mentions)
    markdown.add_render_rule("mention", _render_mention)
    markdown.add_render_rule("image", _render_image_as_link)
    return markdown


_markdown = _build_markdown()

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style"},
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_keep_safe_attribute_values,
    strip_comments=True,
    link_rel=LINK_REL,
    url_schemes=set(ALLOWED_URL_SCHEMES),
)
