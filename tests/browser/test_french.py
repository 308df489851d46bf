"""In French from the first page: a visitor whose browser asks for fr-CA signs up,
confirms (the e-mail too), fills in the welcome form, starts a discussion and replies,
and reads no English on any of those pages.

Every page is read as the person sees and hears it: the visible text
(``document.body.innerText``, closed disclosures opened, and the forms scripts show
on demand) plus placeholders, ARIA labels, titles, alt texts, button values and the
window title. English is:

- a message (extracted from the code and templates, or listed in
  ``translations/fr_CA/LC_MESSAGES/messages.po``, read with Babel's ``read_po``) whose
  French is not the same text (a different, missing, empty or fuzzy ``msgstr``), found
  as a whole phrase, its placeholders standing for the words there;
- a few words every English interface has (``COMMON_ENGLISH``) as whole words;
- a line with two or more English function words ("the", "your", "is"...): a string
  nobody wrapped yet, which the catalogue cannot know;
- country names in a list that are not the French ones (Babel's), as one finding.

Names (``PROPER_NOUNS``), the shared interest tags (``SHARED_TAGS``), IANA time zones and
what the member typed are allowed. The test walks the whole journey and fails once at
the end, listing each English string with the page it is on.

Navigation does not depend on the language: fields are found by their ``name`` and
buttons by their form, so the test reaches every page however much is translated.
"""

from __future__ import annotations

import re
from functools import cache
from textwrap import shorten

import pytest
from babel import Locale
from babel.messages.pofile import read_po
from playwright.sync_api import Page, expect

from hallway.core import catalogue
from hallway.members import vocabulary
from tests.conftest import confirmation_link, mailed_to

pytestmark = pytest.mark.browser

ACCEPT_LANGUAGE = "fr-CA,fr;q=0.9"
#: Whole words or phrases any English interface shows (case-sensitive, as written).
COMMON_ENGLISH = (
    "the", "Reply", "Save", "Log out", "Sign up", "Members", "Discussions",
    "Notifications", "Settings",
)  # fmt: skip
#: Words of English sentences and rarely of French ones ("on", "a", "or", "son" are both).
FUNCTION_WORDS = frozenset(
    "the your you is are and to of with this that for from has have was be will can "
    "not it by we our they their what when which there here".split()
)
#: Names that read the same in both languages: never English strings.
PROPER_NOUNS = ("Hallway", "English", "Français", "Markdown", "Moodle", "H5P", "REFAD", "CNIE")
#: The curated interest tags are the community's shared tags (searched and matched as
#: written), not interface text: allowed, like names. Empty this to hunt for them too.
SHARED_TAGS = vocabulary.INTEREST_TAGS
#: Country names as the pages list them when nobody translates them, with the French
#: name of each (Babel's): one that differs is English on a French page.
_FRENCH_TERRITORIES = Locale.parse("fr_CA").territories
ENGLISH_COUNTRY_NAMES = frozenset(
    name for code, name in vocabulary.COUNTRIES.items() if _FRENCH_TERRITORIES.get(code) != name
)

#: The newcomer and what she types: her own content, allowed in any language.
NEWCOMER = {
    "display_name": "Élodie Arsenault",
    "handle": "elodie-a",
    "email": "elodie.arsenault@example.org",
    "password": "conception pédagogique 2026",
}
ROLE = "Conseillère pédagogique"
ORGANISATION = "Cégep de la Baie"
CITY = "Rimouski"
THREAD_TITLE = "Vos astuces pour les capsules vidéo?"
THREAD_BODY = "Je prépare mes premières capsules pour un cours hybride. Des conseils?"
THREAD_TAGS = "capsules, video"
REPLY = "Merci d'avance! Je vous reviens avec ce que j'aurai essayé."
CATEGORY = "Francophonie"
OWN_CONTENT = (
    *NEWCOMER.values(), f"@{NEWCOMER['handle']}", ROLE, ORGANISATION, CITY, THREAD_TITLE,
    THREAD_BODY, REPLY, CATEGORY, *THREAD_TAGS.split(", "),
)  # fmt: skip

_PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]")
_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"[A-Za-z]")

#: The page's text as a person perceives it, one piece per line.
PERCEIVED_TEXT = """() => {
  // Closed disclosures (the account menu, filters, interest groups) open for the reading.
  const closed = [...document.querySelectorAll("details:not([open])")];
  closed.forEach((details) => { details.open = true; });
  const parts = [document.title, document.body.innerText];
  closed.forEach((details) => { details.open = false; });
  // What scripts show on demand (the inline reply form).
  for (const template of document.querySelectorAll("template")) {
    parts.push(template.content.textContent);
  }
  const labelled =
    "[placeholder], [aria-label], [title], [alt], input[type=submit], input[type=button]";
  const elements = [...document.querySelectorAll(labelled)];
  for (const template of document.querySelectorAll("template")) {
    elements.push(...template.content.querySelectorAll(labelled));
  }
  for (const element of elements) {
    for (const name of ["placeholder", "aria-label", "title", "alt"]) {
      const value = element.getAttribute(name);
      if (value) parts.push(value);
    }
    if (element.matches("input[type=submit], input[type=button]") && element.value) {
      parts.push(element.value);
    }
  }
  const options = [...document.querySelectorAll("select option")].map((o) => o.textContent.trim());
  return {text: parts.join("\\n"), options};
}"""


