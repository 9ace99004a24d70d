"""Tests of base64Decode(), urlDecode(), shannonEntropy() and the crypto:
hashes on both engines.

``run`` fails when the reference engine and DuckDB disagree, and
``sql_only=True`` when DuckDB sent a stage back to the reference engine.
Documented examples name their LogScale page.
"""

from __future__ import annotations

import base64
import hashlib
import math

import pytest
from tests.functions.sql_outputs import case_output, output

from cqlkit.engines.duckdb.engine import DuckDBEngine
from cqlkit.plan.planner import plan_query
from helpers import column, diagnostic_codes, make_events, run

# --- base64Decode() ----------------------------------------------------------------------


BASE64_CASES = [
    pytest.param("SGVsbG8sIHdvcmxkIQ==", "Hello, world!", id="padded"),
    pytest.param("SGVsbG8sIHdvcmxkIQ", "Hello, world!", id="padding-optional"),
    pytest.param("SGVsbG8", "Hello", id="three-letter-unit"),
    pytest.param("SGVs\nbG8=", "Hello", id="line-break-skipped"),
    pytest.param("SG Vs*bG8=", "Hello", id="characters-outside-alphabet-skipped"),
    pytest.param("SGVsbG8= \n", "Hello", id="spaces-after-padding"),
    pytest.param("SGVsbG8==", "Hello", id="extra-padding-after-end"),
    pytest.param("", "", id="empty"),
    pytest.param("!!", "", id="only-skipped-characters"),
    pytest.param("SGVsbA=x", None, id="letter-after-padding"),
    pytest.param("SGVsbA=", None, id="two-letters-need-double-padding"),
    pytest.param("SGVsb A==", "Hell", id="skipped-before-padding"),
    pytest.param("SGVsbA= =", None, id="padding-split"),
    pytest.param("SGVsb", None, id="single-letter-unit"),
    pytest.param("SGVs=", None, id="padding-after-whole-unit"),
    pytest.param("=", None, id="padding-only"),
    pytest.param("w6nDqA==", "éè", id="utf-8"),
    pytest.param("/w==", "\ufffd", id="invalid-utf-8-replaced"),
    pytest.param("4oKs4g==", "€\ufffd", id="cut-short-sequence-replaced"),
    pytest.param("7aCA", "\ufffd\ufffd\ufffd", id="surrogate-bytes-replaced"),
    pytest.param("8J+YgA==", "😀", id="four-byte-sequence"),
]


BASE64_QUERY_CASES = [pytest.param("base64Decode(v)", *case.values) for case in BASE64_CASES]


@pytest.mark.parametrize(("encoded", "expected"), BASE64_CASES)
def test_base64_decode(encoded: str, expected: str | None) -> None:
    assert case_output(BASE64_QUERY_CASES, "base64Decode(v)", encoded, "_base64Decode") == expected


def test_base64_decode_doc_assignment() -> None:
    # functions-base64decode.html, "Perform Base64 Decoding of a Field".
    (row,) = run("decoded := base64Decode(encoded)", make_events({"encoded": "Y21kLmV4ZQ=="}))
    assert row["decoded"] == "cmd.exe"


def test_base64_decode_latin1_keeps_bytes() -> None:
    encoded = base64.b64encode(bytes(range(256))).decode()
    decoded = output('base64Decode(v, charset="ISO-8859-1")', {"v": encoded}, "_base64Decode")
    assert decoded == bytes(range(256)).decode("latin-1")


def test_base64_decode_charset_names_ignore_case() -> None:
    assert output("base64Decode(v, charset=utf-8)", {"v": "SGk="}, "_base64Decode") == "Hi"


def test_base64_decode_utf16_fallback() -> None:
    # PowerShell -EncodedCommand is Base64 of UTF-16LE.
    encoded = base64.b64encode("whoami /all".encode("utf-16-le")).decode()
    query = 'base64Decode(v, charset="UTF-16LE", as=command)'
    (row,) = run(query, make_events({"v": encoded}))
    assert row["command"] == "whoami /all"
    (result,) = DuckDBEngine().run([plan_query(query)], make_events({"v": encoded}))
    assert any("base64Decode(charset=UTF-16LE)" in notice for notice in result.notices)


