package interpbin

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/netbook/netbook/runner/replproto"
	"github.com/netbook/netbook/runner/sandbox"
	"github.com/netbook/netbook/runner/style"
)

// replChild is one interpreter process of a REPL session.
type replChild struct {
	cmd     *exec.Cmd
	req     *json.Encoder
	reqW    io.Closer
	results chan replproto.Result // closed when the interpreter closes its results
	exited  chan struct{}         // closed when the interpreter has exited
	copied  chan struct{}         // closed when all of its error output has been passed on
	waitErr error                 // how it exited, once exited is closed
	errTail *tail                 // the end of its error output, for sandbox.Explain
	errCut  *framesCut            // its error output's filter, flushed as each evaluation ends
	errW    *os.File              // netbook's copy of its error output's write end, for syncErr
	synced  chan struct{}         // told when the error output has been passed on up to a syncErr
}

// tail keeps the last tailSize bytes written to it.
type tail struct {
	mu sync.Mutex
	b  []byte
}

const tailSize = 64 << 10 // a runtime crash prints its reason above a stack dump

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > tailSize {
		t.b = append(t.b[:0], t.b[len(t.b)-tailSize:]...)
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}

// outputCap passes on at most max bytes of each evaluation's output, and
// says once, on note, that it cut the rest. A cut in the middle of a line
// ends the line, so that the next evaluation's output starts on its own.
type outputCap struct {
	mu     sync.Mutex
	w      io.Writer
	note   io.Writer
	max, n int64
	last   byte // the last byte passed on
}

// reset starts a new evaluation's count.
func (c *outputCap) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n = 0
}

func (c *outputCap) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	keep := min(int64(len(p)), max(c.max-c.n, 0))
	cut := keep < int64(len(p)) && c.n <= c.max
	if cut {
		fmt.Fprintf(c.note, "\nnetbook repl: this line printed more than %s; the rest of its output is cut.\n", sizeOf(c.max))
	}
	c.n += int64(len(p))
	kept := p[:keep]
	if cut && (keep > 0 && p[keep-1] != '\n' || keep == 0 && c.last != '\n' && c.last != 0) {
		kept = append(kept[:keep:keep], '\n')
	}
	if len(kept) > 0 {
		if _, err := c.w.Write(kept); err != nil {
			return 0, err
		}
		c.last = kept[len(kept)-1]
	}
	return len(p), nil
}

