"""The words a member profile is made of: career stages, sectors, intents, tags and places.

Everything here is plain data and pure functions, so schemas, services, the matching
service and the seed command share one vocabulary without importing Flask or the database.
Matching only works if "UDL", "universal design for learning" and "Accessibility" end up as
the same tag, so every user-typed tag, network and qualification goes through a normaliser.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import zoneinfo
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import NamedTuple

import babel
import pycountry

# --------------------------------------------------------------------------------------
# Fixed choices (codes are stored; labels are shown)
# --------------------------------------------------------------------------------------


def N_(message: str) -> str:
    """Marks a label for translation (the extractor knows ``N_``) and returns it as it is:
    the codes and English labels here are data; pages show ``translated(...)`` of them."""
    return message


class CareerStage(NamedTuple):
    label: str
    explanation: str


CAREER_STAGES: Mapping[str, CareerStage] = MappingProxyType(
    {
        "novice": CareerStage(
            N_("Novice"),
            N_("New to the field: career changers, teachers moving into ed tech, grad students."),
        ),
        "career": CareerStage(
            N_("Mid-career"),
            N_("Working in the field and looking to grow, change jobs or find a better balance."),
        ),
        "advanced": CareerStage(
            N_("Advanced"),
            N_("Senior, with strategic influence; often mentors others."),
        ),
    }
)

SECTORS: Mapping[str, str] = MappingProxyType(
    {
        "post_secondary": N_("Post-secondary"),
        "corporate": N_("Corporate training"),
        "k12": N_("K-12"),
        "non_profit": N_("Non-profit"),
        "continuing_ed": N_("Continuing & professional education"),
        "other": N_("Other"),
    }
)

INTENTS: Mapping[str, str] = MappingProxyType(
    {
        "mentoring": N_("Mentoring"),
        "career_chat": N_("A 30-minute career chat"),
        "job_leads": N_("Job leads"),
        "hiring": N_("Hiring"),
        "collaborators": N_("Collaborators"),
        "peer_support": N_("Peer support"),
        "speaking": N_("Speaking opportunities"),
        "course_feedback": N_("Feedback on a course design"),
    }
)

# --------------------------------------------------------------------------------------
# Curated vocabularies: canonical form -> synonyms people actually type
# --------------------------------------------------------------------------------------

_TAG_SYNONYMS: dict[str, tuple[str, ...]] = {
    "instructional design": (
        "ID",
        "instructional designer",
        "instructional designers",
        "instructional systems design",
        "ISD",
        "course design",
        "course development",
    ),
    "learning experience design": (
        "LXD",
        "LX design",
        "learning experience designer",
        "learning design",
        "learning designer",
    ),
    "LMS administration": (
        "LMS",
        "LMS admin",
        "LMS administrator",
        "learning management system",
        "learning management systems",
    ),
    "accessibility & UDL": (
        "accessibility",
        "a11y",
        "UDL",
        "universal design for learning",
        "universal design",
        "WCAG",
        "digital accessibility",
    ),
    "OER": ("open educational resources", "open educational resource", "open textbooks"),
    "open pedagogy": ("open educational practices", "OEP", "open education"),
    "video production": ("video", "educational video", "instructional video", "videography"),
    "podcasting": ("podcast", "podcasts", "audio production"),
    "learning analytics": ("analytics", "educational data mining", "learning data"),
    "generative AI in teaching": (
        "genai",
        "gen ai",
        "generative ai",
        "AI",
        "artificial intelligence",
        "AI in education",
        "AI in teaching",
        "AI in higher education",
        "chatgpt",
        "chatgpt in teaching",
        "LLMs",
    ),
    "assessment": ("assessment design", "evaluation of learning", "grading", "rubrics"),
    "faculty development": (
        "educational development",
        "academic development",
        "faculty support",
        "teaching and learning centre",
        "teaching and learning center",
    ),
    "online program management": ("OPM", "program management", "online programs"),
    "educational research": ("education research", "SoTL", "research"),
    "learning sciences": ("learning science", "cognitive science", "science of learning"),
    "microlearning": ("micro learning", "micro-learning", "bite-sized learning"),
    "gamification": ("game-based learning", "game based learning", "serious games", "games"),
    "simulations": ("simulation", "simulation-based learning", "virtual labs"),
    "VR & AR": ("VR", "AR", "XR", "virtual reality", "augmented reality", "immersive learning"),
    "H5P": (),
    "Moodle": (),
    "Canvas": ("Canvas LMS", "Instructure Canvas"),
    "Brightspace": ("D2L", "D2L Brightspace", "Desire2Learn"),
    "Blackboard": ("Blackboard Learn", "Blackboard Ultra", "Anthology"),
    "Articulate Storyline": ("Storyline", "Articulate", "Articulate 360", "Articulate Rise"),
    "e-learning authoring": ("authoring tools", "elearning development", "Captivate"),
    "xAPI": ("Tin Can", "Tin Can API", "experience API"),
    "SCORM": (),
    "competency-based education": ("CBE", "competency based learning", "competency-based"),
    "online & distance learning": (
        "online learning",
        "distance learning",
        "distance education",
        "online education",
        "e-learning",
    ),
    "blended & hybrid learning": ("blended learning", "hybrid learning", "hyflex", "hybrid"),
    "MOOCs": ("MOOC", "massive open online courses"),
    "ePortfolios": ("ePortfolio", "portfolios"),
    "digital literacy": ("digital skills", "information literacy", "media literacy"),
    "academic integrity": ("proctoring", "plagiarism"),
    "learner engagement": ("student engagement", "engagement", "active learning"),
    "inclusive teaching": ("inclusion", "equity", "DEI", "equity diversity inclusion"),
    "multimedia & graphic design": ("multimedia", "graphic design", "visual design"),
    "quality assurance": ("QA", "course quality", "course review", "quality matters"),
    "copyright & open licensing": ("copyright", "creative commons", "open licensing"),
    "workplace learning": ("corporate learning", "L&D", "learning and development", "training"),
    "technology integration": ("edtech integration", "classroom technology", "K-12 edtech"),
    "project management": ("PM", "agile", "project manager"),
    "digital strategy": ("digital transformation", "ed tech strategy", "edtech leadership"),
    "privacy & data ethics": ("privacy", "data privacy", "data ethics", "FERPA", "GDPR"),
}

INTEREST_TAGS: tuple[str, ...] = tuple(_TAG_SYNONYMS)

#: The interests as forms show them: in a few groups, each sorted (45 unsorted boxes were
#: too long to scan). Every tag is in exactly one group (tests/unit/members).
INTEREST_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        N_("Design and teaching"),
        (
            "instructional design",
            "learning experience design",
            "accessibility & UDL",
            "assessment",
            "inclusive teaching",
            "learner engagement",
            "competency-based education",
            "microlearning",
            "gamification",
            "simulations",
            "academic integrity",
        ),
    ),
    (
        N_("Ways of learning"),
        (
            "online & distance learning",
            "blended & hybrid learning",
            "MOOCs",
            "workplace learning",
            "faculty development",
            "ePortfolios",
            "digital literacy",
        ),
    ),
    (
        N_("Open education"),
        ("OER", "open pedagogy", "copyright & open licensing"),
    ),
    (
        N_("Media and authoring"),
        (
            "video production",
            "podcasting",
            "multimedia & graphic design",
            "VR & AR",
            "H5P",
            "e-learning authoring",
            "Articulate Storyline",
            "generative AI in teaching",
        ),
    ),
    (
        N_("Platforms and standards"),
        ("LMS administration", "Moodle", "Canvas", "Brightspace", "Blackboard", "xAPI", "SCORM"),
    ),
    (
        N_("Research and data"),
        (
            "learning analytics",
            "educational research",
            "learning sciences",
            "privacy & data ethics",
            "quality assurance",
        ),
    ),
    (
        N_("Leadership and strategy"),
        (
            "online program management",
            "project management",
            "digital strategy",
            "technology integration",
        ),
    ),
)


def _gettext(message: str) -> str:
    # Imported here: the rest of this module is plain data, usable without Flask.
    from flask_babel import gettext

    return gettext(message)


def translated(labels: Mapping[str, str]) -> dict[str, str]:
    """{code: label} in the current language (the labels are marked with ``N_``)."""
    return {code: _gettext(label) for code, label in labels.items()}


def translated_stages() -> dict[str, CareerStage]:
    """The career stages in the current language (a new dict each time; the stages
    themselves are looked up once per language: many pages show them)."""
    from flask_babel import get_locale

    return dict(_stages_in(str(get_locale())))


@functools.lru_cache(maxsize=16)
def _stages_in(locale: str) -> Mapping[str, CareerStage]:
    return MappingProxyType(
        {
            code: CareerStage(_gettext(stage.label), _gettext(stage.explanation))
            for code, stage in CAREER_STAGES.items()
        }
    )


def translated_interest_groups() -> list[tuple[str, list[str]]]:
    """[(group name in the current language, its tags sorted)], for forms."""
    return [(_gettext(name), sorted(tags, key=str.casefold)) for name, tags in INTEREST_GROUPS]


_NETWORKS: dict[str, tuple[str, tuple[str, ...]]] = {
    "WCET": ("WICHE Cooperative for Educational Technologies", ()),
    "ALT": ("Association for Learning Technology", ()),
    "ASCILITE": (
        "Australasian Society for Computers in Learning in Tertiary Education",
        (),
    ),
    "CNIE": (
        "Canadian Network for Innovation in Education",
        ("RCIÉ", "Réseau canadien pour l'innovation en éducation"),
    ),
    "REFAD": ("Réseau d'enseignement francophone à distance du Canada", ()),
    "ETUG": ("Educational Technology Users Group", ()),
    "ISTE": ("International Society for Technology in Education", ()),
    "OLC": ("Online Learning Consortium", ()),
    "EDUCAUSE": ("EDUCAUSE", ()),
    "AECT": (
        "Association for Educational Communications and Technology",
        (),
    ),
    # ATD was ASTD until 2014.
    "ATD": ("Association for Talent Development", ("ASTD",)),
    # UPCEA was UCEA (University Continuing Education Association) until 2010.
    "UPCEA": (
        "University Professional and Continuing Education Association",
        ("UCEA", "University Continuing Education Association"),
    ),
    "CAUCE": ("Canadian Association for University Continuing Education", ()),
    "BCcampus": ("BCcampus", ("BC campus",)),
    "eCampusOntario": ("eCampusOntario", ("eCampus Ontario",)),
    "Contact North": (
        "Contact North | Contact Nord",
        ("Contact Nord", "Contact North Contact Nord"),
    ),
    "STLHE": (
        "Society for Teaching and Learning in Higher Education",
        ("SAPES",),
    ),
    "POD Network": (
        "POD Network in Higher Education",
        ("POD", "Professional and Organizational Development Network"),
    ),
    "EDEN": ("EDEN Digital Learning Europe", ("EDEN DLE",)),
    "ICDE": ("International Council for Open and Distance Education", ()),
    "OE Global": ("Open Education Global", ("OEGlobal", "OEC")),
    "Quality Matters": ("Quality Matters", ("QM",)),
    "The Learning Guild": (
        "The Learning Guild",
        ("Learning Guild", "eLearning Guild", "The eLearning Guild"),
    ),
}

NETWORKS: Mapping[str, str] = MappingProxyType(
    {code: name for code, (name, _) in _NETWORKS.items()}
)

_QUALIFICATIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "MET": ("Master of Educational Technology", ("Masters of Educational Technology",)),
    "MALAT": ("MA in Learning and Technology", ("MA Learning and Technology",)),
    "CMALT": ("Certified Member of the Association for Learning Technology", ()),
    "MEd": ("Master of Education", ("Masters of Education", "Masters in Education")),
    "MA Educational Technology": (
        "MA in Educational Technology",
        ("MA Ed Tech", "MA EdTech", "MA in Educational Technology"),
    ),
    "MS Instructional Design": (
        "MS in Instructional Design and Technology",
        ("MS IDT", "MS in Instructional Design", "MS Instructional Design and Technology"),
    ),
    "MSc Digital Education": ("MSc in Digital Education", ()),
    "BEd": ("Bachelor of Education", ()),
    "PhD": ("Doctor of Philosophy", ("doctorate",)),
    "EdD": ("Doctor of Education", ()),
    # ATD renamed the CPLP to CPTD in 2019.
    "CPTD": (
        "Certified Professional in Talent Development",
        ("CPLP", "Certified Professional in Learning and Performance"),
    ),
    "APTD": ("Associate Professional in Talent Development", ()),
    "Quality Matters certification": (
        "Quality Matters certification (e.g. Peer Reviewer)",
        (
            "QM certification",
            "QM certified",
            "Quality Matters certified",
            "QM Peer Reviewer",
            "Quality Matters Peer Reviewer",
            "APPQMR",
        ),
    ),
    "FHEA": ("Fellow of the Higher Education Academy", ()),
    "SFHEA": ("Senior Fellow of the Higher Education Academy", ()),
    "PFHEA": ("Principal Fellow of the Higher Education Academy", ()),
    "PMP": ("Project Management Professional", ()),
    "ISTE Certified Educator": ("ISTE Certified Educator", ("ISTE certification",)),
    "Google Certified Educator": ("Google Certified Educator", ("Google for Education certified",)),
}

QUALIFICATIONS: Mapping[str, str] = MappingProxyType(
    {code: name for code, (name, _) in _QUALIFICATIONS.items()}
)

MAX_TAG_LENGTH = 40
MAX_NAME_LENGTH = 80  # free-typed networks and qualifications are proper names, often long

# --------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------

_ALLOWED_PUNCTUATION = frozenset("&+#.-/")
_APOSTROPHES = frozenset("'’`")
_TRADEMARKS = str.maketrans("", "", "™®©℠")  # NFKC would turn "Moodle™" into "MoodleTM"


def _clean(raw: str) -> str:
    """Keep letters, digits and a little punctuation; collapse whitespace.

    Other characters become spaces (so "learning,analytics" does not glue into one
    word), except apostrophes and trademark signs, which simply disappear.
    NFKC first, so full-width and compatibility forms count as the plain letters.
    """
    text = unicodedata.normalize("NFKC", raw.translate(_TRADEMARKS))
    kept = []
    for char in text:
        if char.isalnum() or char in _ALLOWED_PUNCTUATION:
            kept.append(char)
        elif char not in _APOSTROPHES:
            kept.append(" ")
    cleaned = " ".join("".join(kept).split())
    if not any(char.isalnum() for char in cleaned):
        return ""
    return cleaned


def _match_key(text: str) -> str:
    """The key curated entries are looked up by: case, spacing and punctuation ignored.

    "Learning-Analytics", "learning analytics" and "M.Ed." vs "MEd" all meet here;
    "&" is read as "and" so "L&D" and "L and D" agree.
    """
    text = unicodedata.normalize("NFKC", text).casefold().replace("&", " and ")
    return "".join(char for char in text if char.isalnum())


def _build_lookup(entries: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """Map the key of every canonical form and synonym to the canonical form.

    Raises at import time if two entries collide, so a careless synonym cannot silently
    send members' tags to the wrong place.
    """
    lookup: dict[str, str] = {}
    for canonical, synonyms in entries.items():
        for form in (canonical, *synonyms):
            key = _match_key(form)
            if lookup.get(key, canonical) != canonical:
                raise ValueError(f"{form!r} matches both {lookup[key]!r} and {canonical!r}")
            lookup[key] = canonical
    return lookup


_TAG_LOOKUP = _build_lookup(_TAG_SYNONYMS)
_NETWORK_LOOKUP = _build_lookup(
    {code: (name, *synonyms) for code, (name, synonyms) in _NETWORKS.items()}
)
_QUALIFICATION_LOOKUP = _build_lookup(
    {code: (name, *synonyms) for code, (name, synonyms) in _QUALIFICATIONS.items()}
)


def _normalise(raw: str, lookup: Mapping[str, str], max_length: int) -> str:
    """Curated canonical form if `raw` names a curated entry, else the cleaned text or ""."""
    cleaned = _clean(raw)
    if not cleaned:
        return ""
    canonical = lookup.get(_match_key(cleaned))
    if canonical is not None:
        return canonical
    if len(cleaned) > max_length:
        return ""
    return cleaned


def normalise_tag(raw: str) -> str:
    """One interest tag: the curated display form, a lowercased free tag, or "" to reject.

    Free tags are lowercased so "Moodle plugins" and "moodle plugins" are one tag;
    curated tags keep their canonical case ("OER", "xAPI").
    """
    tag = _normalise(raw, _TAG_LOOKUP, MAX_TAG_LENGTH)
    if tag in _TAG_SYNONYMS:
        return tag
    return tag.lower()


def _dedupe(values: Iterable[str]) -> list[str]:
    """Drop empty values and repeats (ignoring case), keeping the first spelling and order."""
    seen: set[str] = set()
    result = []
    for value in values:
        key = value.casefold()
        if value and key not in seen:
            seen.add(key)
            result.append(value)
    return result


def normalise_tags(raws: Iterable[str]) -> list[str]:
    """Normalise many tags, dropping rejects and duplicates, keeping the member's order."""
    return _dedupe(normalise_tag(raw) for raw in raws)


