package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netbook/netbook/runner/bench"
)

// bench refuses what it cannot measure before building anything.
func TestBenchRefusals(t *testing.T) {
	workTree(t, "03", "10")
	code, _, errOut := netbook(t, "bench", "01")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "no workload for lab 01-addresses")
	assert.NotContains(t, errOut, "netbook bench: netbook bench", "the command is named once")
	code, _, errOut = netbook(t, "bench", "03", "--idle", "100")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "--idle is for the chat labs")
	code, _, errOut = netbook(t, "bench", "03", "--clients", "ten")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `"ten" is not a number`)
	// A value bench.Run would take for "the default" was typed: refused,
	// not run for the default's 30 seconds.
	for flag, want := range map[string]string{
		"--duration=-5s":  "--duration -5s: want a positive time",
		"--duration=0":    "--duration 0s: want a positive time",
		"--rounds=0":      "--rounds 0: want 1 or more",
		"--rate=-1":       "--rate -1: want a positive number",
		"--idle=-3":       "--idle -3: want a number of clients",
		"--idle=0":        "--idle 0: want a number of clients, 1 to 20000",
		"--idle=20001":    "--idle 20001: want a number of clients, 1 to 20000",
		"--clients=0":     "--clients 0: want 1 to 2000 clients",
		"--clients=-1":    "--clients -1: want 1 to 2000 clients",
		"--clients=2001":  "--clients 2001: want 1 to 2000 clients",
		"--clients=1,,2":  "a number is missing",
		"--clients=10,":   "a number is missing",
		"--clients=10,10": "--clients: 10 is there twice",
		"--svg=" + filepath.Join(t.TempDir(), "no", "such", "x.svg"): "there is no folder",
	} {
		code, _, errOut = netbook(t, "bench", "03", flag)
		assert.Equal(t, 2, code, flag)
		assert.Contains(t, errOut, want, flag)
		assert.NotContains(t, errOut, "building your server", flag)
	}
	code, _, errOut = netbook(t, "bench", "03", "--idle", "100", "--clients", "10")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "--clients and --idle do not go together")
	// A flag that would do nothing is refused before the build, not
	// ignored without a word: --rate and --nodelay where there is no chat
	// workload, --nodelay without the baselines it changes. Typed at its
	// default, --rate is refused all the same.
	for _, args := range [][]string{
		{"03", "--rate", "1000"},
		{"03", "--rate", "800000"},
		{"03", "--nodelay"},
		{"10", "--idle", "100", "--rate", "1000"},
		{"10", "--idle", "100", "--nodelay"},
		{"10", "--nodelay", "--no-baselines"},
	} {
		code, _, errOut = netbook(t, append([]string{"bench"}, args...)...)
		assert.Equal(t, 2, code, args)
		assert.Regexp(t, `(--rate|--nodelay) (paces|sets|does nothing)`, unwrapped(errOut), args)
		assert.Contains(t, unwrapped(errOut), "leave ", args)
		assert.NotContains(t, errOut, "building your server", args)
		assert.NotContains(t, errOut, "Note:", args)
	}
	// A chat room needs a listener: one client is refused before the
	// build, not run into "the reference failed (a bug in the book...)".
	code, _, errOut = netbook(t, "bench", "10", "--clients", "1", "--ref")
	assert.Equal(t, 1, code)
	assert.Contains(t, unwrapped(errOut), "--clients 1: a chat room needs 2 clients or more")
	assert.NotContains(t, errOut, "building")
}

// An SVG that cannot be written after the run costs the image, not the
// figures: the report is printed first.
func TestBenchPrintsTheReportWhenTheSVGFails(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two servers")
	}
	root := workTree(t, "03")
	solve(t, root, "03-hello-server")
	dir := t.TempDir() // a folder, where the image's file should be
	code, out, errOut := netbook(t, "bench", "03", "--duration", "300ms", "--rounds", "1", "--clients", "1", "--no-baselines", "--svg", dir)
	assert.Equal(t, 1, code, errOut)
	assert.Contains(t, out, "1 connection", "the report, although the image failed")
	assert.Contains(t, unwrapped(errOut), "--svg: open "+dir)
}

