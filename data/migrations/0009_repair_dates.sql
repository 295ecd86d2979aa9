-- Issue 13, item 1: rows stored before intake checked received times. A
-- notice "Inkom: 9999-12-31 23:59" became a case due on 10000-01-04, which
-- no list could read; one from 1970 sits at the top of every list. Such a
-- case gets, as its received time, the time it was registered here
-- (created_at: it cannot have come in later) and that day as its due date,
-- so that it is due at once and someone looks at it against 1177. Nothing
-- is lost: a 'lagad' event keeps the values as they were. The derived
-- columns are recomputed by the store when it opens (steps_left NULL, see
-- 0005 and fillDerived). A row broken some other way is shown as broken,
-- never hidden (data.scanCase). Bounds as app.CheckReceivedAt's: from
-- 2000-01-01 to before 2100-01-01, Stockholm time, in the stored UTC form.

INSERT INTO case_events (case_id, kind, actor, at, detail)
SELECT id, 'lagad', 'system', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
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