def is_curated_tag(tag: str) -> bool:
    """True for a canonical curated tag (as returned by normalise_tag)."""
    return tag in _TAG_SYNONYMS


def normalise_network(raw: str) -> str:
    """A network's canonical code ("alt" -> "ALT"), else the cleaned name as typed, or "".

    Free network names keep their case: they are proper names ("SALT", "OpenETC").
    """
    return _normalise(raw, _NETWORK_LOOKUP, MAX_NAME_LENGTH)


def normalise_networks(raws: Iterable[str]) -> list[str]:
    """Normalise many networks, dropping rejects and duplicates, keeping order."""
    return _dedupe(normalise_network(raw) for raw in raws)


def normalise_qualification(raw: str) -> str:
    """A qualification's canonical code ("M.Ed." -> "MEd"), else the cleaned text, or ""."""
    return _normalise(raw, _QUALIFICATION_LOOKUP, MAX_NAME_LENGTH)


def normalise_qualifications(raws: Iterable[str]) -> list[str]:
    """Normalise many qualifications, dropping rejects and duplicates, keeping order."""
    return _dedupe(normalise_qualification(raw) for raw in raws)


# --------------------------------------------------------------------------------------
# Topics in other words: free text -> curated interest topics
# --------------------------------------------------------------------------------------

