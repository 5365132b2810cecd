// Package sandbox is the fence the operating system keeps around a
// student's code, behind the language-level fence of runner/interp: every
// child that runs a snippet or the REPL goes through [Wrap], and every temp
// directory netbook makes for one comes from [TempDir].
//
// # Layers
//
// On Linux, [Wrap] turns a command into one that starts netbook's own
// binary as a small shim (see [Shim]) in a new user and network namespace;
// the shim brings up the loopback interface, lowers its resource limits,
// restricts the file system with Landlock and then replaces itself with the
// real program, which keeps all of it:
//
//   - network: a network namespace of its own with only lo up, so nothing
//     reaches or listens on another interface, whatever library the code
//     calls. The client of a server/client pair joins its server's
//     namespace with nsenter(1) ([Options].Join). Where the kernel refuses
//     user namespaces (Ubuntu 24.04's AppArmor setting, a container), the
//     layer is reported unavailable and the language-level fence is all.
//   - file system: Landlock (best effort: what the kernel's ABI offers) lets
//     the program read and write its temp directory, read and execute only
//     what a Go program needs (the program itself, the system's shared
//     libraries, /etc/hosts, /etc/resolv.conf, zoneinfo, /dev/null,
//     /dev/urandom, /proc/self), and, from ABI 6 on, signal or reach over
//     abstract Unix sockets no process outside its own domain.
//   - resources: setrlimit before the program starts, see [Limits]; when a
//     program dies of one, [Explain] says which in plain words, as it
//     does for a stack overflow (the interpreter bounds a goroutine's
//     stack at 64 MiB, below the memory limit).
//   - lifetime: the child gets SIGKILL when netbook dies (Pdeathsig), on
//     top of the process group netbook kills when it stops normally; and
//     [Sweep] removes the temp directories of runs whose netbook was
//     killed before it could.
//
// [Probe] says which layers this machine offers; netbook run
// --sandbox-report prints it ([Report.Text], wrapped to the terminal), and
// netbook run, repl and serve print one line when a layer is missing, and
// a warning naming the words of NETBOOK_SANDBOX_OFF that name no layer
// ([OffWarning]). A snippet's limits are [Default], a REPL session's
// [REPLLimits]; the report gives both.
//
// # Other systems
//
// On macOS, Windows and the BSDs there is no shim: [Wrap] only sets what
// the platform's process model offers (a process group on Unix) and
// [Probe] says the OS layers are not available on GOOS. The language-level
// fence of runner/interp, the time limit and the output cap still apply;
// nothing bounds memory, file size or what the file system and network let
// the program reach beyond that fence, and a child is not killed when
// netbook is killed with SIGKILL (a normal exit, Ctrl-C, SIGHUP and SIGTERM
// still stop it). Temp directories are swept on Unix only.
package sandbox
