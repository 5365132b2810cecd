// Package up runs one server lab as a real server in the foreground, for a
// person to talk to with nc, telnet or netbook assist: netbook up.
//
// The lab is built with labrun (the student's code as it is in the work
// tree, or the reference solution), started on 127.0.0.1 (another address
// only with Public, and a warning), and its output is passed through as it
// comes: first the line
//
//	listening on tcp 127.0.0.1:41234
//
// then, once Serve calls Accept (or ReadFrom), a line that says so, and
// only then where to talk to the server: a Serve that returns at once, as
// every skeleton's does, gets an error that says so and what to do
// instead. Then one line per connection, read and write. That log never
// makes the server wait: when nobody reads it (a pager, Ctrl-S, a pipe
// into a program that sleeps), lines are dropped and counted, and the
// count is printed where they were and when Run returns. The server runs
// with resource limits (512 MiB of memory, CPULimit of CPU time,
// OpenFiles), and one that dies of a limit gets an error that says which,
// in words. Lab 10's room logs its own records there too, as "[log]"
// lines (see labrun). When the context is done
// (Ctrl-C, or SIGTERM) the server gets SIGINT, closes its socket and must
// return from Serve; Run says whether it exited cleanly. What netbook says,
// and the server's log lines, follow Options.Lang; the "listening on" line,
// the bytes and the commands stay as they are.
package up

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/netbook/netbook/labs/loopback"
	"github.com/netbook/netbook/runner/labrun"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/repo"
	"github.com/netbook/netbook/runner/sandbox"
)

// logFlush is how long Run waits, as it returns, for the server's last
// lines to be read.
const logFlush = 2 * time.Second

// serveWait is how long Run waits for Serve to wait for clients (or to
// return) before it says that Serve has not called Accept yet. Only that
// note waits for it: where to talk to the server waits for Serve itself.
// Tests make it shorter.
var serveWait = 5 * time.Second

// logSync is how long Run waits for the server's first lines to be written
// before it says where to talk to the server.
const logSync = time.Second

// Options tune Run.
type Options struct {
	Ref    bool   // run the reference solution instead of the student's code
	Addr   string // where to listen; 127.0.0.1:0 when empty
	Public bool   // allow an address that is not loopback, with a warning
	Quiet  bool   // do not log connections, reads and writes
	// Build adds to how the program is built (tests map files with it).
	Build labrun.Options
	// Stdout gets the server's output; Stderr netbook's own messages and
	// the server's error output.
	Stdout, Stderr io.Writer
	// Cmd is how to invoke netbook in the commands Run suggests.
	Cmd string
	// Lang is the language of netbook's own messages (English when
	// zero); what the server prints is passed on as it is.
	Lang lang.Lang
}

