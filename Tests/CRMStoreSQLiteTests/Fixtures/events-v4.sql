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
INSERT INTO elements VALUES(1,'lead',1,'PROCESSED','Lead 1','ben','client1@example.com','+49 30 1000001','client1@example.com','+49301000001','{"budget":"5043","city":"Köln"}',1795510800000,1795510800000,NULL);
INSERT INTO elements VALUES(2,'lead',1,'CONVERTED','Lead 2','carla','client2@example.com','+49 30 1000002','client2@example.com','+49301000002','{"budget":"1682","city":"Berlin"}',1795510800000,1795510800000,NULL);
INSERT INTO elements VALUES(3,'lead',1,'JUNK','Lead 3','carla','client3@example.com','+49 30 1000003','client3@example.com','+49301000003','{"budget":"3184","city":"München"}',1795510800000,1795510800000,NULL);
INSERT INTO elements VALUES(4,'lead',1,'PROCESSED','Lead 4','carla','client4@example.com','+49 30 1000004','client4@example.com','+49301000004','{"budget":"2000","city":"Hamburg"}',1795510800000,1795510800000,NULL);
INSERT INTO elements VALUES(5,'lead',1,'CONVERTED','Lead 5','anna','client5@example.com','+49 30 1000005','client5@example.com','+49301000005','{"budget":"2916","city":"Köln"}',1795510800000,1795510800000,NULL);
INSERT INTO elements VALUES(6,'lead',1,'PROCESSED','Lead 6','ben','client6@example.com','+49 30 1000006','client6@example.com','+49301000006','{"budget":"2389","city":"Hamburg"}',1795510800000,1795510800000,NULL);
INSERT INTO elements VALUES(7,'lead',1,'JUNK','Lead 7','anna','client7@example.com','+49 30 1000007','client7@example.com','+49301000007','{"budget":"9000","city":"Köln"}',1795510800000,1795510800000,NULL);
INSERT INTO elements VALUES(8,'lead',1,'JUNK','Lead 8','anna','client8@example.com','+49 30 1000008','client8@example.com','+49301000008','{"budget":"18628","city":"Berlin"}',1795510800000,1795510800000,NULL);
INSERT INTO elements VALUES(9,'lead',1,'IN_PROCESS','Lead 9','ben','client9@example.com','+49 30 1000009','client9@example.com','+49301000009','{"budget":"19203","city":"Berlin"}',1795510800000,1795510800000,NULL);
INSERT INTO elements VALUES(10,'lead',1,'JUNK','Lead 10','carla','client10@example.com','+49 30 1000010','client10@example.com','+49301000010','{"budget":"19287","city":"Köln"}',1795510800000,1795510800000,NULL);
INSERT INTO elements VALUES(11,'lead',1,'CONVERTED','Lead 11','anna','client11@example.com','+49 30 1000011','client11@example.com','+49301000011','{"budget":"7344","city":"Berlin"}',1795510800000,1795510800000,NULL);
INSERT INTO elements VALUES(12,'lead',1,'CONVERTED','Lead 12','carla','client12@example.com','+49 30 1000012','client12@example.com','+49301000012','{"budget":"4463","city":"München"}',1795510800000,1795510800000,NULL);
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
INSERT INTO triggers VALUES(1,'call.missed → IN_PROCESS','call.missed',1,'IN_PROCESS',NULL,0,'{}','[]',1);
INSERT INTO triggers VALUES(2,'call.missed → PROCESSED','call.missed',1,'PROCESSED',NULL,0,'{"line":"sales"}','[]',1);
INSERT INTO triggers VALUES(3,'call.incoming → IN_PROCESS','call.incoming',1,'IN_PROCESS',NULL,0,'{"line":"hotline"}','[]',1);
INSERT INTO triggers VALUES(4,'call.outgoing → IN_PROCESS','call.outgoing',1,'IN_PROCESS',NULL,0,'{}','[]',1);
INSERT INTO triggers VALUES(5,'email.sent → IN_PROCESS','email.sent',1,'IN_PROCESS',NULL,0,'{}','[]',1);
INSERT INTO triggers VALUES(6,'email.opened → PROCESSED','email.opened',1,'PROCESSED',NULL,0,'{}','[]',1);
INSERT INTO triggers VALUES(7,'email.link_clicked → PROCESSED','email.link_clicked',1,'PROCESSED',NULL,0,'{"url":"https://shop.example/pricing"}','[]',1);
INSERT INTO triggers VALUES(8,'email.link_clicked → CONVERTED','email.link_clicked',1,'CONVERTED',NULL,0,'{"url":"https://shop.example/checkout"}','[]',1);
INSERT INTO triggers VALUES(9,'email.received → IN_PROCESS','email.received',1,'IN_PROCESS',NULL,0,'{}','[]',1);
INSERT INTO triggers VALUES(10,'chat.first_message → IN_PROCESS','chat.first_message',1,'IN_PROCESS',NULL,0,'{}','[]',1);
INSERT INTO triggers VALUES(11,'chat.text → PROCESSED','chat.text',1,'PROCESSED',NULL,0,'{"text":"Bestellung morgen liefern"}','[]',1);
INSERT INTO triggers VALUES(12,'chat.text → JUNK','chat.text',1,'JUNK',NULL,0,'{"text":"abmelden","ignore_case":true}','[]',1);
INSERT INTO triggers VALUES(13,'chat.answered → IN_PROCESS','chat.answered',1,'IN_PROCESS',NULL,0,'{}','[]',1);
INSERT INTO triggers VALUES(14,'chat.answer_late → JUNK','chat.answer_late',1,'JUNK',NULL,1,'{"seconds":600}','[]',1);
INSERT INTO triggers VALUES(15,'form.submitted → IN_PROCESS','form.submitted',1,'IN_PROCESS',NULL,0,'{}','[]',1);
INSERT INTO triggers VALUES(16,'form.callback → PROCESSED','form.callback',1,'PROCESSED',NULL,0,'{"form":"callback"}','[]',1);
INSERT INTO triggers VALUES(17,'payment.received → CONVERTED','payment.received',1,'CONVERTED',NULL,0,'{}','[]',1);
INSERT INTO triggers VALUES(18,'custom → PROCESSED','custom',1,'PROCESSED',NULL,0,'{"code":"webinar"}','[]',1);
INSERT INTO triggers VALUES(19,'custom → JUNK','custom',1,'JUNK',NULL,1,'{"code":"unsubscribe"}','[]',1);
INSERT INTO triggers VALUES(20,'call.missed → JUNK','call.missed',1,'JUNK',NULL,1,'{"line":"spam"}','[]',1);
INSERT INTO triggers VALUES(21,'email.opened → IN_PROCESS','email.opened',1,'IN_PROCESS',NULL,0,'{}','[{"field":"budget","op":">","value":"5000"}]',1);
INSERT INTO triggers VALUES(22,'field.changed → PROCESSED','field.changed',1,'PROCESSED',NULL,0,'{"fields":["budget"]}','[]',1);
INSERT INTO triggers VALUES(23,'responsible.changed → IN_PROCESS','responsible.changed',1,'IN_PROCESS',NULL,0,'{}','[]',1);
INSERT INTO triggers VALUES(24,'call.incoming → PROCESSED','call.incoming',1,'PROCESSED',NULL,0,'{}','[{"field":"city","op":"=","value":"Berlin"}]',1);
INSERT INTO triggers VALUES(26,'off','call.incoming',1,'IN_PROCESS',NULL,0,'{}','[]',0);
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
INSERT INTO events VALUES(1,'ev-0','email.sent',10,1795000000000,NULL,'{"email":"m0","subject":"Angebot","to":"client10@example.com"}','{"type":"email.sent","element":10,"at":1795000000000,"by":null}{"email":"m0","subject":"Angebot","to":"client10@example.com"}','moved','{"moves":[{"trigger":5,"from":"NEW","to":"IN_PROCESS","author":"carla"}],"notes":[],"signals":[{"signal":"email.sent","verdicts":[{"trigger":5,"name":"email.sent → IN_PROCESS","stage":"IN_PROCESS","verdict":"applied","detail":"moved the element from NEW to IN_PROCESS"}]}]}',1795510800000);
INSERT INTO events VALUES(2,'ev-1','email.opened',12,1795000003000,NULL,'{"email":"unknown1"}','{"type":"email.opened","element":12,"at":1795000003000,"by":null}{"email":"unknown1"}','recorded','{"moves":[],"notes":["email \"unknown1\" was not sent from element 12: email.opened does not fire"],"signals":[]}',1795510800000);
INSERT INTO events VALUES(3,'ev-2','payment.received',12,1795000006000,NULL,'{"amount":"1200.00","currency":"EUR","invoice":"inv2"}','{"type":"payment.received","element":12,"at":1795000006000,"by":null}{"amount":"1200.00","currency":"EUR","invoice":"inv2"}','moved','{"moves":[{"trigger":17,"from":"NEW","to":"CONVERTED","author":"carla"}],"notes":[],"signals":[{"signal":"payment.received","verdicts":[{"trigger":17,"name":"payment.received → CONVERTED","stage":"CONVERTED","verdict":"applied","detail":"moved the element from NEW to CONVERTED"}]}]}',1795510800000);
INSERT INTO events VALUES(4,'ev-3','email.received',11,1795000009000,NULL,'{"email":"r3","from":"client11@example.com","subject":"Frage"}','{"type":"email.received","element":11,"at":1795000009000,"by":null}{"email":"r3","from":"client11@example.com","subject":"Frage"}','moved','{"moves":[{"trigger":9,"from":"NEW","to":"IN_PROCESS","author":"anna"}],"notes":[],"signals":[{"signal":"email.received","verdicts":[{"trigger":9,"name":"email.received → IN_PROCESS","stage":"IN_PROCESS","verdict":"applied","detail":"moved the element from NEW to IN_PROCESS"}]}]}',1795510800000);
INSERT INTO events VALUES(5,'ev-4','email.link_clicked',1,1795000012000,NULL,'{"url":"https://shop.example/pricing?m=1"}','{"type":"email.link_clicked","element":1,"at":1795000012000,"by":null}{"url":"https://shop.example/pricing?m=1"}','moved','{"moves":[{"trigger":7,"from":"NEW","to":"PROCESSED","author":"ben"}],"notes":[],"signals":[{"signal":"email.link_clicked","verdicts":[{"trigger":7,"name":"email.link_clicked → PROCESSED","stage":"PROCESSED","verdict":"applied","detail":"moved the element from NEW to PROCESSED"},{"trigger":8,"name":"email.link_clicked → CONVERTED","stage":"CONVERTED","verdict":"earlier_trigger_applied","detail":"trigger 7 applied first and moved the element to PROCESSED"}]}]}',1795510800000);
INSERT INTO events VALUES(6,'ev-5','call.missed',11,1795000015000,NULL,'{"call":"c5","duration":115,"line":"hotline"}','{"type":"call.missed","element":11,"at":1795000015000,"by":null}{"call":"c5","duration":115,"line":"hotline"}','moved','{"moves":[{"trigger":25,"from":"IN_PROCESS","to":"CONVERTED","author":"anna"}],"notes":[],"signals":[{"signal":"call.missed","verdicts":[{"trigger":1,"name":"call.missed → IN_PROCESS","stage":"IN_PROCESS","verdict":"target_is_current","detail":"the element is already in IN_PROCESS"},{"trigger":2,"name":"call.missed → PROCESSED","stage":"PROCESSED","verdict":"settings_mismatch","detail":"the line is \"hotline\", the trigger wants \"sales\""},{"trigger":25,"name":"gone soon","stage":"CONVERTED","verdict":"applied","detail":"moved the element from IN_PROCESS to CONVERTED"},{"trigger":20,"name":"call.missed → JUNK","stage":"JUNK","verdict":"earlier_trigger_applied","detail":"trigger 25 applied first and moved the element to CONVERTED"}]}]}',1795510800000);
INSERT INTO events VALUES(7,'ev-6','email.link_clicked',6,1795000018000,NULL,'{"url":"https://shop.example/pricing?m=1"}','{"type":"email.link_clicked","element":6,"at":1795000018000,"by":null}{"url":"https://shop.example/pricing?m=1"}','moved','{"moves":[{"trigger":7,"from":"NEW","to":"PROCESSED","author":"ben"}],"notes":[],"signals":[{"signal":"email.link_clicked","verdicts":[{"trigger":7,"name":"email.link_clicked → PROCESSED","stage":"PROCESSED","verdict":"applied","detail":"moved the element from NEW to PROCESSED"},{"trigger":8,"name":"email.link_clicked → CONVERTED","stage":"CONVERTED","verdict":"earlier_trigger_applied","detail":"trigger 7 applied first and moved the element to PROCESSED"}]}]}',1795510800000);
INSERT INTO events VALUES(8,'ev-7','chat.message',7,1795000021000,NULL,'{"chat":"chat7","text":"Hallo"}','{"type":"chat.message","element":7,"at":1795000021000,"by":null}{"chat":"chat7","text":"Hallo"}','moved','{"moves":[{"trigger":10,"from":"NEW","to":"IN_PROCESS","author":"anna"}],"notes":[],"signals":[{"signal":"chat.first_message","verdicts":[{"trigger":10,"name":"chat.first_message → IN_PROCESS","stage":"IN_PROCESS","verdict":"applied","detail":"moved the element from NEW to IN_PROCESS"}]},{"signal":"chat.text","verdicts":[{"trigger":11,"name":"chat.text → PROCESSED","stage":"PROCESSED","verdict":"settings_mismatch","detail":"the message does not contain \"Bestellung morgen liefern\""},{"trigger":12,"name":"chat.text → JUNK","stage":"JUNK","verdict":"settings_mismatch","detail":"the message does not contain \"abmelden\" (ignoring case)"}]}]}',1795510800000);
INSERT INTO events VALUES(9,'ev-8','call.outgoing',10,1795000024000,NULL,'{"call":"c8","duration":221,"line":"hotline"}','{"type":"call.outgoing","element":10,"at":1795000024000,"by":null}{"call":"c8","duration":221,"line":"hotline"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"call.outgoing","verdicts":[{"trigger":4,"name":"call.outgoing → IN_PROCESS","stage":"IN_PROCESS","verdict":"target_is_current","detail":"the element is already in IN_PROCESS"}]}]}',1795510800000);
INSERT INTO events VALUES(10,'ev-9','email.sent',7,1795000027000,NULL,'{"email":"m9","subject":"Angebot","to":"client7@example.com"}','{"type":"email.sent","element":7,"at":1795000027000,"by":null}{"email":"m9","subject":"Angebot","to":"client7@example.com"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"email.sent","verdicts":[{"trigger":5,"name":"email.sent → IN_PROCESS","stage":"IN_PROCESS","verdict":"target_is_current","detail":"the element is already in IN_PROCESS"}]}]}',1795510800000);
INSERT INTO events VALUES(11,'ev-10','custom',3,1795000030000,NULL,'{"code":"unsubscribe"}','{"type":"custom","element":3,"at":1795000030000,"by":null}{"code":"unsubscribe"}','moved','{"moves":[{"trigger":19,"from":"NEW","to":"JUNK","author":"carla"}],"notes":[],"signals":[{"signal":"custom","verdicts":[{"trigger":18,"name":"custom → PROCESSED","stage":"PROCESSED","verdict":"settings_mismatch","detail":"the event''s code is \"unsubscribe\", the trigger wants \"webinar\""},{"trigger":19,"name":"custom → JUNK","stage":"JUNK","verdict":"applied","detail":"moved the element from NEW to JUNK"}]}]}',1795510800000);
INSERT INTO events VALUES(12,'ev-11','custom',3,1795000033000,NULL,'{"code":"webinar"}','{"type":"custom","element":3,"at":1795000033000,"by":null}{"code":"webinar"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"custom","verdicts":[{"trigger":18,"name":"custom → PROCESSED","stage":"PROCESSED","verdict":"element_closed","detail":"the element is closed in JUNK (failure); only a trigger with allow_backwards reopens it"},{"trigger":19,"name":"custom → JUNK","stage":"JUNK","verdict":"target_is_current","detail":"the element is already in JUNK"}]}]}',1795510800000);
INSERT INTO events VALUES(13,'ev-12','chat.message',3,1795000036000,NULL,'{"chat":"chat3","text":"Bitte ABMELDEN"}','{"type":"chat.message","element":3,"at":1795000036000,"by":null}{"chat":"chat3","text":"Bitte ABMELDEN"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"chat.first_message","verdicts":[{"trigger":10,"name":"chat.first_message → IN_PROCESS","stage":"IN_PROCESS","verdict":"element_closed","detail":"the element is closed in JUNK (failure); only a trigger with allow_backwards reopens it"}]},{"signal":"chat.text","verdicts":[{"trigger":11,"name":"chat.text → PROCESSED","stage":"PROCESSED","verdict":"element_closed","detail":"the element is closed in JUNK (failure); only a trigger with allow_backwards reopens it"},{"trigger":12,"name":"chat.text → JUNK","stage":"JUNK","verdict":"target_is_current","detail":"the element is already in JUNK"}]}]}',1795510800000);
INSERT INTO events VALUES(14,'ev-13','call.incoming',3,1795000039000,NULL,'{"call":"c13","duration":5,"line":"hotline"}','{"type":"call.incoming","element":3,"at":1795000039000,"by":null}{"call":"c13","duration":5,"line":"hotline"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"call.incoming","verdicts":[{"trigger":3,"name":"call.incoming → IN_PROCESS","stage":"IN_PROCESS","verdict":"element_closed","detail":"the element is closed in JUNK (failure); only a trigger with allow_backwards reopens it"},{"trigger":26,"name":"off","stage":"IN_PROCESS","verdict":"disabled","detail":"the trigger is disabled"},{"trigger":24,"name":"call.incoming → PROCESSED","stage":"PROCESSED","verdict":"element_closed","detail":"the element is closed in JUNK (failure); only a trigger with allow_backwards reopens it"}]}]}',1795510800000);
INSERT INTO events VALUES(15,'ev-14','custom',4,1795000042000,NULL,'{"code":"webinar"}','{"type":"custom","element":4,"at":1795000042000,"by":null}{"code":"webinar"}','moved','{"moves":[{"trigger":18,"from":"NEW","to":"PROCESSED","author":"carla"}],"notes":[],"signals":[{"signal":"custom","verdicts":[{"trigger":18,"name":"custom → PROCESSED","stage":"PROCESSED","verdict":"applied","detail":"moved the element from NEW to PROCESSED"},{"trigger":19,"name":"custom → JUNK","stage":"JUNK","verdict":"earlier_trigger_applied","detail":"trigger 18 applied first and moved the element to PROCESSED"}]}]}',1795510800000);
INSERT INTO events VALUES(16,'ev-15','call.incoming',3,1795000045000,NULL,'{"call":"c15","duration":321,"line":"sales"}','{"type":"call.incoming","element":3,"at":1795000045000,"by":null}{"call":"c15","duration":321,"line":"sales"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"call.incoming","verdicts":[{"trigger":3,"name":"call.incoming → IN_PROCESS","stage":"IN_PROCESS","verdict":"element_closed","detail":"the element is closed in JUNK (failure); only a trigger with allow_backwards reopens it"},{"trigger":26,"name":"off","stage":"IN_PROCESS","verdict":"disabled","detail":"the trigger is disabled"},{"trigger":24,"name":"call.incoming → PROCESSED","stage":"PROCESSED","verdict":"element_closed","detail":"the element is closed in JUNK (failure); only a trigger with allow_backwards reopens it"}]}]}',1795510800000);
INSERT INTO events VALUES(17,'ev-16','chat.message',4,1795000048000,NULL,'{"chat":"chat4","text":"Bitte Bestellung morgen liefern"}','{"type":"chat.message","element":4,"at":1795000048000,"by":null}{"chat":"chat4","text":"Bitte Bestellung morgen liefern"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"chat.first_message","verdicts":[{"trigger":10,"name":"chat.first_message → IN_PROCESS","stage":"IN_PROCESS","verdict":"target_is_behind","detail":"IN_PROCESS is before the current stage PROCESSED and the trigger does not allow moving backwards"}]},{"signal":"chat.text","verdicts":[{"trigger":11,"name":"chat.text → PROCESSED","stage":"PROCESSED","verdict":"target_is_current","detail":"the element is already in PROCESSED"},{"trigger":12,"name":"chat.text → JUNK","stage":"JUNK","verdict":"settings_mismatch","detail":"the message does not contain \"abmelden\" (ignoring case)"}]}]}',1795510800000);
INSERT INTO events VALUES(18,'ev-17','form.submitted',3,1795000051000,NULL,'{"form":"callback","kind":"webform"}','{"type":"form.submitted","element":3,"at":1795000051000,"by":null}{"form":"callback","kind":"webform"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"form.submitted","verdicts":[{"trigger":15,"name":"form.submitted → IN_PROCESS","stage":"IN_PROCESS","verdict":"element_closed","detail":"the element is closed in JUNK (failure); only a trigger with allow_backwards reopens it"}]}]}',1795510800000);
INSERT INTO events VALUES(19,'ev-18','call.missed',5,1795000054000,NULL,'{"call":"c18","duration":424,"line":"sales"}','{"type":"call.missed","element":5,"at":1795000054000,"by":null}{"call":"c18","duration":424,"line":"sales"}','moved','{"moves":[{"trigger":1,"from":"NEW","to":"IN_PROCESS","author":"anna"}],"notes":[],"signals":[{"signal":"call.missed","verdicts":[{"trigger":1,"name":"call.missed → IN_PROCESS","stage":"IN_PROCESS","verdict":"applied","detail":"moved the element from NEW to IN_PROCESS"},{"trigger":2,"name":"call.missed → PROCESSED","stage":"PROCESSED","verdict":"earlier_trigger_applied","detail":"trigger 1 applied first and moved the element to IN_PROCESS"},{"trigger":25,"name":"gone soon","stage":"CONVERTED","verdict":"earlier_trigger_applied","detail":"trigger 1 applied first and moved the element to IN_PROCESS"},{"trigger":20,"name":"call.missed → JUNK","stage":"JUNK","verdict":"earlier_trigger_applied","detail":"trigger 1 applied first and moved the element to IN_PROCESS"}]}]}',1795510800000);
INSERT INTO events VALUES(20,'ev-19','call.incoming',3,1795000057000,NULL,'{"call":"c19","duration":66,"line":"sales"}','{"type":"call.incoming","element":3,"at":1795000057000,"by":null}{"call":"c19","duration":66,"line":"sales"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"call.incoming","verdicts":[{"trigger":3,"name":"call.incoming → IN_PROCESS","stage":"IN_PROCESS","verdict":"element_closed","detail":"the element is closed in JUNK (failure); only a trigger with allow_backwards reopens it"},{"trigger":26,"name":"off","stage":"IN_PROCESS","verdict":"disabled","detail":"the trigger is disabled"},{"trigger":24,"name":"call.incoming → PROCESSED","stage":"PROCESSED","verdict":"element_closed","detail":"the element is closed in JUNK (failure); only a trigger with allow_backwards reopens it"}]}]}',1795510800000);
INSERT INTO events VALUES(21,'ev-20','email.sent',6,1795000060000,NULL,'{"email":"m20","subject":"Angebot","to":"client6@example.com"}','{"type":"email.sent","element":6,"at":1795000060000,"by":null}{"email":"m20","subject":"Angebot","to":"client6@example.com"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"email.sent","verdicts":[{"trigger":5,"name":"email.sent → IN_PROCESS","stage":"IN_PROCESS","verdict":"target_is_behind","detail":"IN_PROCESS is before the current stage PROCESSED and the trigger does not allow moving backwards"}]}]}',1795510800000);
INSERT INTO events VALUES(22,'ev-21','chat.message',10,1795000063000,NULL,'{"chat":"chat10","text":"Hallo"}','{"type":"chat.message","element":10,"at":1795000063000,"by":null}{"chat":"chat10","text":"Hallo"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"chat.first_message","verdicts":[{"trigger":10,"name":"chat.first_message → IN_PROCESS","stage":"IN_PROCESS","verdict":"target_is_current","detail":"the element is already in IN_PROCESS"}]},{"signal":"chat.text","verdicts":[{"trigger":11,"name":"chat.text → PROCESSED","stage":"PROCESSED","verdict":"settings_mismatch","detail":"the message does not contain \"Bestellung morgen liefern\""},{"trigger":12,"name":"chat.text → JUNK","stage":"JUNK","verdict":"settings_mismatch","detail":"the message does not contain \"abmelden\" (ignoring case)"}]}]}',1795510800000);
INSERT INTO events VALUES(23,'ev-22','chat.answered',10,1795000066000,NULL,'{"chat":"chat10"}','{"type":"chat.answered","element":10,"at":1795000066000,"by":null}{"chat":"chat10"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"chat.answer_late","verdicts":[{"trigger":14,"name":"chat.answer_late → JUNK","stage":"JUNK","verdict":"settings_mismatch","detail":"answered 3 s after the first message, not later than 600 s"}]},{"signal":"chat.answered","verdicts":[{"trigger":13,"name":"chat.answered → IN_PROCESS","stage":"IN_PROCESS","verdict":"target_is_current","detail":"the element is already in IN_PROCESS"}]}]}',1795510800000);
INSERT INTO events VALUES(24,'ev-23','email.sent',12,1795000069000,NULL,'{"email":"m23","subject":"Angebot","to":"client12@example.com"}','{"type":"email.sent","element":12,"at":1795000069000,"by":null}{"email":"m23","subject":"Angebot","to":"client12@example.com"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"email.sent","verdicts":[{"trigger":5,"name":"email.sent → IN_PROCESS","stage":"IN_PROCESS","verdict":"element_closed","detail":"the element is closed in CONVERTED (success); only a trigger with allow_backwards reopens it"}]}]}',1795510800000);
INSERT INTO events VALUES(25,'ev-24','email.sent',2,1795000072000,NULL,'{"email":"m24","subject":"Angebot","to":"client2@example.com"}','{"type":"email.sent","element":2,"at":1795000072000,"by":null}{"email":"m24","subject":"Angebot","to":"client2@example.com"}','moved','{"moves":[{"trigger":5,"from":"NEW","to":"IN_PROCESS","author":"carla"}],"notes":[],"signals":[{"signal":"email.sent","verdicts":[{"trigger":5,"name":"email.sent → IN_PROCESS","stage":"IN_PROCESS","verdict":"applied","detail":"moved the element from NEW to IN_PROCESS"}]}]}',1795510800000);
INSERT INTO events VALUES(26,'ev-25','email.sent',6,1795000075000,NULL,'{"email":"m25","subject":"Angebot","to":"client6@example.com"}','{"type":"email.sent","element":6,"at":1795000075000,"by":null}{"email":"m25","subject":"Angebot","to":"client6@example.com"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"email.sent","verdicts":[{"trigger":5,"name":"email.sent → IN_PROCESS","stage":"IN_PROCESS","verdict":"target_is_behind","detail":"IN_PROCESS is before the current stage PROCESSED and the trigger does not allow moving backwards"}]}]}',1795510800000);
INSERT INTO events VALUES(27,'ev-26','form.submitted',8,1795000078000,NULL,'{"form":"contact","kind":"callback"}','{"type":"form.submitted","element":8,"at":1795000078000,"by":null}{"form":"contact","kind":"callback"}','moved','{"moves":[{"trigger":15,"from":"NEW","to":"IN_PROCESS","author":"anna"}],"notes":[],"signals":[{"signal":"form.callback","verdicts":[{"trigger":16,"name":"form.callback → PROCESSED","stage":"PROCESSED","verdict":"settings_mismatch","detail":"the form is \"contact\", the trigger wants \"callback\""}]},{"signal":"form.submitted","verdicts":[{"trigger":15,"name":"form.submitted → IN_PROCESS","stage":"IN_PROCESS","verdict":"applied","detail":"moved the element from NEW to IN_PROCESS"}]}]}',1795510800000);
INSERT INTO events VALUES(28,'ev-27','email.link_clicked',8,1795000081000,NULL,'{"url":"https://shop.example/checkout"}','{"type":"email.link_clicked","element":8,"at":1795000081000,"by":null}{"url":"https://shop.example/checkout"}','moved','{"moves":[{"trigger":8,"from":"IN_PROCESS","to":"CONVERTED","author":"anna"}],"notes":[],"signals":[{"signal":"email.link_clicked","verdicts":[{"trigger":7,"name":"email.link_clicked → PROCESSED","stage":"PROCESSED","verdict":"settings_mismatch","detail":"the clicked URL \"https://shop.example/checkout\" does not start with \"https://shop.example/pricing\""},{"trigger":8,"name":"email.link_clicked → CONVERTED","stage":"CONVERTED","verdict":"applied","detail":"moved the element from IN_PROCESS to CONVERTED"}]}]}',1795510800000);
INSERT INTO events VALUES(29,'ev-28','call.missed',3,1795000084000,NULL,'{"call":"c28","duration":23,"line":"sales"}','{"type":"call.missed","element":3,"at":1795000084000,"by":null}{"call":"c28","duration":23,"line":"sales"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"call.missed","verdicts":[{"trigger":1,"name":"call.missed → IN_PROCESS","stage":"IN_PROCESS","verdict":"element_closed","detail":"the element is closed in JUNK (failure); only a trigger with allow_backwards reopens it"},{"trigger":2,"name":"call.missed → PROCESSED","stage":"PROCESSED","verdict":"element_closed","detail":"the element is closed in JUNK (failure); only a trigger with allow_backwards reopens it"},{"trigger":25,"name":"gone soon","stage":"CONVERTED","verdict":"element_closed","detail":"the element is closed in JUNK (failure); only a trigger with allow_backwards reopens it"},{"trigger":20,"name":"call.missed → JUNK","stage":"JUNK","verdict":"target_is_current","detail":"the element is already in JUNK"}]}]}',1795510800000);
INSERT INTO events VALUES(30,'ev-29','email.opened',12,1795000087000,NULL,'{"email":"m23"}','{"type":"email.opened","element":12,"at":1795000087000,"by":null}{"email":"m23"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"email.opened","verdicts":[{"trigger":21,"name":"email.opened → IN_PROCESS","stage":"IN_PROCESS","verdict":"element_closed","detail":"the element is closed in CONVERTED (success); only a trigger with allow_backwards reopens it"},{"trigger":6,"name":"email.opened → PROCESSED","stage":"PROCESSED","verdict":"element_closed","detail":"the element is closed in CONVERTED (success); only a trigger with allow_backwards reopens it"}]}]}',1795510800000);
INSERT INTO events VALUES(31,'f-1','field.changed',7,1795510800000,NULL,'{"fields":{"budget":"9000"}}','{"type":"field.changed","element":7,"at":null,"by":null}{"fields":{"budget":"9000"}}','moved','{"moves":[{"trigger":22,"from":"IN_PROCESS","to":"PROCESSED","author":"anna"}],"notes":[],"signals":[{"signal":"field.changed","verdicts":[{"trigger":22,"name":"field.changed → PROCESSED","stage":"PROCESSED","verdict":"applied","detail":"moved the element from IN_PROCESS to PROCESSED"}]}]}',1795510800000);
INSERT INTO events VALUES(32,'f-2','field.changed',7,1795510800000,NULL,'{"fields":{"budget":"9000"}}','{"type":"field.changed","element":7,"at":null,"by":null}{"fields":{"budget":"9000"}}','recorded','{"moves":[],"notes":["no field changed its value: field.changed does not fire"],"signals":[]}',1795510800000);
INSERT INTO events VALUES(33,'r-1','responsible.changed',9,1795510800000,'anna','{"responsible":"ben"}','{"type":"responsible.changed","element":9,"at":null,"by":"anna"}{"responsible":"ben"}','moved','{"moves":[{"trigger":23,"from":"NEW","to":"IN_PROCESS","author":"ben"}],"notes":[],"signals":[{"signal":"responsible.changed","verdicts":[{"trigger":23,"name":"responsible.changed → IN_PROCESS","stage":"IN_PROCESS","verdict":"applied","detail":"moved the element from NEW to IN_PROCESS"}]}]}',1795510800000);
INSERT INTO events VALUES(34,'u-1','custom',10,1795510800000,NULL,'{"code":"unsubscribe"}','{"type":"custom","element":10,"at":null,"by":null}{"code":"unsubscribe"}','moved','{"moves":[{"trigger":19,"from":"IN_PROCESS","to":"JUNK","author":"carla"}],"notes":[],"signals":[{"signal":"custom","verdicts":[{"trigger":18,"name":"custom → PROCESSED","stage":"PROCESSED","verdict":"settings_mismatch","detail":"the event''s code is \"unsubscribe\", the trigger wants \"webinar\""},{"trigger":19,"name":"custom → JUNK","stage":"JUNK","verdict":"applied","detail":"moved the element from IN_PROCESS to JUNK"}]}]}',1795510800000);
INSERT INTO events VALUES(35,'u-2','custom',10,1795510800000,NULL,'{"code":"webinar"}','{"type":"custom","element":10,"at":null,"by":null}{"code":"webinar"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"custom","verdicts":[{"trigger":18,"name":"custom → PROCESSED","stage":"PROCESSED","verdict":"element_closed","detail":"the element is closed in JUNK (failure); only a trigger with allow_backwards reopens it"},{"trigger":19,"name":"custom → JUNK","stage":"JUNK","verdict":"target_is_current","detail":"the element is already in JUNK"}]}]}',1795510800000);
INSERT INTO events VALUES(36,NULL,'chat.answered',11,1795170000000,'ben','{"chat":"late"}','{"type":"chat.answered","element":11,"at":1795170000000,"by":"ben"}{"chat":"late"}','recorded','{"moves":[],"notes":["no first client message was recorded in chat \"late\": the response time is unknown"],"signals":[{"signal":"chat.answer_late","verdicts":[{"trigger":14,"name":"chat.answer_late → JUNK","stage":"JUNK","verdict":"settings_mismatch","detail":"the response time is unknown: no first client message was recorded in this chat"}]},{"signal":"chat.answered","verdicts":[{"trigger":13,"name":"chat.answered → IN_PROCESS","stage":"IN_PROCESS","verdict":"element_closed","detail":"the element is closed in CONVERTED (success); only a trigger with allow_backwards reopens it"}]}]}',1795510800000);
INSERT INTO events VALUES(37,NULL,'chat.answered',12,1795510800000,NULL,'{"chat":"never"}','{"type":"chat.answered","element":12,"at":null,"by":null}{"chat":"never"}','recorded','{"moves":[],"notes":["no first client message was recorded in chat \"never\": the response time is unknown"],"signals":[{"signal":"chat.answer_late","verdicts":[{"trigger":14,"name":"chat.answer_late → JUNK","stage":"JUNK","verdict":"settings_mismatch","detail":"the response time is unknown: no first client message was recorded in this chat"}]},{"signal":"chat.answered","verdicts":[{"trigger":13,"name":"chat.answered → IN_PROCESS","stage":"IN_PROCESS","verdict":"element_closed","detail":"the element is closed in CONVERTED (success); only a trigger with allow_backwards reopens it"}]}]}',1795510800000);
INSERT INTO events VALUES(38,'ev-30','call.missed',7,1795000090000,NULL,'{"call":"c30","duration":428,"line":"spam"}','{"type":"call.missed","element":7,"at":1795000090000,"by":null}{"call":"c30","duration":428,"line":"spam"}','moved','{"moves":[{"trigger":20,"from":"PROCESSED","to":"JUNK","author":"anna"}],"notes":[],"signals":[{"signal":"call.missed","verdicts":[{"trigger":1,"name":"call.missed → IN_PROCESS","stage":"IN_PROCESS","verdict":"target_is_behind","detail":"IN_PROCESS is before the current stage PROCESSED and the trigger does not allow moving backwards"},{"trigger":2,"name":"call.missed → PROCESSED","stage":"PROCESSED","verdict":"target_is_current","detail":"the element is already in PROCESSED"},{"trigger":20,"name":"call.missed → JUNK","stage":"JUNK","verdict":"applied","detail":"moved the element from PROCESSED to JUNK"}]}]}',1795510800000);
INSERT INTO events VALUES(39,'ev-31','email.opened',6,1795000093000,NULL,'{"email":"m25"}','{"type":"email.opened","element":6,"at":1795000093000,"by":null}{"email":"m25"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"email.opened","verdicts":[{"trigger":21,"name":"email.opened → IN_PROCESS","stage":"IN_PROCESS","verdict":"target_is_behind","detail":"IN_PROCESS is before the current stage PROCESSED and the trigger does not allow moving backwards"},{"trigger":6,"name":"email.opened → PROCESSED","stage":"PROCESSED","verdict":"target_is_current","detail":"the element is already in PROCESSED"}]}]}',1795510800000);
INSERT INTO events VALUES(40,'ev-32','call.missed',10,1795000096000,NULL,'{"call":"c32","duration":47,"line":"sales"}','{"type":"call.missed","element":10,"at":1795000096000,"by":null}{"call":"c32","duration":47,"line":"sales"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"call.missed","verdicts":[{"trigger":1,"name":"call.missed → IN_PROCESS","stage":"IN_PROCESS","verdict":"element_closed","detail":"the element is closed in JUNK (failure); only a trigger with allow_backwards reopens it"},{"trigger":2,"name":"call.missed → PROCESSED","stage":"PROCESSED","verdict":"element_closed","detail":"the element is closed in JUNK (failure); only a trigger with allow_backwards reopens it"},{"trigger":20,"name":"call.missed → JUNK","stage":"JUNK","verdict":"target_is_current","detail":"the element is already in JUNK"}]}]}',1795510800000);
INSERT INTO events VALUES(41,'ev-33','call.incoming',12,1795000099000,NULL,'{"call":"c33","duration":201,"line":"spam"}','{"type":"call.incoming","element":12,"at":1795000099000,"by":null}{"call":"c33","duration":201,"line":"spam"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"call.incoming","verdicts":[{"trigger":3,"name":"call.incoming → IN_PROCESS","stage":"IN_PROCESS","verdict":"element_closed","detail":"the element is closed in CONVERTED (success); only a trigger with allow_backwards reopens it"},{"trigger":26,"name":"off","stage":"IN_PROCESS","verdict":"disabled","detail":"the trigger is disabled"},{"trigger":24,"name":"call.incoming → PROCESSED","stage":"PROCESSED","verdict":"element_closed","detail":"the element is closed in CONVERTED (success); only a trigger with allow_backwards reopens it"}]}]}',1795510800000);
INSERT INTO events VALUES(42,'ev-34','payment.received',2,1795000102000,NULL,'{"amount":"1200.00","currency":"EUR","invoice":"inv34"}','{"type":"payment.received","element":2,"at":1795000102000,"by":null}{"amount":"1200.00","currency":"EUR","invoice":"inv34"}','moved','{"moves":[{"trigger":17,"from":"IN_PROCESS","to":"CONVERTED","author":"carla"}],"notes":[],"signals":[{"signal":"payment.received","verdicts":[{"trigger":17,"name":"payment.received → CONVERTED","stage":"CONVERTED","verdict":"applied","detail":"moved the element from IN_PROCESS to CONVERTED"}]}]}',1795510800000);
INSERT INTO events VALUES(43,'ev-35','email.link_clicked',4,1795000105000,NULL,'{"url":"https://shop.example/blog"}','{"type":"email.link_clicked","element":4,"at":1795000105000,"by":null}{"url":"https://shop.example/blog"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"email.link_clicked","verdicts":[{"trigger":7,"name":"email.link_clicked → PROCESSED","stage":"PROCESSED","verdict":"target_is_current","detail":"the element is already in PROCESSED"},{"trigger":8,"name":"email.link_clicked → CONVERTED","stage":"CONVERTED","verdict":"settings_mismatch","detail":"the clicked URL \"https://shop.example/blog\" does not start with \"https://shop.example/checkout\""}]}]}',1795510800000);
INSERT INTO events VALUES(44,'ev-36','email.opened',9,1795000108000,NULL,'{"email":"unknown36"}','{"type":"email.opened","element":9,"at":1795000108000,"by":null}{"email":"unknown36"}','recorded','{"moves":[],"notes":["email \"unknown36\" was not sent from element 9: email.opened does not fire"],"signals":[]}',1795510800000);
INSERT INTO events VALUES(45,'ev-37','email.sent',9,1795000111000,NULL,'{"email":"m37","subject":"Angebot","to":"client9@example.com"}','{"type":"email.sent","element":9,"at":1795000111000,"by":null}{"email":"m37","subject":"Angebot","to":"client9@example.com"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"email.sent","verdicts":[{"trigger":5,"name":"email.sent → IN_PROCESS","stage":"IN_PROCESS","verdict":"target_is_current","detail":"the element is already in IN_PROCESS"}]}]}',1795510800000);
INSERT INTO events VALUES(46,'ev-38','call.missed',8,1795000114000,NULL,'{"call":"c38","duration":376,"line":"spam"}','{"type":"call.missed","element":8,"at":1795000114000,"by":null}{"call":"c38","duration":376,"line":"spam"}','moved','{"moves":[{"trigger":20,"from":"CONVERTED","to":"JUNK","author":"anna"}],"notes":[],"signals":[{"signal":"call.missed","verdicts":[{"trigger":1,"name":"call.missed → IN_PROCESS","stage":"IN_PROCESS","verdict":"element_closed","detail":"the element is closed in CONVERTED (success); only a trigger with allow_backwards reopens it"},{"trigger":2,"name":"call.missed → PROCESSED","stage":"PROCESSED","verdict":"element_closed","detail":"the element is closed in CONVERTED (success); only a trigger with allow_backwards reopens it"},{"trigger":20,"name":"call.missed → JUNK","stage":"JUNK","verdict":"applied","detail":"moved the element from CONVERTED to JUNK"}]}]}',1795510800000);
INSERT INTO events VALUES(47,'ev-39','call.missed',5,1795000117000,NULL,'{"call":"c39","duration":93,"line":"sales"}','{"type":"call.missed","element":5,"at":1795000117000,"by":null}{"call":"c39","duration":93,"line":"sales"}','moved','{"moves":[{"trigger":2,"from":"IN_PROCESS","to":"PROCESSED","author":"anna"}],"notes":[],"signals":[{"signal":"call.missed","verdicts":[{"trigger":1,"name":"call.missed → IN_PROCESS","stage":"IN_PROCESS","verdict":"target_is_current","detail":"the element is already in IN_PROCESS"},{"trigger":2,"name":"call.missed → PROCESSED","stage":"PROCESSED","verdict":"applied","detail":"moved the element from IN_PROCESS to PROCESSED"},{"trigger":20,"name":"call.missed → JUNK","stage":"JUNK","verdict":"earlier_trigger_applied","detail":"trigger 2 applied first and moved the element to PROCESSED"}]}]}',1795510800000);
INSERT INTO events VALUES(48,'ev-40','email.sent',4,1795000120000,NULL,'{"email":"m40","subject":"Angebot","to":"client4@example.com"}','{"type":"email.sent","element":4,"at":1795000120000,"by":null}{"email":"m40","subject":"Angebot","to":"client4@example.com"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"email.sent","verdicts":[{"trigger":5,"name":"email.sent → IN_PROCESS","stage":"IN_PROCESS","verdict":"target_is_behind","detail":"IN_PROCESS is before the current stage PROCESSED and the trigger does not allow moving backwards"}]}]}',1795510800000);
INSERT INTO events VALUES(49,'ev-41','chat.message',9,1795000123000,NULL,'{"chat":"chat9","text":"Preis?"}','{"type":"chat.message","element":9,"at":1795000123000,"by":null}{"chat":"chat9","text":"Preis?"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"chat.first_message","verdicts":[{"trigger":10,"name":"chat.first_message → IN_PROCESS","stage":"IN_PROCESS","verdict":"target_is_current","detail":"the element is already in IN_PROCESS"}]},{"signal":"chat.text","verdicts":[{"trigger":11,"name":"chat.text → PROCESSED","stage":"PROCESSED","verdict":"settings_mismatch","detail":"the message does not contain \"Bestellung morgen liefern\""},{"trigger":12,"name":"chat.text → JUNK","stage":"JUNK","verdict":"settings_mismatch","detail":"the message does not contain \"abmelden\" (ignoring case)"}]}]}',1795510800000);
INSERT INTO events VALUES(50,'ev-42','email.sent',3,1795000126000,NULL,'{"email":"m42","subject":"Angebot","to":"client3@example.com"}','{"type":"email.sent","element":3,"at":1795000126000,"by":null}{"email":"m42","subject":"Angebot","to":"client3@example.com"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"email.sent","verdicts":[{"trigger":5,"name":"email.sent → IN_PROCESS","stage":"IN_PROCESS","verdict":"element_closed","detail":"the element is closed in JUNK (failure); only a trigger with allow_backwards reopens it"}]}]}',1795510800000);
INSERT INTO events VALUES(51,'ev-43','form.submitted',5,1795000129000,NULL,'{"form":"callback","kind":"webform"}','{"type":"form.submitted","element":5,"at":1795000129000,"by":null}{"form":"callback","kind":"webform"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"form.submitted","verdicts":[{"trigger":15,"name":"form.submitted → IN_PROCESS","stage":"IN_PROCESS","verdict":"target_is_behind","detail":"IN_PROCESS is before the current stage PROCESSED and the trigger does not allow moving backwards"}]}]}',1795510800000);
INSERT INTO events VALUES(52,'ev-44','email.sent',11,1795000132000,NULL,'{"email":"m44","subject":"Angebot","to":"client11@example.com"}','{"type":"email.sent","element":11,"at":1795000132000,"by":null}{"email":"m44","subject":"Angebot","to":"client11@example.com"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"email.sent","verdicts":[{"trigger":5,"name":"email.sent → IN_PROCESS","stage":"IN_PROCESS","verdict":"element_closed","detail":"the element is closed in CONVERTED (success); only a trigger with allow_backwards reopens it"}]}]}',1795510800000);
INSERT INTO events VALUES(53,'ev-45','call.incoming',5,1795000135000,NULL,'{"call":"c45","duration":152,"line":"hotline"}','{"type":"call.incoming","element":5,"at":1795000135000,"by":null}{"call":"c45","duration":152,"line":"hotline"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"call.incoming","verdicts":[{"trigger":3,"name":"call.incoming → IN_PROCESS","stage":"IN_PROCESS","verdict":"target_is_behind","detail":"IN_PROCESS is before the current stage PROCESSED and the trigger does not allow moving backwards"},{"trigger":26,"name":"off","stage":"IN_PROCESS","verdict":"disabled","detail":"the trigger is disabled"},{"trigger":24,"name":"call.incoming → PROCESSED","stage":"PROCESSED","verdict":"target_is_current","detail":"the element is already in PROCESSED"}]}]}',1795510800000);
INSERT INTO events VALUES(54,'ev-46','form.submitted',12,1795000138000,NULL,'{"form":"contact","kind":"webform"}','{"type":"form.submitted","element":12,"at":1795000138000,"by":null}{"form":"contact","kind":"webform"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"form.submitted","verdicts":[{"trigger":15,"name":"form.submitted → IN_PROCESS","stage":"IN_PROCESS","verdict":"element_closed","detail":"the element is closed in CONVERTED (success); only a trigger with allow_backwards reopens it"}]}]}',1795510800000);
INSERT INTO events VALUES(55,'ev-47','form.submitted',3,1795000141000,NULL,'{"form":"callback","kind":"callback"}','{"type":"form.submitted","element":3,"at":1795000141000,"by":null}{"form":"callback","kind":"callback"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"form.callback","verdicts":[{"trigger":16,"name":"form.callback → PROCESSED","stage":"PROCESSED","verdict":"element_closed","detail":"the element is closed in JUNK (failure); only a trigger with allow_backwards reopens it"}]},{"signal":"form.submitted","verdicts":[{"trigger":15,"name":"form.submitted → IN_PROCESS","stage":"IN_PROCESS","verdict":"element_closed","detail":"the element is closed in JUNK (failure); only a trigger with allow_backwards reopens it"}]}]}',1795510800000);
INSERT INTO events VALUES(56,'ev-48','chat.message',10,1795000144000,NULL,'{"chat":"chat10","text":"Bitte ABMELDEN"}','{"type":"chat.message","element":10,"at":1795000144000,"by":null}{"chat":"chat10","text":"Bitte ABMELDEN"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"chat.text","verdicts":[{"trigger":11,"name":"chat.text → PROCESSED","stage":"PROCESSED","verdict":"element_closed","detail":"the element is closed in JUNK (failure); only a trigger with allow_backwards reopens it"},{"trigger":12,"name":"chat.text → JUNK","stage":"JUNK","verdict":"target_is_current","detail":"the element is already in JUNK"}]}]}',1795510800000);
INSERT INTO events VALUES(57,'ev-49','call.outgoing',1,1795000147000,NULL,'{"call":"c49","duration":352,"line":"spam"}','{"type":"call.outgoing","element":1,"at":1795000147000,"by":null}{"call":"c49","duration":352,"line":"spam"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"call.outgoing","verdicts":[{"trigger":4,"name":"call.outgoing → IN_PROCESS","stage":"IN_PROCESS","verdict":"target_is_behind","detail":"IN_PROCESS is before the current stage PROCESSED and the trigger does not allow moving backwards"}]}]}',1795510800000);
INSERT INTO events VALUES(58,'ev-50','email.link_clicked',5,1795000150000,NULL,'{"url":"https://shop.example/checkout"}','{"type":"email.link_clicked","element":5,"at":1795000150000,"by":null}{"url":"https://shop.example/checkout"}','moved','{"moves":[{"trigger":8,"from":"PROCESSED","to":"CONVERTED","author":"anna"}],"notes":[],"signals":[{"signal":"email.link_clicked","verdicts":[{"trigger":7,"name":"email.link_clicked → PROCESSED","stage":"PROCESSED","verdict":"target_is_current","detail":"the element is already in PROCESSED"},{"trigger":8,"name":"email.link_clicked → CONVERTED","stage":"CONVERTED","verdict":"applied","detail":"moved the element from PROCESSED to CONVERTED"}]}]}',1795510800000);
INSERT INTO events VALUES(59,'ev-51','call.incoming',7,1795000153000,NULL,'{"call":"c51","duration":33,"line":"hotline"}','{"type":"call.incoming","element":7,"at":1795000153000,"by":null}{"call":"c51","duration":33,"line":"hotline"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"call.incoming","verdicts":[{"trigger":3,"name":"call.incoming → IN_PROCESS","stage":"IN_PROCESS","verdict":"element_closed","detail":"the element is closed in JUNK (failure); only a trigger with allow_backwards reopens it"},{"trigger":26,"name":"off","stage":"IN_PROCESS","verdict":"disabled","detail":"the trigger is disabled"},{"trigger":24,"name":"call.incoming → PROCESSED","stage":"PROCESSED","verdict":"element_closed","detail":"the element is closed in JUNK (failure); only a trigger with allow_backwards reopens it"}]}]}',1795510800000);
INSERT INTO events VALUES(60,'ev-52','email.sent',8,1795000156000,NULL,'{"email":"m52","subject":"Angebot","to":"client8@example.com"}','{"type":"email.sent","element":8,"at":1795000156000,"by":null}{"email":"m52","subject":"Angebot","to":"client8@example.com"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"email.sent","verdicts":[{"trigger":5,"name":"email.sent → IN_PROCESS","stage":"IN_PROCESS","verdict":"element_closed","detail":"the element is closed in JUNK (failure); only a trigger with allow_backwards reopens it"}]}]}',1795510800000);
INSERT INTO events VALUES(61,'ev-53','call.incoming',4,1795000159000,NULL,'{"call":"c53","duration":577,"line":"spam"}','{"type":"call.incoming","element":4,"at":1795000159000,"by":null}{"call":"c53","duration":577,"line":"spam"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"call.incoming","verdicts":[{"trigger":3,"name":"call.incoming → IN_PROCESS","stage":"IN_PROCESS","verdict":"target_is_behind","detail":"IN_PROCESS is before the current stage PROCESSED and the trigger does not allow moving backwards"},{"trigger":26,"name":"off","stage":"IN_PROCESS","verdict":"disabled","detail":"the trigger is disabled"},{"trigger":24,"name":"call.incoming → PROCESSED","stage":"PROCESSED","verdict":"target_is_current","detail":"the element is already in PROCESSED"}]}]}',1795510800000);
INSERT INTO events VALUES(62,'ev-54','chat.message',3,1795000162000,NULL,'{"chat":"chat3","text":"Bitte ABMELDEN"}','{"type":"chat.message","element":3,"at":1795000162000,"by":null}{"chat":"chat3","text":"Bitte ABMELDEN"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"chat.text","verdicts":[{"trigger":11,"name":"chat.text → PROCESSED","stage":"PROCESSED","verdict":"element_closed","detail":"the element is closed in JUNK (failure); only a trigger with allow_backwards reopens it"},{"trigger":12,"name":"chat.text → JUNK","stage":"JUNK","verdict":"target_is_current","detail":"the element is already in JUNK"}]}]}',1795510800000);
INSERT INTO events VALUES(63,'ev-55','call.incoming',2,1795000165000,NULL,'{"call":"c55","duration":381,"line":"sales"}','{"type":"call.incoming","element":2,"at":1795000165000,"by":null}{"call":"c55","duration":381,"line":"sales"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"call.incoming","verdicts":[{"trigger":3,"name":"call.incoming → IN_PROCESS","stage":"IN_PROCESS","verdict":"element_closed","detail":"the element is closed in CONVERTED (success); only a trigger with allow_backwards reopens it"},{"trigger":26,"name":"off","stage":"IN_PROCESS","verdict":"disabled","detail":"the trigger is disabled"},{"trigger":24,"name":"call.incoming → PROCESSED","stage":"PROCESSED","verdict":"element_closed","detail":"the element is closed in CONVERTED (success); only a trigger with allow_backwards reopens it"}]}]}',1795510800000);
INSERT INTO events VALUES(64,'ev-56','call.missed',3,1795000168000,NULL,'{"call":"c56","duration":301,"line":"sales"}','{"type":"call.missed","element":3,"at":1795000168000,"by":null}{"call":"c56","duration":301,"line":"sales"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"call.missed","verdicts":[{"trigger":1,"name":"call.missed → IN_PROCESS","stage":"IN_PROCESS","verdict":"element_closed","detail":"the element is closed in JUNK (failure); only a trigger with allow_backwards reopens it"},{"trigger":2,"name":"call.missed → PROCESSED","stage":"PROCESSED","verdict":"element_closed","detail":"the element is closed in JUNK (failure); only a trigger with allow_backwards reopens it"},{"trigger":20,"name":"call.missed → JUNK","stage":"JUNK","verdict":"target_is_current","detail":"the element is already in JUNK"}]}]}',1795510800000);
INSERT INTO events VALUES(65,'ev-57','email.link_clicked',3,1795000171000,NULL,'{"url":"https://shop.example/checkout"}','{"type":"email.link_clicked","element":3,"at":1795000171000,"by":null}{"url":"https://shop.example/checkout"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"email.link_clicked","verdicts":[{"trigger":7,"name":"email.link_clicked → PROCESSED","stage":"PROCESSED","verdict":"element_closed","detail":"the element is closed in JUNK (failure); only a trigger with allow_backwards reopens it"},{"trigger":8,"name":"email.link_clicked → CONVERTED","stage":"CONVERTED","verdict":"element_closed","detail":"the element is closed in JUNK (failure); only a trigger with allow_backwards reopens it"}]}]}',1795510800000);
INSERT INTO events VALUES(66,'ev-58','email.received',3,1795000174000,NULL,'{"email":"r58","from":"client3@example.com","subject":"Frage"}','{"type":"email.received","element":3,"at":1795000174000,"by":null}{"email":"r58","from":"client3@example.com","subject":"Frage"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"email.received","verdicts":[{"trigger":9,"name":"email.received → IN_PROCESS","stage":"IN_PROCESS","verdict":"element_closed","detail":"the element is closed in JUNK (failure); only a trigger with allow_backwards reopens it"}]}]}',1795510800000);
INSERT INTO events VALUES(67,'ev-59','email.received',8,1795000177000,NULL,'{"email":"r59","from":"client8@example.com","subject":"Frage"}','{"type":"email.received","element":8,"at":1795000177000,"by":null}{"email":"r59","from":"client8@example.com","subject":"Frage"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"email.received","verdicts":[{"trigger":9,"name":"email.received → IN_PROCESS","stage":"IN_PROCESS","verdict":"element_closed","detail":"the element is closed in JUNK (failure); only a trigger with allow_backwards reopens it"}]}]}',1795510800000);
INSERT INTO events VALUES(68,'rule-1','custom',3,1795510800000,NULL,'{"code":"webinar"}','{"type":"custom","element":3,"at":null,"by":null}{"code":"webinar"}','recorded','{"moves":[],"notes":[],"signals":[{"signal":"custom","verdicts":[{"trigger":18,"name":"custom → PROCESSED","stage":"PROCESSED","verdict":"element_closed","detail":"the element is closed in JUNK (failure); only a trigger with allow_backwards reopens it"},{"trigger":19,"name":"custom → JUNK","stage":"JUNK","verdict":"target_is_current","detail":"the element is already in JUNK"}]}]}',1795510800000);
INSERT INTO events VALUES(69,NULL,'document.created',4,1795510800000,'anna','{"ref":"C-1","template":"contract"}','{"type":"document.created","element":4,"at":null,"by":"anna"}{"ref":"C-1","template":"contract"}','recorded','{"moves":[],"notes":[],"document":1,"signals":[{"signal":"document.created","verdicts":[]}]}',1795510800000);
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
INSERT INTO timeline VALUES(1,1,1795510800000,'created','ben',NULL,'{"pipeline":1,"stage":"NEW","title":"Lead 1"}');
INSERT INTO timeline VALUES(2,2,1795510800000,'created','carla',NULL,'{"pipeline":1,"stage":"NEW","title":"Lead 2"}');
INSERT INTO timeline VALUES(3,3,1795510800000,'created','carla',NULL,'{"pipeline":1,"stage":"NEW","title":"Lead 3"}');
INSERT INTO timeline VALUES(4,4,1795510800000,'created','carla',NULL,'{"pipeline":1,"stage":"NEW","title":"Lead 4"}');
INSERT INTO timeline VALUES(5,5,1795510800000,'created','anna',NULL,'{"pipeline":1,"stage":"NEW","title":"Lead 5"}');
INSERT INTO timeline VALUES(6,6,1795510800000,'created','ben',NULL,'{"pipeline":1,"stage":"NEW","title":"Lead 6"}');
INSERT INTO timeline VALUES(7,7,1795510800000,'created','anna',NULL,'{"pipeline":1,"stage":"NEW","title":"Lead 7"}');
INSERT INTO timeline VALUES(8,8,1795510800000,'created','anna',NULL,'{"pipeline":1,"stage":"NEW","title":"Lead 8"}');
INSERT INTO timeline VALUES(9,9,1795510800000,'created','anna',NULL,'{"pipeline":1,"stage":"NEW","title":"Lead 9"}');
INSERT INTO timeline VALUES(10,10,1795510800000,'created','carla',NULL,'{"pipeline":1,"stage":"NEW","title":"Lead 10"}');
INSERT INTO timeline VALUES(11,11,1795510800000,'created','anna',NULL,'{"pipeline":1,"stage":"NEW","title":"Lead 11"}');
INSERT INTO timeline VALUES(12,12,1795510800000,'created','carla',NULL,'{"pipeline":1,"stage":"NEW","title":"Lead 12"}');
INSERT INTO timeline VALUES(13,10,1795000000000,'email.sent','system',1,'{"event":1,"data":{"email":"m0","subject":"Angebot","to":"client10@example.com"}}');
INSERT INTO timeline VALUES(14,10,1795000000000,'stage_changed','carla',1,'{"from":"NEW","to":"IN_PROCESS","trigger":5,"event":1}');
INSERT INTO timeline VALUES(15,12,1795000003000,'email.opened','system',2,'{"event":2,"data":{"email":"unknown1"}}');
INSERT INTO timeline VALUES(16,12,1795000006000,'payment.received','system',3,'{"event":3,"data":{"amount":"1200.00","currency":"EUR","invoice":"inv2"}}');
INSERT INTO timeline VALUES(17,12,1795000006000,'stage_changed','carla',3,'{"from":"NEW","to":"CONVERTED","trigger":17,"event":3}');
INSERT INTO timeline VALUES(18,11,1795000009000,'email.received','system',4,'{"event":4,"data":{"email":"r3","from":"client11@example.com","subject":"Frage"}}');
INSERT INTO timeline VALUES(19,11,1795000009000,'stage_changed','anna',4,'{"from":"NEW","to":"IN_PROCESS","trigger":9,"event":4}');
INSERT INTO timeline VALUES(20,1,1795000012000,'email.link_clicked','system',5,'{"event":5,"data":{"url":"https://shop.example/pricing?m=1"}}');
INSERT INTO timeline VALUES(21,1,1795000012000,'stage_changed','ben',5,'{"from":"NEW","to":"PROCESSED","trigger":7,"event":5}');
INSERT INTO timeline VALUES(22,11,1795000015000,'call.missed','system',6,'{"event":6,"data":{"call":"c5","duration":115,"line":"hotline"}}');
INSERT INTO timeline VALUES(23,11,1795000015000,'stage_changed','anna',6,'{"from":"IN_PROCESS","to":"CONVERTED","trigger":25,"event":6}');
INSERT INTO timeline VALUES(24,6,1795000018000,'email.link_clicked','system',7,'{"event":7,"data":{"url":"https://shop.example/pricing?m=1"}}');
INSERT INTO timeline VALUES(25,6,1795000018000,'stage_changed','ben',7,'{"from":"NEW","to":"PROCESSED","trigger":7,"event":7}');
INSERT INTO timeline VALUES(26,7,1795000021000,'chat.message','system',8,'{"event":8,"data":{"chat":"chat7","text":"Hallo"}}');
INSERT INTO timeline VALUES(27,7,1795000021000,'stage_changed','anna',8,'{"from":"NEW","to":"IN_PROCESS","trigger":10,"event":8}');
INSERT INTO timeline VALUES(28,10,1795000024000,'call.outgoing','system',9,'{"event":9,"data":{"call":"c8","duration":221,"line":"hotline"}}');
INSERT INTO timeline VALUES(29,7,1795000027000,'email.sent','system',10,'{"event":10,"data":{"email":"m9","subject":"Angebot","to":"client7@example.com"}}');
INSERT INTO timeline VALUES(30,3,1795000030000,'custom','system',11,'{"event":11,"data":{"code":"unsubscribe"}}');
INSERT INTO timeline VALUES(31,3,1795000030000,'stage_changed','carla',11,'{"from":"NEW","to":"JUNK","trigger":19,"event":11}');
INSERT INTO timeline VALUES(32,3,1795000033000,'custom','system',12,'{"event":12,"data":{"code":"webinar"}}');
INSERT INTO timeline VALUES(33,3,1795000036000,'chat.message','system',13,'{"event":13,"data":{"chat":"chat3","text":"Bitte ABMELDEN"}}');
INSERT INTO timeline VALUES(34,3,1795000039000,'call.incoming','system',14,'{"event":14,"data":{"call":"c13","duration":5,"line":"hotline"}}');
INSERT INTO timeline VALUES(35,4,1795000042000,'custom','system',15,'{"event":15,"data":{"code":"webinar"}}');
INSERT INTO timeline VALUES(36,4,1795000042000,'stage_changed','carla',15,'{"from":"NEW","to":"PROCESSED","trigger":18,"event":15}');
INSERT INTO timeline VALUES(37,3,1795000045000,'call.incoming','system',16,'{"event":16,"data":{"call":"c15","duration":321,"line":"sales"}}');
INSERT INTO timeline VALUES(38,4,1795000048000,'chat.message','system',17,'{"event":17,"data":{"chat":"chat4","text":"Bitte Bestellung morgen liefern"}}');
INSERT INTO timeline VALUES(39,3,1795000051000,'form.submitted','system',18,'{"event":18,"data":{"form":"callback","kind":"webform"}}');
INSERT INTO timeline VALUES(40,5,1795000054000,'call.missed','system',19,'{"event":19,"data":{"call":"c18","duration":424,"line":"sales"}}');
INSERT INTO timeline VALUES(41,5,1795000054000,'stage_changed','anna',19,'{"from":"NEW","to":"IN_PROCESS","trigger":1,"event":19}');
INSERT INTO timeline VALUES(42,3,1795000057000,'call.incoming','system',20,'{"event":20,"data":{"call":"c19","duration":66,"line":"sales"}}');
INSERT INTO timeline VALUES(43,6,1795000060000,'email.sent','system',21,'{"event":21,"data":{"email":"m20","subject":"Angebot","to":"client6@example.com"}}');
INSERT INTO timeline VALUES(44,10,1795000063000,'chat.message','system',22,'{"event":22,"data":{"chat":"chat10","text":"Hallo"}}');
INSERT INTO timeline VALUES(45,10,1795000066000,'chat.answered','system',23,'{"event":23,"data":{"chat":"chat10"}}');
INSERT INTO timeline VALUES(46,12,1795000069000,'email.sent','system',24,'{"event":24,"data":{"email":"m23","subject":"Angebot","to":"client12@example.com"}}');
INSERT INTO timeline VALUES(47,2,1795000072000,'email.sent','system',25,'{"event":25,"data":{"email":"m24","subject":"Angebot","to":"client2@example.com"}}');
INSERT INTO timeline VALUES(48,2,1795000072000,'stage_changed','carla',25,'{"from":"NEW","to":"IN_PROCESS","trigger":5,"event":25}');
INSERT INTO timeline VALUES(49,6,1795000075000,'email.sent','system',26,'{"event":26,"data":{"email":"m25","subject":"Angebot","to":"client6@example.com"}}');
INSERT INTO timeline VALUES(50,8,1795000078000,'form.submitted','system',27,'{"event":27,"data":{"form":"contact","kind":"callback"}}');
INSERT INTO timeline VALUES(51,8,1795000078000,'stage_changed','anna',27,'{"from":"NEW","to":"IN_PROCESS","trigger":15,"event":27}');
INSERT INTO timeline VALUES(52,8,1795000081000,'email.link_clicked','system',28,'{"event":28,"data":{"url":"https://shop.example/checkout"}}');
INSERT INTO timeline VALUES(53,8,1795000081000,'stage_changed','anna',28,'{"from":"IN_PROCESS","to":"CONVERTED","trigger":8,"event":28}');
INSERT INTO timeline VALUES(54,3,1795000084000,'call.missed','system',29,'{"event":29,"data":{"call":"c28","duration":23,"line":"sales"}}');
INSERT INTO timeline VALUES(55,12,1795000087000,'email.opened','system',30,'{"event":30,"data":{"email":"m23"}}');
INSERT INTO timeline VALUES(56,7,1795510800000,'field.changed','system',31,'{"event":31,"data":{"fields":{"budget":"9000"}}}');
INSERT INTO timeline VALUES(57,7,1795510800000,'stage_changed','anna',31,'{"from":"IN_PROCESS","to":"PROCESSED","trigger":22,"event":31}');
INSERT INTO timeline VALUES(58,7,1795510800000,'field.changed','system',32,'{"event":32,"data":{"fields":{"budget":"9000"}}}');
INSERT INTO timeline VALUES(59,9,1795510800000,'responsible.changed','anna',33,'{"event":33,"data":{"responsible":"ben"}}');
INSERT INTO timeline VALUES(60,9,1795510800000,'stage_changed','ben',33,'{"from":"NEW","to":"IN_PROCESS","trigger":23,"event":33}');
INSERT INTO timeline VALUES(61,10,1795510800000,'custom','system',34,'{"event":34,"data":{"code":"unsubscribe"}}');
INSERT INTO timeline VALUES(62,10,1795510800000,'stage_changed','carla',34,'{"from":"IN_PROCESS","to":"JUNK","trigger":19,"event":34}');
INSERT INTO timeline VALUES(63,10,1795510800000,'custom','system',35,'{"event":35,"data":{"code":"webinar"}}');
INSERT INTO timeline VALUES(64,11,1795170000000,'chat.answered','ben',36,'{"event":36,"data":{"chat":"late"}}');
INSERT INTO timeline VALUES(65,12,1795510800000,'chat.answered','system',37,'{"event":37,"data":{"chat":"never"}}');
INSERT INTO timeline VALUES(66,7,1795000090000,'call.missed','system',38,'{"event":38,"data":{"call":"c30","duration":428,"line":"spam"}}');
INSERT INTO timeline VALUES(67,7,1795000090000,'stage_changed','anna',38,'{"from":"PROCESSED","to":"JUNK","trigger":20,"event":38}');
INSERT INTO timeline VALUES(68,6,1795000093000,'email.opened','system',39,'{"event":39,"data":{"email":"m25"}}');
INSERT INTO timeline VALUES(69,10,1795000096000,'call.missed','system',40,'{"event":40,"data":{"call":"c32","duration":47,"line":"sales"}}');
INSERT INTO timeline VALUES(70,12,1795000099000,'call.incoming','system',41,'{"event":41,"data":{"call":"c33","duration":201,"line":"spam"}}');
INSERT INTO timeline VALUES(71,2,1795000102000,'payment.received','system',42,'{"event":42,"data":{"amount":"1200.00","currency":"EUR","invoice":"inv34"}}');
INSERT INTO timeline VALUES(72,2,1795000102000,'stage_changed','carla',42,'{"from":"IN_PROCESS","to":"CONVERTED","trigger":17,"event":42}');
INSERT INTO timeline VALUES(73,4,1795000105000,'email.link_clicked','system',43,'{"event":43,"data":{"url":"https://shop.example/blog"}}');
INSERT INTO timeline VALUES(74,9,1795000108000,'email.opened','system',44,'{"event":44,"data":{"email":"unknown36"}}');
INSERT INTO timeline VALUES(75,9,1795000111000,'email.sent','system',45,'{"event":45,"data":{"email":"m37","subject":"Angebot","to":"client9@example.com"}}');
INSERT INTO timeline VALUES(76,8,1795000114000,'call.missed','system',46,'{"event":46,"data":{"call":"c38","duration":376,"line":"spam"}}');
INSERT INTO timeline VALUES(77,8,1795000114000,'stage_changed','anna',46,'{"from":"CONVERTED","to":"JUNK","trigger":20,"event":46}');
INSERT INTO timeline VALUES(78,5,1795000117000,'call.missed','system',47,'{"event":47,"data":{"call":"c39","duration":93,"line":"sales"}}');
INSERT INTO timeline VALUES(79,5,1795000117000,'stage_changed','anna',47,'{"from":"IN_PROCESS","to":"PROCESSED","trigger":2,"event":47}');
INSERT INTO timeline VALUES(80,4,1795000120000,'email.sent','system',48,'{"event":48,"data":{"email":"m40","subject":"Angebot","to":"client4@example.com"}}');
INSERT INTO timeline VALUES(81,9,1795000123000,'chat.message','system',49,'{"event":49,"data":{"chat":"chat9","text":"Preis?"}}');
INSERT INTO timeline VALUES(82,3,1795000126000,'email.sent','system',50,'{"event":50,"data":{"email":"m42","subject":"Angebot","to":"client3@example.com"}}');
INSERT INTO timeline VALUES(83,5,1795000129000,'form.submitted','system',51,'{"event":51,"data":{"form":"callback","kind":"webform"}}');
INSERT INTO timeline VALUES(84,11,1795000132000,'email.sent','system',52,'{"event":52,"data":{"email":"m44","subject":"Angebot","to":"client11@example.com"}}');
INSERT INTO timeline VALUES(85,5,1795000135000,'call.incoming','system',53,'{"event":53,"data":{"call":"c45","duration":152,"line":"hotline"}}');
INSERT INTO timeline VALUES(86,12,1795000138000,'form.submitted','system',54,'{"event":54,"data":{"form":"contact","kind":"webform"}}');
INSERT INTO timeline VALUES(87,3,1795000141000,'form.submitted','system',55,'{"event":55,"data":{"form":"callback","kind":"callback"}}');
INSERT INTO timeline VALUES(88,10,1795000144000,'chat.message','system',56,'{"event":56,"data":{"chat":"chat10","text":"Bitte ABMELDEN"}}');
INSERT INTO timeline VALUES(89,1,1795000147000,'call.outgoing','system',57,'{"event":57,"data":{"call":"c49","duration":352,"line":"spam"}}');
INSERT INTO timeline VALUES(90,5,1795000150000,'email.link_clicked','system',58,'{"event":58,"data":{"url":"https://shop.example/checkout"}}');
INSERT INTO timeline VALUES(91,5,1795000150000,'stage_changed','anna',58,'{"from":"PROCESSED","to":"CONVERTED","trigger":8,"event":58}');
INSERT INTO timeline VALUES(92,7,1795000153000,'call.incoming','system',59,'{"event":59,"data":{"call":"c51","duration":33,"line":"hotline"}}');
INSERT INTO timeline VALUES(93,8,1795000156000,'email.sent','system',60,'{"event":60,"data":{"email":"m52","subject":"Angebot","to":"client8@example.com"}}');
INSERT INTO timeline VALUES(94,4,1795000159000,'call.incoming','system',61,'{"event":61,"data":{"call":"c53","duration":577,"line":"spam"}}');
INSERT INTO timeline VALUES(95,3,1795000162000,'chat.message','system',62,'{"event":62,"data":{"chat":"chat3","text":"Bitte ABMELDEN"}}');
INSERT INTO timeline VALUES(96,2,1795000165000,'call.incoming','system',63,'{"event":63,"data":{"call":"c55","duration":381,"line":"sales"}}');
INSERT INTO timeline VALUES(97,3,1795000168000,'call.missed','system',64,'{"event":64,"data":{"call":"c56","duration":301,"line":"sales"}}');
INSERT INTO timeline VALUES(98,3,1795000171000,'email.link_clicked','system',65,'{"event":65,"data":{"url":"https://shop.example/checkout"}}');
INSERT INTO timeline VALUES(99,3,1795000174000,'email.received','system',66,'{"event":66,"data":{"email":"r58","from":"client3@example.com","subject":"Frage"}}');
INSERT INTO timeline VALUES(100,8,1795000177000,'email.received','system',67,'{"event":67,"data":{"email":"r59","from":"client8@example.com","subject":"Frage"}}');
INSERT INTO timeline VALUES(101,3,1795510800000,'custom','system',68,'{"event":68,"data":{"code":"webinar"}}');
INSERT INTO timeline VALUES(102,4,1795510800000,'document.created','anna',69,'{"event":69,"data":{"ref":"C-1","template":"contract"}}');
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
INSERT INTO documents VALUES(1,'C-1',4,'contract',NULL,'anna',1795510800000,NULL,NULL,NULL,NULL,NULL);
CREATE TABLE sent_emails (
    id          INTEGER PRIMARY KEY,
    element     INTEGER NOT NULL REFERENCES elements (id),
    message_id  TEXT NOT NULL,
    at          INTEGER NOT NULL,
    opened_at   INTEGER,
    event       INTEGER NOT NULL
);
INSERT INTO sent_emails VALUES(1,10,'m0',1795000000000,NULL,1);
INSERT INTO sent_emails VALUES(2,7,'m9',1795000027000,NULL,10);
INSERT INTO sent_emails VALUES(3,6,'m20',1795000060000,NULL,21);
INSERT INTO sent_emails VALUES(4,12,'m23',1795000069000,1795000087000,24);
INSERT INTO sent_emails VALUES(5,2,'m24',1795000072000,NULL,25);
INSERT INTO sent_emails VALUES(6,6,'m25',1795000075000,1795000093000,26);
INSERT INTO sent_emails VALUES(7,9,'m37',1795000111000,NULL,45);
INSERT INTO sent_emails VALUES(8,4,'m40',1795000120000,NULL,48);
INSERT INTO sent_emails VALUES(9,3,'m42',1795000126000,NULL,50);
INSERT INTO sent_emails VALUES(10,11,'m44',1795000132000,NULL,52);
INSERT INTO sent_emails VALUES(11,8,'m52',1795000156000,NULL,60);
CREATE TABLE chats (
    element           INTEGER NOT NULL REFERENCES elements (id),
    chat              TEXT NOT NULL,
    channel           TEXT,
    first_message_at  INTEGER,
    answered_at       INTEGER,
    PRIMARY KEY (element, chat)
) WITHOUT ROWID;
INSERT INTO chats VALUES(3,'chat3',NULL,1795000036000,NULL);
INSERT INTO chats VALUES(4,'chat4',NULL,1795000048000,NULL);
INSERT INTO chats VALUES(7,'chat7',NULL,1795000021000,NULL);
INSERT INTO chats VALUES(9,'chat9',NULL,1795000123000,NULL);
INSERT INTO chats VALUES(10,'chat10',NULL,1795000063000,1795000066000);
INSERT INTO chats VALUES(11,'late',NULL,NULL,1795170000000);
INSERT INTO chats VALUES(12,'never',NULL,NULL,1795510800000);
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
INSERT INTO rules VALUES(1,'PROCESSED: note',1,'PROCESSED','note','{"text":"processed {title}"}','{}','[]',NULL,1,0);
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
DELETE FROM sqlite_sequence;
INSERT INTO sqlite_sequence VALUES('triggers',26);
INSERT INTO sqlite_sequence VALUES('rules',1);
CREATE INDEX elements_by_pipeline_stage ON elements (pipeline, stage);
CREATE INDEX elements_by_email ON elements (email_key) WHERE email_key IS NOT NULL;
CREATE INDEX elements_by_phone ON elements (phone_key) WHERE phone_key IS NOT NULL;
CREATE INDEX events_by_element ON events (element);
CREATE INDEX timeline_by_element ON timeline (element, id);
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
CREATE UNIQUE INDEX elements_by_key ON elements (key) WHERE key IS NOT NULL;
COMMIT;
PRAGMA user_version = 4;
