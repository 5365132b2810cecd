package interp

import (
	"fmt"
	"io"
	"log"
	"os"
	"path"
	"reflect"
	"strings"

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
	for key, over := range map[string]map[string]reflect.Value{
		"os/os":                  j.osSymbols(),
		"io/ioutil/ioutil":       j.ioutilSymbols(),
		"path/filepath/filepath": j.filepathSymbols(),
		"net/http/http":          j.httpSymbols(),
		"net/net":                netSymbols(),
	} {
		m, ok := ex[key]
		if !ok {
			return nil, nil, fmt.Errorf("yaegi's standard library has no %s", key)
		}
		if key == "os/os" {
			// yaegi turns os.Exit into a panic to protect its host; the
			// host here is a child process that exists to run this program.
			m["Exit"] = reflect.ValueOf(os.Exit)
		}
		for name, v := range over {
			m[name] = v
		}
	}
	return ex, func(p string) bool { return paths[p] }, nil
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
