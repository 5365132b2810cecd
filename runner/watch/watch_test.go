package watch

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/netbook/netbook/internal/golden"
	"github.com/netbook/netbook/runner/check"
	"github.com/netbook/netbook/runner/gotest"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/style"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// waitChange waits for one report from w, failing after a while.
func waitChange(t *testing.T, w *Watcher) {
	t.Helper()
	select {
	case <-w.C:
	case <-time.After(10 * time.Second):
		t.Fatal("no change was reported")
	}
}

// noChange checks that w reports nothing within d.
func noChange(t *testing.T, w *Watcher, d time.Duration) {
	t.Helper()
	select {
	case <-w.C:
		t.Fatal("a change was reported where there was none")
	case <-time.After(d):
	}
}

// TestWatchWithEvents sees saves through file-system events: a save (a
// truncate and a write, so more than one event) is one change, an editor's
// swap file is none, a new file is one. The events of one save come
// microseconds apart, far inside the debounce, however busy the machine;
// how a burst of saves spread over time is debounced is tested in the
// bubble of TestWatchDebouncesABurst, where time is the test's to decide.
func TestWatchWithEvents(t *testing.T) {
	const quiet = 300 * time.Millisecond // long enough for a second report to show up
	dir := t.TempDir()
	file := filepath.Join(dir, "server.go")
	require.NoError(t, os.WriteFile(file, []byte("package x\n"), 0o644))
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	w, err := Watch(ctx, []string{dir}, Options{Debounce: 100 * time.Millisecond, Poll: time.Hour})
	require.NoError(t, err)
	t.Cleanup(w.Close)
	if w.Mode != "events" {
		t.Skipf("file-system events are unavailable here (mode %s)", w.Mode)
	}

	require.NoError(t, os.WriteFile(file, []byte("package x // saved\n"), 0o644))
	waitChange(t, w)
	noChange(t, w, quiet)

	// An editor's swap file is not a change.
	require.NoError(t, os.WriteFile(filepath.Join(dir, ".server.go.swp"), []byte("x"), 0o644))
	noChange(t, w, quiet)

	require.NoError(t, os.WriteFile(filepath.Join(dir, "new_test.go"), []byte("package x\n"), 0o644))
	waitChange(t, w)
}

// TestWatchDebouncesABurst polls, in a synctest bubble: the bubble's clock
// moves only when every goroutine in it waits, so the writes below land
// exactly where the test puts them, between the poller's ticks, whatever
// the load on the machine. A burst of writes closer together than the
// debounce is one change, reported once the files have been quiet for the
// debounce; a swap file is none; a new file is one.
func TestWatchDebouncesABurst(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const debounce, poll, gap = 100 * time.Millisecond, 10 * time.Millisecond, 30 * time.Millisecond
		dir := t.TempDir()
		file := filepath.Join(dir, "server.go")
		require.NoError(t, os.WriteFile(file, []byte("package x\n"), 0o644))
		ctx, cancel := context.WithCancel(t.Context())
		w, err := Watch(ctx, []string{dir}, Options{Debounce: debounce, Poll: poll, PollOnly: true})
		require.NoError(t, err)
		defer func() {
			cancel()
			w.Close()
		}()
		reported := func() bool {
			synctest.Wait() // every goroutine of the watcher has done what it can
			select {
			case <-w.C:
				return true
			default:
				return false
			}
		}

		// Five writes, gap apart: each comes before the debounce of the
		// one before has run out, so nothing is reported during the burst.
		for i := 0; i < 5; i++ {
			require.NoError(t, os.WriteFile(file, []byte(strings.Repeat("x", i+10)), 0o644))
			time.Sleep(gap)
			require.False(t, reported(), "a change was reported during the burst, %v after write %d", gap, i+1)
		}
		// The last write was seen at the next tick; the report follows a
		// debounce later.
		time.Sleep(debounce)
		require.True(t, reported(), "no change was reported %v after the burst", debounce+gap)
		time.Sleep(time.Second)
		require.False(t, reported(), "a burst of writes was reported more than once")

		// An editor's swap file is not a change.
		require.NoError(t, os.WriteFile(filepath.Join(dir, ".server.go.swp"), []byte("x"), 0o644))
		time.Sleep(time.Second)
		require.False(t, reported(), "a swap file was reported as a change")

		require.NoError(t, os.WriteFile(filepath.Join(dir, "new_test.go"), []byte("package x\n"), 0o644))
		time.Sleep(poll + debounce)
		require.True(t, reported(), "a new file was not reported within a poll and a debounce")
	})
}

