package interp

import (
	"fmt"
	htmltemplate "html/template"
	"io"
	"log"
	"os"
	"path"
	"reflect"
	"strings"
	texttemplate "text/template"

	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

// selfKey is yaegi's own entry in its symbol table: it hands out the
// unfiltered table, so interpreted code must never see it.
const selfKey = "github.com/traefik/yaegi/stdlib/stdlib"

// Symbols is the standard library that interpreted code gets when it runs
// in dir: yaegi's table minus [Denied] and [DeniedSymbols], with file names
// confined to dir and sockets to loopback. The Available it returns tells
// which import paths exist.
func Symbols(dir string) (interp.Exports, Available, error) {
	j, err := newJail(dir)
	if err != nil {
		return nil, nil, err
	}
	theJail.Store(&j)
	guardDefaultTransport()
	ex := interp.Exports{}
	paths := map[string]bool{}
	for key, syms := range stdlib.Symbols {
		p := path.Dir(key)
		if key == selfKey || Denied[p] != "" {
			continue
		}
		m := make(map[string]reflect.Value, len(syms))
		for name, v := range syms {
			if _, denied := DeniedSymbols[p+"."+name]; !denied {
				m[name] = v
			}
		}
		ex[key] = m
		paths[p] = true
	}
	for key, over := range overrides(j) {
		m, ok := ex[key]
		if !ok {
			return nil, nil, fmt.Errorf("yaegi's standard library has no %s", key)
		}
		for name, v := range over {
			if _, ok := m[name]; !ok {
				return nil, nil, fmt.Errorf("yaegi's %s has no %s to replace", key, name)
			}
			m[name] = v
		}
	}
	return ex, func(p string) bool { return paths[p] }, nil
}

// overrides is every symbol the interpreter replaces with a checked one,
// by yaegi's package key.
func overrides(j jail) map[string]map[string]reflect.Value {
	osSyms := j.osSymbols()
	for name, v := range envSymbols() {
		osSyms[name] = v
	}
	// yaegi turns os.Exit into a panic to protect its host; the host here
	// is a child process that exists to run this program.
	osSyms["Exit"] = reflect.ValueOf(os.Exit)
	netSyms := netSymbols()
	for name, v := range resolverSymbols() {
		netSyms[name] = v
	}
	httpSyms := httpSymbols()
	for name, v := range j.httpSymbols() {
		httpSyms[name] = v
	}
	return map[string]map[string]reflect.Value{
		"os/os":                      osSyms,
		"io/ioutil/ioutil":           j.ioutilSymbols(),
		"path/filepath/filepath":     j.filepathSymbols(),
		"net/net":                    netSyms,
		"net/http/http":              httpSyms,
		"net/http/httptest/httptest": httptestSymbols(),
		"crypto/tls/tls":             tlsSymbols(),
		"net/smtp/smtp":              smtpSymbols(),
		"net/rpc/rpc":                rpcSymbols(),
		"net/rpc/jsonrpc/jsonrpc":    jsonrpcSymbols(),
		"net/textproto/textproto":    textprotoSymbols(),
		"archive/zip/zip":            j.zipSymbols(),
		"go/parser/parser":           j.parserSymbols(),
		"text/template/template":     j.templateSymbols(texttemplate.ParseFiles, texttemplate.ParseGlob),
		"html/template/template":     j.templateSymbols(htmltemplate.ParseFiles, htmltemplate.ParseGlob),
	}
}

// exitingLog makes log.Fatal print and exit with status 1, as it does in a
// compiled program (yaegi turns it into a panic, which suits a REPL but not
// a program whose output is compared with the toolchain's).
func exitingLog(stderr io.Writer) interp.Exports {
	l := log.New(stderr, "", log.LstdFlags)
	fatal := func(s string) {
		l.Output(3, s)
		os.Exit(1)
	}
	return interp.Exports{"log/log": {
		"Fatal":   reflect.ValueOf(func(v ...any) { fatal(fmt.Sprint(v...)) }),
		"Fatalf":  reflect.ValueOf(func(f string, v ...any) { fatal(fmt.Sprintf(f, v...)) }),
		"Fatalln": reflect.ValueOf(func(v ...any) { fatal(fmt.Sprintln(v...)) }),
	}}
}

// missingImport is how yaegi words an import it has no symbols for.
func missingImport(err error) (string, bool) {
	const marker = `unable to find source related to: "`
	msg := err.Error()
	i := strings.Index(msg, marker)
	if i < 0 {
		return "", false
	}
	rest := msg[i+len(marker):]
	j := strings.IndexByte(rest, '"')
	if j < 0 {
		return "", false
	}
	return rest[:j], true
}