// Run builds lab l and serves it until ctx is done. It returns nil when the
// server then exits cleanly, and an error when it does not build, does not
// start, stops by itself, or does not stop cleanly.
func Run(ctx context.Context, r repo.Root, l *labs.Lab, o Options) error {
	in := o.Lang
	if labrun.KindOf(l) != labrun.Server {
		more := in.Sprintf(lang.UpNotServerCheck, o.Cmd, l.Number)
		if labrun.KindOf(l) == labrun.Client {
			more = in.Sprintf(lang.UpNotServerClient, o.Cmd, l.Number)
		}
		return errors.New(in.Sprintf(lang.UpNotServer, l.Name, more))
	}
	if o.Addr == "" {
		o.Addr = "127.0.0.1:0"
	}
	warning, err := loopback.Check(o.Addr, "listen on", o.Public)
	if err != nil {
		return err
	}
	if warning != "" {
		fmt.Fprintln(o.Stderr, warning)
	}
	if err := canListen(l, o); err != nil {
		return err
	}
	b := o.Build
	b.Ref, b.Lang = o.Ref, o.Lang
	who := in.Sprintf(lang.UpYourCode)
	if o.Ref {
		who = in.Sprintf(lang.UpRefSolution)
	}
	in.Fprintf(o.Stderr, lang.UpBuilding, l.Name, who)
	p, err := labrun.Build(ctx, r, l, b)
	if err != nil {
		var be *labrun.BuildError
		if !in.IsEnglish() && errors.As(err, &be) {
			return errors.New(be.ErrorIn(in))
		}
		return err
	}
	defer p.Remove()
	// The server's output goes through queues that never block it, so
	// that a reader who stops reading does not stop the server.
	stdout, stderr := newAsyncLogIn(o.Stdout, in), newAsyncLogIn(o.Stderr, in)
	defer func() {
		out, _ := stdout.Close(logFlush)
		errs, _ := stderr.Close(logFlush)
		if n := out + errs; n > 0 {
			fmt.Fprint(o.Stderr, droppedInAll(in, n))
		}
	}()
	listenChecked(o.Addr)
	// The Go runtime's dump of every goroutine after it stops at a limit
	// tells a student nothing that Why's sentence does not.
	srv, err := p.Start(ctx, labrun.StartOptions{Addr: o.Addr, Quiet: o.Quiet, Stdout: stdout, Stderr: sandbox.CutFatal(dropCannotListen{stderr}), Serving: true,
		Limits: limits})
	if err != nil {
		return startFailed(err, l, o)
	}
	who = p.WhoIn(in)
	// Where to talk to the server comes once its Serve waits for clients,
	// after the server's own lines; not while Serve may still return at
	// once, as a skeleton's does, and then there is nothing to talk to.
	serving, slow := srv.Serving(), time.After(serveWait)
	for {
		select {
		case <-serving:
			serving, slow = nil, nil
			stdout.Sync(logSync)
			in.Fprintf(o.Stderr, lang.UpListening, upperFirst(who), talkIn(in, o.Cmd, l.Talk, srv.Network, srv.Addr))
		case <-slow:
			slow = nil
			stdout.Sync(logSync)
			in.Fprintf(o.Stderr, lang.UpNotWaiting, upperFirst(who), waitCall(srv.Network), serveWait)
		case <-ctx.Done():
			if err := srv.Stop(); err != nil {
				return stopError(in, err)
			}
			// After the server's last lines ("Serve returned nil; bye").
			stdout.Sync(logSync)
			in.Fprintf(o.Stderr, lang.UpStoppedCleanly, upperFirst(who))
			return nil
		case <-srv.Done():
			srv.Stop()
			if why := srv.WhyIn(in); why != "" {
				return errors.New(why)
			}
			select {
			case <-srv.Serving():
			default:
				return stoppedAtOnce(in, who, srv.ExitCode(), o.Cmd, l.Number)
			}
			return errors.New(in.Sprintf(lang.UpStoppedByItself, who, srv.ExitCode()))
		}
	}
}

// stoppedAtOnce is the error for a server that exited before its Serve
// waited for a single client: a skeleton's Serve, which returns its TODO
// error at once (the generated main then exits with status 1).
func stoppedAtOnce(in lang.Lang, who string, code int, cmd string, lab int) error {
	if code != 1 {
		return errors.New(in.Sprintf(lang.UpStoppedEarly, who, code))
	}
	return errors.New(in.Sprintf(lang.UpStoppedAtOnce, who, cmd, lab, cmd, lab))
}

// stopError is Running.Stop's error in language in.
func stopError(in lang.Lang, err error) error {
	var se *labrun.StopError
	if in.IsEnglish() || !errors.As(err, &se) {
		return err
	}
	return errors.New(se.In(in))
}

// Limits of the server: the memory of labrun.ServerMemory, CPU time for
// a long session of talking to it by hand (a loop that spins without end
// is stopped after CPULimit instead of heating the machine all day), and
// files and sockets for more clients than anyone opens by hand.
const (
	CPULimit  = 10 * time.Minute
	OpenFiles = 4096
)

// limits are the server's; tests lower them.
var limits = labrun.ServerLimits(CPULimit, OpenFiles)

// listenChecked is called once canListen has found the address free, just
// before the server starts: tests take the port there, as another program
// could.
var listenChecked = func(addr string) {}