// Code that does not compile stops bench right after its build, with the
// file and line, before the reference or a baseline is built or measured.
func TestBenchStopsWhenYourCodeDoesNotCompile(t *testing.T) {
	root := workTree(t, "03")
	server := filepath.Join(root, "labs", "03-hello-server", "server.go")
	src, err := os.ReadFile(server)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(server, append(src, "\nfunc broken() int { return }\n"...), 0o644))
	for _, asJSON := range []bool{false, true} {
		args := []string{"bench", "03", "--duration", "1s", "--rounds", "1"}
		if asJSON {
			args = append(args, "--json")
		}
		code, out, errOut := netbook(t, args...)
		assert.Equal(t, 1, code, "json %v", asJSON)
		assert.Empty(t, out, "json %v: no report", asJSON)
		assert.Regexp(t, `labs/03-hello-server/server\.go:\d+:\d+: not enough return values`, errOut)
		assert.Contains(t, errOut, "your code in labs/03-hello-server does not compile")
		assert.NotContains(t, errOut, "building the reference", "nothing is built after the student's code")
		assert.NotContains(t, errOut, "round 1 of 1", "nothing is measured")
	}
}

// The skeleton's server builds but does not answer (its Serve returns at
// once): bench starts it and tries one client before it builds anything
// else, so the student reads why right after their own build, without
// waiting for the reference's and the baselines' builds, and --json says
// that only their server was run.
func TestBenchChecksYourServerBeforeBuildingTheRest(t *testing.T) {
	workTree(t, "03", "10")
	for _, c := range []struct{ lab, workload, todo string }{
		{"03", "1 connection", "TODO: implement Serve (task 1)"},
		{"10", "10 clients", "TODO: implement Serve (tasks 1 to 7)"},
	} {
		args := []string{"bench", c.lab, "--duration", "1s", "--rounds", "1"}
		code, out, errOut := netbook(t, args...)
		assert.Equal(t, 1, code, errOut)
		assert.Contains(t, errOut, "checking that your server starts and answers a first client", c.lab)
		assert.NotContains(t, errOut, "building the reference", "%s: nothing is built after the student's server fails its start check", c.lab)
		assert.NotContains(t, errOut, "building the baseline", c.lab)
		assert.NotContains(t, errOut, "round 1 of 1", "%s: nothing is measured", c.lab)
		text := strings.Join(strings.Fields(out), " ") // as if unwrapped
		assert.Contains(t, text, "you could not be measured ("+c.workload+")", c.lab)
		assert.Contains(t, text, "Serve returned an error before the server was stopped: "+c.todo, c.lab)
		assert.Contains(t, text, "check "+c.lab+" says what is missing", c.lab)
		assert.Contains(t, text, "The reference and the baselines were not run", c.lab)

		code, out, errOut = netbook(t, append(args, "--json")...)
		assert.Equal(t, 1, code, errOut)
		var rep bench.Report
		require.NoError(t, json.Unmarshal([]byte(out), &rep), out)
		require.Len(t, rep.Failed, 1, c.lab)
		assert.Equal(t, bench.You, rep.Failed[0].Contender, c.lab)
		assert.Equal(t, c.workload, rep.Failed[0].Workload, c.lab)
		require.Len(t, rep.Contenders, 1, "%s: only the student's server was run", c.lab)
		assert.Equal(t, bench.You, rep.Contenders[0].Name, c.lab)
	}
}

// A server that compiles but cannot be measured (the skeleton's Serve
// returns at once) fails first, at its start check: the run stops there,
// with the exit status 1 and a report of that failure alone (--json still
// prints it), and keeps nothing, so the last report kept stays.
func TestBenchFailsWhenYourServerCouldNotBeMeasured(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two servers")
	}
	root := workTree(t, "03")
	kept := filepath.Join(root, ".netbook", "bench", "03-hello-server.json")
	require.NoError(t, os.MkdirAll(filepath.Dir(kept), 0o755))
	require.NoError(t, os.WriteFile(kept, []byte("{\"lab\":\"03-hello-server\"}\n"), 0o644))
	args := []string{"bench", "03", "--duration", "300ms", "--rounds", "2", "--clients", "1,10", "--no-baselines"}
	code, out, errOut := netbook(t, args...)
	assert.Equal(t, 1, code, errOut)
	assert.Contains(t, out, "nothing was measured")
	assert.Contains(t, out, "you could not be measured (1 connection)")
	assert.Contains(t, out, "check 03 says what")
	assert.Contains(t, out, "The reference and the baselines were not run")
	assert.NotContains(t, errOut, "round 1 of 2, 1 connection: reference", "nothing runs after the student's server fails")
	assert.NotContains(t, errOut, "The report is kept")
	data, err := os.ReadFile(kept)
	require.NoError(t, err)
	assert.Equal(t, "{\"lab\":\"03-hello-server\"}\n", string(data), "the report kept before is still there")

	code, out, errOut = netbook(t, append(args, "--json")...)
	assert.Equal(t, 1, code, errOut)
	var rep bench.Report
	require.NoError(t, json.Unmarshal([]byte(out), &rep), out)
	require.Len(t, rep.Failed, 1)
	assert.Equal(t, bench.You, rep.Failed[0].Contender)
	assert.Empty(t, rep.Phases)
	assert.False(t, rep.Measured(bench.You))
}

