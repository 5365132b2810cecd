package workbook

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/netbook/netbook/chapters"
	"github.com/netbook/netbook/runner/analysis"
	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/check"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/repo"
	"github.com/netbook/netbook/runner/shipped"
	"github.com/netbook/netbook/runner/state"
)

// Workbook is where a student stands: the book, its labs, the progress
// file and each lab's status, built once by Open. Front ends render it
// (the terminal dashboard, WriteDashboard) and act through it: Check runs
// a lab's tests and records the result, Hint hands out the next level of
// a task's hints, and both save the progress file.
type Workbook struct {
	Root    repo.Root
	Book    *book.Book
	Labs    []*Lab  // every lab that loaded, in number order, with its status
	Entries []Entry // one per chapter, in order, with its lab's status
	Broken  []error // the labs that did not load, and why
	State   *state.State
	Sums    *labs.Sums
	// Cmd is how to invoke netbook in the commands the workbook suggests:
	// "netbook", or "go run ./cmd/netbook".
	Cmd string
	// Lang is the language the workbook is read in (Options.Lang): the
	// book's chapters, the labs' briefs, hints and task titles where they
	// have a translation, and every message the workbook writes.
	Lang lang.Lang

	run  Runner
	warn io.Writer
}

// Options tune Open.
type Options struct {
	// Test runs the tests of labs edited since their last recorded result,
	// so that every status is Known (the dashboard); without it such a lab
	// is NotStarted and not Known until it is checked.
	Test bool
	// Checking is called before the tests of a lab run for Test, so that a
	// front end can say why it waits.
	Checking func(l *labs.Lab)
	// Run runs a lab's tests; check.Run with default options when nil.
	Run Runner
	// Warn receives warnings that do not stop anything: a lab that does not
	// load, progress that cannot be saved. Discarded when nil.
	Warn io.Writer
	// Lang is the language to open the workbook in (lang.Resolve picks it
	// for a command); English when empty.
	Lang lang.Lang
}

// LoadBook loads the book in language l (see book.LoadIn: a chapter
// without a translation is the English one) from the work tree at r, or
// from the copy embedded in the binary when r is nil (netbook run outside
// a work tree).
func LoadBook(r *repo.Root, l lang.Lang) (*book.Book, error) {
	var fsys fs.FS = chapters.FS
	if r != nil {
		fsys = os.DirFS(r.Chapters())
	}
	return book.LoadIn(fsys, l)
}

// LoadLabs loads every lab of the work tree that loads, in language l
// (see labs.Lab.In: what has no translation stays English), with what is
// wrong with the others: one lab being written does not stop the rest.
// err is set only when no lab could be read at all.
func LoadLabs(r repo.Root, l lang.Lang) (all []*labs.Lab, broken []error, err error) {
	all, err = labs.LoadAll(r)
	for i := range all {
		all[i] = all[i].In(l)
	}
	if err == nil {
		return all, nil, nil
	}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		broken = joined.Unwrap()
	} else {
		broken = []error{err}
	}
	if all == nil {
		return nil, nil, err
	}
	return all, broken, nil
}

// Open builds the workbook of the work tree at r: it loads the book, the
// labs, the progress file and the book's sums, and works out each lab's
// status (running tests only with o.Test).
func Open(ctx context.Context, r repo.Root, o Options) (*Workbook, error) {
	w := &Workbook{Root: r, Cmd: r.Command(), Lang: o.Lang, run: o.Run, warn: o.Warn}
	if w.warn == nil {
		w.warn = io.Discard
	}
	if w.run == nil {
		w.run = func(ctx context.Context, l *labs.Lab) (*check.Result, error) {
			return check.Run(ctx, r, l, check.Options{Sums: w.Sums})
		}
	}
	var err error
	if w.Book, err = LoadBook(&r, o.Lang); err != nil {
		return nil, err
	}
	all, broken, err := LoadLabs(r, o.Lang)
	if err != nil {
		return nil, err
	}
	w.Broken = broken
	for _, b := range broken {
		fmt.Fprintf(w.warn, "netbook: warning: %v\n", b)
	}
	if w.State, err = state.Load(r.StateFile()); err != nil {
		return nil, err
	}
	if w.Sums, err = labs.ReadSums(r); err != nil {
		return nil, err
	}
	var run Runner
	if o.Test {
		run = func(ctx context.Context, l *labs.Lab) (*check.Result, error) {
			if o.Checking != nil {
				o.Checking(l)
			}
			return w.run(ctx, l)
		}
	}
	// The chapters' labs first, in chapter order (their tests run in the
	// order the student meets them), then every lab by number.
	if w.Entries, err = Gather(ctx, w.Book, all, w.State, w.Sums, run); err != nil {
		return nil, err
	}
	byName := map[string]*Lab{}
	for _, e := range w.Entries {
		if e.Lab != nil {
			byName[e.Lab.Lab.Name] = e.Lab
		}
	}
	for _, l := range all {
		p := byName[l.Name]
		if p == nil {
			if p, err = Of(ctx, l, w.State, w.Sums, run); err != nil {
				return nil, err
			}
		}
		w.Labs = append(w.Labs, p)
	}
	if o.Test {
		w.Save()
	}
	return w, nil
}

