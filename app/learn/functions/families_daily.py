"""Function families: travel and booking, calendar and time, sports."""

from __future__ import annotations

from .pools import (
    AIRPORTS,
    ATHLETES,
    CITIES,
    COUNTRIES,
    EVENT_TITLES,
    FIRST_NAMES,
    REMINDERS,
    TEAMS,
    ZONE_NAMES,
)
from .samplers import choose, clock_time, integer, iso_date, spoken_date, text, text_list
from .spec import Family, _differ, _less, enum, fam, opt, req

FAMILIES: tuple[Family, ...] = (
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
)
