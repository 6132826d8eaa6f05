-- crmctl's database: the one schema. A new database is exactly this file;
-- times are INTEGER milliseconds since 1970-01-01T00:00:00Z (UTC).

CREATE TABLE pipelines (
    id    INTEGER PRIMARY KEY,
    type  TEXT NOT NULL CHECK (type IN ('lead', 'deal')),
    name  TEXT NOT NULL
);

CREATE TABLE stages (
    pipeline  INTEGER NOT NULL REFERENCES pipelines (id),
    position  INTEGER NOT NULL,
    code      TEXT NOT NULL,
    name      TEXT NOT NULL,
    semantic  TEXT NOT NULL CHECK (semantic IN ('process', 'success', 'failure')),
    PRIMARY KEY (pipeline, code)
) WITHOUT ROWID;

CREATE TABLE elements (
    id           INTEGER PRIMARY KEY,
    type         TEXT NOT NULL CHECK (type IN ('lead', 'deal')),
    pipeline     INTEGER NOT NULL,
    stage        TEXT NOT NULL,
    title        TEXT NOT NULL,
    responsible  TEXT,
    email        TEXT,
    phone        TEXT,
    -- email lower-cased and phone reduced to digits and a leading '+': how contacts are looked up
    email_key    TEXT,
    phone_key    TEXT,
    fields       TEXT NOT NULL DEFAULT '{}',
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL, key TEXT,
    -- No foreign key to stages: every stage change checks the code against the pipeline first, stages
    -- are never removed, and SQLite's check of that composite key would cost more than the rest of a move.
    FOREIGN KEY (pipeline) REFERENCES pipelines (id)
);
CREATE INDEX elements_by_pipeline_stage ON elements (pipeline, stage);
CREATE INDEX elements_by_email ON elements (email_key) WHERE email_key IS NOT NULL;
CREATE INDEX elements_by_phone ON elements (phone_key) WHERE phone_key IS NOT NULL;
-- key: the caller's id for the element, unique when given (SPEC §3 "Element keys"). Version 4 added the
-- column with ALTER TABLE, which writes it after updated_at, so a new file has it there too.
CREATE UNIQUE INDEX elements_by_key ON elements (key) WHERE key IS NOT NULL;

CREATE TABLE triggers (
    -- never reused: stage changes in the timeline and stored verdicts name triggers by id, and a removed
    -- trigger's id must not come to mean another trigger
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    name             TEXT NOT NULL,
    code             TEXT NOT NULL,
    pipeline         INTEGER NOT NULL,
    stage            TEXT NOT NULL,
    as_user          TEXT,
    allow_backwards  INTEGER NOT NULL DEFAULT 0,
    settings         TEXT NOT NULL DEFAULT '{}',
    conditions       TEXT NOT NULL DEFAULT '[]',
    enabled          INTEGER NOT NULL DEFAULT 1,
    FOREIGN KEY (pipeline, stage) REFERENCES stages (pipeline, code)
);

CREATE TABLE events (
    id           INTEGER PRIMARY KEY,
    key          TEXT UNIQUE,
    type         TEXT NOT NULL,
    element      INTEGER NOT NULL REFERENCES elements (id),
    at           INTEGER NOT NULL,
    by           TEXT,
    data         TEXT NOT NULL,
    -- the first 16 bytes of the SHA-256 of the event as given in the input, canonical: a reused key is
    -- compared against it
    fingerprint  BLOB NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('moved', 'recorded')),
    -- the stored outcome: moves, notes and the verdict of every considered trigger as the facts its
    -- sentence is made from (a compact JSON array, see SQLiteStore+Outcomes.swift)
    outcome      TEXT NOT NULL,
    recorded_at  INTEGER NOT NULL
);
-- No index on element, for the reason the timeline has none: an index at a random place per event costs a
-- page written per event once the file outgrows the cache. Lists by element read the events in id order.

-- An element's entries are chained (`previous`; its first and newest in timeline_heads) instead of an
-- index on (element, id): such an index takes each new entry at a random place, and once it outgrows the
-- page cache every event rewrote one of its pages (a commit writes each page it changed; at 2,000,000
-- events that was most of the 6 KB written per event). The chain is only appended to, and read backwards
-- from the newest entry.
CREATE TABLE timeline (
    id        INTEGER PRIMARY KEY,
    element   INTEGER NOT NULL REFERENCES elements (id),
    at        INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    author    TEXT NOT NULL,
    event     INTEGER,
    -- the kind-specific keys, as a JSON object; NULL for an event's own entry, whose details are the
    -- event's id and data, read from the event rather than copied
    details   TEXT,
    -- the element's entry before this one, NULL for its first
    previous  INTEGER
);

-- Each element's first and newest timeline entries.
CREATE TABLE timeline_heads (
    element  INTEGER PRIMARY KEY REFERENCES elements (id),
    first    INTEGER NOT NULL,
    last     INTEGER NOT NULL
);

