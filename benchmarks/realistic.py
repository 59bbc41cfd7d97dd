"""Realistic internal-message exports, generated from a seed: JSON Lines and listing pages.

What a year of an organisation's conversation exports looks like to a converter, in the
proportions the end-to-end benchmark (``e2e.py``) is specified with:

- 0 to 50 messages per record (most have a few: 10% none, 2% from 20 to 50, the
  rest 1 or more with a mean of about 4), 2 or 3 segments, realistic ids (UUID 4),
  states, the provider, names (some not ASCII) and addresses; records spread over 2024
  in order;
- 40% of records carry ``startAlertingTime`` (the field SDK 269 added);
- 5% carry fields the models do not know, at one to three levels (the record; a
  segment or an address; a message), some of them objects or lists. One of them,
  ``interactionId``, only appears from 15 November on, as a field an API adds late in
  the year (it falls after the first 20,480 lines of its file, where DuckDB's sample
  ends, at both sizes the benchmark runs);
- 10% of records have timestamps that are valid but not the API's ``.mmmZ``: no
  fraction (``12:00:00Z``), an offset (``14:00:00.123+02:00``) or six digits
  (``.123000Z``, a value a millisecond column holds); about 1% of all timestamps;
- 0.1% of lines (at least one of each kind) are bad, four kinds in turn:
  ``not-json`` (a line cut short, or a Python ``repr`` written instead of JSON),
  ``wrong-type`` (a number for an id or a timestamp, an object for the list of
  messages, a string for an address), ``invalid-timestamp`` (month 13, 30 February,
  25:00, ``May 1, 2024``) and ``trailing-comma`` (after the last member of the record,
  or of the list of messages).

The same records are also written as conversation documents (``participants[]
.internalMessages[]``) in listing pages (``{"entities": [...]}``), for comparing the
readers of documents and of lines (``write_comparison``).

The same seed and size give the same bytes on every run, with any number of processes
and on Python 3.10 to 3.13 (``random`` seeded per block of records with a string). Files
are streamed to disk, a block of records at a time, so a million records take little
memory.

    python benchmarks/realistic.py OUT_DIR --records 200000 [--seed 20] [--pages 20000]

The generator also counts what it wrote (``Manifest``): the good records, every bad
line by file, line and kind, and sums of the timestamps' instants, so that what a
converter wrote can be checked against what the files hold (``e2e.py`` does).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

#: The proportions of the mix (see the module's docstring).
START_ALERTING_SHARE = 0.40
UNKNOWN_SHARE = 0.05
TOUCHED_SHARE = 0.10  # records with a valid timestamp that is not ``.mmmZ``
TOUCHED_TIMESTAMP_SHARE = 0.08  # of a touched record's timestamps (at least one)
BAD_SHARE = 0.001
BAD_KINDS = ("not-json", "wrong-type", "invalid-timestamp", "trailing-comma")
#: Bad kinds that leave the line JSON (a document can hold such a record).
JSON_BAD_KINDS = ("wrong-type", "invalid-timestamp")

#: Records per JSON Lines file: a year of exports is many files.
SHARD_RECORDS = 25_000
#: Records generated from one seeded stream: any block can be made on its own.
BLOCK = 1_000
#: Conversations per listing page, as the conversations API pages them.
PAGE_CONVERSATIONS = 100

_YEAR_START = int(datetime(2024, 1, 1, tzinfo=timezone.utc).timestamp())
_YEAR_SECONDS = 366 * 86_400
_LATE_FROM = int(datetime(2024, 11, 15, tzinfo=timezone.utc).timestamp())
_DAY = 86_400

_FIRST = (
    "Jane",
    "John",
    "Amelia",
    "Oliver",
    "Priya",
    "Chen",
    "José",
    "Zoë",
    "Łukasz",
    "Aiko",
    "Fatima",
    "Noah",
    "Mia",
    "Björn",
    "Ana",
    "Tomás",
    "Leila",
    "Sven",
    "Hana",
    "Omar",
)
_LAST = (
    "Doe",
    "Smith",
    "García",
    "Müller",
    "Nowak",
    "Tanaka",
    "Okafor",
    "Rossi",
    "Dubois",
    "Kowalski",
    "Nielsen",
    "Silva",
    "Haddad",
    "Ivanova",
    "O'Brien",
    "Kim",
    "Patel",
    "Lee",
)
_SEGMENT_TYPES = ("Alert", "Interact", "Interact", "Interact", "Hold", "Wrapup")
_HOW_ENDED = ("Interact", "Disconnect", "Disconnect", "Transfer", "Endpoint")
_DISCONNECT_TYPES = ("peer", "peer", "client", "client", "system", "transfer")
_SEGMENT_DISCONNECTS = ("peer", "client", "endpoint", "system")
_OFFSETS = (("+02:00", 7_200), ("-05:00", -18_000), ("+05:30", 19_800), ("+00:00", 0))
_BAD_TIMESTAMPS = (
    "2024-13-01T12:00:00.000Z",
    "2024-02-30T12:00:00.000Z",
    "2024-05-01T25:00:00.000Z",
    "May 1, 2024 12:00:00",
)


def _below(rng: random.Random, stop: int) -> int:
    """A number in ``range(stop)``: ``randrange``'s job, at a tenth of its cost (the bias
    of ``random()``'s 53 bits is of no matter here)."""
    return int(rng.random() * stop)


