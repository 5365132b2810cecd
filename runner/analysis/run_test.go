package analysis_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netbook/netbook/internal/fakego"
	"github.com/netbook/netbook/internal/testkit"
	"github.com/netbook/netbook/runner/analysis"
)

// Code that does not compile has nothing to say yet: Run says so with
// ErrDoesNotCompile, which netbook check passes over (go test shows the
// compile errors).
func TestRunOnCodeThatDoesNotCompile(t *testing.T) {
	r := testkit.Shipped(t)
	lab := testkit.Lab(t, r, "03-hello-server")
	for name, src := range map[string]string{
		"syntax": "package hello\n\nfunc Serve(ln net.Listener) error {\n",
		"types":  "package hello\n\nimport \"net\"\n\nfunc Serve(ln net.Listener) error { return ln }\n",
		"import": "package hello\n\nimport \"example.com/nowhere\"\n\nvar _ = nowhere.X\n",
	} {
		t.Run(name, func(t *testing.T) {
			broken := filepath.Join(t.TempDir(), "server.go")
			require.NoError(t, os.WriteFile(broken, []byte(src), 0o644))
			findings, err := analysis.Run(context.Background(), lab.Dir, lab.StudentFiles(),
				map[string]string{filepath.Join(lab.Dir, "server.go"): broken})
			assert.ErrorIs(t, err, analysis.ErrDoesNotCompile)
			assert.Empty(t, findings)
		})
	}
}

// A file the overlay adds (it does not exist in the lab) is analysed with
// the others, and findings in it are named by its place in the lab.
func TestRunSeesAddedFiles(t *testing.T) {
	r := testkit.Shipped(t)
	lab := testkit.Lab(t, r, "03-hello-server")
	extra := filepath.Join(t.TempDir(), "extra.go")
	require.NoError(t, os.WriteFile(extra, []byte(`package hello

import "net"

var last net.Conn

func remember(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer conn.Close()
			last = conn
		}()
	}
}
`), 0o644))
	overlay, err := lab.SolutionFiles()
	require.NoError(t, err)
	added := filepath.Join(lab.Dir, "extra.go")
	overlay[added] = extra
	findings, err := analysis.Run(context.Background(), lab.Dir, []string{"server.go", "extra.go"}, overlay)
	require.NoError(t, err)
	require.Len(t, findings, 1, "one finding: the write to last; got %v", findings)
	f := findings[0]
	assert.Equal(t, "sharedwrite", f.Analyzer)
	assert.Equal(t, "extra.go", f.File)
	assert.Equal(t, added, f.Path)
	assert.Equal(t, 15, f.Line)
	assert.NotEmpty(t, f.Message)
	assert.NotEmpty(t, f.Fix)
	assert.NotContains(t, f.Message, f.Fix, "the message and the fix come apart")

	// Only the files asked for are reported.
	findings, err = analysis.Run(context.Background(), lab.Dir, []string{"server.go"}, overlay)
	require.NoError(t, err)
	assert.Empty(t, findings)
}

// Ctrl-C while the analyzers ask go list for export data (which compiles
// what the build cache lacks) stops go list with every compiler it
// started, and Run returns the context's error; what go list leaves
// behind goes too.
func TestRunStoppedLeavesNoProcess(t *testing.T) {
	r := testkit.Shipped(t)
	lab := testkit.Lab(t, r, "03-hello-server")
	analysis.ForgetExports()
	t.Cleanup(analysis.ForgetExports)
	work, err := fakego.Install(t).Interrupt(func(ctx context.Context) error {
		_, err := analysis.Run(ctx, lab.Dir, lab.StudentFiles(), nil)
		return err
	})
	require.ErrorIs(t, err, context.Canceled)
	// go list, stopped, leaves its work directory: it must be in a temp
	// dir of netbook's, gone now.
	require.NotEmpty(t, work, "go list runs with GOTMPDIR set")
	_, err = os.Stat(work)
	assert.True(t, os.IsNotExist(err), "the go command's temp dir %s is removed (%v)", work, err)
}
