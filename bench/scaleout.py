"""Scale-out benchmark: the `dispatch` deployment on 1, 2 and 4 Prefect process workers.

A real Prefect server on PostgreSQL, a process work pool, the dispatch deployment registered
from this checkout; the same backlog of due steps (a fifth invites) is cloned from a seeded
template database for every round; K workers (`--limit 1` each) run K flow runs side by side
against a loopback SMTP sink that counts Message-IDs. A baseline in the same run: the same
flow called in one process (no worker, no flow-run process start-up) against the same server.

    PYTHONPATH=$PWD .venv/bin/python bench/scaleout.py --steps 2000
    PYTHONPATH=$PWD .venv/bin/python bench/scaleout.py --steps 2000 --repeat 2 --json
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import scaleout_leerpad as lp  # noqa: E402
from bench import scaleout_prefect as pf  # noqa: E402

POOL = "leerpad-scaleout"
QUERY_SECONDS = "1"  # workers poll the pool every second (Prefect's default is 10)
PRIVATE = {  # what the seeded people look like; none of it may reach Prefect's database
    "email": r"(hire|lead)[0-9]+@example\.org",
    "example.org": r"example\.org",
    "name": r"Hire [0-9]+|Bench Hire",
    "control: task runs (must be > 0)": r"deliver-batch",
    "control: flow log lines (must be > 0)": r"dispatch up to",
}
BASELINE_CODE = """
import json, os, resource, time
from flows.runner import prefect_session, ready_app
ready_app()
with prefect_session():
    from flows.dispatch import dispatch
    dispatch(until="2026-01-01T00:00:00+00:00")  # warm up: imports, client, nothing due yet
    t0, c0 = time.time(), sum(os.times()[:2])
    totals = dispatch(until={until!r}, batch_size={batch})
    cpu = sum(os.times()[:2]) - c0
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"started": t0, "ended": time.time(), "cpu": cpu, "rss": rss, "totals": totals}}))
"""


def wait_for(predicate, timeout: float, every: float = 0.25) -> bool:  # noqa: ANN001
    """Poll until predicate() holds or timeout seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return False


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def _since(moment: float, start: float) -> float | None:
    return round(moment - start, 2) if moment else None


def _overlap(spans: list[tuple[float, float]]) -> int:
    """The largest number of spans open at the same moment."""
    events = sorted([(a, 1) for a, _ in spans] + [(b, -1) for _, b in spans])
    best = now = 0
    for _, step in events:
        now += step
        best = max(best, now)
    return best


def worker_round(ctx: dict[str, Any], k: int, tag: str) -> dict[str, Any]:
    """Clone the backlog, start k workers, run k flow runs side by side, measure until they end."""
    url = lp.recreate(ctx["leerpad_db"], template=ctx["template_db"])
    sink: lp.Sink = ctx["sink"]
    sink.reset()
    names = [f"{tag}-k{k}-w{i}" for i in range(k)]
    t_workers = time.time()
    workers = pf.start_workers(ctx["server"], POOL, names, ctx["logs"], QUERY_SECONDS)
    watch = pf.RssWatch([w.pid for w in workers]).start()
    try:
        if not wait_for(lambda: set(names) <= pf.online_workers(POOL), 180, every=1):
            raise SystemExit(f"workers {names} not online after 180 s; see {ctx['logs']}")
        workers_online = time.time() - t_workers
        t_submit = time.time()
        ids = pf.create_runs(ctx["deployment"], k, ctx["parameters"])
        ended = wait_for(  # a run ends after its last message was accepted
            lambda: all(s in pf.TERMINAL for s in pf.run_states(ids).values()),
            ctx["timeout"],
            every=0.5,
        )
        timings = pf.run_timings(ids)
        finished = ended and all(t["state"] == "COMPLETED" for t in timings)
        finished = finished and sink.counts()["messages"] >= ctx["steps"]
    finally:
        for worker in workers:
            pf.stop(worker)
        watch.stop()
    counts = sink.counts()
    ledger = lp.ledger(url)
    starts = [t["running"] for t in timings if t["running"]]
    first_start = min(starts) if starts else t_submit
    wall = (sink.last - first_start) if sink.last else None
    spans = [(t["running"], t["end"]) for t in timings if t["running"] and t["end"]]
    return {
        "workers": k,
        "flow_runs": k,
        "finished": finished,
        "run_states": sorted(t["state"] for t in timings),
        "workers_online_s": round(workers_online, 2),
        "pickup_s": _mean([t["pending"] - t["created"] for t in timings if t["pending"]]),
        "process_start_s": _mean([t["running"] - t["pending"] for t in timings if t["running"]]),
        "submit_to_first_message_s": _since(sink.first, t_submit),
        "first_start_to_first_message_s": _since(sink.first, first_start),
        "run_seconds": [round(b - a, 2) for a, b in spans],
        "flow_run_ids": [str(i) for i in ids],
        "concurrent_runs": _overlap(spans),
        "wall_s": round(wall, 2) if wall else None,
        "submit_to_last_message_s": round(sink.last - t_submit, 2) if sink.last else None,
        "per_second": round(counts["messages"] / wall, 1) if wall else 0.0,
        "sink": counts,
        **ledger,
        "worker_peak_rss_mb": watch.peak("worker"),
        "flow_run_peak_rss_mb": watch.peak("flow-run"),
        "flow_run_cpu_s": watch.cpu_seconds("flow-run"),
        "worker_cpu_s": watch.cpu_seconds("worker"),
    }


