"""Filler members for the demo community, made from the word pools in
``hallway/demo/data/generator/``.

The pools (names, places, organisations, jobs, bio sentences) are data; what is here is
the little procedure that combines them: stage proportions, unique handles and e-mails,
intents that fit the stage, a bio of two to four sentences. The same random generator
state always gives the same members.
"""

from __future__ import annotations

import random
import re
import string
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from hallway.demo.loader import DemoData, Record, check_choice
from hallway.members import vocabulary
from hallway.members.demo_members import DemoMember, check_place, check_qualifications

GENERATOR = "generator"
_SENTENCE_END = re.compile(r"(?<!\.m)[.!?][\"')]*(?=\s|$)")
#: What bio sentences, headlines and job openers may say in {braces}.
SLOTS = frozenset(
    {
        "years", "grade", "industry", "audience", "vle", "lms", "interest", "interest2",
        "city", "org", "team", "schools", "origin", "hobby", "role",
    }
)  # fmt: skip
ANYWHERE = "*"  # the pool for countries without their own


@dataclass(frozen=True)
class Location:
    country: str
    region: str  # ISO 3166-2
    city: str
    time_zone: str
    weight: int


@dataclass(frozen=True)
class Organisation:
    name: str
    domain: str | None  # e-mail domain label; None: members use a personal address
    regions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Job:
    title: str
    sectors: tuple[str, ...]
    interests: tuple[str, ...]
    openers: tuple[str, ...]
    pool: str | None = None  # a named organisation pool instead of the sector's


@dataclass(frozen=True)
class RegionalNetworks:
    region: str
    networks: tuple[str, ...]
    chance: float


@dataclass(frozen=True)
class Pools:
    first_names: tuple[tuple[str, str], ...]  # (name, f/m/n)
    last_names: tuple[str, ...]
    avoid_names: frozenset[str]
    country_weights: tuple[tuple[str, int], ...]
    locations: tuple[Location, ...]
    sector_organisations: dict[str, dict[str, tuple[Organisation, ...]]]  # sector -> group
    named_organisations: dict[str, tuple[Organisation, ...]]
    continuing_studies: str
    jobs: dict[str, tuple[Job, ...]]  # by career stage
    lms: dict[str, tuple[str, ...]]  # by country group
    networks: dict[str, tuple[str, ...]]  # by country group
    regional_networks: tuple[RegionalNetworks, ...]
    sector_networks: dict[str, tuple[str, ...]]
    qualifications: dict[str, dict[str, tuple[str, ...]]]  # stage -> group
    number_words: tuple[str, ...]
    origins: tuple[str, ...]
    industries: tuple[str, ...]
    audiences: tuple[str, ...]
    k12_audiences: tuple[str, ...]
    hobbies: tuple[str, ...]
    middles: dict[str, tuple[str, ...]]
    closers: dict[str, tuple[str, ...]]
    headlines: dict[str, tuple[str, ...]]

    @property
    def main_countries(self) -> frozenset[str]:
        return frozenset(code for code, _ in self.country_weights if code != ANYWHERE)


# --------------------------------------------------------------------------------------
# Reading the pools
# --------------------------------------------------------------------------------------


def _check_slots(record: Record, field: str, texts: Sequence[str]) -> None:
    for index, text in enumerate(texts):
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        except ValueError as error:
            raise record.error(f"{field}[{index}]", f"has unbalanced braces ({error})") from None
        if unknown := sorted(names - SLOTS):
            raise record.error(
                f"{field}[{index}]",
                f"uses {{{unknown[0]}}}; the blanks are: " + ", ".join(sorted(SLOTS)),
            )


def _by_stage(record: Record, field: str, *, slots: bool = False) -> dict[str, tuple[str, ...]]:
    table = record.record(field)
    result = {}
    for stage in vocabulary.CAREER_STAGES:
        result[stage] = table.texts(stage)
        if slots:
            _check_slots(table, stage, result[stage])
    table.finish()
    return result


