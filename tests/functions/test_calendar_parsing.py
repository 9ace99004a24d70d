"""Tests of parseUrl() and parseCsv() on both engines."""

from __future__ import annotations

import pytest

from helpers import diagnostic_codes, make_events, run


def _url_fields(value: str, query: str = "parseUrl()") -> dict[str, str]:
    """Run ``query`` on an event whose ``url`` is ``value``; return the url.* fields."""
    rows = run(query, make_events({"url": value}), sql_only=True)
    return {name[len("url.") :]: text for name, text in rows[0].items() if name.startswith("url.")}


def _csv_fields(value: str, query: str) -> dict[str, str]:
    """Run ``query`` on an event whose ``v`` is ``value``; return the new fields."""
    rows = run(query, make_events({"v": value}), sql_only=True)
    return {name: text for name, text in rows[0].items() if name not in ("@id", "@timestamp", "v")}


# --- parseUrl() --------------------------------------------------------------------


def test_parse_url_documented_example() -> None:
    # functions-parseurl: parseUrl(uri) | groupBy(uri.path) counts requests per path.
    paths = ["/graphql", "/graphql", "/api/v1/refresh", "/graphql"]
    events = make_events(*({"uri": f"https://cloud.example.com{path}"} for path in paths))
    rows = run("parseUrl(uri) | groupBy(uri.path)", events, sql_only=True)
    counts = {row["uri.path"]: row["_count"] for row in rows}
    assert counts == {"/graphql": "3", "/api/v1/refresh": "1"}


def test_parse_url_all_components() -> None:
    value = "https://alice:s3cret@www.example.com:8443/a/b.php?id=7&x=y#top"
    assert _url_fields(value) == {
        "scheme": "https",
        "username": "alice",
        "password": "s3cret",
        "host": "www.example.com",
        "port": "8443",
        "path": "/a/b.php",
        "query": "id=7&x=y",
        "fragment": "top",
    }


def test_parse_url_only_present_components() -> None:
    assert _url_fields("http://example.com") == {
        "scheme": "http",
        "host": "example.com",
        "path": "",
    }


def test_parse_url_partial_url_scheme() -> None:
    # The reference page warns that Java reads site.example.com as the scheme here.
    assert _url_fields("site.example.com:80/path/to/examp") == {"scheme": "site.example.com"}


def test_parse_url_without_scheme_is_a_path() -> None:
    assert _url_fields("www.example.com/path") == {"path": "www.example.com/path"}


def test_parse_url_prefix_from_as() -> None:
    rows = run(
        "parseUrl(link, as=target)",
        make_events({"link": "ftp://files.example.org/pub"}),
        sql_only=True,
    )
    assert rows[0]["target.host"] == "files.example.org"
    assert rows[0]["target.path"] == "/pub"
    assert "link.host" not in rows[0]


def test_parse_url_prefix_defaults_to_field_name() -> None:
    rows = run("parseUrl(field=request)", make_events({"request": "http://h/x"}), sql_only=True)
    assert rows[0]["request.path"] == "/x"


def test_parse_url_decodes_escapes() -> None:
    value = "http://us%65r:p%40ss@h/a%20b/%E2%82%AC?q=%3Cscript%3E+1#sec%201"
    assert _url_fields(value) == {
        "scheme": "http",
        "username": "user",
        "password": "p@ss",
        "host": "h",
        "path": "/a b/€",
        "query": "q=<script>+1",
        "fragment": "sec 1",
    }


def test_parse_url_keeps_escapes_in_brackets() -> None:
    # Java's getters leave escapes between [ and ] as written.
    assert _url_fields("http://h/?a=%5B[%41]%42")["query"] == "a=[[%41]B"


def test_parse_url_replaces_invalid_utf8() -> None:
    assert _url_fields("http://h/%C3%28%FF")["path"] == "/\ufffd(\ufffd"


