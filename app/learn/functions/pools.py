"""Value pools the samplers draw from (every fifth item is held out for eval)."""

from __future__ import annotations

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
