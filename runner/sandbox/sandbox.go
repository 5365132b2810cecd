package sandbox

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/style"
)

// Limits bound what one sandboxed program may use. Each is a setrlimit in
// the shim, so it bounds the program and anything it starts:
//
//   - Memory is RLIMIT_DATA: the heap, goroutine stacks and every private
//     writable mapping, so a 20 GiB make fails at once with the Go
//     runtime's "out of memory" instead of the machine swapping. (Go
//     reserves far more address space than it uses, so RLIMIT_AS would
//     have to be set so high that it bounds nothing.) GOMEMLIMIT is set to
//     nine tenths of it, so the collector works harder before the wall.
//   - CPU is RLIMIT_CPU: processor time, not wall time (the run's timeout
//     bounds that). The Go runtime ignores SIGXCPU at the soft limit, so
//     the kernel's SIGKILL one second later stops it.
//   - FileSize is RLIMIT_FSIZE: a write that would make a file larger fails
//     with "file too large" (Go ignores SIGXFSZ); the program goes on.
//   - OpenFiles is RLIMIT_NOFILE: files and sockets open at once.
//   - Threads is RLIMIT_NPROC, counted per user in the program's own user
//     namespace (so only when the network layer is on, and not at all for
//     root, whom the kernel exempts), and the interpreter's
//     debug.SetMaxThreads (NETBOOK_MAX_THREADS). Goroutines are not
//     threads: a million of them are bounded by Memory, 8 KiB of stack
//     each at least.
type Limits struct {
	Memory    int64
	CPU       time.Duration
	FileSize  int64
	OpenFiles int
	Threads   int
}

// Default is what a snippet and the REPL get, documented in
// CONTRIBUTING.md ("Sandbox").
var Default = Limits{
	Memory:    512 << 20,
	CPU:       2 * time.Minute,
	FileSize:  64 << 20,
	OpenFiles: 1024,
	Threads:   256,
}

// REPLLimits bound a REPL session's interpreter (netbook repl): Default,
// with ten minutes of CPU time for the whole session rather than two for
// one run. Documented in CONTRIBUTING.md ("Sandbox") and reported by
// netbook run --sandbox-report.
var REPLLimits = func() Limits {
	l := Default
	l.CPU = 10 * time.Minute
	return l
}()

func (l Limits) String() string { return strings.Join(l.fields(), ", ") }

// fields are the limits in words, one for each.
func (l Limits) fields() []string {
	return []string{
		"memory " + mib(l.Memory), fmt.Sprintf("CPU time %v", l.CPU), "file size " + mib(l.FileSize),
		fmt.Sprintf("%d open files", l.OpenFiles), fmt.Sprintf("%d threads", l.Threads),
	}
}

// limitsText is the resources line of the report: a run's limits, then
// how a REPL session's differ.
func limitsText(run, repl Limits) string {
	text := "a run: " + run.String()
	a, b := run.fields(), repl.fields()
	var differ []string
	for i := range a {
		if a[i] != b[i] {
			differ = append(differ, b[i])
		}
	}
	if len(differ) == 0 {
		return text + "; a REPL session: the same"
	}
	return text + "; a REPL session: the same but " + strings.Join(differ, ", ") + " for the whole session"
}

// EnvOff turns layers off: a comma-separated list of network, files and
// limits (NETBOOK_SANDBOX_OFF=network, see OffWords), for a machine where
// one gets in the way, and for the tests of what happens where the kernel
// has none (on Linux; elsewhere there are no layers to turn off).
// Other words are ignored, with a warning (OffWarning).
const EnvOff = "NETBOOK_SANDBOX_OFF"

// OffWords are the layers EnvOff can turn off, in its own words.
var OffWords = []string{"network", "files", "limits"}

// offLayers reads a value of EnvOff: the layers it turns off, and the
// words in it that name no layer (a typo), which it ignores. Case and
// spaces around a word do not matter; empty words are skipped.
func offLayers(v string) (off map[string]bool, unknown []string) {
	off = map[string]bool{}
	for _, w := range strings.Split(v, ",") {
		w = strings.ToLower(strings.TrimSpace(w))
		switch {
		case w == "":
		case slices.Contains(OffWords, w):
			off[w] = true
		default:
			unknown = append(unknown, w)
		}
	}
	return off, unknown
}

// OffWarning says which words of EnvOff name no layer and were ignored,
// and the words it takes; "" when there are none. netbook run, repl and
// serve print it with the sandbox notice.
func OffWarning() string { return OffWarningIn(lang.English) }

// OffWarningIn is OffWarning in language in.
func OffWarningIn(in lang.Lang) string {
	v := os.Getenv(EnvOff)
	_, unknown := offLayers(v)
	if len(unknown) == 0 {
		return ""
	}
	quoted := make([]string, len(unknown))
	for i, w := range unknown {
		quoted[i] = strconv.Quote(w)
	}
	m, ignored, takes := lang.OffIgnored, strings.Join(quoted, " and "), strings.Join(OffWords[:len(OffWords)-1], ", ")
	if len(unknown) > 1 {
		m = lang.OffIgnoredMany
	}
	if !in.IsEnglish() {
		ignored, takes = in.List(quoted), in.List(OffWords[:len(OffWords)-1])
	}
	return in.Sprintf(m, EnvOff, v, ignored, takes, OffWords[len(OffWords)-1], EnvOff)
}

