package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A lab named more than once, by number or by name, is one lab in the
// workflow, as in grade --lab: GitHub refuses a workflow whose steps share
// an id.
func TestClassroomNamesEachLabOnce(t *testing.T) {
	workTree(t)
	code, once, errOut := netbook(t, "classroom", "01", "--out", "-")
	require.Equal(t, 0, code, errOut)
	code, out, errOut := netbook(t, "classroom", "01", "1", "01-addresses", "addresses", "--out", "-")
	require.Equal(t, 0, code, errOut)
	body := func(s string) string { return s[strings.Index(s, "\nname:"):] } // after the comment, which quotes the arguments
	ids := map[string]int{}
	var twice []string
	for _, line := range strings.Split(out, "\n") {
		if id, ok := strings.CutPrefix(strings.TrimSpace(line), "id: "); ok {
			if ids[id]++; ids[id] == 2 {
				twice = append(twice, id)
			}
		}
	}
	assert.NotEmpty(t, ids)
	assert.Empty(t, twice, "step ids used more than once")
	assert.True(t, body(once) == body(out), "01 named four times is lab 01 once: the workflow is classroom 01's")
	first := func(s string) string { return strings.SplitN(s, "\n", 2)[0] }
	assert.Contains(t, first(out), "# GitHub Classroom autograding for 01-addresses: ")

	code, out, errOut = netbook(t, "classroom", "01", "02", "1", "--out", "-")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, first(out), "# GitHub Classroom autograding for 01-addresses, 02-first-connection: ")
}

// A time limit of no minutes, or fewer, is refused, not turned into 5.
func TestClassroomRefusesATimeoutUnderAMinute(t *testing.T) {
	root := workTree(t)
	for _, timeout := range []string{"0", "-5"} {
		code, out, errOut := netbook(t, "classroom", "01", "--timeout", timeout)
		assert.Equal(t, 2, code, timeout)
		assert.Empty(t, out)
		assert.Contains(t, errOut, "--timeout "+timeout+": each grading step's time limit is a whole number of minutes, at least 1")
	}
	_, err := os.Stat(filepath.Join(root, ".github"))
	assert.True(t, os.IsNotExist(err), "nothing is written")

	code, out, errOut := netbook(t, "classroom", "01", "--timeout", "1", "--out", "-")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "timeout: 1\n")
	assert.NotContains(t, out, "timeout: 5\n")
}