// Find returns the lab that arg names (a number, a folder name, a path),
// or an error that lists the labs.
func (w *Workbook) Find(arg string) (*Lab, error) {
	l, err := FindLab(w.AllLabs(), arg, w.Cmd)
	if err != nil {
		return nil, err
	}
	return w.lab(l), nil
}

// AllLabs returns every lab that loaded, in number order.
func (w *Workbook) AllLabs() []*labs.Lab {
	all := make([]*labs.Lab, len(w.Labs))
	for i, p := range w.Labs {
		all[i] = p.Lab
	}
	return all
}

// FindLab returns the lab of all that arg names, or an error that lists
// them and says how to (cmd is how to invoke netbook).
func FindLab(all []*labs.Lab, arg, cmd string) (*labs.Lab, error) {
	l, err := labs.Find(all, arg)
	if err != nil {
		return nil, fmt.Errorf("%w\n(list them with: %s list)", err, cmd)
	}
	return l, nil
}

// lab is the workbook's entry for l.
func (w *Workbook) lab(l *labs.Lab) *Lab {
	for _, p := range w.Labs {
		if p.Lab == l || p.Lab.Name == l.Name {
			return p
		}
	}
	return nil
}

// Current is the lab the student is on: the first lab, in chapter order,
// that is not done; nil when every lab is done.
func (w *Workbook) Current() *Lab {
	for _, e := range w.Entries {
		if e.Lab != nil && e.Lab.Status != Done {
			return e.Lab
		}
	}
	return nil
}

// Following is the first lab after l, by number, that is not done, with
// the chapter that teaches it (nil when none does); nil when there is none.
func (w *Workbook) Following(l *Lab) (*Lab, *book.Chapter) {
	for _, e := range w.Entries {
		if p := e.Lab; p != nil && p != l && p.Status != Done && p.Lab.Number > l.Lab.Number {
			return p, e.Chapter
		}
	}
	return nil, nil
}

// Next is the single next thing to do, as the dashboard suggests it.
func (w *Workbook) Next() Step { return Next(w.Entries, w.State, w.Cmd, w.Lang) }

// Progress counts the labs done, of every lab in the book.
func (w *Workbook) Progress() (done, total int) {
	for _, p := range w.Labs {
		if p.Status == Done {
			done++
		}
	}
	return done, len(w.Labs)
}

