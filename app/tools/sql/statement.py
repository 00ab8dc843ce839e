"""One ``sql_query`` call as an engine (SQLite, MySQL) runs it."""

from __future__ import annotations

from dataclasses import dataclass

from app.tools.registry import ToolContext
from app.tools.sql.results import Limits
from app.tools.sql.urls import DatabaseURL


@dataclass(frozen=True)
class Statement:
    sql: str
    database: str  # the connection's name, for messages
    url: DatabaseURL
    context: ToolContext
    values: dict[str, str]  # the evidence bound to the statement's :E<k> parameters
    limits: Limits
