package snippets

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"time"

	"github.com/netbook/netbook/runner/book"
)

// Process is a snippet running in the background, in its own process
// group: the server half of a pair.
type Process struct {
	cmd  *exec.Cmd
	dir  string
	out  *cappedWriter
	addr chan string
	done chan error
	cut  chan struct{}
	read chan struct{} // closed when all of the output has been read
}

var listening = regexp.MustCompile(`listening on (\S+)`)

// Start starts s with e in the background, in a fresh temp directory and
// its own process group. The caller waits for its address with Addr and
// stops it with Stop. Its output is kept (and streamed to o.Stream) up to
// OutputCap; past that the process is killed.
func Start(e Engine, s *book.Snippet, o Options) (*Process, error) {
	dir, err := os.MkdirTemp("", "netbook-run-")
	if err != nil {
		return nil, err
	}
	cmd, err := e.Command(s, dir, o.Args)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	p := &Process{cmd: cmd, dir: dir, addr: make(chan string, 1), done: make(chan error, 1), cut: make(chan struct{}), read: make(chan struct{})}
	p.out = &cappedWriter{stream: chapterStream(o.Stream, s), full: func() { close(p.cut); kill(cmd) }}
	cmd.Dir = dir
	cmd.Stdin = o.Stdin
	ownGroup(cmd)
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	cmd.WaitDelay = time.Second
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	go func() {
		defer close(p.read)
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), OutputCap)
		found := false
		for sc.Scan() {
			line := sc.Text()
			p.out.Write([]byte(line + "\n"))
			if m := listening.FindStringSubmatch(line); m != nil && !found {
				found = true
				p.addr <- m[1]
			}
		}
		io.Copy(io.Discard, pr)
	}()
	go func() {
		err := cmd.Wait()
		pw.Close()
		p.done <- err
	}()
	return p, nil
}

// Addr waits for the process to print "listening on ADDR" and returns ADDR.
func (p *Process) Addr(timeout time.Duration) (string, error) {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case a := <-p.addr:
		return a, nil
	case err := <-p.done:
		p.done <- err
		return "", fmt.Errorf("the server exited before it printed \"listening on ADDR\": %v\n%s", err, indent(p.Output()))
	case <-t.C:
		return "", errors.New("the server did not print \"listening on ADDR\" in time")
	}
}

// Output is what the process printed so far.
func (p *Process) Output() string { return p.out.String() }

// Stop interrupts the process group, then kills it if it lingers, and
// returns what it printed.
func (p *Process) Stop() string {
	defer os.RemoveAll(p.dir)
	interrupt(p.cmd)
	t := time.NewTimer(2 * time.Second)
	defer t.Stop()
	select {
	case err := <-p.done:
		p.done <- err
	case <-t.C:
		kill(p.cmd)
		err := <-p.done
		p.done <- err
	}
	<-p.read
	p.out.flush()
	out := p.Output()
	if p.out.isCut() {
		out += fmt.Sprintf("\n[output cut at %d KiB]\n", OutputCap>>10)
	}
	return out
}
