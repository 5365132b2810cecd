package sandbox

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// needLayers skips a test of an OS layer this machine does not offer,
// saying which and why.
func needLayers(t *testing.T, network, files bool) {
	t.Helper()
	probed()
	if network && probe.netErr != nil {
		t.Skipf("network layer unavailable here: %v", probe.netErr)
	}
	if files && probe.landlock == 0 {
		t.Skipf("file-system layer unavailable here: no Landlock (%v)", probe.llErr)
	}
}

func wrappedOutput(t *testing.T, o Options, name string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = o.Dir
	Wrap(cmd, o)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestOnlyLoopback(t *testing.T) {
	needLayers(t, true, false)
	out, err := wrappedOutput(t, Options{Dir: t.TempDir()}, "/bin/cat", "/proc/net/dev")
	require.NoError(t, err, out)
	var ifaces []string
	for _, line := range strings.Split(out, "\n")[2:] {
		if name, _, ok := strings.Cut(strings.TrimSpace(line), ":"); ok {
			ifaces = append(ifaces, name)
		}
	}
	assert.Equal(t, []string{"lo"}, ifaces)
}

func TestFilesOutsideAreRefused(t *testing.T) {
	needLayers(t, false, true)
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "mine"), []byte("ok\n"), 0o644))
	out, err := wrappedOutput(t, Options{Dir: dir}, "/bin/cat", "mine")
	require.NoError(t, err, out)
	assert.Equal(t, "ok\n", out)
	out, err = wrappedOutput(t, Options{Dir: dir}, "/bin/cat", "/etc/passwd")
	assert.Error(t, err)
	assert.Contains(t, out, "Permission denied")
}
