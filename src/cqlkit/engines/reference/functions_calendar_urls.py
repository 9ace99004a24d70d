"""parseUrl() of the reference engine: the components of a URL as fields.

LogScale reads the value with Java's ``java.net.URI`` (ported in
:mod:`cqlkit.language.javauri`) and sets ``<prefix>.scheme``, ``.username``,
``.password``, ``.host``, ``.port``, ``.path``, ``.query`` and ``.fragment``,
each only when the URL has that component. The prefix is ``as=``, else the
field name. A value that Java rejects leaves the event unchanged.

Decisions where the reference page is silent:

- path, query, fragment, user name and password are decoded as Java's URI
  getters decode them (``%20`` becomes a space, ``+`` stays);
- the user info splits at its first ``:`` into user name and password, and
  without a ``:`` it is all user name;
- an empty component that the URL writes (the path of ``http://host``, the
  query of ``/a?``) is set to the empty string, as Java returns it.
"""

from __future__ import annotations

from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.row import Row
from cqlkit.language.javauri import UriParts, decode_component, parse_uri
from cqlkit.plan import nodes
from cqlkit.plan.signatures_calendar import url_prefix


def parse_url(call: nodes.BoundCall, event: Row, context: RunContext) -> None:
    """parseUrl(): set the URL component fields that the value has."""
    value = event.get(call.text("field"))
    if value is None:
        return
    parts = parse_uri(value)
    if parts is None:
        return
    prefix = url_prefix(call.arguments)
    for name, component in url_components(parts).items():
        if component is not None:
            event[f"{prefix}.{name}"] = component


def url_components(parts: UriParts) -> dict[str, str | None]:
    """Return the parseUrl() field values of a parsed URI, None where it has none."""
    username = password = None
    if parts.user_info is not None:
        username, colon, rest = parts.user_info.partition(":")
        password = rest if colon else None
    return {
        "scheme": parts.scheme,
        "username": _decoded(username),
        "password": _decoded(password),
        "host": parts.host,
        "port": None if parts.port is None else str(parts.port),
        "path": _decoded(parts.path),
        "query": _decoded(parts.query),
        "fragment": _decoded(parts.fragment),
    }


def _decoded(component: str | None) -> str | None:
    return None if component is None else decode_component(component)
