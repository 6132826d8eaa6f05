-- A file of schema version 5 as crmctl 196dfba wrote it: six rules, four leads moved through IN_PROCESS and
-- PROCESSED, a tick, deliveries (delivered, dead, discarded, one leased), and leads 3 and 4 deleted: the
-- jobs' and the outbox's sequences stand above their largest ids.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE pipelines (
    id    INTEGER PRIMARY KEY,
    type  TEXT NOT NULL CHECK (type IN ('lead', 'deal')),
    name  TEXT NOT NULL
);
INSERT INTO pipelines VALUES(1,'lead','Leads');
INSERT INTO pipelines VALUES(2,'deal','General');
CREATE TABLE stages (
    pipeline  INTEGER NOT NULL REFERENCES pipelines (id),
    position  INTEGER NOT NULL,
    code      TEXT NOT NULL,
    name      TEXT NOT NULL,
    semantic  TEXT NOT NULL CHECK (semantic IN ('process', 'success', 'failure')),
    PRIMARY KEY (pipeline, code)
) WITHOUT ROWID;
INSERT INTO stages VALUES(1,4,'CONVERTED','Good lead','success');
INSERT INTO stages VALUES(1,2,'IN_PROCESS','In progress','process');
INSERT INTO stages VALUES(1,5,'JUNK','Junk lead','failure');
INSERT INTO stages VALUES(1,1,'NEW','Unprocessed','process');
INSERT INTO stages VALUES(1,3,'PROCESSED','Processed','process');
INSERT INTO stages VALUES(2,4,'EXECUTING','In progress','process');
INSERT INTO stages VALUES(2,5,'FINAL_INVOICE','Final invoice','process');
INSERT INTO stages VALUES(2,7,'LOSE','Lost','failure');
INSERT INTO stages VALUES(2,1,'NEW','New','process');
INSERT INTO stages VALUES(2,2,'PREPARATION','Preparing documents','process');
INSERT INTO stages VALUES(2,3,'PREPAYMENT_INVOICE','Prepayment invoice','process');
INSERT INTO stages VALUES(2,6,'WON','Won','success');
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
INSERT INTO elements VALUES(1,'lead',1,'PROCESSED','Clara Weiss','anna','clara@example.com','+4930111','clara@example.com','+4930111','{"contacted":"yes"}',1795168800000,1795172400000,NULL);
INSERT INTO elements VALUES(2,'lead',1,'IN_PROCESS','Tom Berger',NULL,'tom@example.com','+4930222','tom@example.com','+4930222','{}',1795168800000,1795168800000,NULL);
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
INSERT INTO events VALUES(1,NULL,'email.sent',1,1795168800000,'anna','{"email":"outbox-2","job":3,"subject":"Hi","to":"clara@example.com"}',X'e56541ec65ffe2ba48d16e62808c531d','recorded','[[["email.sent"]]]',1795168800000);
INSERT INTO events VALUES(2,NULL,'email.sent',2,1795168800000,'system','{"email":"outbox-4","job":7,"subject":"Hi","to":"tom@example.com"}',X'62991dbe06a870671cba6a6c3fa40bde','recorded','[[["email.sent"]]]',1795168800000);
INSERT INTO events VALUES(4,NULL,'field.changed',1,1795172400000,'anna','{"fields":{"contacted":"yes"},"job":14}',X'99f031f6c13d5ddab2fb25fbe678a442','recorded','[[["field.changed"]]]',1795172400000);
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
INSERT INTO timeline VALUES(1,1,1795168800000,'created','anna',NULL,'{"pipeline":1,"stage":"NEW","title":"Clara Weiss"}',NULL);
INSERT INTO timeline VALUES(2,2,1795168800000,'created','system',NULL,'{"pipeline":1,"stage":"NEW","title":"Tom Berger"}',NULL);
INSERT INTO timeline VALUES(4,1,1795168800000,'stage_changed','anna',NULL,'{"from":"NEW","to":"IN_PROCESS","trigger":null,"event":null}',1);
INSERT INTO timeline VALUES(5,1,1795168800000,'note','anna',NULL,'{"text":"in progress: Clara Weiss","rule":1,"job":1}',4);
INSERT INTO timeline VALUES(6,1,1795168800000,'rule','anna',NULL,'{"rule":1,"job":1,"action":"note","status":"done","detail":"in progress: Clara Weiss"}',5);
INSERT INTO timeline VALUES(7,1,1795168800000,'rule','anna',NULL,'{"rule":2,"job":2,"action":"sms","status":"done","detail":"sms message 1 to +4930111"}',6);
INSERT INTO timeline VALUES(8,1,1795168800000,'email.sent','anna',1,NULL,7);
INSERT INTO timeline VALUES(9,1,1795168800000,'rule','anna',NULL,'{"rule":3,"job":3,"action":"email","status":"done","detail":"email message 2 to clara@example.com (event 1)"}',8);
INSERT INTO timeline VALUES(10,2,1795168800000,'stage_changed','system',NULL,'{"from":"NEW","to":"IN_PROCESS","trigger":null,"event":null}',2);
INSERT INTO timeline VALUES(11,2,1795168800000,'note','system',NULL,'{"text":"in progress: Tom Berger","rule":1,"job":5}',10);
INSERT INTO timeline VALUES(12,2,1795168800000,'rule','system',NULL,'{"rule":1,"job":5,"action":"note","status":"done","detail":"in progress: Tom Berger"}',11);
INSERT INTO timeline VALUES(13,2,1795168800000,'rule','system',NULL,'{"rule":2,"job":6,"action":"sms","status":"done","detail":"sms message 3 to +4930222"}',12);
INSERT INTO timeline VALUES(14,2,1795168800000,'email.sent','system',2,NULL,13);
INSERT INTO timeline VALUES(15,2,1795168800000,'rule','system',NULL,'{"rule":3,"job":7,"action":"email","status":"done","detail":"email message 4 to tom@example.com (event 2)"}',14);
INSERT INTO timeline VALUES(22,1,1795172400000,'stage_changed','anna',NULL,'{"from":"IN_PROCESS","to":"PROCESSED","trigger":null,"event":null}',9);
INSERT INTO timeline VALUES(23,1,1795172400000,'rule','anna',NULL,'{"rule":4,"job":4,"action":"webhook","status":"cancelled","detail":"left IN_PROCESS for PROCESSED"}',22);
INSERT INTO timeline VALUES(24,1,1795172400000,'rule','anna',NULL,'{"rule":5,"job":13,"action":"notify","status":"done","detail":"notify message 6 to anna"}',23);
INSERT INTO timeline VALUES(25,1,1795172400000,'field.changed','anna',4,NULL,24);
INSERT INTO timeline VALUES(26,1,1795172400000,'rule','anna',NULL,'{"rule":6,"job":14,"action":"set","status":"done","detail":"set contacted=yes (event 4)"}',25);
INSERT INTO timeline VALUES(31,2,1795176000000,'rule','system',NULL,'{"rule":4,"job":8,"action":"webhook","status":"done","detail":"webhook message 8 to https://example.com/hook"}',15);
CREATE TABLE timeline_next (
    id    INTEGER PRIMARY KEY,
    next  INTEGER NOT NULL
);
INSERT INTO timeline_next VALUES(1,4);
INSERT INTO timeline_next VALUES(2,10);
INSERT INTO timeline_next VALUES(4,5);
INSERT INTO timeline_next VALUES(5,6);
INSERT INTO timeline_next VALUES(6,7);
INSERT INTO timeline_next VALUES(7,8);
INSERT INTO timeline_next VALUES(8,9);
INSERT INTO timeline_next VALUES(9,22);
INSERT INTO timeline_next VALUES(10,11);
INSERT INTO timeline_next VALUES(11,12);
INSERT INTO timeline_next VALUES(12,13);
INSERT INTO timeline_next VALUES(13,14);
INSERT INTO timeline_next VALUES(14,15);
INSERT INTO timeline_next VALUES(15,31);
INSERT INTO timeline_next VALUES(22,23);
INSERT INTO timeline_next VALUES(23,24);
INSERT INTO timeline_next VALUES(24,25);
INSERT INTO timeline_next VALUES(25,26);
CREATE TABLE timeline_heads (
    element  INTEGER PRIMARY KEY REFERENCES elements (id),
    first    INTEGER NOT NULL,
    last     INTEGER NOT NULL
);
INSERT INTO timeline_heads VALUES(1,1,26);
INSERT INTO timeline_heads VALUES(2,2,31);
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
CREATE TABLE sent_emails (
    id          INTEGER PRIMARY KEY,
    element     INTEGER NOT NULL REFERENCES elements (id),
    message_id  TEXT NOT NULL,
    at          INTEGER NOT NULL,
    opened_at   INTEGER,
    event       INTEGER NOT NULL
);
INSERT INTO sent_emails VALUES(1,1,'outbox-2',1795168800000,NULL,1);
INSERT INTO sent_emails VALUES(2,2,'outbox-4',1795168800000,NULL,2);
CREATE TABLE chats (
    element           INTEGER NOT NULL REFERENCES elements (id),
    chat              TEXT NOT NULL,
    channel           TEXT,
    first_message_at  INTEGER,
    answered_at       INTEGER,
    PRIMARY KEY (element, chat)
) WITHOUT ROWID;
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
INSERT INTO rules VALUES(1,'IN_PROCESS: note',1,'IN_PROCESS','note','{"text":"in progress: {title}"}','{}','[]',NULL,1,0);
INSERT INTO rules VALUES(2,'IN_PROCESS: sms',1,'IN_PROCESS','sms','{"text":"Hallo {title}"}','{}','[]',NULL,1,0);
INSERT INTO rules VALUES(3,'IN_PROCESS: email',1,'IN_PROCESS','email','{"text":"Mail to {title}","subject":"Hi"}','{}','[]',NULL,1,0);
INSERT INTO rules VALUES(4,'IN_PROCESS: webhook',1,'IN_PROCESS','webhook','{"url":"https://example.com/hook"}','{"after":"2h"}','[]',NULL,1,0);
INSERT INTO rules VALUES(5,'PROCESSED: notify',1,'PROCESSED','notify','{"to":"anna","text":"look at {title}"}','{}','[]',NULL,1,0);
INSERT INTO rules VALUES(6,'PROCESSED: set',1,'PROCESSED','set','{"fields":{"contacted":"yes"}}','{}','[{"field":"phone","op":"~","value":"+49"}]',NULL,1,0);
CREATE TABLE jobs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    rule        INTEGER NOT NULL,
    element     INTEGER NOT NULL REFERENCES elements (id),
    pipeline    INTEGER NOT NULL,
    stage       TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('pending', 'done', 'skipped', 'cancelled', 'failed')),
    entered_at  INTEGER NOT NULL,
    due_at      INTEGER NOT NULL,
    ran_at      INTEGER,
    -- the event at the top of the cascade that made the job; NULL for a command or a tick's due job
    origin      INTEGER,
    detail      TEXT,
    -- {code, message} when failed
    error       TEXT
);
INSERT INTO jobs VALUES(1,1,1,1,'IN_PROCESS','done',1795168800000,1795168800000,1795168800000,NULL,'in progress: Clara Weiss',NULL);
INSERT INTO jobs VALUES(2,2,1,1,'IN_PROCESS','done',1795168800000,1795168800000,1795168800000,NULL,'sms message 1 to +4930111',NULL);
INSERT INTO jobs VALUES(3,3,1,1,'IN_PROCESS','done',1795168800000,1795168800000,1795168800000,NULL,'email message 2 to clara@example.com (event 1)',NULL);
INSERT INTO jobs VALUES(4,4,1,1,'IN_PROCESS','cancelled',1795168800000,1795176000000,1795172400000,NULL,'left IN_PROCESS for PROCESSED',NULL);
INSERT INTO jobs VALUES(5,1,2,1,'IN_PROCESS','done',1795168800000,1795168800000,1795168800000,NULL,'in progress: Tom Berger',NULL);
INSERT INTO jobs VALUES(6,2,2,1,'IN_PROCESS','done',1795168800000,1795168800000,1795168800000,NULL,'sms message 3 to +4930222',NULL);
INSERT INTO jobs VALUES(7,3,2,1,'IN_PROCESS','done',1795168800000,1795168800000,1795168800000,NULL,'email message 4 to tom@example.com (event 2)',NULL);
INSERT INTO jobs VALUES(8,4,2,1,'IN_PROCESS','done',1795168800000,1795176000000,1795181400000,NULL,'webhook message 8 to https://example.com/hook',NULL);
INSERT INTO jobs VALUES(13,5,1,1,'PROCESSED','done',1795172400000,1795172400000,1795172400000,NULL,'notify message 6 to anna',NULL);
INSERT INTO jobs VALUES(14,6,1,1,'PROCESSED','done',1795172400000,1795172400000,1795172400000,NULL,'set contacted=yes (event 4)',NULL);
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    kind             TEXT NOT NULL CHECK (kind IN ('sms', 'email', 'notify', 'webhook')),
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
                     CHECK (status IN ('pending', 'delivering', 'delivered', 'dead', 'discarded')),
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
INSERT INTO outbox VALUES(1,'sms',1,2,2,'+4930111',NULL,'Hallo Clara Weiss',NULL,'{"message":1,"kind":"sms","to":"+4930111","subject":null,"text":"Hallo Clara Weiss","element":{"id":1,"key":null,"type":"lead","pipeline":1,"stage":"IN_PROCESS","title":"Clara Weiss","responsible":"anna","email":"clara@example.com","phone":"+4930111","fields":{},"created_at":"2026-11-20T10:00:00Z","updated_at":"2026-11-20T10:00:00Z"}}','delivered',1,1,NULL,0,1795168800000,NULL,1795168800000,1795183200000);
INSERT INTO outbox VALUES(2,'email',1,3,3,'clara@example.com','Hi','Mail to Clara Weiss',NULL,'{"message":2,"kind":"email","to":"clara@example.com","subject":"Hi","text":"Mail to Clara Weiss","element":{"id":1,"key":null,"type":"lead","pipeline":1,"stage":"IN_PROCESS","title":"Clara Weiss","responsible":"anna","email":"clara@example.com","phone":"+4930111","fields":{},"created_at":"2026-11-20T10:00:00Z","updated_at":"2026-11-20T10:00:00Z"}}','dead',1,1,NULL,0,1795168800000,'exit 1',1795168800000,NULL);
INSERT INTO outbox VALUES(3,'sms',2,2,6,'+4930222',NULL,'Hallo Tom Berger',NULL,'{"message":3,"kind":"sms","to":"+4930222","subject":null,"text":"Hallo Tom Berger","element":{"id":2,"key":null,"type":"lead","pipeline":1,"stage":"IN_PROCESS","title":"Tom Berger","responsible":null,"email":"tom@example.com","phone":"+4930222","fields":{},"created_at":"2026-11-20T10:00:00Z","updated_at":"2026-11-20T10:00:00Z"}}','delivered',1,1,NULL,0,1795168800000,NULL,1795168800000,1795183200000);
INSERT INTO outbox VALUES(4,'email',2,3,7,'tom@example.com','Hi','Mail to Tom Berger',NULL,'{"message":4,"kind":"email","to":"tom@example.com","subject":"Hi","text":"Mail to Tom Berger","element":{"id":2,"key":null,"type":"lead","pipeline":1,"stage":"IN_PROCESS","title":"Tom Berger","responsible":null,"email":"tom@example.com","phone":"+4930222","fields":{},"created_at":"2026-11-20T10:00:00Z","updated_at":"2026-11-20T10:00:00Z"}}','dead',1,1,NULL,0,1795168800000,'exit 1',1795168800000,NULL);
INSERT INTO outbox VALUES(6,'notify',1,5,13,'anna',NULL,'look at Clara Weiss',NULL,'{"message":6,"kind":"notify","to":"anna","subject":null,"text":"look at Clara Weiss","element":{"id":1,"key":null,"type":"lead","pipeline":1,"stage":"PROCESSED","title":"Clara Weiss","responsible":"anna","email":"clara@example.com","phone":"+4930111","fields":{},"created_at":"2026-11-20T10:00:00Z","updated_at":"2026-11-20T11:00:00Z"}}','discarded',0,0,NULL,0,1795172400000,NULL,1795172400000,NULL);
INSERT INTO outbox VALUES(8,'webhook',2,4,8,NULL,NULL,NULL,'https://example.com/hook','{"message":8,"rule":4,"job":8,"element":{"id":2,"key":null,"type":"lead","pipeline":1,"stage":"IN_PROCESS","title":"Tom Berger","responsible":null,"email":"tom@example.com","phone":"+4930222","fields":{},"created_at":"2026-11-20T10:00:00Z","updated_at":"2026-11-20T10:00:00Z"}}','delivering',1,1,1795183500000,0,1795181400000,NULL,1795181400000,NULL);
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
CREATE TABLE automation_state (
    name   TEXT PRIMARY KEY,
    value  INTEGER
) WITHOUT ROWID;
INSERT INTO automation_state VALUES('elements_erased_up_to',4);
INSERT INTO automation_state VALUES('events_erased_up_to',3);
INSERT INTO automation_state VALUES('last_tick_at',1795181400000);
DELETE FROM sqlite_sequence;
INSERT INTO sqlite_sequence VALUES('rules',6);
INSERT INTO sqlite_sequence VALUES('jobs',20);
INSERT INTO sqlite_sequence VALUES('outbox',9);
CREATE INDEX elements_by_pipeline_stage ON elements (pipeline, stage);
CREATE INDEX elements_by_email ON elements (email_key) WHERE email_key IS NOT NULL;
CREATE INDEX elements_by_phone ON elements (phone_key) WHERE phone_key IS NOT NULL;
CREATE UNIQUE INDEX elements_by_key ON elements (key) WHERE key IS NOT NULL;
CREATE INDEX documents_by_element ON documents (element);
CREATE INDEX sent_emails_by_message ON sent_emails (element, message_id);
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
CREATE INDEX rules_by_stage ON rules (pipeline, stage);
CREATE INDEX jobs_pending_by_due ON jobs (due_at, id) WHERE status = 'pending';
CREATE INDEX jobs_pending_by_element ON jobs (element, stage) WHERE status = 'pending';
CREATE INDEX jobs_by_element ON jobs (element);
CREATE INDEX outbox_by_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_by_element ON outbox (element);
CREATE INDEX time_watches_by_due ON time_watches (due_at) WHERE fired = 0;
COMMIT;
PRAGMA user_version = 5;
