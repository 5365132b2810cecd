package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strings"

	"github.com/netbook/netbook/runner/bench"
	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/check"
	"github.com/netbook/netbook/runner/compare"
	"github.com/netbook/netbook/runner/gotest"
	"github.com/netbook/netbook/runner/labrun"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/workbook"
)

//go:embed assets
var assets embed.FS

var templates = template.Must(template.New("").ParseFS(assets, "assets/layout.html", "assets/fragments.html"))

// pageTemplate is the layout with one page's content.
func pageTemplate(name string) *template.Template {
	return template.Must(template.Must(templates.Clone()).ParseFS(assets, "assets/"+name+".html"))
}

var (
	homeTmpl    = pageTemplate("home")
	chapterTmpl = pageTemplate("chapter")
	labTmpl     = pageTemplate("lab")
	errorTmpl   = pageTemplate("error")
)

// link is a link in the page.
type link struct {
	Href, Title string
}

// sideItem is a chapter in the sidebar.
type sideItem struct {
	Num, Title, Href          string
	Current                   bool
	Status, StatusLong, Class string
}

// langLink is the link to the page in one edition.
type langLink struct {
	Lang    lang.Lang
	Href    string
	Current bool
}

// view is what every page's layout needs.
type view struct {
	Title string
	Lang  lang.Lang
	W     words
	Side  []sideItem
	Langs []langLink
	Prev  *link
	Next  *link
	Note  string // above the page: an edition asked for that the book lacks
	// Offline is what the page's script shows when the server stops
	// answering (it was stopped, or restarted with another token).
	Offline string
	def     lang.Lang
}

// Href is path in the page's edition: ?lang= is added when the edition
// is not the server's default.
func (v *view) Href(path string) string { return href(path, v.Lang, v.def) }

func href(path string, l, def lang.Lang) string {
	if l == def {
		return path
	}
	return path + "?lang=" + url.QueryEscape(string(l))
}

// newView builds the layout's part of a page in edition l: the sidebar
// from the workbook's entries, current marking the chapter shown.
func (s *Server) newView(r *http.Request, w *workbook.Workbook, l lang.Lang, title string, current *book.Chapter) view {
	v := view{Title: title, Lang: l, W: wordsIn(l), def: s.o.Lang, Offline: l.Sprintf(lang.WebOffline, s.o.Cmd+" serve")}
	if q := r.URL.Query(); q.Has("lang") {
		if _, err := lang.Parse(q.Get("lang")); err != nil && q.Get("lang") != "" {
			v.Note = l.Sprintf(lang.WebNoEdition, q.Get("lang"), l.Name())
		}
	}
	for _, e := range entriesOf(w) {
		it := sideItem{Num: fmt.Sprintf("%02d", e.Chapter.Number), Title: e.Chapter.Title,
			Href: v.Href("/chapter/" + e.Chapter.Slug), Current: current == e.Chapter}
		if e.Lab != nil {
			it.Status, it.StatusLong, it.Class = labLabel(e.Lab, l)
		}
		v.Side = append(v.Side, it)
	}
	for _, o := range lang.All {
		q := r.URL.Query()
		q.Set("lang", string(o))
		v.Langs = append(v.Langs, langLink{Lang: o, Href: r.URL.Path + "?" + q.Encode(), Current: o == l})
	}
	return v
}

// entriesOf is w's chapters, or none when there is no workbook (an error
// page for a workbook that did not open).
func entriesOf(w *workbook.Workbook) []workbook.Entry {
	if w == nil {
		return nil
	}
	return w.Entries
}

// labLabel is lab p's status as the pages show it: a short badge, the
// label the terminal dashboard prints (workbook.Lab.LabelIn), and a CSS
// class. p comes from the workbook as it stands (Server.workbook), so both
// read the same progress file and the same files. The dashboard checks a
// lab changed since its last check before it prints; a page does not wait
// for that (the lab's page checks it as it opens), and says the lab is not
// checked yet rather than calling it not started.
func labLabel(p *workbook.Lab, l lang.Lang) (badge, long, class string) {
	if !p.Known {
		text := l.Sprintf(lang.WebNotChecked)
		return text, text, "st-not-checked"
	}
	class = "st-" + strings.ReplaceAll(string(p.Status), " ", "-")
	badge = p.Status.In(l)
	if p.Status == workbook.InProgress {
		badge = fmt.Sprintf("%d/%d", p.Passed, p.Total)
	}
	return badge, p.LabelIn(l), class
}

