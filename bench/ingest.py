"""Ingest benchmark: signed Greenhouse webhooks from concurrent clients to `leerpad serve`.

Starts `leerpad serve` on loopback (a fresh SQLite file in WAL mode, or a fresh PostgreSQL
database), then, per concurrency level, measures in the same run:

1. the baseline: GET /healthz (one database round trip) for a fixed time;
2. the webhook path: N distinct, correctly signed Greenhouse deliveries (distinct event ids and
   bodies) to POST /webhooks/greenhouse, each sent until it is acknowledged as new (202).

Afterwards it checks that the inbox holds exactly N rows, one per distinct event. The load comes
from `wrk` (C; `apt-get install wrk`) with bench/wrk/webhooks.lua, or from a Python client
(`--tool python`, httpx; slower than the server, so it measures itself as much as the server).

    .venv/bin/python bench/ingest.py --requests 6000 --concurrency 32 64
    .venv/bin/python bench/ingest.py --database postgres --workers 2 --process deferred
    .venv/bin/python bench/ingest.py --code /tmp/leerpad-before   # serve another checkout
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import hashlib
import hmac
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-secret"
WRK_DIR = Path(__file__).resolve().parent / "wrk"
FIXTURE = ROOT / "tests" / "fixtures" / "webhooks" / "greenhouse" / "candidate_stage_change.json"
POSTGRES_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def deliveries(n: int, run: str) -> list[tuple[str, str, bytes]]:
    """N distinct signed deliveries: (event id, hex HMAC-SHA256 of the body, body)."""
    template = json.loads(FIXTURE.read_bytes())
    out = []
    for i in range(n):
        body = copy.deepcopy(template)
        body["payload"]["application"]["id"] = 1_000_000 + i
        body["payload"]["application"]["candidate"]["id"] = 2_000_000 + i
        raw = json.dumps(body, separators=(",", ":")).encode()
        signature = hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
        out.append((f"bench-{run}-{i}", signature, raw))
    return out


def write_payloads(path: Path, items: list[tuple[str, str, bytes]]) -> None:
    """One line per delivery for bench/wrk/webhooks.lua: id TAB signature TAB body."""
    with path.open("wb") as out:
        for event_id, signature, raw in items:
            out.write(f"{event_id}\t{signature}\t".encode() + raw + b"\n")


def wrk(
    url: str,
    *,
    concurrency: int,
    threads: int,
    script: Path,
    seconds: float,
    env: dict[str, str] | None = None,
    done_prefix: str | None = None,
) -> dict[str, float]:
    """Run wrk and return the RESULT line its script prints.

    With `done_prefix`, the script marks each finished thread with a file; once all are there wrk
    gets SIGINT, which ends its run (and its clock) without waiting out -d.
    """
    command = ["wrk", "-t", str(threads), "-c", str(concurrency), "-d", f"{seconds:g}s",
               "--timeout", "30s", "-s", str(script), url]  # fmt: skip
    extra = (env or {}) | ({"DONE_PREFIX": done_prefix} if done_prefix else {})
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ | extra
    )
    if done_prefix:
        markers = [Path(f"{done_prefix}{i}") for i in range(threads)]
        while process.poll() is None and not all(m.exists() for m in markers):
            time.sleep(0.005)
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate()
    match = re.search(r"^RESULT (\{.*\})$", stdout, re.MULTILINE)
    if match is None:
        raise SystemExit(f"wrk printed no RESULT:\n{stdout}\n{stderr}")
    result = json.loads(match.group(1))
    result["per_second"] = round(result["requests"] / result["seconds"], 1)
    return result


async def _blast(
    url: str, items: list[tuple[str, str, bytes]] | int, concurrency: int
) -> list[float]:
    """The Python client: POST each delivery (or GET `items` times); latencies in seconds."""
    latencies: list[float] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(items if isinstance(items, int) else len(items)):
        queue.put_nowait(i)

    async def worker(client: httpx.AsyncClient) -> None:
        while not queue.empty():
            i = queue.get_nowait()
            started = time.perf_counter()
            if isinstance(items, int):
                response = await client.get(url)
                ok = response.status_code == 200
            else:
                event_id, signature, raw = items[i]
                headers = {"Signature": f"sha256 {signature}", "Greenhouse-Event-ID": event_id}
                response = await client.post(url, content=raw, headers=headers)
                ok = response.status_code == 202
            if not ok:
                raise SystemExit(f"unexpected {response.status_code}: {response.text[:200]}")
            latencies.append(time.perf_counter() - started)

    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    return latencies


def python_client(url: str, items: list[tuple[str, str, bytes]] | int, concurrency: int) -> dict:
    """Measure with the Python client; the same fields as the wrk RESULT line."""
    started = time.perf_counter()
    latencies = sorted(asyncio.run(_blast(url, items, concurrency)))
    seconds = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "per_second": round(len(latencies) / seconds, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p99_ms": round(latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000, 2),
        "refused": 0,
    }


def cpu_seconds(root: int) -> float:
    """User + system CPU seconds of a process and its descendants (workers, processor)."""
    tick, children, total = os.sysconf("SC_CLK_TCK"), {root}, 0.0
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    grew = True
    while grew:
        found = {pid for pid, (parent, _) in stats.items() if parent in children} - children
        children |= found
        grew = bool(found)
    for pid in children:
        if pid in stats:
            total += stats[pid][1] / tick
    return total


def with_cpu(pid: int, measure_once):  # type: ignore[no-untyped-def]
    """Run a measurement; add the server's CPU milliseconds per request to its result."""
    before = cpu_seconds(pid)
    result = measure_once()
    used = cpu_seconds(pid) - before
    result["server_cpu_ms_per_request"] = round(1000 * used / max(1, result["requests"]), 2)
    return result


