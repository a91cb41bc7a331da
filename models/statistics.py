"""Planner statistics on PostgreSQL: refreshed right after bulk writes, not left to autovacuum.

PostgreSQL picks a plan by the statistics ANALYZE gathers. Autovacuum gathers them a minute or
more after a table changed, if it runs at all (it can be switched off). Until then a table that
grew from nothing in one import or one dispatch run looks empty, and a lookup of fifty plans'
playlist items scans all of them (seen in the dispatch benchmark: 8 ms a batch chunk instead of
half a millisecond). So whoever writes many rows at once asks for fresh statistics here, the
way PostgreSQL's manual advises after loading data. SQLite is left alone: its planner's
defaults are what the queries here were written for.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Engine

log = logging.getLogger("leerpad.db")

# as autovacuum's defaults: a table is stale once more rows changed than this many plus this
# share of the rows it had when last analyzed
STALE_ROWS = 50
STALE_SHARE = 0.1

_STATE_SQL = (
    "SELECT c.relname, c.reltuples, coalesce(s.n_mod_since_analyze, 0) "
    "FROM pg_class c LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid "
    "WHERE c.relkind = 'r' AND c.relnamespace = to_regnamespace(current_schema())"
)
_STATE_ALL = text(_STATE_SQL)
_STATE_OF = text(_STATE_SQL + " AND c.relname IN :tables").bindparams(
    bindparam("tables", expanding=True)
)


def is_stale(rows_before: float, changed: int) -> bool:
    """Whether a table whose statistics counted `rows_before` rows (below zero: never analyzed)
    and that has had `changed` rows written since needs fresh statistics."""
    if rows_before < 0:
        return True
    return changed > STALE_ROWS + STALE_SHARE * rows_before


def refresh_statistics(
    engine: Engine, tables: Iterable[str] | None = None, *, written: Mapping[str, int] | None = None
) -> list[str]:
    """ANALYZE those of `tables` (default: every table of the schema) whose statistics are stale
    on PostgreSQL; returns their names.

    Changes are what PostgreSQL counted since the last ANALYZE plus `written`: rows this caller
    just committed, which the server's counters may show only a second later. Call it after the
    commit (ANALYZE sees committed rows). Nothing happens on SQLite.
    """
    if engine.dialect.name != "postgresql":
        return []
    names = None if tables is None else sorted(set(tables))
    if names == []:
        return []
    written = written or {}
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if names is None:
            state = connection.execute(_STATE_ALL).all()
        else:
            state = connection.execute(_STATE_OF, {"tables": names}).all()
        stale = [
            name
            for name, rows_before, changed in state
            if is_stale(float(rows_before), int(changed) + written.get(name, 0))
        ]
        if stale:  # names from the catalog, not from input: safe to put in the statement
            connection.exec_driver_sql("ANALYZE " + ", ".join(f'"{n}"' for n in stale))
            log.info("planner statistics refreshed: %s", ", ".join(stale))
    return stale