-- The name and stage of each removed trigger: stored verdicts name triggers by id, and `event explain`
-- names them as they were.
CREATE TABLE removed_triggers (
    id     INTEGER PRIMARY KEY,
    name   TEXT NOT NULL,
    stage  TEXT NOT NULL
);

CREATE TABLE documents (
    id                   INTEGER PRIMARY KEY,
    ref                  TEXT UNIQUE,
    element              INTEGER NOT NULL REFERENCES elements (id),
    template             TEXT NOT NULL,
    title                TEXT,
    created_by           TEXT,
    created_at           INTEGER NOT NULL,
    sent_via             TEXT CHECK (sent_via IN ('email', 'sms')),
    sent_at              INTEGER,
    viewed_at            INTEGER,
    sender_signed_at     INTEGER,
    recipient_signed_at  INTEGER
);
CREATE INDEX documents_by_element ON documents (element);

-- Communications (SPEC §2). What needs state of its own has a table: emails sent from an element (an
-- open fires only for those) and chats (first client message, answer). The rest is the event itself,
-- shown through views, so an event is written once.
CREATE TABLE sent_emails (
    id          INTEGER PRIMARY KEY,
    element     INTEGER NOT NULL REFERENCES elements (id),
    message_id  TEXT NOT NULL,
    at          INTEGER NOT NULL,
    opened_at   INTEGER,
    event       INTEGER NOT NULL
);
CREATE INDEX sent_emails_by_message ON sent_emails (element, message_id);

CREATE TABLE chats (
    element           INTEGER NOT NULL REFERENCES elements (id),
    chat              TEXT NOT NULL,
    channel           TEXT,
    first_message_at  INTEGER,
    answered_at       INTEGER,
    PRIMARY KEY (element, chat)
) WITHOUT ROWID;

CREATE VIEW emails AS
SELECT e.id AS event, e.element, json_extract(e.data, '$.email') AS message_id,
       CASE e.type WHEN 'email.sent' THEN 'sent' ELSE 'received' END AS direction,
       json_extract(e.data, '$.subject') AS subject,
       json_extract(e.data, CASE e.type WHEN 'email.sent' THEN '$.to' ELSE '$.from' END) AS address,
       e.at, s.opened_at
FROM events e LEFT JOIN sent_emails s ON s.event = e.id
WHERE e.type IN ('email.sent', 'email.received');

CREATE VIEW email_clicks AS
SELECT id AS event, element, json_extract(data, '$.email') AS email, json_extract(data, '$.url') AS url, at
FROM events WHERE type = 'email.link_clicked';

CREATE VIEW calls AS
SELECT id AS event, element, substr(type, 6) AS direction, json_extract(data, '$.line') AS line,
       json_extract(data, '$.call') AS call, json_extract(data, '$.duration') AS duration, at
FROM events WHERE type IN ('call.incoming', 'call.outgoing', 'call.missed');

CREATE VIEW chat_messages AS
SELECT id AS event, element,
       coalesce(json_extract(data, '$.chat'), json_extract(data, '$.channel'), '') AS chat,
       json_extract(data, '$.channel') AS channel, json_extract(data, '$.text') AS text, at
FROM events WHERE type = 'chat.message';

CREATE VIEW form_submissions AS
SELECT id AS event, element, json_extract(data, '$.form') AS form,
       coalesce(json_extract(data, '$.kind'), 'webform') AS kind, json_extract(data, '$.fields') AS fields, at
FROM events WHERE type = 'form.submitted';

CREATE VIEW payments AS
SELECT id AS event, element, json_extract(data, '$.amount') AS amount, json_extract(data, '$.currency') AS currency,
       json_extract(data, '$.invoice') AS invoice, at
FROM events WHERE type = 'payment.received';

-- Automation rules (SPEC §7): what runs when an element enters a stage. Ids are never reused: jobs,
-- messages and timeline entries name rules by id.
CREATE TABLE rules (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL,
    pipeline    INTEGER NOT NULL,
    stage       TEXT NOT NULL,
    action      TEXT NOT NULL,
    -- the action's options and the timing options (SPEC §8), as JSON objects
    options     TEXT NOT NULL DEFAULT '{}',
    timing      TEXT NOT NULL DEFAULT '{}',
    conditions  TEXT NOT NULL DEFAULT '[]',
    as_user     TEXT,
    enabled     INTEGER NOT NULL DEFAULT 1,
    -- assign --rotate: how many runs have taken a name so far
    rotation    INTEGER NOT NULL DEFAULT 0,
    FOREIGN KEY (pipeline, stage) REFERENCES stages (pipeline, code)
);
CREATE INDEX rules_by_stage ON rules (pipeline, stage);

