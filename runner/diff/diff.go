package diff

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/netbook/netbook/labs/session"
	"github.com/netbook/netbook/runner/labrun"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/repo"
	"github.com/netbook/netbook/runner/sandbox"
	"github.com/netbook/netbook/runner/style"
)

// Options tune a diff.
type Options struct {
	// Student says how to build the student's implementation; the zero
	// value takes the work tree as it is. Tests map a broken file over it.
	Student labrun.Options
	// Timeout is how long each step of a session may wait:
	// session.DefaultTimeout for a server lab, twice that for a client lab
	// (the script must outlast the client's own deadline), when zero.
	Timeout time.Duration
	// Progress, if set, is told about each session as it starts, for a
	// person watching a slow diff.
	Progress func(name string)
	// Building, if set, is told when the two implementations start to
	// build: only when there are sessions to play.
	Building func()
	// Limits bound each server of a server lab and each client driver of
	// a client lab, the student's and the reference's (the sandbox's
	// resource limits only: their network and files are the host's);
	// ServerLimits when zero. Tests lower them.
	Limits sandbox.Limits
	// Lang is the language of the errors Run returns (English when
	// zero). The Report says its problems in every language: see
	// Side.ProblemIn.
	Lang lang.Lang
}

// ServerLimits are the limits of a lab's server (and of a client lab's
// driver) under diff: as under netbook up and bench, labrun.ServerMemory
// of memory; CPULimit of CPU time, far more than a session's few seconds
// of steps take; and the sandbox's usual open files, far more than a
// session opens.
var ServerLimits = labrun.ServerLimits(CPULimit, sandbox.Default.OpenFiles)

// CPULimit is the CPU time a server or a driver may use in one session.
const CPULimit = time.Minute

// Run builds lab l's student and reference implementations and plays each
// of its sessions against both. A compile error comes back as a
// *labrun.BuildError; a session file that does not parse is an error too.
func Run(ctx context.Context, r repo.Root, l *labs.Lab, o Options) (*Report, error) {
	kind := labrun.KindOf(l)
	if kind == labrun.NotRunnable {
		// Wrapped as netbook prints it, after "netbook diff: ", with the
		// command whole.
		const prog = "netbook diff: "
		check := fmt.Sprintf("%s check %02d", r.Command(), l.Number)
		msg := o.Lang.Sprintf(lang.DiffNothing, l.Name, labrun.DriverFile, check)
		return nil, errors.New(strings.TrimPrefix(style.Style{}.WrapKeeping(prog+msg, DefaultWidth, check), prog))
	}
	rep := &Report{Lab: l.Name, Kind: "server"}
	if kind == labrun.Client {
		rep.Kind = "client"
	}
	sessions, err := load(r, l, kind, o.Lang)
	if err != nil || len(sessions) == 0 {
		return rep, err
	}
	if o.Building != nil {
		o.Building()
	}
	// The servers' own log lines (a Serve that returned, how it stopped)
	// in the report's language too.
	student := o.Student
	student.Lang = o.Lang
	stu, ref, err := buildBoth(ctx, r, l, student)
	if err != nil {
		var be *labrun.BuildError
		if !o.Lang.IsEnglish() && errors.As(err, &be) {
			return nil, errors.New(be.ErrorIn(o.Lang))
		}
		return nil, err
	}
	defer stu.Remove()
	defer ref.Remove()
	limits := o.Limits
	if limits == (sandbox.Limits{}) {
		limits = ServerLimits
	}
	timeout := o.Timeout
	if timeout <= 0 {
		timeout = session.DefaultTimeout
		if kind == labrun.Client {
			timeout *= 2
		}
	}
	for _, s := range sessions {
		if o.Progress != nil {
			o.Progress(s.Name)
		}
		var res *Session
		if kind == labrun.Server {
			res = bothServers(ctx, stu, ref, s, timeout, limits)
		} else {
			res = bothClients(ctx, stu, ref, s, timeout, limits)
		}
		res.File = s.Name
		res.Name = strings.TrimSuffix(filepath.Base(s.Name), ".session")
		rep.Sessions = append(rep.Sessions, res)
		if err := ctx.Err(); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// load parses the lab's testdata/*.session files that fit its kind: those
// that dial or send datagrams for a server lab, those that accept for a
// client lab. Each session is named by its path as the student sees it.
func load(r repo.Root, l *labs.Lab, kind labrun.Kind, in lang.Lang) ([]*session.Session, error) {
	paths, err := filepath.Glob(filepath.Join(l.Dir, "testdata", "*.session"))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	var out []*session.Session
	for _, path := range paths {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		s, err := session.Parse(filepath.ToSlash(r.Rel(path)), f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf(lang.DiffSessionParse.Format(in), l.Name, err)
		}
		if accepts(s) > 0 == (kind == labrun.Client) {
			out = append(out, s)
		}
	}
	return out, nil
}

// accepts counts the session's accept steps: a session with any plays the
// server for a client.
func accepts(s *session.Session) int {
	n := 0
	for _, st := range s.Steps {
		if st.Op == session.Accept {
			n++
		}
	}
	return n
}

// buildBoth builds the student's and the reference implementations at the
// same time. The student's compile error is the one to report first.
func buildBoth(ctx context.Context, r repo.Root, l *labs.Lab, student labrun.Options) (stu, ref *labrun.Program, err error) {
	var stuErr, refErr error
	var wg sync.WaitGroup
	wg.Go(func() { stu, stuErr = labrun.Build(ctx, r, l, student) })
	wg.Go(func() { ref, refErr = labrun.Build(ctx, r, l, labrun.Options{Ref: true, Lang: student.Lang}) })
	wg.Wait()
	if err = errors.Join(stuErr, refErr); err != nil {
		for _, p := range []*labrun.Program{stu, ref} {
			if p != nil {
				p.Remove()
			}
		}
		if stuErr != nil {
			return nil, nil, stuErr
		}
		return nil, nil, refErr
	}
	return stu, ref, nil
}

// both runs play for the student's program and the reference's at the
// same time.
func both(stu, ref *labrun.Program, play func(*labrun.Program) *Side) (*Side, *Side) {
	var s, r *Side
	var wg sync.WaitGroup
	wg.Go(func() { s = play(stu) })
	wg.Go(func() { r = play(ref) })
	wg.Wait()
	return s, r
}

// verdict is the status of a session from how each side did.
func verdict(stu, ref *Side) Status {
	switch {
	case ref.Problem != "" || !ref.Followed:
		return BadSession
	case stu.Problem != "" || !stu.Followed:
		return Differs
	}
	return Same
}
