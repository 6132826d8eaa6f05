#!/usr/bin/env python3
"""make bench: crmctl measured side by side with the sqlite3 shell, in one run, interleaved, medians.

ingest     crmctl event ingest of 100,000 keyed events (a mix of SPEC §6 types over 10,000 imported leads,
           24 triggers on the lead pipeline) against the sqlite3 shell executing the bare writes those
           events need: the same event rows, timeline entries and element updates that crmctl wrote,
           as SQL text in one transaction.
rules      the same ingest with 5 rules due at once (a note, a set, an sms among them) against without.
memory     peak resident memory of ingesting 100,000 and 300,000 events.
start-up   one `crmctl event inject` against one `sqlite3 DB "<the same four writes>"`.
history    `crmctl history ID` on a database with 1,000,000 timeline entries against `crmctl element show ID`.
tick       one `crmctl tick` with nothing due (100,000 elements, 10 time triggers, 50,000 pending jobs) against
           `crmctl element show`; and a tick running 10,000 due note jobs: jobs/s.
delivery   `crmctl deliver --exec true` of 10,000 outbox messages against a shell loop running
           `/bin/sh -c true` 10,000 times (starting the command is the floor).
growth     batches of 200,000 events (`BENCH_BATCH`) ingested into one file up to 2,000,000 (`BENCH_SCALE`):
           per batch events/s, the file's size after a checkpoint and its bytes per event; then one
           `event inject` and one `history` on the grown file. The last batch keeps 0.8 of the first's
           speed, and the file stays within 300 bytes per event.

lists      `crmctl event list | head -1` on 600,000 events (a list streams: it returns at once) and the peak
           memory of the whole `event list --json` of them (flat, however many rows).

report page  `crmctl report --html` against `crmctl report` on a database with 1,000,000 timeline entries.

The ingest case also replays the very rows crmctl wrote through prepared statements in one transaction
(Python's sqlite3, `executemany`): the limit for the same writes, crmctl / limit beside crmctl / sqlite3.

postgres   on a throwaway PostgreSQL server (scripts/pg-server.sh): `crmctl event ingest` of the 100,000 events
           into a database against `psql` executing the bare writes crmctl made there, as SQL text in one
           transaction (as the ingest case does with the sqlite3 shell); and the same events split by element
           into 4 files, ingested by 4 processes at once against the 4 one after another (writers on
           different elements do not wait for each other there).

BENCH_ONLY=delivery, BENCH_ONLY=lists, BENCH_ONLY=report-page, BENCH_ONLY=growth or BENCH_ONLY=postgres runs that
case alone.
"""
import itertools
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchdata  # noqa: E402

CRMCTL = os.path.abspath(os.environ.get("CRMCTL", ".build/release/crmctl"))
SQLITE3 = shutil.which("sqlite3") or "/usr/bin/sqlite3"
GNU_TIME = "/usr/bin/time"
REPS = int(os.environ.get("BENCH_REPS", "5"))
LEADS = 10_000


def run(argv, stdin=None, stdout=subprocess.DEVNULL):
    """Runs a command; returns (seconds, exit code)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=stdin, stdout=stdout, stderr=subprocess.DEVNULL)
    _, status, _ = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    return elapsed, os.waitstatus_to_exitcode(status)


def peak_memory(argv, stdin):
    """Peak resident memory of the command in KiB, measured by GNU time: a process forked from this
    Python would count the interpreter's pages it inherited before exec in its own peak."""
    with tempfile.NamedTemporaryFile(mode="r") as report:
        proc = subprocess.run([GNU_TIME, "-f", "%M", "-o", report.name, *argv], stdin=stdin,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert proc.returncode == 0
        return int(report.read().split()[-1])


def crmctl(db, *args, stdin=None):
    return run([CRMCTL, "--db", db, *args], stdin=stdin)


def sql_literal(value):
    if value is None:
        return "NULL"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, bytes):
        return "X'" + value.hex() + "'"
    return "'" + str(value).replace("'", "''") + "'"


def bare_writes(reference_db, out_path, base_max_timeline):
    """The writes crmctl made, as the SQL text a shell would run: each event row, its timeline entries (and
    the element's newest entry), and the element's new stage."""
    con = sqlite3.connect(reference_db)
    timeline = {}
    for row in con.execute(
            "SELECT id, element, at, kind, author, event, details, previous FROM timeline WHERE id > ? ORDER BY id",
            (base_max_timeline,)):
        timeline.setdefault(row[5], []).append(row)
    with open(out_path, "w") as out:
        out.write("BEGIN IMMEDIATE;\n")
        for event in con.execute(
                "SELECT id, key, type, element, at, by, data, fingerprint, status, outcome, recorded_at "
                "FROM events ORDER BY id"):
            out.write("INSERT INTO events VALUES (" + ",".join(map(sql_literal, event)) + ");\n")
            stage = None
            for entry in timeline.get(event[0], []):
                out.write("INSERT INTO timeline (id, element, at, kind, author, event, details, previous) VALUES ("
                          + ",".join(map(sql_literal, entry)) + ");\n")
                out.write(f"INSERT INTO timeline_heads VALUES ({entry[1]}, {entry[0]}, {entry[0]}) "
                          "ON CONFLICT (element) DO UPDATE SET last = excluded.last;\n")
                if entry[3] == "stage_changed":
                    stage = entry[6].split('"to":"')[1].split('"')[0]
            if stage:
                out.write(f"UPDATE elements SET stage = {sql_literal(stage)}, updated_at = {event[10]} "
                          f"WHERE id = {event[3]};\n")
            else:
                out.write(f"UPDATE elements SET updated_at = {event[10]} WHERE id = {event[3]};\n")
        out.write("COMMIT;\n")


