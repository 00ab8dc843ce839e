"""Function families: physics, chemistry, unit conversion and weather."""

from __future__ import annotations

from .pools import (
    CITIES,
    COOKING_UNITS,
    ELEMENTS,
    FORMULAS,
    INGREDIENTS,
    LENGTH_UNITS,
    TEMPERATURE_SCALES,
)
from .samplers import choose, decimal, flag, integer, text
from .spec import Family, _differ, enum, fam, opt, req

FAMILIES: tuple[Family, ...] = (
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
)