func TestWatchMissingDirectory(t *testing.T) {
	_, err := Watch(context.Background(), []string{filepath.Join(t.TempDir(), "nope")}, Options{})
	assert.ErrorContains(t, err, "unable to watch")
}

func result(lab string, statuses ...gotest.Status) *check.Result {
	r := &check.Result{Lab: lab, Title: "A lab", Total: len(statuses), Status: check.Passed}
	for i, s := range statuses {
		r.Tasks = append(r.Tasks, check.TaskResult{Number: i + 1, Title: "task " + string(rune('A'+i)), Status: s})
		if s == gotest.Pass {
			r.Passed++
		} else {
			r.Status = check.Failed
			if r.Failure == nil {
				r.Failure = &check.Failure{Task: i + 1, Test: "TestTask", Status: s, Message: "Fetch returned 0 bytes, want 5"}
			}
		}
	}
	return r
}

func TestRenderShowsTasksFailureHintAndProgress(t *testing.T) {
	var b strings.Builder
	Render(&b, Screen{
		Result: result("01-addresses", gotest.Pass, gotest.Fail, gotest.NotRun),
		Dir:    "labs/01-addresses", HintCmd: "netbook hint 01", Next: "02-first-connection",
		Done: 1, Total: 4, Keys: true, Took: 612 * time.Millisecond,
	}, style.Style{})
	out := b.String()
	for _, want := range []string{
		"netbook watch · 01-addresses · A lab",
		"  ✓  1  task A\n  ✗  2  task B\n  ·  3  task C",
		"Task 2 failed (TestTask):\n  Fetch returned 0 bytes, want 5",
		"Stuck? netbook hint 01 (or press h)",
		"[######------------------] 1 of 4 labs done",
		"Watching labs/01-addresses: save a file to run the tests again (last run 610ms)",
		"keys: n next lab · h hint · r run again · q quit",
	} {
		assert.Contains(t, out, want)
	}
	golden.Check(t, "testdata/failing.txt", out)

	b.Reset()
	Render(&b, Screen{Result: result("01-addresses", gotest.Pass), Next: "02-first-connection", Total: 2, Done: 1, Keys: true, Width: 120}, style.Style{})
	assert.Contains(t, b.String(), "This lab passes! Next: lab 02-first-connection (press n to go on, or run netbook watch --auto).")

	b.Reset()
	Render(&b, Screen{Result: &check.Result{Lab: "01-addresses", Status: check.BuildFailed,
		BuildErrors: []gotest.Diagnostic{{File: "labs/01-addresses/addresses.go", Line: 3, Col: 2, Message: "undefined: x"}}}}, style.Style{})
	assert.Contains(t, b.String(), "The code does not compile:\n  labs/01-addresses/addresses.go:3:2: undefined: x")

	// The first screen, while the first run goes: which lab, and no
	// "0 of 0 labs done" when the progress is not known.
	b.Reset()
	Render(&b, Screen{Dir: "labs/07-duplex-chat", Running: true, Keys: true}, style.Style{})
	assert.Contains(t, b.String(), "netbook watch · labs/07-duplex-chat\n")
	assert.NotContains(t, b.String(), "0 of 0")
	assert.NotContains(t, b.String(), "\n\n\n", "one blank line between the parts")
	assert.Equal(t, 1, strings.Count(b.String(), "Running the tests..."), "the body says it, once:\n%s", b.String())
	assert.Contains(t, b.String(), "Watching labs/07-duplex-chat: save a file", "the footer says what is watched")
	// A run after the first: the last result stays, the footer says a
	// run is under way.
	b.Reset()
	Render(&b, Screen{Dir: "labs/07-duplex-chat", Result: result("07-duplex-chat", gotest.Fail), Running: true, Keys: true}, style.Style{})
	assert.Equal(t, 1, strings.Count(b.String(), "Running the tests..."), b.String())

	// A task failing with no hint left: one blank line, not two.
	b.Reset()
	Render(&b, Screen{Result: result("01-addresses", gotest.Pass, gotest.Fail), Total: 4, Done: 1}, style.Style{})
	assert.Contains(t, b.String(), "Fetch returned 0 bytes, want 5\n\n[")
	assert.NotContains(t, b.String(), "\n\n\n")
}

