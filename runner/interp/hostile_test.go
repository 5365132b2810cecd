package interp

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// interpret runs src as main.go in a fresh directory, as netbook-interp
// does, and returns what it printed and its exit status. A program the
// fence lets through to a blocking call (a server on every interface) would
// not return: the test then fails after a minute, naming the program.
func interpret(t *testing.T, src string) (out, errOut string, code int) {
	t.Helper()
	dir := t.TempDir()
	t.Chdir(dir)
	require.NoError(t, os.WriteFile("main.go", []byte(src), 0o644))
	var o, e bytes.Buffer
	done := make(chan int, 1)
	go func() { done <- Run("main.go", nil, strings.NewReader(""), &o, &e) }()
	select {
	case code = <-done:
	case <-time.After(time.Minute):
		t.Fatalf("the program did not return: the fence let it through to a blocking call\n%s", src)
	}
	return o.String(), e.String(), code
}

// program is a main package that imports imports and runs body.
func program(imports, body string) string {
	var b strings.Builder
	b.WriteString("package main\n\nimport (\n")
	for _, p := range strings.Fields(imports) {
		fmt.Fprintf(&b, "\t%q\n", p)
	}
	b.WriteString(")\n\nfunc main() {\n" + body + "\n}\n")
	return b.String()
}

// offMachine is an address in TEST-NET-1 (RFC 5737): nothing answers there,
// and the fence must refuse it before any packet is sent.
const offMachine = "192.0.2.1"

