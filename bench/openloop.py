"""Open-loop HTTP load at a fixed rate, with latency measured from each request's scheduled time.

wrk keeps C connections busy (closed loop): when the server stalls, wrk simply sends less, and a
stall shows up as one slow request instead of all the requests that should have been sent during
it ("coordinated omission"). This client sends request i at t0 + i / rate whatever happened
before, on as many keep-alive connections as it needs (up to --connections), and reports each
latency from the scheduled send time (what a client on that schedule would see) as well as from
the actual send time. The requests are pre-built bytes; the client itself costs ~0.1 ms of CPU a
request, so at 500 req/s it takes about 5 % of a core.

    .venv/bin/python bench/openloop.py --port 8000 --rate 500 --payloads FILE   # POST webhooks
    .venv/bin/python bench/openloop.py --port 8000 --rate 500 --get /healthz --count 2500

FILE has one line per request: "event-id<TAB>sha256-hex<TAB>compact JSON body" (as made by
bench/ingest.py). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import sys
from pathlib import Path


def webhook_requests(path: Path, host: str, port: int, route: str) -> list[bytes]:
    """Pre-built, signed Greenhouse POSTs, one per line of the payload file."""
    out = []
    for line in path.read_bytes().splitlines():
        event_id, signature, body = line.split(b"\t", 2)
        head = (
            f"POST {route} HTTP/1.1\r\nHost: {host}:{port}\r\n"
            "Content-Type: application/json\r\n"
            f"Signature: sha256 {signature.decode()}\r\n"
            f"Greenhouse-Event-ID: {event_id.decode()}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        out.append(head.encode() + body)
    return out


def get_requests(route: str, host: str, port: int, count: int) -> list[bytes]:
    """The same GET, `count` times."""
    request = f"GET {route} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode()
    return [request] * count


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("server closed the connection")
    status = int(status_line.split(b" ", 2)[1])
    length = 0
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    body = await reader.readexactly(length) if length else b""
    return status, body


async def run(
    host: str, port: int, requests: list[bytes], rate: float, connections: int
) -> dict[str, object]:
    """Send `requests` at `rate` per second; returns counts and latency percentiles in ms."""
    loop = asyncio.get_running_loop()
    idle: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = asyncio.Queue()
    opened = 0
    for _ in range(min(connections, 32)):  # warm: connecting is not what is measured
        idle.put_nowait(await asyncio.open_connection(host, port))
        opened += 1
    results: list[tuple[float, float, float, int, bool]] = []
    errors: list[str] = []
    peak_in_flight = in_flight = 0

    async def connection() -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        nonlocal opened
        if idle.empty() and opened < connections:
            opened += 1
            return await asyncio.open_connection(host, port)
        return await idle.get()

    async def fire(request: bytes, scheduled: float) -> None:
        nonlocal in_flight, peak_in_flight
        in_flight += 1
        peak_in_flight = max(peak_in_flight, in_flight)
        reader, writer = await connection()
        sent = loop.time()
        try:
            writer.write(request)
            status, body = await _read_response(reader)
        except (ConnectionError, asyncio.IncompleteReadError, ValueError) as exc:
            errors.append(type(exc).__name__)
            writer.close()
            reader, writer = await asyncio.open_connection(host, port)
        else:
            results.append((scheduled, sent, loop.time(), status, b'"duplicate":false' in body))
        finally:
            in_flight -= 1
        idle.put_nowait((reader, writer))

    tasks = []
    interval = 1.0 / rate
    start = loop.time() + 0.05
    i = 0
    while i < len(requests):
        now = loop.time()
        while i < len(requests) and start + i * interval <= now:
            tasks.append(asyncio.ensure_future(fire(requests[i], start + i * interval)))
            i += 1
        if i < len(requests):
            await asyncio.sleep(max(0.0, start + i * interval - loop.time()))
    await asyncio.gather(*tasks)
    while not idle.empty():
        idle.get_nowait()[1].close()
    return summarise(results, errors, start, rate, opened, peak_in_flight)


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]


def summarise(
    results: list[tuple[float, float, float, int, bool]],
    errors: list[str],
    start: float,
    rate: float,
    connections: int,
    peak_in_flight: int,
) -> dict[str, object]:
    """Achieved rate, status counts and latency percentiles (ms) from schedule and from send."""
    done = max((r[2] for r in results), default=start)
    from_schedule = [(r[2] - r[0]) * 1000 for r in results]
    from_send = [(r[2] - r[1]) * 1000 for r in results]
    statuses: dict[str, int] = {}
    for r in results:
        statuses[str(r[3])] = statuses.get(str(r[3]), 0) + 1
    return {
        "offered_per_second": rate,
        "requests": len(results),
        "seconds": round(done - start, 3),
        "per_second": round(len(results) / (done - start), 1) if done > start else 0.0,
        "statuses": statuses,
        "acked_new": sum(1 for r in results if r[3] == 202 and r[4]),
        "errors": len(errors),
        "connections_opened": connections,
        "peak_in_flight": peak_in_flight,
        "p50_ms": round(_percentile(from_schedule, 0.50), 2),
        "p90_ms": round(_percentile(from_schedule, 0.90), 2),
        "p99_ms": round(_percentile(from_schedule, 0.99), 2),
        "p999_ms": round(_percentile(from_schedule, 0.999), 2),
        "max_ms": round(max(from_schedule, default=math.nan), 2),
        "p99_from_send_ms": round(_percentile(from_send, 0.99), 2),
    }


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--rate", type=float, required=True, help="requests per second offered")
    parser.add_argument("--connections", type=int, default=256, help="most keep-alive connections")
    parser.add_argument("--payloads", type=Path, help="webhook payload file (POST each line once)")
    parser.add_argument("--route", default="/webhooks/greenhouse")
    parser.add_argument("--get", help="GET this path instead (a baseline)")
    parser.add_argument("--count", type=int, default=2500, help="how many GETs")
    args = parser.parse_args()
    if args.get:
        requests = get_requests(args.get, args.host, args.port, args.count)
    elif args.payloads:
        requests = webhook_requests(args.payloads, args.host, args.port, args.route)
    else:
        parser.error("give --payloads FILE or --get PATH")
    result = asyncio.run(run(args.host, args.port, requests, args.rate, args.connections))
    print(json.dumps(result))
    sys.exit(0 if not result["errors"] else 1)


if __name__ == "__main__":
    main()