def test_base64_decode_utf16_odd_byte_replaced() -> None:
    query = 'base64Decode(v, charset="UTF-16BE")'
    assert run(query, make_events({"v": "AEEA"}))[0]["_base64Decode"] == "A\ufffd"


def test_base64_decode_rejects_unknown_charset() -> None:
    assert diagnostic_codes('base64Decode(v, charset="UTF-32")') == ["invalid-argument"]


# --- urlDecode() -----------------------------------------------------------------------


def test_url_decode_doc_syntax_examples() -> None:
    # functions-urldecode.html: the three ways to name the output field.
    events = make_events({"Bar": "https%3A%2F%2Fwww.example.com"})
    expected = "https://www.example.com"
    assert run('urlDecode("Bar")', events, sql_only=True)[0]["_urldecode"] == expected
    assert run('Foo:=urlDecode("Bar")', events, sql_only=True)[0]["Foo"] == expected
    assert run('urlDecode("Bar", as="Foo")', events, sql_only=True)[0]["Foo"] == expected


def test_url_decode_doc_redirects() -> None:
    # functions-urldecode.html, "Decode Redirect URLs in Authentication Logs".
    events = make_events(
        {
            "auth_status": "success",
            "redirect_url": "https%3A%2F%2Fapp.example.com%2Fdashboard%3Ftoken%3Dabc123",
        },
        {
            "auth_status": "failed",
            "redirect_url": "https%3A%2F%2Fmalicious.com%2Fphish%3Ftoken%3Dxyz789",
        },
        {
            "auth_status": "success",
            "redirect_url": "https%3A%2F%2Fapp.example.com%2Freports%3Fid%3D456%26view%3Dfull",
        },
        {
            "auth_status": "success",
            "redirect_url": "https%3A%2F%2Fapp.example.com%2Fsettings%3Fmode%3Dadmin",
        },
    )
    query = (
        "redirect_url = * | urlDecode(field=redirect_url, as=decoded_redirect)"
        ' | auth_status="success"'
    )
    rows = run(query, events, sql_only=True)
    assert sorted(column(rows, "decoded_redirect")) == [
        "https://app.example.com/dashboard?token=abc123",
        "https://app.example.com/reports?id=456&view=full",
        "https://app.example.com/settings?mode=admin",
    ]


def test_url_decode_doc_referrers() -> None:
    # functions-urldecode.html, "Decode Referrer URLs in Web Access Logs".
    events = make_events(
        {
            "referrer": "https%3A%2F%2Fwww.google.com%2Fsearch%3Fq%3Dbest%20cloud%20security",
            "conversion": "true",
        },
        {
            "referrer": "https%3A%2F%2Fwww.facebook.com%2Fads%3Fcampaign%3Dsecurity2023",
            "conversion": "false",
        },
        {"referrer": "https%3A%2F%2Ftwitter.com%2Fstatus%3Fpromo%3Dspring50", "conversion": "true"},
    )
    query = "referrer = * | decodedUrl := urlDecode(field=referrer) | conversion=true"
    rows = run(query, events, sql_only=True)
    assert sorted(column(rows, "decodedUrl")) == [
        "https://twitter.com/status?promo=spring50",
        "https://www.google.com/search?q=best cloud security",
    ]


def test_url_decode_doc_requests() -> None:
    # functions-urldecode.html, "Decode URL-Encoded Strings".
    events = make_events(
        {
            "request_url": "/products?category=electronics"
            "&filter=price%3E100%20AND%20brand%3DApple",
            "status_code": "200",
        },
        {
            "request_url": "/search?q=wireless%20headphones%20with%20noise%20cancelling",
            "status_code": "200",
        },
        {
            "request_url": "/products?id=12345&return_url=%2Fcart%3Fcheckout%3Dtrue",
            "status_code": "500",
        },
        {"request_url": "/search?q=bluetooth%20speakers%20under%20%24100", "status_code": "200"},
    )
    query = "request_url = * | urlDecode(field=request_url) | status_code=200"
    rows = run(query, events, sql_only=True)
    assert sorted(column(rows, "_urldecode")) == [
        "/products?category=electronics&filter=price>100 AND brand=Apple",
        "/search?q=bluetooth speakers under $100",
        "/search?q=wireless headphones with noise cancelling",
    ]


