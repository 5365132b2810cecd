package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netbook/netbook/internal/testkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// An author scaffolds a lab and proves it; an instructor grades a class
// in every format and writes the Classroom workflow.
func TestInstructorCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test")
	}
	root := workTree(t)

	code, out, errOut := netbook(t, "new-lab", "11-example", "--title", "An example")
	require.Equal(t, 0, code, "%s%s", out, errOut)
	assert.Contains(t, out, "labs/11-example/example_test.go")
	assert.Contains(t, out, "verify 11")
	code, out, errOut = netbook(t, "verify", "11")
	assert.Equal(t, 0, code, "a new lab passes verify at once:\n%s%s", out, errOut)
	code, _, errOut = netbook(t, "new-lab", "11-example")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "lab 11 exists")

	// A class of four for lab 01, in three layouts.
	class := t.TempDir()
	put := func(student, rel, from string) {
		data, err := os.ReadFile(filepath.Join(root, from))
		require.NoError(t, err)
		path := filepath.Join(class, student, filepath.FromSlash(rel))
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, data, 0o644))
	}
	put("untouched", "labs/01-addresses/addresses.go", "labs/01-addresses/addresses.go")
	put("solved", "addresses.go", "solutions/01-addresses/addresses.go")
	put("wrong", "01-addresses/addresses.go", "solutions/01-addresses/wrong/split-at-the-last-colon/addresses.go")
	put("broken", "addresses.go", "solutions/01-addresses/addresses.go")
	broken := filepath.Join(class, "broken", "addresses.go")
	data, err := os.ReadFile(broken)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(broken, append(data, "\nfunc broken() { return 1 }\n"...), 0o644))
	before := treeHash(t, class)

	code, out, errOut = netbook(t, "grade", "--dir", class, "--lab", "01", "--csv", "g.csv", "--junit", "g.xml", "--json")
	require.Equal(t, 0, code, "%s%s", out, errOut)
	assert.Equal(t, before, treeHash(t, class), "grade writes nothing into a submission")
	var records []struct {
		Student   string
		Status    string
		Points    int
		MaxPoints int
	}
	require.NoError(t, json.Unmarshal([]byte(out), &records), out)
	got := map[string]string{}
	for _, r := range records {
		got[r.Student] = r.Status
		switch r.Student {
		case "untouched", "broken":
			assert.Equal(t, 0, r.Points, r.Student)
		case "solved":
			assert.Equal(t, r.MaxPoints, r.Points)
		case "wrong":
			assert.True(t, r.Points > 0 && r.Points < r.MaxPoints, "a wrong solution scores some: %d of %d", r.Points, r.MaxPoints)
		}
	}
	assert.Equal(t, map[string]string{"untouched": "fail", "solved": "pass", "wrong": "partial", "broken": "buildfail"}, got)

	data, err = os.ReadFile(filepath.Join(root, "g.csv"))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(data), "student,"), "no byte order mark without --bom: %q", data)
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	require.NoError(t, err, "the CSV parses")
	assert.Len(t, rows, 5)
	data, err = os.ReadFile(filepath.Join(root, "g.xml"))
	require.NoError(t, err)
	var suites struct {
		Suites []struct {
			Name string `xml:"name,attr"`
		} `xml:"testsuite"`
	}
	require.NoError(t, xml.Unmarshal(data, &suites), "the XML parses")
	assert.Len(t, suites.Suites, 4)

	code, out, _ = netbook(t, "grade", "--dir", class, "--lab", "01")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "broken · 01-addresses: does not compile")

	// --csv - is the CSV on standard output, in place of the table;
	// --bom starts it with the byte order mark Excel needs.
	code, out, errOut = netbook(t, "grade", "--dir", class, "--lab", "01", "--csv", "-", "--bom")
	require.Equal(t, 0, code, errOut)
	out, ok := strings.CutPrefix(out, "\ufeff")
	assert.True(t, ok, "--bom writes the byte order mark first: %q", out)
	rows, err = csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err, "standard output is the CSV alone:\n%s", out)
	assert.Len(t, rows, 5)

	code, out, errOut = netbook(t, "classroom", "01", "--out", "-")
	require.Equal(t, 0, code, errOut)
	var wf map[string]any
	require.NoError(t, yaml.Unmarshal([]byte(out), &wf))
	assert.Contains(t, out, "check 01 --task 1")
	code, out, _ = netbook(t, "classroom", "01")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "wrote .github/workflows/classroom.yml")
	assert.FileExists(t, filepath.Join(root, ".github", "workflows", "classroom.yml"))

	code, _, errOut = netbook(t, "grade")
	assert.Equal(t, 2, code)
	assert.True(t, strings.Contains(errOut, "name the submissions"), errOut)
}

// An author who edits a lab's test and forgets verify --update-sums is
// told that grade ran the test as labs/book.sum records it: under the
// table, and on standard error with --json, whose records have no room
// for it.
func TestGradeNotesAStaleBook(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test")
	}
	r := testkit.Clone(t, testkit.Only("00", "01"))
	t.Setenv("NETBOOK_ROOT", r.Dir)
	t.Setenv("NO_COLOR", "1")
	t.Chdir(r.Dir)
	test := filepath.Join(r.Dir, "labs", "01-addresses", "addresses_test.go")
	data, err := os.ReadFile(test)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(test, append(data, "\n// edited\n"...), 0o644))
	sub := filepath.Join(t.TempDir(), "solved")
	require.NoError(t, os.Mkdir(sub, 0o755))
	data, err = os.ReadFile(filepath.Join(r.Dir, "solutions", "01-addresses", "addresses.go"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(sub, "addresses.go"), data, 0o644))

	code, out, errOut := netbook(t, "grade", sub, "--lab", "01", "--json")
	require.Equal(t, 0, code, "%s%s", out, errOut)
	want := "01-addresses: graded with the files labs/book.sum records, not this tree's: addresses_test.go differs from it"
	assert.Contains(t, unwrapped(errOut), "netbook grade: warning: "+want)
	code, out, _ = netbook(t, "grade", sub, "--lab", "01")
	require.Equal(t, 0, code)
	assert.Contains(t, strings.ReplaceAll(out, "\n    ", " "), "Notes:\n  "+want)
}