def _groups(record: Record, field: str, countries: frozenset[str]) -> dict[str, tuple[str, ...]]:
    """A table keyed by country code (or "*", everywhere else) of lists of texts."""
    table = record.record(field)
    result = {}
    for key in table.keys():
        if key != ANYWHERE:
            check_choice(table, key, key, sorted(countries))
        result[key] = table.texts(key)
    if ANYWHERE not in result:
        raise table.error(None, 'needs a "*" list for every other country')
    return result


def _organisations(record: Record, field: str) -> tuple[Organisation, ...]:
    organisations = []
    for item in record.records(field):
        regions = item.texts("regions", ())
        for index, region in enumerate(regions):
            check_place(item, region.split("-")[0], region, None, region_field=f"regions[{index}]")
        organisations.append(Organisation(item.text("name"), item.text("domain", None), regions))
        item.finish()
    return tuple(organisations)


def load_pools(data: DemoData) -> Pools:
    """Every pool, checked against the members vocabulary (stages, sectors, tags, networks,
    countries, regions, time zones) and the blanks sentences may use."""
    names = data.toml(f"{GENERATOR}/names.toml")
    first_names = tuple(
        (item.text("name"), item.choice("gender", ("f", "m", "n")))
        for item in names.records("first")
    )
    last_names = names.texts("last")
    avoid = frozenset(names.texts("avoid", ()))
    names.finish()

    places = data.toml(f"{GENERATOR}/places.toml")
    weights_table = places.record("country_weights")
    country_weights = tuple(
        (code, weights_table.integer(code, minimum=1)) for code in weights_table.keys()
    )
    locations = []
    for item in places.records("locations"):
        location = Location(
            item.text("country"),
            item.text("region"),
            item.text("city"),
            item.text("time_zone"),
            item.integer("weight", 1, minimum=1),
        )
        check_place(item, location.country, location.region, location.time_zone)
        item.finish()
        locations.append(location)
    places.finish()
    main = frozenset(code for code, _ in country_weights if code != ANYWHERE)
    for code in main:
        check_place(weights_table, code, None, None, country_field=code)
        if not any(location.country == code for location in locations):
            raise weights_table.error(code, "has no locations")

    organisations = data.toml(f"{GENERATOR}/organisations.toml")
    by_sector = organisations.record("sector")
    sector_organisations: dict[str, dict[str, tuple[Organisation, ...]]] = {}
    for sector in vocabulary.SECTORS:
        if not by_sector.has(sector):
            raise by_sector.error(sector, "is missing: every sector needs organisations")
        if isinstance(by_sector.raw(sector), list):
            sector_organisations[sector] = {ANYWHERE: _organisations(by_sector, sector)}
        else:
            groups = by_sector.record(sector)
            sector_organisations[sector] = {}
            for key in groups.keys():
                if key != ANYWHERE:
                    check_choice(groups, key, key, sorted(main))
                sector_organisations[sector][key] = _organisations(groups, key)
            if ANYWHERE not in sector_organisations[sector]:
                raise groups.error(None, 'needs a "*" list for every other country')
    by_sector.finish()
    pools_table = organisations.record("pool")
    named = {key: _organisations(pools_table, key) for key in pools_table.keys()}
    continuing_studies = organisations.text("continuing_studies")
    if "{name}" not in continuing_studies:
        raise organisations.error("continuing_studies", "should contain {name}")
    organisations.finish()

    roles = data.toml(f"{GENERATOR}/jobs.toml")
    jobs: dict[str, tuple[Job, ...]] = {}
    for stage in vocabulary.CAREER_STAGES:
        stage_jobs = []
        for item in roles.records(stage):
            job = Job(
                title=item.text("title"),
                sectors=item.choices("sectors", vocabulary.SECTORS),
                interests=item.choices("interests", vocabulary.INTEREST_TAGS),
                openers=item.texts("openers"),
                pool=item.choice("organisations", named, None),
            )
            _check_slots(item, "openers", job.openers)
            item.finish()
            stage_jobs.append(job)
        jobs[stage] = tuple(stage_jobs)
    roles.finish()

    profiles = data.toml(f"{GENERATOR}/profiles.toml")
    lms = _groups(profiles, "lms", main)
    for group, tags in lms.items():
        for index, tag in enumerate(tags):
            check_choice(profiles, f"lms.{group}[{index}]", tag, vocabulary.INTEREST_TAGS)
    networks_table = profiles.record("networks")
    networks = _groups(networks_table, "by_country", main)
    for group, codes in networks.items():
        for index, code in enumerate(codes):
            check_choice(networks_table, f"by_country.{group}[{index}]", code, vocabulary.NETWORKS)
    regional = []
    for item in networks_table.records("by_region"):
        entry = RegionalNetworks(
            item.text("region"),
            item.choices("networks", vocabulary.NETWORKS),
            item.number("chance", 1.0, minimum=0),
        )
        check_place(item, entry.region.split("-")[0], entry.region, None)
        item.finish()
        regional.append(entry)
    sector_table = networks_table.record("by_sector")
    sector_networks = {
        check_sector(sector_table, key): sector_table.choices(key, vocabulary.NETWORKS)
        for key in sector_table.keys()
    }
    networks_table.finish()
    qualifications_table = profiles.record("qualifications")
    qualifications = {}
    for stage in vocabulary.CAREER_STAGES:
        qualifications[stage] = _groups(qualifications_table, stage, main)
        for group, values in qualifications[stage].items():
            check_qualifications(qualifications_table, f"{stage}.{group}", values)
    qualifications_table.finish()
    profiles.finish()

    bios = data.toml(f"{GENERATOR}/bios.toml")
    pools = Pools(
        first_names=first_names,
        last_names=last_names,
        avoid_names=avoid,
        country_weights=country_weights,
        locations=tuple(locations),
        sector_organisations=sector_organisations,
        named_organisations=named,
        continuing_studies=continuing_studies,
        jobs=jobs,
        lms=lms,
        networks=networks,
        regional_networks=tuple(regional),
        sector_networks=sector_networks,
        qualifications=qualifications,
        number_words=bios.texts("number_words"),
        origins=bios.texts("origins"),
        industries=bios.texts("industries"),
        audiences=bios.texts("audiences"),
        k12_audiences=bios.texts("k12_audiences"),
        hobbies=bios.texts("hobbies"),
        middles=_by_stage(bios, "middles", slots=True),
        closers=_by_stage(bios, "closers", slots=True),
        headlines=_by_stage(bios, "headlines", slots=True),
    )
    bios.finish()
    return pools


