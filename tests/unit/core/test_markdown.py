"""The user-text Markdown pipeline: formatting, safety and mentions."""

from __future__ import annotations

import html
import importlib
import pkgutil
from html.parser import HTMLParser

import pytest
from markupsafe import Markup

from hallway.core.markdown import extract_mentions, render_markdown, render_plain_excerpt

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td", "span",
}  # fmt: skip
FORBIDDEN_TAGS = {
    "script", "iframe", "object", "embed", "style", "svg", "math", "img", "form", "input",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction"}
BAD_URL_PREFIXES = ("javascript:", "vbscript:", "data:")
KNOWN_MEMBERS = {"alice": "/members/alice", "bob_1": "/members/bob_1"}


def member_url(handle: str) -> str | None:
    return KNOWN_MEMBERS.get(handle)


class ParsedHtml(HTMLParser):
    """What a browser would see: elements with their attributes, and the text."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text_parts: list[str] = []
        self.comments: list[str] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    def handle_data(self, data: str) -> None:
        self.text_parts.append(data)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    @property
    def text(self) -> str:
        return "".join(self.text_parts).strip()

    def tags(self) -> list[str]:
        return [tag for tag, _ in self.elements]

    def attributes_of(self, tag: str) -> list[dict[str, str]]:
        return [attrs for element_tag, attrs in self.elements if element_tag == tag]


def normalised_url(value: str) -> str:
    """A URL the way a lenient browser might read it: unescaped, no whitespace or controls."""
    unescaped = html.unescape(value)
    return "".join(ch for ch in unescaped if ord(ch) > 0x20 and not 0x7F <= ord(ch) <= 0x9F).lower()


def safety_problems(markup: str) -> list[str]:
    """Everything in `markup` that could run script or restyle the page."""
    parsed = ParsedHtml(markup)
    problems = []
    for tag, attrs in parsed.elements:
        if tag in FORBIDDEN_TAGS or tag not in ALLOWED_TAGS:
            problems.append(f"element <{tag}>")
        for name, value in attrs.items():
            if name.startswith("on"):
                problems.append(f"event attribute {name}")
            if name == "style":
                problems.append("style attribute")
            if name in URL_ATTRIBUTES and normalised_url(value).startswith(BAD_URL_PREFIXES):
                problems.append(f"{name}={value!r}")
    if parsed.comments:
        problems.append("comment")
    return problems


# --- formatting ---------------------------------------------------------------------------


def test_output_is_markup_so_templates_do_not_escape_it_again() -> None:
    assert isinstance(render_markdown("hello"), Markup)


def test_empty_and_none_text_render_to_empty_markup() -> None:
    assert render_markdown("") == Markup("")
    assert render_markdown(None) == Markup("")


def test_basic_formatting_renders() -> None:
    result = render_markdown("**bold** *italic* ~~gone~~\n\n- one\n- two\n\n1. first\n\n---")
    parsed = ParsedHtml(result)
    assert {"strong", "em", "s", "ul", "ol", "li", "hr", "p"} <= set(parsed.tags())
    assert "bold" in parsed.text and "gone" in parsed.text


def test_hard_line_break_renders_br() -> None:
    assert "<br>" in render_markdown("line one  \nline two")


def test_raw_script_tag_is_escaped_not_executed() -> None:
    result = render_markdown("<script>alert(1)</script>")
    assert "<script" not in result
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in result


def test_raw_html_is_shown_as_typed_not_dropped() -> None:
    parsed = ParsedHtml(render_markdown('<b onclick="x()">hi</b>'))
    assert parsed.tags() == ["p"]
    assert parsed.text == '<b onclick="x()">hi</b>'


def test_code_block_keeps_content_escaped_and_language_class() -> None:
    result = render_markdown("```python\n<script>alert(1)</script>\n```")
    parsed = ParsedHtml(result)
    assert parsed.tags() == ["pre", "code"]
    assert parsed.attributes_of("code") == [{"class": "language-python"}]
    assert parsed.text.strip() == "<script>alert(1)</script>"


def test_code_block_with_odd_language_gets_no_class() -> None:
    result = render_markdown('```"onmouseover=alert(1)\nx\n```')
    assert ParsedHtml(result).attributes_of("code") == [{}]


def test_inline_code_is_escaped() -> None:
    result = render_markdown("use `<img src=x>` here")
    assert "<code>&lt;img src=x&gt;</code>" in result


def test_headings_are_demoted_below_the_page_headings() -> None:
    result = render_markdown("# One\n\n## Two\n\n### Three\n\n###### Six")
    assert ParsedHtml(result).tags() == ["h3", "h4", "h5", "h6"]


def test_headings_start_at_h3_and_skip_no_level() -> None:
    """axe's heading-order: a post starting at "##" and jumping to "####" once gave an h4
    right under the page's h1/h2, then an h6."""
    result = render_markdown("## Two\n\n#### Four\n\n## Two again")
    assert ParsedHtml(result).tags() == ["h3", "h4", "h3"]


def test_promoted_headings_move_up_one_level() -> None:
    from hallway.core.markdown import promote_headings

    result = promote_headings(str(render_markdown("# Top\n\n## Under")))
    assert ParsedHtml(result).tags() == ["h2", "h3"]


def test_quoting_a_reply_renders_nested_blockquotes() -> None:
    parsed = ParsedHtml(render_markdown("> you said\n> > they said\n\nmy answer"))
    assert parsed.tags() == ["blockquote", "p", "blockquote", "p", "p"]


def test_tables_render_without_inline_styles() -> None:
    result = render_markdown("| a | b |\n|--:|:--|\n| 1 | 2 |")
    parsed = ParsedHtml(result)
    assert {"table", "thead", "tbody", "tr", "th", "td"} <= set(parsed.tags())
    assert "style" not in result


# --- links and images ---------------------------------------------------------------------


def test_links_get_rel_nofollow_ugc_noopener_and_open_normally() -> None:
    parsed = ParsedHtml(render_markdown('[site](https://example.org "Title")'))
    assert parsed.attributes_of("a") == [
        {"href": "https://example.org", "title": "Title", "rel": "nofollow ugc noopener"}
    ]


@pytest.mark.parametrize(
    "markdown", ["[here](/threads/1)", "[here](#reply-3)", "[mail](mailto:me@example.org)"]
)
def test_relative_fragment_and_mailto_links_are_kept(markdown: str) -> None:
    assert len(ParsedHtml(render_markdown(markdown)).attributes_of("a")) == 1


@pytest.mark.parametrize(
    "target",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "<javascript:alert(1)>",
        "jav&#x09;ascript:alert(1)",
        "jav&#x0A;ascript:alert(1)",
        "jav&#x0D;ascript:alert(1)",
        "&#106;avascript:alert(1)",
        "&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)",
        "javascript&colon;alert(1)",
        "&#106&#97&#118&#97&#115&#99&#114&#105&#112&#116:alert(1)",
        "&#x6A&#x61vascript:alert(1)",
        "java%0ascript:alert(1)",
        "\x01javascript:alert(1)",
        "vbscript:msgbox(1)",
        "VBScript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "data:image/svg+xml,<svg onload=alert(1)>",
        "DATA:image/png;base64,iVBORw0KGgo=",
        "file:///etc/passwd",
    ],
)
def test_dangerous_link_targets_are_never_linked(target: str) -> None:
    for markdown in (
        f"[click]({target})",
        f"![click]({target})",
        f"[click][ref]\n\n[ref]: {target}",
        f"<{target}>",
    ):
        result = render_markdown(markdown)
        assert safety_problems(result) == [], markdown
        for attrs in ParsedHtml(result).attributes_of("a"):
            assert "href" not in attrs, (markdown, result)


