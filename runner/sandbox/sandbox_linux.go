package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/landlock-lsm/go-landlock/landlock"
	ll "github.com/landlock-lsm/go-landlock/landlock/syscall"
	"github.com/netbook/netbook/runner/lang"
	"golang.org/x/sys/unix"
)

const sigXCPU = syscall.SIGXCPU

// envShim carries the shim's configuration, as JSON, from Wrap to Shim.
const envShim = "NETBOOK_SANDBOX_SHIM"

// shimConfig is what the shim sets up before it runs the program.
type shimConfig struct {
	Probe    bool     // only bring lo up and exit: Probe's test
	Loopback bool     // bring lo up: the process is in a new network namespace
	OwnUser  bool     // the process is in a user namespace of its own: RLIMIT_NPROC means something
	Landlock bool     // restrict the file system
	Write    []string // read-write directories
	Read     []string // read-only files and directories
	Limits   Limits
}

func init() {
	if os.Getenv(envShim) != "" {
		Shim()
	}
	if os.Getenv(envExec) != "" {
		execWrapper()
	}
	if os.Getenv(envDie) != "" {
		dieExec()
	}
}

// Shim is the sandbox's side in the child: netbook's own binary, started by
// Wrap with the shim's configuration in its environment, sets up the
// layers and replaces itself with the program (os.Args[1], with argv
// os.Args[2:]). It never returns: on failure it says why and exits with
// ExitShim. Every binary that imports this package runs it from init when
// that variable is set (netbook, and the test binaries of the packages
// that run snippets), so a command the shim wraps runs wherever netbook
// does.
func Shim() {
	var c shimConfig
	err := json.Unmarshal([]byte(os.Getenv(envShim)), &c)
	os.Unsetenv(envShim)
	if err == nil {
		err = c.run(os.Args[1:])
	}
	fmt.Fprintf(os.Stderr, "netbook sandbox: %v\n", err)
	os.Exit(ExitShim)
}

func (c shimConfig) run(args []string) error {
	if c.Loopback {
		if err := loopbackUp(); err != nil {
			return fmt.Errorf("unable to bring up the loopback interface: %w", err)
		}
	}
	if c.Probe {
		os.Exit(0)
	}
	if len(args) < 2 {
		return errors.New("no program to run")
	}
	env := os.Environ()
	if c.Limits != (Limits{}) {
		if err := c.setLimits(); err != nil {
			return err
		}
		if os.Getenv("GOMEMLIMIT") == "" {
			env = append(env, "GOMEMLIMIT="+strconv.FormatInt(c.Limits.Memory/10*9, 10))
		}
		env = append(env, "NETBOOK_MAX_THREADS="+strconv.Itoa(c.Limits.Threads))
	}
	// The rest must happen on the thread that calls execve: Landlock and
	// the ambient capabilities are a thread's, and execve keeps the
	// calling thread's.
	runtime.LockOSThread()
	if c.Landlock {
		if err := c.restrict(args[0]); err != nil {
			return err
		}
	}
	// Whatever capabilities the namespace gave the shim (to bring lo up),
	// the program does not keep them.
	unix.Prctl(unix.PR_CAP_AMBIENT, unix.PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
	err := syscall.Exec(args[0], args[1:], env)
	return fmt.Errorf("unable to start %s: %w", args[0], err)
}

// loopbackUp sets the IFF_UP flag of lo, in the namespace the process is in.
func loopbackUp() error {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	ifr, err := unix.NewIfreq("lo")
	if err != nil {
		return err
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFFLAGS, ifr); err != nil {
		return err
	}
	ifr.SetUint16(ifr.Uint16() | unix.IFF_UP)
	return unix.IoctlIfreq(fd, unix.SIOCSIFFLAGS, ifr)
}

func (c shimConfig) setLimits() error {
	l := c.Limits
	set := func(name string, res int, soft, hard uint64) error {
		// A limit can only come down: one above the hard limit netbook
		// itself has is the hard limit.
		var cur unix.Rlimit
		if unix.Getrlimit(res, &cur) == nil && hard > cur.Max {
			hard, soft = cur.Max, min(soft, cur.Max)
		}
		if err := unix.Setrlimit(res, &unix.Rlimit{Cur: soft, Max: hard}); err != nil {
			return fmt.Errorf("unable to set the %s limit: %w", name, err)
		}
		return nil
	}
	cpu := uint64(l.CPU.Seconds())
	memory := uint64(l.Memory)
	if raceShim {
		// The shim's own data goes with its execve; until then, the
		// limit leaves ThreadSanitizer room (tests built with -race).
		memory += shimData()
	}
	errs := []error{
		set("memory", unix.RLIMIT_DATA, memory, memory),
		set("CPU time", unix.RLIMIT_CPU, cpu, cpu+1),
		set("file size", unix.RLIMIT_FSIZE, uint64(l.FileSize), uint64(l.FileSize)),
		set("open files", unix.RLIMIT_NOFILE, uint64(l.OpenFiles), uint64(l.OpenFiles)),
	}
	if c.OwnUser {
		errs = append(errs, set("threads", unix.RLIMIT_NPROC, uint64(l.Threads), uint64(l.Threads)))
	}
	return errors.Join(errs...)
}

// shimData is the shim's own data (VmData), in bytes, or 0 when unknown.
func shimData() uint64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmData:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}

