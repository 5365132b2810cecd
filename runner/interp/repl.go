package interp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	gotypes "go/types"
	"io"
	"os"
	"os/signal"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/netbook/netbook/runner/replproto"
	"github.com/traefik/yaegi/interp"
)

// Preamble is what the REPL imports before the first line, and the helper
// that collects every value a call returns, so that net.Dial's error is
// echoed along with its nil connection.
const Preamble = `import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"time"
)

func ` + valuesFunc + `(v ...interface{}) []interface{} { return v }`

const valuesFunc = "_netbookValues"

// ServeREPL is the interpreter's side of netbook repl: it reads Requests
// from standard input, evaluates them in one session and writes a Result
// for each to the file replproto.ResultsEnv names, until standard input ends.
// Interpreted code reads an empty standard input. SIGINT stops the running
// evaluation. It returns the exit status.
func ServeREPL() int {
	fd, err := strconv.ParseUint(os.Getenv(replproto.ResultsEnv), 10, 64)
	if err != nil {
		fmt.Fprintf(os.Stderr, "netbook-interp repl: %s does not name an open file; netbook repl starts this\n", replproto.ResultsEnv)
		return 2
	}
	results := os.NewFile(uintptr(fd), "results")
	requests := os.Stdin
	if null, err := os.Open(os.DevNull); err == nil {
		os.Stdin = null
	}
	return Serve(requests, results, os.Stdout, os.Stderr)
}

// Serve evaluates the Requests read from requests in one session, writes
// a Result for each to results, and prints values to out and errors to
// errOut. It returns the exit status when requests ends.
func Serve(requests io.Reader, results io.Writer, out, errOut io.Writer) int {
	s, err := newSession(out, errOut)
	if err != nil {
		fmt.Fprintln(errOut, err)
		return 1
	}
	defer s.close()
	dec := json.NewDecoder(requests)
	enc := json.NewEncoder(results)
	for {
		var r replproto.Request
		if err := dec.Decode(&r); err != nil {
			if err == io.EOF {
				return 0
			}
			fmt.Fprintln(errOut, "netbook-interp repl: a request it cannot read:", err)
			return 1
		}
		o, e := out, errOut
		if r.Quiet {
			o, e = io.Discard, io.Discard
		}
		if err := enc.Encode(replproto.Result{Status: s.eval(r, o, e)}); err != nil {
			return 1 // the parent is gone
		}
	}
}

// session is one REPL's interpreter, with what it has imported.
type session struct {
	i     *interp.Interpreter
	has   Available
	check *checker
	sig   chan os.Signal
	vars  map[string]bool // the variables that inputs declared at the prompt (see varRefusal)
	types *symImporter    // the imported packages' types, for the not-used check
}

func newSession(out, errOut io.Writer) (*session, error) {
	dir, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	ex, has, err := Symbols(dir)
	if err != nil {
		return nil, err
	}
	i := interp.New(interp.Options{Stdin: os.Stdin, Stdout: out, Stderr: errOut, Args: []string{"repl"}, Env: os.Environ()})
	if err := i.Use(ex); err != nil {
		return nil, err
	}
	if _, err := i.Eval(Preamble); err != nil {
		return nil, err
	}
	if err := i.Use(goGuardExports(errOut, true)); err != nil {
		return nil, err
	}
	if _, err := i.Eval(goGuardSrc); err != nil {
		return nil, err
	}
	s := &session{i: i, has: has, check: replChecker(has), sig: make(chan os.Signal, 1), vars: map[string]bool{}, types: newSymImporter(ex)}
	signal.Notify(s.sig, os.Interrupt)
	return s, nil
}

func (s *session) close() { signal.Stop(s.sig) }