@pytest.mark.parametrize(
    ("value", "host", "port"),
    [
        ("http://[::1]:8080/", "[::1]", "8080"),
        ("http://[fe80::1%eth0]/", "[fe80::1%eth0]", None),
        ("http://[::ffff:10.0.0.1]/", "[::ffff:10.0.0.1]", None),
        ("http://[1:2:3:4:5:6:7:8]/", "[1:2:3:4:5:6:7:8]", None),
        ("http://10.0.0.1:0080/", "10.0.0.1", "80"),
        ("http://localhost:/", "localhost", None),
        ("http://1.2.3.4a.example/", "1.2.3.4a.example", None),
        ("http://host.example.:2147483647/", "host.example.", "2147483647"),
    ],
)
def test_parse_url_hosts_and_ports(value: str, host: str, port: str | None) -> None:
    fields = _url_fields(value)
    assert fields["host"] == host
    assert fields.get("port") == port


@pytest.mark.parametrize(
    "value",
    [
        "http://my_host.example/x",
        "http://256.1.1.1/x",
        "http://10.0.0/x",
        "http://-bad.example/x",
        "http://host:2147483648/x",
        "http://host:80:80/x",
        "http://a@b@host/x",
    ],
)
def test_parse_url_registry_authority_has_no_host(value: str) -> None:
    # Java keeps an authority that is not [user@]host[:port] as a registry
    # name: the URL is valid, but it has no host, user or port.
    assert _url_fields(value) == {"scheme": "http", "path": "/x"}


@pytest.mark.parametrize(
    "value",
    [
        "http://bad host/",
        "http://h/%zz",
        "C:\\Windows\\system32",
        "http://",
        "1http://h/",
        "http://[1::2::3]/",
        "http://[::1/",
        "a#b#c",
        "mailto:",
        "http://h/\u00a0",
    ],
)
def test_parse_url_invalid_value_leaves_event_unchanged(value: str) -> None:
    assert _url_fields(value) == {}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("mailto:ops@example.com", {"scheme": "mailto"}),
        ("urn:isbn:0451450523#p2", {"scheme": "urn", "fragment": "p2"}),
        ("//cdn.example.com/lib.js", {"host": "cdn.example.com", "path": "/lib.js"}),
        ("?q=1", {"path": "", "query": "q=1"}),
        ("http:///etc/passwd", {"scheme": "http", "path": "/etc/passwd"}),
        ("http://h/p?", {"scheme": "http", "host": "h", "path": "/p", "query": ""}),
        ("http://@h/", {"scheme": "http", "username": "", "host": "h", "path": "/"}),
        ("HTTP://EXAMPLE.COM/Ä", {"scheme": "HTTP", "host": "EXAMPLE.COM", "path": "/Ä"}),
    ],
)
def test_parse_url_other_forms(value: str, expected: dict[str, str]) -> None:
    assert _url_fields(value) == expected


def test_parse_url_missing_field_sets_nothing() -> None:
    rows = run("parseUrl()", make_events({"other": "x"}), sql_only=True)
    assert not any(name.startswith("url.") for name in rows[0])


def test_parse_url_rejects_empty_prefix() -> None:
    assert "invalid-argument" in diagnostic_codes('parseUrl(as="")')


# --- parseCsv() --------------------------------------------------------------------


def test_parse_csv_documented_example() -> None:
    # functions-parsecsv: four values for five columns leave sourcetask unset.
    query = "parseCsv(v, columns=[count, status, completion, precision, sourcetask])"
    assert _csv_fields("117,success,27%,3.14", query) == {
        "count": "117",
        "status": "success",
        "completion": "27%",
        "precision": "3.14",
    }


def test_parse_csv_documented_forms() -> None:
    # The page's three forms: plain, quoted, and with ; as the delimiter.
    query = "parseCsv(v, columns=[a, b, c])"
    assert _csv_fields("value 1,value 2,value 3", query) == {
        "a": "value 1",
        "b": "value 2",
        "c": "value 3",
    }
    assert _csv_fields('"value 1","value 2",value 3', query)["b"] == "value 2"
    semicolon = 'parseCsv(v, columns=[a, b, c], delimiter=";")'
    assert _csv_fields('"value 1";"value 2";value 3', semicolon)["c"] == "value 3"