// readOnly is what a Go program needs to read to start and to resolve
// "localhost", besides itself: a missing one is skipped.
var readOnly = []string{
	"/lib", "/lib64", "/usr/lib", "/usr/lib64", "/etc/ld.so.cache", // a cgo binary's libc
	"/etc/hosts", "/etc/resolv.conf", "/etc/nsswitch.conf", "/etc/services", "/etc/protocols",
	"/etc/localtime", "/usr/share/zoneinfo",
	"/dev/urandom", "/dev/random", "/dev/zero",
	"/proc/self", "/sys/kernel/mm/transparent_hugepage",
}

// restrict applies the Landlock rules to the calling thread, which must be
// locked to it and call execve next. prog is the program to run.
func (c shimConfig) restrict(prog string) error {
	cfg := landlock.Config{HandledAccessFS: landlock.V11.HandledAccessFS, Scoped: landlock.V11.Scoped}.BestEffort()
	var rules []landlock.Rule
	for _, p := range append(append([]string{prog}, c.Read...), readOnly...) {
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			rules = append(rules, landlock.RODirs(p).IgnoreIfMissing())
		} else {
			rules = append(rules, landlock.ROFiles(p).IgnoreIfMissing())
		}
	}
	rules = append(rules, landlock.RWDirs(c.Write...).IgnoreIfMissing(), landlock.RWFiles("/dev/null").IgnoreIfMissing())
	fd, flags, err := cfg.NewRulesetFD(rules...)
	if err != nil {
		return fmt.Errorf("unable to build the file-system rules: %w", err)
	}
	if fd < 0 {
		return nil // no Landlock here: Probe reports it
	}
	defer unix.Close(fd)
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		return fmt.Errorf("unable to set no_new_privs: %w", err)
	}
	if err := ll.LandlockRestrictSelf(fd, flags); err != nil {
		return fmt.Errorf("unable to restrict the file system: %w", err)
	}
	return nil
}

// probe is what this machine offers, found once.
var probe struct {
	once      sync.Once
	limitsOff bool
	filesOff  bool
	self      string // netbook's executable, the shim; "" when unknown
	selfErr   error
	netErr    error // why there is no network namespace, or nil
	nsenter   string
	landlock  int // the Landlock ABI version, 0 when none
	llErr     error
}

func probed() {
	probe.once.Do(func() {
		probe.self, probe.selfErr = os.Executable()
		if probe.selfErr != nil {
			probe.self = ""
			probe.netErr = probe.selfErr
			return
		}
		probe.landlock, probe.llErr = ll.LandlockGetABIVersion()
		probe.nsenter, _ = exec.LookPath("nsenter")
		off, _ := offLayers(os.Getenv(EnvOff)) // OffWarning names the rest
		offErr := fmt.Errorf("turned off by %s", EnvOff)
		if off["files"] {
			probe.landlock, probe.llErr, probe.filesOff = 0, offErr, true
		}
		probe.limitsOff = off["limits"]
		if off["network"] {
			probe.netErr = offErr
			return
		}
		cmd := exec.Command(probe.self)
		cmd.Env = append(os.Environ(), envShim+`={"Probe":true,"Loopback":true}`)
		namespaces(cmd)
		out, err := cmd.CombinedOutput()
		switch {
		case err != nil && len(out) > 0:
			probe.netErr = fmt.Errorf("%s", trimNL(out))
		case err != nil:
			probe.netErr = err
		}
	})
}

