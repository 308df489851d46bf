"""The demo community's content, as plain deterministic Python data.

Standard library only: no Flask, no database, nothing from the rest of ``hallway``.
The seed command turns this into rows. Everything here is fictional: people,
organisations, e-mail addresses (reserved ``example.*`` domains) and links.

The same ``seed`` always yields the same members; threads are fixed text; events
are placed relative to the ``today`` they are given.
"""

from __future__ import annotations

import random
import re
import textwrap
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

# --------------------------------------------------------------------------------------
# Vocabularies
# --------------------------------------------------------------------------------------

CAREER_STAGES: tuple[str, ...] = ("novice", "career", "advanced")
SECTORS: tuple[str, ...] = (
    "post_secondary",
    "corporate",
    "k12",
    "nonprofit",
    "continuing_ed",
    "other",
)
INTENTS: tuple[str, ...] = (
    "mentoring",
    "career_chat",
    "job_leads",
    "hiring",
    "collaborators",
    "peer_support",
    "speaking",
    "course_feedback",
)
NETWORKS: tuple[str, ...] = (
    "WCET",
    "ALT",
    "ASCILITE",
    "CNIE",
    "REFAD",
    "ETUG",
    "ISTE",
    "OLC",
    "EDUCAUSE",
    "BCcampus",
)
INTEREST_TAGS: tuple[str, ...] = (
    "instructional design",
    "LMS administration",
    "accessibility & UDL",
    "OER",
    "video production",
    "learning analytics",
    "generative AI in teaching",
    "assessment",
    "faculty development",
    "learning experience design",
    "microlearning",
    "open pedagogy",
    "H5P",
    "Moodle",
    "Canvas",
    "Brightspace",
    "Blackboard",
    "Google Classroom",
    "Pressbooks",
    "Articulate Storyline",
    "podcasting",
    "digital literacy",
    "online program quality",
    "copyright & licensing",
    "competency-based education",
    "game-based learning",
    "learning spaces",
    "project management",
    "change management",
    "decolonizing curriculum",
    "student success",
    "virtual reality",
)
PROFILE_VISIBILITIES: tuple[str, ...] = ("public", "members", "private")

#: ``@handle`` mentions inside Markdown bodies.
MENTION_RE = re.compile(r"(?<![\w.@])@([a-z0-9_-]{3,30})")
HANDLE_RE = re.compile(r"^[a-z0-9_-]{3,30}$")


# --------------------------------------------------------------------------------------
# Data classes
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoMember:
    display_name: str
    handle: str
    email: str
    career_stage: str
    headline: str
    bio: str
    pronouns: str | None
    role: str
    organisation: str
    sector: str
    country: str
    region: str
    city: str
    time_zone: str
    interests: tuple[str, ...]
    networks: tuple[str, ...]
    qualifications: tuple[str, ...]
    looking_for: tuple[str, ...]
    offering: tuple[str, ...]
    links: tuple[str, ...] = ()
    profile_visibility: str = "members"
    in_directory: bool = True
    matchable: bool = True
    novices_may_request: bool = True
    show_contact_links: bool = False


@dataclass(frozen=True)
class DemoComment:
    author_handle: str
    body: str
    replies: list[DemoComment] = field(default_factory=list)


@dataclass(frozen=True)
class DemoThread:
    slug: str
    category_slug: str
    author_handle: str
    title: str
    body: str
    tags: tuple[str, ...]
    comments: list[DemoComment] = field(default_factory=list)


@dataclass(frozen=True)
class DemoRoom:
    name: str
    description: str


@dataclass(frozen=True)
class DemoAnnouncement:
    author_handle: str
    title: str
    body: str


@dataclass(frozen=True)
class DemoEvent:
    slug: str
    title: str
    summary: str
    description: str
    is_online: bool
    start_date: date
    start_hour: int
    end_date: date
    end_hour: int
    time_zone: str
    venue: str | None
    city: str | None
    region: str | None
    country: str | None
    online_url: str | None
    capacity: int
    organiser_handle: str
    rooms: tuple[DemoRoom, ...]
    announcement: DemoAnnouncement
    tags: tuple[str, ...] = ()

    @property
    def starts_at(self) -> datetime:
        """Timezone-aware local start."""
        d = self.start_date
        return datetime(d.year, d.month, d.day, self.start_hour, tzinfo=ZoneInfo(self.time_zone))

    @property
    def ends_at(self) -> datetime:
        """Timezone-aware local end."""
        d = self.end_date
        return datetime(d.year, d.month, d.day, self.end_hour, tzinfo=ZoneInfo(self.time_zone))


# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<!\.m)[.!?][\"')]*(?=\s|$)")
_BLOCK_START = re.compile(r"^(#{1,6} |[-*+] |> ?|\d+\. |\|)")


def _md(text: str) -> str:
    """Dedent and unwrap hard-wrapped source text into Markdown paragraphs.

    Lines inside a paragraph (or a list item) are joined with a space; blank lines,
    headings, list items and quote lines keep their own line.
    """
    out: list[str] = []
    for raw in textwrap.dedent(text).strip().splitlines():
        line = raw.strip()
        if not line:
            out.append("")
        elif out and out[-1] and not _BLOCK_START.match(line) and not out[-1].startswith("#"):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return "\n".join(out)


def _c(author_handle: str, body: str, *replies: DemoComment) -> DemoComment:
    return DemoComment(author_handle=author_handle, body=_md(body), replies=list(replies))


def walk_comments(
    comments: Sequence[DemoComment], depth: int = 1
) -> Iterator[tuple[int, DemoComment]]:
    """Depth-first ``(depth, comment)`` pairs; top-level comments have depth 1."""
    for comment in comments:
        yield depth, comment
        yield from walk_comments(comment.replies, depth + 1)


def mentioned_handles(text: str) -> list[str]:
    """Handles ``@mentioned`` in ``text``, in order of appearance."""
    return MENTION_RE.findall(text)


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", folded.lower())


# --------------------------------------------------------------------------------------
# Feature members, organiser and admin (fixed; the demo log-ins use these)
# --------------------------------------------------------------------------------------

FEATURE_MEMBERS: tuple[DemoMember, ...] = (
    # ---- novices -------------------------------------------------------------------
    DemoMember(
        display_name="Priya Raman",
        handle="priya-raman",
        email="priya.raman@example.org",
        career_stage="novice",
        headline="Science teacher, nine years in · teaching myself instructional design",
        bio=_md(
            """
            I've taught high-school science in Surrey for nine years, and somewhere in the
            pandemic pivot I realised the part I loved most was *building* the online
            units, not just teaching them. I'm working through an instructional design
            certificate in the evenings and putting together my first portfolio. If you
            made the jump from K–12, I'd love to hear what you wish you'd known.
            """
        ),
        pronouns="she/her",
        role="Secondary science teacher",
        organisation="Harbourview School District",
        sector="k12",
        country="CA",
        region="British Columbia",
        city="Surrey",
        time_zone="America/Vancouver",
        interests=(
            "instructional design",
            "learning experience design",
            "H5P",
            "accessibility & UDL",
        ),
        networks=("ETUG",),
        qualifications=("BEd",),
        looking_for=("mentoring", "career_chat", "job_leads"),
        offering=("peer_support", "course_feedback"),
        links=("https://priya-raman.example.com/portfolio",),
        profile_visibility="members",
        show_contact_links=True,
    ),
    DemoMember(
        display_name="Tomás Herrera",
        handle="tomas_h",
        email="tomas.herrera@coastline.example.edu",
        career_stage="novice",
        headline="MALAT student researching open pedagogy in language learning",
        bio=_md(
            """
            I taught English to adults in Guadalajara for six years before moving to
            Victoria for grad school. Now I'm in the MA in Learning and Technology and work
            as a research assistant on an open pedagogy project with ESL instructors.

            **Ask me about:** renewable assignments, bilingual course design, surviving
            your first academic conference.
            """
        ),
        pronouns="he/him",
        role="Graduate student and research assistant",
        organisation="Coastline University",
        sector="post_secondary",
        country="CA",
        region="British Columbia",
        city="Victoria",
        time_zone="America/Vancouver",
        interests=("open pedagogy", "OER", "generative AI in teaching", "assessment"),
        networks=("CNIE", "BCcampus"),
        qualifications=(),
        looking_for=("mentoring", "job_leads", "collaborators"),
        offering=("peer_support", "course_feedback"),
        links=("https://tomash.example.net/", "https://social.example.net/@tomas_h"),
        profile_visibility="public",
        show_contact_links=True,
    ),
    DemoMember(
        display_name="Aroha Ngata",
        handle="aroha-ngata",
        email="aroha.ngata@silverfern.example.edu",
        career_stage="novice",
        headline="Liaison librarian hoping to move sideways into learning design",
        bio=_md(
            """
            Kia ora! I'm a liaison librarian in Kirikiriroa (Hamilton), and I already
            spend half my week inside Moodle courses sorting out reading lists, copyright
            and info-lit modules. I'd like to make that the whole job. Outside work: waka
            ama, and a vegetable garden that the slugs enjoy more than I do.
            """
        ),
        pronouns="she/her",
        role="Liaison librarian",
        organisation="Silver Fern Institute of Technology",
        sector="post_secondary",
        country="NZ",
        region="Waikato",
        city="Hamilton",
        time_zone="Pacific/Auckland",
        interests=("OER", "Moodle", "copyright & licensing", "accessibility & UDL"),
        networks=("ASCILITE",),
        qualifications=("MLIS",),
        looking_for=("mentoring", "career_chat"),
        offering=("peer_support", "course_feedback"),
        links=(),
        profile_visibility="members",
        show_contact_links=False,
    ),
    DemoMember(
        display_name="Jamie Brennan",
        handle="jamie-brennan",
        email="jamie.brennan@example.com",
        career_stage="novice",
        headline="Customer trainer in SaaS, working my way into higher-ed learning tech",
        bio=_md(
            """
            I run onboarding webinars for a finance software company in Dublin and have
            built more screencasts than I can count. I'm trying to move into learning
            technology at a university or college, and I'm reading up on CMALT. Very happy
            to trade notes on video workflows in return for CV advice.
            """
        ),
        pronouns="they/them",
        role="Customer training specialist",
        organisation="Ledgerly",
        sector="corporate",
        country="IE",
        region="County Dublin",
        city="Dublin",
        time_zone="Europe/Dublin",
        interests=(
            "microlearning",
            "video production",
            "learning experience design",
            "instructional design",
        ),
        networks=("ALT",),
        qualifications=(),
        looking_for=("career_chat", "job_leads", "mentoring"),
        offering=("peer_support", "course_feedback"),
        links=("https://www.example.com/in/jamie-brennan",),
        profile_visibility="members",
        show_contact_links=True,
    ),
    # ---- career --------------------------------------------------------------------
    DemoMember(
        display_name="Deanna Kowalski",
        handle="dee-kowalski",
        email="dkowalski@northshore.example.edu",
        career_stage="career",
        headline="LMS administrator (Brightspace) · survivor of one migration, planning another",
        bio=_md(
            """
            I've run Brightspace at Northshore Community College for seven years:
            integrations, term rollover, roles and permissions, and a lot of "why can't my
            students see the quiz?" I wrote most of our help-desk knowledge base. I'd like
            to spend less time in the ticket queue and more time on the decisions that
            create the tickets.
            """
        ),
        pronouns="she/her",
        role="LMS Administrator",
        organisation="Northshore Community College",
        sector="post_secondary",
        country="CA",
        region="Ontario",
        city="Thunder Bay",
        time_zone="America/Toronto",
        interests=(
            "LMS administration",
            "Brightspace",
            "accessibility & UDL",
            "learning analytics",
            "faculty development",
        ),
        networks=("CNIE", "EDUCAUSE"),
        qualifications=(),
        looking_for=("peer_support", "career_chat", "collaborators"),
        offering=("peer_support", "course_feedback", "career_chat"),
        links=(),
        profile_visibility="members",
        show_contact_links=False,
    ),
    DemoMember(
        display_name="Kwame Asante",
        handle="kwame-asante",
        email="kwame.asante@prairiepoly.example.edu",
        career_stage="career",
        headline="Media producer at a teaching & learning centre · lightboards, captions, podcasts",
        bio=_md(
            """
            I spent eight years as a camera operator at a community TV station before
            joining the Centre for Teaching & Learning at Prairie Polytechnic. I built our
            lightboard studio out of spare parts and stubbornness. My firm belief: a
            one-take six-minute video beats a polished forty-minute lecture, every time.
            """
        ),
        pronouns="he/him",
        role="Media Producer, Centre for Teaching & Learning",
        organisation="Prairie Polytechnic",
        sector="post_secondary",
        country="CA",
        region="Saskatchewan",
        city="Saskatoon",
        time_zone="America/Regina",
        interests=("video production", "accessibility & UDL", "microlearning", "podcasting"),
        networks=("CNIE", "WCET"),
        qualifications=(),
        looking_for=("collaborators", "speaking", "job_leads"),
        offering=("course_feedback", "peer_support", "career_chat"),
        links=("https://kwame.example.net/reel",),
        profile_visibility="public",
        show_contact_links=True,
    ),
    DemoMember(
        display_name="Sofía Márquez",
        handle="sofia-marquez",
        email="sofia.marquez@bluestemhealth.example.com",
        career_stage="career",
        headline="Senior learning experience designer in healthcare · ex-nurse educator",
        bio=_md(
            """
            I was a nurse educator for six years before moving into L&D at a hospital
            network in Austin. These days I design compliance and clinical training that
            people don't hate, mostly short modules and simulations. I'm quietly
            wondering whether higher ed is my next move.
            """
        ),
        pronouns="she/her",
        role="Senior Learning Experience Designer",
        organisation="Bluestem Health",
        sector="corporate",
        country="US",
        region="Texas",
        city="Austin",
        time_zone="America/Chicago",
        interests=(
            "learning experience design",
            "microlearning",
            "assessment",
            "Articulate Storyline",
            "generative AI in teaching",
        ),
        networks=("OLC",),
        qualifications=("MEd",),
        looking_for=("job_leads", "career_chat", "collaborators"),
        offering=("course_feedback", "peer_support", "career_chat"),
        links=("https://sofia-marquez.example.com/",),
        profile_visibility="members",
        show_contact_links=True,
    ),
    DemoMember(
        display_name="Hannah Lewis",
        handle="hannah-lewis",
        email="h.lewis@taffvalley.example.edu",
        career_stage="career",
        headline="Open education coordinator · bilingual (Welsh/English) OER",
        bio=_md(
            """
            I look after open education at Taff Valley University in Cardiff, which mostly
            means helping lecturers license, adapt and share their materials, in Welsh and
            English. I got CMALT a few years ago and now help colleagues with their
            portfolios. Always keen to find collaborators for open textbook projects.
            """
        ),
        pronouns="she/her",
        role="Open Education Coordinator",
        organisation="Taff Valley University",
        sector="post_secondary",
        country="GB",
        region="Wales",
        city="Cardiff",
        time_zone="Europe/London",
        interests=("OER", "open pedagogy", "accessibility & UDL", "faculty development"),
        networks=("ALT",),
        qualifications=("CMALT", "MA"),
        looking_for=("collaborators", "speaking"),
        offering=("peer_support", "course_feedback", "career_chat"),
        links=("https://blog.example.org/hannah-lewis",),
        profile_visibility="public",
        show_contact_links=True,
    ),
    DemoMember(
        display_name="Min-jun Park",
        handle="minjun-park",
        email="minjun.park@wattlegrove.example.edu",
        career_stage="career",
        headline="Learning analytics · dashboards teaching staff actually open",
        bio=_md(
            """
            I moved sideways from student services into the learning analytics team at
            Wattle Grove University in Melbourne. Most of my work is turning Moodle logs
            into something a busy lecturer can act on in five minutes, and arguing about
            what we *shouldn't* measure.
            """
        ),
        pronouns=None,
        role="Learning Analytics Specialist",
        organisation="Wattle Grove University",
        sector="post_secondary",
        country="AU",
        region="Victoria",
        city="Melbourne",
        time_zone="Australia/Melbourne",
        interests=("learning analytics", "Moodle", "assessment", "generative AI in teaching"),
        networks=("ASCILITE",),
        qualifications=("MEd",),
        looking_for=("collaborators", "mentoring", "job_leads"),
        offering=("peer_support", "course_feedback"),
        links=(),
        profile_visibility="members",
        show_contact_links=False,
    ),
    # ---- advanced ------------------------------------------------------------------
    DemoMember(
        display_name="Maggie Doucet",
        handle="maggie-doucet",
        email="maggie.doucet@fundybay.example.edu",
        career_stage="advanced",
        headline="Director of Digital Learning · former French immersion teacher · mentor",
        bio=_md(
            """
            I taught French immersion for twelve years before becoming an instructional
            designer at 38, and I now lead the digital learning team at Fundy Bay
            University in Moncton. I mentor a handful of career changers every year —
            teachers especially. Je réponds aussi en français.
            """
        ),
        pronouns="she/her",
        role="Director of Digital Learning",
        organisation="Fundy Bay University",
        sector="post_secondary",
        country="CA",
        region="New Brunswick",
        city="Moncton",
        time_zone="America/Moncton",
        interests=(
            "instructional design",
            "faculty development",
            "online program quality",
            "change management",
        ),
        networks=("CNIE", "REFAD", "WCET"),
        qualifications=("MEd", "EdD"),
        looking_for=("collaborators",),
        offering=("mentoring", "career_chat", "speaking", "hiring"),
        links=("https://maggie-doucet.example.org/",),
        profile_visibility="public",
        show_contact_links=True,
    ),
    DemoMember(
        display_name="Rajiv Sethi",
        handle="rajiv-sethi",
        email="rsethi@foothills.example.edu",
        career_stage="advanced",
        headline="Associate Vice-Provost, Teaching & Learning Innovation · hiring this year",
        bio=_md(
            """
            I started as a web developer in a distance-ed unit in 2001 and somehow ended
            up in the provost's office. My team covers instructional design, media,
            educational development and the LMS. I care about sustainable workloads for
            small teams and I'm usually hiring, so ask.
            """
        ),
        pronouns="he/him",
        role="Associate Vice-Provost, Teaching & Learning Innovation",
        organisation="Foothills Polytechnic University",
        sector="post_secondary",
        country="CA",
        region="Alberta",
        city="Calgary",
        time_zone="America/Edmonton",
        interests=(
            "online program quality",
            "change management",
            "generative AI in teaching",
            "learning analytics",
        ),
        networks=("EDUCAUSE", "WCET", "CNIE"),
        qualifications=("PhD",),
        looking_for=("collaborators", "speaking"),
        offering=("mentoring", "hiring", "speaking", "job_leads"),
        links=("https://www.example.com/in/rajiv-sethi",),
        profile_visibility="members",
        novices_may_request=True,
        show_contact_links=False,
    ),
    DemoMember(
        display_name="Fiona McAllister",
        handle="fiona-mcallister",
        email="fiona.mcallister@kelvinside.example.edu",
        career_stage="advanced",
        headline="Head of Learning Technology · CMALT assessor · occasional keynote",
        bio=_md(
            """
            I run the learning technology service at Kelvinside University in Glasgow:
            the VLE, lecture capture, digital assessment and a team of eleven brilliant
            people. I came in through a research post in the early 2000s. I assess CMALT
            portfolios, speak more than I should, and mentor anyone thinking about
            leadership who isn't sure they want it.
            """
        ),
        pronouns="she/they",
        role="Head of Learning Technology",
        organisation="Kelvinside University",
        sector="post_secondary",
        country="GB",
        region="Scotland",
        city="Glasgow",
        time_zone="Europe/London",
        interests=(
            "assessment",
            "generative AI in teaching",
            "accessibility & UDL",
            "LMS administration",
            "change management",
        ),
        networks=("ALT", "EDUCAUSE"),
        qualifications=("PhD", "CMALT"),
        looking_for=("collaborators",),
        offering=("mentoring", "speaking", "career_chat"),
        links=("https://fionamcallister.example.org/talks",),
        profile_visibility="public",
        show_contact_links=True,
    ),
)

