package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netbook/netbook/runner/style"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkedLab is the lab that check --json reported on.
func checkedLab(t *testing.T, out string) string {
	t.Helper()
	var res struct {
		Lab string `json:"lab"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &res), out)
	return res.Lab
}

// Inside a lab's folder, or a folder under it, every command that takes a
// lab works on that lab when none is named, and says so once on stderr; a
// lab named on the command line wins, and "." names the folder's lab.
func TestCommandsInALabFolderTakeThatLab(t *testing.T) {
	root := workTree(t)
	// Run by go test, netbook names itself "go run ../../../cmd/netbook".
	const note = "Lab 02-first-connection, the folder you are in (name another: go run ../../../cmd/netbook "

	// Lab 01 is the first not done: check and hint would take it outside.
	t.Chdir(filepath.Join(root, "labs", "02-first-connection", "testdata"))
	code, out, errOut := netbook(t, "check", "--json")
	assert.Equal(t, 1, code, errOut)
	assert.Equal(t, "02-first-connection", checkedLab(t, out))
	assert.Equal(t, 1, strings.Count(oneLine(errOut), note), "said once: %s", errOut)
	assert.Contains(t, oneLine(errOut), note+"check NN). ")
	assertFolderNoteFits(t, errOut, "go run ../../../cmd/netbook check NN")

	code, out, errOut = netbook(t, "check", "01", "--json")
	assert.Equal(t, 1, code, errOut)
	assert.Equal(t, "01-addresses", checkedLab(t, out), "a lab named on the command line wins")
	assert.NotContains(t, errOut, "the folder you are in")

	code, out, errOut = netbook(t, "check", "..", "--json", "--task", "1")
	assert.Equal(t, 1, code, errOut)
	assert.Equal(t, "02-first-connection", checkedLab(t, out), "a path to the lab's folder names it")

	code, out, errOut = netbook(t, "hint")
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "for 02-first-connection, task 1")
	assert.NotContains(t, out, "the first lab not done yet")
	assert.Contains(t, oneLine(errOut), note+"hint NN). ")

	code, _, errOut = netbook(t, "check", "--json", "--lang", "zh")
	assert.Equal(t, 1, code, errOut)
	assert.Contains(t, strings.ReplaceAll(errOut, "\n", ""), "实验 02-first-connection，也就是你所在的文件夹（换一个：go run ../../../cmd/netbook check NN）。")
	assertFolderNoteFits(t, errOut, "go run ../../../cmd/netbook check NN")

	// The commands that need a lab named take the folder's.
	t.Chdir(filepath.Join(root, "labs", "01-addresses"))
	for _, tc := range []struct {
		args []string
		says string
	}{
		{[]string{"up"}, "lab 01-addresses is not a server lab"},
		{[]string{"diff"}, "lab 01-addresses has nothing to diff"},
		{[]string{"bench"}, "no workload for lab 01-addresses"},
		{[]string{"reset", "--list"}, "Lab 01-addresses has no backups"},
		// A file of the folder's lab, where reset takes LAB FILE...
		{[]string{"reset", "addresses.go", "--yes"}, "nothing to reset: lab 01-addresses's files named (addresses.go)"},
		{[]string{"compare"}, "01-addresses is not done yet"},
	} {
		_, out, errOut := netbook(t, tc.args...)
		assert.Contains(t, out+errOut, tc.says, "%v", tc.args)
		assert.Contains(t, oneLine(errOut), "Lab 01-addresses, the folder you are in (name another: go run ../../cmd/netbook "+tc.args[0]+" NN). ", "%v", tc.args)
		if tc.args[0] == "reset" || tc.args[0] == "compare" || tc.args[0] == "diff" {
			for line := range strings.Lines(out + errOut) {
				assert.LessOrEqual(t, style.Cols(strings.TrimRight(line, "\n")), 80, "%v: %q", tc.args, line)
			}
		}
	}

	// read and run, which take a chapter, take the chapter of the
	// folder's lab; a chapter named wins.
	code, out, errOut = netbook(t, "read")
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "Chapter 1 of ")
	assert.Contains(t, oneLine(errOut), "Chapter 1, the one of lab 01-addresses, the folder you are in (name another: go run ../../cmd/netbook read N). ")
	assertFolderNoteFits(t, errOut, "go run ../../cmd/netbook read N")
	code, out, errOut = netbook(t, "run")
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "runnable snippets")
	assert.Contains(t, oneLine(errOut), "Chapter 1, the one of lab 01-addresses")
	code, out, errOut = netbook(t, "read", "2")
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "Chapter 2 of ")
	assert.NotContains(t, errOut, "the folder you are in")

	// labs/ itself is no lab's folder: the first lab not done, as at the root.
	t.Chdir(filepath.Join(root, "labs"))
	code, out, errOut = netbook(t, "hint")
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "Lab 01-addresses, the first lab not done yet")
	assertFolderNoteFits(t, out, "go run ../cmd/netbook hint NN")
	assert.NotContains(t, errOut, "the folder you are in")
	code, _, errOut = netbook(t, "up")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "name one server lab, such as 03")
	code, _, errOut = netbook(t, "read")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "name one chapter")
}

// oneLine joins the lines of s with spaces, as they read before wrapping.
func oneLine(s string) string { return strings.ReplaceAll(s, "\n", " ") }

// assertFolderNoteFits checks that the lines of out fit 80 columns (the
// width of output that is not a terminal) and that cmd, a command to copy,
// stands whole on one of them.
func assertFolderNoteFits(t *testing.T, out, cmd string) {
	t.Helper()
	for line := range strings.Lines(out) {
		if strings.HasPrefix(line, "{") || strings.HasPrefix(line, " ") {
			break // the report or the hint itself
		}
		assert.LessOrEqual(t, style.Cols(strings.TrimRight(line, "\n")), 80, "%q", line)
	}
	assert.Contains(t, out, cmd)
}

// Inside a lab's folder, "hint N" with N one of the lab's tasks is that
// task, said in one line with how to reach lab N instead; "hint 0N" is
// lab 0N still, and so is "hint N" anywhere else.
func TestHintNumberInALabFolderIsItsTask(t *testing.T) {
	root := workTree(t, "05-snack-shop")
	t.Chdir(filepath.Join(root, "labs", "05-snack-shop"))
	code, out, errOut := netbook(t, "hint", "2")
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "for 05-snack-shop, task 2:")
	assert.Equal(t, "Task 2 of lab 05-snack-shop, the folder you are in (lab 02's hints: go run ../../cmd/netbook hint 02, or run hint from the repository's root). ", oneLine(errOut))
	assertFolderNoteFits(t, errOut, "go run ../../cmd/netbook hint 02")

	code, out, errOut = netbook(t, "hint", "2", "--lang", "zh")
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "05-snack-shop 任务 2 的提示")
	assert.Contains(t, strings.ReplaceAll(errOut, "\n", ""), "实验 05-snack-shop（你所在的文件夹）的任务 2（要看实验 02 的提示：go run ../../cmd/netbook hint 02")

	code, out, errOut = netbook(t, "hint", "02")
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "for 02-first-connection, task 1", "a number with its leading zero names the lab")
	assert.NotContains(t, errOut, "the folder you are in")

	code, _, errOut = netbook(t, "hint", "12")
	assert.NotEqual(t, 0, code, "lab 05 has no task 12: it names lab 12, which there is not")
	assert.NotContains(t, errOut, "Task 12 of lab")

	code, out, errOut = netbook(t, "hint", "5", "2")
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "for 05-snack-shop, task 2", "a lab and a task, as ever")

	t.Chdir(root)
	code, out, errOut = netbook(t, "hint", "2")
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "for 02-first-connection", "outside a lab's folder, a number is a lab")
	assert.NotContains(t, errOut, "the folder you are in")
}

// Inside a lab's folder, "hint N" with N none of the lab's tasks is lab
// N, as anywhere else, and says so: its hints are not the folder's lab's,
// and the level it shows is lab N's, remembered. "hint N" with N the
// folder's own lab number is its task N, with no word about lab N.
func TestHintNumberInALabFolderThatIsNoTaskOfIt(t *testing.T) {
	root := workTree(t, "09-chat-room")
	t.Chdir(filepath.Join(root, "labs", "01-addresses"))
	code, out, errOut := netbook(t, "hint", "9")
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "for 09-chat-room, task 1", "lab 01 has 6 tasks: 9 is lab 09")
	assert.Contains(t, oneLine(errOut), "Lab 09-chat-room's hints: lab 01-addresses, the folder you are in, has no task 9 (its tasks are 1 to 6).")
	for line := range strings.Lines(errOut) {
		assert.LessOrEqual(t, style.Cols(strings.TrimRight(line, "\n")), 80, "%q", line)
	}

	_, _, errOut = netbook(t, "hint", "9", "--lang", "zh")
	assert.Contains(t, strings.ReplaceAll(errOut, "\n", ""), "这是实验 09-chat-room 的提示：你所在的文件夹里的实验 01-addresses 没有任务 9（它的任务是 1 到 6）。")

	code, out, errOut = netbook(t, "hint", "1")
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "for 01-addresses, task 1")
	assert.NotContains(t, errOut, "lab 01's hints", "task 1 of lab 01: there is no other lab 01 to point at")

	_, _, errOut = netbook(t, "hint", "09")
	assert.NotContains(t, errOut, "the folder you are in", "a leading zero names a lab, as ever")
}
