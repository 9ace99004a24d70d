"""Conversion of parsed JSON values into flat events of text fields, and of times to epoch ms.

LogScale stores every field value as text, and ``parseJson()`` flattens nested data:
``{"a": {"b": 1}}`` becomes ``a.b=1`` and ``{"x": [5, 6]}`` becomes ``x[0]=5``, ``x[1]=6``.
https://library.humio.com/data-analysis/functions-parsejson.html
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

Event = dict[str, str]

#: Text for a JSON ``null``. LogScale ``parseJson(handleNull="keep")``, the default, turns
#: null into the string "null".
NULL_TEXT = "null"

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_MS = timedelta(milliseconds=1)


def scalar_text(value: object, null_text: str = NULL_TEXT) -> str:
    """Return the LogScale text of a JSON scalar: ``4688``, ``true``, ``false``, ``null``.

    NOTE: orjson parses a JSON number with a fraction or exponent into a float, so its spelling
    is lost. The text is Python's shortest round-trip form: ``1.50`` becomes ``1.5`` and
    ``1e3`` becomes ``1000.0``.
    """
    if isinstance(value, str):
        return value
    if value is None:
        return null_text
    # bool is tested before int because bool is a subclass of int.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def flatten_object(obj: dict[str, object], null_text: str = NULL_TEXT) -> Event:
    """Flatten a parsed JSON object into an event: nested keys joined by ``.``, items by ``[i]``.

    Empty objects and arrays produce no field.
    """
    event: Event = {}
    for key, value in obj.items():
        if type(value) is str:
            event[key] = value
        elif isinstance(value, dict | list):
            flatten_value(event, key, value, null_text)
        else:
            event[key] = scalar_text(value, null_text)
    return event


def flatten_value(event: Event, key: str, value: object, null_text: str = NULL_TEXT) -> None:
    """Store ``value`` under ``key`` in ``event``, flattening objects and arrays below it."""
    if isinstance(value, dict):
        for child_key, child in value.items():
            flatten_value(event, f"{key}.{child_key}", child, null_text)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            flatten_value(event, f"{key}[{index}]", child, null_text)
    else:
        event[key] = scalar_text(value, null_text)


def iso_to_epoch_ms(text: str) -> int:
    """Convert an ISO-8601 time to epoch milliseconds, truncating sub-millisecond digits.

    A time without a zone is read as UTC, as Sysmon writes ``UtcTime``
    (``2020-10-22 05:54:23.975``). The evtx package's ``" UTC"`` suffix is accepted.
    Raises ValueError when the text is not an ISO-8601 time.
    """
    text = text.strip().removesuffix(" UTC")
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH) // _ONE_MS


def timestamp_to_epoch_ms(value: object) -> int:
    """Convert a LogScale ``@timestamp`` (epoch ms as a number or digits, or ISO-8601) to ms.

    Raises ValueError for any other value.
    """
    if isinstance(value, bool):
        raise ValueError(f"expected a time, got {scalar_text(value)}")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    if isinstance(value, str):
        if value.isdigit():
            return int(value)
        return iso_to_epoch_ms(value)
    raise ValueError(f"expected a time, got {type(value).__name__}")


def seconds_text_to_ms(text: str) -> int:
    """Convert epoch seconds with a decimal fraction (``"1625677502.233"``) to milliseconds."""
    whole, _, fraction = text.strip().partition(".")
    if not whole.isdigit() or (fraction and not fraction.isdigit()):
        raise ValueError(f"expected epoch seconds such as 1625677502.233, got {text!r}")
    return int(whole) * 1000 + int((fraction + "000")[:3])


def ms_to_seconds_text(ms: int) -> str:
    """Format epoch milliseconds as Falcon's epoch seconds with three decimals."""
    seconds, millis = divmod(ms, 1000)
    return f"{seconds}.{millis:03d}"