// homeRow is a chapter on the dashboard.
type homeRow struct {
	Num, Title, Summary, Href string
	LabName, LabHref          string
	Status, Class             string
}

type homeView struct {
	view
	Step struct {
		Text, Href, Link string
	}
	// NewHere points a student who has done nothing yet at chapter 0,
	// which explains the workbook, as the terminal dashboard does: the
	// sentence's text either side of the chapter's link.
	NewHere      *newHere
	Rows         []homeRow
	Done, Total  int
	ProgressText string
}

// home is the dashboard: what to do next, the progress, every chapter
// with its lab's status.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	s.inWorkbook(w, r, func(wb *workbook.Workbook, l lang.Lang) { s.homePage(w, r, wb, l) })
}

func (s *Server) homePage(w http.ResponseWriter, r *http.Request, wb *workbook.Workbook, l lang.Lang) {
	// The tab reads "Network programming in Go, one lab at a time · netbook".
	title := strings.TrimRight(l.Sprintf(lang.WebTagline), ".。")
	v := homeView{view: s.newView(r, wb, l, title, nil)}
	for _, e := range wb.Entries {
		row := homeRow{Num: fmt.Sprintf("%02d", e.Chapter.Number), Title: e.Chapter.Title,
			Summary: e.Chapter.Summary, Href: v.Href("/chapter/" + e.Chapter.Slug)}
		if e.Lab != nil {
			row.LabName, row.LabHref = e.Lab.Lab.Name, v.Href("/lab/"+e.Lab.Lab.Name)
			_, row.Status, row.Class = labLabel(e.Lab, l)
		}
		v.Rows = append(v.Rows, row)
	}
	step := wb.Next()
	// The terminal's next step ends with a colon before its command; the
	// page has a button instead, so the colon goes, in either edition.
	v.Step.Text = strings.TrimRight(strings.TrimSpace(step.Text), ":：")
	if step.Lab != nil {
		v.Step.Href, v.Step.Link = v.Href("/lab/"+step.Lab.Lab.Name), v.W.OpenLab
		// The chapter comes first only while it is the step (workbook.Next:
		// a lab not started whose chapter is unread); once it is read, the
		// step names the lab's first task, and the button opens the lab.
		if c := wb.Book.ByLab(step.Lab.Lab.Name); c != nil && step.Lab.Status == workbook.NotStarted && !wb.State.Read[c.Slug] {
			v.Step.Href, v.Step.Link = v.Href("/chapter/"+c.Slug), v.W.ReadChapter
		}
	} else {
		// Every lab passes. The terminal's step ends "Read any chapter
		// again with:" before netbook list, which the page has no use
		// for: the contents are right below, so it says the book is
		// finished, with no button.
		v.Step.Text = l.Sprintf(lang.WatchFinished)
	}
	v.Done, v.Total = wb.Progress()
	if ch := wb.Book.Chapters; v.Done == 0 && len(ch) > 0 && ch[0].Number == 0 && !wb.State.Read[ch[0].Slug] {
		v.NewHere = newHereIn(l, ch[0].Title, v.Href("/chapter/"+ch[0].Slug))
	}
	v.ProgressText = l.Sprintf(lang.LabsDone, v.Done, v.Total)
	s.render(w, r, homeTmpl, &v)
}

// newHere is the home page's pointer to chapter 0: the catalogue's
// sentence (lang.WebNewHere) around a link to the chapter.
type newHere struct {
	Before, Title, Href, After string
}

func newHereIn(l lang.Lang, title, href string) *newHere {
	const mark = "\x00"
	before, after, _ := strings.Cut(l.Sprintf(lang.WebNewHere, mark), mark)
	return &newHere{Before: before, Title: title, Href: href, After: after}
}

type chapterView struct {
	view
	Kicker  string
	Body    template.HTML
	LabHref string
	LabText string
}

