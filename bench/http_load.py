"""HTTP latency and throughput of the real server (`kbsearch serve`) under wrk, on loopback."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

from bench.workload import Workload

WRK_SCRIPT = """
local paths = {}
for line in io.lines("%(paths)s") do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT {\\"requests\\": %%d, \\"errors\\": %%d, \\"seconds\\": %%f, " ..
    "\\"p50\\": %%f, \\"p95\\": %%f, \\"p99\\": %%f}\\n", summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.status + summary.errors.timeout, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(index_dir: Path, workers: int = 2):
    """`kbsearch serve` on a free loopback port; yields (base URL, server process)."""
    port = free_port()
    # Load tools are one client sending hundreds of requests a second: no rate limit here.
    env = {**os.environ, "KBSEARCH_API_RATE_LIMIT": "0"}
    process = subprocess.Popen([sys.executable, "-m", "kbsearch.cli", "serve", "--index",
                                str(index_dir), "--port", str(port), "--workers", str(workers)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"{base}/api/search?q=mission", timeout=30)
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("kbsearch serve did not answer within a minute")
        yield base, process
    finally:
        process.terminate()
        process.wait(timeout=30)


def search_paths(work: Workload) -> list[str]:
    """The search page's API calls: words, with 0, 1 or 2 facet selections."""
    paths = []
    for i, query in enumerate(work.queries):
        params = {"q": query}
        if i % 3 >= 1:
            params["country"] = work.countries[i]
        if i % 3 == 2:
            params["sector"] = work.sectors[i]
        paths.append(f"/api/search?{urlencode(params)}")
    return paths


def wrk(base: str, paths: list[str], clients: int, seconds: int) -> dict:
    """Throughput and latency percentiles of `clients` connections for `seconds`."""
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is missing: apt-get install wrk")
    with tempfile.TemporaryDirectory() as scratch:
        path_file = Path(scratch) / "paths.txt"
        path_file.write_text("\n".join(paths) + "\n", encoding="utf-8")
        script = Path(scratch) / "mix.lua"
        script.write_text(WRK_SCRIPT % {"paths": path_file}, encoding="utf-8")
        output = subprocess.run(["wrk", "-t", str(min(clients, 4)), "-c", str(clients),
                                 "-d", f"{seconds}s", "--timeout", "10s", "-s", str(script),
                                 base], capture_output=True, text=True, check=True).stdout
    result = json.loads(re.search(r"RESULT (\{.*\})", output).group(1))
    result["throughput"] = result["requests"] / result["seconds"]
    return result


def worker_peak_rss_mb(server: subprocess.Popen) -> float:
    """The largest peak RSS (VmHWM) among the server's worker processes."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    peaks = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        peaks.append(int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024)
    return max(peaks, default=0.0)
