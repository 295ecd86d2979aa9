-- Issue 5: the intyg for vård av barn under 12 år, kept with its case.

-- Every issued version of a case's intyg. data is the JSON of app.Intyg in
-- its normalised form, exactly what was rendered, so that printing it again
-- gives identical documents. A correction is a new version; old versions
-- stay.
CREATE TABLE intyg (
	id         INTEGER PRIMARY KEY,
	case_id    INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	version    INTEGER NOT NULL CHECK (version >= 1),
	data       TEXT NOT NULL,
	created_at TEXT NOT NULL,
	created_by TEXT NOT NULL,
	UNIQUE (case_id, version)
);

-- What a nurse is typing, saved as she types so that nothing is lost when
-- the program closes. One per case; removed when the intyg is issued.
CREATE TABLE intyg_draft (
	case_id    INTEGER PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
	data       TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	updated_by TEXT NOT NULL
);
