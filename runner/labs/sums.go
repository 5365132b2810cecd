package labs

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/netbook/netbook/runner/repo"
)

// SumsFile records each lab's skeleton fingerprint, so that netbook can tell
// a lab nobody has touched from one in progress without compiling anything.
// netbook verify checks it; netbook verify --update-sums rewrites it.
const SumsFile = "skeletons.sum"

// Sums maps a lab's name to its skeleton fingerprint.
type Sums map[string]string

// ReadSums reads labs/skeletons.sum. A missing file is an empty Sums.
func ReadSums(r repo.Root) (Sums, error) {
	data, err := os.ReadFile(filepath.Join(r.Labs(), SumsFile))
	if os.IsNotExist(err) {
		return Sums{}, nil
	}
	if err != nil {
		return nil, err
	}
	sums := Sums{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, sum, ok := strings.Cut(line, " ")
		if !ok {
			return nil, fmt.Errorf("labs/%s:%d: want \"NN-slug fingerprint\", got %q", SumsFile, n, line)
		}
		sums[name] = strings.TrimSpace(sum)
	}
	return sums, sc.Err()
}

// WriteSums rewrites labs/skeletons.sum from the labs' current skeletons.
func WriteSums(r repo.Root, labs []*Lab) error {
	var b strings.Builder
	b.WriteString("# Skeleton fingerprints: netbook shows a lab whose files still match as \"not started\".\n")
	b.WriteString("# After changing a skeleton, run: go run ./cmd/netbook verify --update-sums\n")
	for _, l := range labs {
		sum, err := l.SkeletonHash()
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s %s\n", l.Name, sum)
	}
	return os.WriteFile(filepath.Join(r.Labs(), SumsFile), []byte(b.String()), 0o644)
}

// Pristine reports whether the student's files still match the skeleton
// recorded in sums.
func (l *Lab) Pristine(sums Sums) bool {
	want, ok := sums[l.Name]
	if !ok {
		return false
	}
	got, err := l.SkeletonHash()
	return err == nil && got == want
}
