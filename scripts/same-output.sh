#!/bin/sh
# Proves that a change to storage changes no output: the same workload (the bench's mix of events over 300
# leads and its 24 triggers, plus a disabled trigger, a removed one, field and responsible changes, a
# closed element reopened) runs on the binaries OLD and NEW, and `event list --json`, `event explain
# --json` and in text of a sample, `history --json` and in text, and `report --json` must be byte for byte
# the same. Then NEW opens a copy of OLD's file (migrating it when OLD wrote an older schema) and must
# print the same again.
#   scripts/same-output.sh OLD_CRMCTL NEW_CRMCTL [WORKDIR]
set -eu
old=$1 new=$2
work=${3:-$(mktemp -d)}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"
export CRMCTL_NOW=2026-11-24T09:00:00Z

python3 - "$work" "$here" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[2])
import benchdata
work = sys.argv[1]
benchdata.write_ndjson(f"{work}/leads.ndjson", benchdata.leads(300))
events = list(benchdata.events(3000, 300, seed=5))
extra = [
    {"key": "f-1", "type": "field.changed", "element": 7, "data": {"fields": {"budget": "9000"}}},
    {"key": "f-2", "type": "field.changed", "element": 7, "data": {"fields": {"budget": "9000"}}},
    {"key": "f-3", "type": "field.changed", "element": 8, "data": {"fields": {"city": "Köln"}}},
    {"key": "r-1", "type": "responsible.changed", "element": 9, "by": "anna", "data": {"responsible": "ben"}},
    {"key": "u-1", "type": "custom", "element": 10, "data": {"code": "unsubscribe"}},
    {"key": "u-2", "type": "custom", "element": 10, "data": {"code": "webinar"}},
    {"type": "chat.message", "contact": {"email": "client11@example.com"}, "at": "2026-11-20T10:00:00Z", "data": {"chat": "late", "text": "Hallo \"du\""}},
    {"type": "chat.answered", "element": 11, "at": "2026-11-20T10:20:00Z", "by": "ben", "data": {"chat": "late"}},
    {"type": "chat.answered", "element": 12, "data": {"chat": "never"}},
]
benchdata.write_ndjson(f"{work}/events.ndjson", events[:1500] + extra + events[1500:])
PY

run() {  # run BINARY DB: the workload, into DB
    bin=$1 db=$2
    "$bin" --db "$db" element import "$work/leads.ndjson" >/dev/null 2>&1
    python3 -c "
import subprocess, sys; sys.path.insert(0, '$here'); import benchdata
for code, stage, extra in benchdata.TRIGGERS:
    subprocess.run(['$bin', '--db', '$db', 'trigger', 'add', '--on', code, '--pipeline', 'lead', '--stage', stage, *extra],
                   check=True, stdout=subprocess.DEVNULL)"
    "$bin" --db "$db" trigger add --on call.missed --pipeline lead --stage CONVERTED --name "gone soon" >/dev/null
    "$bin" --db "$db" trigger add --on call.incoming --pipeline lead --stage IN_PROCESS --name off >/dev/null
    "$bin" --db "$db" trigger disable 26 >/dev/null
    head -2000 "$work/events.ndjson" | "$bin" --db "$db" event ingest >/dev/null 2>&1 || true
    "$bin" --db "$db" trigger remove 25 >/dev/null
    tail -n +2001 "$work/events.ndjson" | "$bin" --db "$db" event ingest >/dev/null 2>&1 || true
}

outputs() {  # outputs BINARY DB OUT: what must not change
    bin=$1 db=$2 out=$3
    mkdir -p "$out"
    "$bin" --db "$db" event list --json > "$out/event-list.json"
    "$bin" --db "$db" report --json > "$out/report.json"
    "$bin" --db "$db" report > "$out/report.txt"
    for id in 1 2 3 5 8 13 21 34 55 89 144 233 377 610 987 1501 1502 1503 1504 1505 1506 1507 1508 1509 1597 2584; do
        "$bin" --db "$db" event explain "$id" --json >> "$out/explain.json"
        "$bin" --db "$db" event explain "$id" >> "$out/explain.txt"
    done
    for element in 1 7 8 9 10 11 12 50 150 299; do
        "$bin" --db "$db" history "$element" --json >> "$out/history.json"
        "$bin" --db "$db" history "$element" >> "$out/history.txt"
    done
}

rm -f "$work"/old.db* "$work"/new.db* "$work"/migrated.db*
run "$old" "$work/old.db"
run "$new" "$work/new.db"
outputs "$old" "$work/old.db" "$work/old"
outputs "$new" "$work/new.db" "$work/new"
cp "$work/old.db" "$work/migrated.db"
outputs "$new" "$work/migrated.db" "$work/migrated"
diff -r "$work/old" "$work/new"
diff -r "$work/old" "$work/migrated"
echo "same output: $(cat "$work"/old/* | wc -c) bytes from old, new and migrated ($work)"
