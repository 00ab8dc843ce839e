"""Training cases for the function caller: one function, one request, the call it should make.

The caller is a small model whose output is constrained to the function's JSON schema, so
types and argument names come for free. What it has to learn is which words of the request
fill which argument, to leave out optional arguments the request does not mention, to copy
strings exactly as written and to write numbers as numbers. Breadth is what makes that
generalise, so the cases come from many invented function families in many domains (declared
as data below: parameters, value samplers, request templates) plus the product's own tools
with their real schemas.

A template is a sentence with ``{key}`` slots, each filled with a parameter's value as a
person would say it ("three", "12,500", "Fahrenheit"), and ``[ ... ]`` segments that appear
only when every parameter in them is mentioned: that is how optional arguments come and go.
Each family keeps separate train and eval templates and every value pool holds back every
fifth item for eval, so the eval split is phrased in ways training never saw.
"""

from __future__ import annotations

import json
import math
import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from app.tools.registry import Tool

SPLITS = ("train", "eval")
PRODUCT_SHARE = 0.25  # share of cases that call one of the product's own tools
MENTION = 0.5  # chance that a template's optional segment is said
Sampler = Callable[[random.Random, str], tuple[Any, str]]  # (value, how the request says it)


@dataclass(frozen=True)
class CallerCase:
    tool: Tool
    plan: str  # the plan step the call belongs to
    request: str  # what follows "Call <tool> with:"
    arguments: dict[str, Any]  # only what the request determines
    distractors: tuple[Tool, ...] = ()  # other functions listed beside it


def _never_called(**arguments: Any) -> str:
    """The tools of training cases are listed to the caller, never run."""
    raise NotImplementedError("a training case's function is not meant to be called")


# ---------------------------------------------------------------------------- value samplers

_NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve".split()
)


def say_int(value: int, rng: random.Random) -> str:
    """An integer as a request says it: mostly digits, small ones now and then in words."""
    if 0 <= value <= 12 and rng.random() < 0.15:
        return _NUMBER_WORDS[value]
    if abs(value) >= 10_000 and rng.random() < 0.3:
        return f"{value:,}"
    return str(value)


def held_out(pool: Sequence[Any], split: str) -> Sequence[Any]:
    """Every fifth item of a pool is kept for eval; pools under five items are shared."""
    if len(pool) < 5:
        return pool
    return [item for i, item in enumerate(pool) if (i % 5 == 4) == (split == "eval")]


def integer(lo: int, hi: int, *, plain: bool = False) -> Sampler:
    """Integers in [lo, hi]; ``plain`` for ids and years, which are never words or commas."""

    def sample(rng: random.Random, split: str) -> tuple[Any, str]:
        value = rng.randint(lo, hi)
        return value, str(value) if plain else say_int(value, rng)

    return sample


def decimal(lo: float, hi: float, places: int = 2, *, whole: float = 0.3) -> Sampler:
    """Numbers in [lo, hi] with up to ``places`` decimals; ``whole`` of them integers."""

    def sample(rng: random.Random, split: str) -> tuple[Any, str]:
        if rng.random() < whole and math.ceil(lo) <= math.floor(hi):
            value = rng.randint(math.ceil(lo), math.floor(hi))
            return value, say_int(value, rng)
        number = round(rng.uniform(lo, hi), places) + 0.0
        if number == int(number):
            return int(number), str(int(number))
        shown = f"{number:,.{places}f}" if abs(number) >= 10_000 and rng.random() < 0.3 else (
            f"{number:.{places}f}"
        )
        if rng.random() < 0.5 or "." not in shown:
            return number, shown
        return number, shown.rstrip("0").rstrip(".")

    return sample


def choose(values: Sequence[Any]) -> Sampler:
    """One of a few fixed numbers (dice sides, gravities), said as digits."""

    def sample(rng: random.Random, split: str) -> tuple[Any, str]:
        value = rng.choice(values)
        return value, f"{value:f}".rstrip("0").rstrip(".") if isinstance(value, float) else (
            str(value)
        )

    return sample


def spoken(mapping: Mapping[Any, Sequence[str]]) -> Sampler:
    """A value said in words of its own ("monthly" is 12 compoundings a year)."""

    def sample(rng: random.Random, split: str) -> tuple[Any, str]:
        value = rng.choice(list(mapping))
        return value, rng.choice(mapping[value])

    return sample


def text(pool: Sequence[str], *, shared: bool = False) -> Sampler:
    """A string from ``pool``, copied verbatim; ``shared`` pools are not split (planets)."""

    def sample(rng: random.Random, split: str) -> tuple[Any, str]:
        value = rng.choice(pool if shared else held_out(pool, split))
        return value, value

    return sample


def flag(yes: Sequence[str], no: Sequence[str] = (), *, p_yes: float = 0.7) -> Sampler:
    """A boolean said as a phrase ("with the lyrics"); without ``no`` phrases always true."""

    def sample(rng: random.Random, split: str) -> tuple[Any, str]:
        if not no or rng.random() < p_yes:
            return True, rng.choice(yes)
        return False, rng.choice(no)

    return sample


def _join(rng: random.Random, shown: list[str], brackets: bool = False) -> str:
    style = rng.randrange(4 if brackets else 3)
    if len(shown) == 1:
        return f"[{shown[0]}]" if style == 3 else shown[0]
    if style == 0 or (style == 2 and len(shown) == 2):
        return ", ".join(shown[:-1]) + " and " + shown[-1]
    if style == 1:
        return ", ".join(shown)
    if style == 2:
        return ", ".join(shown[:-1]) + ", and " + shown[-1]
    return "[" + ", ".join(shown) + "]"


def number_list(lo: float, hi: float, places: int = 0, size: tuple[int, int] = (3, 7)) -> Sampler:
    """A list of numbers as the request lists them ("4, 8.5 and 15")."""

    def sample(rng: random.Random, split: str) -> tuple[Any, str]:
        count = rng.randint(*size)
        if places == 0:
            values: list[Any] = [rng.randint(int(lo), int(hi)) for _ in range(count)]
        else:
            values = [round(rng.uniform(lo, hi), places) for _ in range(count)]
            values = [int(v) if v == int(v) else v for v in values]
        return values, _join(rng, [str(v) for v in values], brackets=True)

    return sample


def text_list(pool: Sequence[str], size: tuple[int, int] = (2, 4)) -> Sampler:
    """Distinct strings from ``pool``, listed with commas and "and"."""

    def sample(rng: random.Random, split: str) -> tuple[Any, str]:
        items = held_out(pool, split)
        values = rng.sample(list(items), min(rng.randint(*size), len(items)))
        return values, _join(rng, values)

    return sample


_MONTHS = (
    "January February March April May June July August September October November December"
).split()
_RELATIVE_DAYS = (
    "tomorrow", "next Friday", "this Saturday", "Monday", "the day after tomorrow", "next Tuesday",
)


def _ordinal(day: int) -> str:
    if day in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def iso_date(first: int = 2023, last: int = 2027) -> Sampler:
    """A date written YYYY-MM-DD, for parameters whose description asks for that form."""

    def sample(rng: random.Random, split: str) -> tuple[Any, str]:
        value = f"{rng.randint(first, last)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        return value, value

    return sample


def spoken_date() -> Sampler:
    """A date as people write it ("March 3rd", "14 July 2025", "next Friday"); copied as is."""

    def sample(rng: random.Random, split: str) -> tuple[Any, str]:
        if rng.random() < 0.15:
            value = rng.choice(_RELATIVE_DAYS)
            return value, value
        year, month, day = rng.randint(2024, 2026), rng.randint(1, 12), rng.randint(1, 28)
        name = _MONTHS[month - 1]
        value = rng.choice((
            f"{year}-{month:02d}-{day:02d}", f"{name} {day}", f"{day} {name} {year}",
            f"{name} {day}, {year}", f"{name} {day}{_ordinal(day)}",
        ))
        return value, value

    return sample


def clock_time() -> Sampler:
    """A time of day in one of the usual forms ("14:30", "7 PM", "6:45 am")."""

    def sample(rng: random.Random, split: str) -> tuple[Any, str]:
        hour, minute = rng.randint(0, 23), rng.choice((0, 0, 15, 30, 45, rng.randint(1, 59)))
        twelve = hour % 12 or 12
        value = rng.choice((
            f"{hour}:{minute:02d}", f"{hour:02d}:{minute:02d}",
            f"{twelve}:{minute:02d} {'PM' if hour >= 12 else 'AM'}",
            f"{twelve} {'pm' if hour >= 12 else 'am'}" if minute == 0 else f"{hour}:{minute:02d}",
        ))
        return value, value

    return sample


def code(prefix: str, digits: int) -> Sampler:
    """An identifier such as ORD-482913, copied exactly."""

    def sample(rng: random.Random, split: str) -> tuple[Any, str]:
        value = prefix + "".join(rng.choice("0123456789") for _ in range(digits))
        return value, value

    return sample


def dna(lo: int, hi: int) -> Sampler:
    def sample(rng: random.Random, split: str) -> tuple[Any, str]:
        value = "".join(rng.choice("ACGT") for _ in range(rng.randint(lo, hi)))
        return value, value

    return sample


# ---------------------------------------------------------------------------- value pools


def _pool(items: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in items.split("|"))


CITIES = _pool(
    "Paris|Tokyo|Nairobi|Lima|Oslo|Toronto|Melbourne|Cairo|Mumbai|Seoul|Reykjavik|Buenos Aires"
    "|Lisbon|Vancouver|Istanbul|Hanoi|Denver|Cape Town|Munich|Kraków|Auckland|Santiago|Dublin"
    "|Marrakesh|Chicago|Osaka|Helsinki|Bogotá|Edinburgh|Singapore|Zurich|Austin|Manila|Prague"
    "|Accra"
)
COUNTRIES = _pool(
    "Japan|Brazil|Kenya|Canada|Norway|India|Mexico|Egypt|Australia|Germany|Peru|Vietnam"
    "|Portugal|Ghana|Chile|Finland|Morocco|New Zealand|Thailand|Iceland|Argentina|Poland"
    "|Indonesia|Ireland|South Korea"
)
FIRST_NAMES = _pool(
    "Anna|Ben|Carla|Dev|Emeka|Fatima|Georg|Hana|Ivan|Julia|Kofi|Lena|Mateo|Nora|Omar|Paula"
    "|Quinn|Rosa|Sami|Tara"
)
AUTHORS = _pool(
    "Toni Morrison|Haruki Murakami|Jane Austen|Chinua Achebe|Gabriel García Márquez"
    "|Ursula K. Le Guin|Fyodor Dostoevsky|Chimamanda Ngozi Adichie|Terry Pratchett"
    "|Agatha Christie|Italo Calvino|Octavia E. Butler|Kazuo Ishiguro|Isabel Allende"
    "|Jorge Luis Borges"
)
MOVIES = _pool(
    "Casablanca|Spirited Away|The Matrix|Amélie|Parasite|Jaws|Alien|Inception|Seven Samurai"
    "|The Godfather|Coco|Arrival|Vertigo|Metropolis|Whiplash|Paddington 2|Roma|Moonlight|Get Out"
    "|In the Mood for Love"
)
ARTISTS = _pool(
    "Nina Simone|Radiohead|Miles Davis|Björk|Fela Kuti|ABBA|Billie Eilish|Queen|Daft Punk|Adele"
    "|The Beatles|Mercedes Sosa|Kendrick Lamar|Ravi Shankar|Aretha Franklin|Arctic Monkeys"
)
SONGS = _pool(
    "Bohemian Rhapsody|Feeling Good|Hey Jude|Dancing Queen|Clair de Lune|Respect|Jolene|Imagine"
    "|Hallelujah|Wonderwall|Yesterday|Get Lucky|Redbone|Take Five|Heroes|Superstition"
)
TEAMS = _pool(
    "Arsenal|Boston Celtics|FC Barcelona|Chicago Bulls|Bayern Munich|Golden State Warriors"
    "|Juventus|Toronto Maple Leafs|Green Bay Packers|Ajax|Los Angeles Dodgers|Flamengo|Celtic"
    "|Miami Heat|Boca Juniors"
)
ATHLETES = _pool(
    "Lukas Brandt|Thiago Mendes|Ayumi Sato|Kwame Mensah|Jordan Ellis|Inês Duarte|Mikael Lind"
    "|Rafael Costa|Zoe Adeyemi|Darius Cole|Marta Kowalska|Tyrell Banks"
)
PRODUCTS = _pool(
    "wireless earbuds|standing desk|espresso machine|running shoes|mechanical keyboard|yoga mat"
    "|air fryer|4K monitor|hiking backpack|electric kettle|noise-cancelling headphones"
    "|robot vacuum|graphics tablet|camping tent|smart watch"
)
INGREDIENTS = _pool(
    "chicken|tofu|chickpeas|salmon|mushrooms|lentils|spinach|eggplant|shrimp|quinoa"
    "|sweet potato|beef|feta|broccoli|rice noodles|coconut milk"
)
CUISINES = _pool("Italian|Thai|Mexican|Ethiopian|Japanese|Lebanese|Indian|Peruvian|Korean|Greek")
DISHES = _pool(
    "lasagna|pad thai|chili con carne|banana bread|shakshuka|risotto|falafel|ramen|paella"
    "|apple pie|butter chicken|tacos al pastor"
)
FOODS = _pool(
    "avocado|brown rice|almonds|greek yogurt|oatmeal|banana|salmon fillet|cheddar cheese"
    "|broccoli|lentils|dark chocolate|boiled eggs"
)
TICKERS = _pool("AAPL|MSFT|TSLA|NVDA|AMZN|GOOGL|SAP|TM|NFLX|BABA|SHOP|ASML|INTC|KO|DIS")
ELEMENTS = _pool(
    "hydrogen|carbon|oxygen|iron|gold|sodium|neon|uranium|copper|helium|silicon|calcium"
    "|mercury|zinc|argon"
)
FORMULAS = _pool(
    "H2O|NaCl|CO2|C6H12O6|CH4|NH3|H2SO4|CaCO3|C2H5OH|KMnO4|Fe2O3|NaHCO3|C8H10N4O2|HCl|Mg(OH)2"
)
SPECIES = _pool(
    "African elephant|snow leopard|blue whale|monarch butterfly|red panda|emperor penguin"
    "|komodo dragon|axolotl|honey bee|great white shark|koala|bald eagle|orca|giant tortoise"
)
PLANETS = _pool("Mercury|Venus|Earth|Mars|Jupiter|Saturn|Uranus|Neptune")
STARS = _pool(
    "Sirius|Betelgeuse|Proxima Centauri|Vega|Rigel|Polaris|Aldebaran|Antares|Arcturus|Canopus"
)
LANGUAGES = _pool(
    "French|Spanish|German|Japanese|Swahili|Portuguese|Korean|Italian|Turkish|Dutch|Hindi"
    "|Arabic|Polish|Greek|English"
)
SENTENCES = _pool(
    "Where is the train station?|The meeting has been moved to Thursday."
    "|I would like a table for two.|Happy birthday, my friend!|Please close the door behind you."
    "|How much does this cost?|The library opens at nine.|We are running a little late."
    "|Thank you for your help yesterday.|It is raining in the mountains."
    "|The quick brown fox jumps over the lazy dog.|Could you speak more slowly, please?"
    "|Our flight was delayed by two hours.|The soup needs more salt."
    "|She planted tomatoes in the garden last spring."
)
WORDS = _pool(
    "serendipity|ephemeral|ubiquitous|resilience|quixotic|melancholy|eloquent|paradigm"
    "|gregarious|labyrinth|nostalgia|ambiguous|meticulous|candid|frugal"
)
PALINDROMES = _pool(
    "racecar|A man, a plan, a canal: Panama|Was it a car or a cat I saw?|hello world"
    "|Step on no pets|level|kayak|Never odd or even|rotator|banana|Madam, in Eden, I'm Adam"
    "|open sesame"
)
EMAILS = _pool(
    "anna.berg@example.com|j.doe@example.org|support@acme.test|kenji@example.jp"
    "|team-lead@example.com|mila.novak@example.net|billing@shop.example|r.okafor@example.com"
    "|hr@company.test|lucas.m@example.fr|priya@example.in|ops@startup.example"
)
EMAIL_SUBJECTS = _pool(
    "Meeting notes|Invoice for March|Quick question about the budget|Weekend plans"
    "|Updated contract|Your order has shipped|Welcome aboard|Lunch on Friday?"
    "|Draft proposal attached|Holiday schedule"
)
EMAIL_BODIES = _pool(
    "Hi, the slides are ready for tomorrow.|Please find the signed contract attached."
    "|Can we move our call to 3 pm?|Thanks again for the great workshop!"
    "|The server will be down for maintenance on Sunday night."
    "|Let me know if the new figures look right to you."
    "|I will be out of office until Monday.|Dinner is at 7, see you there."
    "|Your refund has been processed.|Could you review the draft by Friday?"
)
SMS_TEXTS = _pool(
    "Running ten minutes late, sorry!|Can you pick up bread on the way home?"
    "|The package arrived.|Call me when you land.|Meeting moved to 4pm"
    "|Don't forget your keys!|Happy anniversary ❤️|I'm outside.|See you at the gym at 6"
    "|Table is booked for 8 tonight."
)
PHONES = _pool(
    "+1 415 555 0142|+44 20 7946 0958|+49 30 901820|+81 3 1234 5678|+33 1 70 18 99 00"
    "|+61 2 9374 4000|+1 212 555 0199|+34 912 345 678|+91 22 5555 0101|+55 11 5555 0123"
)
CHANNELS = _pool(
    "#general|#random|#dev-team|#marketing|#support|#design|#releases|#ops-alerts|#book-club"
    "|#announcements"
)
CHANNEL_TEXTS = _pool(
    "Deploy finished, all green.|Standup is cancelled today.|Pizza in the kitchen!"
    "|New design mockups are in the shared folder.|Reminder: timesheets are due Friday."
    "|The VPN will restart at 22:00.|Welcome Sam to the team!|Release 2.4 is out."
    "|Office closed on Monday for the holiday.|Please update your passwords this week."
)
FILE_PATHS = _pool(
    "reports/q3.pdf|photos/beach.jpg|notes/ideas.txt|backup/db.sql|music/playlist.m3u"
    "|docs/manual.docx|src/main.py|data/2023/sales.csv|invoices/march.xlsx|drafts/letter.md"
    "|slides/pitch.pptx|logs/app.log"
)
NEW_PATHS = _pool(
    "archive/q3_final.pdf|photos/2024/beach_day.jpg|notes/old_ideas.txt|backup/db_old.sql"
    "|music/road_trip.m3u|docs/manual_v2.docx|src/app.py|data/sales_2023.csv"
    "|invoices/2024-03.xlsx|drafts/cover_letter.md"
)
DIRECTORIES = _pool(
    "~/Documents|/home/anna/projects|C:\\Users\\ben\\Downloads|./data|/var/log|~/Pictures/2024"
    "|reports|/mnt/backup|~/Music|src"
)
PATTERNS = _pool(
    "*.pdf|*.jpg|report_*.docx|*.py|invoice-2024-*|*.csv|notes*.txt|*.mp3|IMG_*.png|*.log"
)
ARCHIVE_NAMES = _pool(
    "backup_2024|photos-june|project_final|taxes2023|thesis-drafts|release-v1.2|holiday_pics"
    "|invoices_q1|site-export|old_logs"
)
ROOMS = _pool(
    "living room|kitchen|bedroom|office|garage|hallway|bathroom|nursery|patio|basement"
    "|dining room|guest room"
)
DOORS = _pool(
    "front door|back door|garage door|side gate|patio door|basement door|shed door"
)
MUSIC_QUERIES = _pool(
    "jazz|lo-fi beats|Nina Simone|classical piano|Daft Punk|90s hip hop|bossa nova|Radiohead"
    "|film soundtracks|reggae|Fleetwood Mac|ambient music"
)
GAMES = _pool(
    "Hollow Knight|Stardew Valley|The Legend of Zelda: Breath of the Wild|Minecraft|Celeste"
    "|Elden Ring|Portal 2|Hades|Tetris|Red Dead Redemption 2|Disco Elysium|Outer Wilds"
)
POSTCODES = _pool("94110|10001|60614|73301|02139|98101|30303|80202|33101|55401|97205|19103")
US_STATES = _pool(
    "California|Texas|New York|Florida|Illinois|Ohio|Georgia|Washington|Colorado|Oregon"
    "|Michigan|Arizona"
)
CASES = _pool(
    "Harper v. Lindqvist|Ortega v. City of Linden|State v. Whitcombe"
    "|Nakamura v. Brightline Corp.|In re Estate of Vance|Adeyemi v. Northfield School Board"
    "|People v. Castellano|Rossi v. Meridian Insurance|Keller v. Hale"
    "|United Growers v. Pine Valley"
)
SUBJECTS = _pool(
    "linear algebra|organic chemistry|Spanish|machine learning|music theory|world history"
    "|photography|statistics|creative writing|microeconomics|astronomy|Python programming"
)
URLS = _pool(
    "https://example.com/blog/2024/03/a-very-long-article-title"
    "|https://shop.example.org/products/12345?ref=newsletter"
    "|https://docs.example.net/guide/getting-started/installation"
    "|https://news.example.com/world/europe/story-8841|https://example.edu/courses/cs101/syllabus"
    "|https://maps.example.com/place/old-town-bakery/reviews"
    "|https://files.example.io/share/q3-report-final.pdf"
    "|https://events.example.com/2025/summer-festival/tickets"
    "|https://example.org/recipes/lemon-drizzle-cake|https://jobs.example.com/openings/4471"
)
ALIASES = _pool("spring-sale|cs101|q3report|fest25|cake|docs-start|jobs4471|bakery|news|launch")
SPECIALTIES = _pool(
    "dermatologist|pediatrician|cardiologist|dentist|orthopedic surgeon|optometrist"
    "|physiotherapist|psychiatrist|allergist|general practitioner"
)
ACTIVITIES = _pool(
    "running|swimming|cycling|yoga|rowing|hiking|jumping rope|tennis|dancing|weightlifting"
)
DEPARTMENTS = _pool(
    "Engineering|Sales|Marketing|Finance|Human Resources|Customer Support|Legal|Research"
    "|Operations|Design"
)
STOCK_ITEMS = _pool(
    "AA batteries|printer paper|USB-C cables|coffee beans|safety gloves|shipping boxes"
    "|LED bulbs|whiteboard markers|hand sanitizer|packing tape"
)
WAREHOUSES = _pool(
    "Rotterdam|Warehouse B|north depot|Leeds hub|Dock 4|the Austin site|Store 12|main warehouse"
    "|east wing|Osaka DC"
)
REMINDERS = _pool(
    "call the dentist|water the plants|take out the recycling|submit the expense report"
    "|pick up Mia from school|renew the passport|stretch for ten minutes|back up the laptop"
    "|book the car service|pay the electricity bill"
)
EVENT_TITLES = _pool(
    "Quarterly review|Dentist appointment|Team lunch|Project kickoff|Piano lesson"
    "|Sprint planning|Coffee with Laura|Board meeting|Yoga class|Parent-teacher conference"
)
PLAYLISTS = _pool(
    "Road Trip|Sunday Morning|Deep Focus|Gym Mix|Rainy Day Jazz|Summer 2025|Chill Evenings"
    "|Throwbacks|Coding Beats|Dinner Party"
)
LANDMARKS = _pool(
    "Eiffel Tower|Machu Picchu|Mount Kilimanjaro|Sydney Opera House|Great Pyramid of Giza"
    "|Table Mountain|Niagara Falls|Angkor Wat|Stonehenge|Golden Gate Bridge|Mount Fuji|Petra"
)
AIRPORTS = _pool("JFK|LHR|CDG|NRT|SYD|GRU|DXB|SFO|FRA|SIN|YYZ|MEX|BCN|ICN|JNB")
ZONE_NAMES = _pool(
    "New York|London|Tokyo|Europe/Paris|America/Los_Angeles|Sydney|Asia/Dubai|Berlin"
    "|Asia/Kolkata|São Paulo|UTC|Singapore|America/Chicago|Nairobi|Pacific/Auckland"
)