FEATURE_HANDLES: tuple[str, ...] = tuple(m.handle for m in FEATURE_MEMBERS)

DEMO_ORGANISER = DemoMember(
    display_name="Nadia Haddad",
    handle="nadia-haddad",
    email="nadia.haddad@example.org",
    career_stage="advanced",
    headline="Community organiser at Hallway · ex-ETUG steering committee",
    bio=_md(
        """
        I run Hallway's events: the online Hallway Live days and the meetups we tuck
        around regional conferences. Before this I coordinated educational development at
        a BC college for ten years. If you have an idea for a meetup room, tell me.
        """
    ),
    pronouns="she/her",
    role="Community Organiser",
    organisation="Hallway",
    sector="nonprofit",
    country="CA",
    region="British Columbia",
    city="Vancouver",
    time_zone="America/Vancouver",
    interests=("faculty development", "learning spaces", "open pedagogy"),
    networks=("ETUG", "BCcampus", "CNIE"),
    qualifications=("MEd",),
    looking_for=("collaborators", "speaking"),
    offering=("mentoring", "career_chat", "speaking"),
    links=("https://hallway.example.org/events",),
    profile_visibility="public",
    in_directory=True,
    matchable=False,
    novices_may_request=True,
    show_contact_links=True,
)

DEMO_ADMIN = DemoMember(
    display_name="Hallway Admin",
    handle="hallway-admin",
    email="admin@hallway.example.org",
    career_stage="career",
    headline="Keeps the lights on",
    bio="Site administrator account for the Hallway demo community.",
    pronouns=None,
    role="Site administrator",
    organisation="Hallway",
    sector="nonprofit",
    country="CA",
    region="British Columbia",
    city="Vancouver",
    time_zone="America/Vancouver",
    interests=("LMS administration", "project management"),
    networks=(),
    qualifications=(),
    looking_for=(),
    offering=(),
    links=(),
    profile_visibility="private",
    in_directory=False,
    matchable=False,
    novices_may_request=False,
    show_contact_links=False,
)


# --------------------------------------------------------------------------------------
# Generated members: pools
# --------------------------------------------------------------------------------------

# (first name, f/m/n) — n: commonly used across genders.
_FIRST_NAMES: tuple[tuple[str, str], ...] = (
    ("Aaliyah", "f"), ("Abdi", "m"), ("Adebayo", "m"), ("Aditi", "f"), ("Ahmed", "m"),
    ("Aiko", "f"), ("Alejandro", "m"), ("Alexis", "n"), ("Amara", "f"), ("Amira", "f"),
    ("Anahera", "f"), ("Ananya", "f"), ("Andrés", "m"), ("Anika", "f"), ("Arjun", "m"),
    ("Ayesha", "f"), ("Bao", "m"), ("Beatriz", "f"), ("Bronwyn", "f"), ("Caoimhe", "f"),
    ("Carmen", "f"), ("Chantal", "f"), ("Chidi", "m"), ("Cian", "m"), ("Claire", "f"),
    ("Connor", "m"), ("Dara", "n"), ("Darius", "m"), ("Declan", "m"), ("Deepa", "f"),
    ("Dmitri", "m"), ("Duc", "m"), ("Dylan", "n"), ("Eilidh", "f"), ("Eleni", "f"),
    ("Elif", "f"), ("Emeka", "m"), ("Émilie", "f"), ("Erin", "f"), ("Esi", "f"),
    ("Étienne", "m"), ("Ewan", "m"), ("Ezra", "m"), ("Fatima", "f"), ("Felipe", "m"),
    ("Finn", "m"), ("Freya", "f"), ("Gabriel", "m"), ("Gemma", "f"), ("Geneviève", "f"),
    ("Giulia", "f"), ("Gwen", "f"), ("Hamid", "m"), ("Hana", "f"), ("Hemi", "m"),
    ("Hiroshi", "m"), ("Ife", "f"), ("Ingrid", "f"), ("Isabel", "f"), ("Jae-won", "n"),
    ("Jasmine", "f"), ("Javier", "m"), ("Jess", "f"), ("Joaquín", "m"), ("Jordan", "n"),
    ("Kai", "n"), ("Kalani", "n"), ("Karan", "m"), ("Kateryna", "f"), ("Kavya", "f"),
    ("Keisha", "f"), ("Kenji", "m"), ("Kiri", "n"), ("Kofi", "m"), ("Laila", "f"),
    ("Lars", "m"), ("Leah", "f"), ("Leilani", "f"), ("Linh", "f"), ("Lindiwe", "f"),
    ("Lucía", "f"), ("Mackenzie", "n"), ("Mai", "f"), ("Malik", "m"), ("Manon", "f"),
    ("Marco", "m"), ("Mariam", "f"), ("Mateus", "m"), ("Mathieu", "m"), ("Mei", "f"),
    ("Mere", "f"), ("Miriam", "f"), ("Morag", "f"), ("Naledi", "f"), ("Nasrin", "f"),
    ("Niamh", "f"), ("Nikhil", "m"), ("Nikos", "m"), ("Nkechi", "f"), ("Noor", "f"),
    ("Olumide", "m"), ("Omar", "m"), ("Oren", "m"), ("Paulo", "m"), ("Pilar", "f"),
    ("Quinn", "n"), ("Rahel", "f"), ("Rangi", "m"), ("Ravi", "m"), ("Rhiannon", "f"),
    ("Riley", "n"), ("Rosa", "f"), ("Rowan", "n"), ("Saanvi", "f"), ("Sacha", "n"),
    ("Samir", "m"), ("Santiago", "m"), ("Saoirse", "f"), ("Sébastien", "m"), ("Selin", "f"),
    ("Shira", "f"), ("Simone", "f"), ("Siobhan", "f"), ("Soo-ah", "f"), ("Sunita", "f"),
    ("Sven", "m"), ("Tamsin", "f"), ("Tane", "m"), ("Tariq", "m"), ("Tegan", "f"),
    ("Thandiwe", "f"), ("Tobias", "m"), ("Tomasz", "m"), ("Uma", "f"), ("Valentina", "f"),
    ("Vikram", "m"), ("Wiremu", "m"), ("Xin", "f"), ("Yara", "f"), ("Yusuf", "m"),
    ("Zainab", "f"), ("Zoë", "f"), ("Agnieszka", "f"), ("Ama", "f"), ("Ashok", "m"),
    ("Bridget", "f"), ("Marcus", "m"), ("Taylor", "n"), ("Wei", "n"), ("Ruth", "f"),
)

_LAST_NAMES: tuple[str, ...] = (
    "Abara", "Abubakar", "Achterberg", "Adeyemi", "Afolabi", "Ahmadi", "Alvarez", "Amato",
    "Andersen", "Arsenault", "Bajwa", "Banerjee", "Barrett", "Begay", "Bélanger", "Bergeron",
    "Bhatt", "Bianchi", "Boateng", "Cardinal", "Castillo", "Chaudhry", "Cheng", "Chowdhury",
    "Clarke", "Cormier", "Costa", "Cruz", "Dang", "Das", "Delacroix", "Dlamini", "Dubois",
    "Duffy", "Eriksen", "Fagan", "Farouk", "Ferreira", "Fitzgerald", "Fonoti", "Gallagher",
    "Gauthier", "Ghosh", "Gill", "Goldberg", "González", "Greenwood", "Gunawardena",
    "Hakimi", "Henare", "Hoang", "Horvath", "Ibrahim", "Iyer", "Jablonski", "Jensen",
    "Joshi", "Kaur", "Kealoha", "Khan", "Kim", "Kovačević", "Kowalczyk", "Kumar",
    "Lachance", "Laframboise", "Lam", "Larsen", "Leblanc", "Lee", "Lindqvist", "Lozano",
    "MacDonald", "MacLeod", "Mahmoud", "Malhotra", "Martel", "McCarthy", "Mendes", "Menon",
    "Mensah", "Morrison", "Mukherjee", "Nakamura", "Nascimento", "Ndlovu", "Nguyen",
    "Nowak", "Nwosu", "O'Brien", "O'Connor", "Odhiambo", "Okonkwo", "Oliveira", "Olsen",
    "Ortiz", "Osei", "Owusu", "Papadopoulos", "Parata", "Patel", "Pereira", "Petrov",
    "Pham", "Quispe", "Rahman", "Ramírez", "Reid", "Richter", "Rinaldi", "Rossi", "Sahota",
    "Said", "Sandhu", "Santos", "Sato", "Schmidt", "Shah", "Shapiro", "Silva", "Singh",
    "Suzuki", "Tamatea", "Tan", "Tanaka", "Thibodeau", "Thompson", "Tremblay", "Tran",
    "Tuilagi", "Valdez", "Varga", "Wainwright", "Walsh", "Wang", "Watene", "Yamamoto",
    "Yilmaz", "Young", "Zhang", "Zielinski",
)

