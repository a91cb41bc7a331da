"""A dispatcher process for the reliability tests: `python -m tests.reliability.worker`.

`dispatch` runs the production delivery loop (deliver_due_batch: claim, compose, send, record)
until nothing is left, like the `dispatch` flow without Prefect, so a test can SIGKILL it at
any moment. `store-then-die` takes one webhook in (verify, store) and kills itself before
processing it. Settings come from LEERPAD_* in the environment.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from datetime import datetime
from pathlib import Path


def dispatch(until: datetime, batch: int) -> dict[str, int]:
    """Deliver every step due up to `until` in batches; return the summed counts."""
    from flows.bootstrap import bootstrap
    from flows.delivery import deliver_due_batch, worker_name

    app = bootstrap()
    worker, totals = worker_name(), dict[str, int]()
    print("started", flush=True)
    while True:
        counts = deliver_due_batch(app=app, now=until, worker=worker, limit=batch, prefetch=True)
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
        if counts["claimed"] == 0:
            return totals


def store_then_die(source: str, body: Path, signature: str, now: datetime) -> None:
    """Store one webhook delivery as the endpoint does, then die before processing it."""
    from flows.bootstrap import bootstrap
    from integrations.intake import take_in

    app = bootstrap()
    intake = take_in(
        engine=app.engine,
        source=source,
        raw=body.read_bytes(),
        headers={"x-leerpad-signature": signature, "content-type": "application/json"},
        secret=os.environ[f"LEERPAD_SECRET_{source.upper()}"],
        now=now,
    )
    print(json.dumps({"status": intake.status, **intake.body}), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)


def main() -> None:
    """Command line of the test worker."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["dispatch", "store-then-die"])
    parser.add_argument("--until", type=datetime.fromisoformat, required=True)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--source", default="generic")
    parser.add_argument("--body", type=Path)
    parser.add_argument("--signature", default="")
    args = parser.parse_args()
    if args.mode == "store-then-die":
        store_then_die(args.source, args.body, args.signature, args.until)
        sys.exit(1)  # not reached
    print(json.dumps(dispatch(args.until, args.batch)), flush=True)


if __name__ == "__main__":
    main()