// TestHostileNetworkSnippetsAreRefused runs, through the interpreter, each
// way the standard library offers to listen on every interface or to reach
// another machine, and checks that each fails with the fence's message
// (which the fence returns before calling the standard library, so nothing
// was sent or bound).
func TestHostileNetworkSnippetsAreRefused(t *testing.T) {
	for _, tc := range []struct {
		name, imports, body, want string
	}{
		{"http.ListenAndServe on every interface", "fmt net/http",
			`fmt.Println(http.ListenAndServe(":8080", nil))`, "listen on 127.0.0.1:8080, not :8080: a snippet may listen on loopback only"},
		{"http.ListenAndServe with no address", "fmt net/http",
			`fmt.Println(http.ListenAndServe("", nil))`, "listen on 127.0.0.1:http, not :http"},
		{"http.Server on 0.0.0.0", "fmt net/http",
			`s := &http.Server{Addr: "0.0.0.0:0"}; fmt.Println(s.ListenAndServe())`, "listen on 127.0.0.1:0, not 0.0.0.0:0"},
		{"http.ListenAndServeTLS", "fmt net/http",
			`fmt.Println(http.ListenAndServeTLS("[::]:0", "c.pem", "k.pem", nil))`, "listen on 127.0.0.1:0, not [::]:0"},
		{"tls.Listen", "fmt crypto/tls",
			`_, err := tls.Listen("tcp", ":0", nil); fmt.Println(err)`, "listen on 127.0.0.1:0, not :0"},
		{"net.ListenTCP with a nil address", "fmt net",
			`_, err := net.ListenTCP("tcp", nil); fmt.Println(err)`, "listen on 127.0.0.1:0, not :0"},
		{"tls.Dial", "fmt crypto/tls",
			`_, err := tls.Dial("tcp", "` + offMachine + `:443", nil); fmt.Println(err)`, offMachine + " is not a loopback address"},
		{"tls.DialWithDialer", "fmt net crypto/tls",
			`_, err := tls.DialWithDialer(&net.Dialer{}, "tcp", "` + offMachine + `:443", nil); fmt.Println(err)`, "not a loopback address"},
		{"tls.Dialer", "fmt crypto/tls",
			`_, err := (&tls.Dialer{}).Dial("tcp", "` + offMachine + `:443"); fmt.Println(err)`, "not a loopback address"},
		{"smtp.Dial", "fmt net/smtp",
			`_, err := smtp.Dial("` + offMachine + `:25"); fmt.Println(err)`, "not a loopback address"},
		{"smtp.SendMail", "fmt net/smtp",
			`fmt.Println(smtp.SendMail("` + offMachine + `:25", nil, "a@b.c", []string{"d@e.f"}, nil))`, "not a loopback address"},
		{"rpc.Dial", "fmt net/rpc",
			`_, err := rpc.Dial("tcp", "` + offMachine + `:1"); fmt.Println(err)`, "not a loopback address"},
		{"rpc.DialHTTP", "fmt net/rpc",
			`_, err := rpc.DialHTTP("tcp", "` + offMachine + `:1"); fmt.Println(err)`, "not a loopback address"},
		{"rpc.DialHTTPPath", "fmt net/rpc",
			`_, err := rpc.DialHTTPPath("tcp", "` + offMachine + `:1", "/"); fmt.Println(err)`, "not a loopback address"},
		{"jsonrpc.Dial", "fmt net/rpc/jsonrpc",
			`_, err := jsonrpc.Dial("tcp", "` + offMachine + `:1"); fmt.Println(err)`, "not a loopback address"},
		{"textproto.Dial", "fmt net/textproto",
			`_, err := textproto.Dial("tcp", "` + offMachine + `:1"); fmt.Println(err)`, "not a loopback address"},
		{"a hand-built http.Transport", "fmt net/http",
			`c := &http.Client{Transport: &http.Transport{}}
	_, err := c.Get("http://` + offMachine + `/"); fmt.Println(err)`, "not a loopback address"},
		{"a clone of http.DefaultTransport", "fmt net/http",
			`c := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	_, err := c.Get("http://` + offMachine + `/"); fmt.Println(err)`, "not a loopback address"},
		{"http.Get", "fmt net/http",
			`_, err := http.Get("http://` + offMachine + `/"); fmt.Println(err)`, "not a loopback address"},
		{"net.LookupHost", "fmt net",
			`_, err := net.LookupHost("example.com"); fmt.Println(err)`, "netbook's interpreter reaches loopback only, and looking up example.com would ask a DNS server off this machine; use localhost or an IP address"},
		{"net.LookupIP", "fmt net",
			`_, err := net.LookupIP("example.com"); fmt.Println(err)`, "would ask a DNS server"},
		{"net.LookupAddr", "fmt net",
			`_, err := net.LookupAddr("8.8.8.8"); fmt.Println(err)`, "would ask a DNS server"},
		{"net.LookupMX", "fmt net",
			`_, err := net.LookupMX("example.com"); fmt.Println(err)`, "only a DNS server off this machine answers MX lookups"},
		{"a net.Resolver", "fmt context net",
			`r := &net.Resolver{PreferGo: true}
	_, err := r.LookupHost(context.Background(), "example.com"); fmt.Println(err)`, "would ask a DNS server"},
		{"net.DefaultResolver", "fmt context net",
			`_, err := net.DefaultResolver.LookupIPAddr(context.Background(), "example.com"); fmt.Println(err)`, "would ask a DNS server"},
		{"a Dialer's Resolver", "fmt context net",
			`d := &net.Dialer{}
	_, err := d.Resolver.LookupHost(context.Background(), "example.com"); fmt.Println(err)`, "would ask a DNS server"},
		{"a Dialer with a Resolver", "fmt net",
			`d := &net.Dialer{Resolver: &net.Resolver{}}
	_, err := d.Dial("tcp", "example.com:80"); fmt.Println(err)`, "example.com is not a loopback address"},
		{"net.ResolveTCPAddr", "fmt net",
			`_, err := net.ResolveTCPAddr("tcp", "example.com:80"); fmt.Println(err)`, "would ask a DNS server"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := interpret(t, program(tc.imports, tc.body))
			assert.Equal(t, 0, code, errOut)
			assert.Contains(t, out, tc.want)
		})
	}
}

// TestHTTPTestServeFlagIsChecked: httptest's servers listen where the
// httptest.serve flag says, when the process's arguments name it (so that
// flag exists) and the program sets it.
func TestHTTPTestServeFlagIsChecked(t *testing.T) {
	if flag.Lookup("httptest.serve") == nil {
		flag.String("httptest.serve", "", "as net/http/httptest defines it")
	}
	require.NoError(t, flag.Set("httptest.serve", "0.0.0.0:0"))
	t.Cleanup(func() { flag.Set("httptest.serve", "") })
	assert.PanicsWithValue(t, "httptest: listen on 127.0.0.1:0, not 0.0.0.0:0: a snippet may listen on loopback only, and 0.0.0.0 is every interface", refuseHTTPTestServe)
	require.NoError(t, flag.Set("httptest.serve", "127.0.0.1:0"))
	assert.NotPanics(t, refuseHTTPTestServe)
}