# Real people we would rather not accidentally impersonate.
_AVOID_NAMES = frozenset({"Sean Kelly", "Ruth Kelly", "Marcus Smart", "Kai Lee"})

# (country, region, city, IANA zone, weight within country)
_LOCATIONS: tuple[tuple[str, str, str, str, int], ...] = (
    ("CA", "British Columbia", "Vancouver", "America/Vancouver", 6),
    ("CA", "British Columbia", "Victoria", "America/Vancouver", 3),
    ("CA", "British Columbia", "Kamloops", "America/Vancouver", 2),
    ("CA", "British Columbia", "Kelowna", "America/Vancouver", 2),
    ("CA", "British Columbia", "Prince George", "America/Vancouver", 1),
    ("CA", "Alberta", "Calgary", "America/Edmonton", 3),
    ("CA", "Alberta", "Edmonton", "America/Edmonton", 3),
    ("CA", "Saskatchewan", "Saskatoon", "America/Regina", 2),
    ("CA", "Saskatchewan", "Regina", "America/Regina", 1),
    ("CA", "Manitoba", "Winnipeg", "America/Winnipeg", 2),
    ("CA", "Ontario", "Toronto", "America/Toronto", 6),
    ("CA", "Ontario", "Ottawa", "America/Toronto", 3),
    ("CA", "Ontario", "Hamilton", "America/Toronto", 2),
    ("CA", "Ontario", "Thunder Bay", "America/Toronto", 1),
    ("CA", "Ontario", "Sudbury", "America/Toronto", 1),
    ("CA", "Québec", "Montréal", "America/Toronto", 3),
    ("CA", "Québec", "Québec City", "America/Toronto", 1),
    ("CA", "Québec", "Sherbrooke", "America/Toronto", 1),
    ("CA", "New Brunswick", "Moncton", "America/Moncton", 1),
    ("CA", "New Brunswick", "Fredericton", "America/Moncton", 1),
    ("CA", "Nova Scotia", "Halifax", "America/Halifax", 2),
    ("CA", "Prince Edward Island", "Charlottetown", "America/Halifax", 1),
    ("CA", "Newfoundland and Labrador", "St. John's", "America/St_Johns", 1),
    ("CA", "Yukon", "Whitehorse", "America/Whitehorse", 1),
    ("US", "Washington", "Seattle", "America/Los_Angeles", 3),
    ("US", "Oregon", "Portland", "America/Los_Angeles", 2),
    ("US", "California", "Sacramento", "America/Los_Angeles", 2),
    ("US", "California", "San Diego", "America/Los_Angeles", 2),
    ("US", "Colorado", "Denver", "America/Denver", 2),
    ("US", "Colorado", "Boulder", "America/Denver", 1),
    ("US", "Utah", "Salt Lake City", "America/Denver", 1),
    ("US", "Arizona", "Tucson", "America/Phoenix", 1),
    ("US", "Texas", "Austin", "America/Chicago", 2),
    ("US", "Minnesota", "Minneapolis", "America/Chicago", 2),
    ("US", "Wisconsin", "Madison", "America/Chicago", 1),
    ("US", "Illinois", "Chicago", "America/Chicago", 2),
    ("US", "Indiana", "Indianapolis", "America/Indiana/Indianapolis", 1),
    ("US", "Michigan", "Ann Arbor", "America/Detroit", 1),
    ("US", "Ohio", "Columbus", "America/New_York", 2),
    ("US", "Georgia", "Atlanta", "America/New_York", 1),
    ("US", "North Carolina", "Raleigh", "America/New_York", 2),
    ("US", "Pennsylvania", "Pittsburgh", "America/New_York", 1),
    ("US", "Massachusetts", "Boston", "America/New_York", 2),
    ("US", "New York", "Buffalo", "America/New_York", 1),
    ("US", "Maryland", "Baltimore", "America/New_York", 1),
    ("US", "Alaska", "Anchorage", "America/Anchorage", 1),
    ("US", "Hawaii", "Honolulu", "Pacific/Honolulu", 1),
    ("GB", "England", "London", "Europe/London", 4),
    ("GB", "England", "Manchester", "Europe/London", 2),
    ("GB", "England", "Leeds", "Europe/London", 1),
    ("GB", "England", "Bristol", "Europe/London", 1),
    ("GB", "England", "Sheffield", "Europe/London", 1),
    ("GB", "England", "Newcastle upon Tyne", "Europe/London", 1),
    ("GB", "Scotland", "Edinburgh", "Europe/London", 2),
    ("GB", "Scotland", "Glasgow", "Europe/London", 1),
    ("GB", "Scotland", "Dundee", "Europe/London", 1),
    ("GB", "Wales", "Cardiff", "Europe/London", 1),
    ("GB", "Wales", "Swansea", "Europe/London", 1),
    ("GB", "Northern Ireland", "Belfast", "Europe/London", 1),
    ("AU", "New South Wales", "Sydney", "Australia/Sydney", 3),
    ("AU", "New South Wales", "Newcastle", "Australia/Sydney", 1),
    ("AU", "Victoria", "Melbourne", "Australia/Melbourne", 3),
    ("AU", "Victoria", "Geelong", "Australia/Melbourne", 1),
    ("AU", "Queensland", "Brisbane", "Australia/Brisbane", 2),
    ("AU", "Queensland", "Townsville", "Australia/Brisbane", 1),
    ("AU", "Western Australia", "Perth", "Australia/Perth", 2),
    ("AU", "South Australia", "Adelaide", "Australia/Adelaide", 1),
    ("AU", "Tasmania", "Hobart", "Australia/Hobart", 1),
    ("AU", "Australian Capital Territory", "Canberra", "Australia/Sydney", 1),
    ("AU", "Northern Territory", "Darwin", "Australia/Darwin", 1),
    ("NZ", "Auckland", "Auckland", "Pacific/Auckland", 2),
    ("NZ", "Wellington", "Wellington", "Pacific/Auckland", 2),
    ("NZ", "Canterbury", "Christchurch", "Pacific/Auckland", 1),
    ("NZ", "Otago", "Dunedin", "Pacific/Auckland", 1),
    ("NZ", "Waikato", "Hamilton", "Pacific/Auckland", 1),
    ("NZ", "Manawatū-Whanganui", "Palmerston North", "Pacific/Auckland", 1),
    ("IE", "County Dublin", "Dublin", "Europe/Dublin", 3),
    ("IE", "County Cork", "Cork", "Europe/Dublin", 1),
    ("IE", "County Galway", "Galway", "Europe/Dublin", 1),
    ("IE", "County Limerick", "Limerick", "Europe/Dublin", 1),
    ("ZA", "Western Cape", "Cape Town", "Africa/Johannesburg", 1),
    ("ZA", "Gauteng", "Johannesburg", "Africa/Johannesburg", 1),
    ("IN", "Karnataka", "Bengaluru", "Asia/Kolkata", 1),
    ("SG", "Central Region", "Singapore", "Asia/Singapore", 1),
    ("NG", "Lagos", "Lagos", "Africa/Lagos", 1),
    ("KE", "Nairobi County", "Nairobi", "Africa/Nairobi", 1),
    ("DE", "Berlin", "Berlin", "Europe/Berlin", 1),
    ("NL", "Utrecht", "Utrecht", "Europe/Amsterdam", 1),
    ("MX", "Jalisco", "Guadalajara", "America/Mexico_City", 1),
    ("PH", "Metro Manila", "Quezon City", "Asia/Manila", 1),
    ("FJ", "Central Division", "Suva", "Pacific/Fiji", 1),
)

_COUNTRY_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("CA", 35), ("US", 25), ("GB", 13), ("AU", 11), ("NZ", 5), ("IE", 5), ("*", 6),
)
_MAIN_COUNTRIES = frozenset({"CA", "US", "GB", "AU", "NZ", "IE"})

# (name, e-mail domain label). Fictional.
_POST_SECONDARY: dict[str, tuple[tuple[str, str], ...]] = {
    "CA": (
        ("Northshore Community College", "northshore"),
        ("Prairie Polytechnic", "prairiepoly"),
        ("Cedarbrook University", "cedarbrook"),
        ("Riverbend Institute of Technology", "riverbend"),
        ("Coastline University", "coastline"),
        ("Fundy Bay University", "fundybay"),
        ("Foothills Polytechnic University", "foothills"),
        ("Cégep de la Rivière-Verte", "riviereverte"),
        ("Kettle Valley College", "kettlevalley"),
        ("Laurentian Shield College", "shieldcollege"),
        ("Tamarack University", "tamarack"),
    ),
    "US": (
        ("Tidewater State University", "tidewater"),
        ("Mesa Alta Community College", "mesaalta"),
        ("Ironwood College", "ironwood"),
        ("Cascadia Valley Community College", "cascadiavalley"),
        ("Bluestem State University", "bluestem"),
        ("Great River Technical College", "greatriver"),
        ("Pine Barrens University", "pinebarrens"),
        ("Sandcrest Community College", "sandcrest"),
    ),
    "GB": (
        ("Kelvinside University", "kelvinside"),
        ("Taff Valley University", "taffvalley"),
        ("University of Ashcombe", "ashcombe"),
        ("Pennine Moors University", "penninemoors"),
        ("Thamesbank College", "thamesbank"),
        ("Fenland Institute of Technology", "fenland"),
        ("Loughshore University", "loughshore"),
    ),
    "AU": (
        ("Wattle Grove University", "wattlegrove"),
        ("Bluegum Institute of TAFE", "bluegum"),
        ("Coral Coast University", "coralcoast"),
        ("Murray Plains University", "murrayplains"),
    ),
    "NZ": (
        ("Silver Fern Institute of Technology", "silverfern"),
        ("Southern Alps Polytechnic", "southernalps"),
        ("Harbour City University", "harbourcity"),
    ),
    "IE": (
        ("Liffeyside College", "liffeyside"),
        ("Shannon Estuary Technological University", "shannonestuary"),
        ("Western Seaboard University", "westernseaboard"),
    ),
    "*": (
        ("Meridian Open University", "meridian"),
        ("Horizon Institute of Technology", "horizon"),
        ("Lakeshore International University", "lakeshore"),
    ),
}
_K12: dict[str, tuple[tuple[str, str], ...]] = {
    "CA": (
        ("Harbourview School District", "harbourview"),
        ("Prairie Rose School Division", "prairierose"),
        ("Cedar Valley District School Board", "cedarvalley"),
        ("Boreal Lakes School District", "boreallakes"),
    ),
    "US": (
        ("Harborview Unified School District", "harborviewusd"),
        ("Mill Creek Independent School District", "millcreek"),
        ("Pinecrest Public Schools", "pinecrest"),
        ("Red Oak County Schools", "redoak"),
    ),
    "GB": (
        ("Brackenridge Academy Trust", "brackenridge"),
        ("Ferncliffe Academy", "ferncliffe"),
    ),
    "AU": (
        ("Kookaburra Ridge Secondary College", "kookaburraridge"),
        ("Banksia Bay State School", "banksiabay"),
    ),
    "NZ": (("Tōtara Grove College", "totaragrove"), ("Kōwhai Hills School", "kowhaihills")),
    "IE": (("Glenmore Community School", "glenmore"),),
    "*": (("Meridian International Academy", "meridianacademy"),),
}
# Organisations that belong to particular provinces / nations; the rest are placed anywhere
# in their country. Members are matched to an organisation in their region when one exists.
_ORG_REGIONS: dict[str, tuple[str, ...]] = {
    "Northshore Community College": ("Ontario",),
    "Laurentian Shield College": ("Ontario",),
    "Prairie Polytechnic": ("Saskatchewan", "Manitoba"),
    "Riverbend Institute of Technology": ("British Columbia",),
    "Coastline University": ("British Columbia",),
    "Kettle Valley College": ("British Columbia",),
    "Fundy Bay University": ("New Brunswick", "Nova Scotia", "Prince Edward Island"),
    "Foothills Polytechnic University": ("Alberta",),
    "Cégep de la Rivière-Verte": ("Québec",),
    "Harbourview School District": ("British Columbia",),
    "Prairie Rose School Division": ("Manitoba", "Saskatchewan", "Alberta"),
    "Cedar Valley District School Board": ("Ontario",),
    "Kelvinside University": ("Scotland",),
    "Taff Valley University": ("Wales",),
    "Loughshore University": ("Northern Ireland",),
    "University of Ashcombe": ("England",),
    "Pennine Moors University": ("England",),
    "Thamesbank College": ("England",),
    "Fenland Institute of Technology": ("England",),
    "Brackenridge Academy Trust": ("England",),
    "Ferncliffe Academy": ("England",),
}


def _in_region(
    pool: Sequence[tuple[str, str]], region: str
) -> Sequence[tuple[str, str]]:
    local = [org for org in pool if region in _ORG_REGIONS.get(org[0], ())]
    anywhere = [org for org in pool if org[0] not in _ORG_REGIONS]
    return local or anywhere or pool


