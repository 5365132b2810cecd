package check

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/netbook/netbook/internal/golden"
	"github.com/netbook/netbook/runner/gotest"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/style"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The fixtures in testdata/real are go test -json's streams of real
// failures: one task's test run on a wrong solution of a lab (labs 01 to
// 11, testify's blocks, a session's transcript, subtests, a server's log
// lines before and after the message, a data race), recorded as
// CONTRIBUTING says with /work/main as the work tree:
//
//	go test -json -overlay OVERLAY -run '^TestTaskN' [-race] ./NN-slug
//
// (OVERLAY maps the lab's files to the reference's and the wrong
// solution's). realLab is a lab with those tests as its tasks.
func realLab(t *testing.T, name string, rep *gotest.Report) *labs.Lab {
	t.Helper()
	task := regexp.MustCompile(`^TestTask(\d+)`)
	slug, _, _ := strings.Cut(name, "__")
	l := &labs.Lab{Name: slug, Dir: "/work/main/labs/" + slug}
	l.Title = slug
	require.NotEmpty(t, rep.Packages, name)
	for _, test := range rep.Packages[0].Tests {
		m := task.FindStringSubmatch(test.Name)
		require.NotNil(t, m, test.Name)
		n, _ := strconv.Atoi(m[1])
		l.Tasks = append(l.Tasks, labs.Task{Number: n, Test: test.Name, Title: "Task " + m[1], File: "x_test.go"})
	}
	return l
}

// realStreams are the recorded streams, by name.
func realStreams(t *testing.T) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "real", "*.json"))
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(files), 10)
	out := map[string][]byte{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		out[strings.TrimSuffix(filepath.Base(f), ".json")] = data
	}
	return out
}

func foldStream(t *testing.T, name string, stream []byte) *Result {
	t.Helper()
	rep, err := gotest.ParseKeep(bytes.NewReader(stream), gotest.DefaultKeep)
	require.NoError(t, err)
	res := Fold(realLab(t, name, rep), rep)
	require.NotNil(t, res.Failure, name)
	return res
}

// What check makes of real failures, as a student reads it in both
// editions: the test's words as the message, every line of them, and the
// code's prints (a server's log lines) apart. The golden files show each
// whole.
func TestRealFailures(t *testing.T) {
	for name, stream := range realStreams(t) {
		t.Run(name, func(t *testing.T) {
			res := foldStream(t, name, stream)
			var b strings.Builder
			b.WriteString("-- message --\n" + res.Failure.Message + "\n-- output --\n" + res.Failure.Output + "\n")
			for _, l := range []lang.Lang{lang.English, lang.Chinese} {
				b.WriteString("-- check, " + l.String() + " --\n")
				WriteText(&b, res, style.Style{}, Advice{Again: "netbook check", Lang: l})
			}
			golden.Check(t, filepath.Join("testdata", "real", "expected", name+".txt"), b.String())
		})
	}
}

// The code under test may print a line that starts with a tab, or a blank
// line, while a test's message is being written (between a t.Error and
// the test's next line): the testing package starts each of a message's
// lines after its first with four spaces more than the first, blank ones
// too, so those are the code's. Proved on every real failure, with the
// prints put after the first line the test wrote.
func TestRealFailuresWithPrintsInTheMiddle(t *testing.T) {
	testLine := regexp.MustCompile(`^ {4}\S+\.go:\d+: `)
	prints := []string{"\tdebug: x=3\n", "\n", "\t\tand a stack of my own\n", "debug: done\n"}
	for name, stream := range realStreams(t) {
		t.Run(name, func(t *testing.T) {
			want := foldStream(t, name, stream)
			var mixed bytes.Buffer
			done := false
			sc := bufio.NewScanner(bytes.NewReader(stream))
			for sc.Scan() {
				mixed.Write(sc.Bytes())
				mixed.WriteByte('\n')
				var e struct{ Action, Package, Test, Output string }
				require.NoError(t, json.Unmarshal(sc.Bytes(), &e))
				if done || e.Action != "output" || !testLine.MatchString(e.Output) {
					continue
				}
				done = true
				for _, p := range prints {
					line, err := json.Marshal(map[string]string{"Action": "output", "Package": e.Package, "Test": e.Test, "Output": p})
					require.NoError(t, err)
					mixed.Write(append(line, '\n'))
				}
			}
			require.True(t, done, "the stream has a line the test wrote")
			got := foldStream(t, name, mixed.Bytes())
			assert.Equal(t, want.Failure.Message, got.Failure.Message, "the message is the test's alone")
			printed := strings.Split(got.Failure.Output, "\n")
			for _, p := range []string{"\tdebug: x=3", "\t\tand a stack of my own", "debug: done"} {
				assert.Contains(t, printed, p)
			}
			others := slices.DeleteFunc(slices.Clone(printed), func(s string) bool {
				return s == "" || strings.Contains(s, "debug:") || strings.Contains(s, "of my own")
			})
			before := []string{}
			if want.Failure.Output != "" {
				before = strings.Split(want.Failure.Output, "\n")
			}
			assert.Equal(t, before, others, "the code's other prints are as they were")
		})
	}
}

// A data race in the middle of megabytes of prints (lab 09's real
// reports, with 2 MiB of the code's lines before and after them, more
// than check keeps of a test's output) is still said: the race, and where
// in the lab's code each of its two accesses happened. Without the
// prints, the message is the same.
func TestFailureOfALoudRacyTaskKeepsTheRace(t *testing.T) {
	const name = "09-chat-room__member-added-after-unlock"
	stream := realStreams(t)[name]
	quiet := foldStream(t, name, stream)
	race := "WARNING: DATA RACE\nRead by goroutine 16:\n    at labs/09-chat-room/server.go:211\n" +
		"Previous write by goroutine 13:\n    at labs/09-chat-room/server.go:173\n"
	require.Contains(t, quiet.Failure.Message, race)

	var loud bytes.Buffer
	var printed int
	prints := func(pkg, test string, tag string) {
		for i := range 20_000 {
			line, err := json.Marshal(map[string]string{"Action": "output", "Package": pkg, "Test": test,
				"Output": strings.Repeat("x", 100) + " " + tag + " " + strconv.Itoa(i) + "\n"})
			require.NoError(t, err)
			loud.Write(append(line, '\n'))
			printed += 100
		}
	}
	sc := bufio.NewScanner(bytes.NewReader(stream))
	fences := 0
	for sc.Scan() {
		var e struct{ Action, Package, Test, Output string }
		require.NoError(t, json.Unmarshal(sc.Bytes(), &e))
		if e.Output == "==================\n" {
			fences++
			if fences == 1 {
				prints(e.Package, e.Test, "before")
			}
		}
		loud.Write(sc.Bytes())
		loud.WriteByte('\n')
		if e.Output == "==================\n" && fences == 10 { // after the fifth report
			prints(e.Package, e.Test, "after")
		}
	}
	require.Equal(t, 10, fences, "five reports")
	require.Greater(t, printed, 2*gotest.DefaultKeep)
	res := foldStream(t, name, loud.Bytes())
	assert.Equal(t, quiet.Failure.Message, res.Failure.Message, "the message is what it is without the prints")
	assert.NotContains(t, res.Failure.Output, "DATA RACE")
	lines, cut := OutputLines(res.Failure.Output)
	assert.Positive(t, cut, "the prints were kept in part")
	assert.Contains(t, lines[0], "before 0")
	assert.Contains(t, lines[len(lines)-1], "after 19999")
}
