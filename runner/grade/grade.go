package grade

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/netbook/netbook/runner/check"
	"github.com/netbook/netbook/runner/gotest"
	"github.com/netbook/netbook/runner/hidden"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/repo"
	"github.com/netbook/netbook/runner/sandbox"
	"github.com/netbook/netbook/runner/shipped"
	"github.com/netbook/netbook/runner/style"
)

// Options tune a grade.
type Options struct {
	// Labs are the labs to grade (numbers or names, as labs.Find takes
	// them); when empty, every lab found in each submission.
	Labs []string
	// Hidden is the folder of the instructor's hidden tests (package
	// hidden), or "".
	Hidden string
	// Jobs is how many labs are tested at once; the number of CPUs when 0.
	Jobs int
	// Timeout bounds each lab's tests (go test -timeout); 2 minutes when 0.
	Timeout time.Duration
	// Limit bounds each lab's whole run, building included; Timeout plus
	// five minutes when 0.
	Limit time.Duration
	// Race runs every lab's tests with the race detector. A lab whose
	// wrong solutions mark a task race: true (labs.Lab.RaceTasks) runs
	// with it in any case.
	Race bool
	// Keep is how many bytes of each test's output are kept; 64 KiB when
	// 0. A task's message is cut to MessageLines lines.
	Keep int
	// Progress, when not nil, is told how many of the records are done,
	// after each.
	Progress func(done, total int)
}

// MaxTimeout is the longest Options.Timeout netbook grade takes: a lab's
// tests take seconds, and a longer limit is a typo (100h for 100s) that
// would let one hanging submission hold the class for days.
const MaxTimeout = time.Hour

// MessageLines is how many lines of a task's message a record keeps.
const MessageLines = 30

// OutputLines is how many lines of what a task's code printed a record
// keeps (Task.Output), and OutputLineBytes how many bytes of each: a
// class's report stays small when a submission prints without end.
const (
	OutputLines     = 20
	OutputLineBytes = 300
)

// bookLab is one lab as the grade sees it: the book's files, as shipped,
// with the hidden tests in.
type bookLab struct {
	lab     *labs.Lab // its tasks through the overlay
	hidden  *hidden.Tests
	overlay map[string]string // the book's files as shipped, and the hidden tests
	view    *shipped.View
	pkg     string // the package clause of the student's files
	race    bool   // a task's mistakes only the race detector sees
	info    LabInfo
	err     error // why the lab cannot be graded

	hiddenOnce sync.Once
	hiddenErr  error // why the hidden tests do not compile with the skeleton
}

// job is one test run, shared by every record with the same files.
type job struct {
	lab     *bookLab
	files   map[string][]byte // the student's files present, by name
	records []*Record
	// closing is the name of the test grade adds to the run, after every
	// other (see closingTest): a real run that no test failed ran it.
	closing string
	// forged says what the run's events did that no run of the testing
	// package does (see sequence).
	forged []string
}

