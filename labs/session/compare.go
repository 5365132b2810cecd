package session

import "strings"

// Compare shows where got first differs from want the way a Report shows an
// exact expect that failed: both quoted with escapes, and a caret under the
// first byte that differs. It returns "" when they are equal. netbook diff
// uses it to compare what a student's client printed with what the
// reference printed.
//
//	expected: "status: 200 \"OK\"\n"
//	received: "status: 404 \"Not Found\"\n"
//	                   ^ first difference, at byte 8
func Compare(want, got []byte) string {
	offset := firstDiff(want, got)
	if offset == len(want) && offset == len(got) {
		return ""
	}
	m := &Mismatch{Step: Step{Op: Expect, Data: want}, Got: got, Offset: offset}
	var b strings.Builder
	m.writeExpect(&b)
	return b.String()
}
