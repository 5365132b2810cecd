package interp

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"io"
	"os"
	"os/signal"
	"reflect"
	"regexp"
	"strings"

	"github.com/traefik/yaegi/interp"
	"golang.org/x/term"
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

var ` + valuesFunc + ` = func(v ...interface{}) []interface{} { return v }`

const valuesFunc = "_netbookValues"

// Examples are the banner's three lines: a listener, a goroutine that
// answers one connection, and a client that dials it and reads the answer.
var Examples = []string{
	`ln, _ := net.Listen("tcp", "127.0.0.1:0")`,
	`go func() { c, _ := ln.Accept(); fmt.Fprintln(c, "hello"); c.Close() }()`,
	`c, _ := net.Dial("tcp", ln.Addr().String()); bufio.NewReader(c).ReadString('\n')`,
}

// Banner is printed when the REPL starts on a terminal.
func Banner() string {
	var b strings.Builder
	b.WriteString("netbook repl: Go, interpreted (yaegi, Go 1.22's library). Imported: bufio, encoding/json, fmt, net, time.\n")
	b.WriteString("Try these three lines:\n")
	for _, e := range Examples {
		b.WriteString("  " + e + "\n")
	}
	b.WriteString("Ctrl-C stops what is running, Ctrl-D (or exit()) leaves. Up and down recall earlier lines.\n")
	return b.String()
}

// errInterrupted is a line reader's report of Ctrl-C at the prompt.
var errInterrupted = errors.New("interrupted")

// lineReader reads one line of input; cont says the line continues an
// unfinished statement.
type lineReader interface {
	ReadLine(cont bool) (string, error)
	Cook() // leave the terminal as the program found it, until the next ReadLine
}

// REPL reads Go from in, a line at a time, evaluates it and echoes the
// value of each expression. On a terminal it shows a banner and a prompt
// and edits lines with history; from a pipe it reads silently. Ctrl-C stops
// the running evaluation (a goroutine blocked in Accept stays blocked, but
// the prompt comes back); Ctrl-D ends the session. It returns the exit
// status.
func REPL(in *os.File, out, errOut io.Writer) int {
	dir, err := os.Getwd()
	if err != nil {
		fmt.Fprintln(errOut, err)
		return 1
	}
	ex, has, err := Symbols(dir)
	if err != nil {
		fmt.Fprintln(errOut, err)
		return 1
	}
	i := interp.New(interp.Options{Stdin: in, Stdout: out, Stderr: errOut, Args: []string{"repl"}, Env: os.Environ()})
	if err := i.Use(ex); err != nil {
		fmt.Fprintln(errOut, err)
		return 1
	}
	if _, err := i.Eval(Preamble); err != nil {
		fmt.Fprintln(errOut, err)
		return 1
	}
	check := replChecker(has)
	var lines lineReader
	if term.IsTerminal(int(in.Fd())) {
		fmt.Fprint(out, Banner())
		lines = newTTYReader(in, out)
	} else {
		lines = newPipeReader(in)
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	defer signal.Stop(sig)

	defer lines.Cook()
	src := ""
	for {
		line, err := lines.ReadLine(src != "")
		switch {
		case errors.Is(err, errInterrupted):
			src = ""
			continue
		case err != nil:
			if src != "" {
				fmt.Fprintln(errOut, "unfinished input at the end:", strings.TrimSpace(src))
			}
			return 0
		}
		if src == "" && (strings.TrimSpace(line) == "exit()" || strings.TrimSpace(line) == "quit()") {
			return 0
		}
		src += line + "\n"
		if strings.TrimSpace(src) == "" {
			src = ""
			continue
		}
		if err := check.input(src); err != nil {
			fmt.Fprintln(errOut, err)
			src = ""
			continue
		}
		lines.Cook()
		w, wrapped := wrapLastCall(src)
		if wrapped {
			v, err := eval(i, w, sig)
			if err == nil {
				showValues(out, v)
				src = ""
				continue
			}
			var p interp.Panic
			if errors.As(err, &p) || errors.Is(err, context.Canceled) {
				// It ran and failed: running it again would repeat it.
				show(out, errOut, src, v, err, has)
				src = ""
				continue
			}
			// It did not compile, so nothing ran: a call without results,
			// or an error that the source as written reports better.
		}
		v, err := eval(i, src, sig)
		if err != nil && incomplete(err, line) {
			continue
		}
		if wrapped && err == nil {
			v = reflect.Value{} // a call without results: nothing to echo
		}
		show(out, errOut, src, v, err, has)
		src = ""
	}
}

// eval evaluates src, cancelling it on a signal.
func eval(i *interp.Interpreter, src string, sig chan os.Signal) (reflect.Value, error) {
	select {
	case <-sig: // a Ctrl-C at the prompt is not meant for this evaluation
	default:
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-sig:
			cancel()
		case <-ctx.Done():
		}
	}()
	return i.EvalWithContext(ctx, src)
}

// show prints an evaluation's value or error.
func show(out, errOut io.Writer, src string, v reflect.Value, err error, has Available) {
	if err != nil {
		var p interp.Panic
		switch {
		case errors.Is(err, context.Canceled):
			fmt.Fprintln(errOut, "interrupted (a goroutine it started may still be running)")
		case errors.As(err, &p):
			fmt.Fprintf(errOut, "panic: %v\n", panicValue(p.Value))
		default:
			if path, ok := missingImport(err); ok {
				if e := checkImport(path, has); e != nil {
					err = e
				}
			}
			var list scanner.ErrorList
			msg := err.Error()
			if errors.As(err, &list) && len(list) > 0 {
				msg = list[0].Msg
			}
			fmt.Fprintln(errOut, replPos.ReplaceAllString(strings.TrimPrefix(msg, "_.go:"), ""))
		}
		return
	}
	if !v.IsValid() || !isExpression(src) {
		return
	}
	fmt.Fprintln(out, format(v.Interface()))
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

// wrapLastCall rewrites src so that its last statement, when it is a call,
// hands every result to the values helper: "a; f(x)" becomes
// "a; _netbookValues(f(x))". A call without results then fails to compile,
// before anything runs, and the REPL evaluates src as it was.
func wrapLastCall(src string) (string, bool) {
	const head = "package p; func _() {\n"
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", head+src+"\n}", 0)
	if err != nil {
		return "", false
	}
	body := f.Decls[0].(*ast.FuncDecl).Body.List
	if len(body) == 0 {
		return "", false
	}
	stmt, ok := body[len(body)-1].(*ast.ExprStmt)
	if !ok {
		return "", false
	}
	if _, ok := stmt.X.(*ast.CallExpr); !ok {
		return "", false
	}
	start := fset.Position(stmt.Pos()).Offset - len(head)
	end := fset.Position(stmt.End()).Offset - len(head)
	if start < 0 || end > len(src) || start >= end {
		return "", false
	}
	return src[:start] + valuesFunc + "(" + src[start:end] + ")" + src[end:], true
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

// replChecker is a checker for a REPL session, which knows the preamble's
// imports.
func replChecker(has Available) *checker {
	c := newChecker(has)
	c.input(Preamble)
	return c
}

// input checks one REPL input (declarations, or statements) against the
// imports of the session so far, and reports what it refuses without the
// positions of the REPL's own wrapping, which mean nothing to the student.
func (c *checker) input(src string) error {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", "package main\n"+src, parser.SkipObjectResolution)
	if err != nil {
		f, err = parser.ParseFile(fset, "", "package main; func _() {\n"+src+"\n}", parser.SkipObjectResolution)
		if err != nil {
			return nil // the interpreter reports the syntax error, or asks for more
		}
	}
	if err := c.file(fset, f); err != nil {
		return errors.New(replPos.ReplaceAllString(err.Error(), ""))
	}
	return nil
}

var replPos = regexp.MustCompile(`^\d+:\d+: `)

type pipeReader struct{ sc *bufio.Scanner }

func newPipeReader(in io.Reader) *pipeReader {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	return &pipeReader{sc: sc}
}

func (r *pipeReader) Cook() {}

func (r *pipeReader) ReadLine(bool) (string, error) {
	if r.sc.Scan() {
		return r.sc.Text(), nil
	}
	if err := r.sc.Err(); err != nil {
		return "", err
	}
	return "", io.EOF
}
