"""Pools of realistic names, companies and addresses shared by the customers and orders areas.

Dates are spread between fixed bounds (never the wall clock) so that a seed always gives
the same store.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from typing import Any

EPOCH = datetime(2023, 1, 1, tzinfo=UTC)
END = datetime(2026, 11, 1, tzinfo=UTC)
SPAN_S = int((END - EPOCH).total_seconds())

FIRST_NAMES = (
    "Jane",
    "John",
    "Amara",
    "Luis",
    "Mei",
    "Oliver",
    "Priya",
    "Noah",
    "Sofia",
    "Kenji",
    "Fatima",
    "Liam",
    "Chloe",
    "Mateo",
    "Aisha",
    "Lucas",
    "Hannah",
    "Ravi",
    "Elena",
    "Tom",
    "Grace",
    "Omar",
    "Isla",
    "Felix",
    "Zara",
    "Hugo",
    "Nina",
    "Arjun",
    "Maya",
    "Leo",
)
LAST_NAMES = (
    "Smith",
    "Garcia",
    "Okafor",
    "Chen",
    "Nguyen",
    "Müller",
    "Rossi",
    "Kowalski",
    "Patel",
    "Johnson",
    "Brown",
    "Tanaka",
    "Silva",
    "Dubois",
    "Novak",
    "Andersen",
    "O'Brien",
    "Kim",
    "Hernández",
    "Walker",
    "Ivanova",
    "Fischer",
    "Moreau",
    "Costa",
    "Larsen",
    "Singh",
)
COMPANIES = (
    "",
    "",
    "",
    "Acme Corp",
    "Globex",
    "Initech",
    "Umbrella Ltd",
    "Stark Industries",
    "Wayne Enterprises",
    "Hooli",
    "Vandelay Imports",
    "Soylent Co",
)
STREETS = (
    "Main Street",
    "Oak Avenue",
    "Maple Drive",
    "Market Street",
    "High Street",
    "Elm Road",
    "Park Lane",
    "Cedar Court",
    "Sunset Boulevard",
    "River Walk",
)

# (country, ISO2, [(state, postal code prefix, city)], tax rate)
COUNTRIES: tuple[tuple[str, str, tuple[tuple[str, str, str], ...]], ...] = (
    (
        "United States",
        "US",
        (
            ("Texas", "787", "Austin"),
            ("California", "941", "San Francisco"),
            ("New York", "100", "New York"),
            ("Washington", "981", "Seattle"),
            ("Illinois", "606", "Chicago"),
        ),
    ),
    ("Canada", "CA", (("Ontario", "M5V", "Toronto"), ("British Columbia", "V6B", "Vancouver"))),
    ("United Kingdom", "GB", (("England", "SW1", "London"), ("Scotland", "EH1", "Edinburgh"))),
    ("Australia", "AU", (("New South Wales", "200", "Sydney"), ("Victoria", "300", "Melbourne"))),
)
COUNTRY_WEIGHTS = (70, 12, 10, 8)
COUNTRY_CUM_WEIGHTS = tuple(accumulate(COUNTRY_WEIGHTS))


def spread_date(rng: random.Random, lo: datetime = EPOCH, hi: datetime = END) -> datetime:
    """A whole-second moment between ``lo`` and ``hi``."""
    span = max(0, int((hi - lo).total_seconds()))
    return lo + timedelta(seconds=rng.randrange(span + 1))


def later(rng: random.Random, start: datetime, max_days: int = 60) -> datetime:
    """A moment after ``start`` (often the same one), never past the generator's end bound."""
    if rng.random() < 0.3:
        return start
    t = start + timedelta(seconds=rng.randrange(max_days * 86_400))
    return min(t, END)


def person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


def email_for(first: str, last: str, n: int) -> str:
    local = f"{first}.{last}".lower().replace("'", "").replace(" ", "")
    local = local.encode("ascii", "ignore").decode() or "customer"
    return f"{local}.{n}@example.com"


def phone(rng: random.Random) -> str:
    return f"555-{rng.randrange(100, 1000)}-{rng.randrange(1000, 10000)}"


def address(rng: random.Random) -> dict[str, Any]:
    """A postal address in the v3 customer-address field names."""
    country, iso2, regions = rng.choices(COUNTRIES, cum_weights=COUNTRY_CUM_WEIGHTS)[0]
    state, prefix, city = rng.choice(regions)
    postal = prefix + (f"{rng.randrange(10, 100)}" if iso2 in ("US", "AU") else " 1AB")
    return {
        "address1": f"{rng.randrange(1, 9999)} {rng.choice(STREETS)}",
        "address2": rng.choice(("", "", f"Suite {rng.randrange(1, 500)}")),
        "city": city,
        "state_or_province": state,
        "postal_code": postal,
        "country": country,
        "country_code": iso2,
    }


def ip_address(rng: random.Random) -> str:
    parts = (rng.randrange(11, 223), rng.randrange(256), rng.randrange(256), rng.randrange(1, 255))
    return ".".join(map(str, parts))