def _literal(text: str) -> str:
    words = r"\s+".join(re.escape(word) for word in text.split())
    before = r"\s+" if text[:1].isspace() else ""
    after = r"\s+" if text[-1:].isspace() else ""
    return before + words + after if words else before or after


def _phrase_pattern(msgid: str) -> re.Pattern[str] | None:
    """The visible text of a message as a pattern: markup dropped, whitespace for any
    whitespace, a placeholder for a word at either end or any text in the middle of the
    line; whole words only. None for a message with no words of its own ("%(count)s")."""
    literals = _PLACEHOLDER.split(_TAG.sub("", msgid).strip())
    if not any(_WORD.search(literal) for literal in literals):
        return None
    last = len(literals) - 1
    parts = []
    for index, literal in enumerate(literals):
        if index:  # a placeholder came before this literal
            parts.append(r"\S+" if index == 1 and not literals[0] else r"[^\n]+?")
        parts.append(_literal(literal))
    if last and not literals[last]:
        parts[-2] = r"\S+"  # ends with a placeholder: the next word stands for it
    pattern = "".join(parts)
    start = r"(?<!\w)" if re.match(r"\w", literals[0]) else r"(?<!\S)" if not literals[0] else ""
    end = r"(?!\w)" if re.search(r"\w$", literals[-1]) else ""
    return re.compile(start + pattern + end)


Messages = tuple[tuple[str, re.Pattern[str]], ...]


def _as_tuple(value: str | tuple[str, ...] | None) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value or "",)


@cache
def _catalogue() -> tuple[Messages, frozenset[str]]:
    """(msgid, pattern) for every message a French page would show in English, and the
    messages whose reviewed French is the same text ("Date", "Discussions"...)."""
    with catalogue.po_path("fr_CA").open("rb") as file:
        french = read_po(file, locale="fr_CA")
    # msgid (singular or plural) -> its reviewed French; fuzzy ones are not compiled.
    translations: dict[str, str] = {}
    for message in french:
        if message.id and not message.fuzzy:
            strings = _as_tuple(message.string)
            for index, msgid in enumerate(_as_tuple(message.id)):
                translations[msgid] = strings[min(index, len(strings) - 1)]
    same = frozenset(msgid for msgid, string in translations.items() if msgid == string)
    msgids = {
        msgid
        for source in (catalogue.extract(), french)
        for message in source
        if message.id
        for msgid in _as_tuple(message.id)
    }
    english = tuple(
        (msgid, pattern)
        for msgid in sorted(msgids - same - set(PROPER_NOUNS))
        if (pattern := _phrase_pattern(msgid))
    )
    return english, same


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [match.span() for match in pattern.finditer(text)]


def _whole(phrase: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)")


