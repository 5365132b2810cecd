// Package golden compares a test's output with a file in testdata, and
// rewrites the file when the test runs with -update:
//
//	go test ./runner/workbook -update
//
// A golden file shows a whole screen as the student sees it, so a change
// to the layout is reviewed in the diff of the file, not in assertions on
// pieces of it.
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata from the current output")

// Check compares got with the file at path (under testdata), or writes it
// there with -update.
func Check(t testing.TB, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v: run the test with -update to create it", err)
	}
	assert.Equal(t, string(want), got, "%s differs; if the new output is right, run the test with -update", path)
}
