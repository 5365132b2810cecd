package replproto

import "testing"

func TestLineLabel(t *testing.T) {
	for _, tc := range []struct {
		first int
		src   string
		at    int
		want  string
	}{
		{0, "x\n", 1, ""},
		{7, "x\n", 0, "line 7: "},
		{7, "x\n", 1, "line 7: "},
		{7, "func f() {\n\treturn 1\n}\n", 2, "line 8: "},
		{7, "func f() {\n\treturn 1\n}\n", 0, "lines 7-9: "},
		{7, "func f() {\n\treturn 1\n}\n", 9, "lines 7-9: "}, // a position past the input is the wrapping's
	} {
		if got := LineLabel(tc.first, tc.src, tc.at); got != tc.want {
			t.Errorf("LineLabel(%d, %q, %d) = %q, want %q", tc.first, tc.src, tc.at, got, tc.want)
		}
	}
}
