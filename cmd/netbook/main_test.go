package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netbook/netbook/internal/testkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// workTree copies the first chapters and labs of this work tree (with the
// labs module's shared packages) into a temp dir, as the book shipped them
// (whatever a student has done to this tree), points netbook at it and
// makes it the current directory. Tests there may edit lab files as a
// student would without touching the real tree. Two labs (and those named
// in more, such as "03-hello-server") keep the tests quick; nothing here
// depends on how many labs the book has.
func workTree(t *testing.T, more ...string) string {
	t.Helper()
	numbers := []string{"00", "01", "02"}
	for _, name := range more {
		numbers = append(numbers, name[:2])
	}
	r := testkit.Pristine(t, testkit.Only(numbers...))
	t.Setenv("NETBOOK_ROOT", r.Dir)
	t.Setenv("NO_COLOR", "1")
	t.Chdir(r.Dir)
	return r.Dir
}

// copyTree copies the directory src to dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	copySome(t, src, dst, ".", func(string) bool { return true })
}

// copySome copies srcRoot/name to dstRoot/name, leaving out every path
// (relative to srcRoot) that keep rejects.
func copySome(t *testing.T, srcRoot, dstRoot, name string, keep func(rel string) bool) {
	t.Helper()
	err := filepath.WalkDir(filepath.Join(srcRoot, name), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(srcRoot, path)
		if !keep(rel) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		target := filepath.Join(dstRoot, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	require.NoError(t, err)
}

// netbook runs the command line in-process and returns its exit status and
// output.
func netbook(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// solve copies a lab's reference solution over the student's files, as a
// student who finished it would have them.
func solve(t *testing.T, root, lab string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(root, "solutions", lab, "*.go"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(root, "labs", lab, filepath.Base(f)), data, 0o644))
	}
}

func treeHash(t *testing.T, root string) string {
	t.Helper()
	h := sha256.New()
	require.NoError(t, filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			if d != nil && d.IsDir() && d.Name() == ".netbook" {
				return filepath.SkipDir
			}
			return err
		}
		data, err := os.ReadFile(path)
		h.Write([]byte(path + "\x00"))
		h.Write(data)
		return err
	}))
	return hex.EncodeToString(h.Sum(nil))
}

func TestDashboardOnAFreshClone(t *testing.T) {
	workTree(t)
	code, out, errOut := netbook(t)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "Start here")
	assert.Regexp(t, `1\s+Networks and ports\s+01-addresses\s+not started`, out)
	assert.Regexp(t, `2\s+Sockets in Go\s+02-first-connection\s+not started`, out)
	assert.Contains(t, out, "Next: lab 01-addresses. First read chapter 1, Networks and ports:")
	assert.Contains(t, out, "read 1")
	assert.NotContains(t, errOut, "checking", "a fresh clone needs no go test to show its status")
	assert.NotContains(t, out, "\x1b[", "NO_COLOR means no escape codes")
}