// TestHostileSnippetsRefusedBeforeRunning: what cannot be wrapped is
// refused before the program starts, with the reason.
func TestHostileSnippetsRefusedBeforeRunning(t *testing.T) {
	for _, tc := range []struct{ name, imports, body, want string }{
		{"net.FileListener", "fmt net os", `l, err := net.FileListener(os.Stdin); fmt.Println(l, err)`, "net.FileListener is not available in netbook's interpreter"},
		{"os/user", "fmt os/user", `u, _ := user.Lookup("root"); fmt.Println(u)`, `import "os/user" is not allowed`},
		{"testing", "fmt testing", `t := &testing.T{}; fmt.Println(t)`, `import "testing" is not allowed`},
		{"a template method that reads files", "fmt text/template", `_, err := template.New("x").ParseFiles("/etc/passwd"); fmt.Println(err)`, "the method ParseFiles is not available"},
		{"an html template's ParseGlob method", "fmt html/template", `_, err := template.New("x").ParseGlob("/etc/*"); fmt.Println(err)`, "the method ParseGlob is not available"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := interpret(t, program(tc.imports, tc.body))
			assert.Equal(t, ExitRefused, code)
			assert.Empty(t, out, "nothing ran")
			assert.Contains(t, errOut, tc.want)
		})
	}
}

// TestHostileFileSnippetsReadNothingOutside: every way to open a file by
// name fails on a file outside the snippet's directory, and the file's
// contents, mode and size are as they were.
func TestHostileFileSnippetsReadNothingOutside(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.txt")
	const content = "SECRET-7f3a"
	require.NoError(t, os.WriteFile(secret, []byte(content), 0o600))
	q := fmt.Sprintf("%q", secret)
	glob := fmt.Sprintf("%q", filepath.Join(outside, "*"))
	dir := fmt.Sprintf("%q", outside)
	for _, tc := range []struct {
		name, imports, body string
		lists               bool // names only the directory: the secret's name must not show
	}{
		{"text/template.ParseFiles", "fmt text/template", `t, err := template.ParseFiles(` + q + `); fmt.Println(t, err)`, false},
		{"text/template.ParseGlob", "fmt text/template", `t, err := template.ParseGlob(` + glob + `); fmt.Println(t, err)`, true},
		{"html/template.ParseFiles", "fmt html/template", `t, err := template.ParseFiles(` + q + `); fmt.Println(t, err)`, false},
		{"zip.OpenReader", "fmt archive/zip", `r, err := zip.OpenReader(` + q + `); fmt.Println(r, err)`, false},
		{"tls.LoadX509KeyPair", "fmt crypto/tls", `_, err := tls.LoadX509KeyPair(` + q + `, ` + q + `); fmt.Println(err)`, false},
		{"parser.ParseFile", "fmt go/parser go/token", `f, err := parser.ParseFile(token.NewFileSet(), ` + q + `, nil, 0); fmt.Println(f, err)`, false},
		{"parser.ParseDir", "fmt go/parser go/token", `m, err := parser.ParseDir(token.NewFileSet(), ` + dir + `, nil, 0); fmt.Println(m, err)`, true},
		{"os.DirFS", "fmt io/fs os", `b, err := fs.ReadFile(os.DirFS(` + dir + `), "secret.txt"); fmt.Println(string(b), err)`, true},
		{"filepath.Walk", "fmt io/fs path/filepath", `fmt.Println(filepath.Walk(` + dir + `, func(p string, i fs.FileInfo, err error) error { fmt.Println(p); return err }))`, true},
		{"filepath.WalkDir", "fmt io/fs path/filepath", `fmt.Println(filepath.WalkDir(` + dir + `, func(p string, d fs.DirEntry, err error) error { fmt.Println(p); return err }))`, true},
		{"filepath.Glob", "fmt path/filepath", `m, err := filepath.Glob(` + glob + `); fmt.Println(m, err)`, true},
		{"os.ReadDir", "fmt os", `d, err := os.ReadDir(` + dir + `); fmt.Println(d, err)`, true},
		{"os.Lstat", "fmt os", `i, err := os.Lstat(` + q + `); fmt.Println(i, err)`, false},
		{"os.Truncate", "fmt os", `fmt.Println(os.Truncate(` + q + `, 0))`, false},
		{"os.Chmod", "fmt os", `fmt.Println(os.Chmod(` + q + `, 0o777))`, false},
		{"ioutil.ReadFile", "fmt io/ioutil", `b, err := ioutil.ReadFile(` + q + `); fmt.Println(string(b), err)`, false},
		{"ioutil.ReadDir", "fmt io/ioutil", `d, err := ioutil.ReadDir(` + dir + `); fmt.Println(d, err)`, true},
		{"os.Setenv TMPDIR, then a temp file", "fmt os", `fmt.Println(os.Setenv("TMPDIR", ` + dir + `))
	os.Clearenv()
	f, err := os.CreateTemp("", "x"); fmt.Println(f != nil, err)`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := interpret(t, program(tc.imports, tc.body))
			assert.Equal(t, 0, code, errOut)
			assert.NotContains(t, out, content)
			if tc.lists {
				assert.NotContains(t, out, "secret.txt", "not even its name")
			}
			if !strings.Contains(out, "outside the snippet's directory") {
				assert.Contains(t, out, "a snippet cannot change where the standard library opens files")
			}
			b, err := os.ReadFile(secret)
			require.NoError(t, err)
			assert.Equal(t, content, string(b))
			fi, err := os.Stat(secret)
			require.NoError(t, err)
			assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
			left, err := os.ReadDir(outside)
			require.NoError(t, err)
			assert.Len(t, left, 1, "nothing new outside")
		})
	}
}

