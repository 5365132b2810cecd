package gotest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
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
