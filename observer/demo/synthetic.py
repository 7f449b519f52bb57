"""What a synthetic report looks like: weighted distributions and text pools for
`flask demo generate`. Pure functions of a seeded random.Random, so a seed gives the same data."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

# Roughly how reports spread in a real mission: most are reviewed and verified, a few never
# leave draft. (status, weight)
STATUS_WEIGHTS = (
    ("verified", 56),
    ("submitted", 22),
    ("needs_info", 6),
    ("rejected", 6),
    ("duplicate", 5),
    ("draft", 5),
)
SEVERITY_WEIGHTS = ((1, 28), (2, 36), (3, 26), (4, 10))
SOURCE_TYPE_WEIGHTS = (
    ("direct_observation", 34),
    ("witness_account", 26),
    ("document", 10),
    ("official_source", 8),
    ("independent_media", 14),
    ("social_media", 8),
)
SCOPE_WEIGHTS = (("isolated", 62), ("repeated", 28), ("systematic", 10))
RELIABILITY_WEIGHTS = (("A", 8), ("B", 34), ("C", 32), ("D", 14), ("E", 4), ("F", 8))
CREDIBILITY_WEIGHTS = ((1, 10), (2, 36), (3, 30), (4, 12), (5, 4), (6, 8))
# Minsk city and Minsk region carry more of the population, so more of the reports.
REGION_WEIGHTS = {
    "BY-HM": 24,
    "BY-MI": 17,
    "BY-HO": 14,
    "BY-BR": 14,
    "BY-VI": 11,
    "BY-HR": 11,
    "BY-MA": 10,
}
# Stages that happen at polling stations: their reports usually name one.
POLLING_STAGES = {"early_voting", "election_day", "counting"}

ACTORS = (
    "the chair of the precinct commission",
    "a member of the district commission",
    "local executive committee officials",
    "police officers",
    "plain-clothes officers",
    "the head of a state enterprise",
    "a school director",
    "state television",
    "the regional newspaper",
    "members of the territorial commission",
)
ACTIONS = (
    "refused to register",
    "warned",
    "questioned",
    "removed",
    "did not admit",
    "pressured",
    "photographed",
    "ordered to leave",
    "ignored the complaint of",
    "instructed",
)
TARGETS = (
    "an independent observer",
    "a nominee of an opposition party",
    "employees of a state enterprise",
    "students living in a dormitory",
    "a journalist",
    "voters waiting outside",
    "members of an initiative group",
    "a pensioner voting at home",
    "an election commission member",
    "a local activist",
)
CIRCUMSTANCES = (
    "No written reason was given.",
    "The observer was not allowed to see the voter lists.",
    "Several witnesses confirmed the account the same evening.",
    "The incident was filmed, but the recording was later deleted on request of the police.",
    "A written complaint was handed to the commission chair.",
    "Ballot papers were counted without being shown to observers.",
    "The turnout figure on the protocol did not match the observed count.",
    "The mobile ballot box was carried away without observers.",
    "People were brought to the polling station by bus from their workplace.",
    "The premises were closed to the public during the session.",
    "Campaign materials of one candidate were removed from the notice board.",
    "Employees were told that their contracts depended on voting early.",
)
SETTLEMENTS = (
    "town centre",
    "village council",
    "district centre",
    "agro-town",
    "urban settlement",
    "suburb",
)
COMPLAINT_BODIES = (
    "the precinct election commission",
    "the district election commission",
    "the Central Election Commission",
    "the prosecutor's office",
    "the district court",
)


def pick(rng: random.Random, weighted):
    """One value from ((value, weight), ...)."""
    values = [value for value, _ in weighted]
    weights = [weight for _, weight in weighted]
    return rng.choices(values, weights)[0]


class Weighted:
    """Fast repeated draws from ((value, weight), ...) through a cumulative table."""

    def __init__(self, weighted):
        self.values = [value for value, _ in weighted]
        total = 0
        self.cumulative = []
        for _, weight in weighted:
            total += weight
            self.cumulative.append(total)
        self.total = total

    def draw(self, rng: random.Random):
        point = rng.random() * self.total
        for value, bound in zip(self.values, self.cumulative, strict=True):
            if point < bound:
                return value
        return self.values[-1]


def day_in(rng: random.Random, first: date, last: date) -> date:
    span = max((last - first).days, 0)
    return first + timedelta(days=rng.randint(0, span))


def moment_after(rng: random.Random, start: datetime, min_hours: float, max_hours: float):
    return start + timedelta(seconds=rng.uniform(min_hours * 3600, max_hours * 3600))


def as_utc(day: date, at: time | None) -> datetime:
    at = at or time(12, 0)
    return datetime(day.year, day.month, day.day, at.hour, at.minute, tzinfo=UTC)


def title_and_narrative(rng: random.Random, criterion_name: str, district: str) -> tuple[str, str]:
    actor = rng.choice(ACTORS)
    action = rng.choice(ACTIONS)
    target = rng.choice(TARGETS)
    title = f"{actor[0].upper()}{actor[1:]} {action} {target} in {district}"[:200]
    sentences = rng.sample(CIRCUMSTANCES, 2)
    narrative = (
        f"{title}. The observer classed the incident under '{criterion_name}'. "
        f"{sentences[0]} {sentences[1]}"
    )
    return title, narrative
