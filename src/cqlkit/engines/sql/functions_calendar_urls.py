"""SQL compilation of parseUrl(), with the grammar of
:mod:`cqlkit.language.javauri` written as RE2 regular expressions.

The stage computes helper columns in layers (scheme, then the rest after it,
then the authority and what follows it), checks the whole value against
Java's grammar, and sets the component fields of valid values only. Escapes
are decoded as Java's URI getters decode them, with the UTF-8 decoding that
urlDecode() also uses.
"""

from __future__ import annotations

from sqlglot import exp

from cqlkit.engines.sql.columns import Schema
from cqlkit.engines.sql.functions_calendar_csv import assign_with_helpers, helper_column
from cqlkit.engines.sql.functions_text_templates import sql_string, template, utf8_from_hex
from cqlkit.engines.sql.stages_base import CompiledStage
from cqlkit.language.javauri import (
    MAX_PORT,
    PATH_PUNCTUATION,
    REG_NAME_PUNCTUATION,
    SCHEME_PUNCTUATION,
    URIC_PUNCTUATION,
    USERINFO_PUNCTUATION,
)
from cqlkit.language.javauri_hosts import SCOPE_ID_PUNCTUATION
from cqlkit.plan import nodes
from cqlkit.plan.signatures_calendar import url_prefix


def _class(punctuation: str) -> str:
    """Return ``punctuation`` escaped for use inside an RE2 character class."""
    return "".join("\\" + char if char in "\\[]^-" else char for char in punctuation)


_ESCAPE = "%[0-9A-Fa-f]{2}"
# A visible non-ASCII character: above the C1 controls and not a space separator.
_OTHER = r"[^\x00-\x{9F}\p{Zs}\p{Zl}\p{Zp}]"


def _component(punctuation: str) -> str:
    """Return a pattern of one character that a component with ``punctuation`` allows."""
    return f"(?:[A-Za-z0-9{_class(punctuation)}]|{_ESCAPE}|{_OTHER})"


URIC = _component(URIC_PUNCTUATION)
PATH = _component(PATH_PUNCTUATION)
USERINFO = _component(USERINFO_PUNCTUATION)
REG_NAME = _component(REG_NAME_PUNCTUATION)
SCHEME = f"[A-Za-z][A-Za-z0-9{_class(SCHEME_PUNCTUATION)}]*"

_BYTE = "0*(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
IPV4 = rf"{_BYTE}\.{_BYTE}\.{_BYTE}\.{_BYTE}"
_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_TOP_LABEL = "[A-Za-z](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
HOSTNAME = rf"{_LABEL}\.?|(?:{_LABEL}\.)+{_TOP_LABEL}\.?"


def _ipv6_pattern() -> str:
    """Return Java's IPv6 grammar as alternatives: eight groups, six groups and
    an IPv4 address, or fewer groups around one ``::`` (at most seven, or at
    most five before an IPv4 address, since ``::`` stands for at least one)."""
    group = "[0-9A-Fa-f]{1,4}"

    def groups(count: int) -> str:
        return "" if count == 0 else f"{group}(?::{group}){{{count - 1}}}"

    alternatives = [f"(?:{group}:){{7}}{group}", f"(?:{group}:){{6}}{IPV4}"]
    for left in range(8):
        for right in range(8 - left):
            alternatives.append(f"{groups(left)}::{groups(right)}")
    for left in range(6):
        for right in range(6 - left):
            middle = f"(?:{group}:){{{right}}}" if right else ""
            alternatives.append(f"{groups(left)}::{middle}{IPV4}")
    return "|".join(alternatives)


HOST = (
    rf"{IPV4}|{HOSTNAME}|\[(?:{_ipv6_pattern()})(?:%[A-Za-z0-9{_class(SCOPE_ID_PUNCTUATION)}]+)?\]"
)
SERVER = rf"(?:{USERINFO}*@)?(?:{HOST})(?::[0-9]*)?"
OPAQUE = rf"{URIC}+(?:#{URIC}*)?"
HIERARCHICAL = rf"{PATH}*(?:\?{URIC}*)?(?:#{URIC}*)?"
# The pieces a component decodes in: a bracketed run (kept as written), a run
# of escapes, or other text.
_DECODE_PIECES = r"\[[^\]]*\]?|(?:%[0-9A-Fa-f]{2})+|[^%\[]+"