// sizeOf writes a byte count as 4 MiB, 64 KiB or 100 bytes.
func sizeOf(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// errSync is what netbook writes into the interpreter's error output, after
// what the interpreter wrote, to learn when copyErr has passed that on.
var errSync = []byte("\x00netbook repl: sync\x00")

// copyErr passes the interpreter's error output, r, on to w, until the
// pipe closes. At each errSync it flushes c.errCut (the evaluation has
// ended: what it held back is all there is) and tells c.synced.
func (c *replChild) copyErr(r io.Reader, w io.Writer) {
	buf := make([]byte, 32<<10)
	var held []byte // the start of what may be an errSync
	for {
		n, err := r.Read(buf)
		data := append(held, buf[:n]...)
		held = nil
		for {
			i := bytes.Index(data, errSync)
			if i < 0 {
				break
			}
			w.Write(data[:i])
			c.errCut.flush()
			select {
			case c.synced <- struct{}{}:
			default:
			}
			data = data[i+len(errSync):]
		}
		part := partialSync(data)
		w.Write(data[:len(data)-len(part)])
		held = append(held, part...)
		if err != nil {
			w.Write(held)
			c.errCut.flush()
			return
		}
	}
}

// partialSync returns the longest end of data that begins errSync.
func partialSync(data []byte) []byte {
	for k := min(len(data), len(errSync)-1); k > 0; k-- {
		if bytes.HasPrefix(errSync, data[len(data)-k:]) {
			return data[len(data)-k:]
		}
	}
	return nil
}

// syncErr waits, at most d, until what the interpreter wrote to its error
// output before now has been shown, so that an evaluation's last words
// come before the next prompt, not after it.
func (c *replChild) syncErr(d time.Duration) {
	select {
	case <-c.synced: // a late answer to an earlier sync
	default:
	}
	if _, err := c.errW.Write(errSync); err != nil {
		return // the interpreter has ended
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-c.synced:
	case <-c.exited:
	case <-t.C:
	}
}

// replSession is netbook's side of a REPL: the interpreter it runs now,
// and the inputs that defined something, to replay into the next one.
type replSession struct {
	bin, dir       string
	stdout, stderr io.Writer
	out            *outputCap // what the interpreter prints goes through it, when set
	o              REPLOptions
	sig            chan os.Signal // Ctrl-C
	defs           []definition
	width          int // the terminal's columns, to wrap notes to; 0 leaves them whole

	// mu guards child against end, which SIGHUP and SIGTERM call from
	// another goroutine: start swaps child under it, so end kills the
	// interpreter that runs, never one that is replaced a moment later.
	// Only start writes child, on the session's goroutine, which reads it
	// without the lock.
	mu    sync.Mutex
	child *replChild
	ended bool // end was called: start starts no interpreter
}

// errEnded is start's error once the session has ended.
var errEnded = errors.New("the session has ended")

// start starts an interpreter, unless the session has ended.
func (s *replSession) start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ended {
		return errEnded
	}
	reqR, reqW, err := os.Pipe()
	if err != nil {
		return err
	}
	resR, resW, err := os.Pipe()
	if err != nil {
		reqR.Close()
		reqW.Close()
		return err
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		reqR.Close()
		reqW.Close()
		resR.Close()
		resW.Close()
		return err
	}
	cmd := exec.Command(s.bin, "repl")
	cmd.Dir = s.dir
	cmd.Env = append(os.Environ(), "TMPDIR="+s.dir, "GOTRACEBACK=none")
	errTail := &tail{}
	errCut := cutPanicFrames(sandbox.CutFatal(s.stderr))
	// A limit's fatal error reaches the terminal without the runtime's stack
	// dumps: the line that follows says which limit it was. A panic's
	// message comes without the interpreter's frame lines, whose positions
	// are not the panic's. netbook copies the error output itself (copyErr),
	// so that it can tell when all that an evaluation wrote has been shown,
	// before the next prompt (syncErr).
	cmd.Stdin, cmd.Stdout, cmd.Stderr = reqR, s.stdout, errW
	if s.out != nil {
		cmd.Stdout = s.out
	}
	if err := passResults(cmd, resW); err != nil {
		reqR.Close()
		reqW.Close()
		resR.Close()
		resW.Close()
		errR.Close()
		errW.Close()
		return err
	}
	ownGroup(cmd)
	sandbox.Wrap(cmd, sandbox.Options{Dir: s.dir, Limits: REPLLimits})
	err = cmd.Start()
	reqR.Close()
	resW.Close()
	if err != nil {
		reqW.Close()
		resR.Close()
		errR.Close()
		errW.Close()
		return fmt.Errorf("unable to start the interpreter: %w", err)
	}
	c := &replChild{cmd: cmd, req: json.NewEncoder(reqW), reqW: reqW,
		results: make(chan replproto.Result), exited: make(chan struct{}), errTail: errTail, errCut: errCut,
		errW: errW, synced: make(chan struct{}, 1), copied: make(chan struct{})}
	go func() {
		defer close(c.copied)
		defer errR.Close()
		c.copyErr(errR, io.MultiWriter(errCut, errTail))
	}()
	go func() {
		defer close(c.results)
		defer resR.Close()
		dec := json.NewDecoder(resR)
		for {
			var r replproto.Result
			if dec.Decode(&r) != nil {
				return
			}
			c.results <- r
		}
	}()
	go func() {
		c.waitErr = cmd.Wait()
		errW.Close() // the pipe's last write end: copyErr reaches its end
		close(c.exited)
	}()
	if s.o.started != nil {
		s.o.started(cmd.Process.Pid)
	}
	s.child = c
	return nil
}

// stop ends the interpreter as the session ends: its input closes, and it
// is killed if it does not exit within the grace period.
func (s *replSession) stop() {
	c := s.child
	c.reqW.Close()
	t := time.NewTimer(s.o.Grace)
	defer t.Stop()
	select {
	case <-c.exited:
	case <-t.C:
		s.kill()
	}
	<-c.copied // its last words are out before the session ends
}

