"""Ingest benchmark: signed Greenhouse webhooks from concurrent clients to `leerpad serve`.

Starts `leerpad serve` on loopback (SQLite in a temp folder, inline processing), posts N
deliveries with distinct Greenhouse-Event-IDs from C concurrent clients, and prints requests/s
and latency percentiles. The baseline in the same run is GET /healthz (one database round trip).

    .venv/bin/python bench/ingest.py --requests 3000 --concurrency 32
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-secret"


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _body() -> bytes:
    path = ROOT / "tests" / "fixtures" / "webhooks" / "greenhouse" / "candidate_stage_change.json"
    return path.read_bytes()


async def _blast(url: str, n: int, concurrency: int, *, post: bool) -> list[float]:
    raw = _body()
    signature = hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
    latencies: list[float] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(n):
        queue.put_nowait(i)

    async def worker(client: httpx.AsyncClient) -> None:
        while not queue.empty():
            i = queue.get_nowait()
            started = time.perf_counter()
            if post:
                headers = {"Signature": f"sha256 {signature}", "Greenhouse-Event-ID": f"bench-{i}"}
                response = await client.post(url, content=raw, headers=headers)
                ok = response.status_code == 202
            else:
                response = await client.get(url)
                ok = response.status_code == 200
            if not ok:
                raise SystemExit(f"unexpected {response.status_code}: {response.text[:200]}")
            latencies.append(time.perf_counter() - started)

    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    return latencies


def _summary(latencies: list[float], seconds: float) -> dict[str, float]:
    ordered = sorted(latencies)
    return {
        "requests": len(ordered),
        "per_second": round(len(ordered) / seconds, 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1] * 1000, 1),
    }


def run(requests: int, concurrency: int, database_url: str | None) -> dict:
    """Serve, measure the health baseline and the webhook path, stop the server."""
    with tempfile.TemporaryDirectory() as tmp:
        port = _port()
        env = os.environ | {
            "LEERPAD_DATABASE_URL": database_url or f"sqlite:///{tmp}/ingest.db",
            "LEERPAD_SECRET_GREENHOUSE": SECRET,
            "LEERPAD_OUTBOX_DIR": f"{tmp}/outbox",
            "LEERPAD_WEBHOOK_RATE": "off",  # one client IP sends everything: measure, not limit
        }
        env.pop("PREFECT_API_URL", None)
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "leerpad"), "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(200):
                try:
                    if httpx.get(f"{base}/healthz").status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.05)
            results = {}
            for name, url, post in (
                ("healthz", f"{base}/healthz", False),
                ("webhook", f"{base}/webhooks/greenhouse", True),
            ):
                started = time.perf_counter()
                latencies = asyncio.run(_blast(url, requests, concurrency, post=post))
                results[name] = _summary(latencies, time.perf_counter() - started)
        finally:
            server.terminate()
            server.wait(timeout=30)
    results["ratio"] = round(results["webhook"]["per_second"] / results["healthz"]["per_second"], 3)
    return results


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--database-url", help="e.g. postgresql+psycopg://postgres@127.0.0.1/test")
    args = parser.parse_args()
    print(json.dumps(run(args.requests, args.concurrency, args.database_url), indent=2))


if __name__ == "__main__":
    main()
