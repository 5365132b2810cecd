// Package interp runs Go snippets, and evaluates the inputs of netbook repl
// ([ServeREPL]; netbook itself reads the lines, keeps the time limit and
// restarts an interpreter that will not stop, see runner/interpbin), with
// the yaegi interpreter, inside the process of cmd/netbook-interp. Nothing else imports it: yaegi's
// symbol tables take about a minute to compile, and the netbook command must
// stay quick to build, so the interpreter lives in a binary of its own that
// netbook builds on first use (see runner/interpbin) and starts as a child
// process. A panic in an interpreted goroutine, a runaway recursion or a
// goroutine stuck in Accept then takes down only that child, and the parent
// kills the child's whole process group at the time limit.
//
// # What the interpreter offers
//
// Go 1.22's standard library as yaegi v0.16.1 knows it, minus what a
// snippet has no business doing (see [Denied], [DeniedSymbols] and
// [DeniedMethods]). An import or a name outside that set fails before
// anything runs, with a message that names it and says why.
//
// yaegi runs what the Go compiler refuses as declared and not used (a
// variable, an import, a label): [Unused] type-checks a program with
// go/types first and reports those in the compiler's words, so that an
// edited snippet does not run here and fail with go build; the REPL checks
// the functions an input declares (a line's own x := 1 is the session's).
// A run and the REPL give go/types the imported packages as the
// interpreter's own symbol tables describe them (symImporter), so that a
// range's unused variable over an imported function's result is caught
// too.
// A panic reads as the Go runtime's ("panic: runtime error: index out of
// range", not the reflect package's words, then the goroutine's header,
// with no stack, which yaegi does not keep). So does a panic in a
// goroutine, in a run and in the REPL: each go statement is guarded
// (guardGoroutines), and the panic ends the interpreter as it ends a Go
// program, with the go statement's line. For loops run as in Go 1.22,
// which yaegi does not (modernLoops): a range over an integer, and a
// variable of its own for each iteration where a func literal, a go
// statement or an & could keep it. The REPL refuses, with what to
// write instead, what yaegi gets wrong at the prompt: a defer outside any
// function, and a var whose value names a variable of an earlier line
// (see topDefer). Piped into the REPL, an error starts with the line of
// the input it is about ("line 7: ").
//
// # Two fences
//
// This package is the language-level fence: it decides which symbols
// interpreted code can name, and checks the arguments of those that reach
// the network, the file system or other processes. It gives a student a
// clear message before anything runs, or an error at the call that says
// what to do instead ("listen on 127.0.0.1:8080, not :8080: a snippet may
// listen on loopback only"). It is not a security boundary: the standard
// library has too many doors to list them all with certainty, and
// reflection reaches methods by index. Behind it, on Linux, is the fence
// the operating system keeps, runner/sandbox: a user and network namespace
// with only loopback up, Landlock rules that allow the run's temp dir and
// what the interpreter itself needs, resource limits (memory, CPU time,
// file size, open files, threads) and a child that dies with its parent
// (Pdeathsig). On every system the parent adds its own limits: the process
// group it kills, the time limit and the output cap (runner/snippets).
//
// # What the language-level fence covers
//
//   - Processes: os/exec, syscall, unsafe, plugin, runtime/cgo and the
//     packages that start programs or read executables (net/http/cgi,
//     go/build, go/importer, debug/*) are absent, so interpreted code
//     cannot start a process or make a raw system call. os.StartProcess,
//     os.FindProcess and the os.Process type are gone, so no process handle
//     can be had, found or made by hand (&os.Process{Pid: n}), and no other
//     process can be signalled.
//   - Listening: every listener needs a loopback host (127.0.0.1:0, not :0,
//     0.0.0.0 or ::, which are every interface): net.Listen, ListenPacket,
//     ListenTCP, ListenUDP, net.ListenConfig, tls.Listen,
//     http.ListenAndServe, ListenAndServeTLS and http.Server (a replacement
//     type with the same fields), and httptest's servers when the
//     httptest.serve flag is set. net.FileListener, FileConn and
//     FilePacketConn, Unix sockets, raw IP and multicast are gone.
//   - Dialing: every dial reaches loopback only, over TCP or UDP: net.Dial,
//     DialTimeout, DialTCP, DialUDP and net.Dialer, tls.Dial,
//     DialWithDialer and tls.Dialer, smtp.Dial and SendMail, rpc.Dial,
//     DialHTTP and DialHTTPPath, jsonrpc.Dial, textproto.Dial, and HTTP
//     through http.DefaultTransport and any http.Transport built by hand (a
//     replacement type whose zero value dials through the checked dialer).
//   - Name lookups: net.Resolver (a replacement type), net.DefaultResolver,
//     net.LookupHost, LookupIP, LookupAddr, LookupCNAME and the
//     ResolveTCPAddr family answer localhost and IP addresses only; MX, NS,
//     SRV and TXT lookups are refused, since only a DNS server answers them.
//   - Files: every function that opens, lists, changes or reads a file by
//     name takes only names inside the run's directory, a fresh temp dir
//     that is also TMPDIR and that the parent deletes afterwards: os
//     (Open, Create, OpenFile, ReadFile, WriteFile, ReadDir, Stat, Lstat,
//     Readlink, Remove, RemoveAll, Rename, Mkdir, MkdirAll, MkdirTemp,
//     CreateTemp, Chmod, Chtimes, Truncate, DirFS), io/ioutil,
//     path/filepath (Walk, WalkDir, Glob, EvalSymlinks), http.ServeFile,
//     text/template and html/template (ParseFiles, ParseGlob; the methods
//     of those names are refused before the program runs), archive/zip's
//     OpenReader, crypto/tls's LoadX509KeyPair and the certificate files of
//     the TLS servers, and go/parser when it reads a file. os.Chdir,
//     os.Symlink, os.Link, os.Chown, os.NewFile, http.Dir, os/user and
//     testing are gone, and the environment variables that move where the
//     standard library opens files by itself (TMPDIR, TMP, TEMP, ZONEINFO)
//     cannot be changed.
//
// A test (TestEveryDoorIsFencedOrReviewed) reads the standard library's
// source and lists every function, method and type that takes a file name,
// an address, a network or a pid; each must be removed, replaced, refused,
// or reviewed with a written reason, so a door a new Go release adds fails
// a test instead of slipping through. Another
// (TestReplacedTypesAreNotReachable) follows every field, parameter and
// result of what interpreted code can name, and fails where it leads to the
// standard library's own version of a type the fence replaces (a
// net.Dialer's Resolver once did).
//
// # What it does not cover
//
// Reads of system files that the standard library does by itself still
// happen (time zones, /etc/hosts, /etc/services, the system's certificates,
// /etc/mime.types). os.File methods work on any file the code could open,
// and an fs.FS the program writes itself opens files through os, which is
// checked. reflect.Value.Method and reflect.Type.Method call methods by
// index, around the refusal of ParseFiles and ParseGlob by name. Two paths
// lead to the standard library's own http.Server, whose ListenAndServe is
// not checked: an httptest.Server's Config, and the server a TLSNextProto
// function is handed (TestReplacedTypesAreNotReachable lists them). Memory,
// CPU, threads, disk space and the number of goroutines are not bounded by
// this package at all. The process keeps the user's privileges.
//
// On Linux, runner/sandbox contains all of these: whatever library the code
// calls, it has no interface but loopback, Landlock keeps its file access
// to its temp dir and what the interpreter needs, and rlimits bound memory,
// CPU time, file size, open files and threads. Where the kernel refuses a
// layer (no unprivileged user namespaces, a kernel without Landlock),
// netbook says so once and that layer is the language-level fence alone.
//
// On macOS and Windows (and the BSDs) there is no OS layer: the
// language-level fence, the parent's time limit and output cap, and on
// macOS the process group the parent kills (on Windows the parent kills the
// child process alone: there is no job object, so what a child started
// could outlive it, though interpreted code cannot start anything) are all.
// Not contained there: a door this package missed, the reflection above,
// memory (a huge make can take the machine's memory until the time limit),
// goroutines and threads, the size of files written inside the temp dir,
// reads of any file the user can read through such a door, and a child
// left running when netbook itself is killed with SIGKILL.
package interp