// startFailed is the error of a server that did not start. What it
// printed has been shown as it came, so the error does not quote it
// again; an address taken by another program since canListen tried it
// gets canListen's words.
func startFailed(err error, l *labs.Lab, o Options) error {
	var se *labrun.StartError
	if !errors.As(err, &se) || errors.Is(err, context.Canceled) {
		// Stopped while it started (Ctrl-C, SIGHUP): the caller names
		// the signal, from the error's chain.
		return err
	}
	in := o.Lang
	if se.Limit != "" {
		return errors.New(se.LimitIn(in))
	}
	if line := cannotListenLine(se.Output); line != "" {
		if strings.Contains(line, "address already in use") {
			return inUse(l, o)
		}
		return errors.New(in.Sprintf(lang.UpCannotStart, se.ShortIn(in), line))
	}
	return errors.New(in.Sprintf(lang.UpStartFailed, se.ShortIn(in)))
}

// cannotListenPrefix starts the line the generated main prints when it
// cannot listen, and exits with status 2.
const cannotListenPrefix = "cannot listen: "

// cannotListenLine is that line of out, or "".
func cannotListenLine(out string) string {
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, cannotListenPrefix) {
			return line
		}
	}
	return ""
}

// dropCannotListen passes a server's error output on, a line at a time,
// but for the generated main's "cannot listen" line, which Run's error
// says in its place: once, with what to do.
type dropCannotListen struct{ w io.Writer }

func (d dropCannotListen) Write(p []byte) (int, error) {
	if bytes.HasPrefix(p, []byte(cannotListenPrefix)) {
		return len(p), nil
	}
	return d.w.Write(p)
}

// canListen tries the address the server is to listen on, before the
// build: an address in use (by another server, another netbook up) is
// said at once, and once, with what to do instead, rather than by the
// server after the build and again in Run's error. Port 0 is always free.
func canListen(l *labs.Lab, o Options) error {
	_, port, err := net.SplitHostPort(o.Addr)
	if err != nil || port == "0" {
		return nil
	}
	var sock io.Closer
	if l.Serve == "udp" {
		sock, err = net.ListenPacket("udp", o.Addr)
	} else {
		sock, err = net.Listen("tcp", o.Addr)
	}
	if err == nil {
		return sock.Close()
	}
	if !errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf(lang.UpCannotListen.Format(o.Lang), o.Addr, err)
	}
	return inUse(l, o)
}

// inUse says that o.Addr is another program's, and what to do instead.
func inUse(l *labs.Lab, o Options) error {
	host, _, _ := net.SplitHostPort(o.Addr)
	again := fmt.Sprintf("%s up %02d", o.Cmd, l.Number)
	if o.Ref {
		again += " --ref"
	}
	if host != "127.0.0.1" {
		again += " --addr " + net.JoinHostPort(host, "0")
		if o.Public {
			again += " --public"
		}
	}
	return errors.New(o.Lang.Sprintf(lang.UpInUse, o.Addr, again))
}

// waitCall is the call with which a Serve waits for clients on network.
func waitCall(network string) string {
	if network == "udp" {
		return "ReadFrom"
	}
	return "Accept"
}

// talk says how to talk to a server at addr: with the lab's own client
// when it has one (with), else with nc or netbook assist. Each command has
// a line of its own, to copy whole.
func talk(cmd, with, network, addr string) string {
	return talkIn(lang.English, cmd, with, network, addr)
}

// talkIn is talk in language in.
func talkIn(in lang.Lang, cmd, with, network, addr string) string {
	intro := in.Sprintf(lang.UpTalk)
	if with != "" {
		return intro + with + " " + addr
	}
	host, port, _ := net.SplitHostPort(addr)
	nc := "nc"
	if network == "udp" {
		nc = "nc -u"
	}
	return intro + fmt.Sprintf("%s %s %s", nc, host, port) + in.Sprintf(lang.UpTalkOr) + fmt.Sprintf("%s assist %s connect %s", cmd, network, addr)
}

// upperFirst capitalizes s's first letter: "Your server"; a word in a
// language without capitals (你的服务器) stays as it is.
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