def written_rows(reference_db, base_max_timeline):
    """The rows crmctl wrote for the events, read back table by table in id order: every event row and
    timeline entry, the sent emails and chats, for each timeline entry the element's newest entry, and for
    each event the element's stage and update time as it left them."""
    con = sqlite3.connect(reference_db)
    tables = []
    for table, query, values in (
            ("events", "SELECT * FROM events ORDER BY id", ()),
            ("timeline", "SELECT id, element, at, kind, author, event, details, previous FROM timeline "
                         "WHERE id > ? ORDER BY id", (base_max_timeline,)),
            ("sent_emails", "SELECT * FROM sent_emails ORDER BY id", ()),
            ("chats", "SELECT * FROM chats", ())):
        cursor = con.execute(query, values)
        columns = [d[0] for d in cursor.description]
        tables.append((table, columns, cursor.fetchall()))
    moved_to = {}
    for event, details in con.execute(
            "SELECT event, details FROM timeline WHERE kind = 'stage_changed' AND id > ? ORDER BY id",
            (base_max_timeline,)):
        moved_to[event] = json.loads(details)["to"]
    heads = con.execute("SELECT element, id, id FROM timeline WHERE id > ? ORDER BY id", (base_max_timeline,)).fetchall()
    stages = dict(con.execute("SELECT id, stage FROM elements"))
    current = {}
    updates = []
    for event, element, recorded_at in con.execute("SELECT id, element, recorded_at FROM events ORDER BY id"):
        current[element] = moved_to.get(event, current.get(element, stages[element]))
        updates.append((current[element], recorded_at, element))
    con.close()
    return tables, heads, updates


def replay_rows(db, rows):
    """Writes `rows` (written_rows) into `db` through prepared statements in one transaction, with
    crmctl's settings (WAL, synchronous NORMAL, foreign keys, 16 MiB cache); returns the seconds taken."""
    tables, heads, updates = rows
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA synchronous = NORMAL")
    con.execute("PRAGMA foreign_keys = ON")
    con.execute("PRAGMA cache_size = -16384")
    start = time.perf_counter()
    con.execute("BEGIN IMMEDIATE")
    for table, columns, values in tables:
        con.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                        values)
    con.executemany("INSERT INTO timeline_heads VALUES (?, ?, ?) ON CONFLICT (element) DO UPDATE SET last = excluded.last",
                    heads)
    con.executemany("UPDATE elements SET stage = ?, updated_at = ? WHERE id = ?", updates)
    con.execute("COMMIT")
    elapsed = time.perf_counter() - start
    con.close()
    return elapsed


DELIVERY_MESSAGES = 10_000


def delivery_case(path):
    """Rows of the delivery case: 10,000 sms messages delivered with `--exec true`, against a shell loop."""
    print(f"delivery: {DELIVERY_MESSAGES:,} messages, {REPS} interleaved repetitions ...", flush=True)
    outbox = path("outbox.db")
    assert crmctl(outbox, "rule", "add", "--pipeline", "lead", "--stage", "NEW", "--do", "sms", "--text", "hi")[1] == 0
    with open(path("phones.ndjson"), "w") as out:
        for i in range(DELIVERY_MESSAGES):
            out.write(f'{{"type":"lead","title":"Lead {i}","phone":"+49151{i:07d}"}}\n')
    with open(path("phones.ndjson")) as leads:
        assert crmctl(outbox, "element", "import", stdin=leads)[1] == 0
    loop = f'i=0; while [ $i -lt {DELIVERY_MESSAGES} ]; do /bin/sh -c true; i=$((i + 1)); done'
    deliver, shell = [], []
    for rep in range(REPS):
        db = path(f"deliver-{rep}.db")
        shutil.copy(outbox, db)
        seconds, code = crmctl(db, "deliver", "--exec", "true")
        assert code == 0
        delivered = sqlite3.connect(db).execute("SELECT count(*) FROM outbox WHERE status = 'delivered'").fetchone()[0]
        assert delivered == DELIVERY_MESSAGES, delivered
        deliver.append(seconds)
        seconds, code = run(["/bin/sh", "-c", loop])
        assert code == 0
        shell.append(seconds)
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.remove(db + suffix)
    crmctl_rate = DELIVERY_MESSAGES / median(deliver)
    shell_rate = DELIVERY_MESSAGES / median(shell)
    ratio = crmctl_rate / shell_rate
    return [
        ("deliver 10,000 messages --exec true", f"{median(deliver):.2f} s", f"{crmctl_rate:,.0f} messages/s", "", ""),
        ("shell loop: /bin/sh -c true ×10,000", f"{median(shell):.2f} s", f"{shell_rate:,.0f} runs/s", "", ""),
        ("delivery ratio crmctl/shell loop", f"{ratio:.2f}", "", ">= 0.5", ratio >= 0.5),
    ]


