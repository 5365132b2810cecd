package labs

import (
	"bytes"
	"os"
	"path"
	"path/filepath"

	"go.yaml.in/yaml/v3"

	"github.com/netbook/netbook/runner/frontmatter"
	"github.com/netbook/netbook/runner/lang"
)

// The files that translate a lab into language LANG, beside its brief:
//
//	README.LANG.md     the brief: its front matter's title and its body
//	hints.LANG.yaml    the hints, in hints.yaml's format
//	tasks.LANG.yaml    the tasks' titles, by task number (1: 每个客户端...)
//
// Task titles stay tied to the tests: a title is the first line of a
// TestTaskN's doc comment, and its translation is keyed by N.
const (
	briefFile = "README.md"
	tasksBase = "tasks"
)

// translated is the file name of name's translation into l:
// "README.zh.md" for "README.md".
func translated(name string, l lang.Lang) string {
	ext := path.Ext(name)
	return name[:len(name)-len(ext)] + "." + l.String() + ext
}

// In returns the lab as read in language lg: its title and brief from
// README.LANG.md, its hints from hints.LANG.yaml (task by task: a task the
// file leaves out keeps its English levels) and its tasks' titles from
// tasks.LANG.yaml. Whatever has no translation, or a translation that does
// not parse, stays English: a missing translation never fails. For English
// it returns l itself; l is never changed.
func (l *Lab) In(lg lang.Lang) *Lab {
	if lg.IsEnglish() {
		return l
	}
	c := *l
	c.Lang, c.BriefLang = lg, lang.English
	if src, err := os.ReadFile(filepath.Join(l.Dir, translated(briefFile, lg))); err == nil {
		var m Meta
		if body, _, err := frontmatter.Decode(translated(briefFile, lg), src, &m); err == nil {
			c.Brief, c.BriefLang = body, lg
			if m.Title != "" {
				c.Title = m.Title
			}
		}
	}
	c.Hints = l.Hints.in(l, lg)
	c.titles = taskTitles(filepath.Join(l.Dir, translated(tasksBase+".yaml", lg)))
	c.Tasks = retitle(l.Tasks, c.titles)
	return &c
}

// in returns the hints merged with their translation into lg, read from
// the lab's hints.LANG.yaml.
func (h *Hints) in(l *Lab, lg lang.Lang) *Hints {
	name := translated(HintsFile, lg)
	src, err := os.ReadFile(filepath.Join(l.Dir, name))
	if err != nil || h == nil {
		return h
	}
	file := name
	if h.File != "" {
		file = path.Join(path.Dir(filepath.ToSlash(h.File)), name)
	}
	tasks, lines, err := ParseHints(file, src)
	if err != nil {
		return h
	}
	out := &Hints{File: file, Tasks: map[int][]string{}, Lines: map[int]int{}, Err: h.Err}
	for n, levels := range h.Tasks {
		out.Tasks[n] = levels
	}
	for n, levels := range tasks {
		if len(levels) > 0 {
			out.Tasks[n], out.Lines[n] = levels, lines[n]
		}
	}
	if h.Tasks == nil && len(tasks) == 0 {
		out.Tasks = nil
	}
	return out
}

// taskTitles reads a tasks.LANG.yaml: task number to title. A file that is
// missing or does not parse gives none.
func taskTitles(file string) map[int]string {
	src, err := os.ReadFile(file)
	if err != nil {
		return nil
	}
	var titles map[int]string
	if err := yaml.NewDecoder(bytes.NewReader(src)).Decode(&titles); err != nil {
		return nil
	}
	return titles
}

// retitle returns a copy of tasks with the titles that titles translates.
func retitle(tasks []Task, titles map[int]string) []Task {
	if len(titles) == 0 {
		return tasks
	}
	out := make([]Task, len(tasks))
	for i, t := range tasks {
		if s, ok := titles[t.Number]; ok && s != "" {
			t.Title = s
		}
		out[i] = t
	}
	return out
}