// A run of the reference in the student's place (--ref) keeps no report:
// the one kept is the web book's chart of the student's server, whose
// "you" would otherwise be the reference.
func TestBenchRefKeepsNoReport(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two servers")
	}
	root := workTree(t, "03")
	kept := filepath.Join(root, ".netbook", "bench", "03-hello-server.json")
	require.NoError(t, os.MkdirAll(filepath.Dir(kept), 0o755))
	require.NoError(t, os.WriteFile(kept, []byte("{\"lab\":\"03-hello-server\"}\n"), 0o644))
	code, out, errOut := netbook(t, "bench", "03", "--ref", "--duration", "300ms", "--rounds", "1", "--clients", "1", "--no-baselines")
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "1 connection", "measured")
	assert.Contains(t, errOut, "With --ref the report is not kept")
	assert.NotContains(t, errOut, "The report is kept")
	data, err := os.ReadFile(kept)
	require.NoError(t, err)
	assert.Equal(t, "{\"lab\":\"03-hello-server\"}\n", string(data), "the student's report kept before is still there")
}

// A server whose last check did not pass every task is measured, with a
// note first: its figures may be fast for the wrong reasons. Once every
// task passes, the note is gone.
func TestBenchNotesALabThatDoesNotPassYet(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two servers")
	}
	root := workTree(t, "03")
	solve(t, root, "03-hello-server")
	wrong := filepath.Join(root, "solutions", "03-hello-server", "wrong", "exit-in-any-case", "server.go")
	data, err := os.ReadFile(wrong)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(root, "labs", "03-hello-server", "server.go"), data, 0o644))
	code, _, errOut := netbook(t, "check", "03")
	require.Equal(t, 1, code, errOut)

	args := []string{"bench", "03", "--duration", "300ms", "--rounds", "1", "--clients", "1", "--no-baselines"}
	code, out, errOut := netbook(t, args...)
	assert.Equal(t, 0, code, errOut)
	assert.Regexp(t, `Note: labs/03-hello-server passed \d+ of 10 tasks when last\s+checked`, errOut)
	assert.Contains(t, out, "reference", "measured all the same")

	solve(t, root, "03-hello-server")
	code, _, errOut = netbook(t, "check", "03")
	require.Equal(t, 0, code, errOut)
	code, _, errOut = netbook(t, args...)
	assert.Equal(t, 0, code, errOut)
	assert.NotContains(t, errOut, "when last checked")
}

// A server that logs a lot and then crashes is reported with the end of
// what it printed, the panic, and its exit status, however much it logged
// before: not with the first of its logs.
func TestBenchQuotesTheEndOfANoisyServer(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two servers")
	}
	root := workTree(t, "03")
	noisy := `package hello

import (
	"errors"
	"log"
	"net"
	"strings"
)

func Serve(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return nil
		}
		if err != nil {
			continue
		}
		go handle(conn)
	}
}

// handle logs far more than netbook keeps of a program's output (256 KiB
// a stream), then panics.
func handle(conn net.Conn) error {
	for i := range 5000 {
		log.Printf("line %d %s", i, strings.Repeat("x", 100))
	}
	panic("the end of the noisy server")
}
`
	require.NoError(t, os.WriteFile(filepath.Join(root, "labs", "03-hello-server", "server.go"), []byte(noisy), 0o644))
	code, out, errOut := netbook(t, "bench", "03", "--duration", "300ms", "--rounds", "1", "--clients", "1", "--no-baselines")
	assert.Equal(t, 1, code, errOut)
	assert.Contains(t, out, "panic: the end of the noisy server")
	assert.Contains(t, out, "the server had exited with status 2")
	assert.Contains(t, out, " line 4999", "the last of its logs")
	assert.NotContains(t, out, "line 0 ", "not the first")
}
