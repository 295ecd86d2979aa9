-- PostgreSQL mirror of data/migrations/0011_audit_prune.sql (issue 13
-- item 6): the access log's own retention removes rows older than
-- gallring.atkomstlogg.ar, and the log stays verifiable. Each prune is
-- recorded here first, in the same transaction as the DELETE: up to which
-- id rows were removed (up_to), how many (removed), the hash of the last
-- removed row (last_hash: the kept chain starts from it), the cutoff, when
-- and by whom, the MAC of the record before it (prev_mac), and an HMAC of
-- all of it under the log's key (data/auditprune.go). The records are
-- append-only themselves; ids are consecutive from 1.
CREATE TABLE audit_prune (
	id        BIGINT PRIMARY KEY,
	up_to     BIGINT NOT NULL,
	removed   BIGINT NOT NULL,
	last_hash TEXT NOT NULL,
	cutoff    TEXT COLLATE "C" NOT NULL,
	at        TEXT COLLATE "C" NOT NULL,
	actor     TEXT NOT NULL,
	prev_mac  TEXT NOT NULL,
	mac       TEXT NOT NULL
);

CREATE FUNCTION audit_prune_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit_prune is append-only';
END;
$$;

CREATE TRIGGER audit_prune_no_update BEFORE UPDATE ON audit_prune
	FOR EACH ROW EXECUTE FUNCTION audit_prune_append_only();

CREATE TRIGGER audit_prune_no_delete BEFORE DELETE ON audit_prune
	FOR EACH ROW EXECUTE FUNCTION audit_prune_append_only();

CREATE TRIGGER audit_prune_no_truncate BEFORE TRUNCATE ON audit_prune
	FOR EACH STATEMENT EXECUTE FUNCTION audit_prune_append_only();

CREATE TRIGGER audit_prune_actor BEFORE INSERT ON audit_prune
	FOR EACH ROW EXECUTE FUNCTION arendestod_actor_guard('actor');

-- The access log still refuses DELETE, except of rows a prune record
-- covers. Whoever writes such a record without the key is found by audit
-- verify (its MAC).
CREATE FUNCTION audit_log_delete_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF OLD.id <= (SELECT COALESCE(MAX(p.up_to), 0) FROM audit_prune p) THEN
		RETURN OLD;
	END IF;
	RAISE EXCEPTION 'audit_log is append-only';
END;
$$;

DROP TRIGGER audit_log_no_delete ON audit_log;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION audit_log_delete_guard();

-- The application's role has no DELETE on the log (server_roles.sql).
-- This function, owned by the role that ran the migrations, removes the
-- rows up to the newest prune record for it, and nothing else: only rows
-- that record covers (the trigger above checks each row too). The
-- application's role gets EXECUTE in server_roles.sql; nobody else.
CREATE FUNCTION audit_log_prune(up_to bigint) RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	n bigint;
BEGIN
	IF up_to > (SELECT COALESCE(MAX(p.up_to), 0) FROM audit_prune p) THEN
		RAISE EXCEPTION 'audit_log_prune: no prune record covers id %', up_to;
	END IF;
	DELETE FROM audit_log l WHERE l.id <= up_to;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END;
$$;
REVOKE ALL ON FUNCTION audit_log_prune(bigint) FROM PUBLIC;

DO $$
DECLARE
	f text;
BEGIN
	FOREACH f IN ARRAY ARRAY['audit_log_delete_guard()', 'audit_log_prune(bigint)'] LOOP
		EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', f, current_schema());
	END LOOP;
END;
$$;
