package diff

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netbook/netbook/internal/testkit"
	"github.com/netbook/netbook/runner/labrun"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/sandbox"
	"github.com/netbook/netbook/runner/style"
)

// solved builds the student's side from the reference solution, as a
// student who finished the lab has it, with replace applied to the named
// solution file (old, new, as strings.Replace takes them, once).
func solved(t *testing.T, l *labs.Lab, file, old, new string) labrun.Options {
	t.Helper()
	sol, err := l.SolutionFiles()
	require.NoError(t, err)
	if file != "" {
		path := filepath.Join(l.SolutionDir, file)
		src, err := os.ReadFile(path)
		require.NoError(t, err)
		require.Contains(t, string(src), old)
		broken := filepath.Join(t.TempDir(), file)
		require.NoError(t, os.WriteFile(broken, []byte(strings.Replace(string(src), old, new, 1)), 0o644))
		sol[filepath.Join(l.Dir, file)] = broken
	}
	return labrun.Options{Overlay: sol}
}

// Every lab the runner can run, with its solution in place of the
// student's files, follows every one of its sessions as the reference
// does: the sessions, the drivers and the references agree.
func TestEveryRunnableLabMatchesItsReference(t *testing.T) {
	t.Parallel()
	r := testkit.Shipped(t)
	all, _ := labs.LoadAll(r)
	for _, l := range all {
		if labrun.KindOf(l) == labrun.NotRunnable {
			continue
		}
		t.Run(l.Name, func(t *testing.T) {
			t.Parallel()
			rep, err := Run(t.Context(), r, l, Options{Student: solved(t, l, "", "", "")})
			require.NoError(t, err)
			if files, _ := filepath.Glob(filepath.Join(l.Dir, "testdata", "*.session")); len(files) > 0 {
				assert.NotEmpty(t, rep.Sessions, "the lab has sessions, and diff played none")
			}
			for _, s := range rep.Sessions {
				var out bytes.Buffer
				WriteText(&out, &Report{Lab: rep.Lab, Kind: rep.Kind, Sessions: []*Session{s}}, style.Style{}, Advice{})
				assert.Equal(t, Same, s.Status, "%s", out.String())
			}
			assert.True(t, rep.OK())
		})
	}
}

// A reply with one byte changed is reported at that byte, in every session
// that gets that reply, with the reference shown to pass.
func TestABrokenReplyIsShownAtItsFirstWrongByte(t *testing.T) {
	t.Parallel()
	r := testkit.Shipped(t)
	l := testkit.Lab(t, r, "03-hello-server")
	rep, err := Run(t.Context(), r, l, Options{Student: solved(t, l, "server.go", `"Hello, "`, `"Hello; "`)})
	require.NoError(t, err)
	require.False(t, rep.OK())
	var one *Session
	for _, s := range rep.Sessions {
		assert.True(t, s.Reference.Followed, "the reference follows %s", s.Name)
		if s.Name == "one-client" {
			one = s
		}
	}
	require.NotNil(t, one)
	require.Equal(t, Differs, one.Status)
	m := one.Student.Mismatch
	require.NotNil(t, m)
	assert.Equal(t, "labs/03-hello-server/testdata/one-client.session:5", m.Step)
	assert.Equal(t, `"Hello, Michael!\n"`, m.Expected)
	assert.Equal(t, `"Hello; Michael!\n"`, m.Received)
	assert.Equal(t, 5, m.Offset)

	var out bytes.Buffer
	WriteText(&out, rep, style.Style{}, Advice{Up: "netbook up 03", UpRef: "netbook up 03 --ref", Check: "netbook check 03"})
	text := out.String()
	assert.Contains(t, text, "DIFFERS  one-client")
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		if strings.HasSuffix(line, `received: "Hello; Michael!\n"`) {
			caret := lines[i+1]
			col := strings.Index(line, `"Hello;`) + 1 + 5 // the quote, then five bytes
			assert.Equal(t, col, strings.Index(caret, "^"), "the caret stands under the ';':\n%s\n%s", line, caret)
			assert.Contains(t, caret, "first difference, at byte 5")
			assert.Contains(t, lines[i-1], `expected: "Hello, Michael!\n"`)
			break
		}
		require.Less(t, i, len(lines)-1, "no received line in:\n%s", text)
	}
	assert.Regexp(t, `\n0 of \d+ sessions the same as the reference`, text)
	assert.Contains(t, text, "netbook up 03")

	data, err := json.Marshal(rep)
	require.NoError(t, err)
	assert.Contains(t, string(data), `"status":"differs"`)
}

// A server that crashes during a session differs, with what it printed.
func TestACrashIsShownWithItsOutput(t *testing.T) {
	t.Parallel()
	r := testkit.Shipped(t)
	l := testkit.Lab(t, r, "03-hello-server")
	rep, err := Run(t.Context(), r, l, Options{Student: solved(t, l, "server.go", `"Hello, "+name`, `"Hello, "+name[1000:]`)})
	require.NoError(t, err)
	s := rep.Sessions[0]
	require.Equal(t, Differs, s.Status)
	assert.Contains(t, s.Student.Problem, "your server exited during the session")
	assert.Contains(t, s.Student.Output, "panic: runtime error: slice bounds out of range")
}

