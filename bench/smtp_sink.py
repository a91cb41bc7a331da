"""A loopback SMTP sink for benchmarks: accepts everything, counts Message-IDs, reports on exit."""

from __future__ import annotations

import json
import re
import signal
import sys
import time
from collections import Counter

from aiosmtpd.controller import Controller

MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>]+>)", re.IGNORECASE | re.MULTILINE)


class CountingHandler:
    """Count deliveries per Message-ID."""

    def __init__(self) -> None:
        self.ids: Counter[bytes] = Counter()
        self.first = 0.0
        self.last = 0.0

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001
        found = MESSAGE_ID.search(envelope.original_content or envelope.content)
        self.ids[found.group(1) if found else b"?"] += 1
        now = time.perf_counter()
        self.first = self.first or now
        self.last = now
        return "250 OK"


def main() -> None:
    """Serve on the port given, print counts as JSON to the file given when terminated."""
    port, report = int(sys.argv[1]), sys.argv[2]
    handler = CountingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()

    def stop(*_: object) -> None:
        controller.stop()
        with open(report, "w", encoding="utf-8") as out:
            json.dump(
                {
                    "messages": sum(handler.ids.values()),
                    "unique": len(handler.ids),
                    "duplicates": sum(c - 1 for c in handler.ids.values() if c > 1),
                    "first_at": handler.first,  # time.perf_counter(): the same clock
                    "last_at": handler.last,  # in every process on this machine
                },
                out,
            )
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    print("ready", flush=True)
    signal.pause()


if __name__ == "__main__":
    main()