def test_image_renders_as_a_link_to_the_image_not_an_img() -> None:
    parsed = ParsedHtml(render_markdown("![a diagram](https://example.org/d.png)"))
    assert "img" not in parsed.tags()
    assert parsed.attributes_of("a") == [
        {"href": "https://example.org/d.png", "rel": "nofollow ugc noopener"}
    ]
    assert parsed.text == "a diagram"


def test_image_inside_a_link_keeps_only_its_alt_text() -> None:
    parsed = ParsedHtml(render_markdown("[![badge](https://x.org/b.svg)](https://x.org)"))
    assert parsed.tags() == ["p", "a"]
    assert parsed.attributes_of("a")[0]["href"] == "https://x.org"
    assert parsed.text == "badge"


# --- mentions -----------------------------------------------------------------------------


def test_mention_of_a_member_links_to_their_profile() -> None:
    result = render_markdown("thanks @Alice!", mention_url=member_url)
    parsed = ParsedHtml(result)
    assert parsed.attributes_of("a") == [
        {"class": "mention", "href": "/members/alice", "rel": "nofollow ugc noopener"}
    ]
    assert parsed.text == "thanks @Alice!"


def test_unknown_mention_is_left_as_typed() -> None:
    result = render_markdown("hi @nobody_here", mention_url=member_url)
    assert result == Markup("<p>hi @nobody_here</p>\n")


def test_mentions_are_plain_text_without_a_url_callback() -> None:
    assert "<a" not in render_markdown("hi @alice")


@pytest.mark.parametrize(
    "markdown",
    [
        "see `@alice`",
        "```\n@alice\n```",
        "    @alice indented code",
        "me@alice.org",
        "alice_fan@alice.example",
        "[@alice](https://example.org)",
        "<https://social.example/@alice>",
        "https://social.example/@alice",
        r"\@alice",
        "@al",
        "@" + "a" * 31,
    ],
)
def test_text_that_is_not_a_mention_is_not_linked(markdown: str) -> None:
    result = render_markdown(markdown, mention_url=lambda handle: f"/members/{handle}")
    assert 'class="mention"' not in result
    assert extract_mentions(markdown) == []