#: Phrases people write in bios, roles, headlines, posts and free tags that mean they work
#: on a curated topic without naming it: "captioning" is accessibility work, "Moodle" is
#: LMS administration. Unlike _TAG_SYNONYMS (which *are* the tag), one phrase may point to
#: several topics, and the curated tags and their synonyms count as phrases too.
TOPIC_PHRASES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "accessibility & UDL": (
            "captioning",
            "caption",
            "captions",
            "captioned",
            "closed captions",
            "closed captioning",
            "subtitles",
            "transcripts",
            "transcription",
            "alt text",
            "alternative text",
            "screen reader",
            "screen readers",
            "assistive technology",
            "disability services",
            "accessible",
            "accessible design",
            "accessible documents",
            "accessible course",
            "accessible courses",
            "section 508",
            "accessibilité",
            "sous-titrage",
        ),
        "LMS administration": (
            "Moodle",
            "Canvas",
            "Brightspace",
            "D2L",
            "Blackboard",
            "Sakai",
            "Schoology",
            "Google Classroom",
            "LTI",
            "gradebook",
            "course shells",
            "LMS migration",
            "plateforme d'apprentissage",
        ),
        "instructional design": (
            "course designer",
            "curriculum design",
            "curriculum development",
            "ADDIE",
            "backward design",
            "learning objectives",
            "learning outcomes",
            "storyboarding",
            "design pédagogique",
            "conception pédagogique",
            "conseiller pédagogique",
            "conseillère pédagogique",
            "technopédagogue",
        ),
        "video production": ("lecture capture", "screencasts", "screencasting", "Kaltura"),
        "podcasting": ("audio", "audio editing"),
        "learning analytics": ("dashboards", "learner data", "student data", "data analysis"),
        "generative AI in teaching": ("prompt engineering", "large language models", "copilot"),
        "assessment": ("exams", "quizzes", "feedback on assignments", "authentic assessment"),
        "faculty development": (
            "teaching centre",
            "teaching center",
            "faculty workshops",
            "instructor training",
            "educational developer",
            "pédagogie universitaire",
        ),
        "OER": ("open textbook", "Pressbooks", "OpenStax", "ressources éducatives libres", "REL"),
        "open pedagogy": ("renewable assignments", "open practices"),
        "educational research": ("dissertation", "PhD research", "doctoral research"),
        "gamification": ("badges", "escape rooms", "leaderboards"),
        "VR & AR": ("360 video", "metaverse", "headsets"),
        "e-learning authoring": ("Storyline", "Captivate", "Camtasia", "H5P", "iSpring"),
        "online & distance learning": (
            "online courses",
            "online course",
            "remote teaching",
            "formation à distance",
            "enseignement à distance",
            "FAD",
        ),
        "blended & hybrid learning": ("flipped classroom", "flipped learning", "HyFlex"),
        "workplace learning": (
            "onboarding",
            "compliance training",
            "sales enablement",
            "talent development",
            "corporate training",
        ),
        "technology integration": ("Chromebooks", "1:1 devices", "classroom tech"),
        "project management": ("project lead", "scrum", "project planning"),
        "digital strategy": ("digital learning strategy", "CIO", "director of digital learning"),
        "privacy & data ethics": ("data protection", "student privacy", "surveillance"),
        "copyright & open licensing": ("fair use", "fair dealing", "CC BY", "licensing"),
        "academic integrity": ("cheating", "contract cheating", "AI detection"),
        "learner engagement": ("discussion forums", "community of inquiry", "student motivation"),
        "inclusive teaching": ("anti-racist pedagogy", "decolonising", "decolonizing"),
        "quality assurance": ("accreditation", "course reviews", "QM rubric"),
        "microlearning": ("job aids", "short videos"),
        "simulations": ("virtual patients", "branching scenarios"),
        "ePortfolios": ("Mahara", "Portfolium"),
        "learning sciences": ("cognitive load", "retrieval practice", "spaced practice"),
        "Moodle": ("Moodle plugins", "Moodle admin", "Moodle administration", "Moodle site"),
        "Canvas": ("Canvas admin", "Canvas administration"),
        "H5P": ("H5P content", "interactive content"),
    }
)