def remove_database(db):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)


def growth_case(path, base):
    """Rows of the growth case: batches of events ingested into one growing file (BENCH_SCALE events in
    all, BENCH_BATCH a batch), then one inject and one history on the grown file."""
    total = int(os.environ.get("BENCH_SCALE", "2000000"))
    batch = int(os.environ.get("BENCH_BATCH", str(min(200_000, total))))
    print(f"growth: {total:,} events in batches of {batch:,} into one file ...", flush=True)
    db = path("growth.db")
    shutil.copy(base, db)
    events = benchdata.events(total, LEADS, seed=13)
    rows, rates, done = [], [], 0
    while done < total:
        count = min(batch, total - done)
        batch_file = path("growth-batch.ndjson")
        benchdata.write_ndjson(batch_file, itertools.islice(events, count))
        with open(batch_file) as lines:
            start = time.perf_counter()
            proc = subprocess.Popen([CRMCTL, "--db", db, "event", "ingest"], stdin=lines, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            _, status, usage = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - start
        assert os.waitstatus_to_exitcode(status) == 0
        os.remove(batch_file)
        # The checkpoint that brings the batch's log into the file counts in the batch's time.
        start = time.perf_counter()
        con = sqlite3.connect(db)
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
        seconds += time.perf_counter() - start
        size = os.path.getsize(db)
        rate = count / seconds
        rates.append(rate)
        # CPU time and blocks written hold still when other work shares the machine; wall time does not.
        print(f"  {done:>9,} → {done + count:>9,}: {rate:>8,.0f} events/s, {size / 1e6:8.1f} MB, "
              f"{size / (done + count):5.0f} bytes/event; cpu {usage.ru_utime:.1f} s user {usage.ru_stime:.1f} s sys, "
              f"{usage.ru_oublock * 512 / count:,.0f} bytes written/event", flush=True)
        rows.append((f"growth {done / 1e6:.1f}M → {(done + count) / 1e6:.1f}M events", f"{rate:,.0f} ev/s",
                     f"{size / 1e6:,.0f} MB {size / (done + count):,.0f} B/ev", "", ""))
        done += count
    inject, history, show = [], [], []
    for i in range(11):
        element = str(1 + 97 * i)
        inject.append(crmctl(db, "event", "inject", "--type", "call.missed", "--element", element,
                             "--key", f"growth-{i}", "--set", "line=hotline")[0])
        history.append(crmctl(db, "history", element)[0])
        show.append(crmctl(db, "element", "show", element)[0])
    remove_database(db)
    speed_ratio = rates[-1] / rates[0]
    bytes_per_event = size / total
    return rows + [
        ("growth: last batch / first, events/s", f"{speed_ratio:.2f}", "", ">= 0.8", speed_ratio >= 0.8),
        (f"growth: bytes per event at {total:,}", f"{bytes_per_event:,.0f}", "", "<= 300", bytes_per_event <= 300),
        ("growth: event inject on the grown file", f"{median(inject) * 1000:.1f} ms", "", "", ""),
        ("growth: history on the grown file", f"{median(history) * 1000:.1f} ms",
         f"show {median(show) * 1000:.1f} ms", "", ""),
    ]


PG_SERVER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pg-server.sh")
PSQL = shutil.which("psql") or "/usr/bin/psql"
PG_WRITERS = 4


def pg_database(uri, name):
    """The URI of database `name` on the server of `uri` (pg-server.sh's `postgresql:///crm?host=…`)."""
    return uri.replace("///crm?", f"///{name}?", 1)


def psql(uri, *args, stdin=None):
    """Runs psql quietly, stopping at the first error; returns its stdout."""
    proc = subprocess.run([PSQL, "-X", "-q", "-v", "ON_ERROR_STOP=1", uri, *args], stdin=stdin, capture_output=True,
                          check=True)
    return proc.stdout


COPY_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


def copy_rows(uri, query):
    """The rows of `query` through COPY's text format: tab-separated, `\\N` for NULL, backslash escapes."""
    def unescape(match):
        return COPY_ESCAPES.get(match.group(1), match.group(1))
    text = psql(uri, "-c", f"COPY ({query}) TO STDOUT").decode()
    rows = []
    for line in text.split("\n")[:-1]:
        rows.append([None if field == "\\N" else re.sub(r"\\(.)", unescape, field) for field in line.split("\t")])
    return rows


def pg_literal(value):
    """A value as PostgreSQL SQL text: quoted, the column's type given by where it goes."""
    return "NULL" if value is None else "'" + value.replace("'", "''") + "'"


def pg_bare_writes(uri, out_path, base_max_timeline):
    """The writes crmctl made in the PostgreSQL database `uri`, as the SQL text psql would run: as
    bare_writes, each event row, its timeline entries (and the element's newest entry), and the element's
    new stage, in one transaction."""
    timeline = {}
    for row in copy_rows(uri, "SELECT id, element, at, kind, author, event, details, previous FROM timeline "
                              f"WHERE id > {base_max_timeline} ORDER BY id"):
        timeline.setdefault(row[5], []).append(row)
    with open(out_path, "w") as out:
        out.write("BEGIN;\n")
        for event in copy_rows(uri, "SELECT id, key, type, element, at, by, data, fingerprint, status, outcome, "
                                    "recorded_at FROM events ORDER BY id"):
            out.write("INSERT INTO events VALUES (" + ",".join(map(pg_literal, event)) + ");\n")
            stage = None
            for entry in timeline.get(event[0], []):
                out.write("INSERT INTO timeline (id, element, at, kind, author, event, details, previous) VALUES ("
                          + ",".join(map(pg_literal, entry)) + ");\n")
                out.write(f"INSERT INTO timeline_heads VALUES ({entry[1]}, {entry[0]}, {entry[0]}) "
                          "ON CONFLICT (element) DO UPDATE SET last = excluded.last;\n")
                if entry[3] == "stage_changed":
                    stage = json.loads(entry[6])["to"]
            if stage:
                out.write(f"UPDATE elements SET stage = {pg_literal(stage)}, updated_at = {event[10]} "
                          f"WHERE id = {event[3]};\n")
            else:
                out.write(f"UPDATE elements SET updated_at = {event[10]} WHERE id = {event[3]};\n")
        out.write("COMMIT;\n")


def postgres_case(path):
    """Rows of the postgres case, on a throwaway server: crmctl's ingest against psql running the bare
    writes, and PG_WRITERS ingesters on elements of their own at once against one after another."""
    print(f"postgres: a throwaway server, {LEADS:,} leads, 24 triggers, 100,000 keyed events, "
          f"{REPS} interleaved repetitions ...", flush=True)
    server = f"/tmp/crmctl-bench-pg-{os.getpid()}"
    server_uri = subprocess.run(["bash", PG_SERVER, "start", server], capture_output=True, text=True,
                                check=True).stdout.strip()
    try:
        version = psql(server_uri, "-At", "-c", "SHOW server_version").decode().strip()
        print(f"  PostgreSQL {version}", flush=True)
        benchdata.write_ndjson(path("pg-leads.ndjson"), benchdata.leads(LEADS))
        events = list(benchdata.events(100_000, LEADS))
        benchdata.write_ndjson(path("pg-events.ndjson"), events)
        # Each writer's events: those of the elements it alone writes to, in the order of the whole.
        for writer in range(PG_WRITERS):
            benchdata.write_ndjson(path(f"pg-events-{writer}.ndjson"),
                                   (e for e in events if (e["element"] - 1) % PG_WRITERS == writer))

        # The base database, the template every measured one is copied from (a file copy on the server).
        psql(server_uri, "-c", "CREATE DATABASE bench_base")
        base = pg_database(server_uri, "bench_base")
        with open(path("pg-leads.ndjson")) as leads:
            assert crmctl(base, "element", "import", stdin=leads)[1] == 0
        for code, stage, extra in benchdata.TRIGGERS:
            assert crmctl(base, "trigger", "add", "--on", code, "--pipeline", "lead", "--stage", stage, *extra)[1] == 0
        base_max_timeline = int(psql(base, "-At", "-c", "SELECT max(id) FROM timeline").decode())
        # Template copies are made of a database nobody is connected to: settle after crmctl's last exit.
        made = itertools.count()

        def fresh_database():
            name = f"bench_{next(made)}"
            psql(server_uri, "-c", f"CREATE DATABASE {name} TEMPLATE bench_base")
            return name, pg_database(server_uri, name)

        def drop(name):
            psql(server_uri, "-c", f"DROP DATABASE {name}")

        def event_count(uri):
            return int(psql(uri, "-At", "-c", "SELECT count(*) FROM events").decode())

        reference, reference_uri = fresh_database()
        with open(path("pg-events.ndjson")) as lines:
            assert crmctl(reference_uri, "event", "ingest", stdin=lines)[1] == 0
        assert event_count(reference_uri) == 100_000
        pg_bare_writes(reference_uri, path("pg-bare.sql"), base_max_timeline)
        drop(reference)

        ingest, shell, together, one_by_one = [], [], [], []
        for rep in range(REPS):
            name, uri = fresh_database()
            with open(path("pg-events.ndjson")) as lines:
                seconds, code = crmctl(uri, "event", "ingest", stdin=lines)
            assert code == 0 and event_count(uri) == 100_000
            ingest.append(seconds)
            drop(name)

            name, uri = fresh_database()
            with open(path("pg-bare.sql")) as sql:
                seconds, code = run([PSQL, "-X", "-q", "-v", "ON_ERROR_STOP=1", uri], stdin=sql)
            assert code == 0 and event_count(uri) == 100_000
            shell.append(seconds)
            drop(name)

            name, uri = fresh_database()
            files = [open(path(f"pg-events-{writer}.ndjson")) for writer in range(PG_WRITERS)]
            start = time.perf_counter()
            procs = [subprocess.Popen([CRMCTL, "--db", uri, "event", "ingest"], stdin=f, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL) for f in files]
            codes = [proc.wait() for proc in procs]
            together.append(time.perf_counter() - start)
            for f in files:
                f.close()
            assert codes == [0] * PG_WRITERS and event_count(uri) == 100_000, codes
            drop(name)

            name, uri = fresh_database()
            seconds = 0.0
            for writer in range(PG_WRITERS):
                with open(path(f"pg-events-{writer}.ndjson")) as lines:
                    elapsed, code = crmctl(uri, "event", "ingest", stdin=lines)
                assert code == 0
                seconds += elapsed
            assert event_count(uri) == 100_000
            one_by_one.append(seconds)
            drop(name)
    finally:
        subprocess.run(["bash", PG_SERVER, "stop", server], capture_output=True)

    ingest_ratio = median(ingest) / median(shell)
    writers_ratio = median(together) / median(one_by_one)
    return [
        ("postgres: ingest 100,000 events, crmctl", f"{median(ingest):.2f} s",
         f"{100_000 / median(ingest):,.0f} events/s", "", ""),
        ("postgres: psql, bare writes", f"{median(shell):.2f} s", "", "", ""),
        ("postgres: ingest ratio crmctl/psql", f"{ingest_ratio:.2f}", "", "<= 1.0", ingest_ratio <= 1.0),
        (f"postgres: {PG_WRITERS} ingesters one after another", f"{median(one_by_one):.2f} s",
         f"{100_000 / median(one_by_one):,.0f} events/s", "", ""),
        (f"postgres: {PG_WRITERS} ingesters at once", f"{median(together):.2f} s",
         f"{100_000 / median(together):,.0f} events/s", "", ""),
        ("postgres: at once / one after another", f"{writers_ratio:.2f}", "", "<= 0.7", writers_ratio <= 0.7),
    ]


def prepare_base(path):
    """10,000 imported leads and the 24 triggers, in base.db."""
    base = path("base.db")
    benchdata.write_ndjson(path("leads.ndjson"), benchdata.leads(LEADS))
    with open(path("leads.ndjson")) as leads:
        assert crmctl(base, "element", "import", stdin=leads)[1] == 0
    for code, stage, extra in benchdata.TRIGGERS:
        assert crmctl(base, "trigger", "add", "--on", code, "--pipeline", "lead", "--stage", stage, *extra)[1] == 0
    return base


LIST_EVENTS = 600_000


def list_stream_case(path):
    """Rows of the lists case: the first line of a 600,000-event list, and the memory of all of it."""
    print(f"lists: {LIST_EVENTS:,} events ...", flush=True)
    db = path("lists.db")
    benchdata.write_ndjson(path("list-leads.ndjson"), benchdata.leads(LEADS))
    with open(path("list-leads.ndjson")) as leads:
        assert crmctl(db, "element", "import", stdin=leads)[1] == 0
    benchdata.write_ndjson(path("list-events.ndjson"), benchdata.events(LIST_EVENTS, LEADS))
    with open(path("list-events.ndjson")) as events:
        assert crmctl(db, "event", "ingest", stdin=events)[1] == 0
    first_line = []
    for _ in range(11):
        start = time.perf_counter()
        proc = subprocess.run(f"'{CRMCTL}' --db '{db}' event list | head -1", shell=True, capture_output=True)
        first_line.append(time.perf_counter() - start)
        assert proc.stdout.count(b"\n") == 1, proc.stdout
    whole = [peak_memory([CRMCTL, "--db", db, "event", "list", "--json"], stdin=subprocess.DEVNULL) for _ in range(3)]
    return [
        (f"event list | head -1 ({LIST_EVENTS:,} events)", f"{median(first_line) * 1000:.1f} ms", "", "< 200 ms",
         median(first_line) < 0.2),
        ("peak memory, event list --json (all)", f"{median(whole) / 1024:.1f} MiB", "", "< 40 MiB",
         median(whole) / 1024 < 40),
    ]


REPORT_TIMELINE = 1_000_000


def report_page_case(path):
    """Rows of the report page case: `crmctl report --html` against `crmctl report` (text) on one database with
    1,000,000 timeline entries (10,000 leads; every other entry a stage change by a trigger around the lead
    pipeline, the others call.missed events with their event rows; one entry every 30 s for almost a year)."""
    print(f"report page: a database with {REPORT_TIMELINE:,} timeline entries ...", flush=True)
    db = path("report-page.db")
    benchdata.write_ndjson(path("report-leads.ndjson"), benchdata.leads(LEADS))
    with open(path("report-leads.ndjson")) as leads:
        assert crmctl(db, "element", "import", stdin=leads)[1] == 0
    assert crmctl(db, "trigger", "add", "--on", "call.missed", "--pipeline", "lead", "--stage", "IN_PROCESS")[1] == 0
    con = sqlite3.connect(db)
    more = REPORT_TIMELINE - con.execute("SELECT count(*) FROM timeline").fetchone()[0]
    stage = "CASE ({}) % 5 WHEN 0 THEN 'NEW' WHEN 1 THEN 'IN_PROCESS' WHEN 2 THEN 'PROCESSED' WHEN 3 THEN 'CONVERTED' ELSE 'JUNK' END"
    con.execute(
        f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {more}) "
        "INSERT INTO timeline (element, at, kind, author, event, details) "
        "SELECT 1 + (i % 10000), 1795000000000 + i * 30000, "
        "       CASE i % 2 WHEN 0 THEN 'call.missed' ELSE 'stage_changed' END, 'system', NULL, "
        "       CASE i % 2 WHEN 0 THEN '{\"data\":{}}' "
        f"           ELSE json_object('from', {stage.format('i / 2 + 4')}, 'to', {stage.format('i / 2')}, "
        "                            'trigger', 1, 'event', NULL) END "
        "FROM n")
    con.execute(
        f"WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 2 FROM n WHERE i + 2 <= {more}) "
        "INSERT INTO events (type, element, at, data, fingerprint, status, outcome, recorded_at) "
        "SELECT 'call.missed', 1 + (i % 10000), 1795000000000 + i * 30000, '{}', 'f' || i, 'recorded', '{}', "
        "       1795000000000 + i * 30000 FROM n")
    con.commit()
    total = con.execute("SELECT count(*) FROM timeline").fetchone()[0]
    con.close()
    page, text = [], []
    for _ in range(11):
        seconds, code = crmctl(db, "report", "--html")
        assert code == 0
        page.append(seconds)
        seconds, code = crmctl(db, "report")
        assert code == 0
        text.append(seconds)
    ratio = median(page) / median(text)
    return [
        (f"report --html on {total:,} entries", f"{median(page) * 1000:.0f} ms", "", "", ""),
        ("report (text) on the same database", f"{median(text) * 1000:.0f} ms", "", "", ""),
        ("report page ratio html/text", f"{ratio:.2f}", "", "<= 1.5", ratio <= 1.5),
    ]


