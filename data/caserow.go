package data

import (
	"database/sql"
	"strconv"
	"strings"
	"time"

	"arendestod/app"
)

// scanCase reads a case row. A value in it that cannot be read (a date
// that is no date, a received time before 2000 or centuries ahead: rows
// written before intake checked them, or behind the store's back) does
// not fail the read, and so never a whole list: the field stays zero and
// the case comes back marked Broken with the reason (rowFaults).
func scanCase(r rowScanner) (*app.Case, error) {
	var c app.Case
	var ref, msgID, assignee, ff, closed, pnr, pname sql.NullString
	var received, due, status string
	var fl followRow
	err := r.Scan(&c.ID, &c.Type, &c.Unit, &ref, &msgID, &received, &due, &status, &assignee,
		&ff, &closed, &c.Branch, &pnr, &pname, &fl.citizenAnswered, &fl.nextDue, &fl.lastFeedback, &fl.lastAction, &fl.feedback)
	if err != nil {
		return nil, err
	}
	var f rowFaults
	fl.fill(&c, &f)
	c.Reference, c.MessageID, c.Assignee = ref.String, msgID.String, assignee.String
	c.PatientPnr, c.PatientName = app.Personnummer(pnr.String), pname.String
	c.Status = app.Status(status)
	if !c.Status.Valid() {
		f.add("okänd status " + quoteStored(status))
	}
	c.ReceivedAt = f.time("inkommen tid", received)
	if !c.ReceivedAt.IsZero() {
		if err := app.CheckReceivedAt(c.ReceivedAt, time.Time{}); err != nil {
			f.add(app.ErrorMessage(err))
		}
	}
	c.DueDate = f.date("förfallodag", due)
	if y := c.DueDate.Year; !c.DueDate.IsZero() && (y < 2000 || y > app.LatestReceived.Year()) {
		f.add("förfallodag " + c.DueDate.String() + " är orimlig")
	}
	c.FirstFeedbackAt = f.nullTime("tid för första återkoppling", ff)
	c.ClosedAt = f.nullTime("avslutningstid", closed)
	c.Steps = map[string]app.StepState{}
	c.Broken = f.String()
	return &c, nil
}

// rowFaults collects, in Swedish, what in a stored row could not be read.
type rowFaults []string

func (f *rowFaults) add(s string) { *f = append(*f, s) }

// time parses a stored time; the zero time, noted, when it is none.
func (f *rowFaults) time(what, s string) time.Time {
	t, err := parseTime(s)
	if err != nil {
		f.add(what + " " + quoteStored(s) + " går inte att läsa")
		return time.Time{}
	}
	return t
}

func (f *rowFaults) nullTime(what string, s sql.NullString) *time.Time {
	if !s.Valid {
		return nil
	}
	t := f.time(what, s.String)
	if t.IsZero() {
		return nil
	}
	return &t
}

// date parses a stored date; the zero Date, noted, when it is none.
func (f *rowFaults) date(what, s string) app.Date {
	d, err := app.ParseDate(s)
	if err != nil {
		f.add(what + " " + quoteStored(s) + " går inte att läsa")
		return app.Date{}
	}
	return d
}

// String is the reason a case is broken: "" when nothing was wrong.
func (f rowFaults) String() string {
	if len(f) == 0 {
		return ""
	}
	return "Raden i databasen är trasig: " + strings.Join(f, "; ") + "."
}

// quoteStored quotes a stored value for a reason, cut short: whatever
// was written into the column, the reason stays one short line.
func quoteStored(s string) string {
	if r := []rune(s); len(r) > 40 {
		s = string(r[:40]) + "…"
	}
	return strconv.Quote(s)
}

// brokenCase is the error of a change to a broken case: what could be
// read of it is not written back over the row.
func brokenCase(c *app.Case) error {
	return app.Errorf(app.ECONFLICT, "Ärende nr %d går inte att ändra. %s", c.ID, c.Broken)
}