_WORD_CHARS = re.compile(r"[^\W_]+(?:[.+#][^\W_]+)*", re.UNICODE)
#: Short all-capital acronyms ("AI", "ID", "PM", "AR") match only when written in capitals
#: in free text, so "I'd", "ar" and "2 pm" are not read as topics.
_ACRONYM = re.compile(r"^[A-Z0-9]{1,4}$")


def _phrase_words(text: str) -> list[str]:
    """The words of a text, with "&" as "and" and apostrophes dropped ("L&D", "d'apprentissage")."""
    text = unicodedata.normalize("NFKC", text.translate(_TRADEMARKS)).replace("&", " and ")
    for apostrophe in _APOSTROPHES:
        text = text.replace(apostrophe, "")
    return _WORD_CHARS.findall(text)


class TopicMatcher:
    """Finds the curated topics a piece of free text names or implies.

    Built from ``{topic: phrases}`` maps (by default the tags with their synonyms and
    TOPIC_PHRASES); the quality benchmark builds one with part of the phrases held out.
    Matching is by whole words, longest phrase first, case ignored except for short
    acronyms.
    """

    def __init__(self, *sources: Mapping[str, Iterable[str]]) -> None:
        self._phrases: dict[tuple[str, ...], list[str]] = {}
        self._longest = 1
        for source in sources:
            for topic, phrases in source.items():
                for phrase in (topic, *phrases):
                    self._add(phrase, topic)
        # A topic that is itself a phrase of another implies it: every phrase that means
        # "Moodle" ("Moodle plugins") also means "LMS administration".
        for topics in self._phrases.values():
            for topic in list(topics):
                for implied in self._phrases.get(self._key(topic), ()):
                    if implied not in topics:
                        topics.append(implied)

    @staticmethod
    def _key(phrase: str) -> tuple[str, ...]:
        words = _phrase_words(phrase)
        if len(words) == 1 and _ACRONYM.match(words[0]):
            return (words[0],)  # kept in capitals: matched case-sensitively
        return tuple(word.casefold() for word in words)

    def _add(self, phrase: str, topic: str) -> None:
        key = self._key(phrase)
        if not key:
            return
        topics = self._phrases.setdefault(key, [])
        if topic not in topics:
            topics.append(topic)
        self._longest = max(self._longest, len(key))

    def matches(self, text: str) -> list[tuple[str, list[str]]]:
        """Each phrase found in `text`, as written there, with the topics it means."""
        words = _phrase_words(text)
        folded = [word.casefold() for word in words]
        found: list[tuple[str, list[str]]] = []
        position = 0
        while position < len(words):
            step = 1
            for length in range(min(self._longest, len(words) - position), 0, -1):
                topics = self._phrases.get(tuple(folded[position : position + length]))
                if topics is None and length == 1:
                    topics = self._phrases.get((words[position],))
                if topics is not None:
                    found.append((" ".join(words[position : position + length]), topics))
                    step = length
                    break
            position += step
        return found

    def topics(self, text: str) -> list[str]:
        """Curated topics found in `text`, in the order they first appear, without repeats.

        A phrase's own topic comes first ("Moodle" -> ["Moodle", "LMS administration"]).
        """
        found: list[str] = []
        for _phrase, topics in self.matches(text):
            found.extend(topic for topic in topics if topic not in found)
        return found


