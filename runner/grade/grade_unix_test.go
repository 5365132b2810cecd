//go:build unix

package grade

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// watch passes a go command's output on and closes seen once it holds
// want.
type watch struct {
	r    io.Reader
	want []byte
	seen chan struct{}
	once *sync.Once
	buf  bytes.Buffer
}

func (w *watch) Read(p []byte) (int, error) {
	n, err := w.r.Read(p)
	w.buf.Write(p[:n])
	if bytes.Contains(w.buf.Bytes(), w.want) {
		w.once.Do(func() { close(w.seen) })
	}
	return n, err
}

// Ctrl-C while a student's test hangs: the go command, the test binary
// and everything in their process group are killed, and every temp dir is
// removed before Run returns.
func TestCancelCleansUp(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test")
	}
	fx := newFixture(t)
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	seen := make(chan struct{})
	var once sync.Once
	var pid int
	started = func(p int, out io.Reader) io.Reader {
		pid = p
		return &watch{r: out, want: []byte(`"Action":"run","Package":"example.com/labs/01-sums","Test":"TestTask2Sum"`), seen: seen, once: &once}
	}
	t.Cleanup(func() { started = nil })

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-seen: // the hanging task is running
		case <-time.After(3 * time.Minute):
		}
		cancel()
	}()
	_, err := Run(ctx, fx.book, []Submission{{Student: "hangs", Dir: filepath.Join(fx.class, "hangs")}}, Options{Timeout: 10 * time.Minute})
	require.ErrorIs(t, err, context.Canceled)
	select {
	case <-seen:
	default:
		t.Fatal("the hanging task never started")
	}
	left, err := os.ReadDir(tmp)
	require.NoError(t, err)
	assert.Empty(t, left, "grade's and go's temp dirs are removed")
	// A killed process is gone once init has reaped it, which happens on
	// init's time: give it up to 30 s.
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if err = syscall.Kill(-pid, 0); errors.Is(err, syscall.ESRCH) {
			break
		}
	}
	if err == nil {
		out, _ := exec.Command("ps", "-o", "pid,pgid,stat,args", "-g", strconv.Itoa(pid)).CombinedOutput()
		t.Logf("left: %s", out)
	}
	assert.True(t, errors.Is(err, syscall.ESRCH), "nothing of the go command's process group is left")
}
