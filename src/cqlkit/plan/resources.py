"""Local data that a query may use besides its events.

LogScale keeps lookup files, saved searches, GeoIP data and threat
intelligence in the tenant. Offline, the user points cqlkit to local copies.
The planner reads them, so a missing file is a ``check`` error and the
engines receive the data inside the plan.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Resources:
    """The locations of the local data of one run.

    - ``lookup_dir``: CSV and JSON files for match() and readFile() (``--lookup-dir``);
    - ``library_dir``: saved searches, one ``NAME.cql`` file each, for ``$NAME()``
      (``--library``);
    - ``geoip_database`` and ``asn_database``: MaxMind-format ``.mmdb`` files for
      ipLocation() and asn() (``--geoip-db``, ``--asn-db``);
    - ``ioc_file``: the indicator file of ioc:lookup() (``--ioc-file``);
    - ``now_ms``: the query time in epoch milliseconds, which now() returns for
      every event of the run, as LogScale fixes it per query (``--now``).
    """

    lookup_dir: Path | None = None
    library_dir: Path | None = None
    geoip_database: Path | None = None
    asn_database: Path | None = None
    ioc_file: Path | None = None
    now_ms: int | None = None

    def query_time(self) -> int:
        """Return the query time in epoch milliseconds: ``now_ms`` or the clock."""
        return self.now_ms if self.now_ms is not None else int(time.time() * 1000)