// Inside the lab, its folder is "." as the student types it: the screen
// says "this folder" and names the lab instead (it said "Watching .:").
func TestRenderNamesTheFolderYouAreIn(t *testing.T) {
	for _, c := range []struct {
		dir, title, status string
		l                  lang.Lang
	}{
		{".", "netbook watch · 03-hello-server\n", "Watching this folder: save a file", lang.English},
		{"..", "netbook watch · 03-hello-server\n", "Watching 03-hello-server: save a file", lang.English},
		{filepath.Join("..", ".."), "netbook watch · 03-hello-server\n", "Watching 03-hello-server: save a file", lang.English},
		{"labs/03-hello-server", "netbook watch · labs/03-hello-server\n", "Watching labs/03-hello-server: save a file", lang.English},
		{".", "netbook watch · 03-hello-server\n", "正在盯着当前文件夹：保存文件", lang.Chinese},
		{"..", "netbook watch · 03-hello-server\n", "正在盯着 03-hello-server：保存文件", lang.Chinese},
	} {
		var b strings.Builder
		Render(&b, Screen{Dir: c.dir, Lab: "03-hello-server", Running: true, Lang: c.l}, style.Style{})
		assert.Contains(t, b.String(), c.title, "dir %q", c.dir)
		b.Reset()
		Render(&b, Screen{Dir: c.dir, Lab: "03-hello-server", Result: result("03-hello-server", gotest.Fail), Lang: c.l}, style.Style{})
		assert.Contains(t, b.String(), c.status, "dir %q", c.dir)
		assert.NotContains(t, b.String(), " .", "dir %q", c.dir)
	}
}

// fakeLab is a lab directory with one file, for a Session.
func fakeLab(t *testing.T, name string) *labs.Lab {
	dir := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "lab.go"), []byte("package lab\n"), 0o644))
	return &labs.Lab{Name: name, Dir: dir, Meta: labs.Meta{Title: "Lab " + name},
		Hints: &labs.Hints{Tasks: map[int][]string{1: {"Look at net.Dial."}}}}
}

// fakeBook is a workbook for a session: checks and hints as the test says.
type fakeBook struct {
	check       func(ctx context.Context, l *labs.Lab) (*check.Result, error)
	done, total int
	hintCmd     string
	nextHint    func(l *labs.Lab) string
	elsewhere   time.Time // the day the lab was done in another copy; zero when not
}

func (f fakeBook) Check(ctx context.Context, l *labs.Lab) (*check.Result, error) {
	return f.check(ctx, l)
}
func (f fakeBook) Progress() (int, int)                    { return f.done, f.total }
func (f fakeBook) HintCmd(*labs.Lab, *check.Result) string { return f.hintCmd }
func (f fakeBook) Dir(l *labs.Lab) string                  { return l.Name }
func (f fakeBook) Elsewhere(*labs.Lab) (time.Time, bool) {
	return f.elsewhere, !f.elsewhere.IsZero()
}
func (f fakeBook) NextHint(_ context.Context, l *labs.Lab, _ *check.Result, _ int) string {
	return f.nextHint(l)
}

// syncBuffer lets the test read what a running session prints.
type syncBuffer struct {
	mu   sync.Mutex
	b    strings.Builder
	more chan struct{}
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	s.b.Write(p)
	s.mu.Unlock()
	select {
	case s.more <- struct{}{}:
	default:
	}
	return len(p), nil
}

func (s *syncBuffer) waitFor(t *testing.T, want string, count int) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		s.mu.Lock()
		got := s.b.String()
		s.mu.Unlock()
		if strings.Count(got, want) >= count {
			return
		}
		select {
		case <-s.more:
		case <-deadline:
			t.Fatalf("never printed %q %d times; printed:\n%s", want, count, got)
		}
	}
}

