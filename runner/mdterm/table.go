package mdterm

import (
	"strings"
	"unicode/utf8"

	east "github.com/yuin/goldmark/extension/ast"
)

// cell is a table cell cut into atoms, with the widths that matter for
// fitting it: on one line (natural) and at its narrowest (its widest word).
type cell struct {
	atoms    []atom
	spans    []span
	natural  int
	narrow   int
	align    east.Alignment
	isHeader bool
}

const colSep = " │ "

// minColumn is the narrowest a wrapped column may get.
const minColumn = 16

// table lays a table out in columns when they fit the width, each column
// at least as wide as its widest word, cells wrapped between words; when
// they cannot, each row becomes a list item of "header: value" lines.
func (r *renderer) table(t *east.Table, width int) []line {
	var rows [][]cell
	for row := t.FirstChild(); row != nil; row = row.NextSibling() {
		_, header := row.(*east.TableHeader)
		var cells []cell
		for c := row.FirstChild(); c != nil; c = c.NextSibling() {
			tc, ok := c.(*east.TableCell)
			if !ok {
				continue
			}
			st := style{}
			if header {
				st.bold = true
			}
			spans := r.inline(tc, st, nil)
			as := atoms(spans)
			cl := cell{atoms: as, spans: spans, align: tc.Alignment, isHeader: header}
			for i, a := range as {
				if i > 0 {
					cl.natural += a.preW
				}
				cl.natural += a.w
				cl.narrow = max(cl.narrow, a.w)
			}
			cells = append(cells, cl)
		}
		rows = append(rows, cells)
	}
	cols := 0
	for _, row := range rows {
		cols = max(cols, len(row))
	}
	if cols == 0 {
		return nil
	}
	natural := make([]int, cols)
	narrow := make([]int, cols)
	for _, row := range rows {
		for i, c := range row {
			natural[i] = max(natural[i], c.natural)
			narrow[i] = max(narrow[i], c.narrow)
		}
	}
	// A column narrower than minColumn (or than its widest word) reads
	// as a list of words: then the table becomes a list.
	least := make([]int, cols)
	for i := range least {
		least[i] = max(narrow[i], min(natural[i], minColumn))
	}
	seps := Width(colSep) * (cols - 1)
	if sum(least)+seps > width {
		return r.tableAsList(rows, width)
	}
	widths := natural
	if sum(natural)+seps > width {
		widths = share(least, natural, width-seps)
	}
	return r.tableLines(rows, widths)
}

// share gives each column its least width, then hands out what is left
// of total, in turn, to the columns that want more.
func share(least, natural []int, total int) []int {
	w := append([]int(nil), least...)
	left := total - sum(w)
	for left > 0 {
		gave := false
		for i := range w {
			if left > 0 && w[i] < natural[i] {
				w[i]++
				left--
				gave = true
			}
		}
		if !gave {
			break
		}
	}
	return w
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

func (r *renderer) tableLines(rows [][]cell, widths []int) []line {
	sep := seg{colSep, ruleStyle}
	wrapped := make([][][]line, len(rows))
	multi := false
	for i, row := range rows {
		for j := range widths {
			var ls []line
			if j < len(row) {
				ls = fill(row[j].atoms, widths[j], widths[j])
			}
			if len(ls) > 1 && i > 0 {
				multi = true
			}
			wrapped[i] = append(wrapped[i], ls)
		}
	}
	var rule []seg
	for j, w := range widths {
		if j > 0 {
			rule = append(rule, seg{"─┼─", ruleStyle})
		}
		rule = append(rule, seg{strings.Repeat("─", w), ruleStyle})
	}
	var out []line
	for i, row := range wrapped {
		if i == 1 || (i > 1 && multi) {
			out = append(out, line{segs: rule})
		}
		height := 0
		for _, ls := range row {
			height = max(height, len(ls))
		}
		for k := 0; k < height; k++ {
			var l line
			for j, ls := range row {
				if j > 0 {
					l.segs = append(l.segs, sep)
				}
				var c line
				if k < len(ls) {
					c = ls[k]
				}
				align := east.AlignLeft
				if j < len(rows[i]) {
					align = rows[i][j].align
				}
				l.segs = append(l.segs, pad(c, widths[j], align)...)
			}
			out = append(out, l)
		}
	}
	return out
}

// pad fills l with spaces to w columns, aligned as the column asks.
func pad(l line, w int, align east.Alignment) []seg {
	gap := max(w-l.width(), 0)
	left := 0
	switch align {
	case east.AlignRight:
		left = gap
	case east.AlignCenter:
		left = gap / 2
	}
	segs := []seg{{strings.Repeat(" ", left), style{}}}
	segs = append(segs, l.segs...)
	return append(segs, seg{strings.Repeat(" ", gap-left), style{}})
}

// tableAsList writes each row as a list item, one "header: value" line
// per cell, the value wrapped under it.
func (r *renderer) tableAsList(rows [][]cell, width int) []line {
	var header []cell
	if len(rows) > 0 && len(rows[0]) > 0 && rows[0][0].isHeader {
		header, rows = rows[0], rows[1:]
	}
	var out []line
	for i, row := range rows {
		if i > 0 {
			out = append(out, line{})
		}
		first := true
		for j, c := range row {
			if len(c.atoms) == 0 {
				continue
			}
			var spans []span
			if j < len(header) && len(header[j].spans) > 0 {
				for _, s := range header[j].spans {
					s.st.bold = true
					spans = append(spans, s)
				}
				spans = append(spans, span{text: colonAfter(spanText(header[j].spans)), st: style{bold: true}})
			}
			spans = append(spans, c.spans...)
			ls := fill(atoms(spans), width-2, width-4)
			for k, l := range ls {
				switch {
				case k == 0 && first:
					out = append(out, l.prefixed(seg{"• ", style{}}))
				case k == 0:
					out = append(out, l.prefixed(seg{"  ", style{}}))
				default:
					out = append(out, l.prefixed(seg{"    ", style{}}))
				}
			}
			first = false
		}
	}
	return out
}

// colonAfter is what separates a header from its value in a table shown
// as a list: ": ", or the fullwidth "：" after a Chinese header, as
// Chinese text writes it ("打电话：一部手机", not "打电话: 一部手机").
func colonAfter(header string) string {
	r, _ := utf8.DecodeLastRuneInString(strings.TrimSpace(header))
	if wide(r) {
		return "："
	}
	return ": "
}
