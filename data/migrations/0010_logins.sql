-- Issue 13 item 9, who is who: the database login of each staff member on
-- a team database (PostgreSQL), where the server maps the login to the
-- staff member and refuses rows that name someone else (see
-- migrations_pg/0010_logins.sql). One desk has no logins: on SQLite the
-- column exists, so that both backends have one schema, but is unused.
ALTER TABLE staff ADD COLUMN db_login TEXT;
CREATE UNIQUE INDEX staff_db_login ON staff (db_login) WHERE db_login IS NOT NULL;