-- One run of a rule for one element that entered its stage. No foreign key to rules: a removed rule's
-- jobs stay, and are cancelled when they come due. The checks of jobs and the outbox name their values one
-- by one: SQLite checks a list of more than two values in `IN (…)` through a temporary table it builds
-- for every row written, and these tables are written for every job a rule runs.
CREATE TABLE jobs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    rule        INTEGER NOT NULL,
    element     INTEGER NOT NULL REFERENCES elements (id),
    pipeline    INTEGER NOT NULL,
    stage       TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status = 'pending' OR status = 'done' OR status = 'skipped' OR status = 'cancelled'
                       OR status = 'failed'),
    entered_at  INTEGER NOT NULL,
    due_at      INTEGER NOT NULL,
    ran_at      INTEGER,
    -- the event at the top of the cascade that made the job; NULL for a command or a tick's due job
    origin      INTEGER,
    detail      TEXT,
    -- {code, message} when failed
    error       TEXT
);
CREATE INDEX jobs_pending_by_due ON jobs (due_at, id) WHERE status = 'pending';
CREATE INDEX jobs_pending_by_element ON jobs (element, stage) WHERE status = 'pending';
CREATE INDEX jobs_by_element ON jobs (element);

-- Messages for the outside world (SPEC §9), written in the transaction of the job that made them.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    kind             TEXT NOT NULL CHECK (kind = 'sms' OR kind = 'email' OR kind = 'notify' OR kind = 'webhook'),
    element          INTEGER NOT NULL REFERENCES elements (id),
    rule             INTEGER NOT NULL,
    job              INTEGER NOT NULL,
    recipient        TEXT,
    subject          TEXT,
    text             TEXT,
    url              TEXT,
    -- what a receiver gets, one JSON text
    payload          TEXT NOT NULL,
    status           TEXT NOT NULL
                     CHECK (status = 'pending' OR status = 'delivering' OR status = 'delivered' OR status = 'dead'
                            OR status = 'discarded'),
    attempts         INTEGER NOT NULL DEFAULT 0,
    -- how many leases the message has had: a lease's token is ID:leases
    leases           INTEGER NOT NULL DEFAULT 0,
    lease_until      INTEGER,
    -- whether the current lease took the message over after an earlier one ran out: then only its token
    -- acknowledges it, not a bare id
    taken_over       INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    last_error       TEXT,
    created_at       INTEGER NOT NULL,
    delivered_at     INTEGER
);
CREATE INDEX outbox_by_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_by_element ON outbox (element);

-- Time (SPEC §8): the moments a tick makes a time-trigger event, one per element (and chat), code and
-- threshold: `since` is the activity (or first client message) the quiet time counts from. A tick takes
-- the rows due by `due_at`, so it never scans every element; a fired row stays (fired = 1) so that the
-- same period never fires twice, and new activity moves it to its new period.
CREATE TABLE time_watches (
    element  INTEGER NOT NULL REFERENCES elements (id),
    code     TEXT NOT NULL CHECK (code IN ('stage.idle', 'chat.unanswered')),
    -- the chat for chat.unanswered, '' for stage.idle
    chat     TEXT NOT NULL DEFAULT '',
    seconds  INTEGER NOT NULL,
    since    INTEGER NOT NULL,
    due_at   INTEGER NOT NULL,
    fired    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (element, code, chat, seconds)
) WITHOUT ROWID;
CREATE INDEX time_watches_by_due ON time_watches (due_at) WHERE fired = 0;

-- What crmctl remembers between runs: 'last_tick_at' (the time of the last tick that ran) and
-- 'TABLE_erased_up_to' (the highest id erased from elements, documents or events: never given again).
CREATE TABLE automation_state (
    name   TEXT PRIMARY KEY,
    value  INTEGER
) WITHOUT ROWID;

-- The default pipelines of SPEC §2.
INSERT INTO pipelines (id, type, name) VALUES (1, 'lead', 'Leads'), (2, 'deal', 'General');
INSERT INTO stages (pipeline, position, code, name, semantic) VALUES
    (1, 1, 'NEW', 'Unprocessed', 'process'),
    (1, 2, 'IN_PROCESS', 'In progress', 'process'),
    (1, 3, 'PROCESSED', 'Processed', 'process'),
    (1, 4, 'CONVERTED', 'Good lead', 'success'),
    (1, 5, 'JUNK', 'Junk lead', 'failure'),
    (2, 1, 'NEW', 'New', 'process'),
    (2, 2, 'PREPARATION', 'Preparing documents', 'process'),
    (2, 3, 'PREPAYMENT_INVOICE', 'Prepayment invoice', 'process'),
    (2, 4, 'EXECUTING', 'In progress', 'process'),
    (2, 5, 'FINAL_INVOICE', 'Final invoice', 'process'),
    (2, 6, 'WON', 'Won', 'success'),
    (2, 7, 'LOSE', 'Lost', 'failure');

PRAGMA user_version = 6;
