"""Reading of input files and folders into events, the entry point of the sources package."""

from __future__ import annotations

import glob
import io
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import IO, TYPE_CHECKING, TypeVar

from cqlkit.errors import SourceError
from cqlkit.sources.aidmaster import add_computer_names, load_aidmaster
from cqlkit.sources.containers import STREAM_ERRORS, Member, iter_members
from cqlkit.sources.detect import (
    SNIFF_RECORD_LIMIT,
    check_format_name,
    detect_record_format,
    unknown_format_error,
)
from cqlkit.sources.evtxfile import evtx_event, open_evtx_records
from cqlkit.sources.fdr import fdr_event
from cqlkit.sources.jsonrecords import (
    BadRecord,
    JsonRecord,
    filtered_line_records,
    iter_json_records,
)
from cqlkit.sources.logscale import logscale_event
from cqlkit.sources.mapping import WindowsEventMapper
from cqlkit.sources.parquet import open_parquet_records
from cqlkit.sources.plainjson import plain_event
from cqlkit.sources.report import InvalidRecord, ReadReport, RejectedRecord
from cqlkit.sources.values import Event
from cqlkit.sources.winlogbeat import winlogbeat_event

if TYPE_CHECKING:
    from cqlkit.sources.prefilter import LineFilter

Converter = Callable[[dict[str, object], str], Event]

#: Record converters of the JSON formats.
CONVERTERS: dict[str, Converter] = {
    "fdr": fdr_event,
    "logscale": logscale_event,
    "winlogbeat": winlogbeat_event,
    "ndjson": plain_event,
}

#: Formats whose Sysmon 1 and Security 4688 events gain Falcon ProcessRollup2 fields.
MAPPED_FORMATS = frozenset({"winlogbeat", "evtx"})

PathArgument = str | os.PathLike[str]
JsonItem = JsonRecord | BadRecord


#: Characters that make an input path a glob pattern (``**`` matches folders recursively).
GLOB_CHARACTERS = ("*", "?")


@dataclass(frozen=True, slots=True)
class InputFile:
    """A file to read, and whether the caller named it rather than a folder or a glob."""

    path: str
    #: A named file must be of a known format. A file found in a folder or by a glob pattern is
    #: skipped, and listed in ``ReadReport.skipped_files``, when its format is not recognised.
    named: bool


def read_events(
    paths: Sequence[PathArgument] | PathArgument,
    *,
    input_format: str | None = None,
    aidmaster: PathArgument | None = None,
    report: ReadReport | None = None,
    strict: bool = False,
    line_filter: LineFilter | None = None,
) -> Iterator[Event]:
    """Read events from files, folders and glob patterns, detecting each file's format.

    Folders are walked recursively in sorted order. A path containing ``*`` or ``?`` that does
    not exist as written is a glob pattern, where ``**`` also matches folders recursively. Its
    matches are read in sorted order. Files in folders and files matched by a pattern whose
    format is not recognised (a README, a CSV) are skipped and listed in
    ``report.skipped_files``. A given ``input_format`` applies to every named file, and to every
    other file that contains JSON objects. A record that cannot be read is counted in
    ``report`` and skipped, unless ``strict`` is set.

    Raises SourceError at once for a path that does not exist, a glob pattern that matches
    nothing, an unknown ``input_format`` or an unreadable ``aidmaster`` file. Raises it while
    reading for a file that cannot be opened, a named file of unknown format, and, with
    ``strict``, the first invalid record.
    """
    check_format_name(input_format)
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    inputs = expand_paths(paths)
    return read_input_files(
        inputs,
        input_format=input_format,
        aidmaster=aidmaster,
        report=report,
        strict=strict,
        line_filter=line_filter,
    )


def read_input_files(
    inputs: Sequence[InputFile],
    *,
    input_format: str | None = None,
    aidmaster: PathArgument | None = None,
    report: ReadReport | None = None,
    strict: bool = False,
    line_filter: LineFilter | None = None,
) -> Iterator[Event]:
    """Read events from files that :func:`expand_paths` listed, as :func:`read_events` does.

    One reader reads every file in order, so Security 4688 events find their parent process
    among the 4688 events of earlier files too. ``report.files`` gains each file's path just
    before its first event is yielded.
    """
    check_format_name(input_format)
    hosts = load_aidmaster(aidmaster) if aidmaster is not None else {}
    reader = _Reader(report if report is not None else ReadReport(), input_format, hosts, strict)
    reader.line_filter = line_filter
    return reader.read(inputs)


# Fields that FDR and LogScale readers compute instead of copying from the line.
_COMPUTED_FIELDS = frozenset({"@timestamp", "@ingesttimestamp", "#type"})