// Check runs lab l's tests (the book's tests, see runner/check), records
// the result in the progress file, saves it, and updates l's status: the
// one place where a check becomes progress, whoever asks for it (check,
// watch, the dashboard, hint, compare). l.FirstDone tells whether this
// check was the first time the lab passed. A check of some tasks only
// (o.Tasks, as a grading step runs) is not the lab's progress: nothing is
// recorded.
func (w *Workbook) Check(ctx context.Context, l *Lab, o check.Options) (*check.Result, error) {
	hash, err := l.Lab.Hash()
	if err != nil {
		return nil, err
	}
	if o.Sums == nil {
		o.Sums = w.Sums
	}
	// The analyzers read the student's files while the tests run: their
	// advice costs the check next to nothing.
	var findings []analysis.Finding
	analysed := make(chan struct{})
	go func() {
		defer close(analysed)
		if len(o.Tasks) == 0 {
			findings, _ = analysis.Run(ctx, l.Lab.Dir, l.Lab.StudentFiles(), nil)
		}
	}()
	res, err := check.Run(ctx, w.Root, l.Lab, o)
	<-analysed
	if err != nil {
		return nil, err
	}
	l.FirstDone = false
	if len(o.Tasks) > 0 {
		return res, nil
	}
	if res.Status != check.BuildFailed {
		res.Findings = findings
	}
	// What the record held before this check tells a first pass from
	// another: Record writes the done record of a lab that passes.
	before, wasDone := w.State.Done[l.Lab.Name]
	l.apply(Record(w.State, l.Lab, hash, res))
	l.DoneAt, l.Elsewhere = time.Time{}, false
	switch {
	case l.Status == Done:
		l.DoneAt = w.State.Done[l.Lab.Name].At
		l.FirstDone = !wasDone || !before.Stands()
	case wasDone && before.Stands() && o.Sums != nil && o.Sums.Pristine(l.Lab):
		// Done in another copy of the book, and the files here are the
		// skeleton: the lab stays done, as Of says and the dashboard
		// shows; the check's report says why its tasks fail here.
		l.Status, l.Passed, l.Next = Done, l.Total, nil
		l.DoneAt, l.Elsewhere = before.At, true
	}
	w.Save()
	return res, nil
}

// Result is lab l's check result: the last check's, when the lab has not
// changed since (see Cached; the result has no failure messages), else
// the result of a check run now (and recorded, as Check does). l.Known
// tells beforehand which it will be.
func (w *Workbook) Result(ctx context.Context, l *Lab) (*check.Result, error) {
	res, ok, err := Cached(w.State, l.Lab, w.Sums)
	if err != nil || ok {
		return res, err
	}
	return w.Check(ctx, l, check.Options{})
}

// Restarted records that the student started lab l over (netbook reset):
// a done record no longer makes it done while its files are the skeleton.
// It saves the progress file.
func (w *Workbook) Restarted(l *Lab) {
	w.State.Restarted(l.Lab.Name)
	w.Save()
}

// Read records that the student opened a chapter.
func (w *Workbook) Read(c *book.Chapter) {
	w.State.Read[c.Slug] = true
	w.Save()
}

// Save writes the progress file, warning rather than failing: progress is
// a convenience, never a reason to lose a command's real output.
func (w *Workbook) Save() {
	if err := w.State.Save(); err != nil {
		fmt.Fprintf(w.warn, "netbook: warning: %v\n", err)
	}
}

// Dir is lab l's folder as the student types it: labs/01-addresses.
func (w *Workbook) Dir(l *Lab) string { return w.Root.Rel(l.Lab.Dir) }

// Command is the netbook command line that runs verb on lab l, as the
// student would copy it: "netbook check 01".
func (w *Workbook) Command(verb string, l *Lab) string {
	return fmt.Sprintf("%s %s %02d", w.Cmd, verb, l.Lab.Number)
}

// naming narrows files to those that name task n ("task 3", as the
// skeleton's TODOs do), or returns them all when none does. src gives a
// file's source: the skeleton's as the book shipped it (see skeletons),
// which still names its tasks once the student has replaced its TODOs.
func naming(files []string, src func(string) []byte, n int) []string {
	var named []string
	for _, f := range files {
		if namesTask(src(f), n) {
			named = append(named, f)
		}
	}
	if len(named) == 0 {
		return files
	}
	return named
}

// skeletons returns a function that gives the source of each of lab l's
// student files as the book shipped it: from the work tree while the file
// is still the skeleton, else from the clone's git objects (package
// shipped). A file whose shipped bytes cannot be had (no sums line, no
// git, a download without history) gives its copy in the work tree.
func (w *Workbook) skeletons(ctx context.Context, l *Lab) func(string) []byte {
	book := map[string][]byte{}
	var changed []labs.Shipped
	var paths []string
	if w.Sums != nil {
		for _, name := range l.Lab.Files {
			f, ok := w.Sums.Files[l.Lab.Name+"/"+name]
			if !ok || f.Role != labs.Skeleton || w.Sums.Matches(f) {
				continue
			}
			changed = append(changed, f)
			paths = append(paths, filepath.Join(l.Lab.Dir, name))
		}
	}
	if len(changed) > 0 {
		if data, err := shipped.Read(ctx, w.Root, changed); err == nil {
			for i, p := range paths {
				book[p] = data[i]
			}
		}
	}
	return func(path string) []byte {
		if src, ok := book[path]; ok {
			return src
		}
		src, _ := os.ReadFile(path)
		return src
	}
}

