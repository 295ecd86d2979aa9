-- The first schema. Plain SQL that also reads as PostgreSQL where a
-- portable form exists (partial indexes, no AUTOINCREMENT); times are
-- stored as fixed-width UTC text so they sort as they compare.

CREATE TABLE staff (
	id     INTEGER PRIMARY KEY,
	hsa_id TEXT NOT NULL UNIQUE,
	name   TEXT NOT NULL,
	email  TEXT NOT NULL DEFAULT '',
	active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE staff_roles (
	staff_id INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
	role     TEXT NOT NULL,
	PRIMARY KEY (staff_id, role)
);

CREATE TABLE cases (
	id                INTEGER PRIMARY KEY,
	type              TEXT NOT NULL,
	unit              TEXT NOT NULL DEFAULT '',
	reference         TEXT,
	message_id        TEXT,
	received_at       TEXT NOT NULL,
	due_date          TEXT NOT NULL,
	status            TEXT NOT NULL,
	assignee          TEXT,
	first_feedback_at TEXT,
	closed_at         TEXT,
	branch            TEXT NOT NULL DEFAULT '',
	patient_pnr       TEXT,
	patient_name      TEXT,
	created_at        TEXT NOT NULL,
	updated_at        TEXT NOT NULL
);

CREATE UNIQUE INDEX cases_reference ON cases (reference) WHERE reference IS NOT NULL;
CREATE INDEX cases_message_id ON cases (message_id) WHERE message_id IS NOT NULL;
CREATE INDEX cases_open_due ON cases (due_date, received_at) WHERE status <> 'avslutad';
CREATE INDEX cases_due ON cases (due_date, received_at);
CREATE INDEX cases_type_due ON cases (type, due_date, received_at);
CREATE INDEX cases_status_due ON cases (status, due_date, received_at);
CREATE INDEX cases_assignee_due ON cases (assignee, due_date, received_at);
CREATE INDEX cases_patient ON cases (patient_pnr) WHERE patient_pnr IS NOT NULL;

CREATE TABLE case_steps (
	case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	step    TEXT NOT NULL,
	done_by TEXT NOT NULL,
	done_at TEXT NOT NULL,
	PRIMARY KEY (case_id, step)
);

CREATE TABLE case_events (
	id      INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	kind    TEXT NOT NULL,
	actor   TEXT NOT NULL,
	at      TEXT NOT NULL,
	detail  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_events_case ON case_events (case_id, id);
CREATE INDEX case_events_notes ON case_events (kind, case_id) WHERE kind = 'note';

-- Who is 1177-ansvarig on each working day.
CREATE TABLE schedule (
	day    TEXT PRIMARY KEY,
	hsa_id TEXT NOT NULL
);

-- The clinic's own closed days (klämdagar), beside the public holidays.
CREATE TABLE closed_days (
	day   TEXT PRIMARY KEY,
	label TEXT NOT NULL
);

CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

-- Every message intake has seen, by key (Message-ID or a hash), with what
-- became of it: the guard against making a case twice.
CREATE TABLE ledger (
	msg_key  TEXT PRIMARY KEY,
	source   TEXT NOT NULL,
	outcome  TEXT NOT NULL,
	case_id  INTEGER REFERENCES cases (id) ON DELETE SET NULL,
	seen_at  TEXT NOT NULL
);

CREATE TABLE quarantine (
	id       INTEGER PRIMARY KEY,
	msg_key  TEXT NOT NULL,
	source   TEXT NOT NULL,
	reason   TEXT NOT NULL,
	raw      BLOB NOT NULL,
	taken_at TEXT NOT NULL
);

-- Where IMAP intake stands in each mailbox.
CREATE TABLE sync_state (
	account      TEXT PRIMARY KEY,
	uid_validity INTEGER NOT NULL,
	last_uid     INTEGER NOT NULL
);

-- The access log. Append-only: the triggers below refuse changes, and each
-- row's hash chains to the previous row's, so edits made outside the
-- product are found by "audit verify".
CREATE TABLE audit_log (
	id        INTEGER PRIMARY KEY,
	at        TEXT NOT NULL,
	actor     TEXT NOT NULL,
	unit      TEXT NOT NULL DEFAULT '',
	patient   TEXT NOT NULL DEFAULT '',
	case_id   INTEGER,
	action    TEXT NOT NULL,
	detail    TEXT NOT NULL DEFAULT '',
	prev_hash TEXT NOT NULL,
	hash      TEXT NOT NULL
);
CREATE INDEX audit_log_patient ON audit_log (patient, at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