def print_rows(rows):
    print()
    print(f"{'measure':38} {'median':>12} {'':>18} {'target':>8}  holds")
    for name, value, extra, target, holds in rows:
        verdict = "" if target == "" else ("yes" if holds else "NO")
        print(f"{name:38} {value:>12} {extra:>18} {target:>8}  {verdict}")
    failed = [name for name, _, _, target, holds in rows if target and not holds]
    return 1 if failed else 0


def median(values):
    return statistics.median(values)


def main():
    work = tempfile.mkdtemp(prefix="crmctl-bench-")
    path = lambda name: os.path.join(work, name)  # noqa: E731
    try:
        if os.environ.get("BENCH_ONLY") == "delivery":
            return print_rows(delivery_case(path))
        if os.environ.get("BENCH_ONLY") == "lists":
            return print_rows(list_stream_case(path))
        if os.environ.get("BENCH_ONLY") == "report-page":
            return print_rows(report_page_case(path))
        if os.environ.get("BENCH_ONLY") == "growth":
            return print_rows(growth_case(path, prepare_base(path)))
        if os.environ.get("BENCH_ONLY") == "postgres":
            return print_rows(postgres_case(path))
        print(f"machine: {os.cpu_count()} cores, {os.uname().sysname} {os.uname().release}; "
              f"crmctl {CRMCTL}; sqlite3 {subprocess.run([SQLITE3, '--version'], capture_output=True, text=True).stdout.split()[0]}")
        print("preparing: 10,000 leads, 24 triggers, 100,000 and 300,000 keyed events ...", flush=True)
        benchdata.write_ndjson(path("events100k.ndjson"), benchdata.events(100_000, LEADS))
        benchdata.write_ndjson(path("events300k.ndjson"), benchdata.events(300_000, LEADS))
        base = prepare_base(path)
        base_max_timeline = sqlite3.connect(base).execute("SELECT max(id) FROM timeline").fetchone()[0]
        with_rules = path("rules.db")
        shutil.copy(base, with_rules)
        for stage, extra in benchdata.RULES:
            assert crmctl(with_rules, "rule", "add", "--pipeline", "lead", "--stage", stage, *extra)[1] == 0

        reference = path("reference.db")
        shutil.copy(base, reference)
        with open(path("events100k.ndjson")) as events:
            assert crmctl(reference, "event", "ingest", stdin=events)[1] == 0
        bare_writes(reference, path("bare.sql"), base_max_timeline)
        replayed = written_rows(reference, base_max_timeline)

        print(f"ingest: {REPS} interleaved repetitions ...", flush=True)
        ingest_crmctl, ingest_shell, ingest_limit, ingest_rules, rss100, rss300 = [], [], [], [], [], []
        for rep in range(REPS):
            db = path(f"ingest-{rep}.db")
            shutil.copy(base, db)
            with open(path("events100k.ndjson")) as events:
                seconds, code = crmctl(db, "event", "ingest", stdin=events)
            assert code == 0
            ingest_crmctl.append(seconds)
            shell_db = path(f"shell-{rep}.db")
            shutil.copy(base, shell_db)
            with open(path("bare.sql")) as sql:
                seconds, code = run([SQLITE3, shell_db], stdin=sql)
            assert code == 0
            ingest_shell.append(seconds)
            limit_db = path(f"limit-{rep}.db")
            shutil.copy(base, limit_db)
            ingest_limit.append(replay_rows(limit_db, replayed))
            rules_db = path(f"rules-{rep}.db")
            shutil.copy(with_rules, rules_db)
            with open(path("events100k.ndjson")) as events:
                seconds, code = crmctl(rules_db, "event", "ingest", stdin=events)
            assert code == 0
            ingest_rules.append(seconds)
            for name in (db, shell_db, limit_db, rules_db):
                remove_database(name)
            if rep < 3:
                for count, peaks in ((100, rss100), (300, rss300)):
                    db = path("memory.db")
                    shutil.copy(base, db)
                    with open(path(f"events{count}k.ndjson")) as events:
                        peaks.append(peak_memory([CRMCTL, "--db", db, "event", "ingest"], stdin=events))
                    for suffix in ("", "-wal", "-shm"):
                        if os.path.exists(db + suffix):
                            os.remove(db + suffix)

        print("start-up: 41 interleaved pairs ...", flush=True)
        startup_db = path("startup.db")
        shutil.copy(base, startup_db)
        startup_crmctl, startup_shell = [], []
        for i in range(41):
            element = 1 + i
            startup_crmctl.append(crmctl(startup_db, "event", "inject", "--type", "call.missed",
                                         "--element", str(element), "--key", f"start-{i}",
                                         "--set", "line=hotline")[0])
            ms = 1_800_000_000_000 + i
            writes = (
                "BEGIN IMMEDIATE;"
                f"INSERT INTO events (key, type, element, at, data, fingerprint, status, outcome, recorded_at) "
                f"VALUES ('shell-{i}', 'call.missed', {element}, {ms}, '{{\"line\":\"hotline\"}}', 'f{i}', "
                f"'recorded', '{{}}', {ms});"
                f"INSERT INTO timeline (element, at, kind, author, event, details, previous) VALUES ({element}, {ms}, "
                f"'call.missed', 'system', last_insert_rowid(), NULL, "
                f"(SELECT last FROM timeline_heads WHERE element = {element}));"
                f"INSERT INTO timeline_heads VALUES ({element}, last_insert_rowid(), last_insert_rowid()) "
                f"ON CONFLICT (element) DO UPDATE SET last = excluded.last;"
                f"UPDATE elements SET updated_at = {ms} WHERE id = {element};COMMIT;")
            startup_shell.append(run([SQLITE3, startup_db, writes])[0])

        print("history: a database with 1,000,000 timeline entries ...", flush=True)
        big = path("big.db")
        shutil.copy(base, big)
        con = sqlite3.connect(big)
        con.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000) "
            "INSERT INTO timeline (element, at, kind, author, event, details) "
            "SELECT 1 + (i % 10000), 1795000000000 + i, 'call.missed', 'system', NULL, '{\"data\":{}}' FROM n")
        # Chained as crmctl chains them: each entry to the element's one before, the first and newest in
        # timeline_heads.
        con.execute("UPDATE timeline SET previous = chained.previous FROM "
                    "(SELECT id, lag(id) OVER (PARTITION BY element ORDER BY id) AS previous FROM timeline) chained "
                    "WHERE chained.id = timeline.id")
        con.execute("INSERT OR REPLACE INTO timeline_heads (element, first, last) "
                    "SELECT element, min(id), max(id) FROM timeline GROUP BY element")
        con.commit()
        total = con.execute("SELECT count(*) FROM timeline").fetchone()[0]
        con.close()
        history, show = [], []
        for _ in range(21):
            history.append(crmctl(big, "history", "5000")[0])
            show.append(crmctl(big, "element", "show", "5000")[0])

        print("tick: 100,000 elements, 10 time triggers, 50,000 pending jobs, none due ...", flush=True)
        idle = path("tick-idle.db")
        crmctl(idle, "rule", "add", "--pipeline", "lead", "--stage", "NEW", "--do", "note", "--text", "later",
               "--after", "30d")
        benchdata.write_ndjson(path("tick-leads.ndjson"), (
            {"type": "lead", "title": f"Lead {i}", "stage": "NEW" if i % 2 else "IN_PROCESS"} for i in range(100_000)))
        with open(path("tick-leads.ndjson")) as leads:
            assert crmctl(idle, "element", "import", stdin=leads)[1] == 0
        for index, seconds in enumerate([86_400 * d for d in (3, 5, 7, 10, 14, 21)]):
            assert crmctl(idle, "trigger", "add", "--on", "stage.idle", "--seconds", str(seconds), "--pipeline", "lead",
                          "--stage", "JUNK", "--allow-backwards")[1] == 0
        for seconds in (3600, 7200, 14_400, 86_400):
            assert crmctl(idle, "trigger", "add", "--on", "chat.unanswered", "--seconds", str(seconds), "--pipeline",
                          "lead", "--stage", "PROCESSED")[1] == 0
        assert sqlite3.connect(idle).execute("SELECT count(*) FROM jobs WHERE status = 'pending'").fetchone()[0] == 50_000
        tick_idle, tick_show = [], []
        for _ in range(21):
            tick_idle.append(crmctl(idle, "tick")[0])
            tick_show.append(crmctl(idle, "element", "show", "50000")[0])

        print("tick: 10,000 due note jobs ...", flush=True)
        due = path("tick-due.db")
        crmctl(due, "rule", "add", "--pipeline", "lead", "--stage", "NEW", "--do", "note", "--text", "due {title}",
               "--after", "1m")
        benchdata.write_ndjson(path("tick-due.ndjson"), ({"type": "lead", "title": f"Lead {i}"} for i in range(10_000)))
        with open(path("tick-due.ndjson")) as leads:
            assert crmctl(due, "element", "import", stdin=leads)[1] == 0
        tick_due = []
        for rep in range(3):
            db = path(f"tick-due-{rep}.db")
            for suffix in ("", "-wal"):
                if os.path.exists(due + suffix):
                    shutil.copy(due + suffix, db + suffix)
            start = time.perf_counter()
            proc = subprocess.run([CRMCTL, "--db", db, "tick"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  env={**os.environ, "CRMCTL_NOW": "2100-01-01T00:00:00Z"})
            tick_due.append(time.perf_counter() - start)
            assert proc.returncode == 0
            assert sqlite3.connect(db).execute("SELECT count(*) FROM jobs WHERE status = 'done'").fetchone()[0] == 10_000

        ingest_ratio = median(ingest_crmctl) / median(ingest_shell)
        limit_ratio = median(ingest_crmctl) / median(ingest_limit)
        rules_ratio = median(ingest_crmctl) / median(ingest_rules)
        memory_ratio = median(rss300) / median(rss100)
        startup_ratio = median(startup_crmctl) / median(startup_shell)
        history_ratio = median(history) / median(show)
        tick_ratio = median(tick_idle) / median(tick_show)
        jobs_per_second = 10_000 / median(tick_due)
        rows = [
            ("ingest 100,000 events: crmctl", f"{median(ingest_crmctl):.2f} s", f"{100_000 / median(ingest_crmctl):,.0f} events/s", "", ""),
            ("ingest: sqlite3 shell, bare writes", f"{median(ingest_shell):.2f} s", "", "", ""),
            ("ingest ratio crmctl/sqlite3", f"{ingest_ratio:.2f}", "", "<= 1.0", ingest_ratio <= 1.0),
            ("ingest: prepared statements, same rows", f"{median(ingest_limit):.2f} s", "", "", ""),
            ("ingest ratio crmctl/prepared limit", f"{limit_ratio:.2f}", "", "<= 1.5", limit_ratio <= 1.5),
            ("ingest with 5 rules at once", f"{median(ingest_rules):.2f} s", f"{100_000 / median(ingest_rules):,.0f} events/s", "", ""),
            ("events/s with rules / without", f"{rules_ratio:.2f}", "", ">= 0.6", rules_ratio >= 0.6),
            ("peak memory, 100,000 events", f"{median(rss100) / 1024:.1f} MiB", "", "", ""),
            ("peak memory, 300,000 events", f"{median(rss300) / 1024:.1f} MiB", "", "", ""),
            ("memory ratio 300k/100k", f"{memory_ratio:.2f}", "", "<= 1.25", memory_ratio <= 1.25),
            ("start-up: crmctl event inject", f"{median(startup_crmctl) * 1000:.1f} ms", "", "", ""),
            ("start-up: sqlite3 four writes", f"{median(startup_shell) * 1000:.1f} ms", "", "", ""),
            ("start-up ratio", f"{startup_ratio:.2f}", "", "<= 1.5", startup_ratio <= 1.5),
            (f"history on {total:,} entries", f"{median(history) * 1000:.1f} ms", "", "", ""),
            ("element show on the same database", f"{median(show) * 1000:.1f} ms", "", "", ""),
            ("history ratio", f"{history_ratio:.2f}", "", "<= 1.2", history_ratio <= 1.2),
            ("tick, nothing due (100,000 elements)", f"{median(tick_idle) * 1000:.1f} ms", "", "", ""),
            ("element show on the same database", f"{median(tick_show) * 1000:.1f} ms", "", "", ""),
            ("tick ratio", f"{tick_ratio:.2f}", "", "<= 2.0", tick_ratio <= 2.0),
            ("tick, 10,000 due note jobs", f"{median(tick_due):.2f} s", f"{jobs_per_second:,.0f} jobs/s", ">= 5000",
             jobs_per_second >= 5000),
        ] + delivery_case(path) + list_stream_case(path) + report_page_case(path) + growth_case(path, base) \
            + postgres_case(path)
        return print_rows(rows)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
