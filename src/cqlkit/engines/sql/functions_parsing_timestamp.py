"""SQL compilation of parseTimestamp().

The epoch formats (``seconds``, ``milliseconds``, ``nanos`` and their
aliases) compile to exact integer arithmetic on the digits. A Java pattern
compiles to the same regex the reference engine uses, which DuckDB runs with
RE2: the regex has no construct on which the two differ. Its groups are then
combined with the reference engine's rules into an epoch in milliseconds.

These forms fall back to the reference engine: a pattern with a zone name
(``z``, ``VV``) or a ``GMT`` offset (``O``, ``ZZZZ``), a pattern without a year
(the year is guessed), and ``timezone=`` set to a region, because ICU resolves
a wall-clock time that a daylight-saving change repeats to the later offset
while Java takes the earlier one.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

from cqlkit.engines.reference.functions_parsing_time import EPOCH_ZONE, timestamp_error
from cqlkit.engines.sql.columns import Schema
from cqlkit.engines.sql.stages_base import CompiledStage, assign_fields
from cqlkit.engines.sql.typed import BIGINT, VARCHAR, call, definitely, is_null, not_null
from cqlkit.errors import UnsupportedFeatureError
from cqlkit.language.javatime import (
    MONTHS,
    WEEKDAYS,
    JavaPattern,
    compile_java_pattern,
    iso_pattern,
)
from cqlkit.language.timezones import Zone, resolve_zone
from cqlkit.plan import nodes
from cqlkit.plan.signatures_parsing import DEFAULT_TIMESTAMP_FORMAT, EPOCH_FORMATS

HUGEINT = exp.DataType.build("HUGEINT")
_MILLION = 1_000_000


def compile_parse_timestamp(
    call_node: nodes.BoundCall, schema: Schema, source: str
) -> CompiledStage:
    """Compile parseTimestamp() to the assignments of its output fields."""
    value = schema.field(call_node.text("field"))
    unit = EPOCH_FORMATS.get(call_node.text("format").lower())
    zone: exp.Expr
    if unit is not None:
        epoch, zone = _epoch_number(value, unit), exp.Literal.string(EPOCH_ZONE)
    else:
        epoch, zone = _Pattern(call_node, value).compile()
    parsed = not_null(epoch.copy())
    updates: dict[str, exp.Expr] = {
        call_node.text("as"): _when(parsed, exp.cast(epoch, VARCHAR)),
        call_node.text("timezoneAs"): _when(parsed.copy(), zone),
    }
    if call_node.get("addErrors") is not False:
        failed = exp.Not(this=parsed.copy())
        updates["@error"] = _when(failed, exp.Literal.string("true"))
        updates["@error_msg"] = exp.Case(
            ifs=[
                exp.If(
                    this=is_null(value.copy()),
                    true=exp.Literal.string(timestamp_error(call_node, missing=True)),
                ),
                exp.If(
                    this=failed.copy(),
                    true=exp.Literal.string(timestamp_error(call_node, missing=False)),
                ),
            ]
        )
    return assign_fields(schema, source, updates)


def _when(condition: exp.Expr, then: exp.Expr, otherwise: exp.Expr | None = None) -> exp.Case:
    return exp.Case(ifs=[exp.If(this=condition, true=then)], default=otherwise)


def _number(value: exp.Expr, kind: exp.DataType = BIGINT) -> exp.Expr:
    return exp.TryCast(this=value, to=kind)


def _literal(number: int) -> exp.Expr:
    return exp.Literal.number(number)


def _epoch_number(value: exp.Expr, unit: str) -> exp.Expr:
    """Return the epoch in milliseconds (HUGEINT) as parse_epoch_number() reads it."""
    fraction = r"(?:\.([0-9]+))?" if unit == "seconds" else ""
    regex = rf"^([+-]?)([0-9]{{1,19}}){fraction}$"
    labels = ["sign", "whole", "fraction"] if unit == "seconds" else ["sign", "whole"]
    parts = exp.RegexpExtract(
        this=value.copy(),
        expression=exp.Literal.string(regex),
        group=exp.Array(expressions=[exp.Literal.string(label) for label in labels]),
    )

    def part(label: str) -> exp.Expr:
        return exp.Bracket(this=parts.copy(), expressions=[exp.Literal.string(label)])

    sign = _when(
        exp.EQ(this=part("sign"), expression=exp.Literal.string("-")), _literal(-1), _literal(1)
    )
    whole = _number(part("whole"), HUGEINT)
    if unit == "seconds":
        digits = call(
            "substr",
            exp.Concat(expressions=[part("fraction"), exp.Literal.string("000")]),
            _literal(1),
            _literal(3),
        )
        whole = exp.Add(
            this=exp.Mul(this=whole, expression=_literal(1000)), expression=_number(digits, HUGEINT)
        )
    signed: exp.Expr = exp.Mul(this=sign, expression=exp.paren(whole))
    if unit == "nanoseconds":
        signed = _floor_div(signed, _MILLION)
    matched = call("regexp_full_match", value.copy(), exp.Literal.string(regex[1:-1]))
    return _when(definitely(matched), signed)


def _floor_div(number: exp.Expr, divisor: int) -> exp.Expr:
    """Return ``number`` divided by ``divisor`` rounded down, as Python's ``//``."""
    quotient = exp.IntDiv(this=number.copy(), expression=_literal(divisor))
    inexact = exp.and_(
        exp.LT(this=number.copy(), expression=_literal(0)),
        exp.NEQ(this=exp.Mod(this=number, expression=_literal(divisor)), expression=_literal(0)),
    )
    return _when(inexact, exp.Sub(this=quotient, expression=_literal(1)), quotient.copy())