// eval evaluates one input (r.Src, whose last line is r.Line), echoes its
// value to out or its error to errOut, and says how it ended. Piped
// (r.First > 0), an error starts with the line it is about.
func (s *session) eval(r replproto.Request, out, errOut io.Writer) replproto.Status {
	// An import the session has already is nothing to do (see
	// withoutKnownImports).
	r.Src = withoutKnownImports(r.Src, s.check.names)
	src := r.Src
	if strings.TrimSpace(src) == "" {
		return replproto.OK
	}
	if at, err := s.check.input(src); err != nil {
		fmt.Fprintf(errOut, "%s%v\n", replproto.LineLabel(r.First, src, at), err)
		return replproto.Failed
	}
	// What the interpreter would get wrong at the prompt (see topDefer).
	for _, refuse := range []func() (int, string){
		func() (int, string) { return deferRefusal(src) },
		func() (int, string) { return varRefusal(src, s.vars) },
	} {
		if at, msg := refuse(); msg != "" {
			fmt.Fprintf(errOut, "%s%s\n", replproto.LineLabel(r.First, src, at), msg)
			return replproto.Failed
		}
	}
	if at, err := unusedInput(src, s.types, s.check.names); err != nil {
		// As the compiler would (the interpreter would run it): each
		// error on a line of its own, each with the line it is about.
		label := replproto.LineLabel(r.First, src, at)
		fmt.Fprintf(errOut, "%s%s\n", label, strings.ReplaceAll(err.Error(), "\n", "\n"+label))
		return replproto.Failed
	}
	if name := s.undefinedName(src); name != "" {
		fmt.Fprintf(errOut, "%sundefined: %s\n", replproto.LineLabel(r.First, src, 0), name)
		return replproto.Failed
	}
	// What runs has its for loops rewritten to behave as in Go 1.22 (see
	// modernLoops), on the same lines, and its goroutines guarded (see
	// goGuard); what the student typed is what is checked, reported and
	// recorded. What the guard makes of a go statement may not compile
	// (see guardGoroutines): then nothing ran, and the input runs without
	// the guard (with its loops rewritten: as typed, a range over an
	// integer would crash the interpreter).
	modern, _ := s.modern(src)
	if run, guarded := s.guard(modern, func(at int) string { return replproto.LineLabel(r.First, src, at) }); guarded {
		if status, compiled := s.runInput(r, run, out, errOut, true); compiled {
			return status
		}
	}
	status, _ := s.runInput(r, modern, out, errOut, false)
	return status
}

// guard is guardGoroutines for an input at the prompt, with what go/types
// can tell of it after the session's imports, and what the session's
// variables hold.
func (s *session) guard(src string, label func(line int) string) (string, bool) {
	fset, f, base, ok := s.parse(src)
	if !ok || !hasGo(f) {
		return src, false
	}
	return guardFile(fset, f, src, base, 1, label, s.typesOf(fset, f))
}

// modern is modernLoops for an input at the prompt.
func (s *session) modern(src string) (string, bool) {
	fset, f, base, ok := s.parse(src)
	if !ok || !hasLoop(f) {
		return src, false
	}
	return modernLoops(fset, f, src, base, s.typesOf(fset, f))
}

// typesOf is what go/types can tell of f, an input at the prompt (see
// parse), after the session's imports, and what the session's variables
// hold.
func (s *session) typesOf(fset *token.FileSet, f *ast.File) goTypes {
	t := typesOf(fset, f, s.types)
	t.pkg = func(name string) bool { _, ok := s.check.names[name]; return ok }
	t.session = func(name string) (reflect.Value, bool) {
		v, err := s.run(name) // a name's value: nothing runs
		return v, err == nil && v.IsValid()
	}
	return t
}

// parse parses src, an input at the prompt, as a file after the
// session's imports, or else as a function's body, and returns the file
// and how many bytes come before src in it.
func (s *session) parse(src string) (*token.FileSet, *ast.File, int, bool) {
	// The session's imports on the package clause's line: either way,
	// src starts on the second line.
	head := "package main"
	names := make([]string, 0, len(s.check.names))
	for name := range s.check.names {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		head += "; import " + name + " " + strconv.Quote(s.check.names[name])
	}
	fset := token.NewFileSet()
	base := head + "\n"
	f, err := parser.ParseFile(fset, "", base+src, parser.SkipObjectResolution)
	if err != nil {
		base = head + "; func _() {\n"
		if f, err = parser.ParseFile(fset, "", base+src+"\n}", parser.SkipObjectResolution); err != nil {
			return nil, nil, 0, false
		}
	}
	return fset, f, len(base), true
}