_CORPORATE: tuple[tuple[str, str], ...] = (
    ("Ledgerly", "ledgerly"),
    ("Bluestem Health", "bluestemhealth"),
    ("Northwind Freight", "northwind"),
    ("Kestrel Software", "kestrel"),
    ("Larchmont Insurance", "larchmont"),
    ("Copperline Telecom", "copperline"),
    ("Brightwater Consulting", "brightwater"),
    ("Saltmarsh Analytics", "saltmarsh"),
    ("Granite & Pine Financial", "graniteandpine"),
    ("Orchard Lane Retail", "orchardlane"),
    ("Meadowlark Health Partners", "meadowlark"),
    ("Quillworks Learning Studio", "quillworks"),
)
_NONPROFIT: tuple[tuple[str, str], ...] = (
    ("Open Learning Collective", "openlearning"),
    ("Literacy Bridges", "literacybridges"),
    ("Community Skills Exchange", "skillsexchange"),
    ("Digital Inclusion Trust", "digitalinclusion"),
    ("Newcomer Learning Centre", "newcomerlearning"),
    ("Coastal Museum of Science & Industry", "coastalmuseum"),
)
_OTHER: tuple[tuple[str, str | None], ...] = (
    ("Northern Lights Public Library", "northernlights"),
    ("Provincial Skills Agency", "skillsagency"),
)
_CONTINUING_ED: tuple[tuple[str, str], ...] = (
    ("Harbourview Adult Learning Centre", "harbourviewadult"),
    ("Lakeside Continuing Education", "lakesidece"),
)

_LMS_BY_COUNTRY: dict[str, tuple[str, ...]] = {
    "CA": ("Brightspace", "Moodle", "Canvas"),
    "US": ("Canvas", "Blackboard", "Brightspace"),
    "GB": ("Moodle", "Blackboard", "Canvas"),
    "AU": ("Moodle", "Canvas", "Blackboard"),
    "NZ": ("Moodle", "Canvas"),
    "IE": ("Moodle", "Brightspace"),
    "*": ("Moodle", "Canvas"),
}

_NETWORKS_BY_COUNTRY: dict[str, tuple[str, ...]] = {
    "CA": ("CNIE", "EDUCAUSE", "WCET", "OLC"),
    "US": ("EDUCAUSE", "OLC", "WCET"),
    "GB": ("ALT", "EDUCAUSE"),
    "IE": ("ALT", "EDUCAUSE"),
    "AU": ("ASCILITE", "EDUCAUSE"),
    "NZ": ("ASCILITE", "EDUCAUSE"),
    "*": ("EDUCAUSE", "ALT", "ASCILITE", "OLC"),
}

_QUALIFICATIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "novice": {
        "CA": ("BEd", "Cert. Instructional Design"),
        "US": ("BA Education", "Cert. Instructional Design"),
        "GB": ("PGCE",),
        "IE": ("PME",),
        "AU": ("BEd", "Grad Cert Education"),
        "NZ": ("Grad Dip Teaching",),
        "*": ("BEd",),
    },
    "career": {
        "CA": ("MET", "MALAT", "MEd", "Cert. Instructional Design"),
        "US": ("MEd", "MS Instructional Design", "MET"),
        "GB": ("CMALT", "PGCert HE", "MA Digital Education"),
        "IE": ("CMALT", "MSc Technology & Learning"),
        "AU": ("MEd", "Grad Cert Higher Ed", "CMALT"),
        "NZ": ("MEd", "CMALT"),
        "*": ("MEd", "MET"),
    },
    "advanced": {
        "CA": ("PhD", "EdD", "MEd", "MALAT"),
        "US": ("EdD", "PhD", "MEd"),
        "GB": ("PhD", "CMALT", "SFHEA"),
        "IE": ("PhD", "CMALT", "SFHEA"),
        "AU": ("PhD", "SFHEA", "MEd"),
        "NZ": ("PhD", "MEd"),
        "*": ("PhD", "MEd"),
    },
}


@dataclass(frozen=True)
class _RoleSpec:
    title: str
    sectors: tuple[str, ...]
    interests: tuple[str, ...]
    openers: tuple[str, ...]
    orgs: tuple[tuple[str, str | None], ...] = ()  # overrides the sector's pool


_FREELANCE: tuple[tuple[str, str | None], ...] = (
    ("Self-employed", None),
    ("Freelance", None),
    ("Independent", None),
)
_HEALTH: tuple[tuple[str, str | None], ...] = (
    ("Harbourview Health Authority", "harbourviewhealth"),
    ("Meadowlark Health Partners", "meadowlark"),
    ("Northern Regional Health", "northernhealth"),
)


# Opener placeholders: {years} {grade} {industry} {audience} {lms} {interest} {city}
# {org} {team} {origin}
_ROLES: dict[str, tuple[_RoleSpec, ...]] = {
    "novice": (
        _RoleSpec(
            "High school English teacher",
            ("k12",),
            ("instructional design", "learning experience design", "assessment"),
            (
                "I've taught high-school English for {years} years, and the online units I "
                "built during remote teaching turned out to be my favourite part of the job.",
                "After {years} years of teaching senior English, I'm looking for a "
                "way to keep the teaching and lose the 7 a.m. bus duty.",
            ),
        ),
        _RoleSpec(
            "Elementary teacher",
            ("k12",),
            ("instructional design", "accessibility & UDL", "H5P", "Google Classroom"),
            (
                "I'm a {grade} teacher who became the unofficial tech person at my "
                "school, which is more or less how I ended up here.",
                "I've taught primary grades for {years} years and recently realised I'd rather "
                "design learning than manage a class of twenty-six.",
            ),
        ),
        _RoleSpec(
            "Graduate student (MET)",
            ("post_secondary",),
            ("instructional design", "learning analytics", "open pedagogy"),
            (
                "I'm a part-time MET student, working full-time and doing coursework on "
                "evenings and weekends (mostly weekends).",
                "I'm partway through a master's in educational technology and trying to turn "
                "the theory into something a hiring manager would recognise.",
            ),
        ),
        _RoleSpec(
            "Graduate research assistant",
            ("post_secondary",),
            ("learning analytics", "open pedagogy", "generative AI in teaching"),
            (
                "I'm a grad student and research assistant on a project about {interest} in "
                "first-year courses.",
                "I'm finishing a thesis on {interest} and wondering what the non-academic "
                "version of this work looks like.",
            ),
        ),
        _RoleSpec(
            "Corporate trainer",
            ("corporate",),
            ("microlearning", "learning experience design", "video production"),
            (
                "I've run in-person training at a {industry} company for {years} years and "
                "I'm trying to move into designing the online side.",
                "Most of my job is classroom training for new hires in {industry}; I want to "
                "get better at the parts that happen before and after the session.",
            ),
        ),
        _RoleSpec(
            "Library technician",
            ("post_secondary",),
            ("OER", "accessibility & UDL", "copyright & licensing"),
            (
                "I work on the library's e-reserves, which means I spend a surprising amount "
                "of time inside instructors' {lms} courses.",
            ),
        ),
        _RoleSpec(
            "Sessional instructor",
            ("post_secondary",),
            ("faculty development", "assessment", "instructional design"),
            (
                "I've taught as a sessional for {years} years, usually three courses a term "
                "on two campuses, and I've redesigned every one of them at least twice.",
            ),
        ),
        _RoleSpec(
            "Program assistant, online learning",
            ("continuing_ed", "post_secondary"),
            ("LMS administration", "microlearning", "instructional design"),
            (
                "I'm a program assistant in an online learning office. I started out booking "
                "rooms and now I somehow build {lms} course shells.",
            ),
        ),
        _RoleSpec(
            "Clinical nurse educator",
            ("other",),
            ("microlearning", "assessment", "video production"),
            (
                "I'm a nurse who ended up teaching new grads on the ward, and now I'm hooked "
                "on designing the training itself.",
            ),
            _HEALTH,
        ),
        _RoleSpec(
            "Museum educator",
            ("nonprofit",),
            ("learning experience design", "video production", "game-based learning"),
            (
                "I design school programs at a small museum, and the pandemic turned half of "
                "them into virtual field trips that teachers still ask for.",
            ),
        ),
        _RoleSpec(
            "ESL instructor",
            ("continuing_ed", "nonprofit"),
            ("instructional design", "accessibility & UDL", "H5P", "digital literacy"),
            (
                "I teach English to adult newcomers in {city} and have built most of our "
                "online practice activities myself, usually the night before.",
            ),
        ),
        _RoleSpec(
            "Freelance video editor",
            ("other",),
            ("video production", "microlearning", "accessibility & UDL"),
            (
                "I've edited corporate and wedding videos for {years} years and I'd love to "
                "put those skills toward something that actually teaches people.",
            ),
            _FREELANCE,
        ),
        _RoleSpec(
            "Customer success trainer",
            ("corporate",),
            ("microlearning", "instructional design", "learning experience design"),
            (
                "I onboard customers to our software, mostly by webinar, and I've realised "
                "I care more about how people learn the product than about the product.",
            ),
        ),
        _RoleSpec(
            "Education assistant",
            ("k12",),
            ("accessibility & UDL", "instructional design", "digital literacy"),
            (
                "I'm an education assistant supporting students with IEPs, which has made me "
                "slightly obsessive about accessible materials.",
            ),
        ),
        _RoleSpec(
            "Adult literacy instructor",
            ("nonprofit",),
            ("digital literacy", "open pedagogy", "OER"),
            (
                "I teach adult literacy and digital skills at a community organisation, "
                "often to learners who've been let down by school before.",
            ),
        ),
    ),
    "career": (
        _RoleSpec(
            "Instructional Designer",
            ("post_secondary", "continuing_ed"),
            ("instructional design", "faculty development", "accessibility & UDL"),
            (
                "I've been an instructional designer for {years} years, working with faculty "
                "on everything from first-year chemistry to a graduate seminar in public "
                "policy.",
                "I'm an instructional designer on a team of {team}, which means I'm usually "
                "supporting four or five course builds at once.",
            ),
        ),
        _RoleSpec(
            "Senior Instructional Designer",
            ("post_secondary", "continuing_ed"),
            ("instructional design", "online program quality", "project management"),
            (
                "I lead course development for our online programs at {org} and look after "
                "our quality checklist, which I rewrote last year so people would use it.",
            ),
        ),
        _RoleSpec(
            "Learning Technologist",
            ("post_secondary",),
            ("H5P", "faculty development", "LMS administration"),
            (
                "I'm a learning technologist: half troubleshooter, half teacher, half "
                "project manager (yes, that's three halves).",
                "I support staff with {lms}, lecture capture and whatever new tool someone "
                "found at a conference last week.",
            ),
        ),
        _RoleSpec(
            "LMS Administrator",
            ("post_secondary", "continuing_ed", "k12"),
            ("LMS administration", "learning analytics"),
            (
                "I run our {lms} instance: integrations, roles and permissions, term "
                "rollover, and a lot of \"why can't my students see the quiz?\"",
                "I've administered {lms} for {years} years and I have opinions about "
                "gradebook settings that I will share whether or not you ask.",
            ),
        ),
        _RoleSpec(
            "Educational Developer",
            ("post_secondary",),
            ("faculty development", "assessment", "open pedagogy"),
            (
                "I'm an educational developer at a teaching and learning centre, running "
                "workshops and one-on-one consultations with faculty.",
            ),
        ),
        _RoleSpec(
            "Media Producer",
            ("post_secondary", "corporate"),
            ("video production", "accessibility & UDL", "podcasting"),
            (
                "I produce video and podcasts for online courses: scripting, shooting, "
                "editing and a great deal of captioning.",
            ),
        ),
        _RoleSpec(
            "Learning Experience Designer",
            ("corporate", "nonprofit"),
            ("learning experience design", "microlearning", "assessment"),
            (
                "I design learning for {audience}, mostly short modules, job aids and the "
                "occasional live workshop.",
            ),
        ),
        _RoleSpec(
            "E-learning Developer",
            ("corporate", "continuing_ed"),
            ("Articulate Storyline", "microlearning", "accessibility & UDL"),
            (
                "I build e-learning in Storyline and Rise, and I'm the person on my team who "
                "reads the WCAG documentation so others don't have to.",
            ),
        ),
        _RoleSpec(
            "Online Learning Coordinator",
            ("continuing_ed", "post_secondary"),
            ("LMS administration", "faculty development", "student success"),
            (
                "I coordinate online courses for {org}: scheduling, instructor onboarding, "
                "and making sure nobody's course goes live with last year's dates.",
            ),
        ),
        _RoleSpec(
            "Accessibility Specialist",
            ("post_secondary",),
            ("accessibility & UDL", "video production", "faculty development"),
            (
                "I help instructors make their courses accessible, from alt text and captions "
                "to rethinking timed exams.",
            ),
        ),
        _RoleSpec(
            "Open Education Coordinator",
            ("post_secondary",),
            ("OER", "open pedagogy", "Pressbooks"),
            (
                "I run our open textbook program, which so far has saved students in {city} "
                "a respectable amount of money and me a great deal of sleep.",
            ),
        ),
        _RoleSpec(
            "Learning Analytics Specialist",
            ("post_secondary",),
            ("learning analytics", "assessment", "student success"),
            (
                "I turn {lms} data into reports that instructors can act on, and I spend just "
                "as much time on what we shouldn't be measuring.",
            ),
        ),
        _RoleSpec(
            "District Ed-Tech Coach",
            ("k12",),
            ("faculty development", "generative AI in teaching", "Google Classroom"),
            (
                "I coach teachers across {schools} schools on classroom technology, which this "
                "year has mostly meant conversations about AI.",
            ),
        ),
        _RoleSpec(
            "Curriculum Developer",
            ("nonprofit", "continuing_ed", "k12"),
            ("instructional design", "assessment", "OER"),
            (
                "I write and revise curriculum for {audience}, and I've learned to love a "
                "good alignment spreadsheet.",
            ),
        ),
        _RoleSpec(
            "Instructional Design Consultant",
            ("other",),
            ("instructional design", "project management", "online program quality"),
            (
                "I freelance as an instructional designer, mostly for colleges and nonprofits "
                "that don't have one in-house.",
            ),
            _FREELANCE,
        ),
    ),
    "advanced": (
        _RoleSpec(
            "Director of Digital Learning",
            ("post_secondary", "continuing_ed"),
            ("online program quality", "change management", "faculty development"),
            (
                "I lead the digital learning team at {org}: instructional design, media and "
                "the LMS, about {team} people in all.",
            ),
        ),
        _RoleSpec(
            "Head of Learning Technology",
            ("post_secondary",),
            ("LMS administration", "assessment", "change management"),
            (
                "I head up learning technology at {org}, which covers the {vle}, lecture capture "
                "and digital assessment.",
            ),
        ),
        _RoleSpec(
            "Associate Vice-Provost, Teaching & Learning",
            ("post_secondary",),
            ("online program quality", "generative AI in teaching", "change management"),
            (
                "I'm responsible for teaching and learning strategy at {org}, which means "
                "budgets, policy and getting the right people in the room.",
            ),
        ),
        _RoleSpec(
            "Dean, Continuing Studies",
            ("continuing_ed",),
            ("competency-based education", "online program quality", "student success"),
            (
                "I lead continuing studies at {org}, where most of our learners are working "
                "adults studying at 9 p.m. after the kids are in bed.",
            ),
        ),
        _RoleSpec(
            "Manager, Instructional Design",
            ("post_secondary", "corporate"),
            ("instructional design", "project management", "faculty development"),
            (
                "I manage a team of {team} instructional designers and spend most of my week "
                "protecting their time.",
            ),
        ),
        _RoleSpec(
            "Principal Learning Architect",
            ("corporate",),
            ("learning experience design", "learning analytics", "microlearning"),
            (
                "I design learning strategy for a {industry} company with staff in eleven "
                "countries, which makes time zones my second job.",
            ),
        ),
        _RoleSpec(
            "Head of Learning & Development",
            ("corporate", "nonprofit"),
            ("learning experience design", "change management", "assessment"),
            ("I lead learning and development at {org} and report to the executive team.",),
        ),
        _RoleSpec(
            "Senior Educational Developer",
            ("post_secondary",),
            ("faculty development", "assessment", "decolonizing curriculum"),
            (
                "I've been an educational developer for a long time, and I now lead our "
                "program for new faculty at {org}.",
            ),
        ),
        _RoleSpec(
            "Independent Consultant, Digital Learning Strategy",
            ("other",),
            ("online program quality", "change management", "learning analytics"),
            (
                "I consult with colleges and universities on online program strategy, usually "
                "when something has gone sideways.",
            ),
            _FREELANCE,
        ),
        _RoleSpec(
            "District Principal, Digital Learning",
            ("k12",),
            ("digital literacy", "generative AI in teaching", "faculty development"),
            (
                "I'm the district principal for digital learning, supporting {schools} schools "
                "and a surprising number of Chromebooks.",
            ),
        ),
        _RoleSpec(
            "Program Director, Online Learning",
            ("continuing_ed", "post_secondary"),
            ("online program quality", "student success", "instructional design"),
            ("I direct our online programs at {org}, from course quality to student support.",),
        ),
    ),
}

