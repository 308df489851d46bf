"""A pair's reasons in plain words, from the viewer's side, in the viewer's language.

"You are looking for mentoring in accessibility & UDL; Maggie offers mentoring and works
on captioning", "Both going to ETUG Spring Workshop", "Both ALT members", "Your working
hours overlap (UTC−8 / UTC−5)". Each side sees the same facts turned towards them.
"""

from __future__ import annotations

from collections.abc import Mapping

from babel.lists import format_list
from flask_babel import get_locale, gettext

from hallway.matching.index import format_utc_offset
from hallway.matching.scoring import PairExplanation
from hallway.members import vocabulary

#: At most this many topics in one sentence.
_TOPICS_IN_A_SENTENCE = 3


def _intent(code: str) -> str:
    """An intent's label in the running text of a sentence ("mentoring", "a 30-minute ...")."""
    label = gettext(vocabulary.INTENTS.get(code, code))
    return label[:1].lower() + label[1:]


def _listed(items: list[str]) -> str:
    locale = get_locale()
    return format_list(items, locale=str(locale) if locale else "en")


def reasons_for(
    explanation: PairExplanation,
    *,
    other_name: str,
    event_titles: Mapping[int, str],
) -> list[str]:
    """The sentences for one pair, strongest first."""
    reasons: list[str] = []
    topics_said: set[str] = set()
    shared = explanation.shared_topics

    for answer in explanation.answers:
        if shared and not topics_said:
            topic, their_word = shared[0]
            topics_said.add(topic)
            reasons.append(
                gettext(
                    "You are looking for %(wanted)s in %(topic)s; %(name)s offers %(offered)s "
                    "and works on %(work)s",
                    wanted=_intent(answer.wanted),
                    topic=topic,
                    name=other_name,
                    offered=_intent(answer.offered),
                    work=their_word,
                )
            )
        else:
            reasons.append(
                gettext(
                    "You are looking for %(wanted)s; %(name)s offers %(offered)s",
                    wanted=_intent(answer.wanted),
                    name=other_name,
                    offered=_intent(answer.offered),
                )
            )
    for answer in explanation.answered:
        reasons.append(
            gettext(
                "%(name)s is looking for %(wanted)s; you offer %(offered)s",
                name=other_name,
                wanted=_intent(answer.wanted),
                offered=_intent(answer.offered),
            )
        )

    remaining = [(topic, word) for topic, word in shared if topic not in topics_said]
    same_words = [topic for topic, word in remaining if word == topic]
    other_words = [(topic, word) for topic, word in remaining if word != topic]
    if same_words:
        reasons.append(
            gettext(
                "You both work on %(topics)s",
                topics=_listed(same_words[:_TOPICS_IN_A_SENTENCE]),
            )
        )
    for topic, word in other_words[:2]:
        reasons.append(
            gettext(
                "You work on %(topic)s; %(name)s writes about %(work)s",
                topic=topic,
                name=other_name,
                work=word,
            )
        )
    if explanation.similar_writing and not shared:
        reasons.append(gettext("You write about similar things"))

    for event_id in explanation.shared_events[:2]:
        title = event_titles.get(event_id)
        if title:
            reasons.append(gettext("Both going to %(event)s", event=title))
    if explanation.shared_networks:
        reasons.append(
            gettext("Both %(networks)s members", networks=_listed(explanation.shared_networks))
        )
    if explanation.same_sector:
        sector = gettext(vocabulary.SECTORS.get(explanation.same_sector, explanation.same_sector))
        reasons.append(gettext("You both work in %(sector)s", sector=sector))
    if explanation.time_zones is not None:
        mine, theirs = explanation.time_zones
        if mine == theirs:
            reasons.append(
                gettext("You are in the same time zone (%(zone)s)", zone=format_utc_offset(mine))
            )
        else:
            reasons.append(
                gettext(
                    "Your working hours overlap (%(mine)s / %(theirs)s)",
                    mine=format_utc_offset(mine),
                    theirs=format_utc_offset(theirs),
                )
            )
    return reasons