URL_CASES = [
    pytest.param("a+b", "a b", id="plus-is-space"),
    pytest.param("%2B", "+", id="escaped-plus"),
    pytest.param("%c3%a9", "é", id="lower-case-hex"),
    pytest.param("%C3", "\ufffd", id="cut-short-utf-8"),
    pytest.param("%C3x%A9", "\ufffdx\ufffd", id="runs-decode-apart"),
    pytest.param("%E2%82%AC%80", "€\ufffd", id="stray-continuation"),
    pytest.param("%+A", "\n", id="java-reads-plus-sign"),
    pytest.param("%-0", "\x00", id="java-reads-minus-zero"),
    pytest.param("100%", None, id="trailing-percent-invalid"),
    pytest.param("%4", None, id="short-escape-invalid"),
    pytest.param("%zz", None, id="non-hex-invalid"),
    pytest.param("%-1", None, id="negative-invalid"),
    pytest.param("plain", "plain", id="no-escapes"),
    pytest.param("", "", id="empty"),
    pytest.param("é%20ü", "é ü", id="non-ascii-literal"),
]


URL_QUERY_CASES = [pytest.param("urlDecode(v)", *case.values) for case in URL_CASES]


@pytest.mark.parametrize(("encoded", "expected"), URL_CASES)
def test_url_decode(encoded: str, expected: str | None) -> None:
    assert case_output(URL_QUERY_CASES, "urlDecode(v)", encoded, "_urldecode") == expected


# --- shannonEntropy() --------------------------------------------------------------------


def test_shannon_entropy_doc_example() -> None:
    # functions-shannonentropy.html: example.com gives 3.095795 (rounded in the docs).
    value = output("entropy := shannonEntropy(dns_name)", {"dns_name": "example.com"}, "entropy")
    assert value is not None
    assert float(value) == pytest.approx(3.095795, abs=1e-6)


ENTROPY_CASES = [
    pytest.param("aaaa", 0.0, id="one-character"),
    pytest.param("ab", 1.0, id="two-characters"),
    pytest.param("abcd", 2.0, id="four-characters"),
    pytest.param("", 0.0, id="empty"),
    # An emoji is a surrogate pair: two distinct UTF-16 code units.
    pytest.param("😀", 1.0, id="surrogate-pair"),
    pytest.param("😀😀", 1.0, id="repeated-surrogate-pair"),
]


@pytest.mark.parametrize(("text", "expected"), ENTROPY_CASES)
def test_shannon_entropy(text: str, expected: float) -> None:
    value = output("shannonEntropy(v)", {"v": text}, "_shannonentropy")
    assert value is not None
    assert float(value) == expected


def test_shannon_entropy_missing_field_sets_nothing() -> None:
    assert output("shannonEntropy(v)", {"w": "x"}, "_shannonentropy") is None


def test_shannon_entropy_filters_random_names() -> None:
    events = make_events({"d": "google.com"}, {"d": "xj4k2q9zpl7w.net"})
    rows = run("shannonEntropy(d, as=h) | h > 3.5", events, sql_only=True)
    assert column(rows, "d") == ["xj4k2q9zpl7w.net"]


def test_shannon_entropy_matches_formula() -> None:
    text = "powershell -nop -w hidden -enc SQBFAFgA"
    value = output("shannonEntropy(v)", {"v": text}, "_shannonentropy")
    counts = [text.count(char) for char in set(text)]
    expected = -sum(c / len(text) * math.log2(c / len(text)) for c in counts)
    assert value is not None
    assert float(value) == pytest.approx(expected, rel=1e-12)


# --- crypto:md5(), crypto:sha1(), crypto:sha256() ------------------------------------------