_NUMBER_WORDS: tuple[str, ...] = (
    "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "fourteen",
)
_ORIGINS: tuple[str, ...] = (
    "a high-school chemistry teacher",
    "a web developer",
    "a sessional instructor",
    "a library technician",
    "a video editor",
    "an ESL teacher",
    "a corporate trainer",
    "a graphic designer",
    "a research assistant",
    "a college help-desk technician",
)
_INDUSTRIES: tuple[str, ...] = (
    "logistics", "insurance", "retail", "telecom", "banking", "healthcare", "manufacturing",
)
_AUDIENCES: tuple[str, ...] = (
    "frontline health workers",
    "adult newcomers learning the local language",
    "retail staff on shift",
    "community volunteers",
    "adult learners returning to study",
    "apprentices in the trades",
)

_K12_AUDIENCES: tuple[str, ...] = (
    "the district's online high school",
    "middle-school science classes",
    "early literacy programs",
    "students learning at home during long absences",
)

_MIDDLES: dict[str, tuple[str, ...]] = {
    "novice": (
        "Right now I'm working through an instructional design certificate in the evenings.",
        "I'm rebuilding one of my old units in Rise as a first portfolio piece.",
        "I've been volunteering to help a local nonprofit move its training online.",
        "I'm reading everything I can find on {interest}, and building small things to "
        "practise.",
        "I'm still deciding whether I need a master's or just a better portfolio.",
        "I'm learning H5P by building quizzes for my own learners, with mixed success.",
        "I've started sitting in on my institution's teaching and learning centre workshops.",
    ),
    "career": (
        "These days most of my time goes to {interest}.",
        "Lately I've been thinking about how to make {interest} sustainable for a small team.",
        "I'm trying to figure out whether my next step is management or going deeper as a "
        "specialist.",
        "I'd like to get better at saying no to rush jobs without burning bridges.",
        "I've just finished a big {lms} project and I'm catching my breath.",
        "I'm presenting on {interest} for the first time this year, nervously.",
    ),
    "advanced": (
        "I started out as {origin} about {years} years ago.",
        "I mentor two or three people a year, usually folks making the jump from teaching.",
        "My work is mostly strategy now, but I still sneak in the occasional course build.",
        "I care a lot about {interest}, and about small teams not burning out doing it.",
        "I've served on more steering committees than I'd like to admit.",
    ),
}

_HOBBIES: tuple[str, ...] = (
    "sourdough, trail running and a slightly out-of-control houseplant collection",
    "choir, crosswords and my very patient dog",
    "rock climbing and bad puns",
    "birdwatching and far too many podcasts",
    "cross-country skiing in winter and canoeing the rest of the year",
    "board games with my kids",
    "knitting through online meetings",
    "allotment gardening and cricket on the radio",
    "surfing badly",
    "restoring an old bike, slowly",
    "cooking my grandmother's recipes",
    "Sunday league football",
    "hiking with a camera",
    "learning te reo Māori",
    "pottery and long walks",
    "curling, honestly",
)

_CLOSERS: dict[str, tuple[str, ...]] = {
    "novice": (
        "I'd love to chat with anyone who's made a similar jump; coffee's on me if you're in "
        "{city}.",
        "Happy to swap portfolio feedback with anyone else starting out.",
        "**Ask me about:** {interest}, and what it's like to start over in a new field.",
        "Off the clock: {hobby}.",
    ),
    "career": (
        "Happy to talk shop about {interest} any time.",
        "**Ask me about:** {interest}, {interest2}, and surviving term start-up.",
        "Off the clock: {hobby}.",
        "If you're just starting out, I'm glad to look at your portfolio.",
    ),
    "advanced": (
        "If you're a career changer wondering whether to jump, send me a note.",
        "**Ask me about:** {interest}, building a team, and writing a business case.",
        "Off the clock: {hobby}.",
        "I'm always glad to talk with people earlier in their careers; it keeps me honest.",
    ),
}

_HEADLINES: dict[str, tuple[str, ...]] = {
    "novice": (
        "{role} → aspiring instructional designer",
        "{role}, moving into ed tech",
        "{role} learning the ropes of {interest}",
        "Career changer: {role} exploring {interest}",
        "{role} · building my first portfolio",
    ),
    "career": (
        "{role} at {org}",
        "{role} · {interest} & {interest2}",
        "{role}, {city}",
        "{role} · into {interest}",
    ),
    "advanced": (
        "{role}, {org}",
        "{role} · mentor · {interest}",
        "{role} · {interest} & strategy",
    ),
}


# --------------------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------------------


def _pick_weighted(rng: random.Random, items: Sequence[tuple[str, int]]) -> str:
    return rng.choices([name for name, _ in items], weights=[w for _, w in items], k=1)[0]


def _pick_location(rng: random.Random) -> tuple[str, str, str, str]:
    group = _pick_weighted(rng, _COUNTRY_WEIGHTS)
    rows = [
        row
        for row in _LOCATIONS
        if (row[0] == group if group != "*" else row[0] not in _MAIN_COUNTRIES)
    ]
    row = rng.choices(rows, weights=[r[4] for r in rows], k=1)[0]
    return row[0], row[1], row[2], row[3]


def _group(country: str) -> str:
    return country if country in _MAIN_COUNTRIES else "*"


def _pick_organisation(
    rng: random.Random, sector: str, country: str, region: str
) -> tuple[str, str | None]:
    g = _group(country)
    if sector == "post_secondary":
        return rng.choice(_in_region(_POST_SECONDARY[g], region))
    if sector == "k12":
        return rng.choice(_in_region(_K12[g], region))
    if sector == "corporate":
        return rng.choice(_CORPORATE)
    if sector == "nonprofit":
        return rng.choice(_NONPROFIT)
    if sector == "continuing_ed":
        if rng.random() < 0.7:
            name, label = rng.choice(_in_region(_POST_SECONDARY[g], region))
            return f"Continuing Studies, {name}", label
        return rng.choice(_CONTINUING_ED)
    return rng.choice(_OTHER)


def _stage_counts(count: int) -> dict[str, int]:
    novice = round(count * 0.35)
    advanced = round(count * 0.20)
    return {"novice": novice, "career": count - novice - advanced, "advanced": advanced}


def _handle_candidates(first: str, last: str, stage: str) -> list[str]:
    f, la = _ascii(first), _ascii(last)
    out = [
        f"{f}{la}",
        f"{f}-{la}",
        f"{f}_{la}",
        f"{f[0]}{la}",
        f"{f}{la[0]}",
        f"{la}-{f[0]}",
        f"{f}-{la[0]}-ed",
        f"{f}-learns" if stage == "novice" else f"{f}-{la}-id",
        f"{f}-edtech",
    ]
    return [h[:30].strip("-_") for h in out if len(h[:30].strip("-_")) >= 3]


def _unique(rng: random.Random, candidates: list[str], used: set[str]) -> str:
    """A free handle, preferring earlier candidates; numbered variants as a last resort."""
    order = sorted(
        range(len(candidates)), key=lambda i: -(len(candidates) - i) * rng.random()
    )
    for i in order:
        if candidates[i] not in used:
            used.add(candidates[i])
            return candidates[i]
    base = candidates[0][:27]
    n = 2
    while f"{base}{n}" in used:
        n += 1
    used.add(f"{base}{n}")
    return f"{base}{n}"


def _unique_email(local: str, domain: str, used: set[str]) -> str:
    email = f"{local}@{domain}"
    n = 2
    while email in used:
        email = f"{local}{n}@{domain}"
        n += 1
    used.add(email)
    return email


def _pronouns(rng: random.Random, gender: str) -> str | None:
    if rng.random() > 0.38:
        return None
    if gender == "f":
        return rng.choices(["she/her", "she/they"], weights=[5, 1])[0]
    if gender == "m":
        return rng.choices(["he/him", "he/they"], weights=[5, 1])[0]
    return rng.choice(["they/them", "she/her", "he/him", "any pronouns"])


def _chance_pick(rng: random.Random, odds: Sequence[tuple[str, float]]) -> list[str]:
    return [code for code, p in odds if rng.random() < p]