LENGTH_UNITS = {
    "mm": ("mm", "millimeters"), "cm": ("cm", "centimeters", "centimetres"),
    "m": ("m", "meters", "metres"), "km": ("km", "kilometers"), "in": ("inches",),
    "ft": ("feet", "ft"), "mi": ("miles",),
}
TEMPERATURE_SCALES = {
    "celsius": ("Celsius", "°C", "degrees Celsius"), "fahrenheit": ("Fahrenheit", "°F"),
    "kelvin": ("Kelvin", "K"),
}
CURRENCIES = {
    "USD": ("US dollars", "USD", "dollars"), "EUR": ("euros", "EUR"),
    "GBP": ("British pounds", "GBP", "pounds sterling"), "JPY": ("Japanese yen", "JPY", "yen"),
    "INR": ("Indian rupees", "INR"), "CHF": ("Swiss francs", "CHF"),
    "CAD": ("Canadian dollars", "CAD"), "AUD": ("Australian dollars", "AUD"),
    "MXN": ("Mexican pesos", "MXN"), "BRL": ("Brazilian reais", "BRL"),
    "KRW": ("South Korean won", "KRW"), "SEK": ("Swedish kronor", "SEK"),
}
COOKING_UNITS = {
    "cups": ("cups", "cup"), "tablespoons": ("tablespoons", "tbsp"),
    "teaspoons": ("teaspoons", "tsp"), "grams": ("grams", "g"),
    "milliliters": ("milliliters", "ml"), "ounces": ("ounces", "oz"),
}


# ---------------------------------------------------------------------------- family specs


@dataclass(frozen=True)
class Param:
    """One argument of a family's function: its schema, how values are drawn and said."""

    key: str  # the slot name in the family's templates
    type: str
    description: str
    sample: Sampler
    names: tuple[str, ...]  # synonyms; one naming style is picked per tool variant
    required: bool = True
    default: Any = None
    enum: tuple[str, ...] = ()
    items: str = ""  # the item type of an array
    present: float = 1.0  # how often an optional parameter exists at all in a variant


def req(key: str, type_: str, description: str, sample: Sampler, *names: str) -> Param:
    """A required parameter; ``type_`` is a JSON type, "array:<item type>" for lists."""
    kind, _, items = type_.partition(":")
    return Param(key, kind, description, sample, names or (key,), items=items)


def opt(
    key: str, type_: str, description: str, sample: Sampler, *names: str,
    default: Any = None, present: float = 1.0,
) -> Param:
    """An optional parameter; it is in the arguments only when the request mentions it."""
    base = req(key, type_, description, sample, *names)
    return replace(base, required=False, default=default, present=present)


def enum(
    key: str, description: str, options: Mapping[str, Sequence[str]], *names: str,
    required: bool = True, default: str | None = None, present: float = 1.0,
) -> Param:
    """A string enum; the request may say a value naturally ("in Fahrenheit")."""
    sample = spoken(options)
    return Param(
        key, "string", description, sample, names or (key,), required, default,
        tuple(options), "", present,
    )


@dataclass(frozen=True)
class Family:
    """One kind of function with its naming variants and the requests that call it."""

    names: tuple[str, ...]
    descriptions: tuple[str, ...]
    params: tuple[Param, ...]
    plans: tuple[str, ...]
    train: tuple[str, ...]
    eval: tuple[str, ...]
    check: Callable[[dict[str, Any]], bool] | None = None  # values that make sense together

    def templates(self, split: str) -> tuple[str, ...]:
        return self.eval if split == "eval" else self.train


def fam(
    names: str, descriptions: str, params: Sequence[Param], plans: str, train: str, eval_: str,
    check: Callable[[dict[str, Any]], bool] | None = None,
) -> Family:
    """A family from compact text: names split on spaces, alternatives on " | ", one
    template per line."""

    def lines(block: str) -> tuple[str, ...]:
        return tuple(line.strip() for line in block.strip().splitlines() if line.strip())

    return Family(
        tuple(names.split()), tuple(descriptions.split(" | ")), tuple(params),
        tuple(plans.split(" | ")), lines(train), lines(eval_), check,
    )


def _differ(a: str, b: str) -> Callable[[dict[str, Any]], bool]:
    return lambda values: a not in values or b not in values or values[a] != values[b]


def _less(a: str, b: str) -> Callable[[dict[str, Any]], bool]:
    return lambda values: a not in values or b not in values or values[a] < values[b]