_SCHEME, _HAS_COLON = "__cqlkit_url_scheme", "__cqlkit_url_has_colon"
_REST, _OPAQUE = "__cqlkit_url_rest", "__cqlkit_url_opaque"
_HAS_AUTHORITY, _AUTHORITY = "__cqlkit_url_has_authority", "__cqlkit_url_authority"
_AFTER, _PORT = "__cqlkit_url_after", "__cqlkit_url_port"
_VALID, _SERVER = "__cqlkit_url_valid", "__cqlkit_url_server"
_USER_INFO = "__cqlkit_url_user_info"


def _layers(value: exp.Expr) -> list[dict[str, exp.Expr]]:
    """Return the helper columns, each layer reading the ones before it."""
    h = helper_column
    scheme = {
        _SCHEME: template(f"regexp_extract(:v, {sql_string(f'^({SCHEME}):')}, 1)", v=value),
        _HAS_COLON: template("regexp_matches(:v, '^[^/?#:]*:')", v=value),
    }
    rest = {
        _REST: template(
            "CASE WHEN :scheme <> '' THEN substr(:v, length(:scheme) + 2) ELSE :v END",
            v=value,
            scheme=h(_SCHEME),
        )
    }
    authority = {
        _OPAQUE: template(
            ":scheme <> '' AND NOT starts_with(:rest, '/')", scheme=h(_SCHEME), rest=h(_REST)
        ),
        # An opaque part never starts with /, so // always opens an authority.
        _HAS_AUTHORITY: template("starts_with(:rest, '//')", rest=h(_REST)),
    }
    after = {
        _AUTHORITY: template(
            "CASE WHEN :has THEN regexp_extract(:rest, '^//([^/?#]*)', 1) END",
            has=h(_HAS_AUTHORITY),
            rest=h(_REST),
        ),
    }
    parts = {
        _AFTER: template(
            "CASE WHEN :has THEN substr(:rest, 3 + length(:authority)) ELSE :rest END",
            has=h(_HAS_AUTHORITY),
            rest=h(_REST),
            authority=h(_AUTHORITY),
        ),
        _PORT: template(
            r"regexp_extract(:authority, '^(?:[^@]*@)?(?:\[[^\]]*\]|[^:]*):([0-9]*)$', 1)",
            authority=h(_AUTHORITY),
        ),
    }
    return [scheme, rest, authority, after, parts, _checks(), _user_info()]


def _checks() -> dict[str, exp.Expr]:
    h = helper_column
    digits = "ltrim(:port, '0')"
    port_fits = f"(length({digits}) < 10 OR (length({digits}) = 10 AND {digits} <= '{MAX_PORT}'))"
    server = template(
        f"regexp_full_match(:authority, {sql_string(SERVER)}) AND {port_fits}",
        authority=h(_AUTHORITY),
        port=h(_PORT),
    )
    authority_ok = template(
        f":server OR regexp_full_match(:authority, {sql_string(REG_NAME + '+')})",
        server=server,
        authority=h(_AUTHORITY),
    )
    valid = template(
        f"""
        CASE
            WHEN :has_colon AND :scheme = '' THEN FALSE
            WHEN :opaque THEN regexp_full_match(:rest, {sql_string(OPAQUE)})
            WHEN NOT regexp_full_match(:after, {sql_string(HIERARCHICAL)}) THEN FALSE
            WHEN NOT :has THEN TRUE
            WHEN :authority = '' THEN :after <> ''
            ELSE :authority_ok
        END
        """,
        has_colon=h(_HAS_COLON),
        scheme=h(_SCHEME),
        opaque=h(_OPAQUE),
        rest=h(_REST),
        after=h(_AFTER),
        has=h(_HAS_AUTHORITY),
        authority=h(_AUTHORITY),
        authority_ok=authority_ok,
    )
    return {
        _VALID: valid,
        _SERVER: template(
            "COALESCE(:valid AND :has AND :authority <> '' AND :server, FALSE)",
            valid=valid,
            has=h(_HAS_AUTHORITY),
            authority=h(_AUTHORITY),
            server=server,
        ),
    }


