"""Conversions of Windows event values into the forms Falcon uses."""

from __future__ import annotations

import hashlib

#: Volume number given to drive ``C:`` in NT device paths (``\\Device\\HarddiskVolume2``).
#: Real hosts vary: the OTRF Azure VMs report volume 2, other Falcon samples volume 3. Other
#: drive letters count up from it (``D:`` is volume 3), so different drives stay different.
SYSTEM_DRIVE_VOLUME = 2

#: Mandatory integrity level names written by Sysmon, as the RID of the label SID.
#: Sysmon writes "AppContainer" for AppContainer tokens, which run at Low integrity.
INTEGRITY_LEVEL_RIDS: dict[str, str] = {
    "untrusted": "0",
    "low": "4096",
    "appcontainer": "4096",
    "medium": "8192",
    "mediumplus": "8448",
    "medium plus": "8448",
    "high": "12288",
    "system": "16384",
    "protected": "20480",
}

#: Account names of well-known service SIDs, as Sysmon's ``User`` field writes them. Security
#: 4688 names these accounts differently (the machine account ``HOST$`` for SYSTEM).
WELL_KNOWN_ACCOUNTS: dict[str, str] = {
    "S-1-5-18": "NT AUTHORITY\\SYSTEM",
    "S-1-5-19": "NT AUTHORITY\\LOCAL SERVICE",
    "S-1-5-20": "NT AUTHORITY\\NETWORK SERVICE",
}

#: Sysmon ``Hashes`` algorithm names and the Falcon fields that store them.
HASH_FIELDS: dict[str, str] = {
    "SHA256": "SHA256HashData",
    "MD5": "MD5HashData",
    "SHA1": "SHA1HashData",
}

_MANDATORY_LABEL_PREFIX = "S-1-16-"


def to_device_path(path: str) -> str:
    r"""Rewrite a Win32 path as the NT device path Falcon reports in ``ImageFileName``.

    ``C:\Windows\cmd.exe`` becomes ``\Device\HarddiskVolume2\Windows\cmd.exe`` and a UNC path
    ``\\srv\share\a.exe`` becomes ``\Device\Mup\srv\share\a.exe``. Names without a drive, such
    as ``System`` or ``Registry``, are returned unchanged.
    """
    if path.startswith(("\\\\?\\", "\\??\\")):
        path = path[4:]
    if len(path) >= 2 and path[1] == ":" and path[0].isascii() and path[0].isalpha():
        volume = SYSTEM_DRIVE_VOLUME + ord(path[0].upper()) - ord("C")
        return f"\\Device\\HarddiskVolume{volume}{path[2:]}"
    if path.startswith("\\\\"):
        return "\\Device\\Mup" + path[1:]
    return path


def split_image_path(path: str) -> tuple[str, str]:
    r"""Split a path into LogScale's ``FilePath`` and ``FileName``.

    ``FilePath`` keeps the device prefix and the trailing backslash
    (``\Device\HarddiskVolume2\Windows\System32\``). CrowdStrike's published queries strip
    that prefix from ``FilePath`` themselves and match ``\\System32\\`` at its end.
    """
    cut = path.rfind("\\") + 1
    return path[:cut], path[cut:]


def base_name(path: str) -> str:
    """Return the last component of a Windows path."""
    return path[path.rfind("\\") + 1 :]


def short_host_name(host: str) -> str:
    """Return the host name without its DNS domain, the form of Falcon's ``ComputerName``."""
    return host.partition(".")[0]


def hex_to_decimal(text: str) -> str | None:
    """Convert ``0x24f0`` (or ``24f0``) to ``9456``, or return None when the text is not hex."""
    try:
        return str(int(text, 16))
    except ValueError:
        return None


def integrity_level_rid(name: str) -> str | None:
    """Return the RID for a Sysmon integrity level name such as ``High``, or None."""
    return INTEGRITY_LEVEL_RIDS.get(name.strip().lower())


def mandatory_label_rid(sid: str) -> str | None:
    """Return the RID of a mandatory label SID: ``S-1-16-12288`` gives ``12288``."""
    label = sid.strip().upper()
    if not label.startswith(_MANDATORY_LABEL_PREFIX):
        return None
    rid = label[len(_MANDATORY_LABEL_PREFIX) :]
    return rid if rid.isdigit() else None


def parse_hashes(text: str) -> dict[str, str]:
    """Map Sysmon ``SHA1=…,MD5=…,SHA256=…`` to Falcon hash fields, in lower case."""
    hashes: dict[str, str] = {}
    for part in text.split(","):
        algorithm, _, digest = part.partition("=")
        field = HASH_FIELDS.get(algorithm.strip().upper())
        if field and digest:
            hashes[field] = digest.strip().lower()
    return hashes


def join_account(domain: str | None, user: str | None) -> str | None:
    r"""Join a domain and a user name as ``DOMAIN\user``, leaving out an empty or ``-`` domain."""
    if not user or user == "-":
        return None
    if not domain or domain == "-":
        return user
    return f"{domain}\\{user}"


def stable_id(*parts: str) -> str:
    """Derive a decimal 63-bit identifier from text parts. The same parts give the same id."""
    digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).digest()
    return str(int.from_bytes(digest, "big") >> 1)


def stable_agent_id(host: str) -> str:
    """Derive a 32-digit hex stand-in for a Falcon ``aid`` from a lower-case host name."""
    return hashlib.blake2b(host.encode(), digest_size=16).hexdigest()