// end ends the session from another goroutine (SIGHUP, SIGTERM): it
// kills the interpreter, the one a restart is starting included, and no
// other starts after it.
func (s *replSession) end() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ended = true
	if s.child != nil {
		s.kill()
	}
}

// kill kills the interpreter and what it started, and waits for it and
// its last words.
func (s *replSession) kill() {
	killGroup(s.child.cmd)
	<-s.child.exited
	<-s.child.copied
	s.child.reqW.Close()
}

// eval has the interpreter evaluate r.Src (whose last line is r.Line) and
// returns how it ended; piped (r.First > 0), netbook's notes on it name
// its lines, as the interpreter's errors do. When the interpreter dies, or an evaluation does
// not stop when asked, eval starts another interpreter and replays the
// session's definitions into it. The error is for an interpreter that
// cannot be started again.
func (s *replSession) eval(r replproto.Request) (replproto.Status, error) {
	src := r.Src
	at := replproto.LineLabel(r.First, src, 0)
	if s.dead() {
		why := fmt.Sprintf("the interpreter had stopped (%s)", s.exit())
		if s.goroutinePanicked() {
			why = goroutinePanic
		}
		if err := s.restart(why); err != nil {
			return replproto.Failed, err
		}
	}
	select {
	case <-s.sig: // a Ctrl-C before this evaluation is not meant for it
	default:
	}
	c := s.child
	if s.out != nil {
		s.out.reset()
	}
	c.errCut.start()
	if err := c.req.Encode(r); err != nil {
		return replproto.Failed, s.restart(fmt.Sprintf("%sthe interpreter stopped unexpectedly (%s); this line did not run", at, s.exit()))
	}
	limit := time.NewTimer(s.o.Timeout)
	defer limit.Stop()
	var why string
	select {
	case res, ok := <-c.results:
		if !ok {
			why := fmt.Sprintf("%sthe interpreter stopped unexpectedly while it ran this line (%s)", at, s.exit())
			if s.goroutinePanicked() {
				why = at + goroutinePanic
			}
			return replproto.Failed, s.restart(why)
		}
		c.syncErr(s.o.Grace)
		if res.Status == replproto.OK {
			s.record(src)
		}
		return res.Status, nil
	case <-s.sig:
		why = "interrupted"
		if s.width > 0 {
			// The terminal has echoed ^C: what netbook says starts a
			// line of its own, as it is wrapped to.
			fmt.Fprintln(s.stderr)
		}
	case <-limit.C:
		why = fmt.Sprintf("stopped: it ran longer than %v (the repl's --timeout flag sets the limit)", s.o.Timeout)
	}
	if !s.o.deaf {
		interrupt(c.cmd)
	}
	grace := time.NewTimer(s.o.Grace)
	defer grace.Stop()
	why = at + why
	select {
	case res, ok := <-c.results:
		if ok {
			c.syncErr(s.o.Grace)
			s.note("%s", s.stopped(why))
			return res.Status, nil
		}
		// Asked to stop, it ended instead (the signal came before it
		// could catch it, say): the limit or Ctrl-C is still the news.
		return replproto.Interrupted, s.restart(fmt.Sprintf("%s, and the interpreter ended (%s), so netbook started a new one", why, s.exit()))
	case <-grace.C:
	}
	s.kill()
	return replproto.Interrupted, s.restart(fmt.Sprintf("%s, and the interpreter did not answer within %v, so netbook started a new one", why, s.o.Grace))
}

// stopped says what an interruption leaves of the session: the
// interpreter stops every goroutine and func value made before it (yaegi
// marks them all with the evaluation's run, and an interruption starts a
// new one), except a goroutine blocked in a call, until the call returns.
func (s *replSession) stopped(why string) string {
	msg := why + ". Goroutines started so far stop at their next step (one blocked in a call such as Accept stays blocked), a limit of the interpreter"
	var funcs []string
	seen := map[string]bool{}
	for _, d := range s.defs {
		for _, n := range d.funcValues {
			if !seen[n] {
				seen[n] = true
				funcs = append(funcs, n)
			}
		}
	}
	if len(funcs) > 0 {
		msg += "; so do func values made so far: define " + strings.Join(funcs, ", ") + " again"
	}
	return msg + "."
}