// taskRef finds a mention of tasks in a comment: "task 3", "tasks 3 to 7",
// "tasks 3-5", "tasks 1 and 2", "tasks 1, 4 and 6"; taskSep splits its
// list, taskRange reads one item of it.
var (
	taskRef   = regexp.MustCompile(`(?i)\btasks?\s+(\d+(?:\s*(?:,|and|to|-|–)\s*\d+)*)\b`)
	taskSep   = regexp.MustCompile(`(?i)\s*(?:,|\band\b)\s*`)
	taskRange = regexp.MustCompile(`(?i)^(\d+)(?:\s*(?:to|-|–)\s*(\d+))?$`)
)

// namesTask reports whether src mentions task n, alone or in a list or
// range of tasks.
func namesTask(src []byte, n int) bool {
	for _, m := range taskRef.FindAllSubmatch(src, -1) {
		for _, item := range taskSep.Split(string(m[1]), -1) {
			r := taskRange.FindStringSubmatch(item)
			if r == nil {
				continue
			}
			lo, _ := strconv.Atoi(r[1])
			hi := lo
			if r[2] != "" {
				hi, _ = strconv.Atoi(r[2])
			}
			if lo <= n && n <= hi {
				return true
			}
		}
	}
	return false
}

// Advice is what a check's text report suggests for lab l after res, a
// check with options o: the files to edit, the command that checks again
// (the same tasks), the hint for the task that failed, the reference the
// first time the lab passes, and what comes after the lab. The files to
// edit are those whose skeleton names the failed task, read back from git
// (under ctx) where the student has changed them.
func (w *Workbook) Advice(ctx context.Context, l *Lab, res *check.Result, o check.Options, code func(string) string) check.Advice {
	adv := check.Advice{Again: w.Command("check", l), Lang: w.Lang, Path: func(p string) string {
		// git takes a path from where it runs: inside the lab's folder,
		// the file's name.
		return filepath.ToSlash(w.Root.Rel(filepath.Join(w.Root.Dir, filepath.FromSlash(p))))
	}}
	// A lab whose files are the skeleton is not started, as the
	// dashboard says, unless it was done elsewhere.
	if d, ok := w.State.Done[l.Lab.Name]; w.Sums.Pristine(l.Lab) {
		if ok && d.Stands() {
			// Done in another copy (netbook progress --import): the
			// report says why the skeleton's tasks fail here.
			adv.Elsewhere, adv.DoneAt = true, d.At
		} else {
			adv.NotStarted = true
		}
	}
	if len(o.Tasks) > 0 {
		adv.Only = TaskList(o.Tasks)
		adv.Again += " --task " + adv.Only
	}
	if o.Race {
		adv.Again += " --race" // a race found once may hide the next run
	}
	if l.FirstDone && res.Status == check.Passed {
		adv.Compare = w.Command("compare", l)
	}
	files := l.Lab.StudentFiles()
	if res.Failure != nil {
		files = naming(files, w.skeletons(ctx, l), res.Failure.Task)
	}
	for _, f := range files {
		adv.Edit = append(adv.Edit, w.Root.Rel(f))
	}
	if res.Failure != nil {
		adv.Hint = w.HintCommand(l, res.Failure.Task)
	}
	if next, c := w.Following(l); next != nil && c != nil {
		adv.Next = w.Lang.Sprintf(lang.AdviceNextLab, next.Lab.Name, c.Number, c.Title,
			code(fmt.Sprintf("%s read %d", w.Cmd, c.Number)))
	} else {
		adv.Next = w.Lang.Sprintf(lang.AdviceWhereYouStand, code(w.Cmd))
	}
	return adv
}

// TaskList writes task numbers as --task takes them: "1,3".
func TaskList(tasks []int) string {
	s := make([]string, len(tasks))
	for i, n := range tasks {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ",")
}