def fresh_postgres(name: str) -> str:
    """Drop and create database `name` on the local PostgreSQL; return its URL."""
    from sqlalchemy import create_engine, text

    admin = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return POSTGRES_ADMIN.rsplit("/", 1)[0] + f"/{name}"


def inbox_count(url: str, run: str) -> tuple[int, int]:
    """(rows, distinct dedupe keys) of this run's deliveries in the inbox."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        rows, keys = conn.execute(
            text(
                "select count(*), count(distinct dedupe_key) from inbox_event "
                "where dedupe_key like :pattern"
            ),  # fmt: skip
            {"pattern": f"greenhouse:bench-{run}-%"},
        ).one()
    engine.dispose()
    return int(rows), int(keys)


def serve(url: str, tmp: str, args: argparse.Namespace) -> tuple[subprocess.Popen, str]:
    """Start `leerpad serve` from the chosen checkout; wait for /healthz."""
    port, code = _port(), Path(args.code).resolve() if args.code else ROOT
    env = os.environ | {
        "PYTHONPATH": os.pathsep.join(filter(None, [str(code), args.extra_path])),
        "LEERPAD_DATABASE_URL": url,
        "LEERPAD_SECRET_GREENHOUSE": SECRET,
        "LEERPAD_OUTBOX_DIR": f"{tmp}/outbox",
        "LEERPAD_WEBHOOK_RATE": "off",  # one client IP sends everything: measure, not limit
        "PREFECT_HOME": f"{tmp}/prefect",
    }
    env.pop("PREFECT_API_URL", None)
    launch = "import sys; sys.argv[0] = 'leerpad'; from flows.cli import main; main()"
    command = [sys.executable, "-c", launch, "serve", "--port", str(port)]
    if args.workers:
        command += ["--workers", str(args.workers)]
    if args.process:
        command += ["--process", args.process]
    log = open(f"{tmp}/serve.log", "wb")  # noqa: SIM115  (closed with the temp folder)
    server = subprocess.Popen(command, env=env, cwd=tmp, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(f"{base}/healthz").status_code == 200:
                return server, base
        except httpx.HTTPError:
            time.sleep(0.05)
        if server.poll() is not None:
            break
    server.terminate()
    raise SystemExit(f"leerpad serve did not start:\n{Path(tmp, 'serve.log').read_text()[-3000:]}")


def start_profile(pid: int, prefix: str | None, concurrency: int, round_no: int):  # type: ignore[no-untyped-def]
    """py-spy on the server and its worker processes while the webhooks run (collapsed stacks)."""
    if not prefix:
        return None
    out = f"{prefix}-c{concurrency}-{round_no}.txt"
    command = [os.environ.get("PY_SPY", "py-spy"), "record", "--pid", str(pid), "--subprocesses",
               "--rate", "250", "--format", "raw", "--output", out]  # fmt: skip
    if os.environ.get("PY_SPY_IDLE", "1") == "1":  # waits too (PY_SPY_IDLE=0: CPU only)
        command.append("--idle")
    profiler = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)  # let py-spy attach
    return profiler


def stop_profile(profiler: subprocess.Popen | None) -> None:
    """Stop py-spy; it writes its file on SIGINT."""
    if profiler is not None:
        profiler.send_signal(signal.SIGINT)
        profiler.wait(timeout=60)


def openloop(port: int, rate: float, connections: int, extra: list[str]) -> dict:
    """Run bench/openloop.py (fixed-rate load, latency from the scheduled send) and parse it."""
    command = [sys.executable, str(Path(__file__).with_name("openloop.py")), "--port", str(port),
               "--rate", f"{rate:g}", "--connections", str(connections), *extra]  # fmt: skip
    out = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if not out.stdout.strip():
        raise SystemExit(f"openloop printed nothing:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


@contextmanager
def served(args: argparse.Namespace) -> Iterator[tuple[subprocess.Popen, str, str, str]]:
    """A fresh database and `leerpad serve` on it: (server, base URL, database URL, temp dir);
    the server is stopped afterwards."""
    with tempfile.TemporaryDirectory() as tmp:
        if args.database == "postgres":
            url = fresh_postgres(args.postgres_db)
        else:
            url = f"sqlite:///{tmp}/ingest.db"
        server, base = serve(url, tmp, args)
        try:
            yield server, base, url, tmp
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()


def measure_paced(args: argparse.Namespace, rate: float, round_no: int) -> dict:
    """One server, one offered rate: GET /healthz at that rate, then the webhooks at that rate."""
    run = f"{os.getpid()}-r{rate:g}-{round_no}"
    items = deliveries(args.requests, run)
    connections = max(args.concurrency)
    with served(args) as (server, base, url, tmp):
        port = int(base.rsplit(":", 1)[1])
        count = str(int(rate * args.baseline_seconds))
        healthz = with_cpu(server.pid, lambda: openloop(
            port, rate, connections, ["--get", "/healthz", "--count", count]))  # fmt: skip
        payloads = Path(tmp, "payloads.tsv")
        write_payloads(payloads, items)
        profiler = start_profile(server.pid, args.profile, int(rate), round_no)
        webhook = with_cpu(server.pid, lambda: openloop(
            port, rate, connections, ["--payloads", str(payloads)]))  # fmt: skip
        stop_profile(profiler)
        time.sleep(0.5)
        rows, keys = inbox_count(url, run)
    return {
        "rate": rate,
        "connections": connections,
        "healthz": healthz,
        "webhook": webhook,
        "inbox_rows": rows,
        "inbox_ok": rows == keys == args.requests == webhook.get("acked_new"),
    }


def measure(args: argparse.Namespace, concurrency: int, round_no: int) -> dict:
    """One server, one concurrency: baseline, webhooks, inbox check."""
    run = f"{os.getpid()}-{concurrency}-{round_no}"
    items = deliveries(args.requests, run)
    with served(args) as (server, base, url, tmp):
        if args.tool == "wrk":
            threads = min(args.wrk_threads, concurrency)

            def baseline(path: str) -> dict:
                return with_cpu(server.pid, lambda: wrk(
                    f"{base}{path}", concurrency=concurrency, threads=threads,
                    script=WRK_DIR / "get.lua", seconds=args.baseline_seconds,
                ))  # fmt: skip

            healthz, static = baseline("/healthz"), baseline("/openapi.json")
            payloads = Path(tmp, "payloads.tsv")
            write_payloads(payloads, items)
            profiler = start_profile(server.pid, args.profile, concurrency, round_no)
            webhook = with_cpu(server.pid, lambda: wrk(
                base, concurrency=concurrency, threads=threads,
                script=WRK_DIR / "webhooks.lua", seconds=args.timeout,
                env={"PAYLOADS": str(payloads), "WRK_THREADS": str(threads)},
                done_prefix=f"{tmp}/wrk-done-"))  # fmt: skip
            stop_profile(profiler)
        else:
            healthz = with_cpu(server.pid, lambda: python_client(
                f"{base}/healthz", args.requests, concurrency))  # fmt: skip
            static = with_cpu(server.pid, lambda: python_client(
                f"{base}/openapi.json", args.requests, concurrency))  # fmt: skip
            webhook = with_cpu(server.pid, lambda: python_client(
                f"{base}/webhooks/greenhouse", items, concurrency))  # fmt: skip
            webhook["acked_new"] = args.requests
        time.sleep(0.5)
        rows, keys = inbox_count(url, run)
    return {
        "concurrency": concurrency,
        "healthz": healthz,
        "static": static,
        "webhook": webhook,
        "ratio_to_healthz": round(webhook["per_second"] / healthz["per_second"], 3),
        "ratio_to_static": round(webhook["per_second"] / static["per_second"], 3),
        "inbox_rows": rows,
        "inbox_ok": rows == keys == args.requests == webhook.get("acked_new"),
    }


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=6000, help="distinct deliveries per run")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[32, 64])
    parser.add_argument("--repeat", type=int, default=1, help="runs per concurrency level")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--postgres-db", default="leerpad_bench_ingest",
                        help="database created afresh on 127.0.0.1:5432 for each run")  # fmt: skip
    parser.add_argument(
        "--tool", choices=["wrk", "python"], default="wrk" if shutil.which("wrk") else "python"
    )
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--baseline-seconds", type=float, default=5.0)
    parser.add_argument("--timeout", type=float, default=120.0, help="wrk gives up after this")
    parser.add_argument("--workers", type=int, help="leerpad serve --workers N")
    parser.add_argument("--process", choices=["inline", "deferred"], help="leerpad serve --process")
    parser.add_argument("--code", help="serve this checkout instead of this one (before/after)")
    parser.add_argument("--profile", help="py-spy the server during the webhooks: file prefix")
    parser.add_argument("--extra-path", help="prepended to the server's PYTHONPATH (uvloop…)")
    parser.add_argument(
        "--rate", type=float, nargs="+",
        help="open loop instead of wrk: offer these request rates (bench/openloop.py); latency "
        "counts from each request's scheduled time; --concurrency caps the connections",
    )  # fmt: skip
    args = parser.parse_args()
    results = []
    if args.rate:
        for rate in args.rate:
            for round_no in range(args.repeat):
                result = measure_paced(args, rate, round_no)
                results.append(result)
                print(paced_line(result), file=sys.stderr)
        print(json.dumps({"settings": {k: v for k, v in vars(args).items() if v is not None},
                          "results": results}, indent=2))  # fmt: skip
        return
    for concurrency in args.concurrency:
        for round_no in range(args.repeat):
            result = measure(args, concurrency, round_no)
            results.append(result)
            print(summary_line(result), file=sys.stderr)
    print(json.dumps({"settings": {k: v for k, v in vars(args).items() if v is not None},
                      "results": results}, indent=2))  # fmt: skip


def summary_line(result: dict) -> str:
    """One readable line per run: each route's req/s, p50, p99, and the inbox check."""
    parts = [f"c={result['concurrency']}"]
    for name in ("healthz", "static", "webhook"):
        r = result[name]
        parts.append(f"{name} {r['per_second']:.0f}/s p50 {r['p50_ms']:.0f} p99 {r['p99_ms']:.0f}")
    parts.append(f"inbox {result['inbox_rows']} {'ok' if result['inbox_ok'] else 'MISMATCH'}")
    return " | ".join(parts)


def paced_line(result: dict) -> str:
    """One readable line per open-loop run: offered and achieved rate, latency from schedule."""
    parts = [f"offered {result['rate']:g}/s"]
    for name in ("healthz", "webhook"):
        r = result[name]
        parts.append(
            f"{name} {r['per_second']:.0f}/s p50 {r['p50_ms']:.0f} p99 {r['p99_ms']:.0f} "
            f"max {r['max_ms']:.0f} ms, {r.get('server_cpu_ms_per_request', '?')} ms CPU"
        )
    parts.append(f"inbox {result['inbox_rows']} {'ok' if result['inbox_ok'] else 'MISMATCH'}")
    return " | ".join(parts)


if __name__ == "__main__":
    main()
