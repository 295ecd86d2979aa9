package files

import (
	"encoding/csv"
	"io"
	"strings"
)

// CSV writes rows the way Swedish Excel opens them with a double click:
// UTF-8 with a byte-order mark (so å, ä, ö survive), semicolons between
// cells, CRLF line ends, and no cell that Excel would run as a formula.
// Every CSV file the product writes goes through it.
type CSV struct {
	w      io.Writer
	cw     *csv.Writer
	bomErr error
	began  bool
	cells  []string
}

// NewCSV returns a CSV writer onto w. The byte-order mark is written with
// the first row (or by Flush when there is none).
func NewCSV(w io.Writer) *CSV {
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	return &CSV{w: w, cw: cw}
}

// Write writes one row, each cell made formula-safe (FormulaSafe). It
// leaves record unchanged.
func (c *CSV) Write(record []string) error {
	if err := c.begin(); err != nil {
		return err
	}
	c.cells = append(c.cells[:0], record...)
	for i, s := range c.cells {
		c.cells[i] = FormulaSafe(s)
	}
	return c.cw.Write(c.cells)
}

// Flush writes any buffered rows and returns the first error of any
// write.
func (c *CSV) Flush() error {
	if err := c.begin(); err != nil {
		return err
	}
	c.cw.Flush()
	return c.cw.Error()
}

func (c *CSV) begin() error {
	if !c.began {
		c.began = true
		_, c.bomErr = io.WriteString(c.w, "\ufeff")
	}
	return c.bomErr
}

// FormulaSafe keeps a cell from being run as a formula by a spreadsheet
// (CSV injection: unit names and notes come from e-mail and staff): a
// cell starting with = + - @, a tab or a carriage return gets a leading
// apostrophe, so that it stays text.
func FormulaSafe(s string) string {
	if s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0 {
		return "'" + s
	}
	return s
}
