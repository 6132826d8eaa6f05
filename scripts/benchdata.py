"""Realistic input for the benchmark: leads, triggers and a keyed mix of SPEC §6 events."""
import json
import random

EVENT_MIX = [
    ("call.missed", 14), ("call.incoming", 10), ("call.outgoing", 8), ("email.sent", 12),
    ("email.opened", 10), ("email.link_clicked", 8), ("email.received", 6), ("chat.message", 14),
    ("chat.answered", 6), ("form.submitted", 6), ("payment.received", 3), ("custom", 3),
]

TRIGGERS = [
    # (code, stage, extra options): 24 triggers on the lead pipeline
    ("call.missed", "IN_PROCESS", []), ("call.missed", "PROCESSED", ["--line", "sales"]),
    ("call.incoming", "IN_PROCESS", ["--line", "hotline"]), ("call.outgoing", "IN_PROCESS", []),
    ("email.sent", "IN_PROCESS", []), ("email.opened", "PROCESSED", []),
    ("email.link_clicked", "PROCESSED", ["--url", "https://shop.example/pricing"]),
    ("email.link_clicked", "CONVERTED", ["--url", "https://shop.example/checkout"]),
    ("email.received", "IN_PROCESS", []), ("chat.first_message", "IN_PROCESS", []),
    ("chat.text", "PROCESSED", ["--text", "Bestellung morgen liefern"]),
    ("chat.text", "JUNK", ["--text", "abmelden", "--ignore-case"]),
    ("chat.answered", "IN_PROCESS", []), ("chat.answer_late", "JUNK", ["--seconds", "600", "--allow-backwards"]),
    ("form.submitted", "IN_PROCESS", []), ("form.callback", "PROCESSED", ["--form", "callback"]),
    ("payment.received", "CONVERTED", []), ("custom", "PROCESSED", ["--code", "webinar"]),
    ("custom", "JUNK", ["--code", "unsubscribe", "--allow-backwards"]),
    ("call.missed", "JUNK", ["--line", "spam", "--allow-backwards"]),
    ("email.opened", "IN_PROCESS", ["--if", "budget > 5000"]),
    ("field.changed", "PROCESSED", ["--field", "budget"]), ("responsible.changed", "IN_PROCESS", []),
    ("call.incoming", "PROCESSED", ["--if", "city = Berlin"]),
]

# Five rules due at once on the lead pipeline's stages, for the ingest case with rules: a note, a set
# and an sms among them (the sms needs the lead's phone, which every bench lead has).
RULES = [
    ("IN_PROCESS", ["--do", "note", "--text", "in progress: {title}"]),
    ("IN_PROCESS", ["--do", "set", "--field", "contacted=yes"]),
    ("PROCESSED", ["--do", "sms", "--text", "Hallo {title}, wir melden uns morgen."]),
    ("PROCESSED", ["--do", "note", "--text", "processed by {responsible}"]),
    ("CONVERTED", ["--do", "set", "--field", "won=yes"]),
]

CITIES = ["Berlin", "Hamburg", "München", "Köln"]


def leads(count):
    rng = random.Random(7)
    for i in range(1, count + 1):
        yield {
            "type": "lead", "title": f"Lead {i}", "email": f"client{i}@example.com",
            "phone": f"+49 30 {1000000 + i}", "responsible": rng.choice(["anna", "ben", "carla"]),
            "fields": {"budget": str(rng.randrange(100, 20000)), "city": rng.choice(CITIES)},
        }


def events(count, leads_count, seed=11):
    rng = random.Random(seed)
    types = [t for t, w in EVENT_MIX for _ in range(w)]
    sent = {}
    base = 1_795_000_000  # seconds; times only move forward
    for n in range(count):
        element = rng.randrange(1, leads_count + 1)
        kind = rng.choice(types)
        at = base + n * 3
        data = {}
        if kind.startswith("call."):
            data = {"line": rng.choice(["hotline", "sales", "spam"]), "call": f"c{n}", "duration": rng.randrange(0, 600)}
        elif kind == "email.sent":
            data = {"email": f"m{n}", "subject": "Angebot", "to": f"client{element}@example.com"}
            sent[element] = f"m{n}"
        elif kind == "email.opened":
            data = {"email": sent.get(element, f"unknown{n}")}
        elif kind == "email.link_clicked":
            data = {"url": rng.choice(["https://shop.example/pricing?m=1", "https://shop.example/blog", "https://shop.example/checkout"])}
        elif kind == "email.received":
            data = {"email": f"r{n}", "subject": "Frage", "from": f"client{element}@example.com"}
        elif kind == "chat.message":
            data = {"chat": f"chat{element}", "text": rng.choice(["Hallo", "Bitte Bestellung morgen liefern", "Preis?", "Bitte ABMELDEN"])}
        elif kind == "chat.answered":
            data = {"chat": f"chat{element}"}
        elif kind == "form.submitted":
            data = {"form": rng.choice(["callback", "contact"]), "kind": rng.choice(["callback", "webform"])}
        elif kind == "payment.received":
            data = {"amount": "1200.00", "currency": "EUR", "invoice": f"inv{n}"}
        elif kind == "custom":
            data = {"code": rng.choice(["webinar", "unsubscribe", "other"])}
        ts = f"{iso(at)}"
        yield {"key": f"ev-{n}", "type": kind, "element": element, "at": ts, "data": data}


def iso(seconds):
    import datetime
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_ndjson(path, rows):
    with open(path, "w") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")
