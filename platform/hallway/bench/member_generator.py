"""Generated members for the matching benchmarks, each with a hidden truth.

Every member has a *truth* (what they really need and offer: topics, intents, career
stage, working hours) and a *profile* (what they wrote on the registration form). The
profile reveals the truth only in part and often in other words: a topic may be a
ticked interest, a synonym typed as a tag, a phrase in the bio ("captioning", "Moodle
admin", "renewable assignments") or missing; an intent may be ticked, said in the bio
("I'd love to find a mentor") or not said at all; stage and time zone are sometimes left
blank. Some interests are ticked that are not really theirs.

``relevance`` grades every pair from the truth alone, reciprocally (0: no reason to meet;
3: each is a strong answer to what the other needs). Nothing here reads the matching
engine; the same seed always gives the same members.

The engine's vocabulary may know some of the phrases below (they are the words people
use, so it should); the quality benchmark therefore also measures with part of them held
out of the vocabulary (``hallway.bench.matching_quality``). ``phrase_kind`` tells a
synonym the members vocabulary's tags already know from a paraphrase it does not.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from hallway.members import vocabulary

NOVICE, CAREER, ADVANCED = 0, 1, 2
STAGE_CODES = ("novice", "career", "advanced")

#: Topic -> phrases people write for it (besides the topic's own name). Each phrase is
#: either a synonym the members vocabulary already knows or a paraphrase of our own.
TOPIC_PHRASES: dict[str, tuple[str, ...]] = {
    "accessibility & UDL": (
        "a11y",
        "UDL",
        "WCAG",
        "universal design for learning",
        "captioning",
        "closed captions",
        "screen readers",
        "alt text for images",
        "disability access",
    ),
    "LMS administration": (
        "LMS admin",
        "learning management systems",
        "Moodle admin",
        "running our LMS",
        "LMS migrations",
        "gradebook setup",
        "course shells",
    ),
    "instructional design": (
        "ID",
        "course design",
        "course development",
        "ISD",
        "designing courses",
        "storyboarding modules",
        "writing learning objectives",
    ),
    "learning experience design": (
        "LXD",
        "learning design",
        "learner journeys",
        "designing learning experiences",
    ),
    "OER": (
        "open educational resources",
        "open textbooks",
        "Pressbooks",
        "free course materials",
        "textbook affordability",
    ),
    "open pedagogy": ("open educational practices", "OEP", "renewable assignments"),
    "video production": (
        "educational video",
        "instructional video",
        "lecture capture",
        "filming lectures",
        "editing in Premiere",
    ),
    "podcasting": ("podcast", "audio production", "recording interviews for students"),
    "learning analytics": (
        "analytics",
        "learning data",
        "dashboards of student activity",
        "predicting dropout",
        "early alert systems",
    ),
    "generative AI in teaching": (
        "genai",
        "chatgpt",
        "AI in education",
        "LLMs",
        "prompting for teachers",
        "AI tutors",
        "large language models in class",
    ),
    "assessment": (
        "rubrics",
        "grading",
        "exam design",
        "authentic assessment",
        "feedback on essays",
    ),
    "faculty development": (
        "educational development",
        "faculty support",
        "teaching and learning centre",
        "training instructors",
        "workshops for faculty",
    ),
    "educational research": (
        "SoTL",
        "education research",
        "classroom studies",
        "research ethics boards",
    ),
    "gamification": (
        "serious games",
        "game-based learning",
        "badges and leaderboards",
        "escape rooms",
    ),
    "simulations": (
        "virtual labs",
        "simulation-based learning",
        "clinical scenarios",
        "branching scenarios",
    ),
    "VR & AR": ("virtual reality", "augmented reality", "XR", "headsets in class", "360 video"),
    "H5P": ("interactive videos", "interactive content"),
    "Moodle": ("Moodle plugins", "Moodle themes", "moodle site"),
    "e-learning authoring": (
        "authoring tools",
        "Captivate",
        "elearning development",
        "building SCORM packages",
    ),
    "online & distance learning": (
        "online learning",
        "distance education",
        "e-learning",
        "teaching online",
        "remote students",
        "fully online programs",
    ),
    "blended & hybrid learning": (
        "hyflex",
        "blended learning",
        "flipped classroom",
        "hybrid courses",
    ),
    "digital literacy": (
        "digital skills",
        "information literacy",
        "media literacy",
        "spotting misinformation",
    ),
    "academic integrity": ("proctoring", "plagiarism", "contract cheating", "honour codes"),
    "learner engagement": (
        "student engagement",
        "active learning",
        "discussion forums that work",
        "keeping students motivated",
    ),
    "inclusive teaching": (
        "equity",
        "DEI",
        "inclusion",
        "culturally responsive teaching",
        "first-generation students",
    ),
    "quality assurance": (
        "quality matters",
        "course review",
        "course quality",
        "program review standards",
    ),
    "copyright & open licensing": (
        "creative commons",
        "copyright",
        "fair dealing",
        "licensing images",
    ),
    "workplace learning": (
        "L&D",
        "corporate learning",
        "training",
        "onboarding programs",
        "sales enablement",
    ),
    "project management": (
        "agile",
        "project manager",
        "scrum",
        "Gantt charts",
        "managing timelines",
    ),
    "privacy & data ethics": (
        "privacy",
        "GDPR",
        "FERPA",
        "data ethics",
        "vendor privacy reviews",
        "student data protection",
    ),
    "microlearning": ("micro-learning", "bite-sized learning", "five-minute lessons"),
    "digital strategy": (
        "digital transformation",
        "ed tech strategy",
        "technology roadmaps",
        "IT governance",
    ),
}

TOPICS: tuple[str, ...] = tuple(TOPIC_PHRASES)
VOCABULARY = "vocabulary"
PARAPHRASE = "paraphrase"

#: Topics that are often met together (the structure a text model can learn).
TOPIC_CLUSTERS: tuple[tuple[str, ...], ...] = (
    (
        "accessibility & UDL",
        "inclusive teaching",
        "video production",
        "instructional design",
        "copyright & open licensing",
    ),
    (
        "LMS administration",
        "Moodle",
        "H5P",
        "e-learning authoring",
        "quality assurance",
        "privacy & data ethics",
    ),
    ("OER", "open pedagogy", "copyright & open licensing", "digital literacy"),
    (
        "learning analytics",
        "privacy & data ethics",
        "educational research",
        "assessment",
        "digital strategy",
    ),
    ("generative AI in teaching", "academic integrity", "assessment", "digital literacy"),
    (
        "faculty development",
        "blended & hybrid learning",
        "learner engagement",
        "online & distance learning",
        "inclusive teaching",
    ),
    (
        "workplace learning",
        "microlearning",
        "e-learning authoring",
        "project management",
        "learning experience design",
    ),
    ("gamification", "simulations", "VR & AR", "learner engagement", "video production"),
    (
        "instructional design",
        "learning experience design",
        "online & distance learning",
        "assessment",
        "project management",
        "podcasting",
    ),
)

LOOKING_BY_STAGE: dict[int, tuple[tuple[str, float], ...]] = {
    NOVICE: (
        ("mentoring", 0.7),
        ("career_chat", 0.5),
        ("job_leads", 0.35),
        ("peer_support", 0.35),
        ("course_feedback", 0.3),
    ),
    CAREER: (
        ("collaborators", 0.45),
        ("peer_support", 0.35),
        ("job_leads", 0.2),
        ("speaking", 0.2),
        ("course_feedback", 0.25),
        ("mentoring", 0.2),
    ),
    ADVANCED: (("collaborators", 0.5), ("speaking", 0.25), ("peer_support", 0.15)),
}
OFFERING_BY_STAGE: dict[int, tuple[tuple[str, float], ...]] = {
    NOVICE: (("peer_support", 0.3), ("collaborators", 0.15)),
    CAREER: (
        ("peer_support", 0.35),
        ("course_feedback", 0.35),
        ("collaborators", 0.35),
        ("career_chat", 0.2),
        ("mentoring", 0.1),
    ),
    ADVANCED: (
        ("mentoring", 0.65),
        ("career_chat", 0.5),
        ("course_feedback", 0.4),
        ("job_leads", 0.3),
        ("hiring", 0.2),
        ("collaborators", 0.3),
    ),
}
INTENTS: tuple[str, ...] = tuple(vocabulary.INTENTS)

#: Bio sentences saying an intent without ticking it.
LOOKING_SENTENCES: dict[str, tuple[str, ...]] = {
    "mentoring": (
        "I'd love to find a mentor who has been doing this for a while.",
        "Looking for someone more experienced to learn from.",
    ),
    "career_chat": ("I'd welcome a short chat with anyone about how they built their career.",),
    "job_leads": ("I'm on the job market and open to new roles.",),
    "collaborators": ("Always keen to build something together or co-write a paper.",),
    "peer_support": ("I'd like a few peers to compare notes with.",),
    "speaking": ("I'm looking for a conference slot to share what we learned.",),
    "course_feedback": ("I'd love a second pair of eyes on a course I'm building.",),
}
OFFERING_SENTENCES: dict[str, tuple[str, ...]] = {
    "mentoring": ("I enjoy mentoring people who are new to the field.", "Happy to mentor."),
    "career_chat": ("Glad to talk careers with anyone changing paths.",),
    "job_leads": ("I often hear about openings and pass them on.",),
    "hiring": ("My team is hiring this year.",),
    "collaborators": ("Always up for a joint project.",),
    "peer_support": ("Always up for swapping notes with peers.",),
    "course_feedback": ("Happy to review a course design and give honest feedback.",),
}

EXPERT_SENTENCES = (
    "I've spent {years} years on {topic}.",
    "Most of my work is {topic}.",
    "Ask me about {topic}.",
    "I lead our {topic} work.",
)
NEED_SENTENCES = (
    "I'm trying to get better at {topic}.",
    "This year I'm learning {topic}.",
    "I'd like to understand {topic} better.",
    "New to {topic} and keen to learn.",
)
FILLER_SENTENCES = (
    "Outside work I garden and bake bread.",
    "I live with two cats and too many books.",
    "I coach my kid's soccer team.",
    "Before this I taught high school science.",
    "I came to this field from journalism.",
    "Coffee first, then everything else.",
    "I run a small reading group on Fridays.",
    "I moved here three years ago.",
)
ROLES = {
    NOVICE: (
        "Graduate student",
        "Teacher moving into ed tech",
        "Learning technology assistant",
        "Junior instructional designer",
    ),
    CAREER: (
        "Instructional designer",
        "Educational developer",
        "Learning technologist",
        "E-learning developer",
        "LMS administrator",
        "Media producer",
    ),
    ADVANCED: (
        "Director of digital learning",
        "Senior instructional designer",
        "Head of learning technology",
        "Associate dean, teaching and learning",
    ),
}

#: (IANA zone, rough UTC offset in hours, weight): the truth uses the offset.
ZONES: tuple[tuple[str, float, int], ...] = (
    ("America/Vancouver", -8, 12),
    ("America/Edmonton", -7, 5),
    ("America/Winnipeg", -6, 4),
    ("America/Toronto", -5, 18),
    ("America/Halifax", -4, 3),
    ("Europe/London", 0, 12),
    ("Europe/Paris", 1, 6),
    ("Africa/Nairobi", 3, 2),
    ("Asia/Kolkata", 5.5, 3),
    ("Asia/Singapore", 8, 3),
    ("Australia/Brisbane", 10, 5),
    ("Pacific/Auckland", 12, 3),
)
SECTORS: tuple[str, ...] = tuple(vocabulary.SECTORS)
NETWORKS: tuple[str, ...] = tuple(vocabulary.NETWORKS)


@dataclass
class Truth:
    """What the member really is, needs and offers (never shown to the engine)."""

    stage: int
    topics: frozenset[str]
    need_topics: frozenset[str]
    expert_topics: frozenset[str]
    looking_for: frozenset[str]
    offering: frozenset[str]
    utc_offset: float
    sector: str


@dataclass
class Profile:
    """What the registration export says: the columns of the members import, plus ids."""

    user_id: int
    name: str
    email: str
    organisation: str
    role: str
    career_stage: str | None
    sector: str | None
    country: str | None
    time_zone: str | None
    interests: list[str]  # as typed (the import normalises them)
    networks: list[str]
    looking_for: list[str]
    offering: list[str]
    bio: str
    events: list[int] = field(default_factory=list)
    matchable: bool = True
    novices_may_request: bool = True
    visibility: str = "members"


@dataclass
class GeneratedMember:
    profile: Profile
    truth: Truth


def phrase_topics() -> dict[str, str]:
    """Every phrase the generator writes for a topic (as written) -> its topic."""
    return {phrase: topic for topic, phrases in TOPIC_PHRASES.items() for phrase in phrases}


def phrase_kind(phrase: str) -> str:
    """VOCABULARY if the members vocabulary maps the phrase to a curated topic."""
    return VOCABULARY if vocabulary.is_curated_tag(vocabulary.normalise_tag(phrase)) else PARAPHRASE


def _chance(rng: random.Random, share: float) -> bool:
    return rng.random() < share


class MemberGenerator:
    """Members with hidden truth; ``generate(count)`` is deterministic for a seed.

    ``tag_share``: how often a true topic is ticked as an interest; ``intent_share``: how
    often a true intent is ticked; the rest is said in the bio or not at all;
    ``stray_tag_share``: how often one interest is ticked that is not the member's;
    ``synonym_tag_share``: how often a ticked topic is typed as one of its phrases.
    The truth and the wording draw from two random generators, so the same seed gives the
    same truth whatever the shares (``complete_profiles`` reveals all of it).
    """

    def __init__(
        self,
        seed: int = 12,
        *,
        tag_share: float = 0.4,
        intent_share: float = 0.55,
        stage_share: float = 0.85,
        zone_share: float = 0.8,
        novice_refusal_share: float = 0.25,
        stray_tag_share: float = 0.3,
        synonym_tag_share: float = 0.3,
    ) -> None:
        self.rng = random.Random(seed)  # the truth
        self.words = random.Random(seed * 7919 + 1)  # what the profile says of it
        self.stray_tag_share = stray_tag_share
        self.synonym_tag_share = synonym_tag_share
        self.tag_share = tag_share
        self.intent_share = intent_share
        self.stage_share = stage_share
        self.zone_share = zone_share
        self.novice_refusal_share = novice_refusal_share
        self._zone_weights = [weight for _, _, weight in ZONES]

    def generate(self, count: int, first_id: int = 1) -> list[GeneratedMember]:
        return [self.member(first_id + number) for number in range(count)]

    # --- the truth ---------------------------------------------------------------------

    def truth(self) -> Truth:
        rng = self.rng
        stage = rng.choices((NOVICE, CAREER, ADVANCED), weights=(30, 45, 25))[0]
        home = rng.choice(TOPIC_CLUSTERS)
        topics = set(rng.sample(home, rng.randint(2, 3)))
        if _chance(rng, 0.6):
            topics.add(rng.choice(rng.choice(TOPIC_CLUSTERS)))
        if _chance(rng, 0.3):
            topics.add(rng.choice(TOPICS))
        ordered = sorted(topics)
        rng.shuffle(ordered)
        if stage == ADVANCED:
            expert = set(ordered[: max(1, len(ordered) - 1)])
        elif stage == CAREER:
            expert = set(ordered[: max(1, len(ordered) // 2)])
        else:
            expert = set(ordered[:1]) if _chance(rng, 0.2) else set()
        need = set(ordered) - expert
        if not need and stage != ADVANCED:
            need = {ordered[-1]}
        looking = {intent for intent, p in LOOKING_BY_STAGE[stage] if _chance(rng, p)}
        offering = {intent for intent, p in OFFERING_BY_STAGE[stage] if _chance(rng, p)}
        if not looking and not offering:
            looking.add(LOOKING_BY_STAGE[stage][0][0])
        _zone, offset, _weight = rng.choices(ZONES, weights=self._zone_weights)[0]
        return Truth(
            stage=stage,
            topics=frozenset(topics),
            need_topics=frozenset(need),
            expert_topics=frozenset(expert),
            looking_for=frozenset(looking),
            offering=frozenset(offering),
            utc_offset=offset,
            sector=rng.choice(SECTORS),
        )

    # --- what the profile says ----------------------------------------------------------

    @classmethod
    def complete_profiles(cls, seed: int = 12) -> MemberGenerator:
        """The same truth, every part of it shown (a diagnostic: the ceiling of a ranking
        that reads profiles)."""
        return cls(
            seed, tag_share=1.0, intent_share=1.0, stage_share=1.0, zone_share=1.0,
            stray_tag_share=0.0, synonym_tag_share=0.0,
        )  # fmt: skip

    def _phrase(self, topic: str) -> str:
        phrases = TOPIC_PHRASES[topic]
        return self.words.choice(phrases) if _chance(self.words, 0.8) else topic

    def member(self, user_id: int) -> GeneratedMember:
        truth = self.truth()
        accepts_novices = not _chance(self.rng, self.novice_refusal_share)
        rng = self.words
        interests: list[str] = []
        sentences: list[str] = []
        for topic in sorted(truth.topics):
            ticked = _chance(rng, self.tag_share)
            if ticked:
                in_other_words = _chance(rng, self.synonym_tag_share)
                interests.append(rng.choice(TOPIC_PHRASES[topic]) if in_other_words else topic)
            if not ticked and _chance(rng, 0.75) or ticked and _chance(rng, 0.25):
                if topic in truth.expert_topics:
                    template = rng.choice(EXPERT_SENTENCES)
                else:
                    template = rng.choice(NEED_SENTENCES)
                sentences.append(
                    template.format(topic=self._phrase(topic), years=rng.randint(3, 20))
                )
        if _chance(rng, self.stray_tag_share):  # a box ticked on a whim
            interests.append(rng.choice(TOPICS))
        looking: list[str] = []
        offering: list[str] = []
        for intents, ticked_list, said in (
            (truth.looking_for, looking, LOOKING_SENTENCES),
            (truth.offering, offering, OFFERING_SENTENCES),
        ):
            for intent in sorted(intents):
                if _chance(rng, self.intent_share):
                    ticked_list.append(intent)
                elif _chance(rng, 0.6):
                    sentences.append(rng.choice(said[intent]))
        if _chance(rng, 0.6):
            sentences.append(rng.choice(FILLER_SENTENCES))
        rng.shuffle(sentences)
        zone = next(name for name, offset, _ in ZONES if offset == truth.utc_offset)
        profile = Profile(
            user_id=user_id,
            name=f"Member {user_id}",
            email=f"member{user_id}@example.org",
            organisation=f"Organisation {rng.randint(1, 400)}",
            role=rng.choice(ROLES[truth.stage]),
            career_stage=STAGE_CODES[truth.stage] if _chance(rng, self.stage_share) else None,
            sector=truth.sector if _chance(rng, 0.7) else None,
            country=None,
            time_zone=zone if _chance(rng, self.zone_share) else None,
            interests=interests,
            networks=rng.sample(NETWORKS, rng.randint(0, 2)),
            looking_for=looking,
            offering=offering,
            bio=" ".join(sentences),
            novices_may_request=accepts_novices,
        )
        return GeneratedMember(profile, truth)


def assign_events(
    members: Sequence[GeneratedMember], big_event: int, big_size: int, seed: int = 7,
    other_events: int = 40,
) -> list[int]:  # fmt: skip
    """Sends ``big_size`` members (chosen with the seed) to event ``big_event`` and the
    others to up to two of ``other_events`` smaller ones; returns the big event's user ids."""
    rng = random.Random(seed)
    chosen = rng.sample(range(len(members)), min(big_size, len(members)))
    for index in chosen:
        members[index].profile.events.append(big_event)
    for member in members:
        for _ in range(rng.randint(0, 2)):
            event = big_event + 1 + rng.randrange(other_events)
            if event not in member.profile.events:
                member.profile.events.append(event)
    return [members[index].profile.user_id for index in chosen]


