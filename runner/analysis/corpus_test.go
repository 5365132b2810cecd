package analysis_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netbook/netbook/internal/testkit"
	"github.com/netbook/netbook/runner/analysis"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/repo"
)

// The corpus, testdata/corpus/LAB/CASE/, is wrong code of the kind
// students write: each case holds a lab's student file(s) with one
// mistake (the reference solution fills in the others), a WHY, and a
// "// finding: ANALYZER" comment on every line where an analyzer must
// speak. Run must report exactly those, with the lab's real given files
// around them.
func TestCorpus(t *testing.T) {
	r := testkit.Shipped(t)
	cases, err := filepath.Glob(filepath.Join("testdata", "corpus", "*", "*"))
	require.NoError(t, err)
	require.NotEmpty(t, cases)
	var mu sync.Mutex
	perAnalyzer := map[string]int{}
	t.Run("cases", func(t *testing.T) {
		for _, dir := range cases {
			corpusCase(t, r, dir, func(analyzer string) {
				mu.Lock()
				defer mu.Unlock()
				perAnalyzer[analyzer]++
			})
		}
	})
	t.Logf("corpus findings per analyzer: %v", perAnalyzer)
}

func corpusCase(t *testing.T, r repo.Root, dir string, count func(analyzer string)) {
	lab := testkit.Lab(t, r, filepath.Base(filepath.Dir(dir)))
	{
		t.Run(lab.Name+"/"+filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			overlay, want := caseOverlay(t, lab, dir)
			findings, err := analysis.Run(context.Background(), lab.Dir, lab.StudentFiles(), overlay)
			require.NoError(t, err)
			var got []string
			for _, f := range findings {
				got = append(got, fmt.Sprintf("%s:%d: %s", f.File, f.Line, f.Analyzer))
				t.Logf("%s (%s)\n\tfix: %s", f, f.Analyzer, f.Fix)
				// Every finding can be said in Chinese, and its English is
				// the message go vet prints.
				assert.Equal(t, f.Message, f.MessageIn(lang.English))
				assert.Equal(t, f.Fix, f.FixIn(lang.English))
				assert.Regexp(t, `\p{Han}`, f.MessageIn(lang.Chinese), "%s: no Chinese for this finding", f)
				assert.Regexp(t, `\p{Han}`, f.FixIn(lang.Chinese), "%s: no Chinese for this fix", f)
				assert.NotEmpty(t, f.Fix, "%s has no fix", f)
				count(f.Analyzer)
			}
			sort.Strings(got)
			assert.Equal(t, want, got, "findings on %s (what they said: %v)", dir, findings)
		})
	}
}

var findingComment = regexp.MustCompile(`// finding: (\w+)`)

// caseOverlay maps the lab's student files to the reference solution, then
// to the case's files, and returns the findings its comments expect.
func caseOverlay(t *testing.T, lab *labs.Lab, dir string) (map[string]string, []string) {
	t.Helper()
	overlay, err := lab.SolutionFiles()
	require.NoError(t, err)
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "%s has no .go file", dir)
	_, err = os.Stat(filepath.Join(dir, "WHY"))
	require.NoError(t, err, "every case says why it is wrong")
	var want []string
	for _, f := range files {
		abs, err := filepath.Abs(f)
		require.NoError(t, err)
		overlay[filepath.Join(lab.Dir, filepath.Base(f))] = abs
		fh, err := os.Open(f)
		require.NoError(t, err)
		sc := bufio.NewScanner(fh)
		for line := 1; sc.Scan(); line++ {
			for _, m := range findingComment.FindAllStringSubmatch(sc.Text(), -1) {
				want = append(want, fmt.Sprintf("%s:%d: %s", filepath.Base(f), line, m[1]))
			}
		}
		fh.Close()
	}
	sort.Strings(want)
	return overlay, want
}

// The lead runs the analyzers over the labs' wrong solutions with this:
// go test ./runner/analysis -run WrongSolutions -v. It logs what each
// analyzer says about each one and fails only if one cannot be analysed.
func TestWrongSolutions(t *testing.T) {
	r := testkit.Shipped(t)
	dirs, _ := filepath.Glob(filepath.Join(r.Dir, "solutions", "*", "wrong", "*"))
	if len(dirs) == 0 {
		t.Skip("no wrong solutions in this tree")
	}
	flagged := map[string]int{}
	quiet := 0
	for _, dir := range dirs {
		labName := filepath.Base(filepath.Dir(filepath.Dir(dir)))
		lab, err := labs.Load(r, labName)
		require.NoError(t, err)
		overlay, err := lab.SolutionFiles()
		require.NoError(t, err)
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			overlay[filepath.Join(lab.Dir, filepath.Base(f))] = f
		}
		findings, err := analysis.Run(context.Background(), lab.Dir, lab.StudentFiles(), overlay)
		if !assert.NoError(t, err, dir) {
			continue
		}
		why, _ := os.ReadFile(filepath.Join(dir, "WHY"))
		first, _, _ := strings.Cut(string(why), "\n")
		names := map[string]bool{}
		for _, f := range findings {
			names[f.Analyzer] = true
			t.Logf("%s/wrong/%s: %s: %s", labName, filepath.Base(dir), f, f.Analyzer)
		}
		for n := range names {
			flagged[n]++
		}
		if len(findings) == 0 {
			quiet++
			t.Logf("%s/wrong/%s: nothing (%s)", labName, filepath.Base(dir), first)
		}
	}
	t.Logf("%d wrong solutions; flagged per analyzer: %v; with no finding: %d", len(dirs), flagged, quiet)
}