// runInput runs run, r.Src as the REPL runs it, and reports how it ended
// as eval does. When tentative, an error that stops run from compiling is
// not reported: runInput says that run did not compile.
func (s *session) runInput(r replproto.Request, run string, out, errOut io.Writer, tentative bool) (replproto.Status, bool) {
	src := r.Src
	run, blocked := blockStatements(run)
	w, callee, wrapped := wrapLastCall(run)
	if wrapped {
		v, err := s.run(w)
		if err == nil {
			declaredVars(src, s.vars)
			if !wroteAsUsual(callee, v) {
				showValues(out, v)
			}
			return replproto.OK, true
		}
		var p interp.Panic
		if errors.As(err, &p) || errors.Is(err, context.Canceled) {
			// It ran and failed: running it again would repeat it.
			declaredVars(src, s.vars)
			return show(out, errOut, r, v, err, s.has), true
		}
		// It did not compile, so nothing ran: a call without results,
		// or an error that the source as written reports better.
	}
	v, err := s.run(run)
	if err != nil && (incomplete(err, r.Line) || unfinishedGo(err, src)) {
		return replproto.Incomplete, true
	}
	if wrapped && err == nil || blocked {
		v = reflect.Value{} // a call without results: nothing to echo
	}
	var p interp.Panic
	ran := err == nil || errors.As(err, &p) || errors.Is(err, context.Canceled)
	if !ran && tentative {
		return replproto.Failed, false
	}
	if ran {
		declaredVars(src, s.vars) // it ran, so what it declares is the session's
	}
	return show(out, errOut, r, v, err, s.has), true
}

// undefinedName returns the first name that a definition in src (x := y,
// var x = y) uses and nothing defines: not src, not the session, not Go.
// The interpreter (yaegi v0.16.1) reports such a name as "constant
// definition loop", and keeps it as a half-made variable that every later
// use trips over ("incomplete type y"), so the REPL asks first: it
// evaluates each name that src does not declare on its own, which has no
// effect, and the interpreter says which is undefined.
func (s *session) undefinedName(src string) string {
	f, err := parser.ParseFile(token.NewFileSet(), "", "package p; func _() {\n"+src+"\n}", 0)
	if err != nil {
		return ""
	}
	defines := false
	for _, st := range f.Decls[0].(*ast.FuncDecl).Body.List {
		switch st := st.(type) {
		case *ast.AssignStmt:
			defines = defines || st.Tok == token.DEFINE
		case *ast.DeclStmt:
			defines = true
		}
	}
	if !defines {
		return ""
	}
	seen := map[string]bool{}
	for _, id := range f.Unresolved {
		name := id.Name
		if seen[name] || name == "_" || gotypes.Universe.Lookup(name) != nil {
			continue
		}
		seen[name] = true
		if _, err := s.run(name); err != nil && strings.Contains(err.Error(), "undefined: "+name) {
			return name
		}
	}
	return ""
}

// run evaluates src, cancelling it on SIGINT.
func (s *session) run(src string) (reflect.Value, error) {
	select {
	case <-s.sig: // a Ctrl-C between evaluations is not meant for this one
	default:
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-s.sig:
			cancel()
		case <-ctx.Done():
		}
	}()
	return s.i.EvalWithContext(ctx, src)
}

