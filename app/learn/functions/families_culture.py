"""Function families: music, movies and books, shopping, recipes, health."""

from __future__ import annotations

from .pools import (
    ACTIVITIES,
    ARTISTS,
    AUTHORS,
    CITIES,
    CUISINES,
    DISHES,
    FOODS,
    INGREDIENTS,
    MOVIES,
    PLAYLISTS,
    PRODUCTS,
    SONGS,
    SPECIALTIES,
)
from .samplers import code, decimal, flag, integer, text, text_list
from .spec import Family, _differ, enum, fam, opt, req

FAMILIES: tuple[Family, ...] = (
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
)