// Run grades the submissions of the book at r.
func Run(ctx context.Context, r repo.Root, subs []Submission, o Options) (*Report, error) {
	if o.Jobs <= 0 {
		o.Jobs = runtime.NumCPU()
	}
	if o.Timeout <= 0 {
		o.Timeout = 2 * time.Minute
	}
	if o.Limit <= 0 {
		o.Limit = o.Timeout + 5*time.Minute
	}
	if o.Keep <= 0 {
		o.Keep = 64 << 10
	}
	all, loadErr := labs.LoadAll(r)
	var chosen []*labs.Lab
	for _, name := range o.Labs {
		l, err := labs.Find(all, name)
		if err != nil {
			return nil, errors.Join(err, loadErr)
		}
		if !slices.Contains(chosen, l) {
			chosen = append(chosen, l)
		}
	}
	if len(chosen) == 0 && len(all) == 0 {
		return nil, fmt.Errorf("the book has no labs to grade: %w", loadErr)
	}
	if o.Hidden != "" {
		if err := hidden.Check(o.Hidden, all); err != nil {
			return nil, err
		}
	}
	sums, err := labs.ReadSums(r)
	if err != nil {
		return nil, err
	}

	tmp, remove, err := sandbox.TempDir("netbook-grade-")
	if err != nil {
		return nil, err
	}
	defer remove()

	books := map[string]*bookLab{}
	defer func() {
		for _, b := range books {
			b.view.Close()
		}
	}()
	prepare := func(l *labs.Lab) *bookLab {
		if b, ok := books[l.Name]; ok {
			return b
		}
		b := prepareLab(ctx, r, l, sums, o.Hidden)
		books[l.Name] = b
		return b
	}
	for _, l := range chosen {
		prepare(l)
	}

	// Find each submission's labs and group identical sets of files.
	rep := &Report{}
	jobs := map[string]*job{}
	var order []string
	// why says, for each student whose submission has no labs where grade
	// looks, what it has instead: several folders with labs inside it (see
	// unwrap), or archives still packed.
	why := map[string]string{}
	// newRecord adds s's record of lab l, found in dir ("" when the
	// submission has no files for it) at from, relative to the folder
	// wrap inside the submission ("" when the submission is not wrapped).
	newRecord := func(s Submission, l *labs.Lab, dir, wrap, from string) {
		b := prepare(l)
		rec := &Record{Student: s.Student, Lab: l.Name, Title: l.Title, MaxPoints: b.info.MaxPoints, From: path.Join(wrap, from)}
		rep.Records = append(rep.Records, rec)
		switch {
		case b.err != nil:
			rec.Status, rec.Problem = Error, b.err.Error()
			return
		case dir == "":
			rec.Status, rec.Problem = Missing, "the submission has no files for this lab (no labs/"+l.Name+"/, no "+l.Name+"/, no .go files of package "+b.pkg+")"
			if w := why[s.Student]; w != "" {
				rec.Problem += "; " + w
			}
			rec.Tasks = tasksFor(b, nil)
			return
		}
		f := gather(dir, from, l, sums)
		rec.Missing, rec.TestsModified, rec.Extra = f.missing, f.modified, f.extra
		rec.Suspect = suspect(f.files)
		rec.Reference = copied(l, f.files)
		key := filesKey(l.Name, f.files)
		j, ok := jobs[key]
		if !ok {
			j = &job{lab: b, files: f.files}
			jobs[key] = j
			order = append(order, key)
		}
		j.records = append(j.records, rec)
	}
	var empty []Submission // without o.Labs: the submissions with no lab found
	for _, s := range subs {
		inner, wrap, several := unwrap(s, all)
		if len(several) > 1 {
			why[s.Student] = severalRoots(several)
		} else if packed := Archives(s.Dir); wrap == "" && len(packed) > 0 && !holdsLabs(s.Dir, all, true) {
			for i, a := range packed {
				packed[i] = filepath.Base(a)
			}
			why[s.Student] = "it holds " + style.Join(packed) + ": unpack it where it is and grade again"
		}
		in := s
		in.Dir = inner
		if len(chosen) > 0 {
			for _, l := range chosen {
				dir, from := locate(in, l, prepare(l).pkg)
				newRecord(s, l, dir, wrap, from)
			}
			continue
		}
		n := 0
		for _, l := range all {
			if dir, from := locate(in, l, prepare(l).pkg); dir != "" {
				newRecord(s, l, dir, wrap, from)
				n++
			}
		}
		if n == 0 {
			empty = append(empty, s)
		}
	}
	if len(empty) > 0 {
		// A submission with nothing to grade misses every lab the others
		// have; when no submission has any, there is nothing to grade.
		graded := map[string]bool{}
		for _, rec := range rep.Records {
			graded[rec.Lab] = true
		}
		if len(graded) == 0 {
			var names, whys []string
			for _, s := range empty {
				names = append(names, s.Dir)
				if w := why[s.Student]; w != "" {
					whys = append(whys, s.Dir+": "+w)
				}
			}
			err := fmt.Errorf("nothing to grade: %s %s no lab's files (no labs/NN-slug/, no NN-slug/, no .go files of a lab's package at the top, nor in the one folder inside)",
				style.Join(names), style.Plural(len(names), "has", "have"))
			if len(whys) > 0 {
				err = fmt.Errorf("%w\n%s", err, strings.Join(whys, "\n"))
			}
			return nil, err
		}
		for _, s := range empty {
			for _, l := range all {
				if graded[l.Name] {
					newRecord(s, l, "", "", "")
				}
			}
		}
	}
	for _, b := range books {
		if slices.ContainsFunc(rep.Records, func(rec *Record) bool { return rec.Lab == b.info.Name }) {
			rep.Labs = append(rep.Labs, b.info)
		}
	}
	slices.SortFunc(rep.Labs, func(a, b LabInfo) int { return strings.Compare(a.Name, b.Name) })
	slices.SortStableFunc(rep.Records, func(a, b *Record) int {
		return cmpOr(strings.Compare(a.Student, b.Student), strings.Compare(a.Lab, b.Lab))
	})

	// Run each set of files once, o.Jobs at a time.
	total := len(rep.Records)
	var mu sync.Mutex
	done := total
	for _, j := range jobs {
		done -= len(j.records)
	}
	if o.Progress != nil {
		o.Progress(done, total)
	}
	sem := make(chan struct{}, o.Jobs)
	var wg sync.WaitGroup
	for i, key := range order {
		j := jobs[key]
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-sem }()
			j.run(ctx, r, o, filepath.Join(tmp, fmt.Sprintf("job-%d", i)))
			if o.Progress != nil {
				mu.Lock()
				done += len(j.records)
				o.Progress(done, total)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return rep, nil
}

// severalRoots says that a submission wraps more than one folder with
// labs (see unwrap), which grade does not choose between.
func severalRoots(folders []string) string {
	named := make([]string, len(folders))
	for i, f := range folders {
		named[i] = f + "/"
	}
	return fmt.Sprintf("it has no labs at its top, and %d folders inside it have labs (%s): grade does not choose between them; leave only the one to grade, or, if each folder is a student's, grade the folder with --dir",
		len(named), style.Join(named))
}

func cmpOr(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

// filesKey identifies a set of student files for a lab: the same key, the
// same test run.
func filesKey(lab string, files map[string][]byte) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00", lab)
	for _, name := range slices.Sorted(maps.Keys(files)) {
		fmt.Fprintf(h, "%s\x00%d\x00", name, len(files[name]))
		h.Write(files[name])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// prepareLab reads lab l as the book shipped it, with the hidden tests.
func prepareLab(ctx context.Context, r repo.Root, l *labs.Lab, sums *labs.Sums, hiddenDir string) *bookLab {
	b := &bookLab{lab: l, info: LabInfo{Name: l.Name, Title: l.Title}, race: len(l.RaceTasks()) > 0}
	if len(l.Files) > 0 {
		b.pkg = packageName(filepath.Join(l.Dir, l.Files[0]), nil)
	}
	fail := func(err error) *bookLab {
		b.err = err
		return b
	}
	h, err := hidden.Load(hiddenDir, l)
	if err != nil {
		// The book's tasks, at least, say what the lab is worth.
		for _, t := range l.Tasks {
			b.info.Tasks++
			b.info.MaxPoints += l.Worth(t.Number)
		}
		return fail(fmt.Errorf("the hidden tests of lab %s cannot be read (netbook verify %s --hidden DIR checks them): %w", l.Name, l.Name[:2], err))
	}
	b.hidden = h
	if !sums.Has(l) {
		return fail(fmt.Errorf("labs/%s has no lines for lab %s: grade needs the book's fingerprints of its files (netbook verify --update-sums)", labs.SumsFile, l.Name))
	}
	view, err := shipped.Book(ctx, r, l, sums, shipped.Options{Skeleton: true, HideOwn: true})
	if err != nil {
		return fail(fmt.Errorf("the book's own files of lab %s: %w", l.Name, err))
	}
	b.view = view
	b.info.Note = staleNote(l, view)
	b.overlay = maps.Clone(view.Overlay)
	maps.Copy(b.overlay, h.Overlay())
	if b.lab, err = l.Through(b.overlay); err != nil {
		return fail(err)
	}
	for _, t := range b.lab.Tasks {
		b.info.Tasks++
		b.info.MaxPoints += h.Worth(l, t.Number)
		if h.Hidden(t) {
			b.info.Hidden++
		}
	}
	if b.info.Tasks == 0 {
		return fail(fmt.Errorf("lab %s has no tasks", l.Name))
	}
	if probs := h.Problems(b.lab); len(probs) > 0 {
		return fail(fmt.Errorf("the hidden tests of lab %s are not ready to grade (netbook verify %s --hidden DIR proves them): %s",
			l.Name, l.Name[:2], strings.Join(probs, "; ")))
	}
	return b
}

// staleNote says which of the book's files of lab l in the tree are not
// the ones labs/book.sum records, so that the grade did not run them: an
// author who changed a lab and did not run verify --update-sums. The
// student's files (an instructor's tree may hold a solution) do not count.
func staleNote(l *labs.Lab, v *shipped.View) string {
	var changed, unknown []string
	for _, f := range v.Restored {
		rest, ok := strings.CutPrefix(f, l.Name+"/")
		switch {
		case !ok:
			changed = append(changed, f) // a shared package's
		case !slices.Contains(l.Files, rest):
			changed = append(changed, rest)
		}
	}
	for _, h := range v.Hidden {
		unknown = append(unknown, h.File)
	}
	if len(changed)+len(unknown) == 0 {
		return ""
	}
	var what []string
	if len(changed) > 0 {
		what = append(what, strings.Join(changed, ", ")+" "+style.Plural(len(changed), "differs", "differ")+" from it")
	}
	if len(unknown) > 0 {
		what = append(what, strings.Join(unknown, ", ")+" "+style.Plural(len(unknown), "is", "are")+" not in it")
	}
	return fmt.Sprintf("graded with the files labs/%s records, not this tree's: %s (after changing a lab, netbook verify --update-sums records it)",
		labs.SumsFile, strings.Join(what, ", and "))
}

// tasksFor grades each task of the lab from a folded result (nil: none
// ran).
func tasksFor(b *bookLab, res *check.Result) []Task {
	var out []Task
	for i, t := range b.lab.Tasks {
		task := Task{
			ID: fmt.Sprintf("%s/%d", b.lab.Name, t.Number), Number: t.Number, Test: t.Test, Title: t.Title,
			Hidden: b.hidden.Hidden(t), Status: gotest.NotRun, MaxPoints: b.hidden.Worth(b.lab, t.Number),
		}
		if res != nil && i < len(res.Tasks) {
			task.Status = res.Tasks[i].Status
		}
		if task.Status == gotest.Pass {
			task.Points = task.MaxPoints
		}
		out = append(out, task)
	}
	return out
}

// run tests the job's files once and fills in each of its records.
func (j *job) run(ctx context.Context, r repo.Root, o Options, dir string) {
	if err := j.lab.hiddenCompiles(ctx, r, o, dir+"-hidden"); err != nil {
		for _, rec := range j.records {
			rec.Status, rec.Problem, rec.Tasks = Error, err.Error(), tasksFor(j.lab, nil)
		}
		return
	}
	start := time.Now()
	res, rep, err := j.test(ctx, r, o, dir)
	os.RemoveAll(dir)
	elapsed := time.Since(start).Round(time.Millisecond)
	inBook := strings.NewReplacer(r.Dir+string(filepath.Separator), "")
	for _, rec := range j.records {
		rec.Elapsed = elapsed
		j.fill(rec, res, rep, err)
		mine := j.studentPaths(r, rec)
		fix := func(s string) string { return mine.Replace(inBook.Replace(s)) }
		rec.Problem = fix(rec.Problem)
		for i := range rec.Tasks {
			rec.Tasks[i].Message = fix(rec.Tasks[i].Message)
			rec.Tasks[i].Output = fix(rec.Tasks[i].Output)
		}
		rec.BuildErrors = slices.Clone(rec.BuildErrors) // the job's, shared by its records
		for i, d := range rec.BuildErrors {
			rec.BuildErrors[i].File, rec.BuildErrors[i].Message = fix(d.File), fix(d.Message)
		}
	}
}

// studentPaths names each of the job's student files, in the book after
// the run ("labs/03-hello-server/server.go"), as the instructor finds it:
// the student's folder, then the file's place in the submission
// ("carol/server.go", "alice/labs/03-hello-server/server.go"). Compiler
// errors and stack traces then point at the submission, not at the temp
// file the student's code was copied to, nor at the book's skeleton.
func (j *job) studentPaths(r repo.Root, rec *Record) *strings.Replacer {
	names := slices.Sorted(maps.Keys(j.files))
	// The longest first: a path that another begins with must not win.
	slices.SortStableFunc(names, func(a, b string) int { return len(b) - len(a) })
	var pairs []string
	for _, name := range names {
		book := filepath.ToSlash(relTo(r.Dir, filepath.Join(j.lab.lab.Dir, filepath.FromSlash(name))))
		pairs = append(pairs, book, path.Join(rec.Student, rec.From, name))
	}
	return strings.NewReplacer(pairs...)
}

// hiddenCompiles checks, once for the lab, that its hidden tests compile
// with the book's skeleton, as netbook verify proves them. When they do
// not, every submission would "not compile" for a mistake that is not the
// student's: the lab is not graded, and the error names the hidden file.
// dir is a temp dir of its own, removed on return.
func (b *bookLab) hiddenCompiles(ctx context.Context, r repo.Root, o Options, dir string) error {
	if b.hidden == nil {
		return nil
	}
	b.hiddenOnce.Do(func() {
		defer os.RemoveAll(dir)
		gotmp := filepath.Join(dir, "go")
		if err := os.MkdirAll(gotmp, 0o755); err != nil {
			return // the students' runs say what is wrong
		}
		ov, err := gotest.WriteOverlay(dir, b.overlay)
		if err != nil {
			return
		}
		rep, err := runTests(ctx, testRun{
			Root:    r.Dir,
			Package: "./" + filepath.ToSlash(relTo(r.Dir, b.lab.Dir)),
			Overlay: ov,
			Run:     "^$", // build the tests, run none
			Timeout: o.Timeout,
			Limit:   o.Limit,
			Race:    o.Race || b.race, // as the students' runs, which then find it built
			Env:     b.hidden.Env(),
			Keep:    o.Keep,
			TempDir: gotmp,
			Read:    b.readable(r),
		})
		if err != nil || len(rep.Packages) == 0 || rep.Packages[0].Status != gotest.BuildFailed {
			return
		}
		tidyPaths(rep, r, b.overlay)
		p := rep.Packages[0]
		// The hidden files by where the instructor keeps them, not by
		// their place in the lab, where nobody finds them.
		var pairs []string
		for in, file := range b.hidden.Files {
			pairs = append(pairs, filepath.ToSlash(relTo(r.Dir, in)), file)
		}
		where := strings.NewReplacer(pairs...)
		// The go command's "# package" header is no reason: the line
		// after it is ("found packages hello and nothello").
		var lines []string
		for line := range strings.Lines(p.BuildOutput + rep.Stderr) {
			if !strings.HasPrefix(line, "# ") {
				lines = append(lines, line)
			}
		}
		why := strings.TrimSpace(strings.Join(lines, ""))
		if len(p.BuildErrors) > 0 {
			why = p.BuildErrors[0].String()
			if n := len(p.BuildErrors) - 1; n > 0 {
				why += fmt.Sprintf(" (and %d more)", n)
			}
		}
		b.hiddenErr = fmt.Errorf("the hidden tests do not compile with the book's skeleton, so no submission can be graded (netbook verify %s --hidden DIR proves them): %s",
			b.lab.Name[:2], where.Replace(firstLine(why)))
	})
	return b.hiddenErr
}

// readable is what a lab's test binary may read as it runs: the labs
// module (its testdata) and the hidden tests' folder, not the rest of the
// instructor's tree (solutions/, other classes' work).
func (b *bookLab) readable(r repo.Root) []string {
	read := []string{filepath.Join(r.Dir, "labs")}
	if b.hidden != nil {
		read = append(read, b.hidden.Dir)
	}
	return read
}

// test runs the lab's tests with the job's files over the book's.
func (j *job) test(ctx context.Context, r repo.Root, o Options, dir string) (*check.Result, *gotest.Report, error) {
	b := j.lab
	l := b.lab
	overlay := maps.Clone(b.overlay)
	labDir := filepath.Join(dir, "labs", l.Name)
	if err := os.MkdirAll(labDir, 0o755); err != nil {
		return nil, nil, err
	}
	for name, data := range j.files {
		copy := filepath.Join(labDir, name)
		if err := os.WriteFile(copy, data, 0o644); err != nil {
			return nil, nil, err
		}
		overlay[filepath.Join(l.Dir, name)] = copy
	}
	if b.pkg != "" {
		name, src := closingTest(b.pkg)
		file := filepath.Join(labDir, closingFile)
		if err := os.WriteFile(file, src, 0o644); err != nil {
			return nil, nil, err
		}
		overlay[filepath.Join(l.Dir, closingFile)] = file
		j.closing = name
	}
	ov, err := gotest.WriteOverlay(dir, overlay)
	if err != nil {
		return nil, nil, err
	}
	gotmp := filepath.Join(dir, "go")
	if err := os.Mkdir(gotmp, 0o755); err != nil {
		return nil, nil, err
	}
	seq := newSequence()
	rep, err := runTests(ctx, testRun{
		Root:    r.Dir,
		Package: "./" + filepath.ToSlash(relTo(r.Dir, l.Dir)),
		Overlay: ov,
		Timeout: o.Timeout,
		Limit:   o.Limit,
		Race:    o.Race || b.race,
		Env:     b.hidden.Env(),
		Keep:    o.Keep,
		TempDir: gotmp,
		Read:    b.readable(r),
		Seq:     seq,
	})
	j.forged = seq.forged
	if rep != nil {
		tidyPaths(rep, r, overlay)
	}
	if err != nil && !errors.Is(err, errLimit) {
		return nil, rep, err
	}
	res := check.Fold(l, rep)
	if errors.Is(err, errLimit) {
		return res, rep, err
	}
	return res, rep, nil
}

// fill grades one record from the job's run.
func (j *job) fill(rec *Record, res *check.Result, rep *gotest.Report, err error) {
	b := j.lab
	if res == nil {
		rec.Status, rec.Problem = Error, "netbook could not run the tests: "+errText(err)
		rec.Tasks = tasksFor(b, nil)
		return
	}
	rec.Tasks = tasksFor(b, res)
	var p *gotest.Package
	if rep != nil && len(rep.Packages) > 0 {
		p = rep.Packages[0]
	}
	for i := range rec.Tasks {
		t := &rec.Tasks[i]
		rec.Points += t.Points
		switch {
		case t.Status == gotest.Pass:
		case res.Status == check.BuildFailed:
			t.Message = "the code does not compile"
		default:
			f := check.FailureOf(b.lab, b.lab.Tasks[i], p)
			t.Message = limitLines(f.Message, MessageLines)
			t.Output = limitOutput(f.Output)
		}
	}
	rec.BuildErrors = res.BuildErrors
	switch {
	case res.Status == check.BuildFailed:
		rec.Status, rec.Points = BuildFail, 0
		if len(res.BuildErrors) == 0 {
			rec.Problem = limitLines(res.Problem, MessageLines)
		}
		return
	case errors.Is(err, errLimit):
		rec.Status = Timeout
		rec.Problem = "the run did not end within its time limit, building included; the tasks that finished count"
	case p != nil && p.TimedOut:
		rec.Status = Timeout
		rec.Problem = "the tests did not finish within the time limit; the tasks that finished count"
	case p != nil && strings.Contains(p.Output, "ran too long ("):
		// The testing package's own limit never fired: go test killed
		// the binary a minute past it. With no test started, the code
		// held the binary before the tests (an init function).
		rec.Status = Timeout
		rec.Problem = "the tests did not finish within the time limit, and go test stopped the test binary; the tasks that finished count"
		if len(p.Tests) == 0 {
			rec.Problem = "no task started within the time limit, and go test stopped the test binary: does the code wait or loop in an init function, or in a package variable's initial value? No task scores"
			for i := range rec.Tasks {
				rec.Tasks[i].Message = "never ran: the test binary was stopped at the time limit before any task started"
			}
		}
	case p == nil:
		rec.Status, rec.Problem = Error, limitLines(res.Problem, MessageLines)
	case rec.Points == rec.MaxPoints:
		rec.Status = Pass
	case rec.Points == 0:
		rec.Status = Fail
	default:
		rec.Status = Partial
	}
	if rec.Status != Pass && rec.Problem == "" && crashed(res) {
		rec.Problem = "the test binary stopped before every task had run (a panic?): the tasks that never ran score 0"
	}
	switch {
	case len(j.forged) > 0:
		// The events are not a run of the testing package's: what they
		// say passed may not have.
		rec.Status, rec.Points = Error, 0
		for i := range rec.Tasks {
			rec.Tasks[i].Points = 0
		}
		rec.Problem = "not graded: the test run's lines are not what the testing package prints (" + strings.Join(j.forged, "; ") +
			"), so which tasks passed cannot be told. Code that prints test results itself does that: read the code, then score it by hand"
	case p != nil && beforeClosing(p, j.closing):
		rec.Suspect = append(rec.Suspect, "tasks read as passed, yet the test binary failed outside every task, before netbook's own last test started "+
			"(a crash, a hang or a kill while no task was running: code that prints test results itself does that, and now and then an honest crash)")
	case p != nil && rec.Status != Timeout && rec.Points > 0 && endedEarly(p, j.closing):
		// Not a grade: the points come from a run that did not happen
		// as the testing package runs one.
		rec.Status, rec.Points = Error, 0
		for i := range rec.Tasks {
			rec.Tasks[i].Points = 0
		}
		rec.Problem = "not graded: the test binary ended by itself, with no test failing, before netbook's own last test could run, " +
			"so these results are not a whole run of the tests. Code that ends the process (os.Exit) or prints test results itself does that: " +
			"read the code, then score it by hand"
	}
}

// closingFile is the test file grade adds to each run, named to sort after
// the lab's and the hidden tests' files, so that its test runs last.
const closingFile = "zzzzzzzz_netbook_grade_test.go"

// closingTest returns a test with a name drawn at random for one run, and
// its file in package pkg. It does nothing and passes: a run of the
// testing package that no test failed runs it, since go test runs every
// test of the package. Code that prints a passing run itself and ends the
// process first cannot know its name (it is not in the book) and leaves
// it out.
func closingTest(pkg string) (name string, src []byte) {
	var b [8]byte
	rand.Read(b[:])
	name = "Test" + string(rune('A'+b[0]%26)) + hex.EncodeToString(b[1:])
	return name, fmt.Appendf(nil, "package %s\n\nimport \"testing\"\n\n// %s is netbook grade's: every test before it ran.\nfunc %s(t *testing.T) {}\n", pkg, name, name)
}

// endedEarly reports whether the run ended, with no test failing or cut
// short, before the closing test passed: the testing package runs every
// test, so the binary ended by itself, or another process printed the
// tests' results.
func endedEarly(p *gotest.Package, closing string) bool {
	if closing == "" || p.Status == gotest.BuildFailed {
		return false
	}
	if t := p.Find(closing); t != nil && t.Status == gotest.Pass {
		return false
	}
	return !slices.ContainsFunc(p.Tests, func(t *gotest.Test) bool {
		return t.Status != gotest.Pass && t.Status != gotest.Skip
	})
}

// outsideTasks reports whether a failed run ended in a way a real run
// seldom does: not on the testing package's verdict (a task failed), and
// not in the test that started last either, which a crash or a hang
// leaves failed or unfinished, but after it passed. A faked run that does
// not end with os.Exit does that: it prints the passing lines of tasks,
// its last line closing the last one, then crashes or hangs while no test
// runs.
//
// So does an honest crash, now and then: a goroutine a task left, woken
// by the task's cleanup (a connection closed) and crashing on it, crashes
// while the task ends, or after (in the closing test, named the moment
// the task ends, or in the instant before that, when no test runs). A
// server goroutine crashing on its closed connection at a task's cleanup
// did so, in 800 runs of go test -json: in the task 178 times, in the
// closing test or after it 565 times, between the two 57 times (7%),
// where a fake's crash lands. So fill notes only the runs that stopped
// before the closing test started (beforeClosing), as a fake's always
// do; the event order cannot tell a fake's from the honest 7%, and the
// points stand with the note.
func outsideTasks(p *gotest.Package) bool {
	if p.Status != gotest.Fail || p.Ended || len(p.Tests) == 0 {
		return false
	}
	return p.Tests[len(p.Tests)-1].Status == gotest.Pass
}

// beforeClosing reports whether a run failed outside every task
// (outsideTasks) before the closing test started: a fake's crash after
// its lines, or an honest one in the instant between the last task and
// the closing test. A crash after the closing test started is an honest
// one, for the code cannot know its name.
func beforeClosing(p *gotest.Package, closing string) bool {
	return outsideTasks(p) && (closing == "" || p.Find(closing) == nil)
}

// crashed reports whether a task never ran or was cut short: the test
// binary died.
func crashed(res *check.Result) bool {
	return slices.ContainsFunc(res.Tasks, func(t check.TaskResult) bool {
		return t.Status == gotest.NotRun || t.Status == gotest.Interrupted
	})
}

func errText(err error) string {
	if err == nil {
		return "no result"
	}
	return err.Error()
}

// tidyPaths names every file in the report by its place in the book
// ("labs/03-hello-server/server.go"), not by the temp file that held it.
func tidyPaths(rep *gotest.Report, r repo.Root, overlay map[string]string) {
	// The go command names a file by its path relative to the book's root
	// when that is the shorter ("../netbook-grade-1/job-2/labs/..."), and
	// mangles one that starts with the root's text (gotest.Shortened), so
	// each temp file is looked for in every form.
	from := map[string]string{}
	for f, to := range overlay {
		if to == "" {
			continue
		}
		from[to] = f
		if rel, err := filepath.Rel(r.Dir, to); err == nil && rel != to {
			from[rel] = f
		}
		if s := gotest.Shortened(r.Dir, to); s != "" {
			from[s] = f
		}
	}
	tos := slices.Collect(maps.Keys(from))
	// The longest first: a path that another begins with must not win.
	slices.SortFunc(tos, func(a, b string) int { return cmpOr(len(b)-len(a), strings.Compare(a, b)) })
	var pairs []string
	for _, to := range tos {
		pairs = append(pairs, to, from[to])
	}
	toBook := strings.NewReplacer(pairs...)
	fix := func(s string) string { return toBook.Replace(s) }
	var walk func(ts []*gotest.Test)
	walk = func(ts []*gotest.Test) {
		for _, t := range ts {
			t.Output = fix(t.Output)
			walk(t.Subtests)
		}
	}
	for _, p := range rep.Packages {
		p.Output, p.BuildOutput = fix(p.Output), fix(p.BuildOutput)
		walk(p.Tests)
		for i, d := range p.BuildErrors {
			f := fix(d.File)
			if rel, err := filepath.Rel(r.Dir, f); err == nil && !strings.HasPrefix(rel, "..") {
				f = filepath.ToSlash(rel)
			}
			p.BuildErrors[i].File, p.BuildErrors[i].Message = f, fix(d.Message)
		}
	}
	rep.Stderr = fix(rep.Stderr)
}

func relTo(base, path string) string {
	rel, err := filepath.Rel(base, path)
	if err != nil {
		return path
	}
	return rel
}

// limitOutput is what a task's code printed as a record keeps it: its
// first OutputLines lines, each cut to OutputLineBytes and rid of a
// terminal's escape sequences and control characters (check.Printable),
// and how many lines it left out, and how much the run did not keep
// (Options.Keep) when it kept only part of a long output.
func limitOutput(s string) string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return ""
	}
	lines, cut := check.OutputLines(s)
	more := len(lines) - OutputLines
	lines = lines[:min(len(lines), OutputLines)]
	for i, l := range lines {
		l = check.Printable(l)
		if len(l) > OutputLineBytes {
			cut := OutputLineBytes
			for cut > 0 && !utf8.RuneStart(l[cut]) {
				cut--
			}
			l = l[:cut] + " …"
		}
		lines[i] = l
	}
	out := strings.Join(lines, "\n")
	switch {
	case cut > 0:
		out += fmt.Sprintf("\n... (%d more %s, and %s more not kept)", max(more, 0), style.Plural(max(more, 0), "line", "lines"), check.Size(lang.English, cut))
	case more > 0:
		out += fmt.Sprintf("\n... (%d more %s)", more, style.Plural(more, "line", "lines"))
	}
	return out
}

// limitLines keeps the first n lines of s, and says how many it left out.
func limitLines(s string, n int) string {
	s = strings.TrimRight(s, "\n")
	lines := strings.Split(s, "\n")
	if len(lines) <= n {
		return s
	}
	more := len(lines) - n
	return strings.Join(lines[:n], "\n") + fmt.Sprintf("\n... (%d more %s)", more, style.Plural(more, "line", "lines"))
}