func trimNL(b []byte) string {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return string(b)
}

// namespaces gives cmd a user namespace, in which it is the user it was
// (root when netbook runs as root), and a network namespace of its own, and
// the capability to bring its loopback interface up.
func namespaces(cmd *exec.Cmd) {
	attr(cmd)
	cmd.SysProcAttr.Cloneflags |= syscall.CLONE_NEWUSER | syscall.CLONE_NEWNET
	cmd.SysProcAttr.UidMappings = []syscall.SysProcIDMap{{ContainerID: os.Getuid(), HostID: os.Getuid(), Size: 1}}
	cmd.SysProcAttr.GidMappings = []syscall.SysProcIDMap{{ContainerID: os.Getgid(), HostID: os.Getgid(), Size: 1}}
	cmd.SysProcAttr.AmbientCaps = []uintptr{unix.CAP_NET_ADMIN}
}

func attr(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
}

// DieWithParent makes the kernel kill cmd (SIGKILL) when netbook dies, even
// by SIGKILL. (Strictly, when the thread that started it ends: the Go
// runtime does not end its threads unless a goroutine locked to one exits.)
func DieWithParent(cmd *exec.Cmd) {
	attr(cmd)
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
}

// Wrap sandboxes cmd, whose Path, Args and Env are set, with every layer
// this machine offers (see the package comment); where one is missing, cmd
// runs without it. It also makes cmd die with netbook.
func Wrap(cmd *exec.Cmd, o Options) {
	DieWithParent(cmd)
	probed()
	if probe.self == "" {
		return
	}
	if o.LimitsOnly {
		if probe.limitsOff {
			return
		}
		wrapped(cmd, probe.self, "netbook-sandbox")
		setShim(cmd, shimConfig{Limits: o.limits()})
		return
	}
	c := shimConfig{Landlock: probe.landlock > 0, Read: o.Read}
	if !probe.limitsOff {
		c.Limits = o.limits()
	}
	if o.Dir != "" {
		c.Write = []string{o.Dir}
	}
	netOK := probe.netErr == nil && (!o.Shared || probe.nsenter != "")
	switch {
	case o.Join > 0 && netOK && probe.nsenter != "":
		c.OwnUser = true
		wrapped(cmd, probe.nsenter, "nsenter", "-t", strconv.Itoa(o.Join), "-U", "-n", "--preserve-credentials", "--", probe.self)
	case o.Join == 0 && netOK:
		c.Loopback, c.OwnUser = true, true
		namespaces(cmd)
		wrapped(cmd, probe.self, "netbook-sandbox")
	default:
		wrapped(cmd, probe.self, "netbook-sandbox")
	}
	setShim(cmd, c)
}

// setShim passes the shim's configuration c to cmd, in its environment.
func setShim(cmd *exec.Cmd, c shimConfig) {
	js, _ := json.Marshal(c)
	if cmd.Env == nil {
		cmd.Env = os.Environ()
	}
	cmd.Env = append(cmd.Env, envShim+"="+string(js))
}

// Probe says which layers this machine offers.
func Probe() Report {
	probed()
	r := Report{Lifetime: "a child is killed when netbook dies (Pdeathsig SIGKILL) and with its process group; temp dirs of killed runs are swept at the next start"}
	switch {
	case probe.netErr != nil:
		r.Network = fmt.Sprintf("unavailable (%v), the language-level fence still applies", probe.netErr)
		r.miss(lang.MissingNetwork, probe.netErr)
	case probe.nsenter == "":
		r.Network = "a network namespace of its own with only loopback up; but nsenter(1) is missing, so a server/client pair runs without one"
	default:
		r.Network = "a network namespace of its own with only loopback up (a pair shares one, through nsenter)"
	}
	switch {
	case probe.self == "":
		r.Files = fmt.Sprintf("unavailable (netbook cannot find its own binary: %v)", probe.selfErr)
		r.miss(lang.MissingFilesSelf, probe.selfErr)
	case probe.landlock == 0 && probe.filesOff:
		r.Files = fmt.Sprintf("unavailable (%v), the language-level fence still applies", probe.llErr)
		r.miss(lang.MissingFilesOff, probe.llErr)
	case probe.landlock == 0:
		r.Files = fmt.Sprintf("unavailable (no Landlock in this kernel: %v), the language-level fence still applies", probe.llErr)
		r.miss(lang.MissingFiles, probe.llErr)
	default:
		r.Files = fmt.Sprintf("Landlock ABI %d: the temp dir read-write; the program, system libraries and a few files of /etc read-only", probe.landlock)
		if probe.landlock >= 6 {
			r.Files += "; no signals to processes outside the sandbox"
		}
	}
	switch {
	case probe.self == "":
		r.Limits = "unavailable (no shim)"
		r.miss(lang.MissingLimits)
	case probe.limitsOff:
		r.Limits = fmt.Sprintf("unavailable (turned off by %s)", EnvOff)
		r.miss(lang.MissingLimitsOff, EnvOff)
	default:
		r.Limits = limitsText(Default, REPLLimits)
	}
	r.NetworkOn = probe.netErr == nil
	r.PairNetworkOn = r.NetworkOn && probe.nsenter != ""
	r.FilesOn = probe.self != "" && probe.landlock > 0
	r.SignalsOn = r.FilesOn && probe.landlock >= 6
	r.LimitsOn = probe.self != "" && !probe.limitsOff
	return r
}