// dead reports whether the interpreter has ended since the last input.
func (s *replSession) dead() bool {
	select {
	case <-s.child.exited:
		return true
	default:
		return false
	}
}

// exit says how the interpreter ended, once it has: which of the
// sandbox's limits stopped it, if one did.
func (s *replSession) exit() string {
	<-s.child.exited
	<-s.child.copied // errTail is complete
	if why := sandbox.Explain(s.child.cmd.ProcessState, s.child.errTail.String(), REPLLimits); why != "" {
		return why
	}
	if s.child.waitErr == nil {
		return "exit status 0"
	}
	return s.child.waitErr.Error()
}

// goroutinePanic is why the interpreter stopped when a goroutine
// panicked: it printed the panic (see runner/interp's goGuard).
const goroutinePanic = "a goroutine panicked (above), and a panic that nothing recovers ends a Go program, so netbook started a new interpreter"

// goroutinePanicked reports whether the interpreter, which has exited,
// ended as a goroutine's panic ends a program: with ExitPanic's status
// (2), its last line the panic's goroutine (runner/interp's guard), or
// after the Go runtime's own report of a panic the interpreter panicked
// with again (a goroutine that runs a named function).
func (s *replSession) goroutinePanicked() bool {
	<-s.child.exited
	<-s.child.copied
	var ee *exec.ExitError
	if !errors.As(s.child.waitErr, &ee) || ee.ExitCode() != 2 {
		return false
	}
	out := s.child.errTail.String()
	if repanickedLine.MatchString(out) {
		return true
	}
	out = strings.TrimRight(out, "\r\n")
	m := guardedLine.FindStringSubmatch(out[strings.LastIndexByte(out, '\n')+1:])
	return m != nil && m[1] != "1" // goroutine 1's panic is an evaluation's
}

// repanickedLine and guardedLine are the lines a goroutine's panic ends
// the interpreter with (see goroutinePanicked).
var (
	repanickedLine = regexp.MustCompile(`(?m)^panic: .* \[recovered, repanicked\]\r?$`)
	guardedLine    = regexp.MustCompile(`^goroutine (\d+) \[running\]: no stack trace in the REPL\r?$`)
)

// restart starts a new interpreter, replays the definitions into it, and
// says why and what was kept and lost.
func (s *replSession) restart(why string) error {
	if !s.dead() {
		s.kill()
	}
	s.child.reqW.Close()
	if err := s.start(); err != nil {
		return fmt.Errorf("%s; %w", why, err)
	}
	var kept, lost []definition
	for _, d := range s.defs {
		if d.replay && s.replay(d) {
			kept = append(kept, d)
		} else {
			lost = append(lost, d)
		}
	}
	s.defs = kept
	s.note("%s.\n%s", upperFirst(why), strings.TrimSuffix(summary(kept, lost), "\n"))
	return nil
}

// note prints one of netbook's notes on stderr, and a newline, wrapped to
// the terminal's width when stderr is one.
func (s *replSession) note(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if s.width > 0 {
		msg = style.Wrap(msg, s.width)
	}
	fmt.Fprintln(s.stderr, msg)
}

// replay evaluates a definition in the new interpreter, silently, and
// reports whether it worked.
func (s *replSession) replay(d definition) bool {
	c := s.child
	if c.req.Encode(replproto.Request{Src: d.src, Line: d.src, Quiet: true}) != nil {
		return false
	}
	t := time.NewTimer(s.o.Timeout)
	defer t.Stop()
	select {
	case r, ok := <-c.results:
		return ok && r.Status == replproto.OK
	case <-t.C:
		return false
	}
}

// record keeps src, which ran, if it defined something.
func (s *replSession) record(src string) {
	if d, ok := classify(src); ok {
		s.defs = append(s.defs, d)
	}
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// errNoResults is the error where the platform cannot hand the interpreter
// a file for its results.
var errNoResults = errors.New("netbook repl runs on Unix and Windows only")
