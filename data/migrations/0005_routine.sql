-- Issue 12: the routine, all of it. What a case keeps after the first
-- feedback, the values the store selects and orders cases by (derived
-- from the case by app.Case.Derived at every save), and the record of the
-- morning check.

-- Kept with the case (app.Case).
ALTER TABLE cases ADD COLUMN citizen_answered_at TEXT;
ALTER TABLE cases ADD COLUMN next_feedback_due TEXT;
ALTER TABLE cases ADD COLUMN last_feedback_at TEXT;
ALTER TABLE cases ADD COLUMN last_action_at TEXT;
-- The feedback given, oldest first: JSON [{"at","kind","step"}], '' when
-- none.
ALTER TABLE cases ADD COLUMN feedback TEXT NOT NULL DEFAULT '';

-- Derived (app.CaseDerived), rewritten at every save; they never depend on
-- the day, so "today" is a parameter of the queries, not of the rows.
-- feedback_due: the date the next feedback is owed by, NULL when none is.
ALTER TABLE cases ADD COLUMN feedback_due TEXT;
ALTER TABLE cases ADD COLUMN citizen_pending INTEGER NOT NULL DEFAULT 0;
-- steps_left NULL: not computed yet. The routine's checklists live in the
-- program, so the store fills the rows this migration leaves NULL when it
-- opens the database (fillDerived), before anything reads them.
ALTER TABLE cases ADD COLUMN steps_left INTEGER;
ALTER TABLE cases ADD COLUMN melior_open INTEGER NOT NULL DEFAULT 0;
-- The Stockholm date of the last action (or of receipt).
ALTER TABLE cases ADD COLUMN last_action_date TEXT;

-- What SQL can say of existing cases: the last action a person took, and
-- the first clock while no feedback was given (nobody had answered a
-- motfråga in a way the store kept).
UPDATE cases SET last_action_at = (SELECT MAX(e.at) FROM case_events e
	WHERE e.case_id = cases.id AND e.kind <> 'received' AND (e.actor <> 'system' OR e.kind = 'invanare-svarat'));
UPDATE cases SET feedback_due = due_date WHERE status <> 'avslutad' AND first_feedback_at IS NULL;

-- "Mest brådskande först": the owed cases by the date feedback is owed by
-- (overdue, due today, then the rest), the open ones owing none by due
-- date; the closed ones by due date (cases_status_due).
CREATE INDEX cases_owed ON cases (feedback_due, received_at, id) WHERE feedback_due IS NOT NULL;
-- The same stretches within a type, an assignee, a status, and split by
-- whether the citizen has answered: without them the planner walks every
-- case of the type (or assignee, or status) and sorts.
CREATE INDEX cases_owed_type ON cases (type, feedback_due, received_at, id) WHERE feedback_due IS NOT NULL;
CREATE INDEX cases_owed_assignee ON cases (assignee, feedback_due, received_at, id) WHERE feedback_due IS NOT NULL;
CREATE INDEX cases_owed_status ON cases (status, feedback_due, received_at, id) WHERE feedback_due IS NOT NULL;
CREATE INDEX cases_owed_citizen ON cases (citizen_pending, feedback_due, received_at, id) WHERE feedback_due IS NOT NULL;
CREATE INDEX cases_open_not_owed ON cases (due_date, received_at, id) WHERE status <> 'avslutad' AND feedback_due IS NULL;
-- Efterarbete (closed, steps left), Melior not closed, stale, new since.
CREATE INDEX cases_efterarbete ON cases (due_date, received_at, id) WHERE status = 'avslutad' AND steps_left > 0;
CREATE INDEX cases_efterarbete_assignee ON cases (assignee, due_date, received_at, id) WHERE status = 'avslutad' AND steps_left > 0;
CREATE INDEX cases_melior ON cases (due_date, received_at) WHERE status <> 'avslutad' AND melior_open = 1;
CREATE INDEX cases_open_last_action ON cases (last_action_date) WHERE status <> 'avslutad';
CREATE INDEX cases_received ON cases (received_at);
-- The rows whose derived values the store has still to compute (none
-- once it has opened the database).
CREATE INDEX cases_derived_missing ON cases (id) WHERE steps_left IS NULL;

-- "Morgonkollen klar": who recorded the day's check of incoming cases, and
-- when. A second check of the same day is kept too.
CREATE TABLE morning_checks (
	day    TEXT NOT NULL,
	hsa_id TEXT NOT NULL,
	at     TEXT NOT NULL,
	PRIMARY KEY (day, hsa_id, at)
);