# --- Ground truth ------------------------------------------------------------------------

#: Intents a member looks for that the other must offer, from someone more senior
#: (or, for course feedback, at least as senior).
_SENIOR_INTENTS = {"mentoring": 1, "career_chat": 1, "course_feedback": 0}
#: Intents met by a peer who looks for or offers the same, at most this many stages apart.
_PEER_INTENTS = {"collaborators": 1, "peer_support": 0, "speaking": 2}


@dataclass
class TruthArrays:
    """The truth of many members as arrays, for pairwise grading."""

    stage: NDArray[np.int64]
    topics: NDArray[np.float32]  # member x topic (0/1)
    need: NDArray[np.float32]
    expert: NDArray[np.float32]
    looking: NDArray[np.bool_]  # member x intent
    offering: NDArray[np.bool_]
    offset: NDArray[np.float64]
    sector: NDArray[np.int64]
    accepts_novices: NDArray[np.bool_]

    @classmethod
    def of(cls, members: Sequence[GeneratedMember]) -> TruthArrays:
        topic_index = {topic: index for index, topic in enumerate(TOPICS)}
        intent_index = {intent: index for index, intent in enumerate(INTENTS)}
        count = len(members)

        def matrix(width: int, values: list[frozenset[str]], index: dict[str, int]) -> NDArray:
            out = np.zeros((count, width), dtype=np.float32)
            for row, names in enumerate(values):
                out[row, [index[name] for name in names]] = 1
            return out

        truths = [member.truth for member in members]
        return cls(
            stage=np.array([t.stage for t in truths]),
            topics=matrix(len(TOPICS), [t.topics for t in truths], topic_index),
            need=matrix(len(TOPICS), [t.need_topics for t in truths], topic_index),
            expert=matrix(len(TOPICS), [t.expert_topics for t in truths], topic_index),
            looking=matrix(len(INTENTS), [t.looking_for for t in truths], intent_index) > 0,
            offering=matrix(len(INTENTS), [t.offering for t in truths], intent_index) > 0,
            offset=np.array([t.utc_offset for t in truths]),
            sector=np.array([SECTORS.index(t.sector) for t in truths]),
            accepts_novices=np.array([m.profile.novices_may_request for m in members]),
        )