def _default_sources() -> tuple[Mapping[str, Iterable[str]], ...]:
    return (_TAG_SYNONYMS, TOPIC_PHRASES)


@functools.lru_cache(maxsize=1)
def default_topic_matcher() -> TopicMatcher:
    """The matcher built from the whole curated vocabulary (built once per process)."""
    return TopicMatcher(*_default_sources())


def topics_for_phrase(text: str) -> list[str]:
    """The curated interest topics a free-text phrase or passage is about.

    "captioning" -> ["accessibility & UDL"]; "Moodle" -> ["Moodle", "LMS administration"];
    "I run our Moodle site and caption videos" -> ["Moodle", "LMS administration", ...];
    text that names no topic -> []. Order: first appearance in the text.
    """
    return default_topic_matcher().topics(text)


# --------------------------------------------------------------------------------------
# Time zones
# --------------------------------------------------------------------------------------

# Zone names under these areas are the ones a person recognises ("America/Toronto");
# the rest ("EST5EDT", "Etc/GMT+5", "US/Pacific", "Cuba") are legacy aliases.
_TIME_ZONE_AREAS = (
    "Africa/",
    "America/",
    "Antarctica/",
    "Arctic/",
    "Asia/",
    "Atlantic/",
    "Australia/",
    "Europe/",
    "Indian/",
    "Pacific/",
)

