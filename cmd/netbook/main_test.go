package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/netbook/netbook/internal/golden"
	"github.com/netbook/netbook/internal/testkit"
	"github.com/netbook/netbook/runner/style"
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
	require.NoError(t, os.CopyFS(dst, os.DirFS(src)))
}

// netbook runs the command line in-process and returns its exit status and
// output.
func netbook(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// netbookTyping runs the command line in-process as netbook does, with
// typed as what the student types; terminal says whether a person answers
// there.
func netbookTyping(t *testing.T, typed string, terminal bool, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := runIn(args, strings.NewReader(typed), terminal, &stdout, &stderr)
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
	assert.Contains(t, out, "01-addresses · Addresses and ports · not started: 0 of 6 tasks\n", "not started, as the dashboard says, and why no task passes")
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

// A lab that first passes in the dashboard's own check (the student never
// ran check) gets the pointer to the reference check would have given,
// once.
func TestDashboardPointsToTheReferenceOnAFirstPass(t *testing.T) {
	root := workTree(t)
	solve(t, root, "01-addresses")
	code, out, errOut := netbook(t)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, "checking 01-addresses")
	assert.Contains(t, oneLine(out), "Lab 01-addresses passes every task now. See how the book's reference solution does it", "wrapped to 80 columns")
	for line := range strings.Lines(out) {
		assert.LessOrEqual(t, style.Cols(strings.TrimRight(line, "\n")), 80, "%q", line)
	}
	assert.Contains(t, out, "\n  go run ./cmd/netbook compare 01\n", "the command whole, on a line of its own")
	code, out, _ = netbook(t)
	require.Equal(t, 0, code)
	assert.NotContains(t, out, "compare 01", "only the first time")
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

// hintsFixture is a hints file for lab 01 whose levels the test can tell
// apart, whatever the book's own hints say.
const hintsFixture = `# test hints
1:
  - one-nudge
  - one-approach
  - one-code
3:
  - three-nudge
`

// A lab done once whose files are the skeleton again (restored by hand,
// not with netbook reset) counts as done on the dashboard, but its tasks
// fail here: hint runs them and follows the first that fails, rather than
// saying that every task passes.
func TestHintOnASkeletonDoneBefore(t *testing.T) {
	root := workTree(t)
	lab := filepath.Join(root, "labs", "01-addresses")
	skeleton := map[string][]byte{}
	files, err := filepath.Glob(filepath.Join(lab, "*.go"))
	require.NoError(t, err)
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		skeleton[f] = data
	}
	solve(t, root, "01-addresses")
	code, out, errOut := netbook(t, "check", "01")
	require.Equal(t, 0, code, out+errOut)
	for f, data := range skeleton {
		require.NoError(t, os.WriteFile(f, data, 0o644))
	}

	code, out, errOut = netbook(t, "hint", "01")
	require.Equal(t, 0, code, errOut)
	assert.NotContains(t, out, "Every task of 01-addresses passes")
	assert.Contains(t, out, "for 01-addresses, task 1 (the first that fails):")
}

// netbook hint follows the student: the next level of the first task that
// fails, or of the task named; remembered per task; a build failure gets a
// hint about compile errors, not a task's.
func TestHintsFollowTheFirstFailingTask(t *testing.T) {
	root := workTree(t)
	require.NoError(t, os.WriteFile(filepath.Join(root, "labs", "01-addresses", "hints.yaml"), []byte(hintsFixture), 0o644))

	code, out, errOut := netbook(t, "hint", "01")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "Hint 1 of 3 for 01-addresses, task 1 (the first that fails):")
	assert.Contains(t, out, "one-nudge")
	assert.Regexp(t, `Another hint: .*hint 01\n`, out)
	_, out, _ = netbook(t, "hint", "01")
	assert.Contains(t, out, "Hint 2 of 3")
	assert.Contains(t, out, "one-approach")

	_, out, _ = netbook(t, "hint", "01", "3")
	assert.Contains(t, out, "Hint 1 of 1 for 01-addresses, task 3:", "task 3's levels are its own")
	assert.Contains(t, out, "three-nudge")
	assert.Contains(t, out, "That was the last hint.")
	_, out, _ = netbook(t, "hint", "01", "3")
	assert.Contains(t, out, "three-nudge")
	assert.Contains(t, out, "That was the last hint for this task, again.")
	_, out, _ = netbook(t, "hint", "01", "2")
	assert.Contains(t, out, "Task 2 of lab 01-addresses has no hints.")
	code, _, errOut = netbook(t, "hint", "01", "42")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "lab 01-addresses has no task 42")

	_, out, _ = netbook(t, "hint", "01", "--all")
	assert.Contains(t, out, "one-nudge")
	assert.Contains(t, out, "one-approach")
	assert.NotContains(t, out, "one-code", "--all shows only what was shown")

	_, out, _ = netbook(t, "hint")
	assert.Contains(t, out, "Lab 01-addresses, the first lab not done yet")
	assert.Contains(t, out, "Hint 3 of 3")
	assert.Contains(t, out, "one-code")

	var st struct {
		HintLevels map[string]map[string]int `json:"hintLevels"`
	}
	data, err := os.ReadFile(filepath.Join(root, ".netbook", "state.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &st))
	assert.Equal(t, map[string]int{"1": 3, "3": 1}, st.HintLevels["01-addresses"], "the levels shown, per task")

	// The lab's content changed since its last check: hint checks it
	// again, and it does not compile.
	path := filepath.Join(root, "labs", "01-addresses", "addresses.go")
	src, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, append(src, []byte("\nfunc broken() int { return }\n")...), 0o644))
	_, out, _ = netbook(t, "hint", "01")
	assert.Contains(t, out, "Lab 01-addresses does not compile:")
	assert.Contains(t, out, "Read the first error")
	assert.NotContains(t, out, "one-", "a build failure gets no task's hint")

	code, out, _ = netbook(t, "check", "01")
	assert.Equal(t, 1, code)
	assert.NotContains(t, out, "Stuck?", "no task failed: the code does not compile")
}

