package labs

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/netbook/netbook/runner/repo"
)

// HintsFile is the lab's hints, per task, beside its brief.
const HintsFile = "hints.yaml"

// MaxLevels is how many levels a task's hints may have: a nudge (which
// idea), an approach (which API and why), then nearly the code.
const MaxLevels = 3

// Hints are a lab's hints, per task, from its hints.yaml:
//
//	# comments are free
//	1:
//	  - A nudge: which idea.
//	  - An approach: which API, and why.
//	  - |
//	    nearly the code
//	2:
//	  - ...
//
// They are not in the brief's front matter, which a web page renders at the
// top of the brief: the answers would be the first thing a student sees.
type Hints struct {
	File  string           // the hints file, relative to the work tree, for messages
	Tasks map[int][]string // task number -> its levels, in order
	Lines map[int]int      // task number -> the line of its key in File
	Err   error            // the file exists but does not parse; Tasks is empty
}

// For returns the levels of task's hints, in order; none when the lab has
// no hints for it.
func (h *Hints) For(task int) []string {
	if h == nil {
		return nil
	}
	return h.Tasks[task]
}

// loadHints reads the lab's hints file.
func loadHints(r repo.Root, l *Lab) *Hints {
	path := filepath.Join(l.Dir, HintsFile)
	h := &Hints{File: r.Rel(path)}
	src, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return h
	}
	if err != nil {
		h.Err = err
		return h
	}
	h.Tasks, h.Lines, h.Err = ParseHints(h.File, src)
	return h
}

// ParseHints parses a hints file named name. Its problems name the file
// and line; Check finds the rest.
func ParseHints(name string, src []byte) (tasks map[int][]string, lines map[int]int, err error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(src))
	if err := dec.Decode(&doc); err != nil {
		return nil, nil, fmt.Errorf("%s: %v", name, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	tasks, lines = map[int][]string{}, map[int]int{}
	if len(doc.Content) == 0 {
		return tasks, lines, nil
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		return nil, nil, fmt.Errorf("%s:%d: the hints are a map from task numbers to lists of levels", name, m.Line)
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		n, err := strconv.Atoi(k.Value)
		if err != nil || n < 1 {
			return nil, nil, fmt.Errorf("%s:%d: %q is not a task number", name, k.Line, k.Value)
		}
		if _, dup := tasks[n]; dup {
			return nil, nil, fmt.Errorf("%s:%d: task %d has hints twice", name, k.Line, n)
		}
		var levels []string
		if err := v.Decode(&levels); err != nil {
			return nil, nil, fmt.Errorf("%s:%d: task %d's hints are a list of strings, one per level", name, v.Line, n)
		}
		tasks[n], lines[n] = levels, k.Line
	}
	return tasks, lines, nil
}

// Check returns what is wrong with the hints of lab l, each problem with
// the file and line: a key that is no task of the lab, a task with no
// levels, more than MaxLevels or an empty one, a task without hints.
func (h *Hints) Check(l *Lab) []string {
	if h == nil {
		return []string{"the lab has no hints"}
	}
	if h.Err != nil {
		return []string{h.Err.Error()}
	}
	if h.Tasks == nil {
		return []string{fmt.Sprintf("%s is missing: write one to three levels of hints for each task", h.File)}
	}
	var problems []string
	var keys []int
	for n := range h.Tasks {
		keys = append(keys, n)
	}
	slices.Sort(keys)
	for _, n := range keys {
		where := fmt.Sprintf("%s:%d", h.File, h.Lines[n])
		if !slices.ContainsFunc(l.Tasks, func(t Task) bool { return t.Number == n }) {
			problems = append(problems, fmt.Sprintf("%s: lab %s has no task %d", where, l.Name, n))
		}
		levels := h.Tasks[n]
		if len(levels) == 0 || len(levels) > MaxLevels {
			problems = append(problems, fmt.Sprintf("%s: task %d has %d levels; give it 1 to %d (a nudge, an approach, nearly the code)", where, n, len(levels), MaxLevels))
		}
		for i, lv := range levels {
			if strings.TrimSpace(lv) == "" {
				problems = append(problems, fmt.Sprintf("%s: task %d's level %d is empty", where, n, i+1))
			}
		}
	}
	for _, t := range l.Tasks {
		if _, ok := h.Tasks[t.Number]; !ok {
			problems = append(problems, fmt.Sprintf("%s: task %d has no hints; give every task at least a nudge", h.File, t.Number))
		}
	}
	return problems
}