def test_sha256_doc_example() -> None:
    # functions-crypto-sha256.html, "SHA-256 Hash a Field With a Given Value".
    (row,) = run('a := "Hello, world!" | crypto:sha256(a)', make_events({}), sql_only=True)
    assert row["_sha256"] == "315f5bdb76d078c43b8ac0064e4a0164612b1fce77c869345bfc94c75894edd3"


@pytest.mark.parametrize(
    ("function", "name", "algorithm"),
    [
        pytest.param("crypto:md5", "_md5", "md5", id="md5"),
        pytest.param("crypto:sha1", "_sha1", "sha1", id="sha1"),
        pytest.param("crypto:sha256", "_sha256", "sha256", id="sha256"),
    ],
)
def test_hash_concatenates_fields(function: str, name: str, algorithm: str) -> None:
    # functions-crypto-md5.html: field=[a,b,c] hashes the concatenation, and a
    # missing or empty field counts as empty text.
    fields = {"a": "x", "c": "zé"}
    (row,) = run(f"{function}(field=[a,b,c])", make_events(fields), sql_only=True)
    assert row[name] == hashlib.new(algorithm, "xzé".encode()).hexdigest()


def test_hash_of_missing_fields_is_hash_of_empty_text() -> None:
    (row,) = run("crypto:md5([a, b])", make_events({}), sql_only=True)
    assert row["_md5"] == hashlib.md5(b"").hexdigest()


def test_hash_as_and_expression() -> None:
    query = "h := crypto:sha1(a) | test(crypto:md5(a) == m)"
    fields = {"a": "abc", "m": hashlib.md5(b"abc").hexdigest()}
    (row,) = run(query, make_events(fields), sql_only=True)
    assert row["h"] == hashlib.sha1(b"abc").hexdigest()


# --- hash() --------------------------------------------------------------------------


USERS = make_events(
    *({"user_id": name, "department": team} for name, team in [("u1", "sales"), ("u2", "it")] * 3),
    {"user_id": "u3"},
)


def test_hash_doc_range_and_default_field() -> None:
    # functions-hash.html: hash(a) puts an integer in [0, 4294967295] into _hash.
    rows = run("hash(user_id)", USERS, sql_only=True)
    values = [int(value) for value in column(rows, "_hash") if value is not None]
    assert len(values) == len(USERS)
    assert all(0 <= value <= 4294967295 for value in values)


def test_hash_doc_limit_buckets() -> None:
    # functions-hash.html: limit=10 keeps the hash modulo 10, and the same
    # values always land in the same bucket.
    rows = run("hash([user_id, department], limit=10)", USERS, sql_only=True)
    buckets: dict[str, set[str | None]] = {}
    for row in rows:
        buckets.setdefault(row.get("user_id", ""), set()).add(row.get("_hash"))
    assert all(len(values) == 1 for values in buckets.values())
    assert all(0 <= int(value) < 10 for values in buckets.values() for value in values if value)


def test_hash_doc_seeds_differ() -> None:
    # functions-hash.html: a seed gives other but equally stable values.
    query = (
        'hash(field=user_id, as="hash1") | hash(field=user_id, seed=10, as="hash2")'
        ' | hash(field=user_id, seed=10, as="hash3")'
    )
    rows = run(query, USERS, sql_only=True)
    assert all(row["hash2"] == row["hash3"] for row in rows)
    assert any(row["hash1"] != row["hash2"] for row in rows)


def test_hash_groups_by_bucket() -> None:
    # functions-hash.html: hash(a, limit=10) | groupBy(_hash).
    rows = run("hash(user_id, limit=10) | groupBy(_hash)", USERS, sql_only=True)
    assert sum(int(count) for count in column(rows, "_count") if count) == len(USERS)


def test_hash_separates_fields() -> None:
    events = make_events({"a": "ab", "b": "c"}, {"a": "a", "b": "bc"})
    rows = run("hash([a, b])", events, sql_only=True)
    assert len(set(column(rows, "_hash"))) == 2


def test_hash_warns_values_differ_from_logscale() -> None:
    assert diagnostic_codes("hash(a)") == ["hash-values-differ"]
    assert "invalid-argument" in diagnostic_codes("hash(a, limit=2.5)")