// chapter is one chapter, rendered from its parse, with its lab's link and
// the chapters either side.
func (s *Server) chapter(w http.ResponseWriter, r *http.Request) {
	s.inWorkbook(w, r, func(wb *workbook.Workbook, l lang.Lang) { s.chapterPage(w, r, wb, l) })
}

func (s *Server) chapterPage(w http.ResponseWriter, r *http.Request, wb *workbook.Workbook, l lang.Lang) {
	c, err := wb.Book.Find(r.PathValue("id"))
	if err != nil {
		s.failIn(w, r, wb, http.StatusNotFound, err)
		return
	}
	p, err := s.rendered(c, l)
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	wb.Read(c)
	v := chapterView{view: s.newView(r, wb, l, c.Title, c), Body: p.HTML,
		Kicker: l.Sprintf(lang.ReadHead, c.Number, len(wb.Book.Chapters)-1)}
	if c.Lang != l {
		v.Kicker += " · " + l.Sprintf(lang.ReadUntranslated, c.Number)
	}
	if c.Lab != "" {
		v.LabHref = v.Href("/lab/" + c.Lab)
		v.LabText = l.Sprintf(lang.ReadLab) + " " + c.Lab
	}
	v.Prev, v.Next = s.around(wb, c, &v.view)
	s.render(w, r, chapterTmpl, &v)
}

// around is the chapters before and after c.
func (s *Server) around(wb *workbook.Workbook, c *book.Chapter, v *view) (prev, next *link) {
	for i, o := range wb.Book.Chapters {
		if o != c {
			continue
		}
		if i > 0 {
			p := wb.Book.Chapters[i-1]
			prev = &link{Href: v.Href("/chapter/" + p.Slug), Title: p.Title}
		}
		if i+1 < len(wb.Book.Chapters) {
			n := wb.Book.Chapters[i+1]
			next = &link{Href: v.Href("/chapter/" + n.Slug), Title: n.Title}
		}
	}
	return prev, next
}

type labView struct {
	view
	LabName, Dir, Kicker, Heading      string
	Body                               template.HTML
	Events, CheckURL, HintURL, DiffURL string
	CanDiff                            bool // a server lab, or a client lab with a driver: diff has sessions to play
	Status                             *statusView
	Bench                              template.HTML // the latest netbook bench chart, if any
	BenchFrom                          string
	Hints                              []*hintView
}

// lab is a lab's page: its brief, the live task list (labEvents keeps it
// up to date), the hints shown so far, and diff's report on request.
func (s *Server) lab(w http.ResponseWriter, r *http.Request) {
	s.inLab(w, r, func(wb *workbook.Workbook, p *workbook.Lab, l lang.Lang) { s.labPage(w, r, wb, p, l) })
}

func (s *Server) labPage(w http.ResponseWriter, r *http.Request, wb *workbook.Workbook, p *workbook.Lab, l lang.Lang) {
	// The brief's title heads the page, then the live task list, then the
	// rest of the brief: what a student comes back for is at the top.
	title, rest := splitTitle(p.Lab.Brief, p.Lab.Title)
	body, err := renderMarkdown(rest, 0, s.linksIn(briefFile(p), l))
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	c := wb.Book.ByLab(p.Lab.Name)
	v := labView{view: s.newView(r, wb, l, p.Lab.Title, c), LabName: p.Lab.Name, Dir: wb.Dir(p),
		Body: body, Heading: title, Kicker: wb.Dir(p)}
	q := url.Values{"lang": {string(l)}}.Encode()
	v.Events = "/events/lab/" + p.Lab.Name + "?" + q
	v.CheckURL = "/api/check/" + p.Lab.Name + "?" + q
	v.HintURL = "/api/hint/" + p.Lab.Name + "?" + q
	v.DiffURL = "/api/diff/" + p.Lab.Name + "?" + q
	v.CanDiff = labrun.KindOf(p.Lab) != labrun.NotRunnable
	if c != nil {
		v.Prev = &link{Href: v.Href("/chapter/" + c.Slug), Title: c.Title}
	}
	if n, nc := wb.Following(p); n != nil {
		v.Next = &link{Href: v.Href("/lab/" + n.Lab.Name), Title: n.Lab.Title}
		if nc != nil && n.Status == workbook.NotStarted {
			v.Next = &link{Href: v.Href("/chapter/" + nc.Slug), Title: nc.Title}
		}
	}
	// What the progress file knows of the lab as it is, or the server's
	// own last check of it (with its failure messages; see resultOf); the
	// page's event stream checks the lab as soon as it connects when the
	// server has not checked it as it is.
	res := resultOf(wb, p, s.lastCheck(p.Lab.Name))
	v.Status = s.statusOf(p, res, l, 0, res == nil || !p.Known)
	if rep, err := bench.Latest(s.o.Root, p.Lab.Name); err == nil && rep != nil {
		var svg strings.Builder
		if rep.WriteSVGIn(&svg, l) == nil {
			v.Bench = template.HTML(svg.String()) // written by bench.WriteSVGIn, which escapes every text
			v.BenchFrom = l.Sprintf(lang.WebBenchFrom, wb.Command("bench", p))
		}
	}
	for _, h := range wb.Shown(p, 0) {
		v.Hints = append(v.Hints, hintOf(h, s.linksIn(hintsFile(p), l)))
	}
	s.render(w, r, labTmpl, &v)
}

