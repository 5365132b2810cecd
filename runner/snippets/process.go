package snippets

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Process is a snippet running in the background, in its own process
// group: the server half of a pair.
type Process struct {
	cmd  *exec.Cmd
	dir  string
	mu   sync.Mutex
	out  strings.Builder
	addr chan string
	done chan error
}

var listening = regexp.MustCompile(`listening on (\S+)`)

func startProcess(cmd *exec.Cmd) (*Process, error) {
	dir, err := os.MkdirTemp("", "netbook-run-")
	if err != nil {
		return nil, err
	}
	p := &Process{cmd: cmd, dir: dir, addr: make(chan string, 1), done: make(chan error, 1)}
	cmd.Dir = dir
	ownGroup(cmd)
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	go func() {
		sc := bufio.NewScanner(pr)
		found := false
		for sc.Scan() {
			line := sc.Text()
			p.mu.Lock()
			if p.out.Len() < OutputCap {
				p.out.WriteString(line + "\n")
			}
			p.mu.Unlock()
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
	select {
	case a := <-p.addr:
		return a, nil
	case err := <-p.done:
		p.done <- err
		return "", fmt.Errorf("the server exited before it printed \"listening on ADDR\": %v\n%s", err, p.Output())
	case <-time.After(timeout):
		return "", errors.New("the server did not print \"listening on ADDR\" in time")
	}
}

// Output is what the process printed so far.
func (p *Process) Output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

// Stop interrupts the process group, then kills it if it lingers, and
// returns what it printed.
func (p *Process) Stop() string {
	defer os.RemoveAll(p.dir)
	interrupt(p.cmd)
	select {
	case err := <-p.done:
		p.done <- err
	case <-time.After(2 * time.Second):
		kill(p.cmd)
		err := <-p.done
		p.done <- err
	}
	return p.Output()
}
