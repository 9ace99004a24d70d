"""Differential tests of the text functions on generated values.

The SQL compilers rebuild the reference engine's parsers (Base64, URL
escapes, radix digits, units, durations, bits) from regexes and DuckDB
functions. Each test here runs one query over a few hundred generated
values, mostly malformed ones, and ``run`` fails on the first value where
the engines disagree. The generator is seeded, so a failure repeats.
"""

from __future__ import annotations

import base64
import random
from collections.abc import Callable

import pytest

from helpers import make_events, run

COUNT = 150


def _values(generate: Callable[[random.Random], str]) -> list[dict[str, str]]:
    rng = random.Random(20261204)
    return make_events(*({"v": generate(rng)} for _ in range(COUNT)))


def _pick(rng: random.Random, alphabet: str, length: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(length))


def _base64_text(rng: random.Random) -> str:
    valid = base64.b64encode(rng.randbytes(rng.randrange(0, 12))).decode()
    noisy = list(valid)
    for _ in range(rng.randrange(0, 4)):
        noisy.insert(rng.randrange(0, len(noisy) + 1), rng.choice("= \n*-_é"))
    if rng.random() < 0.3:
        noisy = noisy[: rng.randrange(0, len(noisy) + 1)]
    return "".join(noisy)


def _url_text(rng: random.Random) -> str:
    pieces = ["%", "+", "-", "0", "a", "F", "%C3", "%A9", "%E2%82%AC", "%F0%9F", "%8", "é", "%2"]
    return "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 8)))


def _radix_text(rng: random.Random) -> str:
    prefix = rng.choice(["", "", "0x", "16#", "+", "-", "0X"])
    return prefix + _pick(rng, "0123456789abcdefFZz \u212a\u0663", rng.randrange(0, 22))


def _unit_text(rng: random.Random) -> str:
    number = rng.choice(["5", "0.25", "-3", "1e3", ".5", "12.", "x", "", "1e999", "1e300"])
    space = rng.choice(["", " ", "\t"])
    prefix = rng.choice(["", "k", "M", "Mi", "Ki", "da", "d", "m", "u", "µ", "h", "Y", "y"])
    unit = rng.choice(["", "B", "s", "hits", "bit", "b/s"])
    rate = rng.choice(["", "", "/s", "/min", "/h", "/day", "/week", "/ms", "/x"])
    return f"{number}{space}{prefix}{unit}{rate}"


def _integer_text(rng: random.Random) -> str:
    sign = rng.choice(["", "", "-", "+"])
    return sign + _pick(rng, "0123456789", rng.randrange(0, 30)) + rng.choice(["", "", ".5", "x"])


def _number_text(rng: random.Random) -> str:
    whole = rng.choice(["0", "1", "2", "-2", "1e3", "", "123456789"])
    return whole + rng.choice(["", ".5", ".49999999999999994", ".25", "x", ".500001"])


def _unicode_text(rng: random.Random) -> str:
    return _pick(rng, "aab.-é€😀🚀\u0301 ", rng.randrange(0, 12))


CASES = [
    pytest.param("base64Decode(v, as=out)", _base64_text, id="base64-utf-8"),
    pytest.param('base64Decode(v, as=out, charset="ISO-8859-1")', _base64_text, id="base64-latin1"),
    pytest.param("urlDecode(v, as=out)", _url_text, id="url"),
    pytest.param("parseInt(v, as=out)", _radix_text, id="parse-int-hex"),
    pytest.param("parseInt(v, as=out, endian=little)", _radix_text, id="parse-int-little"),
    pytest.param("parseInt(v, as=out, radix=10)", _radix_text, id="parse-int-decimal"),
    pytest.param("parseInt(v, as=out, radix=36)", _radix_text, id="parse-int-36"),
    pytest.param("unit:convert(v, as=out)", _unit_text, id="unit"),
    pytest.param(
        "unit:convert(v, as=out, binary=true, keepUnit=true)", _unit_text, id="unit-binary"
    ),
    pytest.param('unit:convert(v, as=out, unit="hits", to="k")', _unit_text, id="unit-hits"),
    pytest.param('unit:convert(v, as=out, from="ms", to="s")', _unit_text, id="unit-from"),
    pytest.param("formatDuration(v, as=out)", _integer_text, id="duration"),
    pytest.param(
        "formatDuration(v, as=out, from=ns, precision=2)", _integer_text, id="duration-ns"
    ),
    pytest.param(
        "bitfield:extractFlags(field=v, output=[[0, b0], [5, b5], [63, b63]])",
        _integer_text,
        id="bits",
    ),
    pytest.param("round(v, as=out)", _number_text, id="round"),
    pytest.param("round(v, as=out, how=ceil)", _number_text, id="round-ceil"),
    pytest.param("shannonEntropy(v, as=out)", _unicode_text, id="entropy"),
    pytest.param("crypto:md5(v, as=out)", _unicode_text, id="md5"),
    pytest.param("hash([v, w], as=out, limit=7, seed=s)", _unicode_text, id="hash"),
]


@pytest.mark.parametrize(("query", "generate"), CASES)
def test_engines_agree_on_generated_values(
    query: str, generate: Callable[[random.Random], str]
) -> None:
    run(query, _values(generate), sql_only=True, lift_default_limits=True)