func mib(n int64) string { return fmt.Sprintf("%d MiB", n>>20) }

// Options say how to sandbox one command.
type Options struct {
	// Dir is the program's temp directory: the one place it may write.
	Dir string
	// Limits bound its resources; Default when zero.
	Limits Limits
	// Read lists more files and directories it may read (and execute).
	Read []string
	// Shared means another program will join this one's network namespace
	// (the server of a pair): when joining is impossible here, it gets no
	// namespace of its own, so that its client can still reach it.
	Shared bool
	// Join is the process id of the program whose network namespace this
	// one shares (the client of a pair); 0 for a namespace of its own.
	Join int
	// LimitsOnly sets the resource limits and nothing else: no network
	// namespace, no file-system rules (Dir, Read, Shared and Join are
	// ignored), for a program that must be reached from the host and may
	// read what it likes, such as a lab's server under netbook up and
	// bench. Threads is not enforced then (RLIMIT_NPROC would count every
	// process of the user), only named in Explain's words.
	LimitsOnly bool
}

func (o Options) limits() Limits {
	if o.Limits == (Limits{}) {
		return Default
	}
	return o.Limits
}

// ExitShim is the exit status of a shim that could not set the sandbox up;
// it has said why on standard error.
const ExitShim = 125

// fatal are the Go runtime's last words when a program passes a limit:
// what follows them is its dump of every goroutine's stack, of no use to
// a student (and a megabyte long with a million goroutines).
var fatal = []struct{ line, limit string }{
	{"fatal error: runtime: out of memory", "memory"},
	{"fatal error: out of memory", "memory"},
	{"fatal error: runtime: cannot allocate memory", "memory"},
	{"fatal error: thread exhaustion", "threads"},
	{"fatal error: newosproc", "threads"},
	{"runtime: failed to create new OS thread", "threads"},
	{"runtime/cgo: pthread_create failed", "threads"},
	// Recursion without end: the interpreter bounds a goroutine's stack
	// (cmd/netbook-interp's debug.SetMaxStack), below the memory limit.
	{"fatal error: stack overflow", "stack"},
	// The Go runtime itself can fault when memory runs out in the middle of
	// a collection; Explain then judges by how much memory it held.
	{"SIGSEGV: segmentation violation", ""},
}

// FatalLimit reports whether line is the Go runtime's fatal error for one
// of the sandbox's limits, after which it prints only stack dumps.
func FatalLimit(line string) bool {
	for _, f := range fatal {
		if strings.HasPrefix(line, f.line) {
			return true
		}
	}
	return false
}

// TrimFatal cuts output after the line FatalLimit recognizes, if any.
func TrimFatal(output string) string {
	for _, f := range fatal {
		if i := strings.Index(output, f.line); i >= 0 {
			if j := strings.IndexByte(output[i:], '\n'); j >= 0 {
				return output[:i+j+1]
			}
			return output
		}
	}
	return output
}

// Explain says in plain words which limit stopped a program, from how it
// ended and what it printed, or returns "" when no limit is to blame. l is
// the limits it ran with (Default when zero).
func Explain(st *os.ProcessState, output string, l Limits) string {
	return ExplainIn(lang.English, st, output, l)
}

// ExplainIn is Explain in language in (netbook run's words, and the web
// book's, follow the reader's language).
func ExplainIn(in lang.Lang, st *os.ProcessState, output string, l Limits) string {
	if l == (Limits{}) {
		l = Default
	}
	limit := ""
	for _, f := range fatal {
		if f.limit != "" && strings.Contains(output, f.line) {
			limit = f.limit
			break
		}
	}
	if limit == "threads" && !strings.Contains(output, "-thread limit") && threadsForMemory(st, output, l) {
		limit = "memory"
	}
	switch {
	case limit == "stack":
		return stackOverflow(in, output)
	case limit == "memory", limit == "" && crashedFull(st, l):
		return in.Sprintf(lang.LimitMemory, mib(l.Memory))
	case limit == "threads", strings.Contains(output, "-thread limit"):
		return in.Sprintf(lang.LimitThreads, l.Threads, mib(l.Memory))
	case cpuKilled(st, l):
		return in.Sprintf(lang.LimitCPU, l.CPU)
	case strings.Contains(output, "file too large"):
		return in.Sprintf(lang.LimitFileSize, mib(l.FileSize))
	case strings.Contains(output, "too many open files"):
		return in.Sprintf(lang.LimitOpenFiles, l.OpenFiles)
	}
	return ""
}

// threadsHad is how many threads the Go runtime had when it could not
// start one more: "runtime: failed to create new OS thread (have 9
// already; errno=11)", or, with cgo, the number of the thread (the
// runtime's M) under the signal's name, "PC=0x7f3f9f44deec m=9
// sigcode=..." (Ms are numbered as they start).
var threadsHad = regexp.MustCompile(`have (\d+) already|(?m)^PC=\S+ m=(\d+) `)

