-- PostgreSQL mirror of data/migrations/0003_search.sql: faster inbox
-- queries, and substring search over reference, unit and notes.
--
-- SQLite keeps the search text in an FTS5 trigram table case_search
-- (rowid = case id). Here case_search is a plain table with the same
-- columns, rowid and body, so the store's writes to it (INSERT ... (rowid,
-- body), DELETE ... WHERE rowid = ?) and its per-case read are the same
-- SQL on both backends; only the test differs: SQLite asks GLOB or an FTS5
-- phrase MATCH, PostgreSQL asks body LIKE '%term%', which a pg_trgm GIN
-- index serves. body is lower-cased by the program (strings.ToLower, on
-- both backends), and the term too, so å, ä and ö fold whatever the
-- server's locale; LIKE then needs no case folding of its own.
--
-- pg_trgm is a trusted extension (PostgreSQL 13 and later): the role that
-- owns the database may create it without being superuser.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX cases_open_type_due ON cases (type, due_date, received_at) WHERE status <> 'avslutad';
CREATE INDEX cases_open_assignee_due ON cases (assignee, due_date, received_at) WHERE status <> 'avslutad';
CREATE INDEX cases_status_closed ON cases (status, closed_at, id);
CREATE INDEX cases_open_unanswered_due ON cases (due_date, received_at) WHERE status <> 'avslutad' AND first_feedback_at IS NULL;

-- The same text on the case itself, for searching within the open cases
-- (a few thousand, scanned through the open index).
ALTER TABLE cases ADD COLUMN search TEXT NOT NULL DEFAULT '';

-- One row per case: its reference, unit and notes in lower case, kept by
-- the store whenever the case or its notes change.
CREATE TABLE case_search (
	rowid BIGINT PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
	body  TEXT NOT NULL
);
CREATE INDEX case_search_body_trgm ON case_search USING gin (body gin_trgm_ops);

-- The prescription log's search (SQLite scans it with LIKE).
CREATE INDEX recept_log_search_trgm ON recept_log USING gin (search_text gin_trgm_ops);

-- Cases already there (none on a new database: PostgreSQL databases start
-- at this schema or are filled by "migrate --to" after it). The server's
-- lower() folds å, ä, ö only under a UTF-8 locale; the store rewrites each
-- row lowered in Go when the case next changes.
INSERT INTO case_search (rowid, body)
SELECT c.id, lower(COALESCE(c.reference, '') || ' ' || c.unit || ' ' ||
	COALESCE((SELECT string_agg(e.detail, ' ' ORDER BY e.id) FROM case_events e WHERE e.case_id = c.id AND e.kind = 'note'), ''))
FROM cases c;

UPDATE cases SET search = (SELECT body FROM case_search WHERE rowid = cases.id);

-- SQLite's FTS5 'secure-delete' has no counterpart: PostgreSQL leaves a
-- removed or updated row's old version in the table file until VACUUM
-- reclaims it. Retention (gallring) therefore runs VACUUM on the tables it
-- changed after its transaction commits.
