-- Issue 11, performance on PostgreSQL: the inbox's search and total at
-- 100,000 cases. Nothing changes on SQLite (its FTS5 trigram table and the
-- indexes of 0003 and 0005 already serve these queries); the number is
-- taken here too so that both backends' schemas stay version for version.
SELECT 1;