def raw_line_field(field: str | None, *, aidmaster: bool) -> bool:
    """Tell whether the value of ``field`` (None for free text, which reads every
    field) always appears in the raw NDJSON line of FDR and LogScale events.

    A line filter may only use literals on such fields. With an aid master file,
    ``ComputerName`` comes from that file, not from the line.
    """
    if field is None:
        return not aidmaster
    if aidmaster and field == "ComputerName":
        return False
    return field not in _COMPUTED_FIELDS


def expand_paths(paths: Iterable[PathArgument]) -> list[InputFile]:
    """List every file to read: named files, files in folders and files matching patterns.

    A file reached twice, for example through two overlapping patterns, is listed once.
    Raises SourceError for a path that does not exist and a pattern that matches nothing.
    """
    inputs: list[InputFile] = []
    seen: set[str] = set()
    for path in paths:
        for found in _expand_path(os.fspath(path)):
            if found.path not in seen:
                seen.add(found.path)
                inputs.append(found)
    return inputs


def _expand_path(name: str) -> Iterator[InputFile]:
    if os.path.isdir(name):
        for found in _walk_folder(name):
            yield InputFile(found, named=False)
    elif os.path.exists(name):
        yield InputFile(name, named=True)
    elif any(character in name for character in GLOB_CHARACTERS):
        yield from _glob_files(name)
    else:
        raise SourceError(
            f"input path not found: {name}",
            hint="pass existing files or folders, or a glob pattern such as 'logs/**/*.json'; "
            "folders are read recursively",
        )


def _glob_files(pattern: str) -> Iterator[InputFile]:
    matches = sorted(glob.glob(pattern, recursive=True))
    if not matches:
        raise SourceError(
            f"no file matches the glob pattern {pattern}",
            hint="check the pattern: * and ? match within one folder name, "
            "** matches any number of folders",
        )
    for match in matches:
        if os.path.isdir(match):
            for found in _walk_folder(match):
                yield InputFile(found, named=False)
        else:
            yield InputFile(match, named=False)