// show prints an evaluation's value or error, and says how it ended. An
// interruption is the parent's to report: it knows whether Ctrl-C or the
// time limit stopped the evaluation.
func show(out, errOut io.Writer, r replproto.Request, v reflect.Value, err error, has Available) replproto.Status {
	src := r.Src
	if err != nil {
		var p interp.Panic
		switch {
		case errors.Is(err, context.Canceled):
			return replproto.Interrupted
		case errors.As(err, &p):
			fmt.Fprintf(errOut, "%s%s", replproto.LineLabel(r.First, src, 0), panicText(p.Value, true))
		default:
			if path, ok := missingImport(err); ok {
				if e := checkImport(path, has); e != nil {
					err = e
				}
			}
			var list scanner.ErrorList
			msg := err.Error()
			at := 0
			if errors.As(err, &list) && len(list) > 0 {
				msg = list[0].Msg
				at = list[0].Pos.Line
			}
			msg = strings.TrimPrefix(msg, "_.go:")
			if m := replPos.FindStringSubmatch(msg); m != nil && at == 0 {
				at, _ = strconv.Atoi(m[1])
			}
			fmt.Fprintf(errOut, "%s%s\n", replproto.LineLabel(r.First, src, at), replPos.ReplaceAllString(msg, ""))
		}
		return replproto.Failed
	}
	if v.IsValid() && isExpression(src) {
		fmt.Fprintln(out, format(v.Interface()))
	}
	return replproto.OK
}

// showValues prints the values a wrapped call returned, on one line.
func showValues(out io.Writer, v reflect.Value) {
	vals, ok := v.Interface().([]interface{})
	if !ok || len(vals) == 0 {
		return
	}
	parts := make([]string, len(vals))
	for i, x := range vals {
		parts[i] = format(x)
	}
	fmt.Fprintln(out, strings.Join(parts, " "))
}

// writers are the names of the functions and methods that follow
// io.Writer's convention: they return how many bytes they wrote and an
// error, and write everything when the error is nil (fmt.Println,
// fmt.Fprintf, conn.Write, w.WriteString, io.WriteString...).
var writers = map[string]bool{
	"Print": true, "Printf": true, "Println": true,
	"Fprint": true, "Fprintf": true, "Fprintln": true,
	"Write": true, "WriteString": true, "WriteRune": true,
}

// wroteAsUsual reports whether a call to callee that returned the values
// v should be silent. The rule: a call to one of the writers that returned
// exactly an int and a nil error wrote all it was given, so its results
// say nothing the student does not already see ("2 <nil>" after
// fmt.Println(x) only looks like output). A writer's non-nil error is
// echoed with its count, and every other call, strconv.Atoi's (int, error)
// included, is echoed as before.
func wroteAsUsual(callee string, v reflect.Value) bool {
	if !writers[callee] || !v.IsValid() {
		return false
	}
	vals, ok := v.Interface().([]interface{})
	if !ok || len(vals) != 2 {
		return false
	}
	_, isCount := vals[0].(int)
	return isCount && vals[1] == nil
}

// format shows a value as the REPL echoes it: strings quoted, the rest as
// fmt prints them.
func format(x any) string {
	switch x := x.(type) {
	case string:
		return fmt.Sprintf("%q", x)
	case []byte:
		return fmt.Sprintf("%q", x)
	}
	return fmt.Sprintf("%v", x)
}

// wrapLastCall rewrites src so that its last statement, when it is a call
// or a pointer's dereference, hands every result to the values helper:
// "a; f(x)" becomes "a; _netbookValues(f(x))", "*p" becomes
// "_netbookValues(*p)". A call without results then fails to compile,
// before anything runs, and the REPL evaluates src as it was. It also
// returns the name the call is made by, without its package or receiver
// ("Println" for fmt.Println), or "" for a call of anything else.
func wrapLastCall(src string) (string, string, bool) {
	const head = "package p; func _() {\n"
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", head+src+"\n}", 0)
	if err != nil {
		return "", "", false
	}
	body := f.Decls[0].(*ast.FuncDecl).Body.List
	if len(body) == 0 {
		return "", "", false
	}
	stmt, ok := body[len(body)-1].(*ast.ExprStmt)
	if !ok {
		return "", "", false
	}
	var callee string
	switch x := ast.Unparen(stmt.X).(type) {
	case *ast.CallExpr:
		switch fun := ast.Unparen(x.Fun).(type) {
		case *ast.Ident:
			callee = fun.Name
		case *ast.SelectorExpr:
			callee = fun.Sel.Name
		case *ast.FuncLit:
			if fun.Type.Results == nil {
				// The interpreter runs a func literal's call before it
				// finds that there is no result to hand on, and the
				// REPL would then run it again as written.
				return "", "", false
			}
		}
	case *ast.StarExpr:
		// The interpreter (yaegi v0.16.1) evaluates "*p" alone to no
		// value, and no panic, when p is nil: handed on as a value, it
		// is dereferenced, and a nil p panics as in Go.
	default:
		return "", "", false
	}
	start := fset.Position(stmt.Pos()).Offset - len(head)
	end := fset.Position(stmt.End()).Offset - len(head)
	if start < 0 || end > len(src) || start >= end {
		return "", "", false
	}
	return src[:start] + valuesFunc + "(" + src[start:end] + ")" + src[end:], callee, true
}

