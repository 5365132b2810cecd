package interpbin

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/netbook/netbook/runner/replproto"
	"github.com/netbook/netbook/runner/sandbox"
)

// replChild is one interpreter process of a REPL session.
type replChild struct {
	cmd     *exec.Cmd
	req     *json.Encoder
	reqW    io.Closer
	results chan replproto.Result // closed when the interpreter closes its results
	exited  chan struct{}         // closed when the interpreter has exited
	waitErr error                 // how it exited, once exited is closed
	errTail *tail                 // the end of its error output, for sandbox.Explain
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
// says once, on note, that it cut the rest.
type outputCap struct {
	mu     sync.Mutex
	w      io.Writer
	note   io.Writer
	max, n int64
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
	if keep < int64(len(p)) && c.n <= c.max {
		fmt.Fprintf(c.note, "\nnetbook repl: this line printed more than %s; the rest of its output is cut.\n", sizeOf(c.max))
	}
	c.n += int64(len(p))
	if keep > 0 {
		if _, err := c.w.Write(p[:keep]); err != nil {
			return 0, err
		}
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

// replSession is netbook's side of a REPL: the interpreter it runs now,
// and the inputs that defined something, to replay into the next one.
type replSession struct {
	bin, dir       string
	stdout, stderr io.Writer
	out            *outputCap // what the interpreter prints goes through it, when set
	o              REPLOptions
	sig            chan os.Signal // Ctrl-C
	child          *replChild
	defs           []definition
}

// start starts an interpreter.
func (s *replSession) start() error {
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
	cmd := exec.Command(s.bin, "repl")
	cmd.Dir = s.dir
	cmd.Env = append(os.Environ(), "TMPDIR="+s.dir, "GOTRACEBACK=none")
	errTail := &tail{}
	// A limit's fatal error reaches the terminal without the runtime's stack
	// dumps: the line that follows says which limit it was. A panic's
	// message comes without the interpreter's frame lines, whose positions
	// are not the panic's.
	cmd.Stdin, cmd.Stdout, cmd.Stderr = reqR, s.stdout, io.MultiWriter(cutPanicFrames(sandbox.CutFatal(s.stderr)), errTail)
	if s.out != nil {
		cmd.Stdout = s.out
	}
	if err := passResults(cmd, resW); err != nil {
		reqR.Close()
		reqW.Close()
		resR.Close()
		resW.Close()
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
		return fmt.Errorf("unable to start the interpreter: %w", err)
	}
	c := &replChild{cmd: cmd, req: json.NewEncoder(reqW), reqW: reqW,
		results: make(chan replproto.Result), exited: make(chan struct{}), errTail: errTail}
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
		close(c.exited)
	}()
	s.child = c
	if s.o.started != nil {
		s.o.started(cmd.Process.Pid)
	}
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
}

// kill kills the interpreter and what it started, and waits for it.
func (s *replSession) kill() {
	killGroup(s.child.cmd)
	<-s.child.exited
	s.child.reqW.Close()
}

// eval has the interpreter evaluate src (whose last line is line) and
// returns how it ended. When the interpreter dies, or an evaluation does
// not stop when asked, eval starts another interpreter and replays the
// session's definitions into it. The error is for an interpreter that
// cannot be started again.
func (s *replSession) eval(src, line string) (replproto.Status, error) {
	if s.dead() {
		if err := s.restart(fmt.Sprintf("the interpreter had stopped (%s)", s.exit())); err != nil {
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
	if err := c.req.Encode(replproto.Request{Src: src, Line: line}); err != nil {
		return replproto.Failed, s.restart(fmt.Sprintf("the interpreter stopped unexpectedly (%s); this line did not run", s.exit()))
	}
	limit := time.NewTimer(s.o.Timeout)
	defer limit.Stop()
	var why string
	select {
	case r, ok := <-c.results:
		if !ok {
			return replproto.Failed, s.restart(fmt.Sprintf("the interpreter stopped unexpectedly while it ran this line (%s)", s.exit()))
		}
		if r.Status == replproto.OK {
			s.record(src)
		}
		return r.Status, nil
	case <-s.sig:
		why = "interrupted"
	case <-limit.C:
		why = fmt.Sprintf("stopped: it ran longer than %v (the repl's --timeout flag sets the limit)", s.o.Timeout)
	}
	if !s.o.deaf {
		interrupt(c.cmd)
	}
	grace := time.NewTimer(s.o.Grace)
	defer grace.Stop()
	select {
	case r, ok := <-c.results:
		if ok {
			fmt.Fprintln(s.stderr, s.stopped(why))
			return r.Status, nil
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
	if why := sandbox.Explain(s.child.cmd.ProcessState, s.child.errTail.String(), REPLLimits); why != "" {
		return why
	}
	if s.child.waitErr == nil {
		return "exit status 0"
	}
	return s.child.waitErr.Error()
}

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
	fmt.Fprintf(s.stderr, "%s.\n%s", upperFirst(why), summary(kept, lost))
	return nil
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