// briefFile is the path in the work tree of lab p's brief as shown:
// README.md, or its translation (README.zh.md) when the brief is one.
func briefFile(p *workbook.Lab) string {
	name := "README.md"
	if bl := p.Lab.BriefLang; !bl.IsEnglish() {
		name = "README." + bl.String() + ".md"
	}
	return path.Join("labs", p.Lab.Name, name)
}

// hintsFile is the path in the work tree of lab p's hints: their links are
// relative to the lab's folder, whichever language's file they come from.
func hintsFile(p *workbook.Lab) string {
	return path.Join("labs", p.Lab.Name, labs.HintsFile)
}

// splitTitle splits a brief's first line, "# Title", from the rest; a brief
// without one is titled by its front matter's title.
func splitTitle(brief []byte, fallback string) (string, []byte) {
	first, rest, _ := strings.Cut(string(brief), "\n")
	if t, ok := strings.CutPrefix(first, "# "); ok {
		return strings.TrimSpace(t), []byte(rest)
	}
	return fallback, brief
}

// render writes a page, or an error page when the template fails.
func (s *Server) render(w http.ResponseWriter, r *http.Request, t *template.Template, data any) {
	s.renderStatus(w, r, http.StatusOK, t, data)
}

func (s *Server) renderStatus(w http.ResponseWriter, r *http.Request, code int, t *template.Template, data any) {
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		if t == errorTmpl {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		s.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	w.Write(buf.Bytes())
}

type errorView struct {
	view
	Code  int
	Lines []string
	Back  string
}

// errorPage answers a page's URL that fails (a chapter or lab that does
// not exist, a mistyped address, a workbook that does not open) with a
// page in the book's layout and the request's edition: what went wrong,
// and a link back to the contents. wb gives the sidebar; nil leaves it
// empty.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, wb *workbook.Workbook, code int, msg string) {
	l := s.lang(r)
	title := l.Sprintf(lang.WebFailed)
	if code == http.StatusNotFound {
		title = l.Sprintf(lang.WebNotFound)
	}
	v := errorView{view: s.newView(r, wb, l, title, nil), Code: code, Back: l.Sprintf(lang.WebBackHome)}
	if code == http.StatusNotFound {
		// The reason below is an error, in English (see runner/lang):
		// the first line says it in the page's edition.
		if first := l.Sprintf(lang.WebNoPage, r.URL.Path); msg != first {
			v.Lines = append(v.Lines, first)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(msg), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			v.Lines = append(v.Lines, line)
		}
	}
	s.renderStatus(w, r, code, errorTmpl, &v)
}

