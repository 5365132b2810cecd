package state

import (
	"maps"
	"time"
)

// Done records that a lab passed: every task, on the book's tests. Unlike
// a Result, which is a cache of the last check and changes with the code,
// a Done record stays when the code changes again: it is when the student
// did the lab, which the dashboard shows, and what a progress export
// carries to another copy of the book.
type Done struct {
	// At is when every task first passed.
	At time.Time `json:"at"`
	// Files are the fingerprints of the student's files that passed the
	// last time: each file's name in the lab and its git blob id (the id
	// `git hash-object` gives), so that a copy of the book can tell
	// whether the files it holds are the ones that passed.
	Files map[string]string `json:"files"`
	// Reset is set when the student started the lab over (netbook reset)
	// after it passed, and cleared when it passes again. While it is set
	// the record is only a date: the lab's status comes from its files.
	Reset bool `json:"reset,omitempty"`
}

// Stands reports whether the record still says the lab is done when the
// lab's files here are the skeleton: true unless the lab was started over.
func (d Done) Stands() bool { return !d.Reset }

// Passed records that lab passed at time at with the given files (name in
// the lab -> git blob id). The first time is kept; the files are the
// latest that passed; a reset is over.
func (s *State) Passed(lab string, at time.Time, files map[string]string) {
	d, ok := s.Done[lab]
	if !ok || at.Before(d.At) || d.At.IsZero() {
		d.At = at
	}
	d.Files = maps.Clone(files)
	d.Reset = false
	s.Done[lab] = d
}

// Restarted records that the student started lab over: a done record no
// longer makes the lab done while its files are the skeleton.
func (s *State) Restarted(lab string) {
	if d, ok := s.Done[lab]; ok {
		d.Reset = true
		s.Done[lab] = d
	}
}
