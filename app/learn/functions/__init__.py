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

from .cases import (
    PRODUCT_TOOLS,
    CallerCase,
    caller_cases,
    family_problems,
    family_tool,
    fixed_keys,
)
from .families import FAMILIES

__all__ = [
    "FAMILIES",
    "PRODUCT_TOOLS",
    "CallerCase",
    "caller_cases",
    "family_problems",
    "family_tool",
    "fixed_keys",
]
