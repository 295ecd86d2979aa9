-- PostgreSQL mirror of data/migrations/0009_repair_dates.sql (issue 13,
-- item 1): the same repair, the event's time in the store's format from
-- the server's clock.

INSERT INTO case_events (case_id, kind, actor, at, detail)
SELECT id, 'lagad', 'system', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
	'inkommen tid ' || received_at || ', svar senast ' || due_date
FROM cases
WHERE received_at NOT LIKE '____-__-__T__:__:__.___Z'
	OR received_at < '1999-12-31T23:00:00.000Z' OR received_at >= '2099-12-31T23:00:00.000Z'
	OR due_date NOT LIKE '____-__-__' OR due_date < '2000-01-01' OR due_date > '2100-12-31';

UPDATE cases SET
	received_at = CASE
		WHEN received_at NOT LIKE '____-__-__T__:__:__.___Z'
			OR received_at < '1999-12-31T23:00:00.000Z' OR received_at >= '2099-12-31T23:00:00.000Z'
		THEN created_at ELSE received_at END,
	due_date = substr(CASE
		WHEN received_at NOT LIKE '____-__-__T__:__:__.___Z'
			OR received_at < '1999-12-31T23:00:00.000Z' OR received_at >= '2099-12-31T23:00:00.000Z'
		THEN created_at ELSE received_at END, 1, 10),
	steps_left = NULL
WHERE received_at NOT LIKE '____-__-__T__:__:__.___Z'
	OR received_at < '1999-12-31T23:00:00.000Z' OR received_at >= '2099-12-31T23:00:00.000Z'
	OR due_date NOT LIKE '____-__-__' OR due_date < '2000-01-01' OR due_date > '2100-12-31';