// A client whose request is one byte off is shown that byte, in the
// server's script; and what its driver printed differs from the reference.
func TestABrokenRequestIsShownAtItsFirstWrongByte(t *testing.T) {
	t.Parallel()
	r := testkit.Shipped(t)
	l := testkit.Lab(t, r, "04-http-client")
	rep, err := Run(t.Context(), r, l, Options{Student: solved(t, l, "request.go", `Connection: close\r\n\r\n", method`, `Connection: Close\r\n\r\n", method`)})
	require.NoError(t, err)
	assert.Equal(t, "client", rep.Kind)
	require.NotEmpty(t, rep.Sessions)
	for _, s := range rep.Sessions {
		require.Equal(t, Differs, s.Status, s.Name)
		m := s.Student.Mismatch
		require.NotNil(t, m, s.Name)
		assert.Equal(t, `"Connection: close\r\n"`, m.Expected, s.Name)
		assert.Equal(t, `"Connection: Close\r\n"`, m.Received, s.Name)
		assert.Equal(t, 12, m.Offset, s.Name)
		assert.Contains(t, m.Report, "connection c received different bytes")
	}
	var out bytes.Buffer
	WriteText(&out, rep, style.Style{}, Advice{})
	assert.Contains(t, out.String(), "your client did not send what the server's script expects")
}

// A client that gets a different answer prints something else, and the
// report shows the first line where the two drivers' outputs part.
func TestADifferentAnswerIsShownInWhatTheDriverPrinted(t *testing.T) {
	t.Parallel()
	r := testkit.Shipped(t)
	l := testkit.Lab(t, r, "04-http-client")
	// A client that keeps header names as the server wrote them.
	rep, err := Run(t.Context(), r, l, Options{Student: solved(t, l, "response.go",
		"key := textproto.CanonicalMIMEHeaderKey(name)", "key := textproto.TrimString(name)")})
	require.NoError(t, err)
	var frag *Session
	for _, s := range rep.Sessions {
		if s.Name == "fragmented" {
			frag = s
		}
	}
	require.NotNil(t, frag)
	require.Equal(t, Differs, frag.Status)
	assert.True(t, frag.Student.Followed, "the request was right")
	assert.Contains(t, frag.Printed, `expected: "header Content-Type: ["text/plain"]\n"`)
	assert.Contains(t, frag.Printed, `received: "header Set-Cookie: ["seen=1"]\n"`)
	assert.Contains(t, frag.Printed, `same:     "status: 200 "200 OK"\n"`, "the lines before the difference are shown")
	assert.Contains(t, frag.Printed, "^ first difference, at byte 7")
}

func TestALabWithNothingToRun(t *testing.T) {
	r := testkit.Shipped(t)
	_, err := Run(t.Context(), r, testkit.Lab(t, r, "01-addresses"), Options{})
	assert.ErrorContains(t, err, "nothing to diff")
	assert.ErrorContains(t, err, r.Command()+" check 01", "the command to run is the one the student runs netbook by (go run ./cmd/netbook from a clone)")
}

// A chat room that accepts a nickname longer than MaxNickname (lab 10's
// wrong solution of that name) differs from the reference in the errors
// session, where a 65-byte nickname gets an error message.
func TestALongNicknameDiffers(t *testing.T) {
	t.Parallel()
	r := testkit.Shipped(t)
	l := testkit.Lab(t, r, "10-robust-chat")
	student := solved(t, l, "", "", "")
	student.Overlay[filepath.Join(l.Dir, "server.go")] = filepath.Join(l.SolutionDir, "wrong", "long-nickname-accepted", "server.go")
	rep, err := Run(t.Context(), r, l, Options{Student: student})
	require.NoError(t, err)
	for _, s := range rep.Sessions {
		if s.Name != "errors" {
			assert.Equal(t, Same, s.Status, s.Name)
			continue
		}
		require.Equal(t, Differs, s.Status)
		require.NotNil(t, s.Student.Mismatch)
		assert.Equal(t, `"{"id":1}\n"`, s.Student.Mismatch.Received, "the long nickname was let in")
		assert.True(t, s.Reference.Followed)
	}
}

// Lab 10's room is lab 09's (its brief: "the same conversations in
// testdata/*.session"), so the two labs play the same sessions: a step
// added to one and not the other lets netbook diff pass a room that
// breaks it.
func TestTheChatLabsShareTheirSessions(t *testing.T) {
	r := testkit.Shipped(t)
	chat, robust := testkit.Lab(t, r, "09-chat-room"), testkit.Lab(t, r, "10-robust-chat")
	names := func(l *labs.Lab) []string {
		paths, err := filepath.Glob(filepath.Join(l.Dir, "testdata", "*.session"))
		require.NoError(t, err)
		var names []string
		for _, p := range paths {
			names = append(names, filepath.Base(p))
		}
		return names
	}
	require.Equal(t, names(chat), names(robust))
	for _, name := range names(chat) {
		want, err := os.ReadFile(filepath.Join(chat.Dir, "testdata", name))
		require.NoError(t, err)
		got, err := os.ReadFile(filepath.Join(robust.Dir, "testdata", name))
		require.NoError(t, err)
		assert.Equal(t, string(want), string(got), "labs/%s/testdata/%s differs from labs/%s's", robust.Name, name, chat.Name)
	}
}