def working_hours_overlap(offsets: NDArray[np.float64]) -> NDArray[np.float64]:
    """Hours that 9:00–17:00 local overlap, for every pair (member x member)."""
    difference = np.abs(offsets[:, None] - offsets[None, :])
    difference = np.minimum(difference, 24 - difference)
    return np.clip(8 - difference, 0, 8)


def help_given(truth: TruthArrays) -> NDArray[np.int64]:
    """``help[a, b]``: how many of ``a``'s needs ``b`` answers (each intent counts once,
    twice when two or more topics line up). Directional; ``relevance`` makes it mutual."""
    count = len(truth.stage)
    helped = np.zeros((count, count), dtype=np.int64)
    need_expert = truth.need @ truth.expert.T  # a's needed topics b is expert in
    shared = truth.topics @ truth.topics.T
    stage_gap = truth.stage[None, :] - truth.stage[:, None]  # b's stage minus a's
    intent_index = {intent: index for index, intent in enumerate(INTENTS)}
    for intent, min_gap in _SENIOR_INTENTS.items():
        column = intent_index[intent]
        ok = truth.looking[:, column][:, None] & truth.offering[:, column][None, :]
        ok &= stage_gap >= min_gap
        overlap = need_expert if intent != "career_chat" else np.maximum(need_expert, shared)
        helped += ok * ((overlap >= 1).astype(np.int64) + (overlap >= 2))
    jobs = intent_index["job_leads"]
    gives_jobs = truth.offering[:, jobs] | truth.offering[:, intent_index["hiring"]]
    ok = truth.looking[:, jobs][:, None] & gives_jobs[None, :]
    ok &= (truth.sector[:, None] == truth.sector[None, :]) | (shared >= 1)
    helped += ok
    for intent, max_gap in _PEER_INTENTS.items():
        column = intent_index[intent]
        other_side = truth.looking[:, column] | truth.offering[:, column]
        ok = truth.looking[:, column][:, None] & other_side[None, :]
        ok &= np.abs(stage_gap) <= max_gap
        helped += ok * ((shared >= 1).astype(np.int64) + (shared >= 2))
    # A novice may only reach someone who accepts novices' requests.
    novice_blocked = (truth.stage[:, None] == NOVICE) & ~truth.accepts_novices[None, :]
    helped[novice_blocked] = 0
    np.fill_diagonal(helped, 0)
    return helped


