// Package watch is netbook watch, rustlings-style: it notices when a lab's
// files are saved, re-runs the lab's tests (through runner/check), and
// redraws a compact screen with each task's status, the first failure, the
// hint command and a progress bar across the book.
package watch

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Options tune a Watcher.
type Options struct {
	// Debounce is how long the files must stay quiet after a change before
	// it is reported: an editor's save is often several writes, a few
	// milliseconds apart. Default 30 ms.
	Debounce time.Duration
	// Poll is how often the files are compared with their last sizes and
	// modification times, which catches saves that file-system events miss
	// (network drives, some containers and VMs). Default 1 s, or 300 ms when
	// events are off.
	Poll time.Duration
	// PollOnly turns file-system events off.
	PollOnly bool
}

// Watcher reports changes to the files of some directories.
type Watcher struct {
	// C receives a value after each burst of changes.
	C <-chan struct{}
	// Mode says how changes are noticed: "events" or "polling".
	Mode string

	c      chan struct{}
	raw    chan struct{}
	dirs   []string
	mu     sync.Mutex
	last   string // the files' fingerprint at the last report
	cancel context.CancelFunc
	done   sync.WaitGroup
}

// Watch starts watching the files of dirs (not their subdirectories) until
// ctx ends or Close is called. It falls back to polling alone when
// file-system events are unavailable.
func Watch(ctx context.Context, dirs []string, o Options) (*Watcher, error) {
	if o.Debounce <= 0 {
		o.Debounce = 30 * time.Millisecond
	}
	ctx, cancel := context.WithCancel(ctx)
	w := &Watcher{c: make(chan struct{}, 1), raw: make(chan struct{}, 1), dirs: dirs, cancel: cancel, Mode: "events"}
	w.C = w.c
	var fw *fsnotify.Watcher
	if !o.PollOnly {
		var err error
		if fw, err = fsnotify.NewWatcher(); err == nil {
			for _, d := range dirs {
				if err = fw.Add(d); err != nil {
					break
				}
			}
			if err != nil {
				fw.Close()
				fw = nil
			}
		}
	}
	if fw == nil {
		w.Mode = "polling"
		if o.Poll <= 0 {
			o.Poll = 300 * time.Millisecond
		}
	} else if o.Poll <= 0 {
		o.Poll = time.Second
	}
	fp, err := w.fingerprint()
	if err != nil {
		cancel()
		if fw != nil {
			fw.Close()
		}
		return nil, err
	}
	w.last = fp
	if fw != nil {
		w.done.Add(1)
		go w.events(ctx, fw)
	}
	w.done.Add(2)
	go w.poll(ctx, o.Poll)
	go w.debounce(ctx, o.Debounce)
	return w, nil
}

// Close stops watching and waits for the watcher's goroutines.
func (w *Watcher) Close() {
	w.cancel()
	w.done.Wait()
}

func (w *Watcher) nudge() {
	select {
	case w.raw <- struct{}{}:
	default:
	}
}

func (w *Watcher) events(ctx context.Context, fw *fsnotify.Watcher) {
	defer w.done.Done()
	defer fw.Close()
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-fw.Events:
			if !ok {
				return
			}
			if relevant(ev.Name) && ev.Op&(fsnotify.Write|fsnotify.Create|fsnotify.Remove|fsnotify.Rename) != 0 {
				w.nudge()
			}
		case _, ok := <-fw.Errors:
			if !ok {
				return
			}
			w.nudge() // an overflow: look at the files again
		}
	}
}

func (w *Watcher) poll(ctx context.Context, every time.Duration) {
	defer w.done.Done()
	t := time.NewTicker(every)
	defer t.Stop()
	w.mu.Lock()
	seen := w.last
	w.mu.Unlock()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			// Nudge once per change seen, not on every tick until the
			// debounce reports it: that would keep resetting its timer.
			if fp, err := w.fingerprint(); err == nil && fp != seen {
				seen = fp
				w.nudge()
			}
		}
	}
}

// debounce reports a change once the files have been quiet for d, and
// only if they differ from the last report (a save that rewrote the same
// bytes with the same size and time is not a change).
func (w *Watcher) debounce(ctx context.Context, d time.Duration) {
	defer w.done.Done()
	timer := time.NewTimer(d)
	timer.Stop()
	for {
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-w.raw:
			timer.Reset(d)
		case <-timer.C:
			fp, err := w.fingerprint()
			if err != nil {
				continue
			}
			w.mu.Lock()
			changed := fp != w.last
			w.last = fp
			w.mu.Unlock()
			if changed {
				select {
				case w.c <- struct{}{}:
				default:
				}
			}
		}
	}
}

// fingerprint lists the relevant files with their sizes and times.
func (w *Watcher) fingerprint() (string, error) {
	var b strings.Builder
	for _, d := range w.dirs {
		entries, err := os.ReadDir(d)
		if err != nil {
			return "", fmt.Errorf("unable to watch %s: %w", d, err)
		}
		for _, e := range entries {
			if e.IsDir() || !relevant(e.Name()) {
				continue
			}
			fi, err := e.Info()
			if err != nil {
				continue
			}
			fmt.Fprintf(&b, "%s %d %d\n", filepath.Join(d, e.Name()), fi.Size(), fi.ModTime().UnixNano())
		}
	}
	return b.String(), nil
}

// relevant reports whether a file's change should re-run the tests: Go
// files and data, not editors' swap and backup files.
func relevant(name string) bool {
	base := filepath.Base(name)
	if strings.HasPrefix(base, ".") || strings.HasSuffix(base, "~") || strings.HasPrefix(base, "#") ||
		strings.HasSuffix(base, ".swp") || strings.HasSuffix(base, ".tmp") {
		return false
	}
	return true
}
