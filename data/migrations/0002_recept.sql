-- Issue 6: the receptförfrågningslogg, and an index for statistics.

-- One row per prescription request a nurse noted (the clinic's old sheet
-- "Receptförfrågningar BUP.xlsx"). search_text is the lower-cased text the
-- log's search runs over (name, läkemedel, läkare, personnummer), lowered
-- by the program so that å, ä and ö fold as well (SQLite's LOWER folds
-- ASCII only).
CREATE TABLE recept_log (
	id           INTEGER PRIMARY KEY,
	case_id      INTEGER REFERENCES cases (id) ON DELETE SET NULL,
	day          TEXT NOT NULL,
	patient_pnr  TEXT NOT NULL,
	patient_name TEXT NOT NULL,
	lakemedel    TEXT NOT NULL,
	lakare       TEXT NOT NULL,
	status       TEXT NOT NULL CHECK (status IN ('mottagen', 'skickad-till-lakare', 'fornyad', 'avbojd')),
	note         TEXT NOT NULL DEFAULT '',
	nurse        TEXT NOT NULL,
	created_at   TEXT NOT NULL,
	updated_at   TEXT NOT NULL,
	search_text  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX recept_log_day ON recept_log (day, id);
CREATE INDEX recept_log_case ON recept_log (case_id) WHERE case_id IS NOT NULL;
CREATE INDEX recept_log_patient ON recept_log (patient_pnr);
CREATE INDEX recept_log_nurse ON recept_log (nurse, day);

-- Statistics read every case received in a period: a covering index makes
-- that one range scan without touching the table.
CREATE INDEX cases_stats ON cases (received_at, type, unit, due_date, first_feedback_at, closed_at);
