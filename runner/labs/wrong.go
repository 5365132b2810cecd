package labs

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// WrongFile is the file in a wrong solution's folder that says what is
// wrong with it and which task must catch it:
//
//	Takes the bytes of one Read as the whole message, as if TCP kept message boundaries.
//	task: 3
//	race: true
//
// The first line is the misunderstanding, in a student's words; then
// "task: N" names the task whose test must fail on it, and "race: true"
// (optional) says that only the race detector sees the mistake, so the
// task runs under -race.
const WrongFile = "WHY"

// Wrong is a plausible wrong solution the book ships with a lab: the
// reference with one mistake a student makes, in
// solutions/NN-slug/wrong/NAME/, holding only the files that differ from
// the reference. netbook verify proves that the task it names fails on it.
type Wrong struct {
	Name  string            // the folder's name
	Dir   string            // absolute
	Why   string            // the misunderstanding, one line
	Task  int               // the task that must catch it
	Race  bool              // the mistake is a data race: run under -race
	Files map[string]string // each lab path (absolute) to the wrong file that replaces it
}

// Wrongs reads the lab's wrong solutions, in name order. A folder that is
// not a wrong solution as described above is an error naming its file and
// line; the wrong solutions that do read are returned with it.
func (l *Lab) Wrongs() ([]Wrong, error) {
	root := filepath.Join(l.SolutionDir, "wrong")
	entries, err := os.ReadDir(root)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Wrong
	var errs []error
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		w, err := l.readWrong(filepath.Join(root, e.Name()))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, w)
	}
	return out, errors.Join(errs...)
}

func (l *Lab) readWrong(dir string) (Wrong, error) {
	w := Wrong{Name: filepath.Base(dir), Dir: dir, Files: map[string]string{}}
	rel := filepath.ToSlash(filepath.Join("solutions", l.Name, "wrong", w.Name))
	data, err := os.ReadFile(filepath.Join(dir, WrongFile))
	if err != nil {
		return w, fmt.Errorf("%s: a wrong solution needs a %s file: the misunderstanding on its first line, then task: N", rel, WrongFile)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		where := fmt.Sprintf("%s/%s:%d", rel, WrongFile, n)
		switch {
		case line == "":
			continue
		case w.Why == "":
			w.Why = line
			continue
		}
		key, value, ok := strings.Cut(line, ":")
		value = strings.TrimSpace(value)
		switch {
		case !ok:
			return w, fmt.Errorf("%s: want \"task: N\" or \"race: true\" after the first line, got %q", where, line)
		case key == "task":
			if w.Task, err = strconv.Atoi(value); err != nil || w.Task < 1 {
				return w, fmt.Errorf("%s: task must be a task's number, got %q", where, value)
			}
		case key == "race":
			if w.Race, err = strconv.ParseBool(value); err != nil {
				return w, fmt.Errorf("%s: race is true or false, got %q", where, value)
			}
		default:
			return w, fmt.Errorf("%s: unknown key %q (want task or race)", where, key)
		}
	}
	if w.Why == "" || w.Task == 0 {
		return w, fmt.Errorf("%s/%s: say what is wrong on the first line and which task catches it (task: N)", rel, WrongFile)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return w, err
	}
	if len(files) == 0 {
		return w, fmt.Errorf("%s: no .go files: a wrong solution holds the files that differ from the reference", rel)
	}
	for _, f := range files {
		name := filepath.Base(f)
		if !slices.Contains(l.Files, name) {
			return w, fmt.Errorf("%s: %s is not a file the student edits (files: %s)", rel, name, strings.Join(l.Files, ", "))
		}
		w.Files[filepath.Join(l.Dir, name)] = f
	}
	return w, nil
}

// RaceTasks returns the tasks that one of the lab's wrong solutions marked
// race: true names: tasks whose mistakes only the race detector sees, so
// that grading them runs the tests under -race. Wrong solutions that do
// not read are left out (verify reports them).
func (l *Lab) RaceTasks() map[int]bool {
	wrongs, _ := l.Wrongs()
	out := map[int]bool{}
	for _, w := range wrongs {
		if w.Race {
			out[w.Task] = true
		}
	}
	return out
}