// threadsForMemory reports whether a thread that could not start failed
// for want of memory rather than for starting too many: a thread's stack
// is a private writable mapping (8 MiB with cgo's pthread_create), so a
// program that holds most of its memory cannot start one, however few
// threads it has. It did when it held three quarters of its memory, or
// half of it with fewer than half the threads it may start (or a count
// unknown). A program that starts a thousand threads holds little: that
// is the threads' doing, whichever limit the stacks met first.
func threadsForMemory(st *os.ProcessState, output string, l Limits) bool {
	if crashedFull(st, l) {
		return true
	}
	if st == nil || maxRSS(st) < l.Memory/2 {
		return false
	}
	m := threadsHad.FindStringSubmatch(output)
	if m == nil {
		return true
	}
	n, err := strconv.Atoi(m[1] + m[2])
	return err == nil && n < l.Threads/2
}

// stackSize is the Go runtime's line before a stack overflow, with the
// limit in bytes: "runtime: goroutine stack exceeds 67108864-byte limit".
var stackSize = regexp.MustCompile(`goroutine stack exceeds (\d+)-byte limit`)

// stackOverflow says that the program's stack overflowed, in language in,
// with the limit its output names ("64 MiB") when it names one.
func stackOverflow(in lang.Lang, output string) string {
	m := stackSize.FindStringSubmatch(output)
	if m == nil {
		return in.Sprintf(lang.LimitStack)
	}
	n, err := strconv.ParseInt(m[1], 10, 64)
	switch {
	case err != nil:
		return in.Sprintf(lang.LimitStack)
	case n >= 1<<20 && n%(1<<20) == 0:
		return in.Sprintf(lang.LimitStackAt, mib(n))
	}
	return in.Sprintf(lang.LimitStackAt, in.Sprintf(lang.Bytes, n))
}

// crashedFull reports whether a program that failed had used nearly all
// its memory (three quarters of the limit, resident): the Go runtime does
// not always fail cleanly when an allocation is refused.
func crashedFull(st *os.ProcessState, l Limits) bool {
	if st == nil || st.Success() {
		return false
	}
	return maxRSS(st) >= l.Memory/4*3
}

// cpuKilled reports whether st is a program killed at its CPU limit: by
// SIGXCPU, or by SIGKILL after using that much processor time.
func cpuKilled(st *os.ProcessState, l Limits) bool {
	if st == nil {
		return false
	}
	ws, ok := st.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() {
		return false
	}
	used := st.UserTime() + st.SystemTime()
	return ws.Signal() == sigXCPU || (ws.Signal() == syscall.SIGKILL && used >= l.CPU)
}

// Report is which layers this machine offers.
type Report struct {
	Network  string // how the network is fenced, or why it is not
	Files    string // how the file system is fenced, or why it is not
	Limits   string // the resource limits, or why there are none
	Lifetime string // what stops a program when netbook dies
	// Missing is one line naming the layers that are unavailable, for a
	// warning; "" when all are on. MissingIn says it in another language.
	Missing string
	missing []said // Missing's parts, to say in another language

	// Which layers are on, for tests: the network namespace (PairNetwork:
	// shared by a pair too), Landlock, Landlock's scoped signals, the
	// resource limits.
	NetworkOn, PairNetworkOn, FilesOn, SignalsOn, LimitsOn bool
}

// said is a message with its arguments, to say in any language.
type said struct {
	m    *lang.Message
	args []any
}

// miss adds a layer that is unavailable to r.Missing, as message m says.
func (r *Report) miss(m *lang.Message, args ...any) {
	r.missing = append(r.missing, said{m, args})
	r.Missing = r.MissingIn(lang.English)
}

// MissingIn is Missing in language in.
func (r Report) MissingIn(in lang.Lang) string {
	parts := make([]string, len(r.missing))
	for i, p := range r.missing {
		parts[i] = in.Sprintf(p.m, p.args...)
	}
	return strings.Join(parts, in.Sprintf(lang.Semicolon))
}

func (r Report) String() string { return r.Text(0) }

// Text is the report a line for each layer, its words wrapped to width
// columns under the first word after the layer's name (not at all when
// width is 0).
func (r Report) Text(width int) string {
	var b strings.Builder
	const label = len("file system: ")
	for _, l := range []struct{ name, text string }{
		{"network:", r.Network}, {"file system:", r.Files}, {"resources:", r.Limits}, {"lifetime:", r.Lifetime},
	} {
		text := l.text
		if width > label {
			text = style.Wrap(text, width-label)
		}
		text = strings.ReplaceAll(text, "\n", "\n"+strings.Repeat(" ", label))
		fmt.Fprintf(&b, "%-*s%s\n", label, l.name, text)
	}
	return b.String()
}

// wrapped prefixes cmd's program with another (the shim, nsenter): path
// becomes the program to start and args come before cmd's own path and
// arguments.
func wrapped(cmd *exec.Cmd, path string, args ...string) {
	orig := append([]string{cmd.Path}, cmd.Args...)
	cmd.Path = path
	cmd.Args = append(args, orig...)
}
