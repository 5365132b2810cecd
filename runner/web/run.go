package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/snippets"
	"github.com/netbook/netbook/runner/style"
)

// maxCode bounds the code a page may send to run.
const maxCode = 64 << 10

// runner runs snippets for the pages: through runner/snippets, as netbook
// run does (a sandboxed child process with its time and output limits),
// one run per snippet at a time (a new run stops the old one) and at most
// max at once over the whole server.
type runner struct {
	s     *Server
	slots chan struct{}
	freed chan struct{} // a value when a slot is freed, for tests to wait on; cap 1

	mu      sync.Mutex
	running map[string]*run // by snippet ID
	wg      sync.WaitGroup
}

type run struct {
	cancel context.CancelFunc
	done   chan struct{}
}

func newRunner(s *Server, max int) *runner {
	return &runner{s: s, slots: make(chan struct{}, max), freed: make(chan struct{}, 1), running: map[string]*run{}}
}

// wait waits for every run to end (their contexts end with the server's).
func (rn *runner) wait() { rn.wg.Wait() }

// runRequest is what a page posts to run a snippet: its ID ("02:3") and
// the code in the edit box.
type runRequest struct {
	ID   string `json:"id"`
	Code string `json:"code"`
}

// runEvent is one line of a run's answer (JSON lines, written as they
// come): output, a line about the run, or the end.
type runEvent struct {
	Out   string `json:"out,omitempty"`
	Log   string `json:"log,omitempty"`
	End   bool   `json:"end,omitempty"`
	Error string `json:"error,omitempty"`
}

// serve runs the snippet a page posts and streams what it prints; the run
// stops when the page goes away (Stop aborts the request), at its time
// limit, or past its output cap.
func (rn *runner) serve(w http.ResponseWriter, r *http.Request) {
	s := rn.s
	l := s.lang(r)
	var req runRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, maxCode+1024)).Decode(&req); err != nil || len(req.Code) > maxCode {
		http.Error(w, l.Sprintf(lang.WebBadRun), http.StatusBadRequest)
		return
	}
	sn, err := s.snippet(r, req.ID)
	if err != nil {
		s.fail(w, r, http.StatusNotFound, err)
		return
	}
	edited := req.Code != "" && req.Code != sn.Code
	if edited {
		e := *sn
		e.Code = req.Code
		e.Output = nil // the chapter's output is not this code's
		sn = &e
	}
	fl, ok := w.(http.Flusher)
	if !ok {
		s.fail(w, r, http.StatusInternalServerError, errors.New("streaming is not supported here"))
		return
	}

	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	me := &run{cancel: cancel, done: make(chan struct{})}
	rn.mu.Lock()
	old := rn.running[req.ID]
	rn.running[req.ID] = me
	rn.wg.Add(1)
	rn.mu.Unlock()
	defer func() {
		rn.mu.Lock()
		if rn.running[req.ID] == me {
			delete(rn.running, req.ID)
		}
		rn.mu.Unlock()
		close(me.done)
		rn.wg.Done()
	}()
	if old != nil { // one run per snippet: the new one replaces it
		old.cancel()
		select {
		case <-old.done:
		case <-ctx.Done():
			return
		}
	}
	select {
	case rn.slots <- struct{}{}:
		defer func() {
			<-rn.slots
			select {
			case rn.freed <- struct{}{}:
			default:
			}
		}()
	default:
		http.Error(w, l.Sprintf(lang.WebBusy), http.StatusTooManyRequests)
		return
	}

	w.Header().Set("Content-Type", "application/x-ndjson; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	ev := &eventWriter{w: w, fl: fl}
	fmt.Fprintf(s.o.Log, "running snippet %s\n", sn.ID())
	snips := []*book.Snippet{sn}
	if p := snippets.Pair(sn); p != nil {
		snips = append(snips, p)
	}
	// The interpreter's first build says so in the page's language.
	eng, cleanup, err := s.o.Engine(ctx, snips, ev.kind("log"), l)
	if err != nil {
		ev.send(runEvent{End: true, Error: err.Error()})
		return
	}
	defer cleanup()
	o := snippets.Options{Timeout: s.o.RunTimeout, Stream: ev.kind("out")}
	stdio := snippets.Stdio{Out: ev.kind("out"), Log: ev.kind("log"), Style: style.Style{}, Cmd: s.o.Cmd, Lang: l, Page: true, Edited: edited}
	err = snippets.RunOne(ctx, eng, sn, o, stdio, false)
	end := runEvent{End: true}
	switch {
	case ctx.Err() != nil:
		end.Error = l.Sprintf(lang.WebStopped)
	case err != nil && !errors.Is(err, snippets.ErrDiffers):
		end.Error = err.Error()
	}
	ev.send(end)
}

// snippet finds the runnable snippet id ("02:3") in the request's edition.
func (s *Server) snippet(r *http.Request, id string) (*book.Snippet, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	wb, err := s.workbook(r.Context(), s.lang(r))
	if err != nil {
		return nil, err
	}
	ch, idx, ok := strings.Cut(id, ":")
	if !ok || ch == "" || idx == "" {
		return nil, fmt.Errorf("no snippet %q: name one as CHAPTER:N, such as 02:1", id)
	}
	c, err := wb.Book.Find(ch)
	if err != nil {
		return nil, err
	}
	return snippets.Runnable(c, idx, s.o.Cmd)
}

// eventWriter writes a run's events as JSON lines, flushing each: output
// from the snippet and lines from the runner may come from two goroutines
// (the two halves of a pair).
type eventWriter struct {
	mu sync.Mutex
	w  io.Writer
	fl http.Flusher
}

func (e *eventWriter) send(ev runEvent) error {
	b, _ := json.Marshal(ev)
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, err := e.w.Write(append(b, '\n')); err != nil {
		return err
	}
	e.fl.Flush()
	return nil
}

// kind is a writer whose writes are events of one kind: "out" or "log".
func (e *eventWriter) kind(k string) io.Writer { return kindWriter{e, k} }

type kindWriter struct {
	e *eventWriter
	k string
}

func (k kindWriter) Write(p []byte) (int, error) {
	ev := runEvent{Out: string(p)}
	if k.k == "log" {
		ev = runEvent{Log: string(p)}
	}
	if err := k.e.send(ev); err != nil {
		return 0, err
	}
	return len(p), nil
}