// notFound answers a URL that is none of the book's: in the book's layout
// for a page, in plain words for what the pages' script asks.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	msg := s.lang(r).Sprintf(lang.WebNoPage, r.URL.Path)
	if !isPage(r) {
		s.fail(w, r, http.StatusNotFound, errors.New(msg))
		return
	}
	fmt.Fprintf(s.o.Log, "%s %s: not found\n", r.Method, r.URL.Path)
	if strings.Contains(path.Base(r.URL.Path), ".") {
		// A file's name (the browser's own /favicon.ico, a .md a reader
		// typed): the page without the sidebar, which would open the
		// workbook, under its lock, for each such request.
		s.errorPage(w, r, nil, http.StatusNotFound, msg)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	wb, err := s.workbook(r.Context(), s.lang(r))
	if err != nil {
		wb = nil // the page still says what went wrong, without the sidebar
	}
	s.errorPage(w, r, wb, http.StatusNotFound, msg)
}

// isPage reports whether r asks for a page, which a person reads, rather
// than for what the pages' script fetches (/api/, /events/), whose errors
// the script shows as plain text, or a static file.
func isPage(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	for _, p := range []string{"/api/", "/events/", "/static/"} {
		if strings.HasPrefix(r.URL.Path, p) {
			return false
		}
	}
	return true
}

// statusView is a lab's task list and what goes with it, as the "status"
// fragment shows it.
type statusView struct {
	W     words
	Seq   int
	State string // "running", "pass", "fail", "buildfail", "unknown"
	// Badge and BadgeClass are the lab's status as the sidebar shows it,
	// which the page updates with each fragment.
	Badge, BadgeClass string
	Running           bool
	Err               string
	Summary           string
	Class             string
	Trust             []check.TrustNote // whose tests the result comes from, when not simply the book's
	Tasks             []taskView
	Build             string
	Failure           *failureView
	Findings          []findingView
	Compare           *compareView
}

type taskView struct {
	Number             int
	Title, Mark, Label string
	Status, Class      string
}

// failureView is the first failing task as the page shows it, as netbook
// check does: the heading, what the test said, then at most
// check.MaxOutput lines of what the student's code printed while the test
// ran, under OutputHead, and More when there were more lines: how many,
// and the go test command that shows them all (Cmd, which the page shows
// as code, between Before and After).
type failureView struct {
	Head, Message string
	OutputHead    string
	Output        string // its lines, joined
	More          *moreView
}

type moreView struct{ Before, Cmd, After string }

// outputMaxLine is how many characters of one line the code printed the
// page shows: the terminal cuts such a line after three rows, and a test
// that printed a megabyte on one line would otherwise send it to the page
// whole.
const outputMaxLine = 500

// failureOf is f as the page shows it, in l; lab is the lab's directory
// name, for the command that shows all the output.
func failureOf(lab string, f *check.Failure, l lang.Lang) *failureView {
	v := &failureView{
		Head:    label(l.Sprintf(lang.FailureHead, f.Task, check.Describe(f.Status, l), f.Test)),
		Message: f.MessageIn(l),
	}
	lines, cut := check.OutputLines(strings.TrimRight(f.Output, "\n"))
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:] // a page's <pre> would drop the first
	}
	if len(lines) == 0 {
		return v
	}
	v.OutputHead = label(l.Sprintf(lang.CheckOutputHead))
	var shown []string
	for _, line := range lines[:min(len(lines), check.MaxOutput)] {
		line = check.Printable(line)
		if r := []rune(line); len(r) > outputMaxLine {
			line = string(r[:outputMaxLine]) + " …"
		}
		shown = append(shown, line)
	}
	v.Output = strings.Join(shown, "\n")
	if n := max(len(lines)-check.MaxOutput, 0); n > 0 || cut > 0 {
		cmd := check.FullCommand(lab, f.Test)
		more := l.Sprintf(lang.CheckOutputMore, n, cmd)
		if cut > 0 {
			// As the terminal says it: what netbook did not keep too.
			more = l.Sprintf(lang.CheckOutputCut, n, check.Size(l, cut), cmd)
		}
		before, after, _ := strings.Cut(more, cmd)
		v.More = &moreView{Before: before, Cmd: cmd, After: after}
	}
	return v
}

// label is a line of the terminal's that ends in a colon as a paragraph
// of the page above what it introduces: without the colon, in either
// edition ("：" in Chinese).
func label(s string) string {
	return strings.TrimRight(strings.TrimSpace(s), ":：")
}

