// Package reset starts a lab over: it puts the student's files of a lab
// back as the book shipped them, after saving the student's copies in a
// backup, and brings a backup back.
//
// Only the lab's student files (the brief's files:, role skeleton in
// labs/book.sum) are ever written: never a test, a testdata file, another
// lab, or a file of the student's own in the lab folder. The shipped bytes
// come from the clone's git objects, as for the trust checks (package
// shipped); without git there is nothing to reset to, and Prepare says so.
//
// # Backups
//
// A backup is a folder .netbook/backups/LAB/STAMP/ in the work tree (git
// ignores .netbook/), STAMP being the local time it was made
// (20260302-101500), holding a copy of each file it saved under its name in
// the lab and backup.json, its manifest:
//
//	{
//	  "lab": "05-snack-shop",
//	  "at": "2026-03-02T10:15:00+01:00",
//	  "why": "reset",
//	  "files": [
//	    {"name": "shop.go", "id": "9c1f...40 hex digits"},
//	    {"name": "customer.go", "missing": true}
//	  ]
//	}
//
// id is the file's git blob id, checked when the backup is read back; a
// file that was missing when the backup was made is missing again after a
// restore. Backups are never deleted by netbook.
package reset

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/repo"
	"github.com/netbook/netbook/runner/shipped"
)

// ErrNothing is returned by Prepare when the lab's files (or the files
// named) are already as the book shipped them.
var ErrNothing = errors.New("nothing to reset")

// ErrNoBackup is returned by Latest when the lab has no backup.
var ErrNoBackup = errors.New("no backup")

// Options tune Prepare.
type Options struct {
	// Files names the student files to reset (names in the lab, such as
	// "shop.go"); all of the lab's student files when empty.
	Files []string
	// Read reads the shipped bytes of files; shipped.Read from the work
	// tree's git when nil.
	Read func(ctx context.Context, files []labs.Shipped) ([][]byte, error)
}

// Plan is a reset ready to apply: which files go back to the book's
// skeleton.
type Plan struct {
	Lab *labs.Lab
	// Files are the student files that differ from the book's skeleton,
	// in the brief's order: the ones Apply saves and replaces.
	Files []File
	// Own lists the lab folder's files that the book does not ship (the
	// student's own, relative to the lab): a reset leaves them alone.
	Own []string

	root repo.Root
}

// File is one student file a reset replaces.
type File struct {
	Name    string // in the lab: "shop.go"
	Missing bool   // the student's copy is missing
	Shipped []byte // the book's skeleton
}

// Names returns the names of the files the plan replaces.
func (p *Plan) Names() []string {
	var out []string
	for _, f := range p.Files {
		out = append(out, f.Name)
	}
	return out
}

// Prepare works out what a reset of lab l does: which of its student files
// differ from the skeleton the book shipped, and their shipped bytes. It
// writes nothing. It fails with ErrNothing when every file (named) is the
// skeleton already, with an error wrapping shipped.ErrUnrecoverable when
// the shipped bytes cannot be read back (no git), and with a plain error
// when a file named is not one of the lab's student files.
func Prepare(ctx context.Context, r repo.Root, l *labs.Lab, sums *labs.Sums, o Options) (*Plan, error) {
	if !sums.Has(l) {
		return nil, fmt.Errorf("labs/%s does not list lab %s's files: the book does not know how it shipped them", labs.SumsFile, l.Name)
	}
	for _, name := range o.Files {
		if dir := filepath.Dir(name); dir != "." {
			// A path: it must lead to this lab's folder, not another's
			// file of the same name.
			abs, err := filepath.Abs(dir)
			if err != nil || abs != l.Dir {
				return nil, fmt.Errorf("%s is not in lab %s's folder (%s)", name, l.Name, r.Rel(l.Dir))
			}
		}
		if !slices.Contains(l.Files, filepath.Base(name)) {
			return nil, fmt.Errorf("%s is not one of the files you edit in lab %s (%s); a reset never touches the book's tests or other files",
				name, l.Name, strings.Join(l.Files, ", "))
		}
	}
	want := func(name string) bool {
		if len(o.Files) == 0 {
			return true
		}
		for _, n := range o.Files {
			if filepath.Base(n) == name {
				return true
			}
		}
		return false
	}
	var differ []labs.Shipped
	for _, name := range l.Files {
		f, ok := sums.Files[l.Name+"/"+name]
		if !ok || f.Role != labs.Skeleton {
			return nil, fmt.Errorf("labs/%s does not list %s/%s as a student file", labs.SumsFile, l.Name, name)
		}
		if want(name) && !sums.Matches(f) {
			differ = append(differ, f)
		}
	}
	if len(differ) == 0 {
		return nil, ErrNothing
	}
	read := o.Read
	if read == nil {
		read = func(ctx context.Context, files []labs.Shipped) ([][]byte, error) { return shipped.Read(ctx, r, files) }
	}
	data, err := read(ctx, differ)
	if err != nil {
		return nil, err
	}
	p := &Plan{Lab: l, root: r}
	for i, f := range differ {
		name := strings.TrimPrefix(f.Path, l.Name+"/")
		_, err := os.Stat(filepath.Join(l.Dir, name))
		p.Files = append(p.Files, File{Name: name, Missing: errors.Is(err, os.ErrNotExist), Shipped: data[i]})
	}
	own, err := sums.Unknown(l)
	if err != nil {
		return nil, err
	}
	for _, rel := range own {
		p.Own = append(p.Own, strings.TrimPrefix(rel, l.Name+"/"))
	}
	return p, nil
}

