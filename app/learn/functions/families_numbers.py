"""Function families: math, geometry, statistics and finance."""

from __future__ import annotations

from .pools import CURRENCIES, LENGTH_UNITS, TICKERS
from .samplers import decimal, flag, integer, iso_date, number_list, spoken, text
from .spec import Family, _differ, enum, fam, opt, req

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
)
