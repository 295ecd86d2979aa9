-- PostgreSQL mirror of data/migrations/0006_presence.sql (issue 11): who
-- has a case open right now (collision detection). One row per window and
-- case; a window renews its row every 20 s while the case is open and
-- removes it when it closes the case. Rows not renewed for 60 s no longer
-- count (a desk that crashed) and are removed by the next write. No
-- foreign key: presence is not part of a case's record.
CREATE TABLE presence (
	session TEXT NOT NULL,
	case_id BIGINT NOT NULL,
	hsa_id  TEXT NOT NULL,
	since   TEXT COLLATE "C" NOT NULL,
	seen    TEXT COLLATE "C" NOT NULL,
	PRIMARY KEY (session, case_id)
);
CREATE INDEX presence_case ON presence (case_id);