TIME_ZONES: tuple[str, ...] = tuple(
    sorted(
        name
        for name in zoneinfo.available_timezones()
        if name == "UTC" or name.startswith(_TIME_ZONE_AREAS)
    )
)
_TIME_ZONE_SET = frozenset(TIME_ZONES)


def is_valid_time_zone(name: str) -> bool:
    """True if `name` is one of TIME_ZONES (exact spelling, as browsers report it)."""
    return name in _TIME_ZONE_SET


# --------------------------------------------------------------------------------------
# Countries and their top-level subdivisions (ISO 3166, from pycountry)
# --------------------------------------------------------------------------------------


def _country_display_name(country: pycountry.db.Country) -> str:
    """The everyday name: "Taiwan" and "Bolivia" rather than ISO's formal long forms."""
    return getattr(country, "common_name", None) or country.name


COUNTRIES: Mapping[str, str] = MappingProxyType(
    dict(
        sorted(
            ((country.alpha_2, _country_display_name(country)) for country in pycountry.countries),
            key=lambda item: item[1].casefold(),
        )
    )
)


@functools.lru_cache(maxsize=8)
def country_names(locale: str) -> Mapping[str, str]:
    """{code: name} in a language ("fr_CA": CLDR's names through Babel), sorted for reading.

    English keeps pycountry's everyday names; a code CLDR does not name keeps its English one.
    """
    if locale.split("_")[0] == "en":
        return COUNTRIES
    territories = babel.Locale.parse(locale).territories
    names = {code: territories.get(code, name) for code, name in COUNTRIES.items()}
    return MappingProxyType(dict(sorted(names.items(), key=lambda item: _sort_key(item[1]))))