def _between(rng: random.Random, start: int, stop: int) -> int:
    return start + int(rng.random() * (stop - start))


def _uuid(rng: random.Random) -> str:
    text = f"{rng.getrandbits(128):032x}"
    return f"{text[:8]}-{text[8:12]}-4{text[13:16]}-{'89ab'[int(text[16], 16) & 3]}{text[17:20]}-{text[20:]}"


_DAYS: dict[int, str] = {}
#: "hh:mm:ss" of every second of a day: formatting them once saves a third of the time.
_CLOCK = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(_DAY)]


def _day_text(day: int) -> str:
    return time.strftime("%Y-%m-%dT", time.gmtime(_YEAR_START + day * _DAY))


@dataclass
class Timestamps:
    """Writes one record's timestamps (instants in milliseconds since the epoch) and
    keeps what the text means: the instants, and how many were written another way."""

    rng: random.Random
    touched: bool
    texts: int = 0
    odd: int = 0

    def text(self, millis: int) -> tuple[str, int]:
        """The timestamp's text and the instant it names (a form without a fraction
        names the whole second)."""
        self.texts += 1
        seconds, ms = divmod(millis, 1000)
        if self.touched and self.rng.random() < TOUCHED_TIMESTAMP_SHARE:
            return self._odd(seconds, ms)
        return f"{self._clock(seconds)}.{ms:03d}Z", millis

    def last_resort(self, millis: int) -> tuple[str, int]:
        """A touched record's first timestamp when none was written another way."""
        self.texts += 1
        return self._odd(*divmod(millis, 1000))

    def _odd(self, seconds: int, ms: int) -> tuple[str, int]:
        self.odd += 1
        form = self.rng.random()
        if form < 0.4:
            return f"{self._clock(seconds)}Z", seconds * 1000
        if form < 0.8:
            offset, shift = _OFFSETS[_below(self.rng, len(_OFFSETS))]
            return f"{self._clock(seconds + shift)}.{ms:03d}{offset}", seconds * 1000 + ms
        return f"{self._clock(seconds)}.{ms:03d}000Z", seconds * 1000 + ms

    def _clock(self, seconds: int) -> str:
        day, second = divmod(seconds - _YEAR_START, _DAY)
        prefix = _DAYS.get(day)
        if prefix is None:
            prefix = _DAYS[day] = _day_text(day)
        return prefix + _CLOCK[second]