// isExpression reports whether the last statement of src is an expression,
// whose value the REPL echoes (a declaration or assignment is silent).
func isExpression(src string) bool {
	f, err := parser.ParseFile(token.NewFileSet(), "", "package p; func _() {\n"+src+"\n}", 0)
	if err != nil {
		return false
	}
	body := f.Decls[0].(*ast.FuncDecl).Body.List
	if len(body) == 0 {
		return false
	}
	_, ok := body[len(body)-1].(*ast.ExprStmt)
	return ok
}

// incomplete reports whether err only says the input stops early, so the
// REPL should read another line (the rule yaegi's own REPL uses).
func incomplete(err error, line string) bool {
	var list scanner.ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		return false
	}
	msg := list[0].Msg
	return strings.HasSuffix(msg, "found 'EOF'") || msg == "raw string literal not terminated" ||
		(strings.HasPrefix(msg, "expected operand, found '}'") && !strings.HasSuffix(line, "}"))
}

// unfinishedGo reports whether err is that of a go or defer statement
// whose func literal is still being typed ("go func() {" and its body so
// far): src, closed as the REPL closes it, parses with the literal ended
// there and not called, and still lacks a brace at its end.
func unfinishedGo(err error, src string) bool {
	var list scanner.ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		return false
	}
	if msg := list[0].Msg; msg != "expression in go must be function call" && msg != "expression in defer must be function call" {
		return false
	}
	_, err = parser.ParseFile(token.NewFileSet(), "", "package p; func _() {\n"+src+"\n}", parser.AllErrors|parser.SkipObjectResolution)
	if !errors.As(err, &list) {
		return false
	}
	for _, e := range list {
		if strings.HasSuffix(e.Msg, "found 'EOF'") {
			return true
		}
	}
	return false
}

// replChecker is a checker for a REPL session, which knows the preamble's
// imports.
func replChecker(has Available) *checker {
	c := newChecker(has)
	c.input(Preamble)
	return c
}

// input checks one REPL input (declarations, or statements) against the
// imports of the session so far, and reports what it refuses without the
// positions of the REPL's own wrapping, which mean nothing to the student,
// and the line of src it refuses (1 for the first).
func (c *checker) input(src string) (int, error) {
	fset := token.NewFileSet()
	// Either way, src starts on the second line.
	f, err := parser.ParseFile(fset, "", "package main\n"+src, parser.SkipObjectResolution)
	if err != nil {
		f, err = parser.ParseFile(fset, "", "package main; func _() {\n"+src+"\n}", parser.SkipObjectResolution)
		if err != nil {
			return 0, nil // the interpreter reports the syntax error, or asks for more
		}
	}
	if err := c.file(fset, f); err != nil {
		at := 0
		if m := replPos.FindStringSubmatch(err.Error()); m != nil {
			at, _ = strconv.Atoi(m[1])
			at--
		}
		return at, errors.New(replPos.ReplaceAllString(err.Error(), ""))
	}
	return 0, nil
}

// replPos is a position at the start of an error, "3:9: ", its line kept.
var replPos = regexp.MustCompile(`^(\d+):\d+: `)
