"""Function families: geography, text, records, messaging and files."""

from __future__ import annotations

from .pools import (
    ARCHIVE_NAMES,
    CHANNEL_TEXTS,
    CHANNELS,
    CITIES,
    COUNTRIES,
    DEPARTMENTS,
    DIRECTORIES,
    EMAIL_BODIES,
    EMAIL_SUBJECTS,
    EMAILS,
    FILE_PATHS,
    LANDMARKS,
    LANGUAGES,
    NEW_PATHS,
    PALINDROMES,
    PATTERNS,
    PHONES,
    SENTENCES,
    SMS_TEXTS,
    STOCK_ITEMS,
    WAREHOUSES,
    WORDS,
)
from .samplers import flag, integer, iso_date, text, text_list
from .spec import Family, _differ, enum, fam, opt, req

FAMILIES: tuple[Family, ...] = (
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
)
