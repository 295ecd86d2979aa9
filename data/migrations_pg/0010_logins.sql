-- PostgreSQL mirror of data/migrations/0010_logins.sql (issue 13 item 9,
-- who is who). Each staff member connects with a database login of their
-- own; staff.db_login maps the login (session_user) to the staff member,
-- and the server, not the desk, decides whose name a row may carry:
--
-- * A login mapped to an active staff member writes rows (access log,
--   case history, checklist steps, issued intyg) in that member's HSA-ID
--   only, or as "system" (intake and gallring running in the window).
-- * A login mapped to no one (the headless intake, scripts) writes as
--   "cli:" and its own name, or as "system".
-- * A superuser, or a member of the role that owns the access log, is not
--   bound: it could drop these triggers anyway. The database owner's own
--   commands and "migrate --to" run so.
--
-- A row that breaks the rule is refused (SQLSTATE AR001), never
-- rewritten: the access log's hash is computed by the program over the
-- actor it sends, so the program must send the right one (WhoAmI).
-- Mapping a login, or changing the HSA-ID of a row, is for a login with
-- CREATEROLE (the administrator who creates logins) or an unbound one
-- (SQLSTATE AR002 otherwise): else a desk could map itself to another.
--
-- The functions read staff and pg_roles with a fixed search_path that
-- names the schema of this migration and pg_temp last, so that a
-- temporary table called staff cannot stand in for the real one.

ALTER TABLE staff ADD COLUMN db_login TEXT;
CREATE UNIQUE INDEX staff_db_login ON staff (db_login) WHERE db_login IS NOT NULL;

CREATE FUNCTION arendestod_unbound_session() RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT COALESCE((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user), false)
		OR pg_catalog.pg_has_role(session_user,
			(SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = 'audit_log'::regclass), 'MEMBER')
$$;

CREATE FUNCTION arendestod_check_actor(actor text) RETURNS void LANGUAGE plpgsql STABLE AS $$
DECLARE
	mapped text;
	is_active integer;
BEGIN
	IF actor = 'system' OR arendestod_unbound_session() THEN
		RETURN;
	END IF;
	SELECT s.hsa_id, s.active INTO mapped, is_active FROM staff s WHERE s.db_login = session_user;
	IF FOUND THEN
		IF is_active <> 1 THEN
			RAISE EXCEPTION USING ERRCODE = 'AR001',
				MESSAGE = format('Databasinloggningen %s hör till %s, som inte är aktiv i personallistan.', session_user, mapped);
		END IF;
		IF actor = mapped THEN
			RETURN;
		END IF;
		RAISE EXCEPTION USING ERRCODE = 'AR001',
			MESSAGE = format('Databasinloggningen %s hör till %s och får inte skriva i namnet %s.', session_user, mapped, actor);
	END IF;
	IF actor = 'cli:' || session_user THEN
		RETURN;
	END IF;
	RAISE EXCEPTION USING ERRCODE = 'AR001',
		MESSAGE = format('Databasinloggningen %s hör inte till någon i personalen och får bara skriva som cli:%s, inte i namnet %s.', session_user, session_user, actor);
END;
$$;

-- The trigger's argument names the column that holds the actor.
CREATE FUNCTION arendestod_actor_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM arendestod_check_actor(to_jsonb(NEW) ->> TG_ARGV[0]);
	RETURN NEW;
END;
$$;

CREATE TRIGGER audit_log_actor BEFORE INSERT ON audit_log
	FOR EACH ROW EXECUTE FUNCTION arendestod_actor_guard('actor');
CREATE TRIGGER case_events_actor BEFORE INSERT ON case_events
	FOR EACH ROW EXECUTE FUNCTION arendestod_actor_guard('actor');
CREATE TRIGGER case_steps_actor BEFORE INSERT ON case_steps
	FOR EACH ROW EXECUTE FUNCTION arendestod_actor_guard('done_by');
CREATE TRIGGER intyg_actor BEFORE INSERT ON intyg
	FOR EACH ROW EXECUTE FUNCTION arendestod_actor_guard('created_by');

CREATE FUNCTION staff_login_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		IF NEW.db_login IS NULL THEN
			RETURN NEW;
		END IF;
	ELSIF NEW.db_login IS NOT DISTINCT FROM OLD.db_login AND NEW.hsa_id = OLD.hsa_id THEN
		RETURN NEW;
	END IF;
	IF arendestod_unbound_session()
		OR COALESCE((SELECT r.rolcreaterole FROM pg_catalog.pg_roles r WHERE r.rolname = session_user), false) THEN
		RETURN NEW;
	END IF;
	RAISE EXCEPTION USING ERRCODE = 'AR002',
		MESSAGE = format('Databasinloggningen %s får inte koppla inloggningar till personal (det kräver CREATEROLE).', session_user);
END;
$$;

CREATE TRIGGER staff_login_guard BEFORE INSERT OR UPDATE ON staff
	FOR EACH ROW EXECUTE FUNCTION staff_login_guard();

DO $$
DECLARE
	f text;
BEGIN
	FOREACH f IN ARRAY ARRAY['arendestod_unbound_session()', 'arendestod_check_actor(text)',
		'arendestod_actor_guard()', 'staff_login_guard()'] LOOP
		EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', f, current_schema());
	END LOOP;
END;
$$;