type findingView struct{ Where, Message, Fix string }

type compareView struct {
	Files []compareFile
	Notes template.HTML
}

type compareFile struct {
	Name, Sum string
	Lines     []diffLine
}

type diffLine struct{ Class, Text string }

// statusOf builds the status fragment of lab p after res (nil: unknown).
// running marks a check under way. Once every task passes, the reference
// is shown next to the student's files (compare.Build), as netbook
// compare does.
func (s *Server) statusOf(p *workbook.Lab, res *check.Result, l lang.Lang, seq int, running bool) *statusView {
	v := &statusView{W: wordsIn(l), Seq: seq, Running: running, State: "unknown"}
	v.Badge, _, v.BadgeClass = labLabel(p, l)
	if running {
		v.State = "running"
	}
	if res == nil {
		for _, t := range p.Lab.Tasks {
			v.Tasks = append(v.Tasks, taskView{Number: t.Number, Title: t.Title, Mark: "·", Status: "unknown", Class: "t-unknown", Label: v.W.NotChecked})
		}
		return v
	}
	if !running {
		v.State = string(res.Status)
	}
	v.Class = "s-" + string(res.Status)
	switch res.Status {
	case check.Passed:
		v.Summary = l.Sprintf(lang.CheckAllPass, res.Total)
	case check.Unverified:
		v.Summary = l.Sprintf(lang.CheckUnverified, res.Total)
	case check.BuildFailed:
		v.Summary = l.Sprintf(lang.WatchNoCompile)
	case check.Failed:
		v.Summary = l.Sprintf(lang.LabelTasks, res.Passed, res.Total)
		if p.Status == workbook.NotStarted && p.Known {
			// The skeleton as shipped: not started, as the badges say.
			v.Summary = l.Sprintf(lang.LabelNotStarted, res.Passed, res.Total)
		}
	default:
		v.Summary = l.Sprintf(lang.LabelTasks, res.Passed, res.Total)
	}
	if res.Problem != "" {
		v.Err = res.Problem
	}
	v.Trust = check.TrustNotes(res, l)
	if p.Elsewhere && res.Status != check.Passed {
		// Done in another copy of the book (netbook progress --import):
		// the badges say done, the tasks are the skeleton's here. The
		// page says why, as netbook compare does.
		v.Trust = append(v.Trust, check.ElsewhereNote(p.Lab.Name, p.DoneAt, l))
	}
	// The check may have run in another edition (the server checks a lab
	// once for the pages of every edition): the titles are the page's.
	titles := map[int]string{}
	for _, t := range p.Lab.Tasks {
		titles[t.Number] = t.Title
	}
	for _, t := range res.Tasks {
		title := t.Title
		if in, ok := titles[t.Number]; ok {
			title = in
		}
		v.Tasks = append(v.Tasks, taskView{Number: t.Number, Title: title, Mark: check.Mark(t.Status),
			Status: string(t.Status), Class: "t-" + string(t.Status), Label: check.Describe(t.Status, l)})
	}
	var b strings.Builder
	for _, d := range res.BuildErrors {
		b.WriteString(d.String() + "\n")
	}
	v.Build = b.String()
	if f := res.Failure; f != nil && f.Status != gotest.Pass {
		v.Failure = failureOf(p.Lab.Name, f, l)
	}
	for _, f := range res.Findings {
		v.Findings = append(v.Findings, findingView{Where: fmt.Sprintf("%s:%d", f.File, f.Line), Message: f.MessageIn(l), Fix: f.FixIn(l)})
	}
	if res.Status == check.Passed && len(res.Tasks) == len(p.Lab.Tasks) {
		if c, err := compare.Build(s.o.Root, p.Lab, res, string(l)); err == nil {
			v.Compare = compareOf(c, s.linksIn(c.NotesFile, l))
		}
	}
	return v
}