def relevance(truth: TruthArrays) -> NDArray[np.int8]:
    """Graded, symmetric relevance of every pair (0–3) from the truth.

    ``help_given`` counts the needs each answers for the other (a need counts twice when
    two or more topics line up); ``total`` is both directions added up.
    3: each answers a need of the other and total >= 3, or total >= 4;
    2: total >= 2 (one strong answer, or two needs answered);
    1: one weak answer, or two or more true topics shared;
    0 for a novice and someone who refuses novices' requests (a hard rule);
    one grade less when their working hours overlap by under two hours.
    """
    helped = help_given(truth)
    shared = truth.topics @ truth.topics.T
    mutual = (helped > 0) & (helped.T > 0)
    total = helped + helped.T
    grade = np.select(
        [(mutual & (total >= 3)) | (total >= 4), total >= 2, (total >= 1) | (shared >= 2)],
        [3, 2, 1],
        0,
    )
    novice_blocked = (truth.stage[:, None] == NOVICE) & ~truth.accepts_novices[None, :]
    grade[novice_blocked | novice_blocked.T] = 0  # never suggested to each other
    grade = np.where(working_hours_overlap(truth.offset) < 2, np.maximum(grade - 1, 0), grade)
    np.fill_diagonal(grade, 0)
    return grade.astype(np.int8)
