package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/check"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/repo"
	"github.com/netbook/netbook/runner/snippets"
	"github.com/netbook/netbook/runner/watch"
	"github.com/netbook/netbook/runner/workbook"
)

// Options configure a Server.
type Options struct {
	Root repo.Root
	// Lang is the edition a page is shown in when its URL does not say
	// (?lang=zh does): lang.Resolve's choice for the command.
	Lang lang.Lang
	// Public lets the server answer to names other than loopback ones (it
	// listens beyond this machine: see Listen). The token is still needed.
	Public bool
	// Token is the server's token; a random one when empty.
	Token string
	// Check tunes the lab checks the pages run.
	Check check.Options
	// Watch tunes how saves in a lab's folder are noticed.
	Watch watch.Options
	// MaxRuns bounds the snippets running at once, over every page;
	// default 2.
	MaxRuns int
	// RunTimeout is how long a snippet may run; snippets.DefaultTimeout
	// when zero.
	RunTimeout time.Duration
	// Engine chooses what runs snippets (snippets.ChooseIn on Root, with
	// the interpreter, when nil); tests give a cheaper one. l is the
	// language of the page that runs them, for what it says on log while
	// it gets ready (the interpreter's first build).
	Engine func(ctx context.Context, snips []*book.Snippet, log io.Writer, l lang.Lang) (snippets.Engine, func(), error)
	// Cmd is how the student runs netbook ("go run ./cmd/netbook", or
	// "netbook"), which the commands the pages suggest start with: netbook
	// serve passes its own, since this server runs as a program of its own
	// (cmd/netbook-web), which cannot tell. Root.Command() when empty.
	Cmd string
	// Log receives a line for each request refused and each check run;
	// discarded when nil.
	Log io.Writer
}

// Server is netbook serve: the book, the dashboard and the labs as web
// pages, the snippets run from them, and the gate in front of them all
// (see guard).
type Server struct {
	o      Options
	token  string
	public bool
	port   int // the port it listens on, which the Host header must name

	// mu serializes the server's uses of the workbook: each opens it
	// afresh (see workbook) and may save the progress file.
	mu sync.Mutex

	pagesMu sync.Mutex
	pages   map[string]*Page // rendered chapters, by lang and slug

	hubsMu sync.Mutex
	hubs   map[string]*labHub   // live lab status, by lab folder name
	states map[string]*hubState // the last check the server ran, by lab

	ctx   context.Context // the server's: Serve's, which ends watchers and runs
	diffs chan struct{}   // a slot per diff running: one at a time

	runs *runner
}

// New returns a server of the work tree at o.Root; Serve starts it.
func New(o Options) *Server {
	if o.Log == nil {
		o.Log = io.Discard
	}
	if o.MaxRuns <= 0 {
		o.MaxRuns = 2
	}
	if o.RunTimeout <= 0 {
		o.RunTimeout = snippets.DefaultTimeout
	}
	if o.Lang == "" {
		o.Lang = lang.English
	}
	if o.Cmd == "" {
		o.Cmd = o.Root.Command()
	}
	if o.Engine == nil {
		root := o.Root.Dir
		o.Engine = func(ctx context.Context, snips []*book.Snippet, log io.Writer, l lang.Lang) (snippets.Engine, func(), error) {
			return snippets.ChooseIn(ctx, root, snips, false, log, l)
		}
	}
	t := o.Token
	if t == "" {
		t = newToken()
	}
	s := &Server{o: o, token: t, public: o.Public,
		pages: map[string]*Page{}, hubs: map[string]*labHub{}, states: map[string]*hubState{},
		ctx: context.Background(), diffs: make(chan struct{}, 1)}
	s.runs = newRunner(s, o.MaxRuns)
	return s
}

// Token is the server's token, which the URL it prints carries.
func (s *Server) Token() string { return s.token }

// Serve answers requests on ln until ctx ends, then stops: running
// snippets are killed and lab watchers closed before it returns.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	a, ok := ln.Addr().(*net.TCPAddr)
	if !ok {
		return fmt.Errorf("netbook serve needs a TCP listener, not %s", ln.Addr().Network())
	}
	s.port = a.Port
	s.ctx = ctx
	hs := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Streams (lab events, snippet runs) end with ctx, so Shutdown does
	// not wait on them for long.
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := hs.Shutdown(sctx)
	s.runs.wait()
	if errors.Is(err, context.DeadlineExceeded) {
		hs.Close()
	}
	<-errc
	return nil
}

// Handler is the server's handler, behind its gate.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.home)
	mux.HandleFunc("GET /chapter/{id}", s.chapter)
	mux.HandleFunc("GET /lab/{id}", s.lab)
	mux.HandleFunc("GET /events/lab/{id}", s.labEvents)
	mux.HandleFunc("POST /api/check/{id}", s.checkNow)
	mux.HandleFunc("POST /api/hint/{id}", s.hint)
	mux.HandleFunc("POST /api/diff/{id}", s.diff)
	mux.HandleFunc("POST /api/run", s.runs.serve)
	mux.HandleFunc("GET /static/", s.static)
	mux.HandleFunc("GET /", s.notFound)
	return s.guard(mux)
}

