-- The closed view (Avslutade), most recently closed first, and its total:
-- at 100,000 cases, almost all closed, the page was a sort of every closed
-- case and the total a scan of the table. An index in the view's order
-- over the closed cases only serves both.
CREATE INDEX cases_closed_recent ON cases (closed_at DESC, id DESC) WHERE status = 'avslutad';