def test_mention_in_emphasis_heading_quote_and_table_is_linked() -> None:
    markdown = "**@alice**\n\n# @alice\n\n> @alice\n\n| who |\n|---|\n| @alice |"
    result = render_markdown(markdown, mention_url=member_url)
    assert result.count('class="mention"') == 4


def test_mention_callback_is_asked_once_per_handle() -> None:
    asked: list[str] = []

    def counting_url(handle: str) -> str | None:
        asked.append(handle)
        return member_url(handle)

    render_markdown("@alice @ALICE @alice @carol @carol", mention_url=counting_url)
    assert asked == ["alice", "carol"]


def test_extract_mentions_returns_lowercase_unique_handles_in_order() -> None:
    text = "@Bob_1 and @alice, then @ALICE again, @carol-x and @bob_1."
    assert extract_mentions(text) == ["bob_1", "alice", "carol-x"]


def test_extract_mentions_ignores_code_emails_and_links() -> None:
    text = "`@inline`\n\n```\n@fenced\n```\n\nmail me@example.org, [@linked](/x), @real"
    assert extract_mentions(text) == ["real"]


def test_extract_mentions_of_empty_text_is_empty() -> None:
    assert extract_mentions("") == []
    assert extract_mentions(None) == []


# --- plain excerpts -----------------------------------------------------------------------


def test_excerpt_is_plain_text_without_tags_or_markdown() -> None:
    excerpt = render_plain_excerpt("# Title\n\nSome **bold** & <b>raw</b>\n\n- one\n- two")
    assert excerpt == "Title Some bold & <b>raw</b> one two"


def test_excerpt_of_long_text_ends_on_a_word_with_an_ellipsis() -> None:
    excerpt = render_plain_excerpt("word " * 100, length=23)
    assert excerpt == "word word word word…"
    assert len(excerpt) <= 23


def test_excerpt_of_short_or_empty_text_is_unchanged() -> None:
    assert render_plain_excerpt("short *text*") == "short text"
    assert render_plain_excerpt("") == ""
    assert render_plain_excerpt(None) == ""
    assert render_plain_excerpt("anything", length=0) == ""


# --- hostile input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "[" * 20_000,
        "*a" * 10_000,
        "`" * 20_000,
        "<" * 20_000,
        "> " * 5_000 + "deep",
        "- " * 5_000 + "deep",
        "[a](" * 5_000,
        "_a" * 10_000 + "*" * 10_000,
        "@abc " * 10_000,
        "\x00\x01\x7f\u202e\ufeff",
        "lone \ud800 surrogate \udfff @alice",
        "&#xD800; &#0; &#x110000; &#99999999;",
        "| a |" * 2_000 + "\n" + "|---|" * 2_000,
        "hello **world** @alice [link](https://x.org)\n\n" * 5_000,
    ],
)
def test_hostile_or_huge_input_never_raises(text: str) -> None:
    result = render_markdown(text, mention_url=member_url)
    assert isinstance(result, Markup)
    assert safety_problems(result) == []
    extract_mentions(text)
    assert isinstance(render_plain_excerpt(text), str)


def brs_kb_payloads() -> list[str]:
    """Every payload brs-kb ships: its combined database plus entries only in sub-modules."""
    import brs_kb.payloads
    from brs_kb.payloads import FULL_PAYLOAD_DATABASE
    from brs_kb.payloads.models import PayloadEntry

    payloads = {entry.payload for entry in FULL_PAYLOAD_DATABASE.values()}
    for module_info in pkgutil.walk_packages(brs_kb.payloads.__path__, "brs_kb.payloads."):
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            if isinstance(value, dict):
                candidates = list(value.values())
            elif isinstance(value, list | tuple):
                candidates = list(value)
            else:
                candidates = [value]
            payloads.update(c.payload for c in candidates if isinstance(c, PayloadEntry))
    return sorted(payloads)


def test_every_brs_kb_xss_payload_renders_harmless() -> None:
    payloads = brs_kb_payloads()
    assert len(payloads) > 4_000, "the brs-kb corpus did not load"
    failures = []
    for payload in payloads:
        for markdown in (
            payload,
            f"[x]({payload})",
            f"[x](<{payload}>)",
            f"![x]({payload})",
            f"<{payload}>",
            f"[x][ref]\n\n[ref]: {payload}",
        ):
            result = render_markdown(markdown, mention_url=member_url)
            problems = safety_problems(result)
            if problems:
                failures.append((markdown, problems, str(result)))
    assert failures == [], failures[:5]