// lang is the edition a request asks for: ?lang=, else the server's.
func (s *Server) lang(r *http.Request) lang.Lang {
	if l, err := lang.Parse(r.URL.Query().Get("lang")); err == nil && r.URL.Query().Has("lang") {
		return l
	}
	return s.o.Lang
}

// workbook opens the workbook in edition l, as it stands now: the
// progress file and the labs' files are read again on every call, the way
// the terminal's commands read them, so that a page shows what the
// dashboard would (a check run in the terminal, a file saved since) and
// what the server saves starts from the file's latest content. A lab
// changed since its last check is not Known (see labLabel). Opening costs
// tens of milliseconds; the rendered chapters are what is kept (rendered).
// The caller holds s.mu.
func (s *Server) workbook(ctx context.Context, l lang.Lang) (*workbook.Workbook, error) {
	wb, err := workbook.Open(ctx, s.o.Root, workbook.Options{Lang: l, Warn: s.o.Log, Run: s.runCheck})
	if err == nil {
		wb.Cmd = s.o.Cmd // the commands it suggests, as the student runs netbook
	}
	return wb, err
}

// labIn returns lab id of the workbook in edition l. The caller holds s.mu.
func (s *Server) labIn(ctx context.Context, l lang.Lang, id string) (*workbook.Workbook, *workbook.Lab, error) {
	wb, err := s.workbook(ctx, l)
	if err != nil {
		return nil, nil, err
	}
	p, err := wb.Find(id)
	return wb, p, err
}

// inWorkbook runs f with the request's edition of the workbook, under the
// workbooks' lock; a workbook that does not open is an error page.
func (s *Server) inWorkbook(w http.ResponseWriter, r *http.Request, f func(wb *workbook.Workbook, l lang.Lang)) {
	l := s.lang(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	wb, err := s.workbook(r.Context(), l)
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	f(wb, l)
}

// inLab is inWorkbook for the lab the URL names ({id}): a lab that does
// not exist is a 404 that lists the labs.
func (s *Server) inLab(w http.ResponseWriter, r *http.Request, f func(wb *workbook.Workbook, p *workbook.Lab, l lang.Lang)) {
	s.inWorkbook(w, r, func(wb *workbook.Workbook, l lang.Lang) {
		p, err := wb.Find(r.PathValue("id"))
		if err != nil {
			s.failIn(w, r, wb, http.StatusNotFound, err)
			return
		}
		f(wb, p, l)
	})
}

// runCheck is the workbooks' Runner: check.Run with the server's options.
func (s *Server) runCheck(ctx context.Context, l *labs.Lab) (*check.Result, error) {
	return check.Run(ctx, s.o.Root, l, s.o.Check)
}

// checkLab runs lab name's tests in edition lg through the workbook, which
// records the result in the progress file as netbook check does. hash is
// the lab's content the check was of (labs.Lab.Hash).
func (s *Server) checkLab(ctx context.Context, name string, lg lang.Lang) (res *check.Result, hash string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w, l, err := s.labIn(ctx, lg, name)
	if err != nil {
		return nil, "", err
	}
	if hash, err = l.Lab.Hash(); err != nil {
		return nil, "", err
	}
	start := time.Now()
	res, err = w.Check(ctx, l, s.o.Check)
	fmt.Fprintf(s.o.Log, "checked %s in %s\n", name, time.Since(start).Round(time.Millisecond))
	return res, hash, err
}

// rendered renders chapter c once per edition and keeps it.
func (s *Server) rendered(c *book.Chapter, l lang.Lang) (*Page, error) {
	key := string(l) + "/" + c.Slug
	s.pagesMu.Lock()
	defer s.pagesMu.Unlock()
	if p := s.pages[key]; p != nil {
		return p, nil
	}
	p, err := renderChapter(c, l, s.o.Lang)
	if err != nil {
		return nil, err
	}
	s.pages[key] = p
	return p, nil
}

// fail answers with what went wrong, in plain words: an error page in
// the book's layout for a page's URL (errorPage), plain text for what the
// pages' script fetches, which shows the text as it is.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, code int, err error) {
	s.failIn(w, r, nil, code, err)
}

// failIn is fail for a handler that has the workbook wb open, which gives
// an error page its sidebar.
func (s *Server) failIn(w http.ResponseWriter, r *http.Request, wb *workbook.Workbook, code int, err error) {
	fmt.Fprintf(s.o.Log, "%s %s: %v\n", r.Method, r.URL.Path, err)
	if isPage(r) {
		s.errorPage(w, r, wb, code, err.Error())
		return
	}
	http.Error(w, err.Error(), code)
}
