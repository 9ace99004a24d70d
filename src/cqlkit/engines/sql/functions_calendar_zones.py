"""The wall-clock time that the time:* functions read, in SQL.

:func:`local_time` follows the reference engine's
:func:`~cqlkit.engines.reference.functions_calendar.local_time`: the zone is
``timezone=``, else the zone id in the event's ``timezoneField``, else UTC.
Zone ids in the data are read as :func:`cqlkit.language.timezones.resolve_zone`
reads them: UTC names and fixed offsets become a number of seconds, Java's
short ids (``PST``) become regions, and a region must be in the zone list
of DuckDB's ICU.
NOTE: Python's zone database and ICU differ in a few rare names
(``localtime`` in one, ``SystemV/EST5`` in the other), and Python also reads
non-ASCII digits in offsets; for those values the engines disagree.
"""

from __future__ import annotations

from sqlglot import exp

from cqlkit.engines.sql.columns import Schema
from cqlkit.engines.sql.functions_text_templates import sql_string, template
from cqlkit.engines.sql.typed import call
from cqlkit.language.timeformats import MAX_EPOCH_MS, MIN_EPOCH_MS
from cqlkit.language.timezones import (
    REGION,
    SHORT_IDS,
    SHORT_OFFSETS,
    UTC_NAMES,
    Zone,
    resolve_zone,
)
from cqlkit.plan import nodes

BIGINT = exp.DataType.build("BIGINT")
_MAX_OFFSET_SECONDS = 18 * 3600
_OFFSET_PATTERN = "^(?:UTC|GMT|UT)?([+-])([0-9]{1,2})(?::?([0-9]{2}))?(?::?([0-9]{2}))?$"


def local_time(call_node: nodes.BoundCall, schema: Schema) -> tuple[exp.Expr, exp.Expr]:
    """Return a condition that the field holds an instant in range, and that
    instant's wall-clock TIMESTAMP."""
    number = call("cql_number", schema.field(call_node.text("field")))
    epoch_ms = exp.Floor(this=number)
    in_range = exp.Between(
        this=epoch_ms.copy(),
        low=exp.Literal.number(MIN_EPOCH_MS),
        high=exp.Literal.number(MAX_EPOCH_MS),
    )
    whole_ms = exp.TryCast(this=epoch_ms, to=BIGINT)
    argument = call_node.get("timezone")
    if isinstance(argument, str):
        return in_range, zone_time(whole_ms, resolve_zone(argument))
    zone_field = call_node.text("timezoneField")
    if not schema.has(zone_field):
        return in_range, zone_time(whole_ms, Zone("UTC", offset=0))
    return in_range, _event_zone_time(whole_ms, schema.field(zone_field))


def zone_time(whole_ms: exp.Expr, zone: Zone) -> exp.Expr:
    """Return the wall-clock TIMESTAMP of the instant in a zone known when compiling."""
    if zone.region is None:
        shifted = exp.Add(this=whole_ms.copy(), expression=exp.Literal.number(zone.offset * 1000))
        return call("epoch_ms", shifted)
    instant = call("timezone", exp.Literal.string("UTC"), call("epoch_ms", whole_ms.copy()))
    return call("timezone", exp.Literal.string(zone.region), instant)


def _event_zone_time(whole_ms: exp.Expr, zone_text: exp.Expr) -> exp.Expr:
    offset = _offset_seconds(zone_text)
    region = template(
        f"CASE WHEN :offset IS NULL THEN {_short_id_case()} END", offset=offset, z=zone_text
    )
    known_region = template(
        f"regexp_full_match(:region, {sql_string(REGION.pattern)})"
        " AND :region IN (SELECT name FROM pg_timezone_names())",
        region=region,
    )
    return template(
        """
        CASE
            WHEN :offset IS NOT NULL THEN epoch_ms(:ms + :offset * 1000)
            WHEN :known THEN timezone(
                CASE WHEN :known THEN :region ELSE 'UTC' END,
                timezone('UTC', epoch_ms(:ms)))
            ELSE epoch_ms(:ms)
        END
        """,
        offset=offset,
        known=known_region,
        region=region,
        ms=whole_ms,
    )


def _short_id_case() -> str:
    """Return SQL that maps Java's three-letter zone ids in ``:z`` to their regions."""
    whens = " ".join(
        f"WHEN {sql_string(short)} THEN {sql_string(region)}"
        for short, region in sorted(SHORT_IDS.items())
    )
    return f"CASE :z {whens} ELSE :z END"


def _offset_seconds(zone_text: exp.Expr) -> exp.Expr:
    """Return the fixed offset in seconds that the zone id stands for, or NULL
    when it is not a UTC name or a valid fixed offset."""
    utc_names = ", ".join(sql_string(name) for name in sorted(UTC_NAMES))
    short_offsets = " ".join(
        f"WHEN {sql_string(name)} THEN {seconds}" for name, seconds in sorted(SHORT_OFFSETS.items())
    )
    parts = template(
        f"regexp_extract(:z, {sql_string(_OFFSET_PATTERN)},"
        " ['sign', 'hours', 'minutes', 'seconds'])",
        z=zone_text,
    )
    number = "COALESCE(TRY_CAST(NULLIF(struct_extract(:parts, '{0}'), '') AS INTEGER), 0)"
    hours, minutes, seconds = (number.format(name) for name in ("hours", "minutes", "seconds"))
    total = f"({hours} * 3600 + {minutes} * 60 + {seconds})"
    return template(
        f"""
        CASE
            WHEN :z IN ({utc_names}) THEN 0
            WHEN :z IN ({", ".join(sql_string(name) for name in sorted(SHORT_OFFSETS))})
                THEN CASE :z {short_offsets} END
            WHEN struct_extract(:parts, 'hours') <> '' AND {total} <= {_MAX_OFFSET_SECONDS}
                AND {minutes} <= 59 AND {seconds} <= 59
                THEN CASE WHEN struct_extract(:parts, 'sign') = '-' THEN -{total} ELSE {total} END
        END
        """,
        z=zone_text,
        parts=parts,
    )
