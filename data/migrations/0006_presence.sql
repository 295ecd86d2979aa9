-- Issue 11: who has a case open right now (collision detection). One row
-- per window and case; a window renews its row every 20 s while the case
-- is open and removes it when it closes the case. Rows not renewed for
-- 60 s no longer count (a desk that crashed) and are removed by the next
-- write. No foreign key: presence is not part of a case's record.
CREATE TABLE presence (
	session TEXT NOT NULL,
	case_id INTEGER NOT NULL,
	hsa_id  TEXT NOT NULL,
	since   TEXT NOT NULL,
	seen    TEXT NOT NULL,
	PRIMARY KEY (session, case_id)
);
CREATE INDEX presence_case ON presence (case_id);
