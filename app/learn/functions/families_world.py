"""Function families: smart home, games, biology and astronomy."""

from __future__ import annotations

from .pools import CITIES, DOORS, GAMES, MUSIC_QUERIES, PLANETS, ROOMS, SPECIES, STARS
from .samplers import choose, decimal, dna, flag, integer, iso_date, text
from .spec import Family, _differ, enum, fam, opt, req

FAMILIES: tuple[Family, ...] = (
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
)