def _sort_key(name: str) -> str:
    """ "Égypte" sorts with the E's: accents set aside, then case."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def country_name(code: str) -> str | None:
    """The display name for an ISO alpha-2 code (any case), or None if unknown."""
    return COUNTRIES.get(code.strip().upper())


def is_valid_country(code: str) -> bool:
    """True for an ISO 3166-1 alpha-2 code, as stored (upper case)."""
    return code in COUNTRIES


def _subdivision_name(iso_name: str) -> str:
    """Drop ISO's bracketed alternates: "Wales [Cymru GB-CYM]" -> "Wales"."""
    return re.sub(r"\s*\[[^\]]*\]$", "", iso_name)


def subdivisions_for(country_code: str) -> list[tuple[str, str]]:
    """Top-level regions of a country as (ISO 3166-2 code, name), sorted by name.

    Only the top level (states, provinces, England/Scotland/...) because a profile's
    region is a rough locator, not an address; France's 100 departments would drown it.
    """
    return list(_top_level_subdivisions(country_code.strip().upper()))


@functools.lru_cache(maxsize=512)
def _top_level_subdivisions(code: str) -> tuple[tuple[str, str], ...]:
    # pycountry scans every subdivision of the world per call: pages ask for the same few
    # countries on every request, so each country's list is worked out once per process.
    if code not in COUNTRIES:
        return ()
    found = pycountry.subdivisions.get(country_code=code) or []
    top = [(sub.code, _subdivision_name(sub.name)) for sub in found if sub.parent_code is None]
    return tuple(sorted(top, key=lambda item: item[1].casefold()))


@functools.lru_cache(maxsize=512)
def subdivision_names(country_code: str) -> dict[str, str]:
    """{ISO 3166-2 code: name} of a country's top-level regions (shared: do not modify)."""
    return dict(_top_level_subdivisions(country_code.strip().upper()))


def is_valid_subdivision(country_code: str, subdivision_code: str) -> bool:
    """True if the subdivision is a top-level region of that country."""
    return subdivision_code in subdivision_names(country_code)


__all__ = [
    "CAREER_STAGES",
    "COUNTRIES",
    "INTENTS",
    "INTEREST_TAGS",
    "MAX_NAME_LENGTH",
    "MAX_TAG_LENGTH",
    "NETWORKS",
    "QUALIFICATIONS",
    "SECTORS",
    "TOPIC_PHRASES",
    "TIME_ZONES",
    "CareerStage",
    "TopicMatcher",
    "country_name",
    "is_curated_tag",
    "is_valid_country",
    "is_valid_subdivision",
    "is_valid_time_zone",
    "normalise_network",
    "normalise_networks",
    "normalise_qualification",
    "normalise_qualifications",
    "normalise_tag",
    "normalise_tags",
    "subdivision_names",
    "subdivisions_for",
    "topics_for_phrase",
]
