package interpbin

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/netbook/netbook/internal/hostiletest"
	"github.com/netbook/netbook/internal/testkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHostileREPL types escapes into netbook repl (its input piped, as
// "echo ... | netbook repl" does), through the sandbox as netbook repl
// starts it: each must fail with a message and reach nothing. The full
// list runs through netbook run in runner/snippets; this checks that the
// REPL's interpreter sits behind the same fence.
func TestHostileREPL(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	t.Cleanup(cancel)
	bin, err := Ensure(ctx, root, os.Stderr)
	require.NoError(t, err)

	target := hostiletest.NewTarget(t)
	dir := t.TempDir()
	secret := hostiletest.WriteSecret(t, dir)
	victim := hostiletest.NewVictim(t)
	words := strings.NewReplacer("TARGET", target.Addr, "SECRET", secret, "VICTIM", strconv.Itoa(victim.Pid))

	cases := []struct {
		name, layer, input, refusal string
		fence                       bool
	}{
		{"tls.Dial", "network", "import \"crypto/tls\"\n_, err := tls.Dial(\"tcp\", \"TARGET\", &tls.Config{InsecureSkipVerify: true})\nfmt.Println(\"ERR\", err)\n",
			`loopback only|network is unreachable|not available`, true},
		{"template.ParseFiles", "files", "import \"text/template\"\n_, err := template.ParseFiles(\"SECRET\")\nfmt.Println(\"ERR\", err)\n",
			`permission denied|outside the snippet's directory|not available`, true},
		{"os.Process.Kill", "signals", "import \"os\"\np := &os.Process{Pid: VICTIM}\nfmt.Println(\"ERR\", p.Kill())\n",
			`operation not permitted|not available`, true},
		{"20 GiB", "limits", "b := make([]byte, 20<<30)\nfmt.Println(\"ERR\", len(b))\n",
			`out of memory`, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			hostiletest.SkipUncovered(t, c.layer, c.fence)
			in := filepath.Join(t.TempDir(), "input")
			require.NoError(t, os.WriteFile(in, []byte(words.Replace(c.input)), 0o644))
			f, err := os.Open(in)
			require.NoError(t, err)
			defer f.Close()
			var out testkit.Buffer
			code, err := REPL(bin, f, &out, &out, REPLOptions{})
			t.Logf("exit %d, error %v, output:\n%s", code, err, out.String())
			assert.NotContains(t, out.String(), "ERR <nil>")
			assert.NotContains(t, out.String(), hostiletest.Secret)
			assert.NotContains(t, out.String(), "ERR 21474836480")
			assert.Regexp(t, c.refusal, out.String())
			assert.Zero(t, target.Accepted(), "a connection reached %s", target.Addr)
			assert.True(t, victim.Alive(), "the victim process was killed")
		})
	}
}
