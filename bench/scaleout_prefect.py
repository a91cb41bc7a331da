"""Prefect side of the scale-out benchmark: a real server on PostgreSQL, a process pool, workers.

Everything runs as child processes in their own process group, stopped by that group's id.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx

ROOT = Path(__file__).resolve().parents[1]
PREFECT = str(Path(sys.executable).parent / "prefect")
TICKS = os.sysconf("SC_CLK_TCK")
TERMINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prefect_env(home: Path, api_url: str | None, **extra: str) -> dict[str, str]:
    """This machine's environment without LEERPAD_/PREFECT_ settings, plus Prefect's for the run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LEERPAD_", "PREFECT_"))}
    env.update(
        PREFECT_HOME=str(home),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_LOGGING_LEVEL="WARNING",
        PREFECT_SERVER_LOGGING_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    if api_url:
        env["PREFECT_API_URL"] = api_url
    env.update(extra)
    return env


def spawn(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start a child in its own process group, output to a log file."""
    out = log.open("wb")
    return subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    """SIGTERM the child's process group (it and what it started), SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=timeout)
    except ProcessLookupError:
        pass


@dataclass
class Server:
    """A running `prefect server start` and how to reach it."""

    process: subprocess.Popen[bytes]
    api_url: str
    home: Path
    started_seconds: float


def start_server(home: Path, database_url: str, log: Path) -> Server:
    """Start a Prefect server on PostgreSQL (no UI) and wait for /api/health."""
    port = free_port()
    env = prefect_env(
        home,
        None,
        PREFECT_API_DATABASE_CONNECTION_URL=database_url,
        PREFECT_UI_ENABLED="false",
        PREFECT_SERVER_API_HOST="127.0.0.1",
    )
    t0 = time.perf_counter()
    args = [PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(port), "--no-ui"]
    process = spawn(args, env, log)
    api = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"prefect server exited: {log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                return Server(process, api, home, time.perf_counter() - t0)
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    stop(process)
    raise SystemExit(f"prefect server not healthy after 180 s: {log.read_text()[-3000:]}")


def create_pool(server: Server, pool: str) -> None:
    """Create a process work pool (idempotent)."""
    env = prefect_env(server.home, server.api_url)
    subprocess.run(
        [PREFECT, "work-pool", "create", pool, "--type", "process", "--overwrite"],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip


def deploy(pool: str, job_env: dict[str, str], batch_size: int) -> UUID:
    """Register the dispatch deployment from this checkout (no schedule); returns its id.

    Call with PREFECT_API_URL/PREFECT_HOME already in os.environ.
    """
    from prefect import Flow

    flow = Flow.from_source(source=str(ROOT), entrypoint="flows/dispatch.py:dispatch")
    with contextlib.redirect_stdout(sys.stderr):  # keep stdout for the table or the JSON
        return flow.deploy(
            name="dispatch-scaleout",
            work_pool_name=pool,
            job_variables={"env": job_env},
            parameters={"batch_size": batch_size},
            build=False,
            push=False,
            print_next_steps=False,
            ignore_warnings=True,
        )


def start_workers(
    server: Server, pool: str, names: Iterable[str], logs: Path, query_seconds: str
) -> list[subprocess.Popen[bytes]]:
    """Start one `prefect worker start --limit 1` per name (one flow run at a time each)."""
    env = prefect_env(server.home, server.api_url, PREFECT_WORKER_QUERY_SECONDS=query_seconds)
    return [
        spawn(
            [
                PREFECT,
                "worker",
                "start",
                "--pool",
                pool,
                "--type",
                "process",
                "--limit",
                "1",
                "--name",
                name,
            ],
            env,
            logs / f"worker-{name}.log",
        )  # fmt: skip
        for name in names
    ]


def _run(coro: Any) -> Any:
    return asyncio.run(coro)


def online_workers(pool: str) -> set[str]:
    """Names of the workers of a pool whose status is ONLINE."""

    async def read() -> set[str]:
        from prefect import get_client

        async with get_client() as client:
            workers = await client.read_workers_for_work_pool(pool)
        return {w.name for w in workers if str(w.status).upper().endswith("ONLINE")}

    return _run(read())


def create_runs(deployment_id: UUID, count: int, parameters: dict[str, Any]) -> list[UUID]:
    """Create `count` flow runs of the deployment, scheduled now."""

    async def create() -> list[UUID]:
        from prefect import get_client

        async with get_client() as client:
            runs = [
                await client.create_flow_run_from_deployment(deployment_id, parameters=parameters)
                for _ in range(count)
            ]
        return [r.id for r in runs]

    return _run(create())


def run_states(ids: list[UUID]) -> dict[UUID, str]:
    """Current state type of each flow run."""

    async def read() -> dict[UUID, str]:
        from prefect import get_client

        async with get_client() as client:
            runs = [await client.read_flow_run(i) for i in ids]
        return {r.id: (r.state.type.value if r.state else "?") for r in runs}

    return _run(read())


def run_timings(ids: list[UUID]) -> list[dict[str, Any]]:
    """Per flow run: wall-clock seconds of created, pending (picked up), running, end; host pid."""

    async def read() -> list[dict[str, Any]]:
        from prefect import get_client

        out = []
        async with get_client() as client:
            for i in ids:
                run = await client.read_flow_run(i)
                states = await client.read_flow_run_states(i)
                first: dict[str, float] = {}
                for state in sorted(states, key=lambda s: s.timestamp):
                    first.setdefault(state.type.value, state.timestamp.timestamp())
                out.append({
                    "state": run.state.type.value if run.state else "?",
                    "created": run.created.timestamp() if run.created else None,
                    "pending": first.get("PENDING"),
                    "running": first.get("RUNNING"),
                    "end": run.end_time.timestamp() if run.end_time else None,
                    "pid": run.infrastructure_pid,
                })  # fmt: skip
        return out

    return _run(read())


def batches_per_run(ids: list[UUID]) -> list[int]:
    """How many deliver-batch task runs each flow run made (how the backlog was shared)."""

    async def read() -> list[int]:
        from prefect import get_client
        from prefect.client.schemas.filters import (
            FlowRunFilter,
            FlowRunFilterId,
            TaskRunFilter,
            TaskRunFilterName,
        )

        out = []
        async with get_client() as client:
            for i in ids:
                runs = await client.read_task_runs(
                    flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[i])),
                    task_run_filter=TaskRunFilter(name=TaskRunFilterName(like_="deliver-batch")),
                )
                out.append(len(runs))
        return out

    return _run(read())


@dataclass
class RssWatch:
    """Sample peak RSS (VmHWM) and CPU time of some processes and all their descendants.

    Sampled every half second, so the last half second of a process's CPU time may be missed.
    """

    roots: list[int]
    peaks: dict[int, tuple[str, float]] = field(default_factory=dict)
    cpu: dict[int, tuple[str, float]] = field(default_factory=dict)  # user+system seconds
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> RssWatch:
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)

    def _loop(self) -> None:
        while not self._stop.is_set():
            for pid in _descendants(self.roots):
                role = "worker" if pid in self.roots else "flow-run"
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                self.cpu[pid] = (role, (int(fields[11]) + int(fields[12])) / TICKS)
                for line in status.splitlines():
                    if line.startswith("VmHWM:"):
                        mb = int(line.split()[1]) / 1024
                        self.peaks[pid] = (role, max(mb, self.peaks.get(pid, (role, 0.0))[1]))
            self._stop.wait(0.5)

    def cpu_seconds(self, role: str) -> float:
        """CPU seconds (user + system) of all processes with this role, as last sampled."""
        return round(sum(s for r, s in self.cpu.values() if r == role), 1)

    def peak(self, role: str) -> float | None:
        """The largest peak RSS (MB) of any process with this role."""
        values = [mb for r, mb in self.peaks.values() if r == role]
        return round(max(values), 1) if values else None


def _descendants(roots: list[int]) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), list(roots)
    while todo:
        pid = todo.pop()
        if pid not in found:
            found.add(pid)
            todo.extend(children.get(pid, []))
    return found


def privacy_scan(database: str, patterns: dict[str, str]) -> dict[str, int]:
    """Dump the Prefect database's data and count lines matching each pattern (grep -E -c)."""
    dump = subprocess.run(
        ["pg_dump", "--data-only", "-h", "127.0.0.1", "-U", "postgres", database],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    import re

    lines = dump.splitlines()
    return {
        name: sum(1 for line in lines if re.search(pattern.encode(), line))
        for name, pattern in patterns.items()
    } | {"dump_lines": len(lines)}