FAMILIES: tuple[Family, ...] = (
    # -- math, geometry, statistics
    fam(
        "calculate_circle_area circle_area area_of_circle",
        "Calculate the area of a circle from its radius. | Returns the area of a circle given "
        "its radius.",
        [
            req("radius", "number", "The radius of the circle.", decimal(0.5, 250), "radius", "r"),
            enum("unit", "Length unit of the radius", LENGTH_UNITS, required=False, default="cm",
                 present=0.6),
        ],
        "Compute the area of the circle. | Work out the circle's area.",
        """
        What is the area of a circle with a radius of {radius}[ {unit}]?
        Find the area of a circle whose radius is {radius}[ {unit}].
        circle area, radius {radius}[ {unit}]
        My round table has a radius of {radius}[ {unit}]. How much surface does it have?
        Please calculate the area of a circle of radius {radius}[, measured in {unit}].
        """,
        """
        A circular pond has a radius of {radius}[ {unit}]; what is its surface area?
        Area enclosed by a circle of radius {radius}[ {unit}]?
        """,
    ),
    fam(
        "triangle_area calculate_triangle_area",
        "Computes the area of a triangle from base and height. | Area of a triangle.",
        [
            req("base", "number", "Length of the base.", decimal(0.5, 400, 1), "base", "b"),
            req("height", "number", "Height perpendicular to the base.", decimal(0.5, 400, 1),
                "height", "h"),
            enum("unit", "Unit of the lengths", LENGTH_UNITS, required=False, present=0.6),
        ],
        "Calculate the triangle's area. | Find the area of the triangle.",
        """
        Calculate the area of a triangle with base {base} and height {height}[ {unit}].
        Triangle: base {base}, height {height}. Area?[ Units are {unit}.]
        I need the area of a triangular sail, {base}[ {unit}] along the bottom and {height} tall.
        Find the triangle area for base={base} and height={height}.
        What's the area of a triangle that is {height} high with a {base} base?
        """,
        """
        How much area does a triangle with base {base} and height {height}[ ({unit})] cover?
        Base {base}[ {unit}], height {height}: compute the triangle's area.
        """,
    ),
    fam(
        "find_hypotenuse calculate_hypotenuse pythagoras",
        "Length of the hypotenuse of a right triangle from its two legs. | Applies the "
        "Pythagorean theorem to two sides.",
        [
            req("side_a", "number", "Length of the first leg.", decimal(1, 500, 1),
                "side_a", "a", "leg1"),
            req("side_b", "number", "Length of the second leg.", decimal(1, 500, 1),
                "side_b", "b", "leg2"),
        ],
        "Compute the hypotenuse. | Use Pythagoras to get the third side.",
        """
        A right triangle has legs of {side_a} and {side_b}. How long is the hypotenuse?
        Find the hypotenuse when the two shorter sides are {side_a} and {side_b}.
        hypotenuse for legs {side_a} and {side_b}
        Use Pythagoras: sides {side_a} and {side_b}, what's the third side?
        Compute sqrt(a² + b²) with a = {side_a} and b = {side_b}.
        """,
        """
        What is the longest side of a right-angled triangle with legs {side_a} and {side_b}?
        Legs measure {side_a} and {side_b} — compute the hypotenuse.
        """,
    ),
    fam(
        "solve_quadratic quadratic_roots find_roots",
        "Solve a quadratic equation ax^2 + bx + c = 0. | Returns the real or complex roots of "
        "a quadratic.",
        [
            req("a", "integer", "Coefficient of x squared.", integer(-20, 20, plain=True)),
            req("b", "integer", "Coefficient of x.", integer(-50, 50, plain=True)),
            req("c", "integer", "Constant term.", integer(-100, 100, plain=True)),
        ],
        "Solve the quadratic equation. | Find the roots.",
        """
        Solve the quadratic equation with a = {a}, b = {b} and c = {c}.
        Find the roots of {a}x^2 + {b}x + {c} = 0.
        What are the solutions when a={a}, b={b}, c={c}?
        Quadratic with coefficients {a}, {b}, {c} (a, b, c) — roots please.
        Roots of ax² + bx + c where a is {a}, b is {b} and c is {c}.
        """,
        """
        Give me x for {a}x² + {b}x + {c} = 0.
        Coefficients: a={a}; b={b}; c={c}. Solve it.
        """,
        check=lambda values: values.get("a") != 0,
    ),
    fam(
        "calculate_factorial factorial",
        "Calculate the factorial of a non-negative integer. | n! for a whole number n.",
        [req("n", "integer", "The number to take the factorial of.", integer(0, 20),
             "n", "number", "value")],
        "Compute the factorial. | Work out the factorial of the number.",
        """
        What is {n} factorial?
        Calculate the factorial of {n}.
        factorial {n}
        How many ways can {n} different books be arranged on a shelf? Use the factorial.
        Please give me the factorial of {n}.
        """,
        """
        Compute the product of all positive integers up to {n}.
        I need the value of {n}! for my combinatorics homework.
        """,
    ),
    fam(
        "greatest_common_divisor compute_gcd gcd",
        "Find the greatest common divisor of two integers. | Largest integer dividing both "
        "numbers.",
        [
            req("a", "integer", "First integer.", integer(2, 5000), "a", "num1", "first_number"),
            req("b", "integer", "Second integer.", integer(2, 5000), "b", "num2",
                "second_number"),
        ],
        "Find the greatest common divisor. | Compute the GCD of the two numbers.",
        """
        What is the greatest common divisor of {a} and {b}?
        Find the GCD of {a} and {b}.
        gcd({a}, {b})
        Largest number that divides both {a} and {b}?
        Please compute the highest common factor of {a} and {b}.
        """,
        """
        Which biggest integer goes evenly into {a} as well as {b}?
        HCF for {a} and {b}, please.
        """,
    ),
    fam(
        "is_prime check_prime",
        "Check whether a number is prime. | Tells if an integer is a prime number.",
        [req("number", "integer", "The integer to test.", integer(2, 99999),
             "number", "n", "value")],
        "Check if the number is prime. | Test the number for primality.",
        """
        Is {number} a prime number?
        Check whether {number} is prime.
        prime test: {number}
        Can {number} be divided by anything other than 1 and itself?
        Tell me if {number} is prime or not.
        """,
        """
        Determine the primality of {number}.
        Would {number} count as a prime?
        """,
    ),
    fam(
        "calculate_mean average mean_of_numbers",
        "Arithmetic mean of a list of numbers. | Computes the average of the given values.",
        [
            req("numbers", "array:number", "The values to average.", number_list(0, 100, 1),
                "numbers", "values", "data"),
            opt("decimals", "integer", "Decimal places to round the result to.",
                integer(0, 4), "decimals", "round_to", "precision", default=2, present=0.6),
        ],
        "Compute the average. | Find the mean of the values.",
        """
        What is the average of {numbers}?
        Calculate the mean of these values: {numbers}[, rounded to {decimals} decimal places].
        mean of {numbers}
        I scored {numbers} on my tests. What's my average[ to {decimals} decimals]?
        Average these numbers[ (round to {decimals} places)]: {numbers}
        """,
        """
        Take the arithmetic mean of {numbers}[ and keep {decimals} digits after the point].
        Could you average out {numbers} for me?
        """,
    ),
    fam(
        "standard_deviation calculate_std_dev stdev",
        "Standard deviation of a data set. | Measures how spread out numbers are.",
        [
            req("values", "array:number", "The data points.", number_list(1, 200, 1),
                "values", "data", "numbers"),
            opt("sample", "boolean", "True for the sample standard deviation, false for the "
                "population one.", flag(("sample",), ("population",), p_yes=0.5),
                "sample", "is_sample", "use_sample", default=False, present=0.7),
        ],
        "Compute the standard deviation. | Measure the spread of the data.",
        """
        What is the standard deviation of {values}?
        Compute the[ {sample}] standard deviation of {values}.
        stdev {values}[ ({sample})]
        How spread out are these measurements: {values}?[ Use the {sample} formula.]
        [Treating it as a {sample}, ]find the standard deviation of {values}.
        """,
        """
        Measure the dispersion (standard deviation) of {values}[, {sample} version].
        I need the[ {sample}] SD for the data set {values}.
        """,
    ),
    fam(
        "calculate_percentage percent_of_total",
        "What percentage one number is of another. | Returns part / whole as a percentage.",
        [
            req("part", "number", "The part.", decimal(1, 500, 1, whole=0.7), "part", "value"),
            req("whole", "number", "The whole.", decimal(501, 20000, 1, whole=0.7),
                "whole", "total"),
        ],
        "Work out the percentage. | Express the part as a percent of the whole.",
        """
        What percentage of {whole} is {part}?
        {part} out of {whole} — what percent is that?
        I answered {part} of {whole} questions correctly. What's my percentage?
        Express {part} as a percentage of {whole}.
        percent: {part} / {whole}
        """,
        """
        If {part} of the {whole} seats are taken, what share is that in percent?
        Convert the ratio {part} to {whole} into a percentage.
        """,
    ),
    # -- finance
    fam(
        "compound_interest calculate_compound_interest future_value",
        "Future value of an investment with compound interest. | Calculates compound interest "
        "on a principal.",
        [
            req("principal", "number", "The starting amount.",
                decimal(100, 250000, 2, whole=0.7), "principal", "amount", "initial_amount"),
            req("rate", "number", "Annual interest rate in percent, e.g. 5 for 5%.",
                decimal(0.5, 12, 2), "rate", "annual_rate", "interest_rate"),
            req("years", "integer", "Number of years.", integer(1, 40),
                "years", "time", "term_years"),
            opt("freq", "integer", "How many times a year interest is compounded.",
                spoken({1: ("annually", "once a year", "yearly"),
                        4: ("quarterly", "4 times a year"),
                        12: ("monthly", "every month", "12 times a year"),
                        365: ("daily", "every day")}),
                "compounds_per_year", "n", "frequency", default=1, present=0.7),
        ],
        "Calculate the future value with compound interest. | Compute the compound interest.",
        """
        How much will {principal} dollars grow to at {rate}% for {years} years[, compounded {freq}]?
        Compute compound interest on {principal} at {rate} percent a year over {years} years.
        principal {principal}, rate {rate}%, {years} years[, compounding {freq}]
        I invest {principal} for {years} years at {rate}% a year[, compounded {freq}].
        What is the future value of {principal} after {years} years at {rate} percent interest?
        """,
        """
        If I leave {principal} in savings paying {rate}% for {years} years, what do I end up with?
        Future balance: deposit {principal}, {rate} percent per year, {years} years[, {freq}].
        """,
    ),
    fam(
        "calculate_loan_payment monthly_payment mortgage_payment",
        "Monthly payment of a fixed-rate loan. | Computes the installment for an amortized loan.",
        [
            req("loan", "number", "The amount borrowed.",
                decimal(5000, 900000, 2, whole=0.9), "loan_amount", "principal", "amount"),
            req("rate", "number", "Annual interest rate in percent.", decimal(1, 15, 2),
                "annual_rate", "interest_rate", "rate"),
            req("years", "integer", "Loan term in years.", integer(1, 40),
                "years", "term_years", "loan_term"),
        ],
        "Work out the monthly loan payment. | Compute the mortgage installment.",
        """
        What's the monthly payment on a {loan} loan at {rate}% over {years} years?
        Calculate my mortgage payment: borrowing {loan}, {rate} percent, {years}-year term.
        loan {loan}, rate {rate}%, term {years} years -> monthly payment
        I want to borrow {loan} for {years} years at {rate}% APR. How much per month?
        Monthly installment for a {years} year loan of {loan} at {rate}%?
        """,
        """
        Estimate the monthly repayment if I borrow {loan} at {rate} percent for {years} years.
        With a {rate}% rate and {years} years to repay {loan}, what's each payment?
        """,
    ),
    fam(
        "convert_currency currency_converter exchange_money",
        "Convert an amount of money between currencies. | Currency conversion at the current "
        "rate.",
        [
            req("amount", "number", "How much money to convert.",
                decimal(1, 20000, 2, whole=0.6), "amount", "value", "amount"),
            enum("from_currency", "ISO code of the currency to convert from", CURRENCIES,
                 "from_currency", "source_currency", "base"),
            enum("to_currency", "ISO code of the currency to convert to", CURRENCIES,
                 "to_currency", "target_currency", "target"),
        ],
        "Convert the amount into the other currency. | Exchange the money.",
        """
        How much is {amount} {from_currency} in {to_currency}?
        Convert {amount} {from_currency} to {to_currency}.
        {amount} {from_currency} -> {to_currency}
        I have {amount} {from_currency}. What is that worth in {to_currency}?
        Please change {amount} {from_currency} into {to_currency} at today's rate.
        """,
        """
        What do {amount} {from_currency} come to when exchanged for {to_currency}?
        Exchange {amount} of my {from_currency} for {to_currency}; how much do I get?
        """,
        check=_differ("from_currency", "to_currency"),
    ),
    fam(
        "get_stock_price stock_quote fetch_share_price",
        "Look up the price of a stock. | Returns the share price for a ticker symbol.",
        [
            req("ticker", "string", "Ticker symbol, e.g. AAPL.", text(TICKERS), "ticker", "symbol"),
            opt("date", "string", "Trading day as YYYY-MM-DD; the latest price if omitted.",
                iso_date(), "date", "trading_day", present=0.6),
        ],
        "Get the share price. | Look up the stock quote.",
        """
        What's the current price of {ticker}?
        Get me the stock price of {ticker}[ on {date}].
        {ticker} share price[ {date}]
        How did {ticker} close[ on {date}]?
        Look up the latest quote for ticker {ticker}.
        """,
        """
        Where was {ticker} trading[ on {date}]?
        I'd like a price check on the {ticker} stock.
        """,
    ),
    fam(
        "calculate_tip tip_calculator split_bill",
        "Calculate the tip for a restaurant bill. | Tip amount, optionally split between people.",
        [
            req("bill", "number", "The bill total.", decimal(5, 600, 2, whole=0.3),
                "bill_amount", "total", "amount"),
            opt("tip", "number", "Tip percentage.", decimal(5, 30, 1, whole=0.8),
                "tip_percent", "tip_percentage", "tip_rate", default=15),
            opt("people", "integer", "Number of people sharing the bill.", integer(2, 12),
                "people", "split_between", "num_people", present=0.6),
        ],
        "Calculate the tip. | Work out how much to tip.",
        """
        What should I tip on a {bill} bill[ at {tip}%]?
        Calculate a[ {tip} percent] tip for a check of {bill}[, split between {people} people].
        bill {bill}[, tip {tip}%][, {people} people]
        Our dinner came to {bill}.[ We want to leave {tip}%.][ There are {people} of us.]
        Tip for {bill}[ shared by {people} friends], please.
        """,
        """
        The restaurant total is {bill}[; we're {people} people][ and tipping {tip} percent].
        How big a gratuity on {bill}[ if I go with {tip}%]?
        """,
    ),
    fam(
        "apply_discount discounted_price sale_price",
        "Price after a percentage discount. | Applies a discount to a price.",
        [
            req("price", "number", "Original price.", decimal(2, 2000, 2),
                "price", "original_price"),
            req("discount_percent", "number", "Discount in percent.", decimal(5, 80, 1, whole=0.8),
                "discount_percent", "discount", "percent_off"),
        ],
        "Apply the discount. | Compute the sale price.",
        """
        What is {price} with a {discount_percent}% discount?
        Apply {discount_percent} percent off to a price of {price}.
        price {price}, {discount_percent}% off
        A jacket costs {price} and is on sale for {discount_percent}% off. What do I pay?
        How much after taking {discount_percent}% off {price}?
        """,
        """
        The shop knocks {discount_percent} percent off an item priced {price}; final price?
        Final cost of a {price} item discounted by {discount_percent}%?
        """,
    ),
    # -- physics
    fam(
        "kinetic_energy calculate_kinetic_energy",
        "Kinetic energy of a moving body in joules. | Computes 1/2 m v^2.",
        [
            req("mass", "number", "Mass in kilograms.", decimal(0.1, 5000, 2),
                "mass", "mass_kg", "m"),
            req("velocity", "number", "Speed in metres per second.", decimal(0.5, 300, 1),
                "velocity", "speed", "v"),
        ],
        "Compute the kinetic energy. | Find the energy of motion.",
        """
        What is the kinetic energy of a {mass} kg object moving at {velocity} m/s?
        Calculate kinetic energy for mass {mass} kg and velocity {velocity} m/s.
        KE: m = {mass} kg, v = {velocity} m/s
        A car of {mass} kilograms drives at {velocity} meters per second. How much kinetic energy?
        Find the energy of motion of a body of {mass} kg travelling at {velocity} m/s.
        """,
        """
        How many joules does a {mass}-kilogram ball carry when thrown at {velocity} m/s?
        Speed {velocity} m/s, mass {mass} kg: kinetic energy?
        """,
    ),
    fam(
        "free_fall_time time_to_fall calculate_fall_time",
        "Time for an object to fall from rest. | Seconds until a dropped object hits the ground.",
        [
            req("height", "number", "Drop height in metres.", decimal(0.5, 2000, 1),
                "height", "height_m", "drop_height"),
            opt("gravity", "number", "Gravitational acceleration in m/s².",
                choose((1.62, 3.71, 24.79, 9.8, 8.87, 10, 11.15)), "gravity", "g", "acceleration",
                default=9.81),
        ],
        "Calculate the fall time. | Find how long the fall takes.",
        """
        How long does it take an object to fall {height} meters[ if g = {gravity} m/s²]?
        Calculate the free fall time from a height of {height} m[ with gravity of {gravity} m/s^2].
        fall time, {height} m drop[, g={gravity}]
        I drop a stone from a {height} m bridge. When does it hit the water?
        [On a planet where gravity is {gravity} m/s², ]how many seconds to fall {height} metres?
        """,
        """
        Time for a ball to drop {height} m[ (gravitational acceleration {gravity})]?
        From rest at {height} metres[ under {gravity} m/s² gravity], how long until it lands?
        """,
    ),
    fam(
        "calculate_current ohms_law electric_current",
        "Current through a resistor by Ohm's law. | Amperes from voltage and resistance.",
        [
            req("voltage", "number", "Voltage in volts.", decimal(0.5, 400, 1),
                "voltage", "volts", "v"),
            req("resistance", "number", "Resistance in ohms.", decimal(0.1, 10000, 1),
                "resistance", "ohms", "r"),
        ],
        "Apply Ohm's law for the current. | Compute the current.",
        """
        What current flows through a {resistance} ohm resistor at {voltage} volts?
        Calculate the current for a voltage of {voltage} V and resistance of {resistance} Ω.
        I = V/R with V={voltage}, R={resistance}
        A {voltage} V battery is connected to a {resistance}-ohm load. How many amps flow?
        Find the current: {voltage} volts across {resistance} ohms.
        """,
        """
        With {resistance} ohms of resistance and {voltage} volts applied, what's the current?
        Amperage when {voltage} V drives a {resistance} Ω circuit?
        """,
    ),
    fam(
        "average_speed calculate_speed",
        "Average speed from distance and time. | Divides distance travelled by time taken.",
        [
            req("distance", "number", "Distance travelled.", decimal(0.5, 5000, 1)),
            req("time", "number", "Time taken.", decimal(0.1, 72, 2), "time", "duration"),
            enum("dunit", "Unit of the distance",
                 {"km": ("km", "kilometers", "kilometres"), "miles": ("miles", "mi"),
                  "m": ("meters", "metres")}, "distance_unit", "unit", "distance_unit",
                 required=False, default="km", present=0.8),
            enum("tunit", "Unit of the time",
                 {"hours": ("hours", "h"), "minutes": ("minutes", "min"),
                  "seconds": ("seconds", "s")}, "time_unit", "time_units", "time_unit",
                 required=False, default="hours", present=0.8),
        ],
        "Compute the average speed. | Work out how fast the trip was.",
        """
        What's the average speed if I travel {distance}[ {dunit}] in {time}[ {tunit}]?
        Calculate the speed for a distance of {distance}[ {dunit}] covered in {time}[ {tunit}].
        speed: {distance}[ {dunit}] / {time}[ {tunit}]
        A cyclist rode {distance}[ {dunit}] and it took {time}[ {tunit}]. How fast on average?
        I drove {distance}[ {dunit}] in {time}[ {tunit}]; average speed please.
        """,
        """
        Covering {distance}[ {dunit}] over {time}[ {tunit}] means what mean speed?
        Work out the pace: {time}[ {tunit}] for {distance}[ {dunit}].
        """,
    ),
    fam(
        "calculate_density density",
        "Density from mass and volume. | Returns mass divided by volume in g/cm³.",
        [
            req("mass", "number", "Mass in grams.", decimal(0.01, 1000, 2), "mass", "mass_g"),
            req("volume", "number", "Volume in cubic centimetres.", decimal(0.01, 1000, 2),
                "volume", "volume_cm3"),
        ],
        "Calculate the density. | Find how dense the sample is.",
        """
        What is the density of an object with mass {mass} g and volume {volume} cm³?
        Calculate density: mass {mass} grams, volume {volume} cubic centimeters.
        density for m={mass} g, V={volume} cm^3
        A metal block weighs {mass} g and displaces {volume} cm³ of water. What's its density?
        Find the density when the mass is {mass} and the volume is {volume}.
        """,
        """
        Mass {mass} g packed into {volume} cm³ — how dense is that?
        Determine the density of a sample with a volume of {volume} cm^3 and a mass of {mass} grams.
        """,
    ),
    # -- chemistry
    fam(
        "molar_mass get_molar_mass calculate_molecular_weight",
        "Molar mass of a chemical formula in g/mol. | Molecular weight of a compound.",
        [req("formula", "string", "Chemical formula, e.g. H2O.", text(FORMULAS),
             "formula", "compound", "chemical_formula")],
        "Find the molar mass. | Compute the molecular weight.",
        """
        What is the molar mass of {formula}?
        Calculate the molecular weight of {formula}.
        molar mass {formula}
        How many grams per mole does {formula} have?
        I need the molar mass of the compound {formula} for my lab report.
        """,
        """
        Give me the mass of one mole of {formula}.
        Grams per mol for {formula}?
        """,
    ),
    fam(
        "get_element_property element_info lookup_element",
        "Look up a property of a chemical element. | Periodic table data for an element.",
        [
            req("element", "string", "Element name.", text(ELEMENTS),
                "element", "element_name", "name"),
            enum("property", "Which property to return",
                 {"atomic_number": ("atomic number",),
                  "atomic_mass": ("atomic mass", "atomic weight"),
                  "melting_point": ("melting point",), "boiling_point": ("boiling point",),
                  "electronegativity": ("electronegativity",), "density": ("density",)},
                 "property", "attribute", "field"),
        ],
        "Look up the element's property. | Get the data for the element.",
        """
        What is the {property} of {element}?
        Look up the {property} for {element}.
        {element} {property}
        Tell me the {property} of the element {element}.
        I need {element}'s {property} for a chemistry exercise.
        """,
        """
        Which value does {element} have for {property}?
        For {element}, find the {property}.
        """,
    ),
    fam(
        "dilution_volume calculate_dilution",
        "Volume of stock solution needed for a dilution (C1V1 = C2V2). | Solves the dilution "
        "equation for the stock volume.",
        [
            req("c1", "number", "Stock concentration in mol/L.",
                decimal(1, 18, 2), "initial_concentration", "c1", "stock_concentration"),
            req("c2", "number", "Wanted concentration in mol/L.",
                decimal(0.01, 0.9, 3, whole=0),
                "final_concentration", "c2", "target_concentration"),
            req("v2", "number", "Wanted volume in mL.", decimal(10, 5000, 1),
                "final_volume", "v2", "target_volume"),
        ],
        "Work out the stock volume for the dilution. | Solve C1V1 = C2V2.",
        """
        How much {c1} M stock makes {v2} mL of a {c2} M solution?
        Dilution: C1 = {c1} M, C2 = {c2} M, V2 = {v2} mL. Find V1.
        I want {v2} mL at {c2} mol/L from a {c1} mol/L stock.
        Stock volume to dilute {c1} M down to {c2} M, {v2} mL in the end?
        c1={c1}, c2={c2}, v2={v2}: solve for v1
        """,
        """
        Starting from {c1} molar acid, what volume gives {v2} ml of {c2} molar?
        Prepare {v2} mL of {c2} M from {c1} M stock — how much stock?
        """,
    ),
    # -- unit conversion
    fam(
        "convert_length convert_distance length_converter",
        "Convert a length between units. | Length unit conversion.",
        [
            req("value", "number", "The length to convert.", decimal(0.1, 10000, 2),
                "value", "length", "amount"),
            enum("from_unit", "Unit to convert from", LENGTH_UNITS,
                 "from_unit", "source_unit", "from"),
            enum("to_unit", "Unit to convert to", LENGTH_UNITS, "to_unit", "target_unit", "to"),
        ],
        "Convert the length. | Change the units of the length.",
        """
        Convert {value} {from_unit} to {to_unit}.
        How many {to_unit} are in {value} {from_unit}?
        {value} {from_unit} in {to_unit}
        What is {value} {from_unit} expressed in {to_unit}?
        My room is {value} {from_unit} long. How much is that in {to_unit}?
        """,
        """
        Change {value} {from_unit} into {to_unit}, please.
        Express a length of {value} {from_unit} using {to_unit}.
        """,
        check=_differ("from_unit", "to_unit"),
    ),
    fam(
        "convert_temperature temperature_converter",
        "Convert a temperature between Celsius, Fahrenheit and Kelvin. | Temperature scale "
        "conversion.",
        [
            req("temperature", "number", "The temperature value.", decimal(-60, 500, 1),
                "temperature", "value", "degrees"),
            enum("from_scale", "Scale of the given value", TEMPERATURE_SCALES,
                 "from_scale", "from_unit", "source_unit"),
            enum("to_scale", "Scale to convert to", TEMPERATURE_SCALES,
                 "to_scale", "to_unit", "target_unit"),
        ],
        "Convert the temperature. | Change the temperature scale.",
        """
        Convert {temperature} {from_scale} to {to_scale}.
        What is {temperature} {from_scale} in {to_scale}?
        {temperature} {from_scale} -> {to_scale}
        The oven says {temperature} {from_scale}; what's that in {to_scale}?
        Please express {temperature} {from_scale} in {to_scale}.
        """,
        """
        If it's {temperature} {from_scale} outside, how much is that in {to_scale}?
        Turn {temperature} {from_scale} into {to_scale}.
        """,
        check=_differ("from_scale", "to_scale"),
    ),
    fam(
        "convert_cooking_measure kitchen_conversion",
        "Convert kitchen measures (cups, spoons, grams, ml). | Cooking unit converter.",
        [
            req("quantity", "number", "How much.", decimal(0.25, 20, 2), "quantity", "amount"),
            enum("from_unit", "Unit of the quantity", COOKING_UNITS, "from_unit", "from"),
            enum("to_unit", "Unit wanted", COOKING_UNITS, "to_unit", "to"),
            opt("ingredient", "string", "What is measured; needed between volume and weight.",
                text(INGREDIENTS + ("flour", "sugar", "butter", "rice", "honey")), present=0.7),
        ],
        "Convert the kitchen measure. | Change the recipe units.",
        """
        How many {to_unit} is {quantity} {from_unit}[ of {ingredient}]?
        Convert {quantity} {from_unit}[ of {ingredient}] to {to_unit}.
        {quantity} {from_unit}[ {ingredient}] in {to_unit}
        The recipe wants {quantity} {from_unit}[ of {ingredient}]; what is that in {to_unit}?
        Kitchen conversion: {quantity} {from_unit} to {to_unit}[ for {ingredient}].
        """,
        """
        I measured {quantity} {from_unit}[ of {ingredient}]; express it in {to_unit}.
        {to_unit} equivalent of {quantity} {from_unit}[ ({ingredient})]?
        """,
        check=_differ("from_unit", "to_unit"),
    ),
    # -- weather
    fam(
        "get_weather get_current_weather current_weather",
        "Get the current weather for a location. | Current conditions: temperature, wind, sky.",
        [
            req("location", "string", "City name.", text(CITIES), "location", "city", "place"),
            enum("unit", "Temperature unit",
                 {"celsius": ("Celsius", "°C", "metric"), "fahrenheit": ("Fahrenheit", "°F")},
                 "unit", "units", "temperature_unit", required=False, default="celsius",
                 present=0.7),
        ],
        "Check the current weather. | Get today's conditions.",
        """
        What's the weather like in {location}[ in {unit}]?
        Get the current weather for {location}[, temperatures in {unit}].
        weather {location}[ {unit}]
        Is it cold in {location} right now?[ Give me {unit}.]
        I'm heading out in {location}. What are the conditions?
        """,
        """
        Tell me today's conditions in {location}[ using {unit}].
        How warm is it at the moment in {location}[ (in {unit})]?
        """,
    ),
    fam(
        "get_weather_forecast forecast weather_forecast",
        "Weather forecast for the coming days. | Daily forecast for a city.",
        [
            req("city", "string", "City name.", text(CITIES), "city", "location"),
            req("days", "integer", "Number of days, 1 to 14.", integer(1, 14),
                "days", "num_days", "forecast_days"),
            opt("include_hourly", "boolean", "Add an hour-by-hour breakdown.",
                flag(("with hourly detail", "including hourly data"),
                     ("daily summary only", "without the hourly breakdown")),
                "include_hourly", "hourly", "hourly_detail", default=False, present=0.7),
        ],
        "Get the weather forecast. | Look up the coming days' weather.",
        """
        What's the {days}-day forecast for {city}[, {include_hourly}]?
        Give me the weather forecast for {city} for the next {days} days[, {include_hourly}].
        forecast {city} {days} days[ ({include_hourly})]
        Will it rain in {city} in the coming {days} days?
        I'm visiting {city} for {days} days — forecast please[, {include_hourly}].
        """,
        """
        Predict the weather in {city} over {days} days[ — {include_hourly}].
        {city}: outlook for the next {days} days[ ({include_hourly})]?
        """,
    ),
    fam(
        "get_air_quality air_quality_index check_air_quality",
        "Air quality index and pollutant levels for a city. | Current air pollution readings.",
        [
            req("city", "string", "City name.", text(CITIES), "city", "location"),
            enum("pollutant", "Pollutant to report",
                 {"pm2_5": ("PM2.5", "fine particles"), "pm10": ("PM10",), "ozone": ("ozone",),
                  "no2": ("nitrogen dioxide", "NO2")}, required=False, present=0.7),
        ],
        "Check the air quality. | Look up pollution levels.",
        """
        How is the air quality in {city}[ for {pollutant}]?
        Check the air pollution in {city}[, especially {pollutant}].
        AQI {city}[ {pollutant}]
        Is it safe to go running in {city} today given the air?
        What are the pollution levels in {city}[, looking at {pollutant}]?
        """,
        """
        Report the current air index for {city}[ with a focus on {pollutant}].
        Should I wear a mask in {city}? Check the air[ ({pollutant})].
        """,
    ),
    # -- travel and booking
    fam(
        "search_flights find_flights flight_search",
        "Search flights between two airports on a date. | Finds available flights.",
        [
            req("origin", "string", "Departure airport code.", text(AIRPORTS),
                "origin", "from_airport", "departure_airport"),
            req("destination", "string", "Arrival airport code.", text(AIRPORTS),
                "destination", "to_airport", "arrival_airport"),
            req("date", "string", "Departure date as YYYY-MM-DD.", iso_date(2025, 2027),
                "date", "departure_date", "travel_date"),
            opt("pax", "integer", "Number of passengers.", integer(1, 8),
                "passengers", "adults", "num_passengers", default=1),
            enum("cabin", "Cabin class",
                 {"economy": ("economy",), "premium_economy": ("premium economy",),
                  "business": ("business class", "business"), "first": ("first class",)},
                 required=False, default="economy", present=0.7),
        ],
        "Search for flights. | Find flights for the trip.",
        """
        Find flights from {origin} to {destination} on {date}[ for {pax} passengers][ in {cabin}].
        Are there any flights {origin} -> {destination} on {date}?
        I need to fly from {origin} to {destination} on {date}[, {pax} adults][, {cabin}].
        Search {origin}-{destination}, departing {date}[, {cabin}]
        Show me[ {cabin}] flights leaving {origin} for {destination} on {date}.
        """,
        """
        Bookable options from {origin} to {destination} departing {date}[ for {pax} people]?
        We[ ({pax} of us)] want to get from {origin} to {destination} on {date}[ flying {cabin}].
        """,
        check=_differ("origin", "destination"),
    ),
    fam(
        "book_hotel reserve_hotel hotel_booking",
        "Book a hotel room. | Reserves accommodation in a city for given dates.",
        [
            req("city", "string", "City of the hotel.", text(CITIES),
                "city", "location", "destination"),
            req("arrive", "string", "Arrival date.", spoken_date(),
                "check_in", "check_in_date", "arrival"),
            req("leave", "string", "Departure date.", spoken_date(),
                "check_out", "check_out_date", "departure"),
            req("guests", "integer", "Number of guests.", integer(1, 6),
                "guests", "num_guests", "adults"),
            enum("room", "Kind of room",
                 {"single": ("single",), "double": ("double", "double-bed"), "suite": ("suite",),
                  "twin": ("twin",)},
                 "room_type", "room", "room_kind", required=False, present=0.7),
        ],
        "Book the hotel. | Reserve a room.",
        """
        Book a hotel in {city} from {arrive} to {leave} for {guests} guests[, {room} room].
        I need a[ {room}] room in {city}, checking in {arrive} and out {leave}, {guests} people.
        hotel {city} {arrive} - {leave}, {guests} guests
        Reserve a room in {city} for {guests} from {arrive} until {leave}[; {room} room].
        Stay in {city}: check-in {arrive}, check-out {leave}, {guests} adults[, {room} room].
        """,
        """
        Our group of {guests} needs lodging in {city} between {arrive} and {leave}[ ({room} room)].
        Please reserve {city}, arrive {arrive}, depart {leave}, guests: {guests}.
        """,
        check=_differ("arrive", "leave"),
    ),
    fam(
        "find_rental_cars rent_car search_car_rentals",
        "Find rental cars at a pickup location. | Searches car hire offers.",
        [
            req("place", "string", "Where to pick the car up.", text(CITIES),
                "pickup_location", "location", "city"),
            req("pickup", "string", "Pickup date.", spoken_date(),
                "pickup_date", "start_date", "date"),
            req("days", "integer", "Rental length in days.", integer(1, 30),
                "days", "rental_days", "duration_days"),
            enum("car", "Kind of car",
                 {"compact": ("compact", "small"), "suv": ("SUV",), "van": ("van", "minivan"),
                  "electric": ("electric", "EV"), "convertible": ("convertible",)},
                 "car_type", "category", "vehicle_class", required=False, present=0.7),
        ],
        "Search for a rental car. | Find a car to hire.",
        """
        Find a rental car in {place} from {pickup} for {days} days[, preferably {car}].
        I need to rent a[ {car}] car in {place} starting {pickup} for {days} days.
        car rental {place}, {pickup}, {days} days[, {car}]
        Any[ {car}] cars for pickup in {place} on {pickup}? I need it for {days} days.
        Rent me something[ {car}] in {place}: {days} days from {pickup}.
        """,
        """
        Car hire at {place}, collecting {pickup}, keeping it {days} days[ ({car})].
        What[ {car}] rentals can I get in {place} on {pickup} for a {days}-day trip?
        """,
    ),
    fam(
        "check_visa_requirement visa_requirements",
        "Whether a visa is needed to enter a country. | Entry requirements by nationality.",
        [
            req("citizenship", "string", "Country of the passport.", text(COUNTRIES),
                "citizenship", "nationality", "passport_country"),
            req("destination", "string", "Country to visit.", text(COUNTRIES),
                "destination", "destination_country", "country"),
            opt("stay", "integer", "Planned length of stay in days.", integer(1, 180),
                "stay_days", "duration_days", "days", present=0.5),
        ],
        "Check the visa requirements. | Find out if a visa is needed.",
        """
        Do I need a visa for {destination} on a passport from {citizenship}[ for {stay} days]?
        Check visa requirements for citizens of {citizenship} travelling to {destination}.
        visa {citizenship} -> {destination}[, {stay} days]
        I'm from {citizenship} and want to visit {destination}[ for {stay} days]. Visa required?
        What are the entry rules for {citizenship} passport holders going to {destination}?
        """,
        """
        As a citizen of {citizenship}, can I enter {destination} visa-free[ for {stay} days]?
        Visa needed? Passport: {citizenship}. Going to: {destination}.
        """,
        check=_differ("citizenship", "destination"),
    ),
    fam(
        "get_distance route_distance travel_distance",
        "Travel distance between two places. | Route length by a chosen mode of transport.",
        [
            req("origin", "string", "Starting place.", text(CITIES),
                "origin", "start", "from_city"),
            req("destination", "string", "End place.", text(CITIES),
                "destination", "end", "to_city"),
            enum("mode", "How to travel",
                 {"driving": ("by car", "driving"), "walking": ("on foot", "walking"),
                  "cycling": ("by bike", "cycling"),
                  "transit": ("by public transport", "by transit")},
                 required=False, default="driving", present=0.8),
        ],
        "Get the distance. | Measure the route.",
        """
        How far is it from {origin} to {destination}[ {mode}]?
        Distance between {origin} and {destination}[, {mode}]?
        {origin} to {destination}[ {mode}] distance
        Calculate the route length from {origin} to {destination}[ {mode}].
        What's the travel distance[ {mode}] between {origin} and {destination}?
        """,
        """
        Measure the trip from {origin} to {destination}[ {mode}].
        If I go from {origin} to {destination}[ {mode}], how many km is it?
        """,
        check=_differ("origin", "destination"),
    ),
    # -- calendar and time
    fam(
        "create_calendar_event add_event schedule_meeting",
        "Create an event in the calendar. | Adds an appointment with optional attendees.",
        [
            req("title", "string", "Event title.", text(EVENT_TITLES), "title", "name", "summary"),
            req("date", "string", "Day of the event.", spoken_date(), "date", "day"),
            req("start_time", "string", "Start time.", clock_time(), "start_time", "time", "start"),
            opt("minutes", "integer", "Length in minutes.",
                choose((15, 20, 30, 45, 60, 90, 120)), "duration_minutes", "duration", "length",
                default=60, present=0.7),
            opt("who", "array:string", "People to invite.", text_list(FIRST_NAMES),
                "attendees", "invitees", "guests", present=0.6),
        ],
        "Add the event to the calendar. | Schedule the meeting.",
        """
        Schedule "{title}" on {date} at {start_time}[ for {minutes} minutes][ with {who}].
        Add {title} to my calendar for {date} at {start_time}.
        event: {title}, {date}, {start_time}[, {minutes} min][, invite {who}]
        Put a[ {minutes}-minute] meeting, {title}, on {date} at {start_time}[ and invite {who}].
        Can you block {date} at {start_time} for {title}?
        """,
        """
        Create an appointment named {title} at {start_time} on {date}[ lasting {minutes} minutes].
        Calendar entry please — {title}, {date}, starts {start_time}[, attendees: {who}].
        """,
    ),
    fam(
        "days_between count_days date_difference",
        "Number of days between two dates. | Counts days from a start date to an end date.",
        [
            req("start_date", "string", "First date, YYYY-MM-DD.", iso_date(),
                "start_date", "from_date", "date1"),
            req("end_date", "string", "Second date, YYYY-MM-DD.", iso_date(),
                "end_date", "to_date", "date2"),
        ],
        "Count the days between the dates. | Compute the date difference.",
        """
        How many days are there between {start_date} and {end_date}?
        Count the days from {start_date} to {end_date}.
        days {start_date} -> {end_date}
        My trip starts {start_date} and ends {end_date}. How long is that in days?
        What's the number of days from {start_date} until {end_date}?
        """,
        """
        Compute the gap in days separating {start_date} and {end_date}.
        If I begin on {start_date} and stop on {end_date}, how many days pass?
        """,
        check=_less("start_date", "end_date"),
    ),
    fam(
        "convert_time_zone timezone_converter convert_timezone",
        "Convert a time of day from one time zone to another. | Time zone conversion.",
        [
            req("time", "string", "Time of day.", clock_time(), "time", "local_time"),
            req("from_zone", "string", "Zone or city of the given time.", text(ZONE_NAMES),
                "from_zone", "from_timezone", "source_timezone"),
            req("to_zone", "string", "Zone or city to convert to.", text(ZONE_NAMES),
                "to_zone", "to_timezone", "target_timezone"),
        ],
        "Convert the time to the other zone. | Work out the local time there.",
        """
        What time is {time} in {from_zone} in {to_zone}?
        Convert {time} {from_zone} time to {to_zone} time.
        {time} {from_zone} -> {to_zone}
        If it's {time} in {from_zone}, what time is it in {to_zone}?
        I have a call at {time} {from_zone} time. When is that for someone in {to_zone}?
        """,
        """
        Translate {time} from {from_zone} into {to_zone} local time.
        The webinar starts {time} ({from_zone}); what's that in {to_zone}?
        """,
        check=_differ("from_zone", "to_zone"),
    ),
    fam(
        "set_reminder create_reminder remind_me",
        "Set a reminder. | Creates a reminder at a time, optionally repeating.",
        [
            req("message", "string", "What to be reminded of.", text(REMINDERS),
                "message", "text", "note"),
            req("time", "string", "When to remind.", clock_time(), "time", "at", "remind_at"),
            enum("repeat", "How often to repeat",
                 {"none": ("just once", "only once"), "daily": ("every day", "daily"),
                  "weekly": ("every week", "weekly"),
                  "weekdays": ("on weekdays", "every weekday"),
                  "monthly": ("every month", "monthly")},
                 required=False, default="none", present=0.7),
        ],
        "Set the reminder. | Create a reminder.",
        """
        Remind me to {message} at {time}[ {repeat}].
        Set a reminder at {time} to {message}[, repeating {repeat}].
        reminder: {message} @ {time}[ ({repeat})]
        Please don't let me forget to {message}. Ping me at {time}[ {repeat}].
        At {time}[ {repeat}], remind me: {message}.
        """,
        """
        I want a nudge at {time}[ {repeat}] so I remember to {message}.
        Create an alert for {time} saying "{message}"[, {repeat}].
        """,
    ),
    fam(
        "list_public_holidays get_holidays public_holidays",
        "Public holidays of a country in a year. | Lists national holidays.",
        [
            req("country", "string", "Country name.", text(COUNTRIES), "country", "country_name"),
            req("year", "integer", "The year.", integer(2020, 2030, plain=True)),
        ],
        "List the public holidays. | Look up the national holidays.",
        """
        What are the public holidays in {country} in {year}?
        List the bank holidays for {country}, {year}.
        holidays {country} {year}
        I'm planning vacation days for {year}. Which days are national holidays in {country}?
        Show me {country}'s official holidays for {year}.
        """,
        """
        Which dates are days off nationwide in {country} during {year}?
        For {year}, give me every public holiday {country} observes.
        """,
    ),
    # -- sports
    fam(
        "get_match_result game_score get_last_game",
        "Result of a team's match. | Final score of a game, by default the latest.",
        [
            req("team", "string", "Team name.", text(TEAMS), "team", "team_name", "club"),
            opt("date", "string", "Day of the match; the latest game if omitted.", spoken_date(),
                present=0.8),
        ],
        "Look up the match result. | Get the final score.",
        """
        Did {team} win[ on {date}]?
        What was the score of the {team} game[ on {date}]?
        {team} result[ {date}]
        How did {team} do in their last match?
        Get me the final score for {team}[ from {date}].
        """,
        """
        Tell me how the {team} match went[ on {date}].
        Result of {team}'s game[ played {date}], please.
        """,
    ),
    fam(
        "get_player_stats player_statistics athlete_stats",
        "Season statistics of a player. | Returns a player's numbers for a season.",
        [
            req("player", "string", "Player's full name.", text(ATHLETES),
                "player", "player_name", "name"),
            req("season", "integer", "Season year.", integer(2010, 2025, plain=True),
                "season", "year", "season_year"),
            enum("stat", "One statistic to return; all if omitted",
                 {"points": ("points",), "assists": ("assists",), "rebounds": ("rebounds",),
                  "goals": ("goals",), "minutes": ("minutes played",)},
                 required=False, present=0.7),
        ],
        "Get the player's statistics. | Look up the season numbers.",
        """
        What were {player}'s[ {stat}] stats in the {season} season?
        Get {player}'s statistics for {season}[, just {stat}].
        {player} {season}[ {stat}]
        How did {player} perform in {season}?[ Focus on {stat}.]
        Show the {season} numbers for {player}[ ({stat})].
        """,
        """
        Pull up {player}'s season {season} record[ for {stat}].
        I'm curious about {player} in {season}[ — {stat} especially].
        """,
    ),
    fam(
        "get_league_standings league_table standings",
        "Standings table of a league. | Current or past league table.",
        [
            enum("league", "The league",
                 {"premier_league": ("Premier League", "EPL"), "la_liga": ("La Liga",),
                  "bundesliga": ("Bundesliga",), "serie_a": ("Serie A",), "nba": ("NBA",),
                  "nfl": ("NFL",), "mlb": ("MLB",)}, "league", "competition"),
            opt("season", "integer", "Season year; the current one if omitted.",
                integer(2000, 2025, plain=True), present=0.7),
            opt("top_n", "integer", "Only the first N teams.", integer(3, 10),
                "top_n", "limit", present=0.6),
        ],
        "Get the league table. | Look up the standings.",
        """
        Show the {league} standings[ for {season}].
        What does the {league} table look like[ in {season}]?
        {league} table[ {season}][ top {top_n}]
        Who's leading the {league}?[ Show the top {top_n}.]
        Give me the[ top {top_n} teams in the] {league} standings[ for the {season} season].
        """,
        """
        Rank the {league} clubs[ from {season}][, first {top_n} only].
        Current order of teams in the {league}[ (season {season})]?
        """,
    ),
    # -- music, movies, books
    fam(
        "find_song search_song get_song_info",
        "Find a song and its details. | Looks up a track, optionally with lyrics.",
        [
            req("title", "string", "Song title.", text(SONGS), "title", "song", "song_title"),
            opt("artist", "string", "Performing artist.", text(ARTISTS), present=0.8),
            opt("include_lyrics", "boolean", "Return the lyrics too.",
                flag(("with the lyrics", "including lyrics"), ("without lyrics",)),
                "include_lyrics", "lyrics", "with_lyrics", default=False, present=0.7),
        ],
        "Find the song. | Look up the track.",
        """
        Find the song {title}[ by {artist}][ {include_lyrics}].
        Look up "{title}"[ by {artist}].
        song {title}[ - {artist}][, {include_lyrics}]
        Can you get me {title}[ from {artist}][, {include_lyrics}]?
        I want info on the track {title}[, {include_lyrics}].
        """,
        """
        Search for the tune {title}[ performed by {artist}][ {include_lyrics}].
        Details on {title}[ ({artist})], please[, {include_lyrics}].
        """,
    ),
    fam(
        "get_movie_details movie_info find_movie",
        "Details about a film: director, year, plot. | Looks up a movie.",
        [
            req("title", "string", "Film title.", text(MOVIES), "title", "movie", "film_title"),
            opt("year", "integer", "Release year, to tell remakes apart.",
                integer(1920, 2025, plain=True), present=0.7),
            opt("include_cast", "boolean", "Add the cast list.",
                flag(("with the cast", "including the cast list"), ("without the cast",)),
                "include_cast", "cast", "with_cast", default=False, present=0.7),
        ],
        "Look up the film. | Get the movie details.",
        """
        Tell me about the movie {title}[ ({year})][ {include_cast}].
        Get details for {title}[ from {year}].
        movie: {title}[ {year}][, {include_cast}]
        Who directed {title}[, the {year} film]?
        I want information on the film {title}[ released in {year}][, {include_cast}].
        """,
        """
        Fetch the record for {title}[ of {year}][ {include_cast}].
        What do you know about {title}[ (the {year} one)]?
        """,
    ),
    fam(
        "find_books_by_author search_books author_bibliography",
        "Books written by an author. | An author's bibliography.",
        [
            req("author", "string", "Author's name.", text(AUTHORS),
                "author", "author_name", "writer"),
            opt("limit", "integer", "Maximum number of books.", integer(1, 20),
                "limit", "max_results", "count", present=0.7),
            enum("sort_by", "Order of the list",
                 {"year": ("by year", "oldest first", "chronologically"),
                  "title": ("alphabetically", "by title"),
                  "rating": ("by rating", "best rated first")}, required=False, present=0.7),
        ],
        "List the author's books. | Find books by the author.",
        """
        List books by {author}[, sorted {sort_by}].
        What has {author} written?[ Show {limit}.]
        books {author}[ {sort_by}][ limit {limit}]
        Find[ {limit}] novels by {author}[ {sort_by}].
        I just discovered {author}. Which of their books should I read?
        """,
        """
        Bibliography of {author}[, ordered {sort_by}][, at most {limit} titles].
        Give me[ {limit}] titles written by {author}.
        """,
    ),
    fam(
        "find_concerts concert_search upcoming_concerts",
        "Upcoming concerts of an artist in a city. | Searches live shows.",
        [
            req("artist", "string", "Artist or band.", text(ARTISTS),
                "artist", "performer", "band"),
            req("city", "string", "City.", text(CITIES), "city", "location", "near"),
            opt("within_days", "integer", "Only shows in the next N days.", integer(7, 180),
                "within_days", "days_ahead", "horizon_days", present=0.6),
        ],
        "Search for concerts. | Find upcoming shows.",
        """
        Is {artist} playing in {city}[ in the next {within_days} days]?
        Find concerts by {artist} near {city}.
        {artist} concerts {city}[ next {within_days} days]
        When does {artist} perform in {city}?
        Search for {artist} shows in {city}[ within {within_days} days].
        """,
        """
        Any upcoming gigs by {artist} around {city}[ during the coming {within_days} days]?
        I want tickets: {artist}, {city}.
        """,
    ),
    fam(
        "create_playlist make_playlist new_playlist",
        "Create a playlist from songs. | Makes a new playlist.",
        [
            req("name", "string", "Playlist name.", text(PLAYLISTS),
                "name", "title", "playlist_name"),
            req("songs", "array:string", "Song titles to add.", text_list(SONGS, (2, 5)),
                "songs", "tracks", "song_titles"),
            opt("public", "boolean", "Whether others can see it.",
                flag(("public",), ("private",), p_yes=0.5), "public", "is_public", "shared",
                default=False, present=0.7),
        ],
        "Create the playlist. | Make a new playlist.",
        """
        Create a playlist called {name} with {songs}[ and make it {public}].
        Make a[ {public}] playlist named "{name}" containing {songs}.
        playlist {name}: {songs}[ ({public})]
        New playlist {name}, songs: {songs}[, {public}]
        Put {songs} into a new playlist titled {name}.
        """,
        """
        Start a playlist, name it {name}, and add {songs}[; keep it {public}].
        Bundle {songs} into a[ {public}] list called {name}.
        """,
    ),
    # -- shopping
    fam(
        "search_products find_products product_search",
        "Search the shop's catalogue. | Finds products by keywords, price and order.",
        [
            req("query", "string", "What to look for.", text(PRODUCTS),
                "query", "keywords", "search_term"),
            opt("max_price", "number", "Highest price.", decimal(10, 2000, 2, whole=0.8),
                "max_price", "price_limit", "budget", present=0.8),
            enum("sort_by", "Order of results",
                 {"price_asc": ("cheapest first", "lowest price first"),
                  "price_desc": ("most expensive first",),
                  "rating": ("best rated first", "by rating"), "newest": ("newest first",)},
                 required=False, present=0.7),
        ],
        "Search the products. | Find matching items in the shop.",
        """
        Search for {query}[ under {max_price} dollars][, {sort_by}].
        Find me {query}[ for less than ${max_price}].
        {query}[ max {max_price}][ {sort_by}]
        I'm shopping for {query}.[ My budget is {max_price}.][ Show {sort_by}.]
        Which {query} can I buy[ below {max_price}]?[ Sort {sort_by}.]
        """,
        """
        Browse {query} options[ capped at {max_price}][, listed {sort_by}].
        Look for {query} in the store[, nothing above {max_price}].
        """,
    ),
    fam(
        "add_to_cart cart_add",
        "Add a product to the shopping cart. | Puts an item in the basket.",
        [
            req("product_id", "string", "Product SKU.", code("SKU-", 5),
                "product_id", "sku", "item_id"),
            req("quantity", "integer", "How many.", integer(1, 12), "quantity", "qty", "count"),
        ],
        "Add the item to the cart. | Put it in the basket.",
        """
        Add {quantity} of {product_id} to my cart.
        Put item {product_id} in the basket, quantity {quantity}.
        cart: {product_id} × {quantity}
        I'd like {quantity} units of product {product_id}.
        Please add {product_id} to the cart ({quantity} pieces).
        """,
        """
        Order {quantity} pieces of {product_id} — add them to my basket.
        Stick {quantity} x {product_id} in the shopping cart.
        """,
    ),
    fam(
        "track_order get_order_status order_status",
        "Status and delivery estimate of an order. | Tracks a shop order.",
        [
            req("order_id", "string", "Order number.", code("ORD-", 6),
                "order_id", "order_number", "id"),
            opt("include_items", "boolean", "List the items too.",
                flag(("with the item list", "including the items"), ("status only",)),
                "include_items", "items", "with_items", default=False, present=0.5),
        ],
        "Track the order. | Check the order status.",
        """
        Where is my order {order_id}?
        Track order {order_id}[ {include_items}].
        status {order_id}
        Has order number {order_id} shipped yet?
        Check the delivery status of {order_id}[, {include_items}].
        """,
        """
        Any update on purchase {order_id}[ {include_items}]?
        I'm waiting on {order_id}; what's its status?
        """,
    ),
    # -- recipes and food
    fam(
        "find_recipe search_recipes recipe_finder",
        "Find recipes by ingredients. | Recipe search with cuisine and time filters.",
        [
            req("ingredients", "array:string", "Ingredients to use.", text_list(INGREDIENTS),
                "ingredients", "items", "ingredient_list"),
            opt("cuisine", "string", "Cuisine style.", text(CUISINES), present=0.8),
            opt("mins", "integer", "Maximum cooking time in minutes.", integer(10, 120),
                "max_time", "max_minutes", "time_limit", present=0.7),
            opt("veg", "boolean", "Only vegetarian recipes.",
                flag(("vegetarian", "meat-free")), "vegetarian", "veggie_only", "meatless",
                default=False, present=0.6),
        ],
        "Find a recipe. | Search for something to cook.",
        """
        Find a[ {veg}][ {cuisine}] recipe with {ingredients}[ that takes under {mins} minutes].
        What can I cook with {ingredients}?
        recipe: {ingredients}[, {cuisine}][, max {mins} min]
        I have {ingredients} at home. Suggest a[ {cuisine}] dish[ I can make in {mins} minutes].
        Search recipes using {ingredients}[; it must be {veg}].
        """,
        """
        Dinner idea[ ({cuisine})] built around {ingredients}[, ready within {mins} minutes]?
        Give me[ {veg}] recipes that use {ingredients}.
        """,
    ),
    fam(
        "get_nutrition_info nutrition_facts calorie_lookup",
        "Nutrition facts for a food. | Calories and macronutrients of a portion.",
        [
            req("food", "string", "The food.", text(FOODS), "food", "item", "food_name"),
            opt("amount_grams", "integer", "Portion size in grams.", integer(10, 500),
                "amount_grams", "grams", "portion_g", default=100, present=0.8),
        ],
        "Look up the nutrition facts. | Get the calories.",
        """
        How many calories are in[ {amount_grams} g of] {food}?
        Nutrition facts for {food}[, {amount_grams} grams].
        {food}[ {amount_grams}g] nutrition
        What's the protein and fat content of {food}?
        I ate[ {amount_grams} grams of] {food}. What nutrients did I get?
        """,
        """
        Break down the macros of[ {amount_grams} g of] {food}.
        Is {food} healthy? Show its nutrition[ per {amount_grams} grams].
        """,
    ),
    fam(
        "scale_recipe adjust_servings",
        "Rescale a recipe to a different number of servings. | Adjusts ingredient amounts.",
        [
            req("recipe", "string", "Recipe name.", text(DISHES), "recipe", "dish", "recipe_name"),
            req("serves", "integer", "Servings the recipe is written for.",
                integer(1, 12), "original_servings", "servings_from", "serves"),
            req("wanted", "integer", "Servings wanted.", integer(1, 40),
                "new_servings", "servings_to", "target_servings"),
        ],
        "Scale the recipe. | Adjust the servings.",
        """
        Scale my {recipe} recipe from {serves} to {wanted} servings.
        The {recipe} recipe serves {serves}; adjust it for {wanted} people.
        {recipe}: {serves} -> {wanted} servings
        I'm hosting {wanted} guests and my {recipe} recipe feeds {serves}. Rescale it.
        Convert the quantities of {recipe} for {wanted} portions instead of {serves}.
        """,
        """
        Resize the {recipe} recipe — currently {serves} servings, need {wanted}.
        How much of everything for {recipe} going from {serves} portions to {wanted}?
        """,
        check=_differ("serves", "wanted"),
    ),
    # -- health
    fam(
        "calculate_bmi bmi body_mass_index",
        "Body mass index from weight and height. | Computes BMI.",
        [
            req("weight_kg", "number", "Weight in kilograms.", decimal(35, 180, 1),
                "weight_kg", "weight", "mass_kg"),
            req("height_cm", "number", "Height in centimetres.", decimal(140, 210, 1, whole=0.8),
                "height_cm", "height", "height_in_cm"),
        ],
        "Calculate the BMI. | Work out the body mass index.",
        """
        What's the BMI of someone who weighs {weight_kg} kg and is {height_cm} cm tall?
        Calculate my BMI: {weight_kg} kg, {height_cm} cm.
        bmi {weight_kg}kg {height_cm}cm
        I am {height_cm} centimeters tall and weigh {weight_kg} kilograms. Is my BMI healthy?
        Body mass index for height {height_cm} cm and weight {weight_kg} kg?
        """,
        """
        Work out the BMI for a person of {height_cm} cm weighing {weight_kg} kg.
        Weight {weight_kg} kg, height {height_cm} cm — BMI?
        """,
    ),
    fam(
        "calories_burned estimate_calories exercise_calories",
        "Estimate calories burned by an activity. | Energy used during exercise.",
        [
            req("activity", "string", "The activity.", text(ACTIVITIES),
                "activity", "exercise", "sport"),
            req("minutes", "integer", "Duration in minutes.", integer(5, 180),
                "duration_minutes", "minutes", "duration"),
            opt("weight_kg", "number", "Body weight in kilograms.", decimal(40, 150, 1),
                "weight_kg", "weight", "body_weight", present=0.7),
        ],
        "Estimate the calories burned. | Work out the energy used.",
        """
        How many calories do I burn {activity} for {minutes} minutes[ at {weight_kg} kg]?
        Estimate calories burned: {activity}, {minutes} min[, body weight {weight_kg} kg].
        {activity} {minutes} minutes calories
        I did {minutes} minutes of {activity} today.[ I weigh {weight_kg} kg.] Energy used?
        Calories for {minutes} minutes of {activity}[ for a {weight_kg} kg person]?
        """,
        """
        What's the calorie cost of {activity} for {minutes} minutes[ if I'm {weight_kg} kg]?
        Energy spent {activity}, {minutes} minutes[, weight {weight_kg} kg]?
        """,
    ),
    fam(
        "find_doctor search_doctors doctor_finder",
        "Find doctors by specialty in a city. | Searches medical practitioners.",
        [
            req("specialty", "string", "Medical specialty.", text(SPECIALTIES),
                "specialty", "speciality", "field"),
            req("city", "string", "City.", text(CITIES), "city", "location"),
            opt("accepting_new_patients", "boolean", "Only doctors taking new patients.",
                flag(("accepting new patients", "taking new patients")),
                "accepting_new_patients", "new_patients", "open_list", default=False, present=0.6),
        ],
        "Find a doctor. | Search for a specialist.",
        """
        Find a {specialty} in {city}[ who is {accepting_new_patients}].
        I need a {specialty} near {city}.
        {specialty} {city}[ {accepting_new_patients}]
        Are there any {specialty}s in {city}[ {accepting_new_patients}]?
        Can you recommend a {specialty} in {city}?
        """,
        """
        Look for a {specialty} practicing in {city}[ that is {accepting_new_patients}].
        Which {specialty} could I see in {city}?
        """,
    ),
    # -- geography
    fam(
        "get_capital capital_city country_capital",
        "Capital city of a country. | Returns a country's capital.",
        [req("country", "string", "Country name.", text(COUNTRIES),
             "country", "country_name", "nation")],
        "Find the capital. | Look up the capital city.",
        """
        What is the capital of {country}?
        Capital city of {country}?
        {country} capital
        Tell me which city is the capital of {country}.
        I always forget: what's {country}'s capital?
        """,
        """
        Name the seat of government of {country}.
        Which city serves as {country}'s capital?
        """,
    ),
    fam(
        "get_population population_lookup",
        "Population of a city or country. | Number of inhabitants, optionally for a year.",
        [
            req("place", "string", "City or country.", text(CITIES + COUNTRIES),
                "place", "location", "region"),
            opt("year", "integer", "Year of the figure; the latest if omitted.",
                integer(1950, 2025, plain=True), present=0.7),
        ],
        "Look up the population. | Find how many people live there.",
        """
        What is the population of {place}[ in {year}]?
        How many people live in {place}?
        population {place}[ {year}]
        Get the[ {year}] population figure for {place}.
        I'm writing about {place}. How many inhabitants did it have[ in {year}]?
        """,
        """
        Headcount of residents in {place}[ as of {year}]?
        Look up how populous {place} is[ ({year} data)].
        """,
    ),
    fam(
        "get_coordinates geocode locate_place",
        "Latitude and longitude of a place. | Geocodes a place name.",
        [req("place", "string", "Place or landmark.", text(LANDMARKS),
             "place", "address", "query")],
        "Geocode the place. | Get its coordinates.",
        """
        What are the coordinates of {place}?
        Geocode {place}.
        lat/long {place}
        Where exactly is {place}? Give me latitude and longitude.
        Find the GPS position of {place}.
        """,
        """
        I need the map coordinates for {place}.
        Pinpoint {place} on the globe.
        """,
    ),
    # -- text processing
    fam(
        "translate_text translate translator",
        "Translate text into another language. | Machine translation.",
        [
            req("text", "string", "Text to translate.", text(SENTENCES),
                "text", "sentence", "source_text"),
            req("target_language", "string", "Language to translate into.", text(LANGUAGES),
                "target_language", "to_language", "target"),
            opt("source_language", "string", "Language of the text; detected if omitted.",
                text(LANGUAGES), "source_language", "from_language", "source", present=0.7),
        ],
        "Translate the text. | Put it into the other language.",
        """
        Translate "{text}" into {target_language}[ from {source_language}].
        How do you say "{text}" in {target_language}?
        {target_language}: {text}
        Please translate this[ {source_language}] sentence to {target_language}: {text}
        Can you put "{text}" into {target_language}?
        """,
        """
        Render the phrase '{text}' in {target_language}[ (it's in {source_language})].
        What's the {target_language} version of: {text}
        """,
        check=_differ("source_language", "target_language"),
    ),
    fam(
        "count_words word_count",
        "Count the words in a text. | Number of words.",
        [req("text", "string", "The text.", text(SENTENCES + EMAIL_BODIES),
             "text", "content", "input")],
        "Count the words. | Get the word count.",
        """
        How many words are in "{text}"?
        Count the words in this sentence: {text}
        word count: {text}
        Please tell me the number of words in the following text. {text}
        Count words -> {text}
        """,
        """
        Number of words, please, for: "{text}"
        What's the length in words of '{text}'?
        """,
    ),
    fam(
        "is_palindrome check_palindrome",
        "Check whether text reads the same backwards. | Palindrome test.",
        [
            req("text", "string", "Word or phrase to test.", text(PALINDROMES),
                "text", "word", "phrase"),
            opt("ignore_case", "boolean", "Ignore upper and lower case.",
                flag(("ignoring case", "case-insensitive"), ("case-sensitive", "respecting case"),
                     p_yes=0.5), "ignore_case", "case_insensitive", "fold_case",
                default=True, present=0.6),
        ],
        "Check for a palindrome. | Test whether it reads the same backwards.",
        """
        Is "{text}" a palindrome[, {ignore_case}]?
        Check whether {text} reads the same backwards[ ({ignore_case})].
        palindrome? {text}
        Does '{text}' read the same forwards and backwards?[ Compare {ignore_case}.]
        Test if the phrase "{text}" is a palindrome[, {ignore_case}].
        """,
        """
        Would "{text}" count as a palindrome[ when checked {ignore_case}]?
        Reverse '{text}' and tell me if it matches the original[, {ignore_case}].
        """,
    ),
    fam(
        "get_synonyms find_synonyms thesaurus",
        "Synonyms of a word. | Thesaurus lookup.",
        [
            req("word", "string", "The word.", text(WORDS), "word", "term", "query"),
            opt("max_results", "integer", "How many synonyms.", integer(1, 15),
                "max_results", "limit", "count", present=0.7),
        ],
        "Find synonyms. | Look the word up in a thesaurus.",
        """
        What are some synonyms for {word}?
        Give me[ {max_results}] synonyms of "{word}".
        synonyms {word}[ {max_results}]
        I keep using the word {word}. Suggest[ {max_results}] alternatives.
        Find other words that mean {word}.
        """,
        """
        List[ {max_results}] words with a similar meaning to {word}.
        Thesaurus lookup for '{word}'[, top {max_results}].
        """,
    ),
    # -- records and databases
    fam(
        "get_customer_record lookup_customer fetch_customer",
        "Customer record from the CRM. | Looks up a customer by id.",
        [
            req("customer_id", "integer", "Customer id.", integer(1000, 99999, plain=True),
                "customer_id", "id", "customer_number"),
            opt("include_orders", "boolean", "Add the order history.",
                flag(("with their orders", "including order history"), ("without orders",)),
                "include_orders", "orders", "with_orders", default=False, present=0.7),
        ],
        "Look up the customer. | Fetch the customer record.",
        """
        Look up customer {customer_id}[ {include_orders}].
        Get the record for customer #{customer_id}.
        customer {customer_id}[, {include_orders}]
        Pull customer ID {customer_id} from the CRM[ {include_orders}].
        I need the details of client {customer_id}[, {include_orders}].
        """,
        """
        Retrieve account {customer_id}[ {include_orders}].
        Show everything we have on customer {customer_id}.
        """,
    ),
    fam(
        "search_employees find_employees employee_directory",
        "Search the employee directory. | Lists staff by department.",
        [
            req("department", "string", "Department name.", text(DEPARTMENTS),
                "department", "dept", "team"),
            opt("hired_after", "string", "Only people hired after this date (YYYY-MM-DD).",
                iso_date(2010, 2025), present=0.6),
            opt("limit", "integer", "Maximum number of results.", integer(1, 50),
                "limit", "max_results", "top", present=0.6),
        ],
        "Search the employee directory. | List the department's staff.",
        """
        List employees in {department}[ hired after {hired_after}].
        Who works in the {department} department?
        employees dept={department}[ since {hired_after}][ limit {limit}]
        Find[ {limit}] people from {department}[ who joined after {hired_after}].
        Show me the {department} team[, only those hired after {hired_after}].
        """,
        """
        Which staff belong to {department}[, started after {hired_after}]?
        Give me[ up to {limit}] {department} employees.
        """,
    ),
    fam(
        "set_stock_level update_inventory adjust_stock",
        "Set the stock count of an item. | Updates inventory.",
        [
            req("item", "string", "Item name.", text(STOCK_ITEMS), "item", "product", "item_name"),
            req("quantity", "integer", "New stock count.", integer(0, 5000),
                "quantity", "count", "level"),
            opt("warehouse", "string", "Warehouse; the main one if omitted.", text(WAREHOUSES),
                "warehouse", "location", "site", present=0.7),
        ],
        "Update the stock level. | Record the inventory count.",
        """
        Set the stock of {item} to {quantity}[ in {warehouse}].
        We now have {quantity} {item}[ at {warehouse}]. Update the inventory.
        inventory: {item} = {quantity}[ ({warehouse})]
        Update {item} stock level to {quantity} units[ for {warehouse}].
        [At {warehouse}, ]record {quantity} {item} on hand.
        """,
        """
        Change the inventory count for {item} to {quantity}[ at {warehouse}].
        Counted {quantity} {item}[ in {warehouse}] — save that.
        """,
    ),
    # -- messaging
    fam(
        "send_email email_send compose_email",
        "Send an email. | Sends a message to an address, optionally with copies.",
        [
            req("to", "string", "Recipient address.", text(EMAILS),
                "to", "recipient", "to_address"),
            req("subject", "string", "Subject line.", text(EMAIL_SUBJECTS),
                "subject", "title", "subject_line"),
            req("body", "string", "Message text.", text(EMAIL_BODIES),
                "body", "message", "content"),
            opt("cc", "array:string", "Addresses to copy.", text_list(EMAILS, (1, 2)),
                "cc", "copy_to", "cc_addresses", present=0.6),
        ],
        "Send the email. | Write the message.",
        """
        Email {to} with the subject "{subject}" saying: {body}
        Send an email to {to}[, cc {cc}]. Subject: {subject}. Body: {body}
        mail {to} | {subject} | {body}
        Write to {to}[ (copy {cc})] about "{subject}": {body}
        Please send {to} a message titled '{subject}' that says "{body}"[ and cc {cc}].
        """,
        """
        Compose a note to {to}, subject '{subject}', text: {body}[ — also cc {cc}]
        Shoot {to} an email[ (cc: {cc})]; subject {subject}; message: {body}
        """,
        check=lambda values: values.get("to") not in values.get("cc", ()),
    ),
    fam(
        "send_text_message send_sms text_message",
        "Send an SMS. | Texts a phone number.",
        [
            req("phone_number", "string", "Number with country code.", text(PHONES),
                "phone_number", "to", "number"),
            req("message", "string", "Text of the message.", text(SMS_TEXTS),
                "message", "text", "body"),
        ],
        "Send the text message. | Text the number.",
        """
        Text {phone_number}: {message}
        Send an SMS to {phone_number} saying "{message}".
        sms {phone_number} "{message}"
        Please message {phone_number} with the text: {message}
        Can you send "{message}" to {phone_number}?
        """,
        """
        Drop a text to {phone_number} that reads: {message}
        Message for {phone_number} — "{message}"
        """,
    ),
    fam(
        "post_message post_to_channel chat_post",
        "Post a message in a team chat channel. | Writes to a channel.",
        [
            req("channel", "string", "Channel name, e.g. #general.", text(CHANNELS),
                "channel", "channel_name", "room"),
            req("text", "string", "Message text.", text(CHANNEL_TEXTS),
                "text", "message", "content"),
            opt("pin", "boolean", "Pin the message.", flag(("and pin it", "and pin the message")),
                "pin", "pinned", "pin_message", default=False, present=0.6),
        ],
        "Post the message. | Share it in the channel.",
        """
        Post "{text}" in {channel}[ {pin}].
        Send to {channel}: {text}
        {channel} <- {text}
        Let everyone in {channel} know: {text}
        Please share this in {channel}[ {pin}]: {text}
        """,
        """
        Announce in {channel} the following: {text}
        Write '{text}' to the {channel} channel[ {pin}].
        """,
    ),
    # -- files
    fam(
        "compress_files create_archive zip_files",
        "Compress files into an archive. | Creates a zip or tar archive.",
        [
            req("files", "array:string", "Paths of the files.", text_list(FILE_PATHS),
                "files", "paths", "file_list"),
            req("archive_name", "string", "Name of the archive.", text(ARCHIVE_NAMES),
                "archive_name", "output", "name"),
            enum("format", "Archive format", {"zip": ("zip",), "tar.gz": ("tar.gz", "tarball"),
                                              "7z": ("7z",)},
                 required=False, default="zip", present=0.7),
        ],
        "Compress the files. | Make an archive.",
        """
        Compress {files} into {archive_name}[ as {format}].
        Create a[ {format}] archive called {archive_name} with {files}.
        archive {archive_name}: {files}[ ({format})]
        Pack up {files} and name the archive {archive_name}.
        Bundle {files} into one archive named {archive_name}[, format {format}].
        """,
        """
        Put {files} together as {archive_name}[ using {format}].
        Make an archive {archive_name}[ ({format})] out of {files}.
        """,
    ),
    fam(
        "search_files find_files glob_files",
        "Find files matching a pattern. | Searches a folder by file name pattern.",
        [
            req("pattern", "string", "Glob pattern such as *.pdf.", text(PATTERNS),
                "pattern", "glob", "name_pattern"),
            req("directory", "string", "Folder to search.", text(DIRECTORIES),
                "directory", "path", "folder"),
            opt("recursive", "boolean", "Search subfolders too.",
                flag(("including subfolders", "recursively"), ("top level only",)),
                "recursive", "include_subfolders", "deep", default=True, present=0.7),
        ],
        "Find the files. | Search the folder.",
        """
        Find all files matching {pattern} in {directory}[, {recursive}].
        Search {directory} for {pattern}[ {recursive}].
        find {pattern} in {directory}
        Which {pattern} files are in {directory}?
        Look in {directory}[ {recursive}] for anything named {pattern}.
        """,
        """
        List what matches {pattern} under {directory}[ ({recursive})].
        Locate {pattern} inside the folder {directory}.
        """,
    ),
    fam(
        "rename_file move_file",
        "Rename or move a file. | Moves a file to a new path.",
        [
            req("source", "string", "Current path.", text(FILE_PATHS), "source", "old_path", "src"),
            req("destination", "string", "New path.", text(NEW_PATHS),
                "destination", "new_path", "dst"),
        ],
        "Rename the file. | Move the file.",
        """
        Rename {source} to {destination}.
        Move {source} to {destination}.
        mv {source} {destination}
        Please change the name of {source} to {destination}.
        Can you rename the file {source}? Call it {destination}.
        """,
        """
        Relocate {source} so it becomes {destination}.
        {source} should be called {destination} from now on.
        """,
    ),
    # -- smart home
    fam(
        "set_thermostat set_temperature adjust_thermostat",
        "Set the thermostat. | Changes the target temperature, optionally per room.",
        [
            req("temperature", "number", "Target temperature in degrees.",
                decimal(15, 28, 1, whole=0.6), "temperature", "target", "degrees"),
            opt("room", "string", "Room; the whole home if omitted.", text(ROOMS),
                "room", "zone", "area", present=0.7),
            enum("mode", "Operating mode",
                 {"heat": ("heating", "heat"), "cool": ("cooling", "cool"), "auto": ("auto",)},
                 required=False, present=0.7),
        ],
        "Set the thermostat. | Adjust the temperature.",
        """
        Set the thermostat to {temperature} degrees[ in the {room}].
        Make it {temperature}°[ in the {room}][ on {mode}].
        thermostat {temperature}[ {room}][ {mode}]
        It's too cold[ in the {room}]. Turn it up to {temperature}.
        [Switch to {mode} and ]set the[ {room}] temperature to {temperature}.
        """,
        """
        Heat or cool[ the {room}] to {temperature} degrees[ using {mode} mode].
        I'd like {temperature}°[ in the {room}], please.
        """,
    ),
    fam(
        "control_lights set_lights toggle_lights",
        "Turn the lights of a room on or off. | Controls lights and brightness.",
        [
            req("room", "string", "Room name.", text(ROOMS), "room", "location", "area"),
            req("on", "boolean", "True to switch on, false to switch off.",
                flag(("on",), ("off",), p_yes=0.5), "on", "power", "state"),
            opt("brightness", "integer", "Brightness in percent.", integer(1, 100),
                "brightness", "level", "dim_level", present=0.7),
        ],
        "Switch the lights. | Control the lights.",
        """
        Turn {on} the lights in the {room}[ at {brightness}% brightness].
        Switch the {room} lights {on}.
        lights {room} {on}[ {brightness}%]
        Can you turn {on} the {room} lamp?
        Please put the {room} lights {on}[ and set them to {brightness} percent].
        """,
        """
        I want the {room} lights {on}[, dimmed to {brightness}%].
        {room}: lights {on}, please.
        """,
        check=lambda values: "brightness" not in values or values.get("on") is True,
    ),
    fam(
        "lock_door set_door_lock door_lock",
        "Lock or unlock a smart door lock. | Controls a door lock.",
        [
            req("door", "string", "Which door.", text(DOORS), "door", "door_name", "door_id"),
            req("locked", "boolean", "True to lock, false to unlock.",
                flag(("lock",), ("unlock",), p_yes=0.6), "locked", "lock", "engage"),
        ],
        "Lock or unlock the door. | Set the door lock.",
        """
        Go ahead and {locked} the {door}.
        Please {locked} the {door}.
        {door}: {locked}
        Can you {locked} the {door} for me?
        I forgot to {locked} the {door}, do it now.
        """,
        """
        Make sure you {locked} the {door}.
        Time to {locked} the {door}.
        """,
    ),
    fam(
        "play_music play_on_speaker start_music",
        "Play music on a smart speaker. | Starts playback of an artist, song or genre.",
        [
            req("query", "string", "Artist, song or genre.", text(MUSIC_QUERIES),
                "query", "music", "search"),
            opt("room", "string", "Speaker's room; the current one if omitted.", text(ROOMS),
                "room", "speaker", "device", present=0.7),
            opt("volume", "integer", "Volume 0 to 100.", integer(1, 100),
                "volume", "level", "loudness", present=0.6),
        ],
        "Play the music. | Start playback.",
        """
        Play {query}[ in the {room}][ at volume {volume}].
        Put on some {query}[ in the {room}].
        music: {query}[ / {room}][ / vol {volume}]
        I'm in the mood for {query}.[ Play it in the {room}.]
        Start playing {query}[ on the {room} speaker][, volume {volume}].
        """,
        """
        Could the[ {room}] speaker play {query}[ at {volume} percent]?
        Queue up {query}[ — room: {room}].
        """,
    ),
    # -- games
    fam(
        "roll_dice dice_roller",
        "Roll dice. | Random dice rolls.",
        [
            req("count", "integer", "Number of dice.", integer(1, 10), "count", "num_dice", "dice"),
            opt("sides", "integer", "Sides per die.", choose((4, 6, 8, 10, 12, 20)),
                "sides", "faces", "sides_per_die", default=6, present=0.8),
        ],
        "Roll the dice. | Throw the dice.",
        """
        Roll {count}[ {sides}-sided] dice.
        Throw {count} dice[ with {sides} sides each].
        Roll me {count} dice for the board game.
        I need {count} random dice rolls[ using {sides}-sided dice].
        Give me a roll of {count}[ {sides}-sided] dice.
        """,
        """
        Toss {count} dice[, each having {sides} faces].
        Simulate rolling {count}[ {sides}-sided] dice.
        """,
    ),
    fam(
        "get_game_info video_game_lookup game_details",
        "Information about a video game. | Release date, genre and ratings of a game.",
        [
            req("title", "string", "Game title.", text(GAMES), "title", "game", "name"),
            enum("platform", "Platform",
                 {"pc": ("PC", "Windows"), "playstation": ("PlayStation", "PS5"), "xbox": ("Xbox",),
                  "switch": ("Nintendo Switch", "Switch"), "mobile": ("mobile", "phone")},
                 required=False, present=0.7),
        ],
        "Look up the game. | Get the game's details.",
        """
        Tell me about the game {title}[ on {platform}].
        Look up {title}[ for {platform}].
        game: {title}[ ({platform})]
        Is {title} any good?[ I play on {platform}.]
        What's the release date of {title}[ on {platform}]?
        """,
        """
        Info on the video game {title}[, {platform} version].
        I'm thinking of buying {title}[ for {platform}]; details?
        """,
    ),
    fam(
        "draw_cards deal_cards",
        "Draw cards from a shuffled deck. | Deals a random hand.",
        [
            req("count", "integer", "Number of cards.", integer(1, 13), "count", "num_cards", "n"),
            opt("include_jokers", "boolean", "Shuffle the jokers in.",
                flag(("with jokers", "including the jokers"), ("without jokers", "no jokers")),
                "include_jokers", "jokers", "with_jokers", default=False, present=0.7),
        ],
        "Draw the cards. | Deal a hand.",
        """
        Draw {count} cards from a shuffled deck[ {include_jokers}].
        Deal me {count} cards[, {include_jokers}].
        draw {count}[ {include_jokers}]
        I need a random hand of {count} cards[ {include_jokers}].
        Pick {count} cards at random.
        """,
        """
        Give me {count} playing cards off the top[ {include_jokers}].
        Shuffle and hand out {count} cards[ ({include_jokers})].
        """,
    ),
    # -- biology
    fam(
        "reverse_complement dna_reverse_complement",
        "Reverse complement of a DNA sequence. | The opposite strand, read 5' to 3'.",
        [req("sequence", "string", "DNA sequence of A, C, G, T.", dna(8, 30),
             "sequence", "dna", "seq")],
        "Compute the reverse complement. | Get the opposite strand.",
        """
        What is the reverse complement of {sequence}?
        Reverse-complement this DNA: {sequence}
        revcomp {sequence}
        Give me the complementary strand of {sequence}, read 5' to 3'.
        I have the sequence {sequence}. Find its reverse complement.
        """,
        """
        Flip and complement the strand {sequence}.
        Opposite strand for {sequence}?
        """,
    ),
    fam(
        "gc_content calculate_gc_content",
        "GC content of a DNA sequence in percent. | Share of G and C bases.",
        [req("sequence", "string", "DNA sequence.", dna(10, 40), "sequence", "dna", "seq")],
        "Compute the GC content. | Measure the GC share.",
        """
        What's the GC content of {sequence}?
        Calculate the percentage of G and C in {sequence}.
        gc% {sequence}
        How GC-rich is the sequence {sequence}?
        Please compute GC content for: {sequence}
        """,
        """
        Fraction of guanine plus cytosine in {sequence}?
        Measure the GC ratio of {sequence}.
        """,
    ),
    fam(
        "get_species_info species_lookup animal_facts",
        "Facts about an animal species. | Diet, size, status and optionally habitat.",
        [
            req("species", "string", "Common name of the species.", text(SPECIES),
                "species", "name", "animal"),
            opt("include_habitat", "boolean", "Describe where it lives.",
                flag(("with habitat details", "including where it lives"),
                     ("without habitat info",)),
                "include_habitat", "habitat", "with_habitat", default=False, present=0.7),
        ],
        "Look up the species. | Get facts about the animal.",
        """
        Tell me about the {species}[ {include_habitat}].
        Look up the species {species}[, {include_habitat}].
        {species} facts[ {include_habitat}]
        What does a {species} eat?
        I saw a documentary on the {species}. Give me some information[ {include_habitat}].
        """,
        """
        Profile of the {species}[ {include_habitat}], please.
        What should I know about the {species}?
        """,
    ),
    fam(
        "population_growth project_population",
        "Project a population with a constant yearly growth rate. | Exponential growth forecast.",
        [
            req("pop", "integer", "Starting population.", integer(10, 1000000),
                "initial_population", "start_population", "n0"),
            req("rate", "number", "Growth per year in percent; negative for decline.",
                decimal(-5, 15, 2), "growth_rate", "rate", "annual_growth_rate"),
            req("years", "integer", "Years ahead.", integer(1, 100), "years", "time", "t"),
        ],
        "Project the population. | Forecast the population size.",
        """
        A population of {pop} grows at {rate}% per year. How big after {years} years?
        Project the population: start {pop}, rate {rate} percent, {years} years.
        growth: N0={pop}, r={rate}%, t={years}
        If a town of {pop} changes by {rate}% a year, what will it be in {years} years?
        Estimate the size of a herd of {pop} after {years} years at {rate}% growth.
        """,
        """
        Starting from {pop} individuals with {rate}% yearly growth, forecast {years} years.
        After {years} years at {rate} percent per year, what does {pop} become?
        """,
    ),
    # -- astronomy
    fam(
        "planet_distance distance_between_planets",
        "Current distance between two planets. | How far apart two planets are today.",
        [
            req("planet_a", "string", "First planet.", text(PLANETS, shared=True),
                "planet_a", "from_planet", "body1"),
            req("planet_b", "string", "Second planet.", text(PLANETS, shared=True),
                "planet_b", "to_planet", "body2"),
            enum("unit", "Distance unit",
                 {"km": ("km", "kilometers"), "au": ("AU", "astronomical units"),
                  "light_minutes": ("light minutes",)}, required=False, default="km", present=0.7),
        ],
        "Find the distance between the planets. | Measure how far apart they are.",
        """
        How far is {planet_a} from {planet_b}[ in {unit}]?
        Distance between {planet_a} and {planet_b}[, in {unit}].
        {planet_a} to {planet_b}[ ({unit})]
        What's the current distance from {planet_a} to {planet_b}[ in {unit}]?
        Calculate how far apart {planet_a} and {planet_b} are right now[, expressed in {unit}].
        """,
        """
        Separation of {planet_a} and {planet_b} today[ in {unit}]?
        Tell me the gap between {planet_a} and {planet_b}[ measured in {unit}].
        """,
        check=_differ("planet_a", "planet_b"),
    ),
    fam(
        "get_star_info star_lookup",
        "Catalogue data of a star: type, distance, brightness. | Looks up a star.",
        [req("star", "string", "Star name.", text(STARS), "star", "star_name", "name")],
        "Look up the star. | Get the star's data.",
        """
        Tell me about the star {star}.
        What kind of star is {star}?
        star {star}
        How far away is {star} and how bright is it?
        Look up {star} in the star catalogue.
        """,
        """
        Give me the catalog entry for {star}.
        I spotted {star} last night; what is it?
        """,
    ),
    fam(
        "moon_phase get_moon_phase lunar_phase",
        "Phase of the moon on a date. | Moon illumination for a day.",
        [
            req("date", "string", "Date as YYYY-MM-DD.", iso_date(), "date", "day"),
            opt("location", "string", "Where it is seen from.", text(CITIES),
                "location", "city", "place", present=0.5),
        ],
        "Check the moon phase. | Find the lunar phase.",
        """
        What is the moon phase on {date}[ in {location}]?
        Will there be a full moon on {date}?
        moon {date}[ {location}]
        Check the lunar phase for {date}[ as seen from {location}].
        I'm planning a night hike on {date}[ near {location}]. How much moon will there be?
        """,
        """
        Describe the moon on {date}[ over {location}].
        Phase of the Moon for {date}, please[ ({location})].
        """,
    ),
    # -- law and civics
    fam(
        "get_representatives find_representatives elected_officials",
        "Elected representatives for a postal code. | Who represents an area.",
        [
            req("postal_code", "string", "ZIP or postal code.", text(POSTCODES),
                "postal_code", "zip_code", "zip"),
            enum("level", "Level of government", {"federal": ("federal", "national"),
                                                  "state": ("state",), "local": ("local", "city")},
                 required=False, present=0.7),
        ],
        "Find the representatives. | Look up the elected officials.",
        """
        Who are my[ {level}] representatives for ZIP code {postal_code}?
        Find the elected officials for {postal_code}[ at the {level} level].
        reps {postal_code}[ {level}]
        I live in {postal_code}. Who represents me[ at the {level} level]?
        List[ {level}] representatives for the area {postal_code}.
        """,
        """
        Which[ {level}] politicians represent postal code {postal_code}?
        Look up who I can contact in government for {postal_code}[ ({level})].
        """,
    ),
    fam(
        "lookup_legal_case find_court_case case_search",
        "Find a court case and its outcome. | Case law lookup.",
        [
            req("case_name", "string", "Name of the case.", text(CASES),
                "case_name", "case", "title"),
            opt("year", "integer", "Year of the decision.", integer(1950, 2024, plain=True),
                present=0.6),
        ],
        "Look up the court case. | Find the ruling.",
        """
        Find the court case {case_name}[ from {year}].
        Summarize {case_name}[ ({year})].
        case: {case_name}[, {year}]
        What was decided in {case_name}?
        Look up the ruling in {case_name}[ decided in {year}].
        """,
        """
        Retrieve case law for {case_name}[, year {year}].
        I need details on the lawsuit {case_name}.
        """,
    ),
    fam(
        "statute_of_limitations limitation_period",
        "Time limit for bringing a legal claim. | Statute of limitations by state and case type.",
        [
            req("jurisdiction", "string", "State.", text(US_STATES),
                "jurisdiction", "state", "region"),
            enum("case_type", "Kind of claim",
                 {"contract": ("breach of contract", "contract"),
                  "personal_injury": ("personal injury",), "fraud": ("fraud",),
                  "property_damage": ("property damage",),
                  "medical_malpractice": ("medical malpractice",)},
                 "case_type", "claim_type", "matter"),
        ],
        "Check the statute of limitations. | Find the filing deadline.",
        """
        What is the statute of limitations for {case_type} in {jurisdiction}?
        How long do I have to file a {case_type} claim in {jurisdiction}?
        limitation period {jurisdiction} {case_type}
        In {jurisdiction}, when does a {case_type} case expire?
        Check the deadline for suing over {case_type} in {jurisdiction}.
        """,
        """
        Time limit on {case_type} lawsuits under {jurisdiction} law?
        {jurisdiction}: how many years to bring a {case_type} action?
        """,
    ),
    # -- education
    fam(
        "find_courses search_courses course_finder",
        "Find online courses on a subject. | Course search by level and price.",
        [
            req("subject", "string", "Subject.", text(SUBJECTS), "subject", "topic", "query"),
            enum("level", "Course level", {"beginner": ("beginner", "introductory"),
                                           "intermediate": ("intermediate",),
                                           "advanced": ("advanced",)},
                 required=False, present=0.8),
            opt("free_only", "boolean", "Only free courses.", flag(("free", "free of charge")),
                "free_only", "free", "no_cost", default=False, present=0.6),
        ],
        "Find courses. | Search for classes.",
        """
        Find[ {level}] courses on {subject}.
        I want to learn {subject}[ at the {level} level].
        courses {subject}[ {level}][ {free_only}]
        Are there any[ {free_only}][ {level}] online classes for {subject}?
        Recommend a[ {level}] {subject} course[ that is {free_only}].
        """,
        """
        Which[ {level}] {subject} programmes can I enrol in[, {free_only} ones only]?
        Search for classes about {subject}[ ({level})].
        """,
    ),
    fam(
        "define_word get_definition dictionary_lookup",
        "Dictionary definition of a word. | Looks up what a word means.",
        [
            req("word", "string", "The word.", text(WORDS), "word", "term", "entry"),
            opt("language", "string", "Language of the definition.", text(LANGUAGES),
                "language", "lang", "in_language", present=0.5),
        ],
        "Define the word. | Look up its meaning.",
        """
        What does {word} mean?
        Define "{word}"[ in {language}].
        definition: {word}
        Look up {word} in the dictionary[ and explain it in {language}].
        I came across the word {word}. What's its meaning?
        """,
        """
        Give me the meaning of '{word}'[, written in {language}].
        Explain the term {word}.
        """,
    ),
    fam(
        "generate_quiz make_quiz quiz_questions",
        "Generate quiz questions on a topic. | Makes a practice quiz.",
        [
            req("topic", "string", "Quiz topic.", text(SUBJECTS), "topic", "subject", "theme"),
            req("num_questions", "integer", "How many questions.", integer(3, 25),
                "num_questions", "count", "questions"),
            enum("difficulty", "Difficulty", {"easy": ("easy",), "medium": ("medium",),
                                              "hard": ("hard", "difficult")},
                 required=False, default="medium", present=0.8),
        ],
        "Generate the quiz. | Make practice questions.",
        """
        Make a {num_questions}-question quiz on {topic}[, {difficulty} level].
        Generate {num_questions}[ {difficulty}] questions about {topic}.
        quiz {topic} {num_questions}[ {difficulty}]
        I have an exam in {topic}. Quiz me with {num_questions} questions[; make them {difficulty}].
        Create a[ {difficulty}] {topic} test with {num_questions} questions.
        """,
        """
        Prepare {num_questions} practice questions on {topic}[ (difficulty: {difficulty})].
        Test my knowledge of {topic}: {num_questions} questions[, {difficulty}].
        """,
    ),
    # -- utilities
    fam(
        "generate_password create_password random_password",
        "Generate a random password. | Creates a strong password.",
        [
            req("length", "integer", "Number of characters.", integer(8, 64),
                "length", "num_characters", "size"),
            opt("symbols", "boolean", "Use special characters.",
                flag(("with symbols", "including special characters"),
                     ("without symbols", "no special characters")),
                "include_symbols", "symbols", "use_symbols", default=True, present=0.8),
            opt("digits", "boolean", "Use digits.",
                flag(("with numbers", "including digits"), ("without numbers", "no digits")),
                "include_numbers", "numbers", "use_digits", default=True, present=0.6),
        ],
        "Generate the password. | Create a new password.",
        """
        Generate a {length}-character password[ {symbols}][ {digits}].
        Create a random password of length {length}[, {symbols}].
        password {length}[ {digits}][ {symbols}]
        I need a new password, {length} characters long[, {symbols}][ and {digits}].
        Make me a secure password with {length} characters.
        """,
        """
        Come up with a {length}-long random password[ ({symbols})].
        Password please: {length} characters[, {digits}].
        """,
    ),
    fam(
        "shorten_url url_shortener",
        "Create a short link for a URL. | Shortens a long address.",
        [
            req("url", "string", "The long URL.", text(URLS), "url", "long_url", "link"),
            opt("alias", "string", "Custom ending of the short link.", text(ALIASES),
                "alias", "custom_alias", "slug", present=0.6),
        ],
        "Shorten the URL. | Make a short link.",
        """
        Shorten this link: {url}[ with the alias {alias}]
        Make a short URL for {url}[ using "{alias}" as the slug].
        shorten {url}[ as {alias}]
        The link {url} is too long. Can you shorten it?
        Create a short link to {url}[, custom name {alias}].
        """,
        """
        Give me a compact link for {url}[ ending in {alias}].
        Squash {url} into a short URL[ (alias: {alias})].
        """,
    ),
    fam(
        "random_number generate_random_integer random_int",
        "Random integer in a range. | Picks a whole number between two bounds.",
        [
            req("minimum", "integer", "Lowest possible value.", integer(-1000, 100),
                "minimum", "min", "low"),
            req("maximum", "integer", "Highest possible value.", integer(1, 100000),
                "maximum", "max", "high"),
        ],
        "Pick a random number. | Generate a random integer.",
        """
        Give me a random number between {minimum} and {maximum}.
        Pick a random integer from {minimum} to {maximum}.
        random number, range {minimum} to {maximum}
        I need a number between {minimum} and {maximum} chosen at random.
        Generate a random value in the range {minimum}–{maximum}.
        """,
        """
        Draw any whole number from {minimum} up to {maximum}.
        Random pick, lower bound {minimum}, upper bound {maximum}.
        """,
        check=_less("minimum", "maximum"),
    ),
)