def _user_info() -> dict[str, exp.Expr]:
    return {
        _USER_INFO: template(
            "CASE WHEN :server AND contains(:authority, '@')"
            " THEN regexp_extract(:authority, '^([^@]*)@', 1) END",
            server=helper_column(_SERVER),
            authority=helper_column(_AUTHORITY),
        )
    }


def _decoded(component: exp.Expr) -> exp.Expr:
    """Decode the %XX escapes of a component as Java's URI getters do."""
    decoded_run = utf8_from_hex(template("upper(replace(piece, '%', ''))"))
    return template(
        f"""
        CASE WHEN contains(:c, '%') THEN array_to_string(list_transform(
            regexp_extract_all(:c, {sql_string(_DECODE_PIECES)}),
            lambda piece: CASE WHEN starts_with(piece, '%') THEN :run ELSE piece END), '')
        ELSE :c END
        """,
        c=component,
        run=decoded_run,
    )


def _components() -> dict[str, exp.Expr]:
    """Return the SQL of each parseUrl() part, NULL where the URL has none."""
    h = helper_column
    hierarchical = template(":valid AND NOT :opaque", valid=h(_VALID), opaque=h(_OPAQUE))
    fragment_source = template(
        "CASE WHEN :opaque THEN :rest ELSE :after END",
        opaque=h(_OPAQUE),
        rest=h(_REST),
        after=h(_AFTER),
    )
    user_info = h(_USER_INFO)
    return {
        "scheme": template(
            "CASE WHEN :valid AND :scheme <> '' THEN :scheme END",
            valid=h(_VALID),
            scheme=h(_SCHEME),
        ),
        "username": _decoded(template("regexp_extract(:u, '^([^:]*)', 1)", u=user_info)),
        "password": _decoded(
            template(
                "CASE WHEN contains(:u, ':') THEN regexp_extract(:u, '^[^:]*:(.*)$', 1) END",
                u=user_info,
            )
        ),
        "host": template(
            r"CASE WHEN :server THEN regexp_extract(:a, '^(?:[^@]*@)?(\[[^\]]*\]|[^:]*)', 1) END",
            server=h(_SERVER),
            a=h(_AUTHORITY),
        ),
        "port": template(
            "CASE WHEN :server AND :port <> '' THEN CAST(CAST(:port AS BIGINT) AS VARCHAR) END",
            server=h(_SERVER),
            port=h(_PORT),
        ),
        "path": _decoded(
            template(
                "CASE WHEN :ok THEN regexp_extract(:after, '^[^?#]*') END",
                ok=hierarchical,
                after=h(_AFTER),
            )
        ),
        "query": _decoded(
            template(
                r"CASE WHEN :ok AND regexp_matches(:after, '^[^?#]*\?')"
                r" THEN regexp_extract(:after, '^[^?#]*\?([^#]*)', 1) END",
                ok=hierarchical,
                after=h(_AFTER),
            )
        ),
        "fragment": _decoded(
            template(
                "CASE WHEN :valid AND contains(:s, '#')"
                " THEN regexp_extract(:s, '^[^#]*#(.*)$', 1) END",
                valid=h(_VALID),
                s=fragment_source,
            )
        ),
    }


def compile_parse_url(call_node: nodes.BoundCall, schema: Schema, source: str) -> CompiledStage:
    """parseUrl(): a stage that sets ``<prefix>.<part>`` for each part the value has."""
    value = schema.field(call_node.text("field"))
    prefix = url_prefix(call_node.arguments)
    values = {f"{prefix}.{name}": sql for name, sql in _components().items()}
    return assign_with_helpers(schema, source, _layers(value), values)
