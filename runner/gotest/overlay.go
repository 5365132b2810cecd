package gotest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// WriteOverlay writes a -overlay file into dir that makes the go command
// see each key path (absolute) with the content of its value path. A value
// of "" hides the file. The work tree itself is never touched: this is how
// netbook builds a lab with its reference solution, or with a generated
// main package, without copying anything over a student's file.
func WriteOverlay(dir string, replace map[string]string) (string, error) {
	for from, to := range replace {
		if !filepath.IsAbs(from) || (to != "" && !filepath.IsAbs(to)) {
			// go silently ignores a relative path that does not resolve.
			return "", fmt.Errorf("overlay paths must be absolute: %q -> %q", from, to)
		}
	}
	data, err := json.MarshalIndent(struct{ Replace map[string]string }{replace}, "", "  ")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return "", fmt.Errorf("unable to write overlay: %w", err)
	}
	return path, nil
}

// WriteWorkspace writes a go.work into dir that uses the one module in
// modDir (absolute), at the go version of its go.mod, and returns its
// path. Run with GOWORK set to it, the go command reads neither the work
// tree's go.work nor another module's go.mod: a replace or a use there
// cannot change which code a run of modDir's tests compiles.
func WriteWorkspace(dir, modDir string) (string, error) {
	if !filepath.IsAbs(modDir) {
		return "", fmt.Errorf("a workspace's module must be an absolute path: %q", modDir)
	}
	mod, err := os.ReadFile(filepath.Join(modDir, "go.mod"))
	if err != nil {
		return "", fmt.Errorf("unable to read the module's go.mod: %w", err)
	}
	var work strings.Builder
	for _, line := range strings.Split(string(mod), "\n") {
		if f := strings.Fields(line); len(f) == 2 && f[0] == "go" {
			fmt.Fprintf(&work, "go %s\n\n", f[1])
			break
		}
	}
	fmt.Fprintf(&work, "use %q\n", filepath.ToSlash(modDir))
	path := filepath.Join(dir, "go.work")
	if err := os.WriteFile(path, []byte(work.String()), 0o644); err != nil {
		return "", fmt.Errorf("unable to write go.work: %w", err)
	}
	return path, nil
}

// Shortened is how the go command, run in dir, writes path in its
// output when path begins with dir's text but is not inside it: the go
// command swaps that text for ".", so a book in /tmp/netbook names
// /tmp/netbook-grade-7/job-0/server.go ".-grade-7/job-0/server.go". It is
// "" for any other path, which the go command writes as it is or relative
// to dir (filepath.Rel), as it does every path.
func Shortened(dir, path string) string {
	dir = filepath.Clean(dir)
	if os.IsPathSeparator(dir[len(dir)-1]) || !strings.HasPrefix(path, dir) || len(path) == len(dir) || os.IsPathSeparator(path[len(dir)]) {
		return ""
	}
	return "." + path[len(dir):]
}