// maxRSS is the most memory the program held resident, in bytes.
func maxRSS(st *os.ProcessState) int64 {
	if ru, ok := st.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss << 10 // kilobytes on Linux
	}
	return 0
}

// shimPath is netbook's executable, which runs the shim, or "" when it is
// not known.
func shimPath() string {
	probed()
	return probe.self
}

// DieWithParentExec returns the value of go test's -exec flag and an
// entry for go test's environment with which go test starts each test
// binary through netbook's own executable, which asks the kernel to kill it
// when go test dies (Pdeathsig) and then replaces itself with the test
// binary: should netbook be killed with SIGKILL (and go test with it), no
// test binary runs on. ok is false where netbook's executable is unknown.
func DieWithParentExec() (exec, env string, ok bool) {
	self, err := os.Executable()
	if err != nil {
		return "", "", false
	}
	return quote(self), envDie + "=1", true
}

// dieExec is the -exec wrapper of DieWithParentExec: it becomes the test
// binary (os.Args[1], with its arguments after it), which dies with go
// test.
func dieExec() {
	os.Unsetenv(envDie)
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "netbook: no test binary to run")
		os.Exit(ExitShim)
	}
	dieWithParent()
	err := syscall.Exec(os.Args[1], os.Args[1:], os.Environ())
	fmt.Fprintf(os.Stderr, "netbook: unable to start %s: %v\n", os.Args[1], err)
	os.Exit(ExitShim)
}

// dieWithParent has the kernel kill this process when its parent (go
// test) dies, which go test does not ask for: killed with netbook, go test
// would leave its test binaries running. A parent already gone ends it
// now.
func dieWithParent() {
	ppid := os.Getppid()
	unix.Prctl(unix.PR_SET_PDEATHSIG, uintptr(syscall.SIGKILL), 0, 0, 0)
	if ppid == 1 || os.Getppid() != ppid {
		os.Exit(ExitShim)
	}
}

// execWrapper is the -exec wrapper of ExecFlag: it runs the test binary
// (os.Args[1], with its arguments after it) wrapped as Wrap does with the
// options in envExec, passes on the signals go test sends it (SIGQUIT on
// a timeout, for the stack dump), and exits as the test binary did. It
// dies with go test, and the kernel kills the test binary when it dies
// (Pdeathsig).
func execWrapper() {
	dieWithParent()
	var o Options
	err := json.Unmarshal([]byte(os.Getenv(envExec)), &o)
	os.Unsetenv(envExec)
	if err == nil && len(os.Args) < 2 {
		err = errors.New("no test binary to run")
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "netbook sandbox: %v\n", err)
		os.Exit(ExitShim)
	}
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = os.Environ()
	Wrap(cmd, o)
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGQUIT, syscall.SIGHUP)
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "netbook sandbox: unable to start %s: %v\n", os.Args[1], err)
		os.Exit(ExitShim)
	}
	go func() {
		for s := range sigs {
			cmd.Process.Signal(s)
		}
	}()
	cmd.Wait()
	st := cmd.ProcessState
	if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		os.Exit(128 + int(ws.Signal()))
	}
	os.Exit(st.ExitCode())
}