# ---------------------------------------------------------------------------- family cases

_SLOT = re.compile(r"\{(\w+)\}")
_SEGMENT = re.compile(r"\[([^\[\]]*)\]")
_DEFAULT_STYLES = (
    "{text}. Default is {value}.", "{text} (default: {value}).", "{text}; defaults to {value}.",
    "{text}. Optional, default {value}.",
)
_WRAPS = {
    "train": (
        ("Quick question: ", ""), ("", " Thanks!"), ("Hi! ", ""), ("", " Thank you."),
        ("For a project I'm doing: ", ""), ("Hello! ", ""), ("", " Thanks in advance."),
    ),
    "eval": (("Hello there. ", ""), ("", " Much appreciated."), ("Just wondering: ", "")),
}


def _keys(template: str) -> list[str]:
    return _SLOT.findall(template)


def fixed_keys(template: str) -> list[str]:
    """The slots outside optional segments: always said when the template is used."""
    return _keys(_SEGMENT.sub("", template))


def family_problems(family: Family) -> list[str]:
    """What is wrong with a family's declaration (checked by the tests)."""
    problems = []
    params = {p.key: p for p in family.params}
    required = {p.key for p in family.params if p.required}
    for template in family.train + family.eval:
        for key in _keys(template):
            if key not in params:
                problems.append(f"{family.names[0]}: unknown slot {{{key}}} in {template!r}")
        missing = required - set(fixed_keys(template))
        if missing:
            problems.append(f"{family.names[0]}: {template!r} does not always say {missing}")
    if len(family.train) < 4 or not family.eval:
        problems.append(f"{family.names[0]}: needs at least 4 train and 1 eval template")
    return problems


