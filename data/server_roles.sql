-- Ärendestöd on a PostgreSQL server: what the application's role may do.
--
-- Two roles. arendestod_owner owns the database and everything in it and
-- is the only one that changes the schema: start Ärendestöd (or any of its
-- commands) once as this role on a new database, and once after each
-- update, so that the migrations run. arendestod_app holds the rights of
-- every person's own login and the headless intake's login (its members;
-- migration 0010 binds each login to its staff member). Run this file as
-- arendestod_owner in the database after that first start, and again
-- after an update that added tables:
--
--   psql "postgresql://arendestod_owner@dbserver.example.se/arendestod" -f server_roles.sql
--
-- The application reads and writes the cases and everything beside them,
-- but the access log (audit_log, and audit_key, which names the log's
-- key) is append-only for it: SELECT and INSERT, never UPDATE, DELETE or
-- TRUNCATE, whatever becomes of the log's triggers; audit_prune, the
-- record of each gallring of the log, likewise. Nor may it change the
-- schema or its bookkeeping.

GRANT USAGE ON SCHEMA public TO arendestod_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO arendestod_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO arendestod_app;

REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations FROM arendestod_app;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM arendestod_app;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_key FROM arendestod_app;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_prune FROM arendestod_app;

-- The access log's own retention (gallring.atkomstlogg.ar): the
-- application records a prune in audit_prune and removes the rows it
-- covers through this function, which runs with the owner's rights and
-- removes nothing a prune record does not cover (0011_audit_prune.sql).
GRANT EXECUTE ON FUNCTION audit_log_prune(bigint) TO arendestod_app;