// TestSessionRerunsOnSaveAndFollowsKeys runs in a synctest bubble: the
// watcher polls on the bubble's clock, which stands still while the test
// writes a file, so a save is seen whole, once, on any machine.
func TestSessionRerunsOnSaveAndFollowsKeys(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, b := fakeLab(t, "01-a"), fakeLab(t, "02-b")
		var mu sync.Mutex
		runs := map[string]int{}
		passing := map[string]bool{}
		out := &syncBuffer{more: make(chan struct{}, 1)}
		keys := make(chan rune)
		s := &Session{
			Labs: []*labs.Lab{a, b},
			Book: fakeBook{
				check: func(ctx context.Context, l *labs.Lab) (*check.Result, error) {
					mu.Lock()
					defer mu.Unlock()
					runs[l.Name]++
					if passing[l.Name] {
						return result(l.Name, gotest.Pass), nil
					}
					return result(l.Name, gotest.Fail), nil
				},
				done: 0, total: 2,
				hintCmd:  "netbook hint",
				nextHint: func(l *labs.Lab) string { return "Hint 1 of 1: " + l.Hints.For(1)[0] },
			},
			Keys:  keys,
			Out:   out,
			Watch: Options{Debounce: 20 * time.Millisecond, Poll: 50 * time.Millisecond, PollOnly: true},
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		t.Cleanup(cancel)
		done := make(chan error, 1)
		go func() { done <- s.Run(ctx) }()

		out.waitFor(t, "Task 1 failed", 1)
		mu.Lock()
		passing["01-a"] = true
		mu.Unlock()
		require.NoError(t, os.WriteFile(filepath.Join(a.Dir, "lab.go"), []byte("package lab // solved\n"), 0o644))
		out.waitFor(t, "This lab passes! Next: lab 02-b", 1)
		keys <- 'h'
		out.waitFor(t, "Hint 1 of 1: Look at net.Dial.", 1)
		keys <- 'r'
		out.waitFor(t, "This lab passes!", 3)
		keys <- 'n'
		out.waitFor(t, "netbook watch · 02-b", 1)
		keys <- 'q'
		select {
		case err := <-done:
			require.NoError(t, err)
		case <-time.After(10 * time.Second):
			t.Fatal("q did not end the session")
		}
		mu.Lock()
		defer mu.Unlock()
		assert.Equal(t, 3, runs["01-a"], "the first run, one on save, one on r")
		assert.Equal(t, 1, runs["02-b"])
	})
}

func TestSessionAutoGoesOnToTheNextLab(t *testing.T) {
	a, b := fakeLab(t, "01-a"), fakeLab(t, "02-b")
	out := &syncBuffer{more: make(chan struct{}, 1)}
	s := &Session{
		Labs: []*labs.Lab{a, b},
		Book: fakeBook{
			check: func(ctx context.Context, l *labs.Lab) (*check.Result, error) {
				return result(l.Name, gotest.Pass), nil
			},
			done: 2, total: 2,
			nextHint: func(*labs.Lab) string { return "" },
		},
		Out:   out,
		Auto:  true,
		Watch: Options{PollOnly: true},
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	out.waitFor(t, "Every lab passes: you have finished the book.", 1)
	out.waitFor(t, "netbook watch · 02-b", 1)
	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("the session did not end with its context")
	}
}

// A long task title wraps under itself on an 80-column screen.
func TestRenderWrapsLongTitles(t *testing.T) {
	r := result("03-hello-server", gotest.Pass, gotest.Fail)
	long := "Give up on a client that stops reading: a deadline on each write, none on the conversation."
	r.Tasks[1].Title = long
	for _, width := range []int{0, 80} {
		var b strings.Builder
		Render(&b, Screen{Result: r, Dir: "labs/03-hello-server", Width: width}, style.Style{})
		for line := range strings.Lines(b.String()) {
			assert.LessOrEqual(t, style.Cols(strings.TrimRight(line, "\n")), 80, "%q", line)
		}
		assert.Contains(t, strings.Join(strings.Fields(b.String()), " "), long)
	}
}

// The lines under the tasks (the next lab, what is watched and how long
// the last run took) fit an 80-column screen too, in English and Chinese,
// with and without the keys.
func TestRenderFitsEightyColumns(t *testing.T) {
	for _, l := range []lang.Lang{lang.English, lang.Chinese} {
		for _, keys := range []bool{true, false} {
			for _, r := range []*check.Result{result("10-robust-servers", gotest.Pass), result("10-robust-servers", gotest.Fail)} {
				var b strings.Builder
				Render(&b, Screen{Result: r, Dir: "labs/10-robust-servers", Next: "11-reliable-transport",
					HintCmd: "netbook hint 10", Done: 10, Total: 11, Keys: keys, Took: 12345 * time.Millisecond,
					Lang: l, Width: 80}, style.Style{})
				for line := range strings.Lines(b.String()) {
					assert.LessOrEqual(t, style.Cols(strings.TrimRight(line, "\n")), 80, "%s: %q", l, line)
				}
			}
		}
	}
}