def _describe(param: Param, rng: random.Random) -> str:
    text_ = param.description
    if param.default is not None:
        if isinstance(param.default, str):
            value = rng.choice((f"'{param.default}'", param.default, f'"{param.default}"'))
        else:
            value = json.dumps(param.default)
        return rng.choice(_DEFAULT_STYLES).format(text=text_.rstrip("."), value=value)
    if not param.required and rng.random() < 0.3:
        return f"{text_.rstrip('.')} (optional)."
    return text_


def family_tool(family: Family, rng: random.Random) -> tuple[Tool, dict[str, str]]:
    """One variant of the family's function, and each parameter key's name in it.

    A variant picks a name, a description, one naming style for the parameters and which
    optional parameters exist at all, so the same family is listed in several shapes.
    """
    style = rng.randrange(3)
    properties: dict[str, Any] = {}
    required: list[str] = []
    names: dict[str, str] = {}
    for param in family.params:
        if not param.required and rng.random() >= param.present:
            continue
        name = param.names[style % len(param.names)]
        spec: dict[str, Any] = {"type": param.type, "description": _describe(param, rng)}
        if param.items:
            spec["items"] = {"type": param.items}
        if param.enum:
            spec["enum"] = list(param.enum)
        if param.default is not None:
            spec["default"] = param.default
        properties[name] = spec
        names[param.key] = name
        if param.required:
            required.append(name)
    parameters = {
        "type": "object", "properties": properties, "required": required,
        "additionalProperties": False,
    }
    tool = Tool(
        name=rng.choice(family.names), description=rng.choice(family.descriptions),
        parameters=parameters, function=_never_called,
    )
    return tool, names