// TestHostileProcessSnippetsSignalNothing: a process handle cannot be made
// by hand, so another of the user's programs survives a snippet that tries.
func TestHostileProcessSnippetsSignalNothing(t *testing.T) {
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("no sleep command to be the victim")
	}
	victim := exec.Command(sleep, "60")
	require.NoError(t, victim.Start())
	t.Cleanup(func() { victim.Process.Kill(); victim.Wait() })
	pid := fmt.Sprint(victim.Process.Pid)
	for _, tc := range []struct{ name, imports, body, want string }{
		{"os.Process by hand", "fmt os", `p := &os.Process{Pid: ` + pid + `}; fmt.Println(p.Kill())`, "os.Process is not available"},
		{"os.FindProcess", "fmt os", `p, _ := os.FindProcess(` + pid + `); fmt.Println(p.Kill())`, "os.FindProcess is not available"},
		{"the parent, by os.Getppid", "fmt os", `p := &os.Process{Pid: os.Getppid()}; fmt.Println(p.Signal(os.Interrupt))`, "os.Process is not available"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := interpret(t, program(tc.imports, tc.body))
			assert.Equal(t, ExitRefused, code)
			assert.Empty(t, out)
			assert.Contains(t, errOut, tc.want)
			assert.NoError(t, victim.Process.Signal(syscall.Signal(0)), "the victim is alive")
		})
	}
}

// TestFencedPackagesStillWorkOnLoopback: the replaced types and checked
// functions do what the standard library's do, on loopback and inside the
// snippet's directory.
func TestFencedPackagesStillWorkOnLoopback(t *testing.T) {
	out, errOut, code := interpret(t, `package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"text/template"
)

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "hi") })}
	go srv.Serve(ln)
	for _, c := range []*http.Client{{Transport: &http.Transport{}}, {Transport: http.DefaultTransport.(*http.Transport).Clone()}, http.DefaultClient} {
		resp, err := c.Get("http://" + ln.Addr().String() + "/")
		if err != nil {
			panic(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(string(b))
	}
	srv.Close()
	os.WriteFile("t.txt", []byte("{{.}}!"), 0o644)
	tm, err := template.ParseFiles("t.txt")
	fmt.Println(err)
	var b strings.Builder
	tm.Execute(&b, "ok")
	fmt.Println(b.String())
	addrs, err := net.LookupHost("127.0.0.1")
	fmt.Println(addrs, err)
	a, err := net.ResolveTCPAddr("tcp", "[::1]:80")
	fmt.Println(a, err)
}
`)
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "hi\nhi\nhi\n<nil>\nok!\n[127.0.0.1] <nil>\n[::1]:80 <nil>\n", out)
}
