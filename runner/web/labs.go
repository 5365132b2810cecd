package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/netbook/netbook/runner/check"
	"github.com/netbook/netbook/runner/diff"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/style"
	"github.com/netbook/netbook/runner/watch"
	"github.com/netbook/netbook/runner/workbook"
)

// labHub keeps one lab's pages up to date while any is open: it watches
// the lab's folder as netbook watch does (runner/watch), checks the lab
// after each save, and hands each subscriber the status fragment in its
// edition. It watches the progress file's folder too, so that a check run
// in the terminal reaches the page without a check of its own. Its fields
// are guarded by Server.hubsMu.
type labHub struct {
	name     string
	subs     map[*subscriber]bool
	html     map[lang.Lang][]byte // the latest fragment, per edition
	checking bool                 // a check of the hub's is under way
	stop     context.CancelFunc
	done     chan struct{}
}

// subscriber is one open page's event stream.
type subscriber struct {
	lang   lang.Lang
	notify chan struct{} // a new fragment is in the hub; cap 1
}

// hubState is the last check the server ran of a lab: its result (with
// the failure messages the progress file does not keep) and the lab's
// content it was of (labs.Lab.Hash), which says whether it still holds.
type hubState struct {
	res  *check.Result
	hash string
	err  error
	seq  int
}

// subscribe adds a page to lab name's hub, starting the hub (a watcher
// and, when the server has no result for the lab yet, a first check).
func (s *Server) subscribe(name, dir string, l lang.Lang) (*labHub, *subscriber) {
	s.hubsMu.Lock()
	defer s.hubsMu.Unlock()
	sub := &subscriber{lang: l, notify: make(chan struct{}, 1)}
	h := s.hubs[name]
	if h == nil {
		ctx, cancel := context.WithCancel(s.ctx)
		h = &labHub{name: name, subs: map[*subscriber]bool{}, html: map[lang.Lang][]byte{}, stop: cancel, done: make(chan struct{})}
		s.hubs[name] = h
		go func() {
			defer close(h.done)
			s.watchLab(ctx, h, dir)
		}()
	}
	h.subs[sub] = true
	return h, sub
}

// unsubscribe removes a page; the last one out stops the hub.
func (s *Server) unsubscribe(h *labHub, sub *subscriber) {
	s.hubsMu.Lock()
	delete(h.subs, sub)
	last := len(h.subs) == 0
	if last {
		delete(s.hubs, h.name)
	}
	s.hubsMu.Unlock()
	if last {
		h.stop()
		<-h.done
	}
}

// watchLab checks lab h.name after every save in dir until ctx ends.
func (s *Server) watchLab(ctx context.Context, h *labHub, dir string) {
	w, err := watch.Watch(ctx, []string{dir}, s.o.Watch)
	if err != nil {
		s.setState(h.name, func(st *hubState) { st.err = err })
		s.publish(ctx, h, false)
		return
	}
	defer w.Close()
	// The progress file changes when the lab is checked elsewhere (netbook
	// check in a terminal): the page shows the file's result, with no
	// check of its own. Its folder is made if need be, as saving it would.
	var saved <-chan struct{}
	stateDir := filepath.Dir(s.o.Root.StateFile())
	if err := os.MkdirAll(stateDir, 0o755); err == nil {
		if sw, err := watch.Watch(ctx, []string{stateDir}, s.o.Watch); err == nil {
			defer sw.Close()
			saved = sw.C
		}
	}
	if !s.checked(ctx, h.name) {
		s.checkAndPublish(ctx, h)
	}
	for {
		select {
		case <-ctx.Done():
			return
		case _, ok := <-w.C:
			if !ok {
				return
			}
			s.checkAndPublish(ctx, h)
		case <-saved:
			s.hubsMu.Lock()
			checking := h.checking
			s.hubsMu.Unlock()
			s.publish(ctx, h, checking)
		}
	}
}

// checked reports whether the server's last check of lab name was of its
// current content.
func (s *Server) checked(ctx context.Context, name string) bool {
	s.hubsMu.Lock()
	st := s.states[name]
	s.hubsMu.Unlock()
	if st == nil || st.res == nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, p, err := s.labIn(ctx, s.o.Lang, name)
	if err != nil {
		return false
	}
	hash, err := p.Lab.Hash()
	return err == nil && hash == st.hash
}