def _fill(said: str, shown: dict[str, str]) -> str:
    """The template with its slots filled; the template's "a" becomes "an" before a vowel."""
    parts: list[str] = []
    end = 0
    for match in _SLOT.finditer(said):
        before = said[end:match.start()]
        value = shown[match.group(1)]
        if value[:1].lower() in ("a", "e", "i", "o", "u") and re.search(r"(^|\s)[aA] $", before):
            before = before[:-2] + before[-2] + "n "
        parts += [before, value]
        end = match.end()
    return "".join(parts) + said[end:]


def _wrap(request: str, rng: random.Random, split: str) -> str:
    """Now and then some politeness around the request, which the caller must look past."""
    if rng.random() >= 0.2:
        return request
    before, after = rng.choice(_WRAPS[split])
    if after and request[-1:] not in ".?!\"')]":
        request += "."
    return before + request + after


def _family_case(family: Family, rng: random.Random, split: str) -> CallerCase:
    tool, names = family_tool(family, rng)
    usable = [t for t in family.templates(split) if set(fixed_keys(t)) <= names.keys()]
    template = rng.choice(usable)
    chosen = set(fixed_keys(template))
    for key in dict.fromkeys(_keys(template)):
        if key in names and key not in chosen and rng.random() < MENTION:
            chosen.add(key)
    said = _SEGMENT.sub(lambda m: m.group(1) if set(_keys(m.group(1))) <= chosen else "", template)
    mentioned = [p for p in family.params if p.key in set(_keys(said))]
    for _ in range(50):
        drawn = {p.key: p.sample(rng, split) for p in mentioned}
        values = {key: value for key, (value, _) in drawn.items()}
        if family.check is None or family.check(values):
            break
    else:
        raise RuntimeError(f"{family.names[0]}: no valid values after 50 tries")
    if template.startswith("[") and said[:1].islower():  # the opening segment was left out
        said = said[0].upper() + said[1:]
    request = _fill(said, {key: shown for key, (_, shown) in drawn.items()})
    return CallerCase(
        tool=tool,
        plan=rng.choice(family.plans),
        request=_wrap(request, rng, split),
        arguments={names[p.key]: values[p.key] for p in mentioned},
    )


