-- Issue 13 item 6: the access log's own retention removes rows older than
-- gallring.atkomstlogg.ar, and the log stays verifiable. Each prune is
-- recorded here first, in the same transaction as the DELETE: up to which
-- id rows were removed (up_to), how many (removed), the hash of the last
-- removed row (last_hash: the kept chain starts from it), the cutoff, when
-- and by whom, the MAC of the record before it (prev_mac), and an HMAC of
-- all of it under the log's key (data/auditprune.go). The records are
-- append-only themselves; ids are consecutive from 1.
CREATE TABLE audit_prune (
	id        INTEGER PRIMARY KEY,
	up_to     INTEGER NOT NULL,
	removed   INTEGER NOT NULL,
	last_hash TEXT NOT NULL,
	cutoff    TEXT NOT NULL,
	at        TEXT NOT NULL,
	actor     TEXT NOT NULL,
	prev_mac  TEXT NOT NULL,
	mac       TEXT NOT NULL
);

CREATE TRIGGER audit_prune_no_update BEFORE UPDATE ON audit_prune
BEGIN
	SELECT RAISE(ABORT, 'audit_prune is append-only');
END;

CREATE TRIGGER audit_prune_no_delete BEFORE DELETE ON audit_prune
BEGIN
	SELECT RAISE(ABORT, 'audit_prune is append-only');
END;

-- The access log still refuses DELETE, except of rows a prune record
-- covers. Whoever writes such a record without the key is found by audit
-- verify (its MAC).
DROP TRIGGER audit_log_no_delete;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN OLD.id > (SELECT COALESCE(MAX(up_to), 0) FROM audit_prune)
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