def english_found(
    text: str,
    options: list[str] | None = None,
    messages: Messages | None = None,
    same_in_french: frozenset[str] | None = None,
) -> list[str]:
    """Each English string in a page's text (``options``: the texts of its select
    options, also in the text), described for the report. ``messages`` and
    ``same_in_french`` default to the catalogue's.

    Longer catalogue messages are looked for first; a shorter one, a common word or a
    line is reported only where no message reported before (nor the member's own
    content, a name, a shared tag, a time zone) explains it, so each piece of English
    is reported once, as what it is.
    """
    if messages is None or same_in_french is None:
        messages, same_in_french = _catalogue()
    covered = bytearray(len(text))  # 1: explained already

    def cover(spans: list[tuple[int, int]]) -> None:
        for start, end in spans:
            covered[start:end] = b"\1" * (end - start)

    def new(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        return [(start, end) for start, end in spans if not all(covered[start:end])]

    options = options or []
    zones = [option for option in options if "/" in option]  # "America/New York": names
    for allowed in (*OWN_CONTENT, *PROPER_NOUNS, *SHARED_TAGS, *zones):
        cover(_spans(_whole(allowed), text))
    found = []
    countries = sorted({option for option in options if option in ENGLISH_COUNTRY_NAMES})
    if countries:
        examples = ", ".join(repr(name) for name in countries[:3])
        found.append(f"{len(countries)} country names in English (e.g. {examples})")
        for name in countries:
            cover(_spans(_whole(name), text))
    matches = [(msgid, _spans(pattern, text)) for msgid, pattern in messages]
    matches = [(msgid, spans) for msgid, spans in matches if spans]
    # The most specific first: "Meet at conferences" before "%(role)s at %(organisation)s".
    matches.sort(key=lambda item: -len(_PLACEHOLDER.sub("", _TAG.sub("", item[0])).strip()))
    for msgid, spans in matches:
        if fresh := new(spans):
            start, end = fresh[0]
            shown = " ".join(text[start:end].split())
            shows = "" if shown == msgid else f" (shows {shorten(shown, 100, placeholder='…')!r})"
            found.append(f"message {msgid!r} untranslated{shows}")
        cover(spans)
    for word in COMMON_ENGLISH:
        if word not in same_in_french and new(_spans(_whole(word), text)):
            found.append(f"English word {word!r}")
    blanked = "".join(" " if covered[i] and char != "\n" else char for i, char in enumerate(text))
    for line, rest in zip(text.split("\n"), blanked.split("\n"), strict=True):
        words = {word.lower() for word in re.findall(r"[A-Za-z']+", rest)}
        if len(words & FUNCTION_WORDS) >= 2:
            found.append(f"English text in no catalogue (not wrapped?): {line.strip()!r}")
    return found


class Journey:
    """Reads each page the newcomer reaches and remembers the English on it."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.english: dict[str, list[str]] = {}

    def read(self, name: str) -> None:
        self.page.wait_for_load_state("load")
        expect(self.page.locator("html")).to_have_attribute("lang", "fr-CA")
        path = "/" + self.page.url.split("/", 3)[-1]
        perceived = self.page.evaluate(PERCEIVED_TEXT)
        self.read_text(f"{name} ({path[:40]})", perceived["text"], perceived["options"])

    def read_text(self, name: str, text: str, options: list[str] | None = None) -> None:
        if found := english_found(text, options):
            self.english[name] = found

    def report(self) -> str:
        pages = [
            f"- {page}:\n" + "\n".join(f"    {item}" for item in items)
            for page, items in self.english.items()
        ]
        distinct = {
            item.split(" untranslated")[0] for items in self.english.values() for item in items
        }
        return "\n".join(pages) + f"\n{len(distinct)} distinct English strings in all."


def submit(page: Page, form: str, button: str = "") -> None:
    """Press the submit button of ``form`` (a CSS selector), whatever its label."""
    page.locator(f"{form} [type=submit]{button}").first.click()


@pytest.fixture
def french_page(browser, live_server):
    """A French-Canadian browser, and a category to post in."""
    from hallway.db import db
    from tests.factories import make_category

    catalogue.compile_catalogues()  # the .mo the server reads, as `make test` does
    with live_server.app.app_context():
        make_category(db.session, name=CATEGORY, slug="francophonie")
        db.session.commit()
    context = browser.new_context(
        base_url=live_server.url,
        locale="fr-CA",
        extra_http_headers={"Accept-Language": ACCEPT_LANGUAGE},
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_a_french_speaking_newcomer_reads_no_english_from_sign_up_to_first_reply(
    french_page, live_server
):
    journey = Journey(french_page)
    try:
        walk_from_sign_up_to_first_reply(french_page, journey, live_server)
    finally:
        # Printed (shown by pytest on failure) even when a step breaks half-way.
        print("English seen so far:\n" + journey.report())
    assert not journey.english, (
        "English strings a French-speaking member sees (page: what):\n" + journey.report()
    )


def walk_from_sign_up_to_first_reply(page: Page, journey: Journey, live_server) -> None:
    page.goto("/")
    journey.read("home, visitor")

    page.locator("main a[href^='/signup']").first.click()
    journey.read("sign-up form")
    for field in ("display_name", "handle", "email", "password"):
        page.locator(f"input[name={field}]").fill(NEWCOMER[field])
    page.locator("input[name=confirm]").fill(NEWCOMER["password"])
    submit(page, "main form[action^='/signup']")
    expect(page).to_have_url(re.compile(r"/signup/sent$"))
    journey.read("check your email")

    (email,) = mailed_to(live_server.app, NEWCOMER["email"])
    journey.read_text("the confirmation e-mail", email.split("\nSubject: ", 1)[1])
    page.goto(confirmation_link(live_server.app, NEWCOMER["email"]))
    journey.read("confirm your address")
    submit(page, "main form")
    expect(page).to_have_url(re.compile(r"/welcome"))
    journey.read("welcome form")

    page.locator("input[name=career_stage][value=novice]").check()
    page.locator("input[name=role]").fill(ROLE)
    page.locator("input[name=organisation]").fill(ORGANISATION)
    page.locator("select[name=sector]").select_option("post_secondary")
    page.locator("select[name=country]").select_option("CA")
    page.locator("input[name=city]").fill(CITY)
    page.locator("select[name=time_zone]").select_option("America/Toronto")
    interest = page.locator("input[name=interests][value='video production']")
    if not interest.is_visible():  # in a closed group of interests
        page.locator(
            "details:has(input[name=interests][value='video production']) > summary"
        ).click()
    interest.check()
    page.locator("input[name=looking_for][value=mentoring]").check()
    submit(page, "main form", "[name=save]")
    expect(page).to_have_url(re.compile(rf"/members/{NEWCOMER['handle']}$"))
    journey.read("own profile, after the welcome")

    page.goto("/discussions")
    journey.read("discussions")
    page.goto("/discussions/new")
    journey.read("new discussion form")
    page.locator("input[name=title]").fill(THREAD_TITLE)
    page.locator("select[name=category_id]").select_option(label=CATEGORY)
    page.locator("textarea[name=body]").fill(THREAD_BODY)
    page.locator("input[name=tags]").fill(THREAD_TAGS)
    submit(page, "main form")
    expect(page).to_have_url(re.compile(r"/t/\d+/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(THREAD_TITLE)
    journey.read("the new discussion")

    page.locator("#reply-form textarea[name=body]").fill(REPLY)
    submit(page, "#reply-form")
    expect(page.locator("#comment-tree")).to_contain_text(REPLY)
    journey.read("the discussion after her reply")
    # Her account kept the language she signed up in, whatever the browser asks for now.
    page.context.set_extra_http_headers({"Accept-Language": "en"})
    page.reload()
    expect(page.locator("#comment-tree")).to_contain_text(REPLY)
    journey.read("the discussion with her reply, reloaded (browser now asks for English)")


UNTRANSLATED = tuple(
    (msgid, pattern)
    for msgid in ("Save and continue", "Welcome to Hallway, %(name)s!", "%(count)s members")
    if (pattern := _phrase_pattern(msgid))
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Enregistrer et continuer", []),
        ("Bienvenue dans Hallway, Élodie Arsenault!", []),
        ("Vos astuces pour les capsules vidéo? Merci d'avance!", []),
        ("22 membres", []),
        ("Save and continue", ["message 'Save and continue'"]),
        ("Welcome to Hallway, Élodie Arsenault!", ["message 'Welcome to Hallway, %(name)s!'"]),
        (
            "Nous sommes 22 members",
            ["message '%(count)s members' untranslated (shows '22 members')"],
        ),
        ("Reply", ["English word 'Reply'"]),
        ("Discussions", []),  # French too, says the catalogue
        ("Read the guidelines before you post", ["'the'", "not wrapped?): 'Read the guidelines"]),
    ],
)
def test_the_english_detector_reports_english_once_and_leaves_french_and_content_alone(
    text, expected
):
    found = english_found(text, messages=UNTRANSLATED, same_in_french=frozenset({"Discussions"}))
    assert len(found) == len(expected), found
    for what, item in zip(expected, found, strict=True):
        assert what in item, (text, found)


def test_select_options_are_reported_as_what_they_are():
    """A country list in English is one finding, not "New" and "City" untranslated; time
    zones and the shared interest tags are names."""
    new = tuple((m, pattern) for m in ("New", "%(a)s in %(b)s") if (pattern := _phrase_pattern(m)))
    options = [
        "Nouvelle-Zélande",
        "New Zealand",
        "Holy See (Vatican City State)",
        "America/New York",
    ]
    text = "Pays\n" + "\n".join(options) + "\ngenerative AI in teaching"
    found = english_found(text, options, messages=new, same_in_french=frozenset())
    assert found == [
        "2 country names in English (e.g. 'Holy See (Vatican City State)', 'New Zealand')"
    ]
    french = ["Nouvelle-Zélande", "Cité du Vatican", "America/New York"]
    assert english_found("\n".join(french), french, messages=new, same_in_french=frozenset()) == []


def test_catalogue_messages_match_as_whole_phrases_with_placeholders():
    pattern = _phrase_pattern("Welcome to Hallway, %(name)s!")
    assert pattern is not None
    assert pattern.search("Welcome to Hallway, Élodie!")
    assert not pattern.search("Bienvenue dans Hallway, Élodie!")
    members = _phrase_pattern("<strong>%(count)s</strong> members")
    assert members is not None and members.search("22 members")
    assert not members.search("22 membres") and not members.search("Members")
    by = _phrase_pattern("by %(name)s")
    assert by is not None and by.search("by Élodie") and not by.search("Nearby")
    ready = _phrase_pattern("Your account <strong>@%(handle)s</strong> is ready.")
    assert ready is not None and ready.search("Your account @elodie-a is ready.")
    assert _phrase_pattern("%(count)s") is None
    save = _phrase_pattern("Save")
    assert save is not None and not save.search("Saved") and save.search("Save")