# ---------------------------------------------------------------------------- product tools

_FILMS = (
    ("Jaws", 1975), ("Alien", 1979), ("Spirited Away", 2001), ("Casablanca", 1942),
    ("The Matrix", 1999), ("Parasite", 2019), ("Amélie", 2001), ("Seven Samurai", 1954),
    ("Arrival", 2016), ("Vertigo", 1958), ("Metropolis", 1927), ("Coco", 2017),
    ("Whiplash", 2014), ("Inception", 2010), ("The Godfather", 1972), ("Paddington 2", 2017),
    ("Roma", 2018), ("In the Mood for Love", 2000), ("Moonlight", 2016), ("Get Out", 2017),
)
_TABLES: tuple[tuple[tuple[str, ...], tuple[tuple[str, ...], ...]], ...] = (
    (("City", "Country", "Population (millions)"),
     (("Tokyo", "Japan", "37.4"), ("Delhi", "India", "32.9"), ("Shanghai", "China", "29.2"),
      ("São Paulo", "Brazil", "22.6"), ("Cairo", "Egypt", "22.2"), ("Lagos", "Nigeria", "15.9"))),
    (("Planet", "Diameter (km)", "Moons"),
     (("Mercury", "4,879", "0"), ("Venus", "12,104", "0"), ("Earth", "12,742", "1"),
      ("Mars", "6,779", "2"), ("Jupiter", "139,820", "95"), ("Neptune", "49,244", "16"))),
    (("Item", "Price", "Qty"),
     (("Notebook", "3.50", "4"), ("Pens (10)", "5.99", "2"), ("Stapler", "12.00", "1"),
      ("Folder", "1.20", "10"), ("Tape", "2.75", "3"))),
    (("Name", "Role", "Start date"),
     (("Anna Berg", "Designer", "2023-02-01"), ("Kofi Mensah", "Engineer", "2022-09-15"),
      ("Lena Vogel", "Manager", "2021-04-12"), ("Omar Haddad", "Analyst", "2024-01-08"))),
    (("Director", "Film", "Year"),
     (("Hayao Miyazaki", "Spirited Away", "2001"), ("Bong Joon-ho", "Parasite", "2019"),
      ("Agnès Varda", "Cléo from 5 to 7", "1962"), ("Akira Kurosawa", "Ikiru", "1952"),
      ("Greta Gerwig", "Lady Bird", "2017"))),
)
_NOTES = _pool(
    "The meeting is moved to Thursday at 10.|Remember to send the invoice before the 5th."
    "|Water boils at 100 °C at sea level.|Ada Lovelace wrote the first published algorithm."
    "|The cheapest flight leaves at 06:40 and costs 89 EUR.|Bring the charger and the HDMI cable."
    "|Mount Everest is 8,849 m high.|Our budget for Q3 is 12,000 USD."
    "|The train to Lyon takes about two hours.|Jaws was directed by Steven Spielberg in 1975."
    "|Call the landlord about the heating.|The library closes early on Saturdays."
)
_TODO = _pool(
    "buy milk and eggs|call the dentist|renew the passport|water the plants|book the hotel"
    "|pay the electricity bill|return the library books|fix the bike light|email Anna"
    "|pick up the parcel|clean the fridge|order printer ink"
)
_CONTACTS = (
    ("Name", "Anna Berg"), ("Phone", "+44 20 7946 0958"), ("Email", "anna.berg@example.com"),
    ("Address", "12 Harbour Street, Leith"), ("Wi-Fi", "GuestNet / sunflower42"),
    ("Check-in", "15:00"), ("Booking ref", "HX72Q9"), ("Notes", "ring twice"),
)