def test_parse_csv_reads_raw_string_by_default() -> None:
    rows = run("parseCsv(columns=[a, b])", make_events({"@rawstring": "x,y"}), sql_only=True)
    assert (rows[0]["a"], rows[0]["b"]) == ("x", "y")


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        ('"a,b",c', ["a,b", "c"]),
        ('"say ""hi""",x', ['say "hi"', "x"]),
        ('"a"b,c', ["ab", "c"]),
        ('a"b,c', ['a"b', "c"]),
        ('"open,to the end', ["open,to the end"]),
        (' a , "b" ', [" a ", ' "b" ']),
        ("a,,c", ["a", "", "c"]),
        ("a,b,", ["a", "b", ""]),
        ("", [""]),
        ('"line\nbreak",x', ["line\nbreak", "x"]),
    ],
)
def test_parse_csv_quoting(record: str, expected: list[str]) -> None:
    names = ["a", "b", "c"]
    query = "parseCsv(v, columns=[a, b, c])"
    assert _csv_fields(record, query) == dict(zip(names, expected, strict=False))


def test_parse_csv_trim() -> None:
    query = "parseCsv(v, columns=[a, b, c], trim=true)"
    assert _csv_fields('  a  ,  " b "  ,\tc\t', query) == {"a": "a", "b": " b ", "c": "c"}


def test_parse_csv_trim_keeps_tab_delimiter() -> None:
    query = 'parseCsv(v, columns=[a, b, c], delimiter="\t", trim=true)'
    assert _csv_fields(" a \t b\t c ", query) == {"a": "a", "b": "b", "c": "c"}


def test_parse_csv_exclude_empty() -> None:
    query = "parseCsv(v, columns=[a, b, c], excludeEmpty=true)"
    assert _csv_fields('x,,""', query) == {"a": "x"}


def test_parse_csv_surplus_values_are_dropped() -> None:
    assert _csv_fields("1,2,3,4", "parseCsv(v, columns=[a, b])") == {"a": "1", "b": "2"}


def test_parse_csv_single_column_name() -> None:
    assert _csv_fields("1,2", "parseCsv(v, columns=a)") == {"a": "1"}


def test_parse_csv_repeated_column_takes_last_value() -> None:
    assert _csv_fields("1,2,3", "parseCsv(v, columns=[a, b, a])") == {"a": "3", "b": "2"}
    query = "parseCsv(v, columns=[a, b, a], excludeEmpty=true)"
    assert _csv_fields("1,2,", query) == {"a": "1", "b": "2"}


def test_parse_csv_overwrites_existing_field() -> None:
    rows = run("parseCsv(v, columns=[v, w])", make_events({"v": "x,y"}), sql_only=True)
    assert (rows[0]["v"], rows[0]["w"]) == ("x", "y")


def test_parse_csv_missing_field_sets_nothing() -> None:
    rows = run("parseCsv(nothing, columns=[a])", make_events({"v": "1"}), sql_only=True)
    assert "a" not in rows[0]


@pytest.mark.parametrize("delimiter", ["", ";;", '\\"'])
def test_parse_csv_rejects_bad_delimiter(delimiter: str) -> None:
    query = f'parseCsv(v, columns=[a], delimiter="{delimiter}")'
    assert "invalid-argument" in diagnostic_codes(query)


def test_parse_csv_requires_columns() -> None:
    assert "missing-argument" in diagnostic_codes("parseCsv(v)")


def test_parse_csv_has_no_quote_parameter() -> None:
    # The reference page lists no quoteChar parameter, so cqlkit rejects it.
    assert "unknown-parameter" in diagnostic_codes('parseCsv(v, columns=[a], quoteChar="\'")')
