// Package lazybin builds netbook's helper binaries on first use and keeps
// them in a cache directory for the next time: the interpreter
// (cmd/netbook-interp, for snippets and the REPL) and the web book
// (cmd/netbook-web, for netbook serve).
//
// They are binaries of their own so that what only they need never enters
// the netbook command's build: yaegi's symbol tables take about a minute to
// compile from a cold cache, and the web book brings net/http, chroma's
// lexers and styles (about 70 more packages to compile, and 40 ms of
// package initialisation at every start). A fresh clone's
// "go run ./cmd/netbook" must start in seconds, and every netbook command
// must start at once.
//
// A cached binary is named by a fingerprint of everything it is built from
// (the Go version, go.mod, go.sum and the work tree's files compiled or
// embedded into it), so an edit to any of them builds it again and an
// unchanged tree reuses it.
package lazybin

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/proc"
	"github.com/netbook/netbook/runner/sandbox"
)

// A Binary is a main package of the root module that netbook builds on
// first use.
type Binary struct {
	Name    string // the cached file's name before its fingerprint: "netbook-interp"
	Package string // the main package, relative to the root module: "./cmd/netbook-interp"
	About   string // what it is, in English: errors say it
	// Says is what it is in the reader's language, for the notes while
	// it builds (EnsureIn); About when nil.
	Says *lang.Message
	// Sources are the work tree's directories compiled into the binary,
	// whose .go files (tests left out) the fingerprint reads: quick, for a
	// binary started often, and checked against go list by a test. When
	// nil, the fingerprint asks go list for every file of the work tree
	// that the binary compiles or embeds (half a second).
	Sources []string
}

// CacheDir is where built binaries are kept: $NETBOOK_CACHE, else netbook/
// under the user's cache directory, else under the temp dir (a CI job may
// have no home).
func CacheDir() (string, error) {
	if d := os.Getenv("NETBOOK_CACHE"); d != "" {
		return filepath.Abs(d)
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return filepath.Join(os.TempDir(), "netbook-cache"), nil
	}
	return filepath.Join(d, "netbook"), nil
}

// Fingerprint hashes what b in the root module dir is built from.
func (b *Binary) Fingerprint(ctx context.Context, root string) (string, error) {
	files, err := b.files(ctx, root)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	files = append(files, "go.mod", "go.sum")
	sort.Strings(files)
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			return "", fmt.Errorf("unable to fingerprint the sources of %s: %w", b.Name, err)
		}
		fmt.Fprintf(h, "%s %d\n", filepath.ToSlash(f), len(data))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// files lists the work tree's files b is built from, relative to root.
func (b *Binary) files(ctx context.Context, root string) ([]string, error) {
	var files []string
	if b.Sources != nil {
		for _, dir := range b.Sources {
			matches, err := filepath.Glob(filepath.Join(root, dir, "*.go"))
			if err != nil {
				return nil, err
			}
			for _, m := range matches {
				if !strings.HasSuffix(m, "_test.go") {
					rel, _ := filepath.Rel(root, m)
					files = append(files, rel)
				}
			}
		}
		return files, nil
	}
	// Every package of the work tree (either module) that b depends on,
	// with the files it compiles and embeds; modules from elsewhere are
	// pinned by go.sum.
	cmd := exec.CommandContext(ctx, "go", "list", "-deps", "-f",
		`{{if not .Standard}}{{.Dir}}{{range .GoFiles}}{{"\t"}}{{.}}{{end}}{{range .EmbedFiles}}{{"\t"}}{{.}}{{end}}{{end}}`, b.Package)
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("unable to list the sources of %s (go list %s): %v", b.Name, b.Package, err)
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Split(line, "\t")
		dir, err := filepath.Rel(abs, fields[0])
		if err != nil || strings.HasPrefix(dir, "..") {
			continue // a module from the module cache
		}
		for _, f := range fields[1:] {
			files = append(files, filepath.Join(dir, f))
		}
	}
	return files, nil
}

// Ensure returns the path of b built from the root module in root,
// building it first if the cache has none for this source. While it
// builds it tells the student on note, in English, since a cold build
// takes a minute. Two netbook processes that need it at once build it
// once.
func (b *Binary) Ensure(ctx context.Context, root string, note io.Writer) (string, error) {
	return b.EnsureIn(ctx, root, note, lang.English)
}

// EnsureIn is Ensure with the notes in language l: that of a command that
// speaks the reader's language (serve, run); errors stay English.
func (b *Binary) EnsureIn(ctx context.Context, root string, note io.Writer, l lang.Lang) (string, error) {
	fp, err := b.Fingerprint(ctx, root)
	if err != nil {
		return "", err
	}
	dir, err := CacheDir()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, b.Name+"-"+fp+exeSuffix())
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("unable to create the cache directory of netbook's binaries: %w", err)
	}
	unlock, err := lock(ctx, filepath.Join(dir, "build.lock"))
	if err != nil {
		return "", err
	}
	defer unlock()
	if _, err := os.Stat(bin); err == nil {
		return bin, nil // another netbook built it while we waited
	}
	about := b.About
	if b.Says != nil {
		about = l.Sprintf(b.Says)
	}
	l.Fprintf(note, lang.BuildingOnce, about)
	start := time.Now()
	tmp := bin + ".tmp"
	// The go command runs in a process group of its own, stopped whole
	// when ctx is done: no compiler outlives a Ctrl-C. Stopped, it leaves
	// its work directory behind: it keeps it in a temp dir of netbook's.
	work, remove, err := sandbox.TempDir("netbook-build-")
	if err != nil {
		return "", err
	}
	defer remove()
	out, _, err := proc.Output(ctx, "go", []string{"build", "-o", tmp, b.Package}, proc.Options{
		Dir:      root,
		Combined: true,
		Grace:    5 * time.Second,
		Setup:    func(cmd *exec.Cmd) { sandbox.GoWorkIn(cmd, work) },
	})
	if err != nil {
		os.Remove(tmp)
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", fmt.Errorf("unable to build %s (go build %s): %v\n%s", b.About, b.Package, err, out)
	}
	if err := os.Rename(tmp, bin); err != nil {
		return "", err
	}
	l.Fprintf(note, lang.BuildReady, b.Name, time.Since(start).Round(time.Second))
	b.prune(dir, bin)
	return bin, nil
}

// prune removes copies of b built from other sources more than a day ago:
// another clone may still use a recent one.
func (b *Binary) prune(dir, keep string) {
	old, _ := filepath.Glob(filepath.Join(dir, b.Name+"-*"))
	for _, f := range old {
		if f == keep {
			continue
		}
		if fi, err := os.Stat(f); err == nil && time.Since(fi.ModTime()) > 24*time.Hour {
			os.Remove(f)
		}
	}
}

func exeSuffix() string {
	if runtime.GOOS == "windows" {
		return ".exe"
	}
	return ""
}