def _some(rng: random.Random, pool: Sequence[Any], split: str, most: int) -> list[Any]:
    """Two to ``most`` distinct items of the split's share of ``pool``."""
    items = list(held_out(pool, split))
    return rng.sample(items, min(rng.randint(2, most), len(items)))


def _film_list(rng: random.Random, split: str) -> str:
    films = _some(rng, _FILMS, split, 4)
    line = rng.choice(("- {t} ({y})", "{i}. {t} — {y}", "{t}, {y}", "* {t} [{y}]"))
    header = rng.choice(("", "", "# Films\n\n", "Films to watch:\n"))
    return header + "\n".join(line.format(i=i, t=t, y=y) for i, (t, y) in enumerate(films, 1))


def _markdown_table(rng: random.Random, split: str) -> str:
    header, rows = rng.choice(_TABLES)
    chosen = sorted(rng.sample(range(len(rows)), rng.randint(2, min(4, len(rows)))))
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(rows[i]) + " |" for i in chosen]
    return "\n".join(lines)


def _csv(rng: random.Random, split: str) -> str:
    header, rows = rng.choice(_TABLES)
    chosen = sorted(rng.sample(range(len(rows)), rng.randint(2, len(rows))))
    cells = [header] + [rows[i] for i in chosen]
    return "\n".join(",".join(f'"{c}"' if "," in c else c for c in row) for row in cells)


def _todo(rng: random.Random, split: str) -> str:
    items = _some(rng, _TODO, split, 5)
    bullet = rng.choice(("- ", "- [ ] ", "* ", ""))
    if rng.random() < 0.3:
        return "\n".join(f"{i}. {item}" for i, item in enumerate(items, 1))
    return "\n".join(bullet + item for item in items)


def _note(rng: random.Random, split: str) -> str:
    return " ".join(_some(rng, _NOTES, split, 3)[: rng.randint(1, 3)])


def _details(rng: random.Random, split: str) -> str:
    fields = rng.sample(_CONTACTS, rng.randint(2, 4))
    return "\n".join(f"{key}: {value}" for key, value in fields)


_SAVE_KINDS: tuple[tuple[Callable[[random.Random, str], str], tuple[str, ...], str], ...] = (
    (_film_list, _pool(
        "films.md|lists/films.md|watchlist.md|notes/movies.txt|cinema/favourites.md"
        "|films/classics.md|movie_night.md|lists/to_watch.txt|films/2024.md|reviews/shortlist.md"
    ), "Save the list of films. | Write the film list to a file."),
    (_markdown_table, _pool(
        "tables/cities.md|report.md|data/summary.md|notes/comparison.md|planets.md|overview.md"
        "|tables/prices.md|results/table.md|research/data.md|team.md"
    ), "Save the table as markdown. | Write the table into a file."),
    (_csv, _pool(
        "data/scores.csv|out/prices.csv|budget.csv|export/results.csv|temps.csv|data/cities.csv"
        "|sales/q1.csv|inventory.csv|logs/runs.csv|survey/answers.csv"
    ), "Save the data as CSV. | Export the rows to a CSV file."),
    (_todo, _pool(
        "notes/todo.txt|shopping.txt|todo.md|lists/groceries.md|errands.txt|weekend.md"
        "|tasks/today.md|packing_list.txt|lists/chores.txt|notes/reminders.md"
    ), "Save the to-do list. | Write the list to a file."),
    (_note, _pool(
        "notes/idea.txt|summary.txt|answer.md|journal/today.md|reply.txt|quote.txt"
        "|notes/meeting.md|drafts/intro.txt|notes/facts.txt|thoughts.md"
    ), "Save the summary to a file. | Write the answer down."),
    (_details, _pool(
        "contacts/anna.txt|trip.txt|config/settings.txt|profile.md|contacts/venue.txt"
        "|notes/wifi.txt|hotel.txt|contacts/plumber.txt|booking.md|notes/address.txt"
    ), "Save the details. | Keep the information in a file."),
)
_OVERWRITE_MARKS = (
    " (overwrite)", " (overwrite existing)", " (replace)", " (replace the existing file)",
    " — overwrite",
)


def _save_file(rng: random.Random, split: str) -> tuple[str, str, dict[str, Any]]:
    content_of, paths, plans = rng.choice(_SAVE_KINDS)
    path = rng.choice(held_out(paths, split))
    content = content_of(rng, split)
    overwrite = rng.random() < 0.2
    mark = rng.choice(_OVERWRITE_MARKS) if overwrite else ""
    gap = "\n" if "\n" in content and rng.random() < 0.5 else " "
    arguments: dict[str, Any] = {"path": path, "content": content}
    if overwrite:
        arguments["overwrite"] = True
    return rng.choice(plans.split(" | ")), f"{path}{mark}:{gap}{content}", arguments


_ZONES = _pool(
    "Tokyo|Europe/Berlin|New York|Asia/Kolkata|London|America/Sao_Paulo|Sydney|Africa/Nairobi"
    "|Los Angeles|Europe/Madrid|Paris|America/Chicago|Singapore|Pacific/Auckland|Mexico City"
    "|Asia/Seoul|Cairo|UTC|Dubai|America/Toronto"
)
_TIME_FORMS = {
    "train": ("{tz}", "{tz}", "current time in {tz}", "{tz} time", "What time is it in {tz}?",
              "time now in {tz}", "the local time in {tz}"),
    "eval": ("{tz}", "clock in {tz}", "{tz}, current time"),
}
_LOCAL_TIME = {"train": ("local time", "the current time", "now", "today's date and time"),
               "eval": ("current local time", "time here")}


def _current_time(rng: random.Random, split: str) -> tuple[str, str, dict[str, Any]]:
    if rng.random() < 0.1:
        return "Get the current date and time.", rng.choice(_LOCAL_TIME[split]), {}
    tz = rng.choice(held_out(_ZONES, split))
    plan = rng.choice(("Get the current time there.", f"Find the current time in {tz}."))
    return plan, rng.choice(_TIME_FORMS[split]).format(tz=tz), {"tz": tz}


_WIKI_TOPICS = _pool(
    "Ada Lovelace|boiling point of water|Treaty of Westphalia|photosynthesis"
    "|Great Barrier Reef|Byzantine Empire|Marie Curie|plate tectonics|Rosetta Stone"
    "|history of the bicycle|Fibonacci sequence|Apollo 11|Amazon rainforest|printing press"
    "|Mount Everest|black holes|Silk Road|Frida Kahlo|the Renaissance|CRISPR|Jaws film director"
    "|Hanseatic League|Olympic Games|Nikola Tesla|Mariana Trench"
)
_WEB_QUERIES = _pool(
    "best budget laptops 2025|train strike Paris today|how to repot a monstera"
    "|Python 3.13 release notes|cheap flights Berlin to Lisbon|vegan lasagna recipe"
    "|weather Nairobi this weekend|opening hours British Museum|how to fix a leaking tap"
    "|latest Mars rover news|used bikes for sale Utrecht|symptoms of vitamin D deficiency"
    "|learn Japanese online free|electric car tax credit rules|best hiking trails near Denver"
    "|how long to boil an egg|concert tickets Madrid June|Rust vs Go performance"
    "|how to write a cover letter|museum free entry days Paris"
)
_BILIBILI_QUERIES = _pool(
    "原神 攻略|lofi music|机器学习 入门|三体 解说|guitar tutorial|cooking dumplings"
    "|日语 学习|Minecraft 建筑|高数 微积分|cat videos|深度学习 教程|vlog Tokyo"
    "|钢琴 教学|篮球 集锦"
    "|Python 爬虫|英语 口语|舞蹈 翻跳|历史 纪录片|摄影 技巧|游戏 实况"
)
_SEARCH_FORMS = {
    "train": ("{q}", "{q}", "{q} (top {k})", "{k} results for {q}", "{q}, {k} results",
              "top {k} for {q}", "{q} — give me {k}"),
    "eval": ("{q}", "{q}; limit {k}", "just {k} hits for {q}"),
}


def _search(
    pool: Sequence[str], count: str, most: int, plans: str,
) -> Callable[[random.Random, str], tuple[str, str, dict[str, Any]]]:
    """A search tool's case: the query, and a result count only when the request asks one."""

    def case(rng: random.Random, split: str) -> tuple[str, str, dict[str, Any]]:
        query = rng.choice(held_out(pool, split))
        form = rng.choice(_SEARCH_FORMS[split])
        arguments: dict[str, Any] = {"query": query}
        shown = ""
        if "{k}" in form:
            arguments[count] = rng.randint(1, most)
            shown = say_int(arguments[count], rng)
        return rng.choice(plans.split(" | ")), form.format(q=query, k=shown), arguments

    return case


_SQL = _pool(
    "SELECT title, year FROM films WHERE year < 1980|SELECT COUNT(*) FROM films"
    "|SELECT name FROM directors ORDER BY name|SELECT title FROM films WHERE director_id = 3"
    "|SELECT name, born FROM directors WHERE country = 'Japan'"
    "|SELECT d.name, COUNT(f.id) FROM directors d JOIN films f ON f.director_id = d.id"
    " GROUP BY d.name"
    "|SELECT * FROM orders WHERE total > 500 ORDER BY total DESC LIMIT 10"
    "|SELECT customer_id, SUM(total) FROM orders GROUP BY customer_id"
    "|SELECT name, email FROM customers WHERE country = 'Germany'"
    "|SELECT product, quantity FROM stock WHERE quantity < 20"
    "|SELECT first_name, last_name FROM employees WHERE department = 'Sales'"
    "|SELECT department, AVG(salary) FROM employees GROUP BY department"
    "|SELECT title FROM books WHERE author = 'Octavia E. Butler'"
    "|SELECT COUNT(*) FROM loans WHERE returned_at IS NULL"
    "|SELECT day, visits FROM page_views WHERE day >= '2025-01-01'"
    "|SELECT title, year FROM films ORDER BY year DESC LIMIT 5"
    "|SELECT * FROM invoices WHERE status = 'overdue'"
    "|SELECT city, COUNT(*) FROM customers GROUP BY city ORDER BY 2 DESC"
    "|SELECT name FROM directors WHERE name LIKE 'S%'|SELECT MAX(total) FROM orders"
)
_DATABASES = _pool("sales|inventory|hr|films|analytics|crm|library|finance|warehouse|shop")
_SQL_FORMS = {
    "train": ("on the {db} database: {sql}", "{db} database: {sql}", "{sql} (on {db})",
              "database {db}: {sql}", "in {db}: {sql}"),
    "eval": ("using the {db} connection: {sql}", "against {db} run {sql}"),
}


def _sql_query(rng: random.Random, split: str) -> tuple[str, str, dict[str, Any]]:
    sql = rng.choice(held_out(_SQL, split))
    plan = rng.choice(("Query the database.", "Look the rows up with SQL.", "Run the SQL query."))
    if rng.random() < 0.5:
        return plan, sql, {"sql": sql}
    database = rng.choice(held_out(_DATABASES, split))
    request = rng.choice(_SQL_FORMS[split]).format(db=database, sql=sql)
    return plan, request, {"sql": sql, "database": database}


_PRODUCT_CASES: tuple[
    tuple[str, float, Callable[[random.Random, str], tuple[str, str, dict[str, Any]]]], ...
] = (
    ("save_file", 0.36, _save_file),
    ("sql_query", 0.16, _sql_query),
    ("web_search", 0.16, _search(_WEB_QUERIES, "max_results", 20,
                                 "Search the web. | Look it up online.")),
    ("wikipedia_search", 0.14, _search(_WIKI_TOPICS, "top_k", 10,
                                       "Look it up on Wikipedia. | Search Wikipedia.")),
    ("get_current_time", 0.10, _current_time),
    ("bilibili_search", 0.08, _search(_BILIBILI_QUERIES, "max_results", 20,
                                      "Search Bilibili for videos. | Find videos on Bilibili.")),
)
PRODUCT_TOOLS = tuple(name for name, _, _ in _PRODUCT_CASES)


def _product_tools() -> dict[str, Tool]:
    """The product's tools with their real schemas (imported here: they pull in HTTP code)."""
    from app.tools.builtin import builtin_tools

    return {tool.name: tool for tool in builtin_tools()}


# ---------------------------------------------------------------------------- the cases


def _distractors(
    rng: random.Random, taken: str, product: dict[str, Tool], product_share: float,
) -> tuple[Tool, ...]:
    """Zero to three other functions, so the caller sees the functions block in many shapes."""
    tools: list[Tool] = []
    names = {taken}
    for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
        if rng.random() < product_share:
            tool = product[rng.choice(sorted(product))]
        else:
            tool = family_tool(rng.choice(FAMILIES), rng)[0]
        if tool.name not in names:
            names.add(tool.name)
            tools.append(tool)
    return tuple(tools)


def caller_cases(n: int, seed: int, *, split: str = "train") -> list[CallerCase]:
    """``n`` caller cases drawn across all families and the product tools, same for a seed.

    About a quarter call the product's own tools (save_file most often); the rest come from
    the families. ``split="eval"`` uses held-out templates and values only.
    """
    if split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}, not {split!r}")
    rng = random.Random(seed)
    product = _product_tools()
    weights = [weight for _, weight, _ in _PRODUCT_CASES]
    cases = []
    for _ in range(n):
        if rng.random() < PRODUCT_SHARE:
            name, _, make = rng.choices(_PRODUCT_CASES, weights)[0]
            plan, request, arguments = make(rng, split)
            tool = product[name]
            cases.append(CallerCase(
                tool=tool, plan=plan, request=request, arguments=arguments,
                distractors=_distractors(rng, name, product, 0.6),
            ))
        else:
            case = _family_case(rng.choice(FAMILIES), rng, split)
            cases.append(replace(case, distractors=_distractors(rng, case.tool.name, product, 0.2)))
    return cases
