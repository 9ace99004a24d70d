"""Tests of the math:* functions on both engines."""

from __future__ import annotations

import math

import pytest

from helpers import diagnostic_codes, make_events, run


def _math(query: str, value: str | None, output: str = "r", **fields: str) -> str | None:
    """Run ``query`` on one event with ``x`` set to ``value``; return ``output``."""
    if value is not None:
        fields["x"] = value
    rows = run(query, make_events(fields), sql_only=True)
    return rows[0].get(output)


# --- worked examples of the reference pages ----------------------------------------


def test_abs_documented_example() -> None:
    assert _math("math:abs(x, as=r)", "-3.5") == "3.5"


def test_ceil_documented_example() -> None:
    assert _math("math:ceil(x, as=r)", "3.1") == "4"


def test_log_documented_example() -> None:
    # ln(7.389056099) is 2 to nine decimals; the page shows 2.
    result = _math("math:log(x, as=r)", "7.389056099")
    assert result is not None
    assert math.isclose(float(result), 2.0, abs_tol=1e-9)


def test_cos_documented_example() -> None:
    # cos(1.0472), about pi/3; the page shows 0.5.
    result = _math("math:cos(x, as=r)", "1.0472")
    assert result is not None
    assert round(float(result), 4) == 0.5


def test_pow_documented_example() -> None:
    # functions-math-pow: x := 2 and exp := 3, then exponent=exp, gives 8.
    rows = run(
        "x := 2 | exp := 3 | math:pow(field=x, exponent=exp, as=result)",
        make_events({}),
        sql_only=True,
    )
    assert rows[0]["result"] == "8"


def test_mod_documented_example_with_named_divisor() -> None:
    # The page writes math:mod(x, 3, as=remainder), which passes two unnamed
    # arguments; with divisor= named it gives the documented 1.
    assert _math("math:mod(x, divisor=3, as=remainder)", "7", "remainder") == "1"


def test_mod_documented_form_is_rejected() -> None:
    assert "unnamed-argument" in diagnostic_codes("x := 7 | math:mod(x, 3, as=remainder)")


# --- each function -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("function", "value", "expected"),
    [
        ("abs", "-2", "2"),
        ("abs", "0", "0"),
        ("ceil", "-3.1", "-3"),
        ("ceil", "5", "5"),
        ("floor", "3.9", "3"),
        ("floor", "-3.1", "-4"),
        ("exp", "0", "1"),
        ("exp", "1", repr(math.exp(1))),
        ("log", "1", "0"),
        ("log10", "1000", "3"),
        ("log2", "1024", "10"),
        ("sqrt", "16", "4"),
        ("sqrt", "2", repr(math.sqrt(2))),
        ("sin", "0", "0"),
        ("cos", "0", "1"),
        ("tan", "1", repr(math.tan(1))),
        ("arcsin", "1", repr(math.asin(1))),
        ("arccos", "1", "0"),
        ("arctan", "1", repr(math.atan(1))),
        ("sinh", "1", repr(math.sinh(1))),
        ("cosh", "0", "1"),
        ("tanh", "0.5", repr(math.tanh(0.5))),
        ("deg2rad", "180", repr(math.pi)),
        ("rad2deg", "1", "57.29577951308232"),
        ("abs", "1e3", "1000"),
    ],
)
def test_unary_functions(function: str, value: str, expected: str) -> None:
    assert _math(f"math:{function}(x, as=r)", value) == expected


@pytest.mark.parametrize(
    ("function", "output"),
    [("abs", "_abs"), ("log10", "_log10"), ("sqrt", "_sqrt"), ("rad2deg", "_rad2deg")],
)
def test_unary_default_output(function: str, output: str) -> None:
    assert _math(f"math:{function}(x)", "1", output) is not None


@pytest.mark.parametrize(
    ("function", "value"),
    [
        ("log", "0"),
        ("log", "-1"),
        ("log10", "0"),
        ("log2", "-8"),
        ("sqrt", "-1"),
        ("arcsin", "2"),
        ("arccos", "-1.5"),
        ("exp", "1000"),
        ("cosh", "1000"),
    ],
)
def test_results_that_are_not_finite_set_nothing(function: str, value: str) -> None:
    assert _math(f"math:{function}(x, as=r)", value) is None