def check_sector(record: Record, key: str) -> str:
    check_choice(record, key, key, vocabulary.SECTORS)
    return key


# --------------------------------------------------------------------------------------
# Making members
# --------------------------------------------------------------------------------------


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def _pick_weighted(rng: random.Random, items: Sequence[tuple[str, int]]) -> str:
    return rng.choices([name for name, _ in items], weights=[w for _, w in items], k=1)[0]


class _Generator:
    def __init__(self, pools: Pools, rng: random.Random) -> None:
        self.pools = pools
        self.rng = rng

    def group(self, country: str) -> str:
        return country if country in self.pools.main_countries else ANYWHERE

    def location(self) -> Location:
        group = _pick_weighted(self.rng, self.pools.country_weights)
        main = self.pools.main_countries
        rows = [
            row
            for row in self.pools.locations
            if (row.country == group if group != ANYWHERE else row.country not in main)
        ]
        return self.rng.choices(rows, weights=[row.weight for row in rows], k=1)[0]

    def _in_region(self, pool: Sequence[Organisation], region: str) -> Sequence[Organisation]:
        local = [org for org in pool if region in org.regions]
        anywhere = [org for org in pool if not org.regions]
        return local or anywhere or pool

    def _sector_pool(self, sector: str, country: str) -> tuple[Organisation, ...]:
        groups = self.pools.sector_organisations[sector]
        return groups.get(self.group(country)) or groups[ANYWHERE]

    def organisation(self, sector: str, country: str, region: str) -> Organisation:
        if sector == "continuing_ed" and self.rng.random() < 0.7:
            university = self.rng.choice(
                self._in_region(self._sector_pool("post_secondary", country), region)
            )
            name = self.pools.continuing_studies.format(name=university.name)
            return Organisation(name, university.domain)
        return self.rng.choice(self._in_region(self._sector_pool(sector, country), region))

    def stage_counts(self, count: int) -> dict[str, int]:
        novice = round(count * 0.35)
        advanced = round(count * 0.20)
        return {"novice": novice, "career": count - novice - advanced, "advanced": advanced}

    @staticmethod
    def handle_candidates(first: str, last: str, stage: str) -> list[str]:
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

    def unique(self, candidates: list[str], used: set[str]) -> str:
        """A free handle, preferring earlier candidates; numbered variants as a last resort."""
        order = sorted(
            range(len(candidates)), key=lambda i: -(len(candidates) - i) * self.rng.random()
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

    @staticmethod
    def unique_email(local: str, domain: str, used: set[str]) -> str:
        email = f"{local}@{domain}"
        n = 2
        while email in used:
            email = f"{local}{n}@{domain}"
            n += 1
        used.add(email)
        return email

    def pronouns(self, gender: str) -> str | None:
        rng = self.rng
        if rng.random() > 0.38:
            return None
        if gender == "f":
            return rng.choices(["she/her", "she/they"], weights=[5, 1])[0]
        if gender == "m":
            return rng.choices(["he/him", "he/they"], weights=[5, 1])[0]
        return rng.choice(["they/them", "she/her", "he/him", "any pronouns"])

    def _chance_pick(self, odds: Sequence[tuple[str, float]]) -> list[str]:
        return [code for code, p in odds if self.rng.random() < p]

    def intents(self, stage: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Novices look for mentoring, a chat or leads; the advanced offer mentoring,
        hiring or speaking; nobody offers what they are looking for (peer support aside)."""
        pick = self._chance_pick
        if stage == "novice":
            looking = pick(
                [("mentoring", 0.85), ("career_chat", 0.7), ("job_leads", 0.6),
                 ("peer_support", 0.2), ("course_feedback", 0.15)]
            )  # fmt: skip
            if not {"mentoring", "career_chat", "job_leads"} & set(looking):
                looking.insert(0, "career_chat")
            offering = pick([("peer_support", 0.8), ("course_feedback", 0.5)]) or ["peer_support"]
        elif stage == "career":
            looking = pick(
                [("mentoring", 0.35), ("career_chat", 0.3), ("job_leads", 0.35),
                 ("collaborators", 0.45), ("peer_support", 0.3), ("speaking", 0.2)]
            ) or ["collaborators"]  # fmt: skip
            offering = pick(
                [("mentoring", 0.2), ("career_chat", 0.45), ("job_leads", 0.15),
                 ("collaborators", 0.3), ("peer_support", 0.6), ("course_feedback", 0.55)]
            ) or ["peer_support"]  # fmt: skip
        else:
            looking = pick([("collaborators", 0.5), ("peer_support", 0.2)])
            offering = pick(
                [("mentoring", 0.9), ("career_chat", 0.5), ("job_leads", 0.3), ("hiring", 0.3),
                 ("speaking", 0.6)]
            )  # fmt: skip
            if not {"mentoring", "hiring", "speaking"} & set(offering):
                offering.insert(0, "mentoring")
        offering = [code for code in offering if code == "peer_support" or code not in looking]
        return tuple(looking), tuple(offering or ["peer_support"])

    def interests(self, job: Job, lms: str) -> tuple[str, ...]:
        rng = self.rng
        k = rng.choices([2, 3, 4, 5, 6], weights=[10, 30, 30, 20, 10])[0]
        chosen: list[str] = list(rng.sample(job.interests, k=min(2, len(job.interests))))
        if job.title == "LMS Administrator" or rng.random() < 0.25:
            chosen.append(lms)
        while len(chosen) < k:
            tag = rng.choice(vocabulary.INTEREST_TAGS)
            if tag not in chosen:
                chosen.append(tag)
        return tuple(dict.fromkeys(chosen[:k]))

    def networks(self, stage: str, country: str, region: str, sector: str) -> tuple[str, ...]:
        rng = self.rng
        pool = list(self.pools.networks[self.group(country)])
        for regional in self.pools.regional_networks:
            if regional.region == region and (
                regional.chance >= 1 or rng.random() < regional.chance
            ):
                pool += regional.networks
        pool += self.pools.sector_networks.get(sector, ())
        weights = {
            "novice": [55, 45, 0, 0],
            "career": [15, 45, 30, 10],
            "advanced": [0, 35, 45, 20],
        }
        n = rng.choices([0, 1, 2, 3], weights=weights[stage])[0]
        return tuple(rng.sample(pool, k=min(n, len(pool))))

    def qualifications(self, stage: str, country: str) -> tuple[str, ...]:
        groups = self.pools.qualifications[stage]
        pool = groups.get(self.group(country)) or groups[ANYWHERE]
        weights = {"novice": [50, 50, 0], "career": [30, 50, 20], "advanced": [5, 55, 40]}
        n = self.rng.choices([0, 1, 2], weights=weights[stage])[0]
        return tuple(self.rng.sample(pool, k=min(n, len(pool))))

    def links(self, handle: str) -> tuple[str, ...]:
        templates = (
            "https://{h}.example.com/",
            "https://portfolio.example.net/{h}",
            "https://blog.example.org/{h}",
            "https://social.example.net/@{h}",
            "https://www.example.com/in/{h}",
        )
        n = self.rng.choices([0, 1, 2], weights=[40, 40, 20])[0]
        # Host names may not contain underscores; handles may.
        host_safe = handle.replace("_", "-")
        return tuple(
            template.format(h=host_safe if template.startswith("https://{h}") else handle)
            for template in self.rng.sample(templates, k=n)
        )

    def bio(self, stage: str, job: Job, slots: dict[str, str], interests: Sequence[str]) -> str:
        rng = self.rng
        opener = rng.choice(job.openers)
        opener_sentences = len(_SENTENCE_END.findall(opener))
        n_middle = rng.choices([0, 1, 2], weights=[25, 55, 20])[0]
        n_middle = max(0, min(n_middle, 3 - opener_sentences))  # 2–4 sentences in all
        sentences = [opener, *rng.sample(self.pools.middles[stage], k=n_middle)]
        if rng.random() < 0.85 or opener_sentences + n_middle < 2:
            sentences.append(rng.choice(self.pools.closers[stage]))
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

    def member(
        self, stage: str, used_handles: set[str], used_emails: set[str], used_names: set[str]
    ) -> DemoMember:
        rng, pools = self.rng, self.pools
        while True:
            first, gender = rng.choice(pools.first_names)
            last = rng.choice(pools.last_names)
            name = f"{first} {last}"
            if name not in used_names and name not in pools.avoid_names:
                used_names.add(name)
                break

        place = self.location()
        job = rng.choice(pools.jobs[stage])
        sector = rng.choice(job.sectors)
        if job.pool:
            organisation = rng.choice(pools.named_organisations[job.pool])
        else:
            organisation = self.organisation(sector, place.country, place.region)
        lms = rng.choice(pools.lms.get(self.group(place.country)) or pools.lms[ANYWHERE])
        handle = self.unique(self.handle_candidates(first, last, stage), used_handles)

        f, la = _ascii(first), _ascii(last)
        personal = organisation.domain is None or (stage == "novice" and rng.random() < 0.5)
        if personal:
            domain = rng.choice(["example.org", "example.com", "example.net"])
            local = rng.choice([f"{f}.{la}", f"{f}{la}", handle.replace("-", ".")])
        else:
            tld = (
                "example.edu"
                if sector in {"post_secondary", "continuing_ed"}
                else ("example.com" if sector == "corporate" else "example.org")
            )
            domain = f"{organisation.domain}.{tld}"
            local = rng.choice([f"{f}.{la}", f"{f[0]}{la}", f"{f}.{la[0]}"])
        email = self.unique_email(local, domain, used_emails)

        interests = self.interests(job, lms)
        years = {
            "novice": rng.randint(3, 15),
            "career": rng.randint(3, 12),
            "advanced": rng.randint(15, 28),
        }[stage]
        slots = {
            "years": str(years),
            "grade": (
                f"Year {rng.randint(2, 7)}"
                if place.country in {"GB", "IE", "AU", "NZ"}
                else f"Grade {rng.randint(2, 7)}"
            ),
            "industry": rng.choice(pools.industries),
            "audience": rng.choice(pools.k12_audiences if sector == "k12" else pools.audiences),
            "vle": "VLE" if place.country in {"GB", "IE"} else "LMS",
            "lms": lms,
            "interest": interests[0],
            "interest2": interests[1],
            "city": place.city,
            "org": organisation.name,
            "team": rng.choice(pools.number_words),
            "schools": str(rng.randint(9, 42)),
            "origin": rng.choice(pools.origins),
            "hobby": rng.choice(pools.hobbies),
            "role": job.title,
        }
        if organisation.domain is None:
            slots["org"] = place.city
        headline = rng.choice(pools.headlines[stage]).format(**slots)
        bio = self.bio(stage, job, slots, interests)

        looking_for, offering = self.intents(stage)
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
            pronouns=self.pronouns(gender),
            role=job.title,
            organisation=organisation.name,
            sector=sector,
            country=place.country,
            region=place.region,
            city=place.city,
            time_zone=place.time_zone,
            interests=interests,
            networks=self.networks(stage, place.country, place.region, sector),
            qualifications=self.qualifications(stage, place.country),
            looking_for=looking_for,
            offering=offering,
            links=self.links(handle),
            profile_visibility=visibility,
            in_directory=in_directory,
            matchable=matchable,
            novices_may_request=rng.random() < 0.85,
            show_contact_links=rng.random() < 0.5,
        )


def generate_members(
    pools: Pools,
    rng: random.Random,
    *,
    count: int,
    fixed: Sequence[DemoMember],
    joined_days_ago: tuple[int, int] = (30, 365),
) -> list[DemoMember]:
    """``count`` members beyond the featured ones in ``fixed`` (the admin and organiser
    aside), so that the community comes out at about 35 % novice, 45 % career and 20 %
    advanced. Handles, e-mails and names never repeat, also against ``fixed``. Each one
    joined on a day spread over ``joined_days_ago``."""
    generator = _Generator(pools, rng)
    featured = [member for member in fixed if member.account_role == "member"]
    used_handles = {member.handle for member in fixed}
    used_emails = {member.email for member in fixed}
    used_names = {member.display_name for member in fixed}

    remaining = generator.stage_counts(count + len(featured))
    for member in featured:
        remaining[member.career_stage] -= 1
    stages = [stage for stage in vocabulary.CAREER_STAGES for _ in range(max(remaining[stage], 0))]
    while len(stages) < count:
        stages.append("career")
    stages = stages[:count]
    rng.shuffle(stages)

    members = [generator.member(stage, used_handles, used_emails, used_names) for stage in stages]
    earliest, latest = joined_days_ago
    return [
        member.joined(rng.randint(min(earliest, latest), max(earliest, latest)))
        for member in members
    ]