def _walk_folder(folder: str) -> Iterator[str]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(name for name in dirs if not name.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield os.path.join(root, name)


class _Reader:
    """State of one read_events call: options, the report and the Windows event mapper."""

    def __init__(
        self, report: ReadReport, input_format: str | None, hosts: dict[str, str], strict: bool
    ) -> None:
        self.report = report
        self.input_format = input_format
        self.hosts = hosts
        self.strict = strict
        self.mapper = WindowsEventMapper()
        self.line_filter: LineFilter | None = None

    def read(self, inputs: Sequence[InputFile]) -> Iterator[Event]:
        for found in inputs:
            yield from self._read_file(found.path, found.named)

    def _read_file(self, path: str, named: bool) -> Iterator[Event]:
        recognised = False
        for member in iter_members(path):
            events = self._member_events(member, named)
            if events is None:
                self.report.skipped_files.append(member.name)
                continue
            if not recognised:
                self.report.files.append(path)
                recognised = True
            yield from events
        if named and not recognised:
            raise unknown_format_error(path)

    def _member_events(self, member: Member, named: bool) -> Iterator[Event] | None:
        """Return the member's events, or None when its format is not recognised."""
        if self.input_format == "evtx" or (self.input_format is None and member.is_evtx):
            return self._evtx_events(member)
        if self.input_format == "parquet" or (self.input_format is None and member.is_parquet):
            return self._parquet_events(member)

        stream = _open_member(member)
        records = iter_json_records(stream)
        try:
            input_format, sniffed = self._detect_format(records, named)
        except STREAM_ERRORS as exc:
            stream.close()
            raise SourceError(
                f"cannot read {member.name}: {exc}",
                hint="check that the file is complete and not damaged",
            ) from exc
        if input_format is None:
            stream.close()
            return None if sniffed else iter(())
        if self.line_filter is not None and input_format in _FILTERABLE and _read_by_line(sniffed):
            # The lines read to detect the format are parsed already; the rest is filtered.
            rest = filtered_line_records(stream, _next_line(sniffed), self.line_filter.filter_chunk)
            return self._json_events(member.name, stream, input_format, chain(sniffed, rest))
        return self._json_events(member.name, stream, input_format, chain(sniffed, records))

    def _detect_format(
        self, records: Iterator[JsonItem], named: bool
    ) -> tuple[str | None, list[JsonItem]]:
        """Return the format and the records read to find it, or None if no record matched.

        A format given by the caller applies to any file the caller named. A file found in a
        folder must still contain a JSON object, so a README next to the data is skipped.
        """
        sniffed: list[JsonItem] = []
        for item in records:
            sniffed.append(item)
            if isinstance(item, JsonRecord):
                found = self.input_format or detect_record_format(item.value)
                if found is not None:
                    return found, sniffed
            if len(sniffed) >= SNIFF_RECORD_LIMIT:
                break
        if self.input_format is not None and (named or not sniffed):
            return self.input_format, sniffed
        return None, sniffed

    def _json_events(
        self, name: str, stream: IO[bytes], input_format: str, items: Iterator[JsonItem]
    ) -> Iterator[Event]:
        convert = CONVERTERS[input_format]
        last_location = ""
        with stream:
            try:
                for item in items:
                    last_location = item.location
                    if isinstance(item, BadRecord):
                        self._reject(name, item.location, item.reason)
                        continue
                    try:
                        event = convert(item.value, item.raw)
                    except InvalidRecord as exc:
                        self._reject(name, item.location, str(exc))
                        continue
                    yield self._finish(event, input_format)
            except STREAM_ERRORS as exc:
                # A damaged or truncated compressed stream ends the file, not the whole read.
                location = f"after {last_location}" if last_location else "line 1"
                self._reject(name, location, f"cannot read the rest of the file: {exc}")

    def _evtx_events(self, member: Member) -> Iterator[Event]:
        records = _open_binary(
            member, open_evtx_records, "EVTX", "check that the file is a Windows event log (.evtx)"
        )
        for item in records:
            if isinstance(item, BadRecord):
                self._reject(member.name, item.location, item.reason)
                continue
            location, json_text, header_time = item
            try:
                event = evtx_event(json_text, header_time)
            except InvalidRecord as exc:
                self._reject(member.name, location, str(exc))
                continue
            yield self._finish(event, "evtx")

    def _parquet_events(self, member: Member) -> Iterator[Event]:
        # NOTE: Parquet needs random access to its footer, so a Parquet member of a zip or
        # gzip file is read into memory whole. A Parquet file on disk is read batch by batch.
        records = _open_binary(
            member,
            open_parquet_records,
            "Parquet",
            "check that the file is a complete Parquet file",
        )
        for item in records:
            if isinstance(item, BadRecord):
                self._reject(member.name, item.location, item.reason)
                continue
            yield self._finish(item, "parquet")

    def _finish(self, event: Event, input_format: str) -> Event:
        if self.hosts and "aid" in event:
            add_computer_names(event, self.hosts)
        if input_format in MAPPED_FORMATS:
            self.mapper.apply(event)
        self.report.events_read += 1
        return event

    def _reject(self, path: str, location: str, reason: str) -> None:
        problem = RejectedRecord(path, location, reason)
        self.report.add_rejected(problem)
        if self.strict:
            raise SourceError(
                f"invalid record at {problem}",
                hint="fix or remove that record, or read without strict mode "
                "to skip invalid records and count them",
            )


_T = TypeVar("_T")
_FILTERABLE = frozenset({"fdr", "logscale", "ndjson"})


def _read_by_line(sniffed: list[JsonItem]) -> bool:
    """True when the records come from NDJSON lines, not from one JSON array."""
    return all(item.location.startswith("line ") for item in sniffed)


def _next_line(sniffed: list[JsonItem]) -> int:
    if not sniffed:
        return 1
    return int(sniffed[-1].location.removeprefix("line ")) + 1


def _open_binary(
    member: Member, opener: Callable[[str | IO[bytes]], Iterator[_T]], kind: str, hint: str
) -> Iterator[_T]:
    """Open a binary format (EVTX, Parquet) from disk, or from memory for an archive member.

    Raises SourceError naming the file when ``opener`` cannot read it.
    """
    source = member.disk_path or io.BytesIO(_read_member_bytes(member))
    try:
        return opener(source)
    except OSError as exc:
        raise SourceError(
            f"cannot read {member.name} as {kind}: {exc}",
            hint=f"{hint}, or choose another format with --input-format",
        ) from exc


def _open_member(member: Member) -> IO[bytes]:
    try:
        return member.open()
    except OSError as exc:
        raise SourceError(
            f"cannot open {member.name}: {exc.strerror or exc}",
            hint="check that the file exists and is readable",
        ) from exc


def _read_member_bytes(member: Member) -> bytes:
    with _open_member(member) as stream:
        try:
            return stream.read()
        except STREAM_ERRORS as exc:
            raise SourceError(
                f"cannot read {member.name}: {exc}",
                hint="check that the file is complete and not damaged",
            ) from exc
