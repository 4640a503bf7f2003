"""Runs wrk (`wrk --latency`) and reads Requests/sec and the 99th-percentile latency from its
report."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

INSTALL_HINT = "wrk is not installed; install it with: apt-get install wrk"

_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_DURATION = r"([\d.]+)(us|ms|s|m|h)"
_P99 = re.compile(rf"^\s*99(?:\.000)?%\s+{_DURATION}\s*$", re.MULTILINE)
_RPS = re.compile(r"^Requests/sec:\s+([\d.]+)\s*$", re.MULTILINE)
_TOTAL = re.compile(r"^\s*(\d+) requests in ", re.MULTILINE)
_NON_2XX = re.compile(r"^\s*Non-2xx or 3xx responses:\s+(\d+)\s*$", re.MULTILINE)
_SOCKET_ERRORS = re.compile(
    r"^\s*Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)\s*$", re.MULTILINE
)


class WrkMissing(RuntimeError):
    pass


class WrkOutputError(ValueError):
    """wrk's report lacks a line the harness needs."""


@dataclass(frozen=True, slots=True)
class WrkResult:
    requests_per_s: float
    p99_s: float
    requests: int
    non_2xx: int
    socket_errors: int
    report: str

    @property
    def clean(self) -> bool:
        """Every response was 2xx or 3xx and no socket failed."""
        return self.non_2xx == 0 and self.socket_errors == 0


def wrk_path() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise WrkMissing(INSTALL_HINT)
    return found


def parse_duration(value: str, unit: str) -> float:
    return float(value) * _UNITS[unit]


def parse_report(report: str) -> WrkResult:
    p99 = _P99.search(report)
    rps = _RPS.search(report)
    total = _TOTAL.search(report)
    if p99 is None or rps is None or total is None:
        raise WrkOutputError("wrk's report has no 99% latency or Requests/sec line:\n" + report)
    non_2xx = _NON_2XX.search(report)
    socket_errors = _SOCKET_ERRORS.search(report)
    return WrkResult(
        requests_per_s=float(rps.group(1)),
        p99_s=parse_duration(p99.group(1), p99.group(2)),
        requests=int(total.group(1)),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(g) for g in socket_errors.groups()) if socket_errors else 0,
        report=report,
    )


def _lua_string(text: str) -> str:
    level = "=" * 3
    while f"]{level}]" in text:
        level += "="
    return f"[{level}[{text}]{level}]"


def post_script(path: Path, body: str, token: str) -> Path:
    """A wrk script that POSTs `body` as JSON with the bearer token."""
    path.write_text(
        "\n".join(
            [
                'wrk.method = "POST"',
                f"wrk.body = {_lua_string(body)}",
                'wrk.headers["Content-Type"] = "application/json"',
                f'wrk.headers["Authorization"] = {_lua_string("Bearer " + token)}',
                "",
            ]
        )
    )
    return path


def run_wrk(
    url: str,
    script: Path,
    *,
    connections: int,
    duration_s: int,
    threads: int,
) -> WrkResult:
    argv = [
        wrk_path(),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration_s}s",
        "--timeout",
        "30s",
        "--latency",
        "-s",
        str(script),
        url,
    ]
    done = subprocess.run(
        argv, capture_output=True, text=True, timeout=duration_s + 120, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return parse_report(done.stdout)