// Apply saves the student's copies of the plan's files in a new backup,
// then writes the book's skeleton over them. at is the backup's time.
// Nothing is replaced unless the backup was written and read back whole.
func (p *Plan) Apply(at time.Time) (*Backup, error) {
	b, err := save(p.root, p.Lab, p.Names(), at, "reset")
	if err != nil {
		return nil, err
	}
	for _, f := range p.Files {
		if err := writeFile(filepath.Join(p.Lab.Dir, f.Name), f.Shipped); err != nil {
			return b, fmt.Errorf("unable to put back %s (your copy is saved in %s): %w", f.Name, b.Dir, err)
		}
	}
	return b, nil
}

// Backup is one saved set of a lab's student files.
type Backup struct {
	Lab   string    `json:"lab"`
	At    time.Time `json:"at"`
	Why   string    `json:"why"` // "reset", or "restore" for the files a restore replaced
	Files []Saved   `json:"files"`
	// Dir is the backup's folder (absolute).
	Dir string `json:"-"`
}

// Saved is one file of a backup.
type Saved struct {
	Name    string `json:"name"`
	ID      string `json:"id,omitempty"`      // git blob id of the saved bytes
	Missing bool   `json:"missing,omitempty"` // the file did not exist
}

// Names returns the names of the backup's files.
func (b *Backup) Names() []string {
	var out []string
	for _, f := range b.Files {
		out = append(out, f.Name)
	}
	return out
}

// Manifest is the name of a backup's manifest file.
const Manifest = "backup.json"

// Dir is the folder of lab's backups in work tree r.
func Dir(r repo.Root, lab string) string {
	return filepath.Join(r.Dir, ".netbook", "backups", lab)
}

// save copies the named student files of l into a new backup folder,
// checks the copies, and writes the manifest last.
func save(r repo.Root, l *labs.Lab, names []string, at time.Time, why string) (*Backup, error) {
	parent := Dir(r, l.Name)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("unable to make a backup: %w", err)
	}
	stamp := at.Format("20060102-150405")
	dir := filepath.Join(parent, stamp)
	for i := 2; ; i++ {
		err := os.Mkdir(dir, 0o755)
		if err == nil {
			break
		}
		if !errors.Is(err, os.ErrExist) || i > 100 {
			return nil, fmt.Errorf("unable to make a backup: %w", err)
		}
		dir = filepath.Join(parent, fmt.Sprintf("%s-%d", stamp, i))
	}
	b := &Backup{Lab: l.Name, At: at, Why: why, Dir: dir}
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(l.Dir, name))
		if errors.Is(err, os.ErrNotExist) {
			b.Files = append(b.Files, Saved{Name: name, Missing: true})
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("unable to back up %s: %w", name, err)
		}
		if err := writeFile(filepath.Join(dir, name), data); err != nil {
			return nil, fmt.Errorf("unable to back up %s: %w", name, err)
		}
		b.Files = append(b.Files, Saved{Name: name, ID: labs.BlobID(data)})
	}
	if _, err := b.read(); err != nil {
		return nil, fmt.Errorf("the backup in %s does not read back: %w", dir, err)
	}
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := writeFile(filepath.Join(dir, Manifest), append(data, '\n')); err != nil {
		return nil, fmt.Errorf("unable to make a backup: %w", err)
	}
	return b, nil
}

