-- PostgreSQL mirror of data/migrations/0013_open_search.sql (issue 11,
-- performance: the inbox's search at 100,000 cases).
--
-- open_search holds, for every open case (status <> 'avslutad') and for
-- no other, its type and its search text (cases.search). A search among
-- the open cases then reads this narrow table whole (about 40 pages for
-- 5,000 open cases) where it read each open case's row of cases, one page
-- each, scattered over the table (cases_open_search_trgm cannot answer a
-- LIKE without that recheck of the row). Kept by the trigger below, in
-- the transaction of every write to cases; migrate --to copies it as it
-- copies every table (with the triggers off).
CREATE TABLE open_search (
	id     BIGINT PRIMARY KEY,
	type   TEXT NOT NULL,
	search TEXT NOT NULL
);

INSERT INTO open_search (id, type, search) SELECT id, type, search FROM cases WHERE status <> 'avslutad';

-- A rare term is found through the trigram index, a common one by reading
-- the table (the planner chooses by the term). Without it a rare term read
-- the whole table, which keeps the pages it once had: after many cases
-- closed its few thousand rows may be spread over a thousand pages.
CREATE INDEX open_search_trgm ON open_search USING gin (search gin_trgm_ops);

CREATE FUNCTION open_search_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' OR NEW.status = 'avslutad' THEN
		DELETE FROM open_search WHERE id = OLD.id;
		RETURN NULL;
	END IF;
	INSERT INTO open_search (id, type, search) VALUES (NEW.id, NEW.type, NEW.search)
		ON CONFLICT (id) DO UPDATE SET type = EXCLUDED.type, search = EXCLUDED.search;
	RETURN NULL;
END
$$;

-- The same three triggers as SQLite's (the schema-mirror test compares
-- their names).
CREATE TRIGGER open_search_insert AFTER INSERT ON cases
	FOR EACH ROW WHEN (NEW.status <> 'avslutad') EXECUTE FUNCTION open_search_keep();
CREATE TRIGGER open_search_update AFTER UPDATE OF status, type, search ON cases
	FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.type IS DISTINCT FROM NEW.type OR OLD.search IS DISTINCT FROM NEW.search)
	EXECUTE FUNCTION open_search_keep();
CREATE TRIGGER open_search_delete AFTER DELETE ON cases
	FOR EACH ROW EXECUTE FUNCTION open_search_keep();

-- The application's role (server_roles.sql) writes cases, so the
-- triggers write open_search as that role: its rights here now, so that
-- desks keep working between this update and the next run of that file
-- (which grants the same). A database without the role needs none.
DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'arendestod_app') THEN
		GRANT SELECT, INSERT, UPDATE, DELETE ON open_search TO arendestod_app;
	END IF;
END
$$;

-- The closed view's total by type group (Avslutade with a group chosen),
-- counted from the index alone up to app.ClosedCountCap.
CREATE INDEX cases_closed_type ON cases (type) WHERE status = 'avslutad';