// hint --all on a lab whose every task passes shows again the hints shown
// for each task, not "No hints shown yet" with a command that would only
// say that every task passes.
func TestHintAllOnALabThatPasses(t *testing.T) {
	root := workTree(t)
	require.NoError(t, os.WriteFile(filepath.Join(root, "labs", "01-addresses", "hints.yaml"), []byte(hintsFixture), 0o644))
	_, _, errOut := netbook(t, "hint", "01")
	require.Empty(t, errOut)
	netbook(t, "hint", "01")
	netbook(t, "hint", "01", "3")
	solve(t, root, "01-addresses")
	code, out, errOut := netbook(t, "check", "01")
	require.Equal(t, 0, code, out+errOut)

	code, out, errOut = netbook(t, "hint", "01", "--all")
	require.Equal(t, 0, code, errOut)
	assert.NotContains(t, out, "No hints shown yet")
	assert.Contains(t, out, "Hint 1 of 3 for 01-addresses, task 1")
	assert.Contains(t, out, "one-nudge")
	assert.Contains(t, out, "one-approach")
	assert.NotContains(t, out, "one-code", "--all shows only what was shown")
	assert.Contains(t, out, "Hint 1 of 1 for 01-addresses, task 3")
	assert.Contains(t, out, "three-nudge")

	// Nothing shown yet in a lab that passes: how to ask for a task's.
	solve(t, root, "02-first-connection")
	code, out, errOut = netbook(t, "check", "02")
	require.Equal(t, 0, code, out+errOut)
	_, out, _ = netbook(t, "hint", "02", "--all")
	assert.NotContains(t, out, "No hints shown yet")
	// 81 columns in one line: the command, kept whole, goes on the next.
	assert.Regexp(t, `Every task of 02-first-connection passes: ask for a task's hints with:\s+.*hint 02 N\n`, out)
}

// check's advice offers the hint for the task that failed.
func TestCheckOffersTheFailedTasksHint(t *testing.T) {
	root := workTree(t)
	require.NoError(t, os.WriteFile(filepath.Join(root, "labs", "01-addresses", "hints.yaml"), []byte(hintsFixture), 0o644))
	_, out, _ := netbook(t, "check", "01")
	assert.Contains(t, out, "Task 1 failed")
	assert.Regexp(t, `Stuck\? .*hint 01\n`, out)
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
	// The rule above a program names the command that runs it as the
	// student runs netbook (go run ./cmd/netbook, say), as the lab's line
	// at the end does.
	m := regexp.MustCompile(`\n  (.+) check 01\n`).FindStringSubmatch(out)
	require.NotNil(t, m, "the chapter ends with the command that checks its lab")
	assert.Contains(t, out, " "+m[1]+" run 1:1 ──\n", "the program's rule says how to run it with the same command")

	_, narrow, errOut := netbook(t, "read", "1", "--width", "5")
	assert.Contains(t, errOut, "--width 5 is outside 40 to 200; using 40", "a width out of bounds is held and said so")
	_, forty, _ := netbook(t, "read", "1", "--width", "40")
	assert.Equal(t, forty, narrow)

	code, _, errOut = netbook(t, "read", "99")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, `no chapter "99"`)
}

// Piped, list wraps the summaries to 80 columns, each continuation line
// under its summary's indent, in English and in Chinese.
func TestListWrapsSummaries(t *testing.T) {
	workTree(t)
	for _, args := range [][]string{{"list"}, {"list", "--lang", "zh"}} {
		code, out, errOut := netbook(t, args...)
		require.Equal(t, 0, code, errOut)
		continued := 0
		for line := range strings.Lines(out) {
			line = strings.TrimSuffix(line, "\n")
			assert.LessOrEqual(t, style.Cols(line), 80, "%v: %q", args, line)
			if line != "" && !strings.HasPrefix(line, " ") && !strings.Contains(line, "netbook read 1") {
				t.Errorf("%v: a line outside a chapter's indent: %q", args, line)
			}
			if strings.HasPrefix(line, "   ") && !strings.HasPrefix(line, "   lab") && !strings.HasPrefix(line, "   实验") {
				continued++
			}
		}
		assert.Greater(t, continued, 4, "%v: the summaries take more than a line each", args)
	}
}

