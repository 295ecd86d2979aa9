-- Issue 11, performance: the inbox's search and total at 100,000 cases
-- (SQLite's 0007 is empty: its FTS5 trigram table serves the same queries).
--
-- The open views search the case's own search text (cases.search, kept
-- equal to case_search.body by the store). A trigram index over the open
-- cases only stays small (a clinic has a few hundred to a few thousand
-- open among 100,000) and answers a search's total in the open views
-- without a join, where case_search's index covers every case ever.
CREATE INDEX cases_open_search_trgm ON cases USING gin (search gin_trgm_ops) WHERE status <> 'avslutad';