class _Pattern:
    """The SQL of one Java pattern over one value."""

    def __init__(self, call_node: nodes.BoundCall, value: exp.Expr) -> None:
        text = call_node.text("format")
        case_sensitive = call_node.get("caseSensitive") is not False
        if text == DEFAULT_TIMESTAMP_FORMAT:
            self.pattern: JavaPattern = iso_pattern(text, case_sensitive)
        else:
            self.pattern = compile_java_pattern(text, case_sensitive)
        self._check_supported()
        zone_name = call_node.get("timezone")
        self.zone: Zone | None = resolve_zone(zone_name) if isinstance(zone_name, str) else None
        if self.zone is not None and self.zone.region is not None:
            raise _unsupported(
                "parseTimestamp(timezone=<region>)", "a time zone with daylight saving"
            )
        flags = "" if case_sensitive else "(?i)"
        self.regex = f"{flags}^(?:{self.pattern.regex})$"
        self.value = value
        labels = [f"g{index}" for index in range(len(self.pattern.fields))]
        self.groups = exp.RegexpExtract(
            this=value.copy(),
            expression=exp.Literal.string(self.regex),
            group=exp.Array(expressions=[exp.Literal.string(label) for label in labels]),
        )

    def _check_supported(self) -> None:
        if not self.pattern.has_year:
            raise _unsupported("parseTimestamp() without a year", "a guessed year")
        if self.pattern.has("zone_name", "gmt_offset"):
            raise _unsupported(
                "parseTimestamp() with a zone name", "a zone given by name or as GMT+hh"
            )

    def group(self, *kinds: str) -> exp.Expr:
        """Return the text of the last present field of ``kinds``, NULL when none is present."""
        present = [
            exp.Nullif(
                this=exp.Bracket(
                    this=self.groups.copy(), expressions=[exp.Literal.string(f"g{index}")]
                ),
                expression=exp.Literal.string(""),
            )
            for index, field in enumerate(self.pattern.fields)
            if field.kind in kinds
        ]
        if not present:
            return exp.cast(exp.null(), VARCHAR)
        latest_first = list(reversed(present))
        return exp.Coalesce(this=latest_first[0], expressions=latest_first[1:])

    def compile(self) -> tuple[exp.Expr, exp.Expr]:
        """Return the epoch in milliseconds (NULL on failure) and the zone id."""
        date, date_ok = self._date()
        seconds, time_ok = self._seconds_of_day()
        offset, label, zone_ok = self._offset()
        days = call(
            "date_diff",
            exp.Literal.string("day"),
            exp.cast(exp.Literal.string("1970-01-01"), "DATE"),
            date,
        )
        total = exp.Sub(
            this=exp.Add(
                this=exp.Mul(this=_number(days), expression=_literal(86_400)), expression=seconds
            ),
            expression=offset,
        )
        nanos = _number(
            exp.Coalesce(
                this=call("rpad", self.group("fraction"), _literal(9), exp.Literal.string("0")),
                expressions=[self.group("nano"), exp.Literal.string("0")],
            )
        )
        epoch = exp.Add(
            this=exp.Mul(this=exp.paren(total), expression=_literal(1000)),
            expression=exp.IntDiv(this=nanos, expression=_literal(_MILLION)),
        )
        matched = call("regexp_matches", self.value.copy(), exp.Literal.string(self.regex))
        valid = exp.and_(*(definitely(part) for part in (matched, date_ok, time_ok, zone_ok)))
        return _when(valid, epoch), label

    def _date(self) -> tuple[exp.Expr, exp.Expr]:
        year = exp.Coalesce(
            this=_number(self.group("year")),
            expressions=[exp.Add(this=_literal(2000), expression=_number(self.group("year2")))],
        )
        month = exp.Coalesce(this=self._month_name(), expressions=[_number(self.group("month"))])
        day = _number(self.group("day"))
        doy = _number(self.group("day_of_year"))
        year_ok = exp.Between(this=year.copy(), low=_literal(1), high=_literal(9999))
        first = call("make_date", year.copy(), month.copy(), _literal(1))
        last_day = call("day", call("last_day", first))
        by_month = call("make_date", year.copy(), month.copy(), call("least", day.copy(), last_day))
        new_year = call("make_date", year.copy(), _literal(1), _literal(1))
        by_doy = exp.Add(
            this=new_year,
            expression=exp.cast(exp.Sub(this=doy.copy(), expression=_literal(1)), "INTEGER"),
        )
        month_ok = exp.and_(
            exp.Between(this=month.copy(), low=_literal(1), high=_literal(12)),
            exp.Between(this=day.copy(), low=_literal(1), high=_literal(31)),
        )
        year_days = call("dayofyear", call("make_date", year.copy(), _literal(12), _literal(31)))
        doy_ok = exp.Between(this=doy.copy(), low=_literal(1), high=year_days)
        has_day = not_null(day.copy())
        safe = exp.and_(
            definitely(year_ok),
            exp.or_(
                definitely(exp.and_(has_day, month_ok)),
                definitely(exp.and_(exp.Not(this=has_day.copy()), doy_ok)),
            ),
        )
        date = _when(safe.copy(), _when(has_day.copy(), by_month, by_doy))
        return date, exp.and_(safe, self._weekday_ok(date))

    def _month_name(self) -> exp.Expr:
        return self._name_number("month_name", MONTHS)

    def _weekday_ok(self, date: exp.Expr) -> exp.Expr:
        if not self.pattern.has("weekday"):
            return exp.true()
        expected = self._name_number("weekday", WEEKDAYS)
        return exp.or_(
            is_null(self.group("weekday")),
            exp.EQ(this=call("isodow", date.copy()), expression=expected),
        )

    def _name_number(self, kind: str, names: Sequence[str]) -> exp.Expr:
        """Return the 1-based position in ``names`` of the name that group ``kind``
        matched, comparing the first three letters without case. NULL when none matches."""
        name = exp.Lower(this=call("substr", self.group(kind), _literal(1), _literal(3)))
        cases = [
            exp.If(
                this=exp.EQ(this=name.copy(), expression=exp.Literal.string(full[:3].lower())),
                true=_literal(index),
            )
            for index, full in enumerate(names, 1)
        ]
        return exp.Case(ifs=cases)

    def _seconds_of_day(self) -> tuple[exp.Expr, exp.Expr]:
        hour, hour_ok = self._hour()
        minute = exp.Coalesce(this=_number(self.group("minute")), expressions=[_literal(0)])
        second = exp.Coalesce(this=_number(self.group("second")), expressions=[_literal(0)])
        ok = exp.and_(
            hour_ok,
            exp.Between(this=minute.copy(), low=_literal(0), high=_literal(59)),
            exp.Between(this=second.copy(), low=_literal(0), high=_literal(59)),
        )
        seconds = exp.Add(
            this=exp.Add(
                this=exp.Mul(this=hour, expression=_literal(3600)),
                expression=exp.Mul(this=minute, expression=_literal(60)),
            ),
            expression=second,
        )
        return seconds, ok

    def _hour(self) -> tuple[exp.Expr, exp.Expr]:
        """Return the hour of the day and its validity, with _hour()'s precedence."""
        hour = _number(self.group("hour"))
        clock = _number(self.group("clock_hour"))
        clock_ampm = _number(self.group("clock_hour_of_ampm"))
        of_ampm = _number(self.group("hour_of_ampm"))
        afternoon = _when(
            exp.EQ(this=exp.Upper(this=self.group("ampm")), expression=exp.Literal.string("PM")),
            _literal(12),
            _literal(0),
        )
        has_ampm = not_null(self.group("ampm"))
        rules = [
            (hour, hour.copy(), exp.Between(this=hour.copy(), low=_literal(0), high=_literal(23))),
            (
                clock,
                exp.Mod(this=clock.copy(), expression=_literal(24)),
                exp.Between(this=clock.copy(), low=_literal(1), high=_literal(24)),
            ),
            (
                clock_ampm,
                exp.Add(
                    this=exp.Mod(this=clock_ampm.copy(), expression=_literal(12)),
                    expression=afternoon.copy(),
                ),
                exp.and_(
                    has_ampm.copy(),
                    exp.Between(this=clock_ampm.copy(), low=_literal(1), high=_literal(12)),
                ),
            ),
            (
                of_ampm,
                exp.Add(this=of_ampm.copy(), expression=afternoon.copy()),
                exp.and_(
                    has_ampm.copy(),
                    exp.Between(this=of_ampm.copy(), low=_literal(0), high=_literal(11)),
                ),
            ),
        ]
        values = [exp.If(this=not_null(source.copy()), true=value) for source, value, _ in rules]
        checks = [exp.If(this=not_null(source.copy()), true=check) for source, _, check in rules]
        return exp.Case(ifs=values, default=_literal(0)), exp.Case(ifs=checks, default=exp.true())

    def _offset(self) -> tuple[exp.Expr, exp.Expr, exp.Expr]:
        """Return the offset in seconds, the zone id and whether the zone is known."""
        text = self.group("offset")
        default = self.zone
        if not self.pattern.has_zone:
            if default is None:
                return _literal(0), exp.null(), exp.false()
            return _literal(default.offset), exp.Literal.string(default.label), exp.true()
        body = call(
            "replace",
            call("substr", text.copy(), _literal(2)),
            exp.Literal.string(":"),
            exp.Literal.string(""),
        )
        pieces = [
            exp.Coalesce(
                this=_number(
                    exp.Nullif(
                        this=call("substr", body.copy(), _literal(start), _literal(2)),
                        expression=exp.Literal.string(""),
                    )
                ),
                expressions=[_literal(0)],
            )
            for start in (1, 3, 5)
        ]
        hours, minutes, seconds = pieces
        magnitude = exp.Add(
            this=exp.Add(
                this=exp.Mul(this=hours.copy(), expression=_literal(3600)),
                expression=exp.Mul(this=minutes.copy(), expression=_literal(60)),
            ),
            expression=seconds.copy(),
        )
        negative = exp.EQ(
            this=call("substr", text.copy(), _literal(1), _literal(1)),
            expression=exp.Literal.string("-"),
        )
        zulu = exp.EQ(this=text.copy(), expression=exp.Literal.string("Z"))
        parsed = _when(
            zulu.copy(),
            _literal(0),
            _when(negative, exp.Neg(this=exp.paren(magnitude)), magnitude.copy()),
        )
        in_range = exp.and_(
            exp.LTE(this=hours, expression=_literal(18)),
            exp.LTE(this=minutes, expression=_literal(59)),
            exp.LTE(this=seconds, expression=_literal(59)),
        )
        present = not_null(text.copy())
        fallback_offset = _literal(default.offset) if default is not None else exp.null()
        offset = _when(present.copy(), parsed, fallback_offset)
        label = _when(
            present.copy(),
            _offset_id(parsed.copy()),
            exp.Literal.string(default.label) if default is not None else exp.null(),
        )
        ok = _when(
            present, exp.or_(zulu, in_range), exp.true() if default is not None else exp.false()
        )
        return offset, label, ok


