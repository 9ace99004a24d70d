"""The ``--input-format`` choices of the commands that read input files."""

from __future__ import annotations

import click
import pytest

from cqlkit.cli.main import cli
from cqlkit.sources import FORMATS


@pytest.mark.parametrize("command", ["hunt", "run", "ingest"])
def test_input_format_choices_match_sources(command: str) -> None:
    """A format added to cqlkit.sources must also be accepted on the command line."""
    options = {param.name: param for param in cli.commands[command].params}

    choice = options["input_format"].type

    assert isinstance(choice, click.Choice)
    assert list(choice.choices) == list(FORMATS)
