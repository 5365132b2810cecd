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
//	needs: linux, ipv6
//
// The first line is the misunderstanding, in a student's words; then
// "task: N" names the task whose test must fail on it, "race: true"
// (optional) says that only the race detector sees the mistake, so the
// task runs under -race, and "needs:" (optional, a comma-separated list of
// Needs) names what a machine must offer for that test to catch it, when
// the test skips without it.
const WrongFile = "WHY"

// Need is something a machine must offer for the test that catches a wrong
// solution to run rather than skip: on a machine without it, verify does
// not try that wrong solution, and says so.
type Need string

const (
	// NeedLinux: the test does what only Linux lets it (fill a listener's
	// accept queue, so that connecting waits).
	NeedLinux Need = "linux"
	// NeedIPv6: the test listens on IPv6's loopback, ::1, which many
	// containers do not have.
	NeedIPv6 Need = "ipv6"
)

// Needs are the values "needs:" takes, in the order errors list them.
var Needs = []Need{NeedLinux, NeedIPv6}

// What names the need in words that follow "needs" in a sentence.
func (n Need) What() string {
	switch n {
	case NeedLinux:
		return "Linux"
	case NeedIPv6:
		return "an IPv6 loopback (::1)"
	}
	return string(n)
}

// Short names the need in a word, for a summary line.
func (n Need) Short() string {
	switch n {
	case NeedLinux:
		return "Linux"
	case NeedIPv6:
		return "IPv6"
	}
	return string(n)
}

// parseNeeds reads the value of "needs:": known needs, separated by
// commas, each once.
func parseNeeds(value string) ([]Need, error) {
	var out []Need
	names := make([]string, len(Needs))
	for i, n := range Needs {
		names[i] = string(n)
	}
	want := strings.Join(names, " or ")
	for item := range strings.SplitSeq(value, ",") {
		n := Need(strings.TrimSpace(item))
		switch {
		case n == "":
			return nil, fmt.Errorf("needs takes %s, comma-separated, got %q", want, value)
		case !slices.Contains(Needs, n):
			return nil, fmt.Errorf("needs: unknown need %q (want %s)", n, want)
		case slices.Contains(out, n):
			return nil, fmt.Errorf("needs: %q is named twice", n)
		}
		out = append(out, n)
	}
	return out, nil
}

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
	Needs []Need            // what the machine must offer for the task's test to catch it
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
			return w, fmt.Errorf("%s: want \"task: N\", \"race: true\" or \"needs: linux\" after the first line, got %q", where, line)
		case key == "task":
			if w.Task, err = strconv.Atoi(value); err != nil || w.Task < 1 {
				return w, fmt.Errorf("%s: task must be a task's number, got %q", where, value)
			}
		case key == "race":
			if w.Race, err = strconv.ParseBool(value); err != nil {
				return w, fmt.Errorf("%s: race is true or false, got %q", where, value)
			}
		case key == "needs":
			if w.Needs, err = parseNeeds(value); err != nil {
				return w, fmt.Errorf("%s: %v", where, err)
			}
		default:
			return w, fmt.Errorf("%s: unknown key %q (want task, race or needs)", where, key)
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