def baseline_round(ctx: dict[str, Any]) -> dict[str, Any]:
    """The same flow called in one process against the same server: no worker, no start-up."""
    url = lp.recreate(ctx["leerpad_db"], template=ctx["template_db"])
    sink: lp.Sink = ctx["sink"]
    sink.reset()
    env = pf.prefect_env(ctx["server"].home, ctx["server"].api_url, **ctx["job_env"])
    code = BASELINE_CODE.format(until=lp.NOW.isoformat(), batch=ctx["batch"])
    t0 = time.time()
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=ctx["timeout"])  # fmt: skip
    if out.returncode:
        raise SystemExit(f"in-process baseline failed: {out.stderr[-3000:]}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    counts = sink.counts()
    wall = sink.last - result["started"] if sink.last else None
    return {
        "workers": 0,
        "flow_runs": 1,
        "finished": counts["messages"] >= ctx["steps"],
        "process_s": round(time.time() - t0, 2),
        "first_start_to_first_message_s": round(sink.first - result["started"], 2),
        "wall_s": round(wall, 2) if wall else None,
        "per_second": round(counts["messages"] / wall, 1) if wall else 0.0,
        "sink": counts,
        **lp.ledger(url),
        "flow_run_cpu_s": round(result["cpu"], 1),
        "flow_run_peak_rss_mb": round(result["rss"], 1),
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Set everything up, run the baseline and each worker count `repeat` times, clean up."""
    pid = os.getpid()
    names = {
        "prefect_db": f"prefect_scale_{pid}",
        "leerpad_db": f"leerpad_scale_{pid}",
        "template_db": f"leerpad_scale_{pid}_tpl",
    }
    results: dict[str, Any] = {"steps": args.steps, "batch": args.batch, "rounds": [],
                               "cpus": os.cpu_count(), "load_before": os.getloadavg()}  # fmt: skip
    tmp = Path(tempfile.mkdtemp(prefix="leerpad-scaleout-"))
    home = tmp / "prefect-home"
    home.mkdir()
    server = controller = None
    try:
        t0 = time.perf_counter()
        template_url = lp.recreate(names["template_db"])
        seeded = lp.seed(template_url, args.steps)
        results["seeded_due_steps"] = seeded
        results["seed_s"] = round(time.perf_counter() - t0, 1)
        lp.recreate(names["prefect_db"])
        server = pf.start_server(
            home,
            f"postgresql+asyncpg://postgres@127.0.0.1:5432/{names['prefect_db']}",
            tmp / "server.log",
        )
        results["server_start_s"] = round(server.started_seconds, 1)
        os.environ.update(PREFECT_API_URL=server.api_url, PREFECT_HOME=str(home))
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
        port = pf.free_port()
        sink, controller = lp.start_sink(port)
        job_env = {
            "LEERPAD_DATABASE_URL": f"{lp.SERVER}/{names['leerpad_db']}",
            "LEERPAD_SMTP_URL": f"smtp://127.0.0.1:{port}?timeout=30",
            "LEERPAD_SIGNING_KEY": secrets.token_urlsafe(32),  # made per run, never stored
            "LEERPAD_JOURNEYS_DIR": str(lp.JOURNEYS_DIR),
            "PYTHONPATH": str(ROOT),
            "PREFECT_LOGGING_LEVEL": "INFO",  # flow-run logs reach the server, as in production
        }
        pf.create_pool(server, POOL)
        deployment = pf.deploy(POOL, job_env, args.batch)
        ctx = {
            "server": server, "sink": sink, "logs": tmp, "deployment": deployment,
            "job_env": job_env, "steps": seeded, "batch": args.batch, "timeout": args.timeout,
            "parameters": {"until": lp.NOW.isoformat(), "batch_size": args.batch},
            **names,
        }  # fmt: skip
        for repeat in range(args.repeat):
            if args.baseline:
                base = baseline_round(ctx) | {"repeat": repeat + 1}
                results["rounds"].append(base)
                _progress(base)
            for k in args.workers:
                row = worker_round(ctx, k, f"r{repeat + 1}") | {"repeat": repeat + 1}
                results["rounds"].append(row)
                _progress(row)
        time.sleep(2)  # task runs reach the server as events
        for row in results["rounds"]:
            if row.get("flow_run_ids"):
                row["batches_per_run"] = pf.batches_per_run(row.pop("flow_run_ids"))
        results["privacy"] = pf.privacy_scan(names["prefect_db"], PRIVATE)
        results["load_after"] = os.getloadavg()
    finally:
        if controller is not None:
            controller.stop()
        if server is not None:
            pf.stop(server.process)
        if not args.keep:
            for name in names.values():
                lp.drop(name)
    _ratios(results)
    if args.keep:
        results["logs"] = str(tmp)
    else:  # kept when the run failed (the exception names it), removed after a good one
        shutil.rmtree(tmp, ignore_errors=True)
    return results


def _ratios(results: dict[str, Any]) -> None:
    """Throughput of each round as a ratio to K=1 and to the in-process run of its repeat."""
    for row in results["rounds"]:
        same = [r for r in results["rounds"] if r["repeat"] == row["repeat"]]
        one = next((r for r in same if r["workers"] == 1), None)
        base = next((r for r in same if r["workers"] == 0), None)
        if one and one["per_second"]:
            row["ratio_to_1_worker"] = round(row["per_second"] / one["per_second"], 2)
        if one and row.get("submit_to_last_message_s"):  # end to end: start-up included
            row["e2e_ratio_to_1_worker"] = round(
                one["submit_to_last_message_s"] / row["submit_to_last_message_s"], 2
            )
        if base and base["per_second"]:
            row["ratio_to_in_process"] = round(row["per_second"] / base["per_second"], 2)


def _progress(row: dict[str, Any]) -> None:
    print(
        f"  repeat {row['repeat']} workers {row['workers']}: {row['sink']['messages']} msgs, "
        f"wall {row['wall_s']} s, {row['per_second']}/s",
        file=sys.stderr,
        flush=True,
    )


def print_table(results: dict[str, Any]) -> None:
    """A readable table of the rounds."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"dispatch scale-out: {results['seeded_due_steps']} due steps, "
                        f"batch {results['batch']}, {results['cpus']} CPUs")  # fmt: skip
    columns = ["rep", "workers", "wall s", "msg/s", "x K=1", "x in-proc", "sink", "unique", "dup",
               "ledger", "left", "batches/run", "pickup s", "proc start s", "start→1st msg s",
               "overlap", "RSS worker/run MB", "run CPU s", "submit→last s",
               "x K=1 e2e"]  # fmt: skip
    for column in columns:
        table.add_column(column, justify="right")
    for r in results["rounds"]:
        label = "in-proc" if r["workers"] == 0 else str(r["workers"])
        rss = f"{r.get('worker_peak_rss_mb') or '-'}/{r.get('flow_run_peak_rss_mb')}"
        table.add_row(
            str(r["repeat"]), label, str(r["wall_s"]), str(r["per_second"]),
            str(r.get("ratio_to_1_worker", "-")), str(r.get("ratio_to_in_process", "-")),
            str(r["sink"]["messages"]), str(r["sink"]["unique"]), str(r["sink"]["duplicates"]),
            str(r["ledger_rows"]), str(r["steps_left"]), str(r.get("batches_per_run", "-")),
            str(r.get("pickup_s", "-")), str(r.get("process_start_s", "-")),
            str(r["first_start_to_first_message_s"]), str(r.get("concurrent_runs", "-")), rss,
            str(r.get("flow_run_cpu_s", "-")),
            str(r.get("submit_to_last_message_s", r.get("process_s"))),
            str(r.get("e2e_ratio_to_1_worker", "-")),
        )  # fmt: skip
    console = Console(width=max(Console().width, 200))
    console.print(table)
    console.print(f"seed {results['seed_s']} s, server start {results['server_start_s']} s, "
                  f"load {results['load_before']} -> {results['load_after']}")  # fmt: skip
    console.print(f"Prefect database lines matching seeded personal data: {results['privacy']}")


def markdown_table(results: dict[str, Any]) -> str:
    """The rounds as a Markdown table (for BENCHMARKS.md)."""
    head = ["rep", "workers", "msgs (unique, dup)", "ledger rows", "steps left", "wall s",
            "msg/s", "x K=1", "x in-proc", "batches per run", "pickup s", "process start s",
            "start→1st msg s", "submit→last msg s", "x K=1 end to end", "flow-run CPU s",
            "peak RSS worker / flow run MB"]  # fmt: skip
    lines = ["| " + " | ".join(head) + " |", "|" + "---:|" * len(head)]
    for r in results["rounds"]:
        sink = r["sink"]
        batches = r.get("batches_per_run")
        cells = [
            r["repeat"], "in-process" if r["workers"] == 0 else r["workers"],
            f"{sink['messages']:,} ({sink['unique']:,}, {sink['duplicates']})",
            f"{r['ledger_rows']:,}", r["steps_left"], r["wall_s"], r["per_second"],
            r.get("ratio_to_1_worker", "–"), r.get("ratio_to_in_process", "–"),
            "/".join(map(str, batches)) if batches else "–", r.get("pickup_s", "–"),
            r.get("process_start_s", "–"), r["first_start_to_first_message_s"],
            r.get("submit_to_last_message_s", "–"), r.get("e2e_ratio_to_1_worker", "–"),
            r.get("flow_run_cpu_s", "–"),
            f"{r.get('worker_peak_rss_mb') or '–'} / {r.get('flow_run_peak_rss_mb') or '–'}",
        ]  # fmt: skip
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(lines)


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=2000, help="due steps (a fifth invites)")
    parser.add_argument("--batch", type=int, default=200, help="the flow's batch_size")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--repeat", type=int, default=1, help="run the whole series this often")
    parser.add_argument("--no-baseline", dest="baseline", action="store_false",
                        help="skip the in-process run")  # fmt: skip
    parser.add_argument("--timeout", type=float, default=900, help="seconds per round")
    parser.add_argument("--keep", action="store_true", help="keep the databases and logs")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--table", type=Path, help="only print the table of a saved --json file")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()
    if args.table:
        results = json.loads(args.table.read_text())
        _ratios(results)
    else:
        results = run(args)
    if args.json:
        print(json.dumps(results, indent=2, default=str))
    elif args.markdown:
        print(markdown_table(results))
    else:
        print_table(results)


if __name__ == "__main__":
    main()
