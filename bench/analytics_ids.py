#!/usr/bin/env python3
"""What a search id's shape costs the analytics writer.

    python3 bench/analytics_ids.py [HOURS] [EVENTS] [BATCHES]

Fills the analytics tables with HOURS earlier hours of EVENTS search events
each (default 24 of 9,000), then times BATCHES batches (default 10) of
EVENTS events in the current hour, one transaction per batch as the
server's writer does (WAL, synchronous=FULL), with three shapes of id:
random (32 hex digits); the hour (8 hex digits) then 24 random; the hour,
a count of ids (8 hex digits) then 16 random (`analytics::new_search_id`).
Each shape writes into two fresh databases under a temporary folder, the
shapes' order reversed for the second. Prints the median time of a batch.
The events table's key index takes random ids anywhere in it, so each
batch rewrites pages all over it; ids opening with their hour go among the
current hour's; counted ones go to the index's end. The tables are read from the server's source
(server/src/analytics/store.rs), so they are the ones the server creates.
"""
import os
import pathlib
import sqlite3
import statistics
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCE = (ROOT / "server/src/analytics/store.rs").read_text()
SCHEMA = SOURCE.split('pub const SCHEMA: &str = "', 1)[1].split('";', 1)[0]
INSERT = ("INSERT OR IGNORE INTO search_events (id, query, filters, results, hour, channel) "
          "VALUES (?, ?, ?, ?, ?, ?)")


COUNT = [0]


def batch(kind: str, hour: int, events: int) -> list[tuple]:
    rows = []
    for _ in range(events):
        if kind == "random":
            id_ = os.urandom(16).hex()
        elif kind == "hour, random":
            id_ = "%08x" % hour + os.urandom(12).hex()
        else:
            COUNT[0] += 1
            id_ = "%08x%08x" % (hour, COUNT[0] % 2**32) + os.urandom(8).hex()
        rows.append((id_, "dementia reading groups",
                     "offer=health-and-wellbeing year_from=2018", 21, hour * 3600, "api"))
    return rows


def write(db: sqlite3.Connection, rows: list[tuple]) -> float:
    began = time.perf_counter()
    db.execute("BEGIN")
    db.executemany(INSERT, rows)
    db.execute("COMMIT")
    return time.perf_counter() - began


def run(kind: str, folder: str, hours: int, events: int, batches: int) -> list[float]:
    db = sqlite3.connect(os.path.join(folder, "kb.sqlite3"), isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.executescript(SCHEMA)
    now = int(time.time()) // 3600
    for hour in range(now - hours, now):
        write(db, batch(kind, hour, events))
    times = [write(db, batch(kind, now, events)) for _ in range(batches)]
    db.close()
    return times


def main() -> None:
    hours = int(sys.argv[1]) if len(sys.argv) > 1 else 24
    events = int(sys.argv[2]) if len(sys.argv) > 2 else 9000
    batches = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    kinds = ("random", "hour, random", "hour, count, random")
    results: dict[str, list[float]] = {kind: [] for kind in kinds}
    with tempfile.TemporaryDirectory() as folder:
        for round_, order in enumerate((kinds, tuple(reversed(kinds)))):
            for kind in order:
                sub = os.path.join(folder, f"{round_}-{kind.replace(' ', '-')}")
                os.mkdir(sub)
                results[kind] += run(kind, sub, hours, events, batches)
    print(f"{hours} hours of {events} events before, then batches of {events} "
          "in the current hour, one transaction each")
    print("| ids | median ms of a batch |")
    print("|---|---|")
    for kind, times in results.items():
        print(f"| {kind} | {statistics.median(times) * 1000:.1f} |")


if __name__ == "__main__":
    main()
