package compare

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUnifiedLikeDiffU(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b string
		ctx  int
		want string
	}{
		{name: "equal", ctx: 1, a: "a\nb\n", b: "a\nb\n", want: ""},
		{ctx: 1, name: "one line changed", a: "a\nb\nc\n", b: "a\nB\nc\n", want: "--- yours\n+++ ref\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"},
		{ctx: 1, name: "added at the top", a: "b\n", b: "a\nb\n", want: "--- yours\n+++ ref\n@@ -1 +1,2 @@\n+a\n b\n"},
		{ctx: 1, name: "removed at the end", a: "a\nb\n", b: "a\n", want: "--- yours\n+++ ref\n@@ -1,2 +1 @@\n a\n-b\n"},
		{name: "added, no context", a: "b\n", b: "a\nb\n", ctx: 0, want: "--- yours\n+++ ref\n@@ -0,0 +1 @@\n+a\n"},
		{name: "removed, no context", a: "a\nb\n", b: "a\n", ctx: 0, want: "--- yours\n+++ ref\n@@ -2 +1,0 @@\n-b\n"},
		{ctx: 1, name: "from nothing", a: "", b: "a\n", want: "--- yours\n+++ ref\n@@ -0,0 +1 @@\n+a\n"},
		{ctx: 1, name: "no newline at the end", a: "a\nb", b: "a\nb\n",
			want: "--- yours\n+++ ref\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n"},
		{ctx: 1, name: "two hunks", a: "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", b: "0\n2\n3\n4\n5\n6\n7\n8\n9\nten\n",
			want: "--- yours\n+++ ref\n@@ -1,2 +1,2 @@\n-1\n+0\n 2\n@@ -9,2 +9,2 @@\n 9\n-10\n+ten\n"},
		{ctx: 1, name: "close changes share a hunk", a: "1\n2\n3\n4\n", b: "one\n2\n3\nfour\n",
			want: "--- yours\n+++ ref\n@@ -1,4 +1,4 @@\n-1\n+one\n 2\n 3\n-4\n+four\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Unified("yours", "ref", []byte(tc.a), []byte(tc.b), tc.ctx)
			assert.Equal(t, tc.want, got, "Unified(%q, %q)", tc.a, tc.b)
		})
	}
}

// TestUnifiedApplies checks, on random texts, that each diff is a correct
// patch: applied to the first text it gives the second, and its hunk
// headers count the lines they hold.
func TestUnifiedApplies(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 19))
	words := []string{"a", "b", "c", "{", "}", "", "return nil"}
	text := func() string {
		var lines []string
		for range rng.IntN(30) {
			lines = append(lines, words[rng.IntN(len(words))])
		}
		s := strings.Join(lines, "\n")
		if rng.IntN(4) > 0 && s != "" {
			s += "\n"
		}
		return s
	}
	for n := range 500 {
		a, b := text(), text()
		ctx := rng.IntN(4)
		d := Unified("a", "b", []byte(a), []byte(b), ctx)
		if a == b {
			require.Empty(t, d)
			continue
		}
		got, err := apply(a, d)
		require.NoError(t, err, "case %d: Unified(%q, %q, context %d) gave\n%s", n, a, b, ctx, d)
		require.Equal(t, b, got, "case %d: applying\n%s\nto %q", n, d, a)
	}
}

var header = regexp.MustCompile(`^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@$`)

// apply applies a unified diff to a, checking every context and removed
// line and each hunk's counts.
func apply(a, diff string) (string, error) {
	x := splitLines(a)
	lines := strings.Split(strings.TrimSuffix(diff, "\n"), "\n")
	if len(lines) < 2 || !strings.HasPrefix(lines[0], "--- ") || !strings.HasPrefix(lines[1], "+++ ") {
		return "", fmt.Errorf("no headers")
	}
	var out []string
	next := 0 // the next line of x not yet copied
	count := func(s string) int {
		if s == "" {
			return 1
		}
		n, _ := strconv.Atoi(s)
		return n
	}
	for k := 2; k < len(lines); {
		m := header.FindStringSubmatch(lines[k])
		if m == nil {
			return "", fmt.Errorf("line %d: want a hunk header, got %q", k, lines[k])
		}
		xs, _ := strconv.Atoi(m[1])
		xn, yn := count(m[2]), count(m[4])
		start := xs - 1
		if xn == 0 {
			start = xs
		}
		if start < next {
			return "", fmt.Errorf("hunk %q goes backwards", lines[k])
		}
		out = append(out, x[next:start]...)
		next = start
		k++
		gotX, gotY := 0, 0
		for k < len(lines) && !strings.HasPrefix(lines[k], "@@") {
			l := lines[k]
			k++
			text := l[1:] + "\n"
			if k < len(lines) && lines[k] == `\ No newline at end of file` {
				text = l[1:]
				k++
			}
			switch l[0] {
			case ' ', '-':
				if next >= len(x) || x[next] != text {
					return "", fmt.Errorf("line %q does not match %q", l, x[min(next, len(x)-1)])
				}
				next++
				gotX++
				if l[0] == ' ' {
					out = append(out, text)
					gotY++
				}
			case '+':
				out = append(out, text)
				gotY++
			default:
				return "", fmt.Errorf("bad line %q", l)
			}
		}
		if gotX != xn || gotY != yn {
			return "", fmt.Errorf("hunk %s holds %d and %d lines", m[0], gotX, gotY)
		}
	}
	out = append(out, x[next:]...)
	return strings.Join(out, ""), nil
}

func TestUnifiedTooBigShowsTheMiddleReplaced(t *testing.T) {
	var a, b strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&a, "a%d\n", i)
		fmt.Fprintf(&b, "b%d\n", i)
	}
	d := Unified("a", "b", []byte("same\n"+a.String()), []byte("same\n"+b.String()), 3)
	got, err := apply("same\n"+a.String(), d)
	require.NoError(t, err)
	assert.Equal(t, "same\n"+b.String(), got)
	assert.Contains(t, d, "@@ -1,3001 +1,3001 @@\n same\n-a0\n")
}