// checkAndPublish tells h's pages a check is under way, checks the lab,
// and tells them its result.
func (s *Server) checkAndPublish(ctx context.Context, h *labHub) {
	s.hubsMu.Lock()
	h.checking = true
	s.hubsMu.Unlock()
	s.publish(ctx, h, true)
	res, hash, err := s.checkLab(ctx, h.name, s.hubLangs(h)[0])
	s.hubsMu.Lock()
	h.checking = false
	s.hubsMu.Unlock()
	if ctx.Err() != nil {
		return
	}
	s.setState(h.name, func(st *hubState) { st.res, st.hash, st.err = res, hash, err })
	s.publish(ctx, h, false)
}

func (s *Server) setState(name string, f func(*hubState)) {
	s.hubsMu.Lock()
	defer s.hubsMu.Unlock()
	st := s.states[name]
	if st == nil {
		st = &hubState{}
		s.states[name] = st
	}
	f(st)
	st.seq++
}

// lastCheck is the last check the server ran of lab name, if any.
func (s *Server) lastCheck(name string) hubState {
	s.hubsMu.Lock()
	defer s.hubsMu.Unlock()
	if st := s.states[name]; st != nil {
		return *st
	}
	return hubState{}
}

// resultOf is the check result the pages show for lab p of workbook wb:
// what the progress file holds for the lab's current content, read as the
// dashboard reads it (workbook.Cached), nil when the lab changed since its
// last check. The server's own last check stands in for it when it was of
// the same content and found the same (it has the failure messages the
// file does not keep), or when the file holds nothing for that content.
func resultOf(wb *workbook.Workbook, p *workbook.Lab, last hubState) *check.Result {
	res, ok, err := workbook.Cached(wb.State, p.Lab, wb.Sums)
	if err != nil || !ok {
		res = nil
	}
	if last.res == nil || last.hash == "" {
		return res
	}
	if res != nil && (res.Passed != last.res.Passed || (res.Status == check.Passed) != (last.res.Status == check.Passed)) {
		return res // checked since, elsewhere, with another outcome
	}
	if hash, err := p.Lab.Hash(); err == nil && hash == last.hash {
		return last.res
	}
	return res
}

// hubLangs is the editions h's pages are in (the server's first).
func (s *Server) hubLangs(h *labHub) []lang.Lang {
	s.hubsMu.Lock()
	defer s.hubsMu.Unlock()
	ls := []lang.Lang{s.o.Lang}
	for sub := range h.subs {
		if !containsLang(ls, sub.lang) {
			ls = append(ls, sub.lang)
		}
	}
	return ls
}

func containsLang(ls []lang.Lang, l lang.Lang) bool {
	for _, o := range ls {
		if o == l {
			return true
		}
	}
	return false
}

// publish renders lab h.name's status in each edition its pages are in
// and wakes them.
func (s *Server) publish(ctx context.Context, h *labHub, running bool) {
	langs := s.hubLangs(h)
	s.hubsMu.Lock()
	st := hubState{}
	if p := s.states[h.name]; p != nil {
		st = *p
	}
	s.hubsMu.Unlock()
	out := map[lang.Lang][]byte{}
	for _, l := range langs {
		b, err := s.statusHTML(ctx, h.name, l, st, running)
		if err != nil {
			fmt.Fprintf(s.o.Log, "lab %s: %v\n", h.name, err)
			continue
		}
		out[l] = b
	}
	s.hubsMu.Lock()
	defer s.hubsMu.Unlock()
	for l, b := range out {
		h.html[l] = b
	}
	for sub := range h.subs {
		select {
		case sub.notify <- struct{}{}:
		default: // it has a wake-up pending, and will read the latest
		}
	}
}

// statusHTML renders lab name's status fragment in edition l.
func (s *Server) statusHTML(ctx context.Context, name string, l lang.Lang, st hubState, running bool) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	wb, p, err := s.labIn(ctx, l, name)
	if err != nil {
		return nil, err
	}
	v := s.statusOf(p, resultOf(wb, p, st), l, st.seq, running)
	if st.err != nil {
		v.Err = st.err.Error()
	}
	var buf bytes.Buffer
	err = templates.ExecuteTemplate(&buf, "status", v)
	return buf.Bytes(), err
}

// findLab returns lab id's folder name and directory, or an error for a
// page.
func (s *Server) findLab(r *http.Request) (name, dir string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, p, err := s.labIn(r.Context(), s.lang(r), r.PathValue("id"))
	if err != nil {
		return "", "", err
	}
	return p.Lab.Name, p.Lab.Dir, nil
}

