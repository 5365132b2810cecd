package grade

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
)

// WriteCSV writes one row per student for a gradebook: the student, each
// lab's points and the total, under a header of the labs' names. A lab
// the student's submission does not have is an empty cell. The most each
// lab is worth is in the report's Labs (the JSON and the table). A name
// that a spreadsheet would take for a formula is quoted (see cell).
func WriteCSV(w io.Writer, rep *Report) error {
	cw := csv.NewWriter(w)
	head := []string{"student"}
	for _, l := range rep.Labs {
		head = append(head, cell(l.Name))
	}
	if err := cw.Write(append(head, "total")); err != nil {
		return err
	}
	for _, s := range rep.Students() {
		row := []string{cell(s)}
		for _, l := range rep.Labs {
			cell := ""
			if rec := rep.Find(s, l.Name); rec != nil {
				cell = strconv.Itoa(rec.Points)
			}
			row = append(row, cell)
		}
		p, _ := rep.Total(s)
		if err := cw.Write(append(row, strconv.Itoa(p))); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// BOM is the UTF-8 byte order mark that netbook grade --bom writes before
// the CSV. Excel opens a CSV without one in the system's code page (GBK on
// a Chinese Windows, for one), which garbles every name that is not ASCII;
// with it, Excel reads UTF-8. Other tools may take it for part of the first
// cell, so WriteCSV leaves it out.
const BOM = "\ufeff"

// cell guards a name (a student's folder, a lab's) against formula
// injection: a spreadsheet runs a cell that begins with =, +, - or @ (or
// a tab or carriage return before one) as a formula, so such a cell
// begins with a single quote, as OWASP advises, and reads as text. The
// points are numbers netbook writes, and are left as they are.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