// compareOf is a comparison as the page shows it: each file's diff, line
// by line, and the notes on the reference (k: their file, for their links).
func compareOf(c *compare.Comparison, k links) *compareView {
	cv := &compareView{}
	for _, f := range c.Files {
		cf := compareFile{Name: f.Name, Sum: fmt.Sprintf("−%d +%d", f.Removed, f.Added)}
		for _, line := range strings.Split(strings.TrimRight(f.Diff, "\n"), "\n") {
			class := ""
			switch {
			case strings.HasPrefix(line, "+"):
				class = "add"
			case strings.HasPrefix(line, "-"):
				class = "del"
			case strings.HasPrefix(line, "@@"):
				class = "hunk"
			}
			cf.Lines = append(cf.Lines, diffLine{Class: class, Text: line})
		}
		cv.Files = append(cv.Files, cf)
	}
	if c.Notes != "" {
		cv.Notes, _ = renderMarkdown([]byte(c.Notes), 3, k)
	}
	return cv
}

type hintView struct {
	Title string
	Body  template.HTML
	// Key names the hint (its task and level): a hint the page shows
	// already is replaced, not shown twice, when it comes again.
	Key string
	// Note follows the body: that it was the task's last level, and where
	// to read on once the levels are spent, as netbook hint says.
	Note template.HTML
}

// hintOf is a hint as the page shows it; k is its lab's hints file, for
// its links. A lab that does not compile gets the hint on reading compile
// errors, which is no task's, and a task without hints says so, as
// netbook hint does (workbook.WriteHint).
func hintOf(h *workbook.Hint, k links) *hintView {
	switch {
	case h.Build:
		return &hintView{Title: h.Lang.Sprintf(lang.HintNoCompile, h.Lab.Lab.Name), Body: hintBody(h.Text, k), Key: "build"}
	case h.Levels == 0:
		return &hintView{Title: strings.TrimSpace(h.Lang.Sprintf(lang.HintNone, h.Task.Number, h.Lab.Lab.Name)), Key: fmt.Sprintf("%d-0", h.Task.Number)}
	}
	v := &hintView{Title: workbook.HintTitle(h), Body: hintBody(h.Text, k), Key: fmt.Sprintf("%d-%d", h.Task.Number, h.Level)}
	if h.Level == h.Levels {
		v.Note = template.HTML(template.HTMLEscapeString(strings.TrimSpace(h.Lang.Sprintf(lang.HintLast))))
	}
	return v
}

// lastHintAgain is the note under a task's last hint when it is asked for
// once more, as netbook hint says it: that it was the last, again, and
// the chapter to read on in (ch), linked by its title.
func lastHintAgain(l lang.Lang, ch *link) template.HTML {
	note := template.HTMLEscapeString(strings.TrimSpace(l.Sprintf(lang.HintLastAgain)))
	if ch != nil {
		const mark = "\x00"
		before, after, _ := strings.Cut(strings.TrimSpace(l.Sprintf(lang.HintReadChapter, mark)), mark)
		note += " " + template.HTMLEscapeString(before) + `<a href="` + template.HTMLEscapeString(ch.Href) + `">` +
			template.HTMLEscapeString(ch.Title) + "</a>" + template.HTMLEscapeString(after)
	}
	return template.HTML(note)
}

// hintBody is a hint's text as HTML, or as escaped text when it does not
// render. A hint of several lines is code (the level that is nearly the
// code, a YAML | block): it is shown as Go, line for line, as netbook hint
// prints it, where Markdown would run its lines together into one
// paragraph and drop their indentation.
func hintBody(text string, k links) template.HTML {
	if code := strings.TrimRight(text, "\n"); strings.Contains(code, "\n") && !listItem.MatchString(code) {
		fence := "```"
		for strings.Contains(code, fence) {
			fence += "`"
		}
		text = fence + "go\n" + code + "\n" + fence + "\n"
	}
	body, err := renderMarkdown([]byte(text), 3, k)
	if err != nil {
		body = template.HTML(template.HTMLEscapeString(text))
	}
	return body
}

// listItem matches text that starts as a Markdown list does: a hint of
// several lines that is a list, not code, stays Markdown.
var listItem = regexp.MustCompile(`^\s*(?:[-*+]|\d+[.)])\s`)

// fragment writes one named template of fragments.html.
func (s *Server) fragment(w http.ResponseWriter, r *http.Request, name string, data any) {
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, name, data); err != nil {
		s.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}