@pytest.mark.parametrize("value", ["", "ten", "0x10", "1,5", None])
def test_input_that_is_not_a_number_sets_nothing(value: str | None) -> None:
    assert _math("math:abs(x, as=r)", value) is None


def test_function_inside_expression() -> None:
    events = make_events({"x": "100"}, {"x": "5"})
    rows = run("test(math:log10(x) >= 2)", events, sql_only=True)
    assert [row["x"] for row in rows] == ["100"]


def test_output_replaces_existing_field() -> None:
    assert _math("math:abs(x, as=x)", "-4", "x") == "4"


def test_missing_input_keeps_output_field() -> None:
    assert _math("math:abs(nothing, as=r)", None, r="kept") == "kept"


# --- math:pow() --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "exponent", "expected"),
    [
        ("2", "10", "1024"),
        ("4", "0.5", "2"),
        ("2", "-1", "0.5"),
        ("-2", "3", "-8"),
        ("9", "0", "1"),
        ("1.5", "2", "2.25"),
    ],
)
def test_pow_literal_exponent(base: str, exponent: str, expected: str) -> None:
    assert _math(f"math:pow(x, exponent={exponent}, as=r)", base) == expected


@pytest.mark.parametrize(("base", "exponent"), [("-8", "0.5"), ("0", "-1"), ("10", "400")])
def test_pow_not_finite_sets_nothing(base: str, exponent: str) -> None:
    assert _math(f"math:pow(x, exponent={exponent}, as=r)", base) is None


def test_pow_exponent_field_that_is_not_a_number() -> None:
    assert _math("math:pow(x, exponent=e, as=r)", "2", e="three") is None
    assert _math("math:pow(x, exponent=e, as=r)", "2") is None


def test_pow_default_output() -> None:
    assert _math("math:pow(x, exponent=2)", "3", "_pow") == "9"


def test_pow_requires_exponent() -> None:
    assert "missing-argument" in diagnostic_codes("math:pow(x)")


# --- math:mod() --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "divisor", "expected"),
    [
        ("7", "3", "1"),
        ("-7", "3", "2"),
        ("7", "-3", "-2"),
        ("-7", "-3", "-1"),
        ("7.9", "3", "1"),
        ("-0.5", "3", "2"),
        ("10", "2.7", "0"),
        ("9007199254740993", "10", "2"),
        ("1e20", "7", None),
    ],
)
def test_mod_floor_modulus(value: str, divisor: str, expected: str | None) -> None:
    # Field and divisor are rounded down first; the result has the divisor's sign.
    assert _math(f"math:mod(x, divisor={divisor}, as=r)", value) == expected


def test_mod_default_output() -> None:
    assert _math("math:mod(x, divisor=4)", "10", "_mod") == "2"


@pytest.mark.parametrize("divisor", ["0", "0.5", "-0.0"])
def test_mod_rejects_divisor_that_rounds_to_zero(divisor: str) -> None:
    assert "invalid-argument" in diagnostic_codes(f"math:mod(x, divisor={divisor})")


def test_mod_rejects_divisor_out_of_range() -> None:
    assert "argument-out-of-range" in diagnostic_codes("math:mod(x, divisor=1e19)")


def test_mod_rejects_non_number_divisor() -> None:
    assert "invalid-argument" in diagnostic_codes("math:mod(x, divisor=three)")


# --- math:expm1() and math:log1p() ------------------------------------------------


def test_expm1_and_log1p_run_on_reference_engine() -> None:
    rows = run("a := math:expm1(x) | b := math:log1p(x)", make_events({"x": "1e-10"}))
    assert rows[0]["a"] == repr(math.expm1(1e-10))
    assert rows[0]["b"] == repr(math.log1p(1e-10))


def test_unknown_math_function_is_reported() -> None:
    assert "unsupported-function" in diagnostic_codes("math:arctan2(x)")