def _intents(rng: random.Random, stage: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if stage == "novice":
        looking = _chance_pick(
            rng,
            [("mentoring", 0.85), ("career_chat", 0.7), ("job_leads", 0.6),
             ("peer_support", 0.2), ("course_feedback", 0.15)],
        )
        if not {"mentoring", "career_chat", "job_leads"} & set(looking):
            looking.insert(0, "career_chat")
        offering = _chance_pick(rng, [("peer_support", 0.8), ("course_feedback", 0.5)]) or [
            "peer_support"
        ]
    elif stage == "career":
        looking = _chance_pick(
            rng,
            [("mentoring", 0.35), ("career_chat", 0.3), ("job_leads", 0.35),
             ("collaborators", 0.45), ("peer_support", 0.3), ("speaking", 0.2)],
        ) or ["collaborators"]
        offering = _chance_pick(
            rng,
            [("mentoring", 0.2), ("career_chat", 0.45), ("job_leads", 0.15),
             ("collaborators", 0.3), ("peer_support", 0.6), ("course_feedback", 0.55)],
        ) or ["peer_support"]
    else:
        looking = _chance_pick(
            rng, [("collaborators", 0.5), ("peer_support", 0.2)]
        )
        offering = _chance_pick(
            rng,
            [("mentoring", 0.9), ("career_chat", 0.5), ("job_leads", 0.3), ("hiring", 0.3),
             ("speaking", 0.6)],
        )
        if not {"mentoring", "hiring", "speaking"} & set(offering):
            offering.insert(0, "mentoring")
    offering = [code for code in offering if code == "peer_support" or code not in looking]
    return tuple(looking), tuple(offering or ["peer_support"])


def _interests(rng: random.Random, spec: _RoleSpec, lms: str) -> tuple[str, ...]:
    k = rng.choices([2, 3, 4, 5, 6], weights=[10, 30, 30, 20, 10])[0]
    chosen: list[str] = list(rng.sample(spec.interests, k=min(2, len(spec.interests))))
    if spec.title == "LMS Administrator" or rng.random() < 0.25:
        chosen.append(lms)
    while len(chosen) < k:
        tag = rng.choice(INTEREST_TAGS)
        if tag not in chosen:
            chosen.append(tag)
    return tuple(dict.fromkeys(chosen[:k]))


def _networks(
    rng: random.Random, stage: str, country: str, region: str, sector: str
) -> tuple[str, ...]:
    pool = list(_NETWORKS_BY_COUNTRY[_group(country)])
    if region == "British Columbia":
        pool += ["ETUG", "BCcampus"]
    if region in {"Québec", "New Brunswick"} or (region == "Ontario" and rng.random() < 0.2):
        pool.append("REFAD")
    if sector == "k12":
        pool.append("ISTE")
    weights = {"novice": [55, 45, 0, 0], "career": [15, 45, 30, 10], "advanced": [0, 35, 45, 20]}
    n = rng.choices([0, 1, 2, 3], weights=weights[stage])[0]
    return tuple(rng.sample(pool, k=min(n, len(pool))))


def _qualifications(rng: random.Random, stage: str, country: str) -> tuple[str, ...]:
    pool = _QUALIFICATIONS[stage][_group(country)]
    weights = {"novice": [50, 50, 0], "career": [30, 50, 20], "advanced": [5, 55, 40]}
    n = rng.choices([0, 1, 2], weights=weights[stage])[0]
    return tuple(rng.sample(pool, k=min(n, len(pool))))


def _links(rng: random.Random, handle: str) -> tuple[str, ...]:
    templates = (
        "https://{h}.example.com/",
        "https://portfolio.example.net/{h}",
        "https://blog.example.org/{h}",
        "https://social.example.net/@{h}",
        "https://www.example.com/in/{h}",
    )
    n = rng.choices([0, 1, 2], weights=[40, 40, 20])[0]
    # Host names may not contain underscores; handles may.
    host_safe = handle.replace("_", "-")
    return tuple(
        template.format(h=host_safe if template.startswith("https://{h}") else handle)
        for template in rng.sample(templates, k=n)
    )


def _bio(
    rng: random.Random,
    stage: str,
    spec: _RoleSpec,
    slots: dict[str, str],
    interests: Sequence[str],
) -> str:
    opener = rng.choice(spec.openers)
    opener_sentences = len(_SENTENCE_END.findall(opener))
    n_middle = rng.choices([0, 1, 2], weights=[25, 55, 20])[0]
    n_middle = max(0, min(n_middle, 3 - opener_sentences))  # 2–4 sentences in all
    sentences = [opener, *rng.sample(_MIDDLES[stage], k=n_middle)]
    if rng.random() < 0.85 or opener_sentences + n_middle < 2:
        sentences.append(rng.choice(_CLOSERS[stage]))
    # Rotate through the member's interests so no tag is repeated sentence after sentence.
    filled, used = [], 0
    for sentence in sentences:
        local = dict(slots)
        local["interest"] = interests[used % len(interests)]
        local["interest2"] = interests[(used + 1) % len(interests)]
        used += sentence.count("{interest")
        filled.append(sentence.format(**local))
    if len(filled) >= 3 and rng.random() < 0.35:
        return " ".join(filled[:-1]) + "\n\n" + filled[-1]
    return " ".join(filled)


def _generate_member(
    rng: random.Random,
    stage: str,
    used_handles: set[str],
    used_emails: set[str],
    used_names: set[str],
) -> DemoMember:
    while True:
        first, gender = rng.choice(_FIRST_NAMES)
        last = rng.choice(_LAST_NAMES)
        name = f"{first} {last}"
        if name not in used_names and name not in _AVOID_NAMES:
            used_names.add(name)
            break

    country, region, city, tz = _pick_location(rng)
    spec = rng.choice(_ROLES[stage])
    sector = rng.choice(spec.sectors)
    if spec.orgs:
        organisation, domain_label = rng.choice(spec.orgs)
    else:
        organisation, domain_label = _pick_organisation(rng, sector, country, region)
    lms = rng.choice(_LMS_BY_COUNTRY[_group(country)])
    handle = _unique(rng, _handle_candidates(first, last, stage), used_handles)

    f, la = _ascii(first), _ascii(last)
    personal = domain_label is None or (stage == "novice" and rng.random() < 0.5)
    if personal:
        domain = rng.choice(["example.org", "example.com", "example.net"])
        local = rng.choice([f"{f}.{la}", f"{f}{la}", handle.replace("-", ".")])
    else:
        tld = "example.edu" if sector in {"post_secondary", "continuing_ed"} else (
            "example.com" if sector == "corporate" else "example.org"
        )
        domain = f"{domain_label}.{tld}"
        local = rng.choice([f"{f}.{la}", f"{f[0]}{la}", f"{f}.{la[0]}"])
    email = _unique_email(local, domain, used_emails)

    interests = _interests(rng, spec, lms)
    years = {
        "novice": rng.randint(3, 15),
        "career": rng.randint(3, 12),
        "advanced": rng.randint(15, 28),
    }[stage]
    slots = {
        "years": str(years),
        "grade": (
            f"Year {rng.randint(2, 7)}"
            if country in {"GB", "IE", "AU", "NZ"}
            else f"Grade {rng.randint(2, 7)}"
        ),
        "industry": rng.choice(_INDUSTRIES),
        "audience": rng.choice(_K12_AUDIENCES if sector == "k12" else _AUDIENCES),
        "vle": "VLE" if country in {"GB", "IE"} else "LMS",
        "lms": lms,
        "interest": interests[0],
        "interest2": interests[1],
        "city": city,
        "org": organisation,
        "team": rng.choice(_NUMBER_WORDS),
        "schools": str(rng.randint(9, 42)),
        "origin": rng.choice(_ORIGINS),
        "hobby": rng.choice(_HOBBIES),
        "role": spec.title,
    }
    if domain_label is None:
        slots["org"] = city
    headline = rng.choice(_HEADLINES[stage]).format(**slots)
    bio = _bio(rng, stage, spec, slots, interests)

    looking_for, offering = _intents(rng, stage)
    visibility = rng.choices(["members", "public", "private"], weights=[62, 28, 10])[0]
    if visibility == "private":
        in_directory = rng.random() < 0.3
        matchable = False
    else:
        in_directory = rng.random() < 0.93
        matchable = rng.random() < 0.74

    return DemoMember(
        display_name=name,
        handle=handle,
        email=email,
        career_stage=stage,
        headline=headline,
        bio=bio,
        pronouns=_pronouns(rng, gender),
        role=spec.title,
        organisation=organisation,
        sector=sector,
        country=country,
        region=region,
        city=city,
        time_zone=tz,
        interests=interests,
        networks=_networks(rng, stage, country, region, sector),
        qualifications=_qualifications(rng, stage, country),
        looking_for=looking_for,
        offering=offering,
        links=_links(rng, handle),
        profile_visibility=visibility,
        in_directory=in_directory,
        matchable=matchable,
        novices_may_request=rng.random() < 0.85,
        show_contact_links=rng.random() < 0.5,
    )


def demo_members(count: int = 200, seed: int = 2026) -> list[DemoMember]:
    """``count`` demo members; the first 12 are always :data:`FEATURE_MEMBERS`.

    Stages come out at roughly 35 % novice, 45 % career, 20 % advanced. Handles and
    e-mails are unique, also against :data:`DEMO_ORGANISER` and :data:`DEMO_ADMIN`.
    """
    if count <= len(FEATURE_MEMBERS):
        return list(FEATURE_MEMBERS[: max(count, 0)])
    rng = random.Random(seed)
    fixed = (*FEATURE_MEMBERS, DEMO_ORGANISER, DEMO_ADMIN)
    used_handles = {m.handle for m in fixed}
    used_emails = {m.email for m in fixed}
    used_names = {m.display_name for m in fixed}

    remaining = _stage_counts(count)
    for member in FEATURE_MEMBERS:
        remaining[member.career_stage] -= 1
    stages = [stage for stage in CAREER_STAGES for _ in range(max(remaining[stage], 0))]
    while len(stages) < count - len(FEATURE_MEMBERS):
        stages.append("career")
    rng.shuffle(stages)

    members = list(FEATURE_MEMBERS)
    for stage in stages:
        members.append(_generate_member(rng, stage, used_handles, used_emails, used_names))
    return members


# --------------------------------------------------------------------------------------
# Categories
# --------------------------------------------------------------------------------------

DEMO_CATEGORIES: list[tuple[str, str, str]] = [
    (
        "getting-into-ed-tech",
        "Getting into ed tech",
        "For career changers, grad students and the ed-tech curious: first jobs, "
        "portfolios, certificates and \"is this even a job?\"",
    ),
    (
        "career-growth",
        "Career growth",
        "Mid-career questions: going deeper or going into management, changing jobs, "
        "credentials, and not being overworked.",
    ),
    (
        "leadership-and-strategy",
        "Leadership & strategy",
        "Policy, budgets, building teams and steering institutions, for those doing it and "
        "those wondering whether they want to.",
    ),
    (
        "tools-and-practice",
        "Tools & practice",
        "The day-to-day craft: LMS quirks, H5P, video, accessibility, assessment design and "
        "showing your work for feedback.",
    ),
    (
        "jobs-and-opportunities",
        "Jobs & opportunities",
        "Postings, contracts, calls for proposals and volunteer roles. Please include "
        "location, remote options and a salary range.",
    ),
    (
        "events-and-conferences",
        "Events & conferences",
        "Who's going where, Hallway meetups, and notes from sessions for those who "
        "couldn't make it.",
    ),
]


# --------------------------------------------------------------------------------------
# Threads
# --------------------------------------------------------------------------------------

_ARTICLE_BODY = _md(
    """
    Every few weeks someone messages me a version of the same question: *"I'm a teacher
    (or a trainer, or a librarian, or a grad student) and I think I'd be good at ed tech.
    How do I actually get in?"* I've answered it in enough coffee chats that it seemed
    worth writing down properly. It's long, but it's the post I wish someone had handed
    me in 2011.

    ## Where I started

    I taught French immersion at a middle school in Dieppe for twelve years. I was the
    teacher who volunteered for every pilot: the first interactive whiteboards, the first
    class blog, the first time our district tried a "virtual snow day." I didn't know
    *instructional designer* was a job title until a friend who worked at the university
    described her week over dinner and I said, out loud, "Wait, people get paid for that?"

    I was 38, had a mortgage and two kids, and had no intention of going back to school
    full-time. So I did it the slow way.

    ## What actually got me hired

    Looking back, four things mattered far more than any credential:

    1. **A small, real portfolio.** Three pieces: a unit I'd redesigned for online
       delivery (with a before-and-after and a one-page rationale), a short screencast
       tutorial, and an accessibility audit of one of my own courses. Not polished. Real.
    2. **Being able to talk about *why*.** Hiring panels don't want to hear that you know
       Storyline. They want to hear how you decided a video was better than a reading, or
       why you cut a quiz.
    3. **People.** My first contract came from someone I met at a CNIE session, not from a
       job board. Almost every role I've had since came through someone I'd helped or
       learned from.
    4. **Translating teacher experience.** "Taught Grade 8" is not a skill. "Designed and
       delivered 180 hours of instruction a year for 28 learners with very different
       needs, and moved it online in two weeks" is.

    ## What I'd tell you now

    - **You already do half of this job.** Backward design, assessment, scaffolding,
      differentiation: that *is* instructional design. Learn the vocabulary and the tools;
      you already have the judgement.
    - **Don't start with a master's unless you want one.** A MET or MALAT is wonderful if
      you want the depth (I did mine part-time, *after* I was hired). But a certificate and
      a portfolio will get you an interview for a lot of entry-level roles.
    - **Pick a lane for your first job, not forever.** Instructional design, LMS
      administration, media production, educational development and learning analytics
      are different jobs with very different Tuesdays. Try to shadow someone in each.
    - **Do the salary maths before you resign.** Experienced teachers in some provinces
      and states earn more than entry-level designers. Corporate L&D often pays better
      than higher ed. Neither is wrong; just know.
    - **Watch for the overwork trap.** This field runs on goodwill, and there is always
      one more course that needs to launch on Monday. The people who last learn to say
      "here's what I can do by Friday" early.

    > "The best instructional designers I've hired were teachers who got curious about
    > *why* a lesson worked, not just whether it did."
    >
    > — my first manager, who took a chance on me

    ## A starter plan for the next 90 days

    1. **Weeks 1–4:** Take one short, practical course (accessibility or UDL is a great
       start). Join one network (ETUG, CNIE, ALT, ASCILITE, OLC, whichever is closest)
       and go to one online session. Say hello in the chat.
    2. **Weeks 5–8:** Redesign one thing you've already taught. Write a one-page rationale.
       Post it for feedback here in **Tools & practice**; people are kind.
    3. **Weeks 9–12:** Have three conversations with people doing the job you think you
       want. Ask what a normal week looks like and what they'd look for in a new hire.
       Then apply for two things, even if you feel 60% ready.

    ## Where Hallway comes in

    I mentor a few career changers each year, and I'm happy to do a 30-minute chat with
    anyone reading this: use the mentoring request on my profile. And if you made the jump
    in the last few years, please reply with what worked for you. People starting out
    learn more from someone two steps ahead than from someone twenty.

    Let's make this the thread I point people to.
    """
)

_ARTICLE_COMMENTS = [
    _c(
        "priya-raman",
        """
        This is exactly what I needed this week. I'm in year nine of teaching science and
        halfway through an ID certificate. The bit about translating teacher experience
        landed: my résumé literally says "Taught Science 9 and Chemistry 11."

        Question: is it OK if all three portfolio pieces come from my own classroom? I
        don't have any "clients" yet.
        """,
        _c(
            "maggie-doucet",
            """
            Absolutely OK. Most people's first portfolio is their own classroom. What matters
            is that you show the *decision-making*. For each piece, add a short note with
            three headings: **Problem**, **What I changed**, **What happened**.

            @priya-raman if you'd like, send me a mentoring request and we'll go through
            your draft together on a call.
            """,
            _c(
                "priya-raman",
                """
                Request sent, thank you! One more question: would a single H5P interactive
                count as a portfolio piece, or does it need to be a full module?
                """,
                _c(
                    "kwame-asante",
                    """
                    Jumping in from the media side: one well-made interactive is great *if*
                    you show the thinking behind it. I sat on our centre's last hiring panel,
                    and honestly a four-minute walkthrough video of someone's design choices
                    beat most of the full modules we were sent. Keep it short.
                    """,
                    _c(
                        "priya-raman",
                        """
                        A walkthrough video. I hadn't thought of that. Any tips for recording
                        without sounding like a hostage?
                        """,
                        _c(
                            "kwame-asante",
                            """
                            Ha. Three things:

                            - Write bullet points, not a script.
                            - Record in two-minute chunks and stitch them together.
                            - Stand up. Your voice is better standing up.

                            And caption it. Someone on the panel *will* notice.
                            """,
                            _c(
                                "dee-kowalski",
                                """
                                Seconding the captions. Also: if you build in H5P, download
                                the .h5p file and keep a copy somewhere you control. I've
                                seen too many portfolio links die when a free account
                                lapsed or a school district wiped its server.
                                """,
                                _c(
                                    "priya-raman",
                                    """
                                    Noted on all counts, and the .h5p backup is going on my
                                    list tonight. This thread is better than half of my
                                    certificate course.
                                    """,
                                ),
                            ),
                        ),
                    ),
                ),
            ),
        ),
    ),
    _c(
        "dee-kowalski",
        """
        Gentle disagreement on "don't start with a master's." In Ontario colleges a lot of
        ID postings list a master's as *required*, and HR screens on it before a human ever
        sees your portfolio. I got in on experience, but I've watched two great candidates
        get filtered out. Check ten real postings in your region before you decide.
        """,
        _c(
            "maggie-doucet",
            """
            Fair point, and I should have been clearer: it varies a lot by sector and region.
            Canadian higher ed leans on credentials; corporate L&D and school districts much
            less so. "Read ten real postings first" is better advice than mine.
            """,
            _c(
                "rajiv-sethi",
                """
                Speaking as someone who writes those postings: we changed ours last year to
                "master's degree *or* an equivalent combination of education and experience"
                because we were losing good people at the HR screen. If you see a hard
                requirement, it's sometimes still worth applying, with a cover letter that
                addresses it head-on.
                """,
                _c(
                    "dee-kowalski",
                    """
                    That's encouraging. I wish more HR departments had that memo.
                    """,
                ),
            ),
        ),
        _c(
            "tomas_h",
            """
            Related question for those who did a master's: MET or MALAT? I'm in MALAT now,
            and sometimes wonder whether the MET would have been better for LMS-heavy jobs.
            """,
            _c(
                "hannah-lewis",
                """
                From the UK side: nobody over here will recognise either acronym! What
                carried weight for me was CMALT. It's portfolio-based, you can do it while
                working, and it made me actually write down my practice. Worth a look if
                you're anywhere near ALT.
                """,
                _c(
                    "tomas_h",
                    """
                    I hadn't heard of CMALT until now. Reading up on it tonight. Thanks,
                    @hannah-lewis.
                    """,
                ),
            ),
        ),
    ),
    _c(
        "jamie-brennan",
        """
        Coming at this from corporate training in Dublin: point 4 is the one I'd underline
        twice. I spent a year applying with a CV full of "delivered webinars" and got
        nowhere. When I rewrote it around outcomes (onboarding cut from six weeks to four,
        support tickets down by a third) I started getting calls. Still looking for a
        higher-ed role, but at least now I'm getting interviews.
        """,
        _c(
            "fiona-mcallister",
            """
            Jamie, that reframing is exactly what I look for when we hire learning
            technologists. Corporate folk often undersell how much they know about
            evaluation. If you're applying to UK or Irish universities, mention any
            accessibility work explicitly; the public sector accessibility regulations mean
            it's on every team's mind.
            """,
            _c(
                "jamie-brennan",
                """
                That's really useful, thank you. I've done a lot of caption and transcript
                clean-up that I never thought to mention.
                """,
            ),
        ),
    ),
    _c(
        "aroha-ngata",
        """
        Kia ora from Kirikiriroa. I'm a librarian and already do a fair bit of this
        (copyright, reading lists in Moodle, info-lit modules) without the title. Any advice
        for moving sideways *within* an institution, rather than applying out?
        """,
        _c(
            "minjun-park",
            """
            I moved sideways from student services into our analytics team. What worked: I
            volunteered for a project with them (a Moodle report clean-up), did it well,
            and they asked for me when a role opened. Internal moves are often about being a
            known quantity.
            """,
            _c(
                "aroha-ngata",
                """
                That makes sense. Our learning design team is refreshing a big set of Moodle
                courses next trimester; I'll offer to sort out the reading lists.
                """,
            ),
        ),
        _c(
            "maggie-doucet",
            """
            @aroha-ngata sideways moves are underrated, and librarians make brilliant
            learning designers: you already think about findability and licensing, which
            most of us learn the hard way. Happy to chat if it helps.
            """,
        ),
    ),
    _c(
        "sofia-marquez",
        """
        Adding a note on the salary point, because it cuts both ways. I left nursing
        education for healthcare L&D and got a raise. Now I'm thinking about higher ed and
        would take a cut to get there. Both can be the right call; just know *why* you're
        moving.
        """,
    ),
]


def demo_threads() -> list[DemoThread]:
    """The demo discussion threads, oldest first. Authors are feature members or the
    organiser; ``@mentions`` only name feature members."""
    return [
        DemoThread(
            slug="welcome-introduce-yourself",
            category_slug="getting-into-ed-tech",
            author_handle=DEMO_ORGANISER.handle,
            title="Welcome! Introduce yourself here",
            body=_md(
                """
                Welcome to Hallway, the hallway track for people who work in (or want to
                work in) educational technology. Think of this as the bit of a conference
                between sessions, where the useful conversations happen.

                Say hello below. A few prompts if you're stuck:

                - What do you do, or what do you want to do?
                - What's one thing you're trying to figure out this term?
                - What could you help someone else with?

                A couple of house rules: be generous with people who are new, assume good
                intent, and keep job postings to **Jobs & opportunities**.
                """
            ),
            tags=("welcome", "introductions"),
            comments=[
                _c(
                    "aroha-ngata",
                    """
                    Kia ora koutou! Librarian in Hamilton, Aotearoa, trying to move into
                    learning design. Figuring out: how to get project experience without
                    leaving my job. Can help with: copyright questions, reading lists,
                    finding things.
                    """,
                ),
                _c(
                    "jamie-brennan",
                    """
                    Hi all, Jamie here (they/them), customer trainer in Dublin. Trying to
                    figure out how to get a university to take a SaaS trainer seriously. Can
                    help with: screencasting, webinars that don't put people to sleep.
                    """,
                    _c(
                        "hannah-lewis",
                        """
                        Welcome Jamie! Irish and UK universities have been hiring a lot of
                        digital education folk; keep an eye on the ALT jobs list.
                        """,
                    ),
                ),
                _c(
                    "tomas_h",
                    """
                    Hola, I'm Tomás, MALAT student in Victoria, originally from Guadalajara.
                    Trying to figure out: my research project scope (too big, as always).
                    Can help with: Spanish-language course review and open pedagogy ideas.
                    """,
                ),
            ],
        ),
        DemoThread(
            slug="how-i-became-an-educational-technologist",
            category_slug="getting-into-ed-tech",
            author_handle="maggie-doucet",
            title="How I became an educational technologist (and how you can too)",
            body=_ARTICLE_BODY,
            tags=("career change", "instructional design", "portfolios", "advice"),
            comments=_ARTICLE_COMMENTS,
        ),
        DemoThread(
            slug="portfolio-feedback-first-course-redesign",
            category_slug="tools-and-practice",
            author_handle="priya-raman",
            title="Portfolio feedback wanted: my first course redesign",
            body=_md(
                """
                Taking @maggie-doucet's advice and posting this for feedback. It's my first
                real portfolio piece: a redesign of my Chemistry 11 stoichiometry unit for
                our district's Moodle, built for a blended class (two days online, three in
                the lab).

                **What I changed**

                - Split a 50-minute lecture into four short videos (4–7 minutes each) with a
                  check-your-understanding question after each.
                - Replaced the end-of-unit test with two smaller quizzes and a lab report
                  students can revise once.
                - Added a "mole map" H5P drag-and-drop for the bit everyone gets stuck on.
                - Wrote alt text for every diagram and captioned the videos.

                **What happened:** quiz averages went up a little; the bigger change was that
                revision requests on the lab report showed me exactly who was confused.

                Write-up and screenshots: https://priya-raman.example.com/portfolio/stoich

                Specific questions:

                1. Does the rationale read as "teacher" or "designer"? I'm trying to sound
                   like the second.
                2. Is the H5P piece worth featuring, or is it too small?
                3. What's missing that a hiring panel would expect?
                """
            ),
            tags=("portfolio", "feedback", "H5P", "Moodle", "career change"),
            comments=[
                _c(
                    "sofia-marquez",
                    """
                    This is a strong first piece. On question 1: lead with the learner
                    problem, not the content. Something like "Students were memorising steps
                    without understanding mole ratios" reads as designer. "I redesigned my
                    stoichiometry unit" reads as teacher.
                    """,
                    _c(
                        "priya-raman",
                        """
                        Oh, that's a really clear distinction. Rewriting the opening tonight.
                        """,
                    ),
                ),
                _c(
                    "kwame-asante",
                    """
                    The four short videos are the right call. Would love to see one embedded
                    rather than just a screenshot; panels click on things. And mention that
                    you captioned them: plenty of experienced people don't.
                    """,
                ),
                _c(
                    "hannah-lewis",
                    """
                    Small but useful: put a licence on it. If it's your own work, CC BY makes
                    it easy for a panel to see you understand open licensing, and it's a nice
                    talking point in interviews. Check your district's policy first, though.
                    """,
                    _c(
                        "priya-raman",
                        """
                        I had no idea that was something I could decide. Checking with the
                        district.
                        """,
                        _c(
                            "maggie-doucet",
                            """
                            Good instinct. Many districts are fine with it for teacher-made
                            resources, but it's worth getting it in writing.
                            """,
                        ),
                    ),
                ),
                _c(
                    "maggie-doucet",
                    """
                    On question 3: an evaluation plan. Even a short "how I'd know if this
                    worked, beyond quiz scores" paragraph signals that you think beyond the
                    build. We'll go through it properly on our call.
                    """,
                ),
            ],
        ),
        DemoThread(
            slug="is-the-met-worth-it-mid-career",
            category_slug="career-growth",
            author_handle="kwame-asante",
            title="Is the MET worth it mid-career?",
            body=_md(
                """
                I've been a media producer at a polytechnic for six years, came in from
                broadcast, no master's. I'm good at what I do, but I keep hitting the same
                ceiling: every posting for a lead or manager role asks for a graduate degree.

                My employer would cover half the tuition for a part-time MET. That still
                leaves about $9,000, two to three years of evenings, and a toddler at home.

                For those who did a master's mid-career:

                - Did it actually change what you were offered?
                - What would you do differently?
                - Are there credentials that get you 80% of the way for 20% of the effort?
                """
            ),
            tags=("MET", "credentials", "career growth", "grad school"),
            comments=[
                _c(
                    "rajiv-sethi",
                    """
                    Honest answer from the hiring side: for manager roles at most Canadian
                    institutions, yes, it matters, mostly because HR and the collective
                    agreement make it matter. For senior specialist roles it matters much
                    less than your portfolio. Decide which path you want first.
                    """,
                    _c(
                        "kwame-asante",
                        """
                        That's the real question, isn't it. I think I want to lead a media
                        team, not a whole department.
                        """,
                        _c(
                            "rajiv-sethi",
                            """
                            Then the degree probably pays for itself. Ask your director
                            whether there's study leave or a reduced load; it's often
                            available and rarely advertised.
                            """,
                        ),
                    ),
                ),
                _c(
                    "minjun-park",
                    """
                    I did an MEd part-time at 34. The content was fine; the network was the
                    real value. Half of my current team's collaborators are people from my
                    cohort.
                    """,
                ),
                _c(
                    "hannah-lewis",
                    """
                    For the 80/20 question: CMALT, if your institution recognises it. It's a
                    portfolio, not a degree, but it gets you thinking about your practice in
                    the same way.
                    """,
                ),
                _c(
                    "tomas_h",
                    """
                    Current MALAT student here. The toddler factor is real: my classmates
                    with small kids all took the slower track, and the ones who didn't
                    regretted it. Don't try to do it fast.
                    """,
                ),
                _c(
                    "fiona-mcallister",
                    """
                    One more angle: negotiate the time, not only the money. Half tuition
                    with zero workload relief is how people burn out in year two. Get it in
                    writing before you enrol.
                    """,
                ),
            ],
        ),
        DemoThread(
            slug="surviving-an-lms-migration",
            category_slug="tools-and-practice",
            author_handle="dee-kowalski",
            title="Surviving an LMS migration",
            body=_md(
                """
                Three years ago we moved Northshore from Blackboard to Brightspace: about
                1,400 course shells, 300 instructors, one very tired team of three. We're
                now being asked to plan for the *next* contract cycle, so I wrote down what
                I wish we'd known.

                ## What went well

                - **A pilot term with volunteers**, not the loudest critics and not only the
                  keenest fans.
                - **"Migration office hours"**: drop-in every weekday for six weeks. Busier
                  than any workshop we ever ran.
                - **Not migrating everything.** We asked instructors to opt in to moving old
                  courses. Half didn't, and nobody missed them.

                ## What I'd do differently

                1. Budget for the integrations. Publisher tools and the proctoring vendor
                   took longer than the whole content migration.
                2. Decide gradebook defaults *before* the pilot. We changed them twice and
                   confused everyone.
                3. Protect the admin team's time. We said yes to every "quick question" and
                   I worked most evenings for a term.

                What did your migration teach you? Especially interested in the
                communication side.
                """
            ),
            tags=("LMS administration", "Brightspace", "migration", "change management"),
            comments=[
                _c(
                    "fiona-mcallister",
                    """
                    We did Blackboard to Moodle a few years back. The comms lesson: one
                    message, one place. We had updates going out from IT, the library and
                    three faculties, all slightly different. In the end we set up a single
                    page with a changelog and pointed everything at it.
                    """,
                    _c(
                        "dee-kowalski",
                        """
                        A changelog! That would have saved me so many emails.
                        """,
                    ),
                ),
                _c(
                    "minjun-park",
                    """
                    From the analytics side: export and archive the old activity logs before
                    the old contract ends. We lost three years of data we later wanted for a
                    retention study.
                    """,
                ),
                _c(
                    "rajiv-sethi",
                    """
                    Your point 3 is the one leadership needs to hear. When I sign off on a
                    migration now, I budget a term of backfill for the admin team, not as a
                    nice-to-have but as part of the project cost.
                    """,
                    _c(
                        "dee-kowalski",
                        """
                        Can I send this comment to my director? Asking for a friend (me).
                        """,
                        _c(
                            "rajiv-sethi",
                            """
                            Please do. Happy to talk to them directly if it helps.
                            """,
                        ),
                    ),
                ),
                _c(
                    "aroha-ngata",
                    """
                    Library perspective: check every reading list link after the move. Ours
                    broke silently and students found out in week three.
                    """,
                ),
            ],
        ),
        DemoThread(
            slug="hiring-instructional-designer-remote-canada",
            category_slug="jobs-and-opportunities",
            author_handle="rajiv-sethi",
            title="Hiring: instructional designer, remote (Canada)",
            body=_md(
                """
                We're hiring an **Instructional Designer** at Foothills Polytechnic
                University to join our Teaching & Learning Innovation team.

                - **Location:** remote anywhere in Canada; optional in-person week in
                  Calgary twice a year (travel covered)
                - **Salary:** CAD $78,000–$92,000, plus pension and benefits
                - **Hours:** 35 per week, and we mean it
                - **Term:** permanent, full-time, unionised

                **You'll** work with instructors in health and trades programs to design
                blended and online courses, with support from a media producer and an
                accessibility specialist on the same team.

                **You might be a good fit if** you've designed learning for adults, can
                explain your design decisions in plain language, and like working with
                people who are experts in something other than teaching.

                A master's degree **or** an equivalent combination of education and
                experience. Career changers from K–12, health education and corporate
                training are genuinely welcome.

                Posting and application: https://careers.example.edu/foothills/id-2026

                Happy to answer questions here.
                """
            ),
            tags=("hiring", "instructional design", "remote", "Canada"),
            comments=[
                _c(
                    "priya-raman",
                    """
                    Thank you for saying K–12 is welcome explicitly; so many postings don't.
                    Would a portfolio built entirely from secondary school work be
                    competitive?
                    """,
                    _c(
                        "rajiv-sethi",
                        """
                        Yes. We care about the reasoning more than the audience. Do include
                        at least one piece aimed at adult learners if you can, even a small
                        one.
                        """,
                    ),
                ),
                _c(
                    "jamie-brennan",
                    """
                    Is this open to people outside Canada who'd relocate, or do you need
                    existing work authorisation?
                    """,
                    _c(
                        "rajiv-sethi",
                        """
                        Sorry Jamie, for this one you'd need to be eligible to work in Canada
                        already. We can't sponsor for this role.
                        """,
                    ),
                ),
                _c(
                    "tomas_h",
                    """
                    Any chance of a co-op or part-time placement on the team for grad
                    students?
                    """,
                    _c(
                        "rajiv-sethi",
                        """
                        We take one co-op student in the fall term. I'll post it here when
                        it opens.
                        """,
                    ),
                ),
            ],
        ),
        DemoThread(
            slug="whos-going-to-wcet-annual-meeting",
            category_slug="events-and-conferences",
            author_handle=DEMO_ORGANISER.handle,
            title="Who's going to the WCET Annual Meeting?",
            body=_md(
                """
                A few of us are heading to the WCET Annual Meeting this year, and we'd like
                to hold an informal Hallway breakfast on the second morning: no slides, no
                agenda, just coffee and people who like talking about digital learning
                policy.

                Reply if you're going, and say if it's your first time. We'll pair
                first-timers with someone who's been before so you have a friendly face at
                the opening reception.

                **Tips for first-timers**

                - Pick two sessions a day you *really* want. Leave the rest to the hallway.
                - Bring a one-line answer to "what are you working on?"
                - The best conversations happen at the edges of the room, not the front.
                """
            ),
            tags=("WCET", "conferences", "meetup"),
            comments=[
                _c(
                    "maggie-doucet",
                    """
                    I'll be there, and yes to the breakfast. Happy to be a friendly face for
                    first-timers, especially anyone working in French or in a small
                    institution.
                    """,
                ),
                _c(
                    "sofia-marquez",
                    """
                    First time for me! I'm coming from corporate L&D and honestly a bit
                    nervous that I'll be the only non-higher-ed person there.
                    """,
                    _c(
                        "maggie-doucet",
                        """
                        @sofia-marquez you won't be, and your compliance and evaluation
                        background is very relevant to the policy sessions. Find me at the
                        breakfast and I'll introduce you around.
                        """,
                        _c(
                            "sofia-marquez",
                            """
                            That's a relief, thank you. See you there.
                            """,
                        ),
                    ),
                ),
                _c(
                    "kwame-asante",
                    """
                    Going, and co-presenting a short session on low-cost video studios for
                    small teams. Come say hi; I'll bring lightboard stickers.
                    """,
                ),
                _c(
                    "rajiv-sethi",
                    """
                    Attending for day one and two. Count me in for breakfast.
                    """,
                ),
            ],
        ),
        DemoThread(
            slug="generative-ai-policy-for-teaching",
            category_slug="leadership-and-strategy",
            author_handle="fiona-mcallister",
            title="Generative AI policy for teaching: what's your institution doing?",
            body=_md(
                """
                We've just finished our second revision of guidance on generative AI in
                teaching and assessment, and I'd love to compare notes. Where we landed:

                - **Guidance, not policy.** Policy takes a year to change; the tools change
                  monthly. The formal policy just points to the academic integrity code.
                - **A three-level scale per assessment**: no AI use, AI use with
                  acknowledgement, AI use expected. Course teams choose and must tell
                  students.
                - **No detection tools.** We tested two; the false positives landed
                  disproportionately on students writing in a second language.
                - **Assessment redesign support** instead of surveillance: we funded a
                  term of learning designer time for the programmes most affected.

                What's still hard: consistency across departments, and staff who feel they
                were never asked.

                What's your institution doing? Particularly interested in how you brought
                staff along.
                """
            ),
            tags=("generative AI", "policy", "assessment", "academic integrity"),
            comments=[
                _c(
                    "rajiv-sethi",
                    """
                    Very similar here, except that we use a per-course statement in the
                    syllabus rather than per assessment. Per assessment is better, honestly;
                    we chose per course because it was easier to get through senate.
                    """,
                    _c(
                        "fiona-mcallister",
                        """
                        That's a very real trade-off. We only got per-assessment because the
                        assessment regulations were already being rewritten.
                        """,
                    ),
                ),
                _c(
                    "minjun-park",
                    """
                    I'd push back a little on "no detection tools" as a blanket rule. We
                    don't use them for misconduct cases either, but aggregate signals have
                    been useful for spotting which assessments need redesigning first.
                    """,
                    _c(
                        "fiona-mcallister",
                        """
                        Fair. I'd be comfortable with that as long as it never touches an
                        individual student's record. How do you stop it drifting into
                        individual cases?
                        """,
                        _c(
                            "minjun-park",
                            """
                            Honestly, by keeping the data with our team and reporting only at
                            the assessment level. It relies on trust more than technology.
                            """,
                        ),
                    ),
                ),
                _c(
                    "maggie-doucet",
                    """
                    One equity note from a bilingual institution: the tools are noticeably
                    weaker in French, so "AI use expected" can quietly disadvantage
                    francophone students. We now ask course teams to check that explicitly.
                    """,
                ),
                _c(
                    "tomas_h",
                    """
                    Student perspective: the most useful thing any of my instructors did was
                    show us, in class, where the tool was confidently wrong about our own
                    field. That did more than any policy.
                    """,
                ),
                _c(
                    "hannah-lewis",
                    """
                    We're also asking about licensing: if students or staff paste openly
                    licensed material into these tools, what happens to attribution? No good
                    answers yet, but it's on the list.
                    """,
                ),
            ],
        ),
    ]


# --------------------------------------------------------------------------------------
# Events
# --------------------------------------------------------------------------------------


def _on_or_after(day: date, weekday: int) -> date:
    """The first ``weekday`` (Mon=0) on or after ``day``."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def demo_events(today: date) -> list[DemoEvent]:
    """Upcoming events, all strictly after ``today``."""
    live_day = _on_or_after(today + timedelta(days=21), 5)  # a Saturday ~3 weeks out
    apac_day = _on_or_after(today + timedelta(days=35), 2)  # a Wednesday ~5 weeks out
    etug_day = _on_or_after(today + timedelta(days=60), 3)  # a Thursday ~2 months out
    organiser = DEMO_ORGANISER.handle

    return [
        DemoEvent(
            slug="hallway-live-breaking-into-ed-tech",
            title="Hallway Live: Breaking into Ed Tech",
            summary=(
                "A one-day online gathering for career changers, grad students and anyone "
                "trying to land their first ed-tech role."
            ),
            description=_md(
                """
                A relaxed, practical day online for people trying to get into educational
                technology, and for the people who remember what that felt like.

                ## Schedule (Pacific time)

                - **9:00** Welcome, and how the meetup rooms work
                - **9:15** Panel: *Four ways in.* A teacher, a librarian, a trainer and a
                  media producer on how they got their first role
                - **10:15** Meetup rooms open: drop into whichever fits
                - **12:00** Portfolio lightning round: five portfolios, five minutes each,
                  kind and specific feedback
                - **13:00** Mentoring tables, and a wrap-up by 14:00

                ## Who should come

                Teachers thinking about a change, grad students in MET, MALAT and MEd
                programmes, trainers, librarians and anyone else curious. Experienced folk
                are very welcome to host a table.

                Captions will be on for every session. Cameras optional, always.
                """
            ),
            is_online=True,
            start_date=live_day,
            start_hour=9,
            end_date=live_day,
            end_hour=14,
            time_zone="America/Vancouver",
            venue=None,
            city=None,
            region=None,
            country=None,
            online_url="https://live.example.org/hallway/breaking-in",
            capacity=250,
            organiser_handle=organiser,
            rooms=(
                DemoRoom(
                    "Career changers' corner",
                    "For teachers, trainers and anyone switching careers: swap stories and "
                    "questions with people on the same road.",
                ),
                DemoRoom(
                    "Mentoring tables",
                    "Small-group conversations with experienced designers, technologists "
                    "and managers. Bring one question.",
                ),
                DemoRoom(
                    "Portfolio clinic",
                    "Share your screen and get ten minutes of specific, friendly feedback "
                    "on a portfolio piece.",
                ),
            ),
            announcement=DemoAnnouncement(
                author_handle=organiser,
                title="Mentoring tables: hosts confirmed",
                body=_md(
                    """
                    We have six mentoring-table hosts confirmed, including @maggie-doucet
                    and @fiona-mcallister. Tables are first come, first served on the day,
                    so arrive early if there's someone you'd like to talk to. If you'd like
                    your portfolio in the lightning round, reply to this announcement by the
                    Wednesday before.
                    """
                ),
            ),
            tags=("career change", "online", "mentoring", "portfolios"),
        ),
        DemoEvent(
            slug="hallway-live-apac-learning-design-after-hours",
            title="Hallway Live APAC: Learning design after hours",
            summary=(
                "An evening meetup for Australia, Aotearoa New Zealand and the Pacific, "
                "timed for after work rather than before dawn."
            ),
            description=_md(
                """
                Most online ed-tech events land at 3 a.m. in Australia and New Zealand. This
                one doesn't. Bring a cuppa (or something stronger) for an hour and a half
                of conversation about learning design, Moodle and Canvas, and careers in
                the region.

                - Short welcome from the hosts, then straight into the meetup rooms
                - Rooms rotate once halfway through so you can meet more people
                - Finishes by 8 p.m. Sydney time (about 10 p.m. in Auckland)

                ASCILITE members and first-timers equally welcome.
                """
            ),
            is_online=True,
            start_date=apac_day,
            start_hour=18,
            end_date=apac_day,
            end_hour=20,
            time_zone="Australia/Sydney",
            venue=None,
            city=None,
            region=None,
            country=None,
            online_url="https://live.example.org/hallway/apac",
            capacity=120,
            organiser_handle=organiser,
            rooms=(
                DemoRoom(
                    "Career changers' corner",
                    "Getting into learning design in Australia, Aotearoa and the Pacific.",
                ),
                DemoRoom(
                    "LMS admins",
                    "Moodle and Canvas administrators comparing notes on upgrades, "
                    "plugins and term start-up.",
                ),
            ),
            announcement=DemoAnnouncement(
                author_handle=organiser,
                title="Co-host wanted for the LMS admins room",
                body=_md(
                    """
                    We're looking for someone in the region to co-host the LMS admins room
                    with @minjun-park. Twenty minutes of your evening, no slides required.
                    Reply here if you're keen.
                    """
                ),
            ),
            tags=("APAC", "online", "LMS administration"),
        ),
        DemoEvent(
            slug="hallway-meetup-etug-spring-workshop",
            title="Hallway Meetup at the ETUG Spring Workshop",
            summary=(
                "An in-person evening meetup in Kamloops after day one of the ETUG Spring "
                "Workshop: snacks, good company and three meetup tables."
            ),
            description=_md(
                """
                Heading to the ETUG Spring Workshop? Join us after the first day's
                sessions for an informal Hallway meetup. You don't need to be registered
                for the workshop to come.

                ## Details

                - **Where:** Riverbend Institute of Technology, Campus Commons, room
                  CC-140 (ground floor, step-free access from the main entrance)
                - **When:** 4:00–7:00 p.m., drop in any time
                - **Food:** snacks and drinks provided, including vegetarian, vegan and
                  gluten-free options, plus non-alcoholic drinks
                - **Getting there:** a 10-minute walk from the workshop venue; the
                  organisers will lead a group over at 3:50

                ## What happens

                Three tables, each with a host to get the conversation going. Move
                between them as often as you like. If you're new to ETUG or to BC, tell
                us when you arrive and we'll introduce you to a few people.
                """
            ),
            is_online=False,
            start_date=etug_day,
            start_hour=16,
            end_date=etug_day,
            end_hour=19,
            time_zone="America/Vancouver",
            venue="Riverbend Institute of Technology, Campus Commons (CC-140)",
            city="Kamloops",
            region="British Columbia",
            country="CA",
            online_url=None,
            capacity=60,
            organiser_handle=organiser,
            rooms=(
                DemoRoom(
                    "LMS admins",
                    "For the people who keep the LMS running: upgrades, integrations and "
                    "term rollover war stories.",
                ),
                DemoRoom(
                    "Mentoring tables",
                    "Sit down with experienced folks from BC institutions and ask anything.",
                ),
                DemoRoom(
                    "Media makers",
                    "Video, audio and lightboards on small budgets.",
                ),
            ),
            announcement=DemoAnnouncement(
                author_handle=organiser,
                title="Venue confirmed, and a note on accessibility",
                body=_md(
                    """
                    We're confirmed for Campus Commons CC-140. The room has step-free
                    access, an accessible washroom on the same floor and a quieter side
                    room if you need a break. If you have any access needs we haven't
                    thought of, message me and we'll sort it out.
                    """
                ),
            ),
            tags=("ETUG", "in person", "British Columbia", "meetup"),
        ),
    ]