def _offset_id(offset: exp.Expr) -> exp.Expr:
    """Return offset_id() of an offset in seconds: ``Z``, ``+01:00``, ``-03:30:15``."""
    size = call("abs", offset.copy())
    hours = exp.IntDiv(this=size.copy(), expression=_literal(3600))
    minutes = exp.IntDiv(
        this=exp.Mod(this=size.copy(), expression=_literal(3600)), expression=_literal(60)
    )
    seconds = exp.Mod(this=size, expression=_literal(60))
    sign = _when(
        exp.LT(this=offset.copy(), expression=_literal(0)),
        exp.Literal.string("-"),
        exp.Literal.string("+"),
    )

    def two(number: exp.Expr) -> exp.Expr:
        return call("lpad", exp.cast(number, VARCHAR), _literal(2), exp.Literal.string("0"))

    tail = _when(
        exp.GT(this=seconds.copy(), expression=_literal(0)),
        exp.Concat(expressions=[exp.Literal.string(":"), two(seconds.copy())]),
        exp.Literal.string(""),
    )
    text = exp.Concat(expressions=[sign, two(hours), exp.Literal.string(":"), two(minutes), tail])
    return _when(exp.EQ(this=offset, expression=_literal(0)), exp.Literal.string("Z"), text)


def _unsupported(feature: str, what: str) -> UnsupportedFeatureError:
    return UnsupportedFeatureError(
        feature, f"the SQL engine does not parse timestamps with {what}", engine="sql"
    )