// labEvents streams a lab's status to its page as server-sent events: an
// event "status" whose data is the fragment to show, each time it changes.
func (s *Server) labEvents(w http.ResponseWriter, r *http.Request) {
	name, dir, err := s.findLab(r)
	if err != nil {
		s.fail(w, r, http.StatusNotFound, err)
		return
	}
	fl, ok := w.(http.Flusher)
	if !ok {
		s.fail(w, r, http.StatusInternalServerError, errors.New("streaming is not supported here"))
		return
	}
	l := s.lang(r)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, ": watching "+name+"\n\n")
	fl.Flush()
	h, sub := s.subscribe(name, dir, l)
	defer s.unsubscribe(h, sub)
	ping := time.NewTicker(20 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-ping.C:
			fmt.Fprint(w, ": ping\n\n")
		case <-sub.notify:
			s.hubsMu.Lock()
			b := h.html[l]
			s.hubsMu.Unlock()
			if b == nil {
				continue
			}
			var ev strings.Builder
			ev.WriteString("event: status\n")
			for _, line := range strings.Split(string(b), "\n") {
				ev.WriteString("data: " + line + "\n")
			}
			ev.WriteString("\n")
			if _, err := fmt.Fprint(w, ev.String()); err != nil {
				return
			}
		}
		fl.Flush()
	}
}

// checkNow checks a lab at the page's request and answers with its status
// fragment; the lab's other pages get it too.
func (s *Server) checkNow(w http.ResponseWriter, r *http.Request) {
	name, _, err := s.findLab(r)
	if err != nil {
		s.fail(w, r, http.StatusNotFound, err)
		return
	}
	l := s.lang(r)
	res, hash, err := s.checkLab(r.Context(), name, l)
	s.setState(name, func(st *hubState) { st.res, st.hash, st.err = res, hash, err })
	s.hubsMu.Lock()
	h, st := s.hubs[name], *s.states[name]
	s.hubsMu.Unlock()
	if h != nil {
		s.publish(r.Context(), h, false)
	}
	b, err := s.statusHTML(r.Context(), name, l, st, false)
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(b)
}

// hint shows the next level of the hints for the lab's first failing
// task, as netbook hint does, and remembers it.
func (s *Server) hint(w http.ResponseWriter, r *http.Request) {
	s.inLab(w, r, func(wb *workbook.Workbook, p *workbook.Lab, l lang.Lang) {
		h, err := wb.Hint(r.Context(), p, 0)
		switch {
		case errors.Is(err, workbook.ErrAllPass):
			s.fragment(w, r, "hint", &hintView{Title: l.Sprintf(lang.WatchPasses), Key: "pass"})
		case err != nil:
			s.fail(w, r, http.StatusInternalServerError, err)
		default:
			v := hintOf(h, s.linksIn(hintsFile(p), l))
			if h.Again {
				// Every level was shown: the last comes again (it
				// replaces its copy on the page), saying so, with the
				// chapter to read on in, as netbook hint does.
				var ch *link
				if c := wb.Book.ByLab(p.Lab.Name); c != nil {
					ch = &link{Href: href("/chapter/"+c.Slug, l, s.o.Lang), Title: c.Title}
				}
				v.Note = lastHintAgain(l, ch)
			}
			s.fragment(w, r, "hint", v)
		}
	})
}

// diffLimit bounds a whole diff run from the page.
const diffLimit = 3 * time.Minute

// diff runs netbook diff on the lab (one at a time: it builds and runs two
// programs) and answers with its report.
func (s *Server) diff(w http.ResponseWriter, r *http.Request) {
	select {
	case s.diffs <- struct{}{}:
		defer func() { <-s.diffs }()
	default:
		http.Error(w, s.lang(r).Sprintf(lang.WebBusy), http.StatusTooManyRequests)
		return
	}
	s.mu.Lock()
	wb, p, err := s.labIn(r.Context(), s.lang(r), r.PathValue("id"))
	var adv diff.Advice
	if err == nil {
		adv = diff.Advice{Up: wb.Command("up", p), UpRef: wb.Command("up", p) + " --ref", Check: wb.Command("check", p)}
	}
	s.mu.Unlock()
	if err != nil {
		s.fail(w, r, http.StatusNotFound, err)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), diffLimit)
	defer cancel()
	rep, err := diff.Run(ctx, s.o.Root, p.Lab, diff.Options{})
	var buf bytes.Buffer
	if err != nil {
		buf.WriteString(err.Error())
	} else {
		diff.WriteText(&buf, rep, style.Style{}, adv)
	}
	s.fragment(w, r, "report", buf.String())
}
