-- PostgreSQL mirror of data/migrations/0005_routine.sql (issue 12): what a
-- case keeps after the first feedback, the derived values the store
-- selects and orders by, and the record of the morning check. Booleans
-- are INTEGER 0/1 as on SQLite, so the store's SQL is the same.

ALTER TABLE cases ADD COLUMN citizen_answered_at TEXT COLLATE "C";
ALTER TABLE cases ADD COLUMN next_feedback_due TEXT COLLATE "C";
ALTER TABLE cases ADD COLUMN last_feedback_at TEXT COLLATE "C";
ALTER TABLE cases ADD COLUMN last_action_at TEXT COLLATE "C";
ALTER TABLE cases ADD COLUMN feedback TEXT NOT NULL DEFAULT '';

ALTER TABLE cases ADD COLUMN feedback_due TEXT COLLATE "C";
ALTER TABLE cases ADD COLUMN citizen_pending INTEGER NOT NULL DEFAULT 0;
-- NULL: not computed yet; the store fills it when it opens the database.
ALTER TABLE cases ADD COLUMN steps_left INTEGER;
ALTER TABLE cases ADD COLUMN melior_open INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN last_action_date TEXT COLLATE "C";

UPDATE cases SET last_action_at = (SELECT MAX(e.at) FROM case_events e
	WHERE e.case_id = cases.id AND e.kind <> 'received' AND (e.actor <> 'system' OR e.kind = 'invanare-svarat'));
UPDATE cases SET feedback_due = due_date WHERE status <> 'avslutad' AND first_feedback_at IS NULL;

CREATE INDEX cases_owed ON cases (feedback_due, received_at, id) WHERE feedback_due IS NOT NULL;
-- The same stretches within a type, an assignee, a status, and split by
-- whether the citizen has answered: without them the planner walks every
-- case of the type (or assignee, or status) and sorts.
CREATE INDEX cases_owed_type ON cases (type, feedback_due, received_at, id) WHERE feedback_due IS NOT NULL;
CREATE INDEX cases_owed_assignee ON cases (assignee, feedback_due, received_at, id) WHERE feedback_due IS NOT NULL;
CREATE INDEX cases_owed_status ON cases (status, feedback_due, received_at, id) WHERE feedback_due IS NOT NULL;
CREATE INDEX cases_owed_citizen ON cases (citizen_pending, feedback_due, received_at, id) WHERE feedback_due IS NOT NULL;
CREATE INDEX cases_open_not_owed ON cases (due_date, received_at, id) WHERE status <> 'avslutad' AND feedback_due IS NULL;
CREATE INDEX cases_efterarbete ON cases (due_date, received_at, id) WHERE status = 'avslutad' AND steps_left > 0;
CREATE INDEX cases_efterarbete_assignee ON cases (assignee, due_date, received_at, id) WHERE status = 'avslutad' AND steps_left > 0;
CREATE INDEX cases_melior ON cases (due_date, received_at) WHERE status <> 'avslutad' AND melior_open = 1;
CREATE INDEX cases_open_last_action ON cases (last_action_date) WHERE status <> 'avslutad';
CREATE INDEX cases_received ON cases (received_at);
-- The rows whose derived values the store has still to compute (none
-- once it has opened the database).
CREATE INDEX cases_derived_missing ON cases (id) WHERE steps_left IS NULL;

CREATE TABLE morning_checks (
	day    TEXT COLLATE "C" NOT NULL,
	hsa_id TEXT NOT NULL,
	at     TEXT COLLATE "C" NOT NULL,
	PRIMARY KEY (day, hsa_id, at)
);
