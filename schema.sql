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
    updated_at   INTEGER NOT NULL,
    FOREIGN KEY (pipeline, stage) REFERENCES stages (pipeline, code)
);
CREATE INDEX elements_by_pipeline_stage ON elements (pipeline, stage);
CREATE INDEX elements_by_email ON elements (email_key) WHERE email_key IS NOT NULL;
CREATE INDEX elements_by_phone ON elements (phone_key) WHERE phone_key IS NOT NULL;

CREATE TABLE triggers (
    id               INTEGER PRIMARY KEY,
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
    -- the event as given in the input, canonical: a reused key is compared against it
    fingerprint  TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('moved', 'recorded')),
    -- the stored outcome: moves, notes and the verdict of every considered trigger
    outcome      TEXT NOT NULL,
    recorded_at  INTEGER NOT NULL
);
CREATE INDEX events_by_element ON events (element);

CREATE TABLE timeline (
    id       INTEGER PRIMARY KEY,
    element  INTEGER NOT NULL REFERENCES elements (id),
    at       INTEGER NOT NULL,
    kind     TEXT NOT NULL,
    author   TEXT NOT NULL,
    event    INTEGER,
    -- the kind-specific keys, as a JSON object
    details  TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX timeline_by_element ON timeline (element, id);

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

CREATE TABLE emails (
    id          INTEGER PRIMARY KEY,
    element     INTEGER NOT NULL REFERENCES elements (id),
    message_id  TEXT,
    direction   TEXT NOT NULL CHECK (direction IN ('sent', 'received')),
    subject     TEXT,
    address     TEXT,
    at          INTEGER NOT NULL,
    opened_at   INTEGER,
    event       INTEGER NOT NULL
);
CREATE INDEX emails_by_message ON emails (element, message_id);

CREATE TABLE email_clicks (
    id       INTEGER PRIMARY KEY,
    element  INTEGER NOT NULL REFERENCES elements (id),
    email    TEXT,
    url      TEXT NOT NULL,
    at       INTEGER NOT NULL,
    event    INTEGER NOT NULL
);

CREATE TABLE calls (
    id         INTEGER PRIMARY KEY,
    element    INTEGER NOT NULL REFERENCES elements (id),
    direction  TEXT NOT NULL CHECK (direction IN ('incoming', 'outgoing', 'missed')),
    line       TEXT,
    call       TEXT,
    duration   TEXT,
    at         INTEGER NOT NULL,
    event      INTEGER NOT NULL
);

CREATE TABLE chats (
    element           INTEGER NOT NULL REFERENCES elements (id),
    chat              TEXT NOT NULL,
    channel           TEXT,
    first_message_at  INTEGER,
    answered_at       INTEGER,
    PRIMARY KEY (element, chat)
) WITHOUT ROWID;

CREATE TABLE chat_messages (
    id       INTEGER PRIMARY KEY,
    element  INTEGER NOT NULL REFERENCES elements (id),
    chat     TEXT NOT NULL,
    text     TEXT NOT NULL,
    at       INTEGER NOT NULL,
    event    INTEGER NOT NULL
);

CREATE TABLE form_submissions (
    id       INTEGER PRIMARY KEY,
    element  INTEGER NOT NULL REFERENCES elements (id),
    form     TEXT NOT NULL,
    kind     TEXT NOT NULL CHECK (kind IN ('callback', 'webform')),
    fields   TEXT NOT NULL DEFAULT '{}',
    at       INTEGER NOT NULL,
    event    INTEGER NOT NULL
);

CREATE TABLE payments (
    id        INTEGER PRIMARY KEY,
    element   INTEGER NOT NULL REFERENCES elements (id),
    amount    TEXT,
    currency  TEXT,
    invoice   TEXT,
    at        INTEGER NOT NULL,
    event     INTEGER NOT NULL
);

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

PRAGMA user_version = 1;