// The failing test's message wraps under itself on an 80-column screen, in
// English and Chinese, counted in the screen's lines (at most maxMessage
// and the line that says how many more); a go command it suggests stays
// on one line, to copy whole.
func TestRenderWrapsTheFailure(t *testing.T) {
	fuzz := "go test ./labs/08-framing -run='^$' -fuzz=FuzzLineReader"
	seed := "NETSIM_SEED=7 go test -run '^TestTask5Transfer$' ./labs/11-reliable-stream"
	for _, c := range []struct{ message, whole string }{{
		message: "task01_hello_test.go:23: waiting for the welcome for client 1: Serve returned while its listener was still open, so nobody is serving this client.\n" +
			"    Serve returned: TODO: implement Serve (task 1)",
	}, {
		message: "framing_test.go:546: ReadLine split a line it was given whole, at the 4096th byte of a line of 5000 bytes.\n\n" +
			"To search for more such inputs: " + fuzz + " (or FuzzLengthReader)",
		whole: fuzz,
	}, {
		message: "helpers_test.go:44: This run's network: 10% loss.\nThe same seed meets the same losses: " + seed,
		whole:   seed,
	}, {
		message: strings.Repeat("a long line of a test's message, wrapped many times over; ", 30),
	}} {
		for _, l := range []lang.Lang{lang.English, lang.Chinese} {
			for _, width := range []int{0, 80} {
				r := result("03-hello-server", gotest.Pass, gotest.Fail)
				r.Failure.Message = c.message
				var b strings.Builder
				Render(&b, Screen{Result: r, Dir: "labs/03-hello-server", HintCmd: "netbook hint 03", Lang: l, Width: width}, style.Style{})
				out := b.String()
				for line := range strings.Lines(out) {
					assert.LessOrEqual(t, style.Cols(strings.TrimRight(line, "\n")), 80, "%s: %q", l, line)
				}
				if c.whole != "" {
					assert.Contains(t, out, "\n  "+c.whole, "%s: the command has a line of its own", l)
				}
				_, failure, _ := strings.Cut(out, "(TestTask")
				failure, _, _ = strings.Cut(failure, "\n\n")
				assert.LessOrEqual(t, strings.Count(failure, "\n"), maxMessage+1, "%s: %s", l, failure)
			}
		}
	}
}

