-- Issue 11, performance: the inbox's search at 100,000 cases.
--
-- open_search holds, for every open case (status <> 'avslutad') and for
-- no other, its type and its search text (cases.search). A search among
-- the open cases (a few thousand of 100,000) then reads this narrow table
-- whole, where it read each open case's row of cases (scattered over the
-- whole table) or asked the trigram index for matches among every case
-- ever. Kept by the triggers below, in the transaction of every write to
-- cases (intake, case actions, gallring, restore's migrations); migrate
-- --to copies it as it copies every table.
CREATE TABLE open_search (
	id     INTEGER PRIMARY KEY,
	type   TEXT NOT NULL,
	search TEXT NOT NULL
);

INSERT INTO open_search (id, type, search) SELECT id, type, search FROM cases WHERE status <> 'avslutad';

CREATE TRIGGER open_search_insert AFTER INSERT ON cases WHEN NEW.status <> 'avslutad'
BEGIN
	INSERT INTO open_search (id, type, search) VALUES (NEW.id, NEW.type, NEW.search);
END;

CREATE TRIGGER open_search_update AFTER UPDATE OF status, type, search ON cases
WHEN OLD.status IS NOT NEW.status OR OLD.type IS NOT NEW.type OR OLD.search IS NOT NEW.search
BEGIN
	DELETE FROM open_search WHERE id = OLD.id;
	INSERT INTO open_search (id, type, search) SELECT NEW.id, NEW.type, NEW.search WHERE NEW.status <> 'avslutad';
END;

CREATE TRIGGER open_search_delete AFTER DELETE ON cases
BEGIN
	DELETE FROM open_search WHERE id = OLD.id;
END;

-- The closed view's total by type group (Avslutade with a group chosen),
-- counted from the index alone up to app.ClosedCountCap.
CREATE INDEX cases_closed_type ON cases (type) WHERE status = 'avslutad';