@dataclass
class Record:
    """One generated line: its text, and what it holds."""

    index: int
    text: str
    bad: str | None  # one of BAD_KINDS, or None
    id: str | int | None  # as written (a wrong-type line may have a number)
    data: dict[str, Any] | None  # the record (None for a line that is not JSON)
    detail: str = ""  # how a bad line is bad
    touched: bool = False
    unknown_levels: tuple[str, ...] = ()
    start_alerting: bool = False
    timestamps: int = 0
    odd_timestamps: int = 0
    connected_ms: int | None = None
    message_ms: list[int] = field(default_factory=list)


def _person(rng: random.Random) -> tuple[str, str]:
    return f"{_FIRST[_below(rng, len(_FIRST))]} {_LAST[_below(rng, len(_LAST))]}", _uuid(rng)


def _address(name: str, user: str) -> dict[str, Any]:
    return {
        "name": name,
        "nameRaw": name,
        "addressNormalized": user,
        "addressRaw": user,
        "addressDisplayable": name,
    }


def _message_count(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.10:
        return 0
    if roll < 0.12:  # long conversations
        return _between(rng, 20, 51)
    return min(50, 1 + int(rng.expovariate(1 / 3.2)))


class Generator:
    """The records of one export: ``records(first, stop)`` makes any range of them."""

    def __init__(self, seed: int, count: int) -> None:
        self.seed = seed
        self.count = count
        spots = random.Random(f"{seed}:bad").sample(range(count), self.bad_lines(count))
        self.bad = {index: BAD_KINDS[n % len(BAD_KINDS)] for n, index in enumerate(sorted(spots))}

    @staticmethod
    def bad_lines(count: int) -> int:
        """How many lines are bad: 0.1%, and at least one of each kind (if there is room)."""
        return min(count, max(len(BAD_KINDS), round(count * BAD_SHARE)))

    def records(self, first: int = 0, stop: int | None = None) -> Iterator[Record]:
        """The records ``first`` to ``stop`` (default: the end), in order."""
        stop = self.count if stop is None else stop
        block = first // BLOCK
        while block * BLOCK < stop:
            rng = random.Random(f"{self.seed}:{block}")
            for index in range(block * BLOCK, min((block + 1) * BLOCK, self.count)):
                record = self._record(rng, index)  # drawn even when skipped: blocks stay equal
                if first <= index < stop:
                    yield record
            block += 1

    def _record(self, rng: random.Random, index: int) -> Record:
        touched = rng.random() < TOUCHED_SHARE
        stamps = Timestamps(rng, touched)
        # Spread over the year, in order, a few minutes of jitter.
        start = (_YEAR_START + index * _YEAR_SECONDS // self.count + _below(rng, 300)) * 1000
        start += _below(rng, 1000)
        roll = rng.random()
        state = "disconnected" if roll < 0.85 else "connected" if roll < 0.95 else "alerting"
        record: dict[str, Any] = {
            "state": state,
            "initialState": "alerting" if rng.random() < 0.9 else "connected",
            "id": _uuid(rng),
        }
        alerting = rng.random() < START_ALERTING_SHARE
        connected_ms = start + _between(rng, 2_000, 30_000)
        times = []
        clock = connected_ms
        for _ in range(_message_count(rng) if state != "alerting" else 0):
            clock += _between(rng, 1_000, 120_000)
            times.append(clock)
        end_ms = clock + _between(rng, 1_000, 60_000)
        # Segments: alerting, then interaction (and perhaps hold), in time order.
        segments = []
        edges = [start, connected_ms]
        edges += sorted(_between(rng, connected_ms, end_ms) for _ in range(_below(rng, 2)))
        edges.append(end_ms)
        for number, (begin, finish) in enumerate(itertools.pairwise(edges)):
            segment: dict[str, Any] = {"startTime": stamps.text(begin)[0]}
            if state == "disconnected" or number < len(edges) - 2:
                segment["endTime"] = stamps.text(finish)[0]
                segment["howEnded"] = _HOW_ENDED[_below(rng, len(_HOW_ENDED))]
            kind = _SEGMENT_TYPES[_below(rng, len(_SEGMENT_TYPES))]
            segment["type"] = "Alert" if number == 0 else kind
            if state == "disconnected" and number == len(edges) - 2:
                segment["disconnectType"] = _SEGMENT_DISCONNECTS[
                    _below(rng, len(_SEGMENT_DISCONNECTS))
                ]
            segments.append(segment)
        record["segments"] = segments
        if state == "disconnected":
            record["disconnectType"] = _DISCONNECT_TYPES[_below(rng, len(_DISCONNECT_TYPES))]
        if alerting:
            record["startAlertingTime"] = stamps.text(start)[0]
        connected = None
        if state != "alerting":
            text, connected = stamps.text(connected_ms)
            record["connectedTime"] = text
        if state == "disconnected":
            record["disconnectedTime"] = stamps.text(end_ms)[0]
        (to_name, to_user), (from_name, from_user) = _person(rng), _person(rng)
        record["provider"] = "PureCloud"
        record["peerId"] = _uuid(rng)
        record["targetUserId"] = to_user
        record["sourceUserId"] = from_user
        record["toAddress"] = _address(to_name, to_user)
        record["fromAddress"] = _address(from_name, from_user)
        message_ms = []
        items = []
        for when in times:
            text, instant = stamps.text(when)
            message_ms.append(instant)
            items.append({"messageId": _uuid(rng), "messageTime": text})
        record["messages"] = items
        if touched and stamps.odd == 0:  # at least one, in the record's first timestamp
            text, _ = stamps.last_resort(start)
            stamps.texts -= 1
            segments[0]["startTime"] = text
        levels: tuple[str, ...] = ()
        if rng.random() < UNKNOWN_SHARE:
            levels = _add_unknown_fields(rng, record, start)
        result = Record(
            index=index,
            text="",
            bad=self.bad.get(index),
            id=record["id"],
            data=record,
            touched=touched,
            unknown_levels=levels,
            start_alerting=alerting,
            timestamps=stamps.texts,
            odd_timestamps=stamps.odd,
            connected_ms=connected,
            message_ms=message_ms,
        )
        if result.bad is None:
            result.text = _dumps(record)
        else:
            _spoil(rng, result)
        return result


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _add_unknown_fields(rng: random.Random, record: dict[str, Any], start: int) -> tuple[str, ...]:
    """Fields a newer API sends, at one to three of the record's levels; the levels."""
    levels = rng.sample(("record", "segment or address", "message"), _between(rng, 1, 4))
    if "message" in levels and not record["messages"]:
        levels.remove("message")
        if not levels:
            levels.append("record")
    for level in levels:
        if level == "record":
            choice = _below(rng, 3)
            if choice == 0:
                record["queueId"] = _uuid(rng)
            elif choice == 1:
                record["journeyContext"] = {
                    "customer": {"id": _uuid(rng), "idType": "cookie"},
                    "triggeringAction": {
                        "id": _uuid(rng),
                        "actionMap": {"id": _uuid(rng), "version": _between(rng, 1, 9)},
                    },
                }
            else:
                record["wrapup"] = {
                    "code": _uuid(rng),
                    "notes": "",
                    "tags": ["internal"],
                    "durationSeconds": _below(rng, 200),
                }
            if start >= _LATE_FROM * 1000:  # a field the API added in November
                record["interactionId"] = _uuid(rng)
        elif level == "segment or address":
            if rng.random() < 0.5:
                record["segments"][-1]["purpose"] = "agent"
            else:
                record["toAddress"]["addressType"] = "user"
        else:
            message = record["messages"][_below(rng, len(record["messages"]))]
            if rng.random() < 0.5:
                message["messageStatus"] = "delivered"
            else:
                message["media"] = [
                    {
                        "mediaType": "image/png",
                        "contentLength": _between(rng, 1, 10**6),
                        "url": f"https://api.example.com/media/{_uuid(rng)}",
                    }
                ]
    return tuple(levels)


def _spoil(rng: random.Random, record: Record) -> None:
    """Write ``record`` as a bad line of its kind."""
    data = record.data
    assert data is not None
    variant = record.index % 4
    if record.bad == "not-json":
        record.data = None
        if variant % 2 == 0:
            text = _dumps(data)
            record.text = text[: _between(rng, len(text) // 4, len(text) - 2)]
            record.detail = "cut short"
        else:
            record.text = repr(data)  # str(dict) written instead of JSON
            record.detail = "a Python repr"
        return
    if record.bad == "wrong-type":
        if variant == 0:
            data["id"] = record.id = _between(rng, 10**5, 10**6)
            record.detail = "id: a number"
        elif variant == 1:
            data["connectedTime"] = 1714564800
            record.detail = "connectedTime: a number"
        elif variant == 2:
            data["messages"] = {"messageId": _uuid(rng), "messageTime": "2024-05-01T12:00:00.000Z"}
            record.detail = "messages: an object"
        else:
            data["toAddress"] = data["toAddress"]["name"]
            record.detail = "toAddress: a string"
        record.text = _dumps(data)
    elif record.bad == "invalid-timestamp":
        bad = record.detail = _BAD_TIMESTAMPS[variant]
        if data["messages"]:
            data["messages"][_below(rng, len(data["messages"]))]["messageTime"] = bad
        else:
            data["segments"][0]["startTime"] = bad
        record.text = _dumps(data)
    else:  # trailing-comma
        text = _dumps(data)
        if variant % 2 == 0 or not data["messages"]:
            record.text = text[:-1] + ",}"
            record.detail = "after the last member"
        else:
            head, _, tail = text.rpartition("}]")
            record.text = head + "},]" + tail
            record.detail = "after the last message"


# -- files ---------------------------------------------------------------------------


@dataclass
class Manifest:
    """What the generated files hold, for checking a converter's output."""

    seed: int
    records: int
    files: list[str] = field(default_factory=list)
    good_files: list[str] = field(default_factory=list)
    bytes: int = 0
    good: int = 0
    #: [file, line, kind, id, detail] of every bad line (lines counted from 1 in their file).
    bad: list[list[Any]] = field(default_factory=list)
    start_alerting: int = 0
    unknown: int = 0
    unknown_at: dict[str, int] = field(default_factory=dict)
    late_field: int = 0  # good records with ``interactionId``
    late_by_file: dict[str, int] = field(default_factory=dict)  # by file name
    touched: int = 0
    timestamps: int = 0
    odd_timestamps: int = 0
    messages: int = 0
    #: Over the good records: non-null connectedTime values and the sum of their instants
    #: (ms since the epoch), and the same for every message's messageTime.
    connected_count: int = 0
    connected_sum: int = 0
    message_time_count: int = 0
    message_time_sum: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def count(self, record: Record) -> None:
        self.timestamps += record.timestamps
        self.odd_timestamps += record.odd_timestamps
        self.touched += record.touched
        if record.bad is not None:
            return
        self.good += 1
        self.start_alerting += record.start_alerting
        if record.unknown_levels:
            self.unknown += 1
            for level in record.unknown_levels:
                self.unknown_at[level] = self.unknown_at.get(level, 0) + 1
        if record.data is not None and "interactionId" in record.data:
            self.late_field += 1
            name = os.path.basename(self.files[-1]) if self.files else ""
            self.late_by_file[name] = self.late_by_file.get(name, 0) + 1
        self.messages += len(record.message_ms)
        if record.connected_ms is not None:
            self.connected_count += 1
            self.connected_sum += record.connected_ms
        self.message_time_count += len(record.message_ms)
        self.message_time_sum += sum(record.message_ms)

    def add(self, other: Manifest) -> None:
        """Count ``other``'s files in too (the shards are written apart)."""
        for name, value in other.as_dict().items():
            if name in ("seed", "records", "seconds"):
                continue
            mine = getattr(self, name)
            if isinstance(mine, dict):
                for key, number in value.items():
                    mine[key] = mine.get(key, 0) + number
            else:
                setattr(self, name, mine + value)


def write_jsonl(
    directory: Path,
    count: int,
    seed: int,
    *,
    shard: int = SHARD_RECORDS,
    good_copy: bool = False,
    jobs: int = 2,
) -> Manifest:
    """``count`` records as JSON Lines files of ``shard`` records in ``directory``,
    written by ``jobs`` processes (each shard is made on its own, so the bytes do not
    depend on ``jobs``).

    With ``good_copy``, also the same files without their bad lines (``good/``), for
    readers that fail a whole file on one bad line.
    """
    began = time.perf_counter()
    directory.mkdir(parents=True, exist_ok=True)
    if good_copy:
        (directory / "good").mkdir(exist_ok=True)
    tasks = [
        (directory, count, seed, number, first, min(first + shard, count), good_copy)
        for number, first in enumerate(range(0, count, shard))
    ]
    manifest = Manifest(seed=seed, records=count)
    if jobs > 1 and len(tasks) > 1:
        import multiprocessing

        with multiprocessing.get_context("spawn").Pool(min(jobs, len(tasks))) as pool:
            parts = pool.map(_write_shard, tasks)
    else:
        parts = [_write_shard(task) for task in tasks]
    for part in parts:
        manifest.add(part)
    manifest.seconds = time.perf_counter() - began
    return manifest


def _write_shard(task: tuple[Path, int, int, int, int, int, bool]) -> Manifest:
    directory, count, seed, number, first, stop, good_copy = task
    generator = Generator(seed, count)
    path = directory / f"export-{number:03d}.jsonl"
    manifest = Manifest(seed=seed, records=count, files=[str(path)])
    good_path = directory / "good" / path.name
    if good_copy:
        manifest.good_files.append(str(good_path))
    lines: list[str] = []
    good_lines: list[str] = []
    with (
        path.open("w", encoding="utf-8") as out,
        good_path.open("w", encoding="utf-8") if good_copy else open(os.devnull, "w") as good_out,
    ):
        for line, record in enumerate(generator.records(first, stop), 1):
            manifest.count(record)
            lines.append(record.text + "\n")
            if record.bad is None:
                good_lines.append(record.text + "\n")
            else:
                manifest.bad.append([str(path), line, record.bad, record.id, record.detail])
            if len(lines) >= BLOCK:
                out.write("".join(lines))
                good_out.write("".join(good_lines))
                lines.clear()
                good_lines.clear()
        out.write("".join(lines))
        good_out.write("".join(good_lines))
    manifest.bytes = path.stat().st_size
    return manifest


def _participant(rng: random.Random, records: list[dict[str, Any]], when: str) -> dict[str, Any]:
    """A user participant holding ``records``, with the media lists Genesys fills in."""
    name, user = _person(rng)
    return {
        "id": _uuid(rng),
        "startTime": when,
        "connectedTime": when,
        "name": name,
        "userId": user,
        "purpose": "user",
        "state": "disconnected",
        "attributes": {},
        "calls": [],
        "callbacks": [],
        "chats": [],
        "cobrowsesessions": [],
        "emails": [],
        "messages": [],
        "screenshares": [],
        "socialExpressions": [],
        "videos": [],
        "internalMessages": records,
    }


def _caller(rng: random.Random, when: str) -> dict[str, Any]:
    """A participant with a call and no internal messages (the walker skips it)."""
    name, user = _person(rng)
    return {
        "id": _uuid(rng),
        "startTime": when,
        "name": name,
        "userId": user,
        "purpose": "agent",
        "attributes": {"queue": "support"},
        "calls": [
            {
                "id": _uuid(rng),
                "state": "disconnected",
                "recording": False,
                "muted": False,
                "held": False,
                "segments": [{"startTime": when, "type": "Interact"}],
            }
        ],
    }


def write_comparison(directory: Path, count: int, seed: int) -> dict[str, Any]:
    """The same records twice: JSON Lines (``records.jsonl``) and listing pages
    (``pages/page-NNNN.json``, ``PAGE_CONVERSATIONS`` conversations each; and all of
    them as one page, ``one-page.json``).

    The records are the first ``count`` of the export of ``seed`` whose line is JSON
    (the bad kinds a document cannot hold are left out of both). Each conversation
    holds one to three of them, in one or two participants, beside a participant with
    a call.
    """
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"{seed}:pages")
    generator = Generator(seed, count)
    records = (r for r in generator.records() if r.bad is None or r.bad in JSON_BAD_KINDS)
    lines_path = directory / "records.jsonl"
    pages = directory / "pages"
    pages.mkdir(exist_ok=True)
    page_paths: list[str] = []
    conversations: list[str] = []
    written = 0
    with (
        lines_path.open("w", encoding="utf-8") as lines,
        (directory / "one-page.json").open("w", encoding="utf-8") as whole,
    ):
        whole.write('{"entities":[')
        pending: list[Record] = []
        exhausted = False
        total_pages = 0
        while not exhausted:
            wanted = _between(rng, 1, 4)
            while len(pending) < wanted:
                item = next(records, None)
                if item is None:
                    exhausted = True
                    break
                pending.append(item)
            if not pending:
                break
            group, pending = pending[:wanted], pending[wanted:]
            for item in group:
                lines.write(item.text + "\n")
            written += len(group)
            when = json.loads(group[0].text)["segments"][0]["startTime"]
            split = _between(rng, 1, len(group) + 1)
            held = [json.loads(item.text) for item in group]
            participants = [_caller(rng, when), _participant(rng, held[:split], when)]
            if held[split:]:
                participants.append(_participant(rng, held[split:], when))
            conversation = _dumps(
                {
                    "id": _uuid(rng),
                    "startTime": when,
                    "originatingDirection": "inbound",
                    "divisionIds": [_uuid(rng)],
                    "participants": participants,
                    "recordingState": "none",
                    "selfUri": "/api/v2/conversations/" + _uuid(rng),
                }
            )
            whole.write(("," if written > len(group) else "") + conversation)
            conversations.append(conversation)
            if len(conversations) == PAGE_CONVERSATIONS or exhausted:
                total_pages += 1
                page_paths.append(_write_page(pages, total_pages, conversations))
                conversations = []
        if conversations:
            total_pages += 1
            page_paths.append(_write_page(pages, total_pages, conversations))
        whole.write(f'],"pageSize":{written},"pageNumber":1,"total":{written},"pageCount":1}}')
    return {
        "records": written,
        "lines": str(lines_path),
        "pages": page_paths,
        "one_page": str(directory / "one-page.json"),
        "conversations_per_page": PAGE_CONVERSATIONS,
    }


def _write_page(directory: Path, number: int, conversations: list[str]) -> str:
    path = directory / f"page-{number:04d}.json"
    uri = f"/api/v2/conversations?pageSize={PAGE_CONVERSATIONS}&pageNumber="
    path.write_text(
        '{"entities":[' + ",".join(conversations) + "],"
        f'"pageSize":{PAGE_CONVERSATIONS},"pageNumber":{number},"total":null,'
        f'"firstUri":"{uri}1","selfUri":"{uri}{number}","nextUri":"{uri}{number + 1}"}}',
        encoding="utf-8",
    )
    return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--shard", type=int, default=SHARD_RECORDS)
    parser.add_argument(
        "--pages", type=int, default=0, help="also this many records as listing pages"
    )
    parser.add_argument(
        "--good-copy", action="store_true", help="also the files without their bad lines"
    )
    args = parser.parse_args(argv)
    manifest = write_jsonl(
        args.directory, args.records, args.seed, shard=args.shard, good_copy=args.good_copy
    )
    summary = manifest.as_dict()
    summary["bad"] = len(manifest.bad)
    if args.pages:
        summary["comparison"] = write_comparison(args.directory / "compare", args.pages, args.seed)
        summary["comparison"]["pages"] = len(summary["comparison"]["pages"])
    json.dump(summary, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
