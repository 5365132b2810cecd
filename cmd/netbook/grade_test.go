package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
)

// grade and verify refuse, before grading or proving anything, what would
// otherwise pass without a word: a -j or --timeout that means nothing, two
// outputs on one standard output, a
// --hidden folder that is not there or names no lab, and a class with
// nothing to grade (a student's archive, which is not a submission until
// it is unpacked, is named).
func TestGradeRefuses(t *testing.T) {
	workTree(t, "01")
	sub := filepath.Join(t.TempDir(), "bob")
	assert.NoError(t, os.MkdirAll(filepath.Join(sub, "01-addresses"), 0o755))
	eve := filepath.Join(t.TempDir(), "eve")
	assert.NoError(t, os.Mkdir(eve, 0o755))
	misspelled := t.TempDir()
	assert.NoError(t, os.Mkdir(filepath.Join(misspelled, "01-adresses"), 0o755))
	missing := filepath.Join(t.TempDir(), "does-not-exist")
	zipped := t.TempDir() // a class downloaded as one archive per student
	assert.NoError(t, os.WriteFile(filepath.Join(zipped, "bob.zip"), []byte("PK"), 0o644))
	assert.NoError(t, os.WriteFile(filepath.Join(zipped, "README.md"), []byte("the class\n"), 0o644))
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"grade", sub, "-j", "-1"}, 2, `invalid value "-1" for flag -j: must be 1 or more`},
		{[]string{"grade", sub, "-j", "0"}, 2, `invalid value "0" for flag -j: must be 1 or more`},
		{[]string{"grade", sub, "--timeout", "-1s"}, 2, "--timeout must be more than 0"},
		{[]string{"grade", sub, "--timeout", "0"}, 2, "--timeout must be more than 0"},
		{[]string{"grade", sub, "--timeout", "90"}, 2, `invalid value "90" for flag -timeout: a duration needs its unit: 90s for seconds, 90m for minutes`},
		{[]string{"grade", sub, "--timeout", "two minutes"}, 2, `invalid value "two minutes" for flag -timeout: not a duration: write it as 90s, 5m or 1m30s`},
		{[]string{"grade", sub, "--timeout", "100h"}, 2, "--timeout 100h0m0s: a lab's tests may run for 1h at most"},
		{[]string{"grade", sub, "--csv", "-", "--junit", "-"}, 2, "one of --json, --csv - and --junit - may write to standard output"},
		{[]string{"grade", sub, "--csv", "-", "--json"}, 2, "one of --json, --csv - and --junit - may write to standard output"},
		{[]string{"grade", sub, "--bom"}, 2, "--bom marks the --csv file: give --csv FILE too"},
		// A file that cannot be written is refused before the grading,
		// which would otherwise be lost, by the name the user gave.
		{[]string{"grade", sub, "--lab", "01", "--csv", filepath.Join(missing, "g.csv")}, 1, "unable to write " + filepath.Join(missing, "g.csv") + ": there is no folder " + missing},
		{[]string{"grade", sub, "--lab", "01", "--junit", filepath.Join(zipped, "bob.zip", "g.xml")}, 1, filepath.Join(zipped, "bob.zip") + " is not a folder"},
		{[]string{"grade", sub, "--lab", "01", "--hidden", missing}, 1, "hidden tests: unable to read the folder " + missing},
		{[]string{"grade", sub, "--lab", "01", "--hidden", misspelled}, 1, "01-adresses is named as no lab of the book (did you mean 01-addresses?)"},
		{[]string{"verify", "01", "--hidden", missing}, 1, "hidden tests: unable to read the folder " + missing},
		{[]string{"verify", "01", "--hidden", misspelled}, 1, "did you mean 01-addresses?"},
		{[]string{"grade", eve}, 1, "nothing to grade: " + eve + " has no lab's files"},
		{[]string{"grade", "--dir", zipped}, 1, "netbook grade: warning: " + filepath.Join(zipped, "bob.zip") +
			" is an archive, not a folder: unpack it into a folder of its own to grade it netbook grade: " + zipped + " has no submissions"},
	} {
		code, out, errOut := netbook(t, tc.args...)
		assert.Equal(t, tc.code, code, "%v: %s%s", tc.args, out, errOut)
		assert.Contains(t, unwrapped(errOut), tc.want, "%v", tc.args)
	}
}

// With --csv - or --json the table is not printed, and with it went the
// notes that a submission's code does what a faked run needs and that it
// changed the book's tests: a gradebook of points alone would hide them.
// Standard error says them.
func TestGradeExportSaysWhatIsSuspect(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test")
	}
	root := workTree(t, "01")
	data, err := os.ReadFile(filepath.Join(root, "solutions", "01-addresses", "addresses.go"))
	assert.NoError(t, err)
	// A clone of the book, as a student hands it in.
	sub := filepath.Join(t.TempDir(), "mallory")
	lab := filepath.Join(sub, "labs", "01-addresses")
	assert.NoError(t, os.MkdirAll(lab, 0o755))
	data = bytes.Replace(data, []byte("package addresses\n"), []byte("package addresses\n\nimport \"syscall\"\n"), 1)
	data = append(data, "\nvar quit = syscall.Exit\n"...)
	assert.NoError(t, os.WriteFile(filepath.Join(lab, "addresses.go"), data, 0o644))
	// And a test of the book's, changed: grade uses the book's.
	test, err := os.ReadFile(filepath.Join(root, "labs", "01-addresses", "addresses_test.go"))
	assert.NoError(t, err)
	assert.NoError(t, os.WriteFile(filepath.Join(lab, "addresses_test.go"), append(test, "\n// mine\n"...), 0o644))
	for _, export := range [][]string{{"--csv", "-"}, {"--json"}} {
		code, out, errOut := netbook(t, append([]string{"grade", sub, "--lab", "01"}, export...)...)
		assert.Equal(t, 0, code, "%s%s", out, errOut)
		assert.Contains(t, unwrapped(errOut), fmt.Sprintf("netbook grade: warning: mallory · 01-addresses: read the code before you trust these points: addresses.go:%d: uses syscall.Exit", bytes.Count(data, []byte("\n"))), "%v: %s", export, out)
		assert.Contains(t, unwrapped(errOut), "netbook grade: warning: mallory · 01-addresses: differs from the book in addresses_test.go; graded with the book's", "%v: %s", export, out)
	}
}
