package compare

import (
	"fmt"
	"strings"
)

// Unified returns the unified diff (as diff -u and git diff print it) that
// turns a into b, with context lines of context around each change, under
// the headers "--- from" and "+++ to"; "" when a and b are equal. A last
// line without a newline is marked "\ No newline at end of file".
//
// The edit script is a longest common subsequence of lines, after the
// common head and tail are set aside; when what is left is too big to
// compare line by line (over maxCells pairs of lines), the whole middle is
// shown as removed and added.
func Unified(from, to string, a, b []byte, context int) string {
	if string(a) == string(b) {
		return ""
	}
	x, y := splitLines(string(a)), splitLines(string(b))
	ops := script(x, y)
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", from, to)
	for _, h := range hunks(ops, context) {
		writeHunk(&out, h, x, y)
	}
	return out.String()
}

// maxCells bounds the table of the line-by-line comparison (a few tens of
// megabytes at most).
const maxCells = 4 << 20

// splitLines splits s into lines, each with its newline, the last without
// one if s does not end in a newline.
func splitLines(s string) []string {
	var out []string
	for s != "" {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i+1])
		s = s[i+1:]
	}
	return out
}

// op is one step of the edit script: a line of x kept as a line of y
// (' '), removed from x ('-') or added from y ('+'). i and j are where the
// step stands in x and y: the line it keeps, removes or adds, and on the
// other side of a removal or an addition, the index of the next line.
type op struct {
	kind byte
	i, j int
}

// script returns the steps that turn x into y.
func script(x, y []string) []op {
	pre := 0
	for pre < len(x) && pre < len(y) && x[pre] == y[pre] {
		pre++
	}
	suf := 0
	for suf < len(x)-pre && suf < len(y)-pre && x[len(x)-1-suf] == y[len(y)-1-suf] {
		suf++
	}
	var ops []op
	for k := 0; k < pre; k++ {
		ops = append(ops, op{' ', k, k})
	}
	ops = append(ops, middle(x[pre:len(x)-suf], y[pre:len(y)-suf], pre, pre)...)
	for k := suf; k > 0; k-- {
		ops = append(ops, op{' ', len(x) - k, len(y) - k})
	}
	return ops
}

// middle is the edit script of x and y, whose lines start at lines x0 and
// y0 of the whole: a longest common subsequence by dynamic programming.
func middle(x, y []string, x0, y0 int) []op {
	n, m := len(x), len(y)
	var ops []op
	if n*m > maxCells || n == 0 || m == 0 {
		for i := range n {
			ops = append(ops, op{'-', x0 + i, y0})
		}
		for j := range m {
			ops = append(ops, op{'+', x0 + n, y0 + j})
		}
		return ops
	}
	// lcs[i][j] is the length of the LCS of x[i:] and y[j:].
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			switch {
			case x[i] == y[j]:
				lcs[i][j] = lcs[i+1][j+1] + 1
			case lcs[i+1][j] >= lcs[i][j+1]:
				lcs[i][j] = lcs[i+1][j]
			default:
				lcs[i][j] = lcs[i][j+1]
			}
		}
	}
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && x[i] == y[j]:
			ops = append(ops, op{' ', x0 + i, y0 + j})
			i, j = i+1, j+1
		case j == m || (i < n && lcs[i+1][j] >= lcs[i][j+1]):
			ops = append(ops, op{'-', x0 + i, y0 + j})
			i++
		default:
			ops = append(ops, op{'+', x0 + i, y0 + j})
			j++
		}
	}
	return ops
}

// hunks groups the steps into hunks: each change with up to context kept
// lines around it, hunks closer than that merged.
func hunks(ops []op, context int) [][]op {
	var out [][]op
	start, end := -1, -1 // the current hunk's ops[start:end]
	for k, o := range ops {
		if o.kind == ' ' {
			continue
		}
		lo, hi := max(0, k-context), min(len(ops), k+context+1)
		if start >= 0 && lo <= end {
			end = max(end, hi)
			continue
		}
		if start >= 0 {
			out = append(out, ops[start:end])
		}
		start, end = lo, hi
	}
	if start >= 0 {
		out = append(out, ops[start:end])
	}
	return out
}

func writeHunk(out *strings.Builder, h []op, x, y []string) {
	// Every op knows where it stands on both sides, so the hunk starts
	// where its first op does; a side with no lines in the hunk is named
	// by the line before it, as diff -u does.
	xn, yn := 0, 0
	for _, o := range h {
		if o.kind != '+' {
			xn++
		}
		if o.kind != '-' {
			yn++
		}
	}
	fmt.Fprintf(out, "@@ -%s +%s @@\n", span(h[0].i, xn), span(h[0].j, yn))
	for _, o := range h {
		var line string
		if o.kind == '+' {
			line = y[o.j]
		} else {
			line = x[o.i]
		}
		out.WriteByte(o.kind)
		out.WriteString(line)
		if !strings.HasSuffix(line, "\n") {
			out.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

// span writes a hunk's range from its 0-based start: "start,count" with
// start 1-based, ",1" left out, and for an empty range the line before it
// (which is start itself, 0 at the top of the file).
func span(start, n int) string {
	switch n {
	case 0:
		return fmt.Sprintf("%d,0", start)
	case 1:
		return fmt.Sprintf("%d", start+1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}