func TestSkeletonFailsWithAStudentMessage(t *testing.T) {
	workTree(t)
	code, out, _ := netbook(t, "check", "01")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "0 of 6 tasks")
	assert.Contains(t, out, "Task 1 failed (TestTask1ParseEndpoint):")
	assert.Contains(t, out, "TODO: implement ParseEndpoint (task 1)")
	assert.Contains(t, out, "Edit labs/01-addresses/addresses.go")
	assert.Contains(t, out, "hint 01")

	code, out, _ = netbook(t, "check", "02", "--json")
	assert.Equal(t, 1, code)
	var res struct {
		Status string `json:"status"`
		Passed int    `json:"passed"`
		Total  int    `json:"total"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &res), out)
	assert.Equal(t, "fail", res.Status)
	assert.Equal(t, 8, res.Total)
}

func TestSolvedLabsShowAsDone(t *testing.T) {
	root := workTree(t)
	solve(t, root, "01-addresses")
	solve(t, root, "02-first-connection")
	for _, lab := range []string{"01", "02"} {
		code, out, errOut := netbook(t, "check", lab)
		assert.Equal(t, 0, code, out+errOut)
		assert.Contains(t, out, "tasks pass")
		assert.Contains(t, out, "compare "+lab, "the first time a lab is done, check points to the reference")
	}
	code, out, _ := netbook(t, "check", "01")
	assert.Equal(t, 0, code)
	assert.NotContains(t, out, "compare 01", "only the first time")
	code, out, _ = netbook(t)
	require.Equal(t, 0, code)
	day := `done \d{1,2} [A-Z][a-z]{2} \d{4}\n` // done 2 Mar 2026: the dashboard says when
	assert.Regexp(t, `01-addresses\s+`+day, out)
	assert.Regexp(t, `02-first-connection\s+`+day, out)

	// The results are a cache: without the state file they are worked out again.
	require.NoError(t, os.RemoveAll(filepath.Join(root, ".netbook")))
	code, out, errOut := netbook(t)
	require.Equal(t, 0, code)
	assert.Contains(t, errOut, "checking 01-addresses")
	assert.Regexp(t, `01-addresses\s+done`, out)
}

func TestCompileErrorIsShownAsOne(t *testing.T) {
	root := workTree(t)
	path := filepath.Join(root, "labs", "01-addresses", "addresses.go")
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, append(data, []byte("\nfunc broken() int { return }\n")...), 0o644))
	code, out, _ := netbook(t, "check", "01")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "does not compile")
	assert.Regexp(t, `labs/01-addresses/addresses\.go:\d+:\d+: not enough return values`, out)
	assert.NotContains(t, out, "Task 1 failed")

	code, out, _ = netbook(t)
	require.Equal(t, 0, code)
	assert.Regexp(t, `01-addresses\s+does not compile`, out)
}

func TestHintsAreRememberedOneAtATime(t *testing.T) {
	workTree(t)
	_, out, _ := netbook(t, "hint", "01")
	assert.Contains(t, out, "Hint 1 of 6 for 01-addresses:")
	assert.Contains(t, out, "net.SplitHostPort")
	_, out, _ = netbook(t, "hint", "01")
	assert.Contains(t, out, "Hint 2 of 6")
	_, out, _ = netbook(t, "hint", "01", "--all")
	assert.Contains(t, out, "Hint 1 of 6")
	assert.Contains(t, out, "Hint 2 of 6")
	assert.NotContains(t, out, "Hint 3 of 6")
	_, out, _ = netbook(t, "hint")
	assert.Contains(t, out, "Hint 3 of 6 for 01-addresses", "with no lab named, the current lab")
}

func TestReadRendersPlainText(t *testing.T) {
	workTree(t)
	code, out, errOut := netbook(t, "read", "1", "--width", "80")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "Chapter 1 of")
	assert.Contains(t, out, "Networks and ports")
	assert.NotContains(t, out, "\x1b[")
	assert.NotContains(t, out, "mirrors:", "front matter is not rendered")
	assert.Contains(t, out, "check 01")
	assert.Contains(t, out, "\n── go ──", "code blocks are framed by rules")
	assert.Contains(t, out, "\n        fmt.Printf(\"%-11s on %v: %v\\n\", s, lan, lan.Contains(addr))\n",
		"a code line as it stands, tabs expanded to 4 columns, not wrapped")
	assert.NotContains(t, out, "**", "no Markdown markers in plain text")
	assert.Empty(t, errOut)

	_, narrow, errOut := netbook(t, "read", "1", "--width", "5")
	assert.Contains(t, errOut, "--width 5 is outside 40 to 200; using 40", "a width out of bounds is held and said so")
	_, forty, _ := netbook(t, "read", "1", "--width", "40")
	assert.Equal(t, forty, narrow)

	code, _, errOut = netbook(t, "read", "99")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, `no chapter "99"`)
}

func TestListAndUsage(t *testing.T) {
	workTree(t)
	code, out, _ := netbook(t, "list")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "lab: labs/01-addresses")

	for _, c := range commands {
		args := []string{"--help"}
		if c.name != "" {
			args = []string{c.name, "--help"}
		}
		code, out, _ := netbook(t, args...)
		assert.Equal(t, 0, code, c.name)
		if c.name != "" {
			assert.Contains(t, out, "Example:", "netbook %s --help needs an example", c.name)
		}
	}
	code, _, errOut := netbook(t, "frobnicate")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `unknown command "frobnicate"`)
	code, _, errOut = netbook(t, "check", "--nope")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "flag provided but not defined")
	code, _, errOut = netbook(t, "check", "42")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, `no lab "42"`)
}

func TestReadOnlyCommandsLeaveTheTreeAlone(t *testing.T) {
	root := workTree(t)
	before := treeHash(t, root)
	netbook(t)
	netbook(t, "list")
	netbook(t, "read", "2")
	netbook(t, "check", "01")
	netbook(t, "hint", "02")
	code, out, errOut := netbook(t, "verify", "01")
	assert.Equal(t, 0, code, out+errOut)
	assert.Equal(t, before, treeHash(t, root), "only .netbook/ may change")
	assert.True(t, strings.Contains(out, "1 of 1 labs proved"), out)
}

func TestABrokenLabDoesNotStopTheOthers(t *testing.T) {
	root := workTree(t)
	require.NoError(t, os.MkdirAll(filepath.Join(root, "labs", "98-half-written"), 0o755))
	code, out, errOut := netbook(t)
	assert.Equal(t, 0, code)
	assert.Contains(t, errOut, "lab 98-half-written has no brief")
	assert.Contains(t, out, "01-addresses")

	code, out, _ = netbook(t, "verify", "01")
	assert.Equal(t, 0, code, "verifying a named lab ignores the broken one: %s", out)
	code, out, _ = netbook(t, "verify", "--json")
	assert.Equal(t, 1, code, "verifying every lab fails on the broken one")
}

func TestFlagsAnywhere(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	plain := fs.Bool("plain", false, "")
	width := fs.Int("width", 0, "")
	pos, err := parseInterspersed(fs, []string{"1", "--plain", "two", "--width", "80", "--", "--three"})
	require.NoError(t, err)
	assert.Equal(t, []string{"1", "two", "--three"}, pos)
	assert.True(t, *plain)
	assert.Equal(t, 80, *width)
}

func TestOutsideAWorkTree(t *testing.T) {
	t.Setenv("NETBOOK_ROOT", "")
	t.Chdir(t.TempDir())
	code, _, errOut := netbook(t, "check")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "not inside a netbook work tree")
	code, out, _ := netbook(t, "list")
	assert.Equal(t, 0, code, "the embedded chapters still list")
	assert.Contains(t, out, "Networks and ports")
}
