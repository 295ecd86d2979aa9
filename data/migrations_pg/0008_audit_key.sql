-- Issue 13: the access log's key. From the first row the store appends
-- after this migration, each row's hash is an HMAC-SHA256 under a key
-- kept outside the database (the OS keyring, or a key file: app/secrets).
-- This table records which key (its id, never the key itself), a random
-- id of this log (log_id: the anchors outside the database name it), the
-- last row chained with plain SHA-256 before the key (legacy_until), and
-- an HMAC of all three under the key, so that none can be changed without
-- the key.
-- The store writes the one row when it first opens the database
-- (data/auditkey.go); it is never changed. The application's role may
-- only read and insert it (server_roles.sql).
CREATE TABLE audit_key (
	id           INTEGER PRIMARY KEY CHECK (id = 1),
	key_id       TEXT NOT NULL,
	log_id       TEXT NOT NULL,
	legacy_until BIGINT NOT NULL,
	mac          TEXT NOT NULL
);

CREATE FUNCTION audit_key_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit_key is append-only';
END;
$$;

CREATE TRIGGER audit_key_no_update BEFORE UPDATE ON audit_key
	FOR EACH ROW EXECUTE FUNCTION audit_key_append_only();

CREATE TRIGGER audit_key_no_delete BEFORE DELETE ON audit_key
	FOR EACH ROW EXECUTE FUNCTION audit_key_append_only();

CREATE TRIGGER audit_key_no_truncate BEFORE TRUNCATE ON audit_key
	FOR EACH STATEMENT EXECUTE FUNCTION audit_key_append_only();
