"""Function families: law and civics, education, utilities."""

from __future__ import annotations

from .pools import ALIASES, CASES, LANGUAGES, POSTCODES, SUBJECTS, URLS, US_STATES, WORDS
from .samplers import flag, integer, text
from .spec import Family, _less, enum, fam, opt, req

FAMILIES: tuple[Family, ...] = (
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
