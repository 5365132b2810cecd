package session

import (
	"path/filepath"
	"testing"
)

// Test plays the session file at path against the server at addr and fails
// the test with a report a student can act on when the server's bytes
// differ: what it should have sent, what it sent, and a caret under the
// first difference. A file that does not parse stops the test. The Result
// is returned for tests that look at the transcript.
func Test(t testing.TB, path, addr string, opts ...Option) *Result {
	t.Helper()
	s, err := ParseFile(path)
	if err != nil {
		t.Fatalf("cannot read the session: %v", err)
		return nil
	}
	r := Play(t.Context(), s, addr, opts...)
	if !r.OK() {
		t.Errorf("The server at %s did not follow the conversation in %s.\n%s", addr, path, r.Report())
	}
	return r
}

// TestGlob plays every session file matching pattern (such as
// "testdata/*.session"), each in a subtest named after the file, against
// the server that start returns the address of. start runs once per file,
// so each session meets a fresh server; it can use nettest.Start. A pattern
// that matches nothing fails the test, since it is surely a typo.
func TestGlob(t *testing.T, pattern string, start func(t *testing.T) (addr string), opts ...Option) {
	t.Helper()
	paths, err := filepath.Glob(pattern)
	if err != nil || len(paths) == 0 {
		t.Fatalf("no session files match %q (err: %v)", pattern, err)
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			Test(t, path, start(t), opts...)
		})
	}
}