// A server that passes its memory limit is stopped, in every session, and
// the report says so in words, with what to look for, and without the Go
// runtime's stack dumps; the reference, under the same limits, follows
// every session.
func TestAServerThatLeaksIsStoppedAtItsMemoryLimit(t *testing.T) {
	t.Parallel()
	if !sandbox.Probe().LimitsOn {
		t.Skip("no resource limits on this machine")
	}
	r := testkit.Shipped(t)
	l := testkit.Lab(t, r, "03-hello-server")
	leak := testkit.LeakingHelloServer(t)
	limits := ServerLimits
	limits.Memory = 256 << 20
	rep, err := Run(t.Context(), r, l, Options{Limits: limits, Student: labrun.Options{Overlay: map[string]string{filepath.Join(l.Dir, "server.go"): leak}}})
	require.NoError(t, err)
	require.NotEmpty(t, rep.Sessions)
	const why = "your server used more than 256 MiB of memory and was stopped: does it keep something for every message or every client, and never let it go?"
	for _, s := range rep.Sessions {
		assert.True(t, s.Reference.Followed && s.Reference.Problem == "", "the reference follows %s: %s", s.Name, s.Reference.Problem)
		require.Equal(t, Differs, s.Status, s.Name)
		assert.Equal(t, why, s.Student.Limit, s.Name)
		assert.True(t, strings.HasPrefix(s.Student.Problem, why), "%s: %q", s.Name, s.Student.Problem)
		assert.NotContains(t, s.Student.Output, "goroutine ", "%s: the runtime's dump is cut", s.Name)
	}
	var out bytes.Buffer
	WriteText(&out, rep, style.Style{}, Advice{})
	text := out.String()
	assert.Contains(t, text, "    your server used more than 256 MiB of memory and was stopped: does it keep\n    something for every message or every client, and never let it go?")
	assert.NotContains(t, text, "goroutine ")
	assert.NotContains(t, text, "exit status")
}

// A limit's sentence comes before the step it made fail, and says that
// what the server printed follows only when it printed something.
func TestALimitIsToldFirst(t *testing.T) {
	const why = "your server tried to keep more than 1024 files and sockets open at once"
	assert.Equal(t, why+"; what it printed:", limitProblem(why, "accept: too many open files\n"))
	assert.Equal(t, why, limitProblem(why, "\n"))
	assert.Equal(t, "a? What it printed:", limitProblem("a?", "x"))

	side := &Side{Problem: limitProblem(why, ""), Limit: why, Mismatch: &Mismatch{Report: "labs/x.session:5: the connection was reset\n  step\n"}}
	var out bytes.Buffer
	writeSide(&out, side, "server", "your server", 80)
	text := out.String()
	i, j := strings.Index(text, "files and sockets"), strings.Index(text, "connection was reset")
	require.True(t, i >= 0 && j >= 0, text)
	assert.Less(t, i, j, "the limit first:\n%s", text)
}

// A client driver that passes its memory limit is stopped too, and the
// report says so in words, without the runtime's stack dumps.
func TestAClientThatLeaksIsStoppedAtItsMemoryLimit(t *testing.T) {
	t.Parallel()
	if !sandbox.Probe().LimitsOn {
		t.Skip("no resource limits on this machine")
	}
	r := testkit.Shipped(t)
	l := testkit.Lab(t, r, "04-http-client")
	limits := ServerLimits
	limits.Memory = 256 << 20
	rep, err := Run(t.Context(), r, l, Options{Limits: limits, Student: solved(t, l, "request.go",
		"\tif target == \"\" {\n", "\tvar keep [][]byte\n\tfor {\n\t\tb := make([]byte, 1<<20)\n\t\tfor i := range b {\n\t\t\tb[i] = 1\n\t\t}\n\t\tkeep = append(keep, b)\n\t}\n\tif target == \"\" {\n")})
	require.NoError(t, err)
	require.NotEmpty(t, rep.Sessions)
	const why = "your client used more than 256 MiB of memory and was stopped: does it keep something for every message or every client, and never let it go?"
	for _, s := range rep.Sessions {
		assert.Equal(t, "", s.Reference.Problem, "the reference follows %s", s.Name)
		require.Equal(t, Differs, s.Status, s.Name)
		assert.Equal(t, why, s.Student.Limit, s.Name)
		assert.Equal(t, why, s.Student.Problem, s.Name)
		assert.NotContains(t, s.Student.Stderr, "goroutine ", "%s: the runtime's dump is cut", s.Name)
	}
	var out bytes.Buffer
	WriteText(&out, rep, style.Style{}, Advice{})
	assert.Contains(t, out.String(), "    your client used more than 256 MiB of memory and was stopped: does it keep\n")
	assert.NotContains(t, out.String(), "goroutine ")
}
