package snippets

import (
	"context"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/netbook/netbook/internal/hostiletest"
	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/sandbox"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hostile is a snippet that tries to get out: to the network, to files
// outside its temp dir, to another process, or to all the memory, CPU, disk
// and threads of the machine. It prints REACHED when it gets what it
// wanted. Its code may use the words TARGET (a TCP address that is not
// loopback, where the test listens), UNIXSOCK (a Unix socket outside the
// temp dir, where the test listens), SECRET (a file outside the temp dir),
// SECRETDIR (its directory) and VICTIM (the pid of a process the test
// started).
type hostile struct {
	name string
	code string
	// fence says that the language-level fence of runner/interp refuses it
	// by itself, so that it runs even where the OS layer is missing.
	fence bool
	// layer is the OS layer that contains it: network, files, signals or
	// limits.
	layer string
	// server: it prints "listening on ADDR" once its socket is open, and
	// the test checks that the host does not see the socket.
	server bool
	limits sandbox.Limits
	// want, when set, is what the run's error must say.
	want string
}

const hostileHead = "package main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n%s)\n\nfunc fail(err error) {\n\tif err != nil {\n\t\tfmt.Println(\"error:\", err)\n\t\tos.Exit(1)\n\t}\n}\n\nfunc main() {\n%s}\n"

func program(imports []string, body string) string {
	var im strings.Builder
	for _, i := range imports {
		fmt.Fprintf(&im, "\t%q\n", i)
	}
	return fmt.Sprintf(hostileHead, im.String(), body)
}

var hostiles = []hostile{
	{name: "net.Listen on every interface", fence: true, layer: "network", server: true,
		code: program([]string{"net", "time"}, `	ln, err := net.Listen("tcp", ":0")
	fail(err)
	fmt.Println("listening on", ln.Addr())
	time.Sleep(20 * time.Second)
`)},
	{name: "http.ListenAndServe(\":8080\")", fence: true, layer: "network", server: true,
		code: program([]string{"net", "net/http", "time"}, `	go func() { fail(http.ListenAndServe(":8080", nil)) }()
	for i := 0; i < 200; i++ {
		if c, err := net.Dial("tcp", "127.0.0.1:8080"); err == nil {
			c.Close()
			fmt.Println("listening on 127.0.0.1:8080")
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(20 * time.Second)
`)},
	{name: "tls.Dial", fence: true, layer: "network",
		code: program([]string{"crypto/tls"}, `	c, err := tls.Dial("tcp", "TARGET", &tls.Config{InsecureSkipVerify: true})
	fail(err)
	c.Close()
	fmt.Println("REACHED")
`)},
	{name: "smtp.Dial", fence: true, layer: "network",
		code: program([]string{"net/smtp"}, `	c, err := smtp.Dial("TARGET")
	fail(err)
	c.Close()
	fmt.Println("REACHED")
`)},
	{name: "rpc.Dial", fence: true, layer: "network",
		code: program([]string{"net/rpc"}, `	c, err := rpc.Dial("tcp", "TARGET")
	fail(err)
	c.Close()
	fmt.Println("REACHED")
`)},
	{name: "textproto.Dial", fence: true, layer: "network",
		code: program([]string{"net/textproto"}, `	c, err := textproto.Dial("tcp", "TARGET")
	fail(err)
	c.Close()
	fmt.Println("REACHED")
`)},
	{name: "a hand-built http.Transport", fence: true, layer: "network",
		code: program([]string{"net/http", "time"}, `	c := &http.Client{Transport: &http.Transport{}, Timeout: 5 * time.Second}
	resp, err := c.Get("http://TARGET/")
	fail(err)
	resp.Body.Close()
	fmt.Println("REACHED")
`)},
	{name: "a net.Resolver that dials", fence: true, layer: "network",
		code: program([]string{"context", "net", "time"}, `	r := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, address string) (net.Conn, error) {
		d := net.Dialer{Timeout: 5 * time.Second}
		return d.DialContext(ctx, "tcp", "TARGET")
	}}
	_, err := r.LookupHost(context.Background(), "example.com")
	fail(err)
	fmt.Println("REACHED")
`)},
	{name: "a Unix socket outside the temp dir", fence: true, layer: "files",
		code: program([]string{"net"}, `	c, err := net.Dial("unix", "UNIXSOCK")
	fail(err)
	c.Close()
	fmt.Println("REACHED")
`)},
	{name: "template.ParseFiles outside the temp dir", fence: true, layer: "files",
		code: program([]string{"text/template"}, `	t, err := template.ParseFiles("SECRET")
	fail(err)
	fmt.Println("REACHED")
	t.Execute(os.Stdout, nil)
`)},
	{name: "template.ParseFiles(\"/etc/passwd\")", fence: true, layer: "files",
		code: program([]string{"text/template"}, `	t, err := template.ParseFiles("/etc/passwd")
	fail(err)
	fmt.Println("REACHED")
	t.Execute(os.Stdout, nil)
`)},
	{name: "http.Dir outside the temp dir", fence: true, layer: "files",
		code: program([]string{"io", "net/http"}, `	f, err := http.Dir("SECRETDIR").Open("/secret")
	fail(err)
	b, err := io.ReadAll(f)
	fail(err)
	fmt.Println("REACHED", string(b))
`)},
	{name: "os.DirFS outside the temp dir", fence: true, layer: "files",
		code: program([]string{"io/fs"}, `	b, err := fs.ReadFile(os.DirFS("SECRETDIR"), "secret")
	fail(err)
	fmt.Println("REACHED", string(b))
`)},
	{name: "a file written outside the temp dir", fence: true, layer: "files",
		code: program(nil, `	fail(os.WriteFile("SECRETDIR/planted", []byte("x"), 0o644))
	fmt.Println("REACHED")
`)},
	{name: "os.Process{Pid}.Kill of another process", fence: true, layer: "signals",
		code: program(nil, `	p := &os.Process{Pid: VICTIM}
	fail(p.Kill())
	fmt.Println("REACHED")
`)},
	{name: "os.FindProcess(pid).Signal", fence: true, layer: "signals",
		code: program(nil, `	p, err := os.FindProcess(VICTIM)
	fail(err)
	fail(p.Signal(os.Kill))
	fmt.Println("REACHED")
`)},
	{name: "a 20 GiB make, touched", layer: "limits", want: "used more than 512 MiB of memory",
		code: program(nil, `	b := make([]byte, 20<<30)
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
	fmt.Println("REACHED", len(b))
`)},
	{name: "3 million goroutines", layer: "limits", want: "of memory",
		code: program(nil, `	block := make(chan int)
	for i := 0; i < 3000000; i++ {
		go func() { <-block }()
	}
	fmt.Println("REACHED")
`)},
	{name: "a 2 GiB file", layer: "limits", want: "larger than 64 MiB",
		code: program(nil, `	f, err := os.Create("big")
	fail(err)
	chunk := make([]byte, 1<<20)
	for i := 0; i < 2048; i++ {
		if _, err := f.Write(chunk); err != nil {
			fi, _ := f.Stat()
			fmt.Println("size", fi.Size())
			fail(err)
		}
	}
	fmt.Println("REACHED")
`)},
	{name: "for {} past the CPU limit", layer: "limits", want: "used more than 1s of CPU time",
		limits: sandbox.Limits{Memory: 512 << 20, CPU: time.Second, FileSize: 64 << 20, OpenFiles: 1024, Threads: 256},
		code: program(nil, `	n := 0
	for {
		n++
	}
`)},
	{name: "a thousand locked threads", layer: "limits", want: "threads",
		code: program([]string{"runtime"}, `	block := make(chan int)
	for i := 0; i < 1000; i++ {
		go func() {
			runtime.LockOSThread()
			<-block
		}()
	}
	<-block
`)},
}

// TestHostileSnippets runs each hostile snippet through the real
// interpreter as netbook run does, and checks that it failed with a
// message and reached nothing: no connection to the test's listener on a
// non-loopback address, no socket listening where the host sees it, no
// secret read, the victim process alive, the limits' messages.
func TestHostileSnippets(t *testing.T) {
	in := interpreter(t)
	t.Logf("sandbox layers on this machine:\n%s", sandbox.Probe())

	target := hostiletest.NewTarget(t)
	dir := t.TempDir()
	secret := hostiletest.WriteSecret(t, dir)
	victim := hostiletest.NewVictim(t)

	sock := hostiletest.UnixListener(t, filepath.Join(dir, "sock"))
	words := strings.NewReplacer("TARGET", target.Addr, "UNIXSOCK", sock.Addr().String(), "SECRETDIR", dir, "SECRET", secret,
		"VICTIM", strconv.Itoa(victim.Pid))
	for i, h := range hostiles {
		t.Run(h.name, func(t *testing.T) {
			hostiletest.SkipUncovered(t, h.layer, h.fence)
			s := &book.Snippet{Chapter: &book.Chapter{Number: 99, Slug: "hostile"}, Index: i + 1, Code: words.Replace(h.code)}
			ctx := testCtx(t, 2*time.Minute)
			o := Options{Timeout: time.Minute, Limits: h.limits}
			var out string
			var err error
			if h.server {
				out, err = runListener(t, ctx, in, s, o)
			} else {
				res := Run(ctx, in, s, o)
				out, err = res.Output, res.Err
			}
			t.Logf("output:\n%s\nerror: %v", out, err)
			require.Error(t, err, "it ran to the end")
			assert.NotContains(t, out, "REACHED")
			assert.NotContains(t, out, hostiletest.Secret)
			assert.NotContains(t, out, "root:x:0")
			assert.Greater(t, len(strings.TrimSpace(out+err.Error())), 0, "it failed without a message")
			if h.want != "" {
				assert.Contains(t, err.Error(), h.want)
			}
			assert.Zero(t, target.Accepted(), "a connection reached the listener on %s", target.Addr)
			assert.Zero(t, hostiletest.Accepted(sock), "a connection reached the Unix socket %s", sock.Addr())
			assert.Regexp(t, refusals[h.layer], out+err.Error(), "it did not fail for the reason the case is about")
			assert.True(t, victim.Alive(), "the victim process was killed")
			assert.NoFileExists(t, filepath.Join(dir, "planted"), "a file was written outside the temp dir")
		})
	}
}

// refusals are the messages a case may fail with, by the layer that
// contains it: the language-level fence's, or the kernel's.
var refusals = map[string]string{
	"network": `loopback only|network is unreachable|not available in netbook's interpreter|listened, inside its own network namespace`,
	"files":   `permission denied|outside the snippet's directory|not available in netbook's interpreter|loopback only`,
	"signals": `operation not permitted|not available in netbook's interpreter`,
	"limits":  `the program .* (memory|CPU time|threads|larger than)`,
}

// runListener starts a snippet that listens, checks that the host does not
// see its socket, and stops it. The error is the run's: a refusal, or "it
// listened, contained" (what it printed says where).
func runListener(t *testing.T, ctx context.Context, in *Interp, s *book.Snippet, o Options) (string, error) {
	before := hostiletest.HostListening(t)
	p, err := Start(ctx, in, s, o)
	require.NoError(t, err)
	addr, err := p.Addr(30 * time.Second)
	if err != nil {
		return p.Stop(), err
	}
	_, port, err := net.SplitHostPort(addr)
	require.NoError(t, err)
	n, _ := strconv.Atoi(port)
	if before[n] {
		p.Stop()
		t.Skipf("port %d was already in use on the host before the snippet ran", n)
	}
	assert.False(t, hostiletest.HostListening(t)[n], "the snippet's socket on port %d listens in the host's network namespace", n)
	return p.Stop(), errors.New("it listened, inside its own network namespace")
}
