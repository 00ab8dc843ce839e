"""All function families, by domain."""

from __future__ import annotations

from .families_civic import FAMILIES as civic
from .families_culture import FAMILIES as culture
from .families_daily import FAMILIES as daily
from .families_data import FAMILIES as data
from .families_numbers import FAMILIES as numbers
from .families_physical import FAMILIES as physical
from .families_world import FAMILIES as world

FAMILIES = numbers + physical + daily + culture + data + world + civic
