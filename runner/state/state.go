// Package state keeps the student's progress file, .netbook/state.json in
// the work tree (git ignores it). Everything in it can be recomputed except
// hint positions (how many levels of each task's hints the student has
// seen) and when each lab was done: lab results are a cache keyed by the
// lab's content, and the chapters opened only steer the dashboard's
// suggestion.
package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// State is the progress file's content.
type State struct {
	// HintLevels is, per lab and task, how many levels of the task's
	// hints have been shown.
	HintLevels map[string]map[int]int `json:"hintLevels,omitempty"`
	Read       map[string]bool        `json:"read,omitempty"`    // chapter slug -> opened with netbook read
	Results    map[string]Result      `json:"results,omitempty"` // lab -> last test result
	Done       map[string]Done        `json:"done,omitempty"`    // lab -> when it passed, and with which files
	path       string
}

// Result is a lab's last test result and the content it was measured on.
type Result struct {
	Hash   string    `json:"hash"`   // labs.Lab.Hash when the tests ran
	Passed []int     `json:"passed"` // task numbers that passed
	Total  int       `json:"total"`
	Done   bool      `json:"done"`
	At     time.Time `json:"at"`
}

// Load reads the state file. A missing file is an empty state; a damaged
// one is an error that says how to start over.
func Load(path string) (*State, error) {
	s := &State{path: path}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return s.init(), nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, s); err != nil {
		return nil, fmt.Errorf("%s is damaged (%v): move it away or delete it to start over; netbook works out again from your code which labs pass, but the hints you have seen and the day each lab was done (in this copy or, imported, in another) are lost", path, err)
	}
	return s.init(), nil
}

// Shown is how many levels of the hints for a lab's task the student has
// seen.
func (s *State) Shown(lab string, task int) int {
	return s.HintLevels[lab][task]
}

// SetShown records that n levels of the hints for a lab's task were shown.
func (s *State) SetShown(lab string, task, n int) {
	if s.HintLevels[lab] == nil {
		s.HintLevels[lab] = map[int]int{}
	}
	s.HintLevels[lab][task] = n
}

func (s *State) init() *State {
	if s.HintLevels == nil {
		s.HintLevels = map[string]map[int]int{}
	}
	if s.Read == nil {
		s.Read = map[string]bool{}
	}
	if s.Results == nil {
		s.Results = map[string]Result{}
	}
	if s.Done == nil {
		s.Done = map[string]Done{}
	}
	return s
}

// Save writes the state file atomically: a crash leaves the old file or the
// new one, never half of one.
func (s *State) Save() error {
	if err := os.MkdirAll(filepath.Dir(s.path), 0o755); err != nil {
		return fmt.Errorf("unable to save progress: %w", err)
	}
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.path), ".state-*.json")
	if err != nil {
		return fmt.Errorf("unable to save progress: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("unable to save progress: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("unable to save progress: %w", err)
	}
	if err := os.Rename(tmp.Name(), s.path); err != nil {
		return fmt.Errorf("unable to save progress: %w", err)
	}
	return nil
}