// read returns the bytes of the backup's files, in order (nil for a
// missing one), checked against their ids.
func (b *Backup) read() ([][]byte, error) {
	out := make([][]byte, len(b.Files))
	for i, f := range b.Files {
		if f.Missing {
			continue
		}
		if f.Name != filepath.Base(f.Name) || f.Name == "." || f.Name == ".." {
			return nil, fmt.Errorf("%s names a file outside the lab: %q", Manifest, f.Name)
		}
		data, err := os.ReadFile(filepath.Join(b.Dir, f.Name))
		if err != nil {
			return nil, err
		}
		if labs.BlobID(data) != f.ID {
			return nil, fmt.Errorf("%s was changed since it was saved", filepath.Join(b.Dir, f.Name))
		}
		out[i] = data
	}
	return out, nil
}

// List returns lab's backups in work tree r, oldest first. A folder
// without a readable manifest (a backup cut short) is left out.
func List(r repo.Root, lab string) ([]*Backup, error) {
	entries, err := os.ReadDir(Dir(r, lab))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []*Backup
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join(Dir(r, lab), e.Name())
		data, err := os.ReadFile(filepath.Join(dir, Manifest))
		if err != nil {
			continue
		}
		b := &Backup{}
		if err := json.Unmarshal(data, b); err != nil || b.Lab != lab {
			continue
		}
		b.Dir = dir
		out = append(out, b)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].At.Equal(out[j].At) {
			return out[i].At.Before(out[j].At)
		}
		return out[i].Dir < out[j].Dir
	})
	return out, nil
}

// Latest returns lab's most recent backup, or ErrNoBackup.
func Latest(r repo.Root, lab string) (*Backup, error) {
	all, err := List(r, lab)
	if err != nil {
		return nil, err
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("%w of lab %s in %s", ErrNoBackup, lab, Dir(r, lab))
	}
	return all[len(all)-1], nil
}

// Restored is what Restore did.
type Restored struct {
	// Files are the names of the files brought back (or removed, for a
	// file that was missing when the backup was made).
	Files []string
	// Saved is the backup of the files the restore replaced, made first
	// when they held work that neither the backup nor the book's skeleton
	// has; nil when there was nothing to lose.
	Saved *Backup
	// Same is set when the files were already as in the backup: nothing
	// was written.
	Same bool
}

// Restore brings backup b of lab l back: each of its files gets the saved
// bytes again (a file that was missing then is removed). When the files
// it replaces hold work of their own, different from the backup and from
// the book's skeleton, they are saved first in a new backup (at), so a
// restore never loses anything either.
func Restore(r repo.Root, l *labs.Lab, sums *labs.Sums, b *Backup, at time.Time) (*Restored, error) {
	if b.Lab != l.Name {
		return nil, fmt.Errorf("the backup in %s is of lab %s, not %s", b.Dir, b.Lab, l.Name)
	}
	data, err := b.read()
	if err != nil {
		return nil, err
	}
	res := &Restored{}
	var keep []string // files whose current copy holds work of its own
	same := true
	for i, f := range b.Files {
		if !slices.Contains(l.Files, f.Name) {
			return nil, fmt.Errorf("the backup in %s holds %s, which is not one of lab %s's student files", b.Dir, f.Name, l.Name)
		}
		res.Files = append(res.Files, f.Name)
		cur, err := os.ReadFile(filepath.Join(l.Dir, f.Name))
		switch {
		case errors.Is(err, os.ErrNotExist):
			if !f.Missing {
				same = false
			}
			continue
		case err != nil:
			return nil, err
		}
		if !f.Missing && bytes.Equal(cur, data[i]) {
			continue
		}
		same = false
		if s, ok := sums.Files[l.Name+"/"+f.Name]; !ok || labs.BlobID(cur) != s.ID {
			keep = append(keep, f.Name)
		}
	}
	if same {
		res.Same = true
		return res, nil
	}
	if len(keep) > 0 {
		if res.Saved, err = save(r, l, keep, at, "restore"); err != nil {
			return nil, err
		}
	}
	for i, f := range b.Files {
		path := filepath.Join(l.Dir, f.Name)
		if f.Missing {
			if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
				return res, err
			}
			continue
		}
		if err := writeFile(path, data[i]); err != nil {
			return res, fmt.Errorf("unable to restore %s: %w", f.Name, err)
		}
	}
	return res, nil
}

// writeFile replaces path with data atomically: a crash leaves the old
// file or the new one. The temp file's name starts with a dot, so the go
// command never builds it.
func writeFile(path string, data []byte) error {
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".netbook-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), mode); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