func TestListAndUsage(t *testing.T) {
	workTree(t)
	code, out, _ := netbook(t, "list")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "lab: labs/01-addresses")

	for _, c := range commands {
		args := []string{"--help"}
		if c.Name != "" {
			args = []string{c.Name, "--help"}
		}
		code, out, _ := netbook(t, args...)
		assert.Equal(t, 0, code, c.Name)
		if c.Name != "" {
			assert.Contains(t, out, "Example:", "netbook %s --help needs an example", c.Name)
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

// TestHelpText keeps netbook help and each command's --help in golden
// files (testdata/help; go test ./cmd/netbook -run TestHelpText -update).
func TestHelpText(t *testing.T) {
	code, out, _ := netbook(t, "help")
	require.Equal(t, 0, code)
	golden.Check(t, "testdata/help/help.txt", out)
	for _, c := range commands {
		name := c.Name
		args := []string{name, "--help"}
		if name == "" {
			name, args = "dashboard", []string{"help", ""}
		}
		code, out, _ := netbook(t, args...)
		require.Equal(t, 0, code, name)
		golden.Check(t, "testdata/help/"+name+".txt", out)
	}
}

// The list of commands and each command's summary fit 80 columns: the
// summaries are sentences, wrapped under themselves. (Flag descriptions
// and examples are the flag package's and the commands' own lines.)
func TestHelpFitsEightyColumns(t *testing.T) {
	_, out, _ := netbook(t, "help")
	for line := range strings.Lines(out) {
		assert.LessOrEqual(t, style.Cols(strings.TrimRight(line, "\n")), 80, "%q", line)
	}
	for _, c := range commands {
		_, out, _ := netbook(t, "help", c.Name)
		_, rest, _ := strings.Cut(out, "\n\n")
		summary, _, _ := strings.Cut(rest, "\n\n")
		for line := range strings.Lines(summary) {
			assert.LessOrEqual(t, style.Cols(strings.TrimRight(line, "\n")), 80, "netbook help %s: %q", c.Name, line)
		}
	}
}

// Flags are made anew for each command line: one run's flags do not leak
// into the next, as they would with package-level flag variables.
func TestFlagsAreFreshEachRun(t *testing.T) {
	workTree(t)
	code, out, _ := netbook(t, "check", "02", "--json")
	assert.Equal(t, 1, code)
	require.True(t, json.Valid([]byte(out)), out)
	code, out, _ = netbook(t, "check", "02")
	assert.Equal(t, 1, code)
	assert.False(t, json.Valid([]byte(out)), "--json of the run before is gone")
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

// A server that takes one Read as one message fails its task, and check
// also says where in the code the mistake is, as a reviewer would.
func TestCheckGivesAdviceAtTheLine(t *testing.T) {
	root := workTree(t, "03-hello-server")
	wrong := filepath.Join(root, "solutions", "03-hello-server", "wrong", "one-read-is-one-line", "server.go")
	data, err := os.ReadFile(wrong)
	require.NoError(t, err)
	line := 0
	for i, l := range strings.Split(string(data), "\n") {
		if strings.Contains(l, "conn.Read(") {
			line = i + 1
		}
	}
	require.NotZero(t, line, "the wrong solution reads with conn.Read")
	require.NoError(t, os.WriteFile(filepath.Join(root, "labs", "03-hello-server", "server.go"), data, 0o644))

	code, out, _ := netbook(t, "check", "03")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "Advice on your code (it does not change the result):")
	assert.Contains(t, out, fmt.Sprintf("labs/03-hello-server/server.go:%d: one Read is not one message", line))

	// In Chinese, the advice is Chinese too; --json stays English, as its
	// other messages do.
	code, out, _ = netbook(t, "check", "03", "--lang", "zh")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "对你代码的建议（不影响结果）：")
	assert.Contains(t, out, fmt.Sprintf("labs/03-hello-server/server.go:%d: 一次 Read 不等于一条消息：", line))
	assert.Contains(t, out, "    → 改为读完整的消息：")
	assert.NotContains(t, out, "one Read is not one message")
	code, out, _ = netbook(t, "check", "03", "--lang", "zh", "--json")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, `"message": "one Read is not one message`)
	assert.NotContains(t, out, "一次 Read")

	code, out, _ = netbook(t, "lint", "03")
	assert.Equal(t, 1, code, "lint exits 1 when it has advice")
	assert.Contains(t, out, fmt.Sprintf("labs/03-hello-server/server.go:%d:", line))
	code, out, _ = netbook(t, "lint", "03", "--ref")
	assert.Equal(t, 0, code, out)
	assert.Empty(t, out, "the reference draws no advice")

	// Code with nothing to say about: lint says so, naming the lab it read
	// (with no LAB, the student may not know which one that was).
	ref, err := os.ReadFile(filepath.Join(root, "solutions", "03-hello-server", "server.go"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(root, "labs", "03-hello-server", "server.go"), ref, 0o644))
	code, out, _ = netbook(t, "lint", "03")
	assert.Equal(t, 0, code, out)
	assert.Equal(t, "03-hello-server: nothing to point out.\n", out)
}