// The note under a message cut to maxMessage lines says what is true of
// check: it shows a message of up to check.MaxMessage lines whole, and
// for a longer one gives the go test command that prints all of it. What
// the code printed while the test ran is counted, with what check shows
// of it.
func TestRenderMoreLinesSaysWhatCheckShows(t *testing.T) {
	render := func(message, output string, l lang.Lang) string {
		r := result("03-hello-server", gotest.Pass, gotest.Fail)
		r.Failure.Message, r.Failure.Output = message, output
		var b strings.Builder
		Render(&b, Screen{Result: r, Dir: "labs/03-hello-server", Lang: l}, style.Style{})
		return b.String()
	}
	out := render(strings.Repeat("a line\n", check.MaxMessage), "", lang.English)
	assert.Contains(t, out, fmt.Sprintf("  ... (%d more lines: run netbook check for all of it)\n", check.MaxMessage-maxMessage))
	assert.NotContains(t, out, "Your code printed")

	out = render(strings.Repeat("a line\n", check.MaxMessage+1), "", lang.English)
	assert.Contains(t, out, fmt.Sprintf("  ... (%d more lines: cd labs && go test -run '^TestTask$' ./03-hello-server\n  prints all of it)\n", check.MaxMessage+1-maxMessage))

	out = render("short", "one print", lang.English)
	assert.Contains(t, out, "  short\n  (Your code printed a line while the test ran: netbook check shows it.)\n")
	out = render("short", strings.Repeat("a print\n", 3)+"a print", lang.English)
	assert.Contains(t, out, "(Your code printed 4 lines while the test ran: netbook check shows them.)")
	out = render("short", strings.Repeat("a print\n", 30)+"a print", lang.English)
	assert.Contains(t, oneLine(out), fmt.Sprintf("(Your code printed 31 lines while the test ran: netbook check shows the first %d.)", check.MaxOutput))
	out = render("short", strings.Repeat("a print\n", 30)+"a print", lang.Chinese)
	assert.Contains(t, out, "（测试运行时你的代码打印了 31 行：netbook check 会显示前 10 行。）")
	// Lines longer than the screen are lines still, as check counts them.
	out = render("short", strings.Repeat(strings.Repeat("long ", 40)+"\n", 3)+"end", lang.English)
	assert.Contains(t, oneLine(out), "(Your code printed 4 lines while the test ran: netbook check shows them.)")
	// An output netbook kept in part: more than the lines kept, and
	// gotest's line about the bytes left out is none of them.
	kept := strings.Repeat("a print\n", 20) + "... (5000 bytes of output left out here)\n" + strings.Repeat("a print\n", 10) + "a print"
	out = render("short", kept, lang.English)
	assert.Contains(t, oneLine(out), fmt.Sprintf("(Your code printed more than 31 lines while the test ran: netbook check shows the first %d.)", check.MaxOutput))
	out = render("short", kept, lang.Chinese)
	assert.Contains(t, out, "（测试运行时你的代码打印了超过 31 行：netbook check 会显示前 10 行。）")
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// A lab done in another copy of the book (netbook progress --import),
// whose files here are the skeleton: every task fails, and the screen
// says why above them in check's words (the catalog's CompareElsewhere),
// wrapped to the screen, in English and Chinese. A lab that passes, and
// the first screen while the tests run, say nothing of it.
func TestRenderSaysALabWasDoneElsewhere(t *testing.T) {
	day := time.Date(2026, 3, 2, 12, 0, 0, 0, time.Local)
	for _, l := range []lang.Lang{lang.English, lang.Chinese} {
		want := strings.TrimSuffix(l.Sprintf(lang.CompareElsewhere, "01-addresses", l.Day(day)), "\n")
		for _, cols := range []int{0, 60, 80} {
			var b strings.Builder
			Render(&b, Screen{Result: result("01-addresses", gotest.Fail, gotest.Fail), Dir: "labs/01-addresses",
				HintCmd: "netbook hint 01", Done: 1, Total: 11, Keys: true, Lang: l, Width: cols,
				Elsewhere: true, DoneAt: day}, style.Style{})
			out := b.String()
			// Title, blank line, the note (wrapped), blank line, tasks.
			_, body, _ := strings.Cut(out, "\n\n")
			note, tasks, ok := strings.Cut(body, "\n\n")
			assert.True(t, ok, out)
			assert.Equal(t, squash(want), squash(note), "%s %d: the note first:\n%s", l, cols, out)
			assert.True(t, strings.HasPrefix(tasks, "  ✗  1  task A\n"), "then the tasks:\n%s", out)
			assert.NotContains(t, out, "\n\n\n")
			for line := range strings.Lines(out) {
				assert.LessOrEqual(t, style.Cols(strings.TrimRight(line, "\n")), width(cols), "%s: %q", l, line)
			}
		}
		var b strings.Builder
		Render(&b, Screen{Result: result("01-addresses", gotest.Pass), Dir: "labs/01-addresses", Lang: l, Elsewhere: true, DoneAt: day}, style.Style{})
		assert.NotContains(t, squash(b.String()), squash(want)[:10], "a lab that passes here has its files here")
		b.Reset()
		Render(&b, Screen{Dir: "labs/01-addresses", Running: true, Lang: l, Elsewhere: true, DoneAt: day}, style.Style{})
		assert.NotContains(t, squash(b.String()), squash(want)[:10], "no result yet")
	}
}

// The session asks the book whether the lab was done elsewhere once the
// first run is over, and the screen says so; on a plain output, one
// screen per run.
func TestSessionSaysALabWasDoneElsewhere(t *testing.T) {
	a := fakeLab(t, "01-a")
	day := time.Date(2026, 3, 2, 12, 0, 0, 0, time.Local)
	out := &syncBuffer{more: make(chan struct{}, 1)}
	s := &Session{
		Labs: []*labs.Lab{a},
		Book: fakeBook{
			check: func(ctx context.Context, l *labs.Lab) (*check.Result, error) {
				return result(l.Name, gotest.Fail), nil
			},
			done: 1, total: 1, elsewhere: day,
			nextHint: func(*labs.Lab) string { return "" },
		},
		Out:   out,
		Lang:  lang.Chinese,
		Width: 80,
		Watch: Options{PollOnly: true},
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	out.waitFor(t, "你在 "+lang.Chinese.Day(day)+" 完成了实验 01-a", 1)
	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("the session did not end with its context")
	}
}

// squash is s without its spaces and line breaks: a line wrapped in
// Chinese breaks where no space was.
func squash(s string) string { return strings.Join(strings.Fields(s), "") }
