// Package interpbin builds the interpreter binary, cmd/netbook-interp, on
// first use and keeps it in a cache directory for the next time.
//
// The interpreter is a binary of its own so that yaegi never enters the
// netbook command's build: its symbol tables take about a minute to compile
// from a cold cache, and a fresh clone's "go run ./cmd/netbook" must start
// in seconds. The cached binary is named by a fingerprint of everything it
// is built from (the Go version, go.mod, go.sum and the source files of
// [Sources]), so an edit to any of them builds it again and an unchanged
// tree reuses it without asking the go command anything.
package interpbin

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
)

// Package is the interpreter's main package, relative to the root module.
const Package = "./cmd/netbook-interp"

// Sources are the work tree's directories compiled into the interpreter
// (labs/loopback is the labs module's, the one loopback policy). A test
// checks this against go list, so that the fingerprint cannot miss a file.
var Sources = []string{"cmd/netbook-interp", "labs/loopback", "runner/interp", "runner/replproto"}

// CacheDir is where built interpreters are kept: $NETBOOK_CACHE, else
// netbook/ under the user's cache directory, else under the temp dir (a CI
// job may have no home).
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

// Fingerprint hashes what the interpreter in the root module dir is built
// from.
func Fingerprint(root string) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	files := []string{"go.mod", "go.sum"}
	for _, dir := range Sources {
		matches, err := filepath.Glob(filepath.Join(root, dir, "*.go"))
		if err != nil {
			return "", err
		}
		for _, m := range matches {
			if !strings.HasSuffix(m, "_test.go") {
				rel, _ := filepath.Rel(root, m)
				files = append(files, rel)
			}
		}
	}
	sort.Strings(files)
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			return "", fmt.Errorf("unable to fingerprint the interpreter's sources: %w", err)
		}
		fmt.Fprintf(h, "%s %d\n", filepath.ToSlash(f), len(data))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// Ensure returns the path of an interpreter built from the root module in
// root, building it first if the cache has none for this source. While it
// builds it tells the student on note, since a cold build takes a minute.
// Two netbook processes that need it at once build it once.
func Ensure(ctx context.Context, root string, note io.Writer) (string, error) {
	fp, err := Fingerprint(root)
	if err != nil {
		return "", err
	}
	dir, err := CacheDir()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "netbook-interp-"+fp+exeSuffix())
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("unable to create the interpreter's cache directory: %w", err)
	}
	unlock, err := lock(ctx, filepath.Join(dir, "build.lock"))
	if err != nil {
		return "", err
	}
	defer unlock()
	if _, err := os.Stat(bin); err == nil {
		return bin, nil // another netbook built it while we waited
	}
	fmt.Fprintf(note, "netbook: building the Go interpreter for snippets and the REPL (once; the first time takes a minute or two)...\n")
	start := time.Now()
	tmp := bin + ".tmp"
	cmd := exec.CommandContext(ctx, "go", "build", "-o", tmp, Package)
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	if err != nil {
		os.Remove(tmp)
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", fmt.Errorf("unable to build the interpreter (go build %s): %v\n%s", Package, err, out)
	}
	if err := os.Rename(tmp, bin); err != nil {
		return "", err
	}
	fmt.Fprintf(note, "netbook: interpreter ready in %s.\n", time.Since(start).Round(time.Second))
	prune(dir, bin)
	return bin, nil
}

// prune removes interpreters built from other sources more than a day ago:
// another clone may still use a recent one.
func prune(dir, keep string) {
	old, _ := filepath.Glob(filepath.Join(dir, "netbook-interp-*"))
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
