package interp

import (
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/traefik/yaegi/stdlib"
)

// A door is an exported function, method or type of the standard library
// that interpreted code can reach and that takes a file name, an address,
// a network or a process: "net.Dial", "net/http.Server.ListenAndServe".
// The fence test finds them all by reading the standard library's source.
var (
	riskyParam = regexp.MustCompile(`(?i)^(name|names|file|files|filename|filenames|path|paths|dir|root|pattern|glob|addr|address|laddr|raddr|network|host|hostname|pid|fd|certfile|keyfile)$`)
	riskyType  = regexp.MustCompile(`^\*?(Addr|TCPAddr|UDPAddr|IPAddr|UnixAddr|netip\.AddrPort|net\.Addr|\*?net\.(TCP|UDP|IP|Unix)Addr|Process|os\.Process)$`)
	riskyField = regexp.MustCompile(`^(Addr|Dial|DialContext|DialTLS|DialTLSContext|NetDialer|Pid)$`)
	riskyName  = regexp.MustCompile(`^(Dial|Listen|Lookup|Open|Resolve|ServeFile|Parse(Files|Glob|Dir))`)
)

// doors reads the source of each package yaegi offers and returns every
// door, with the yaegi key of its package and its name in that table (the
// type's name, for a method).
func doors(t *testing.T) map[string][2]string {
	t.Helper()
	found := map[string][2]string{}
	for key, syms := range stdlib.Symbols {
		p := path.Dir(key)
		if key == selfKey || Denied[p] != "" || p == "." { // "." is yaegi's own, not a package
			continue
		}
		bp, err := build.Default.Import(p, "", 0)
		require.NoError(t, err, p)
		fset := token.NewFileSet()
		risky := map[string]bool{} // types with a field that dials, listens or names a process
		var funcs []*ast.FuncDecl
		for _, name := range bp.GoFiles {
			f, err := parser.ParseFile(fset, filepath.Join(bp.Dir, name), nil, parser.SkipObjectResolution)
			require.NoError(t, err)
			for _, d := range f.Decls {
				switch d := d.(type) {
				case *ast.FuncDecl:
					funcs = append(funcs, d)
				case *ast.GenDecl:
					for _, s := range d.Specs {
						ts, ok := s.(*ast.TypeSpec)
						if !ok || !ts.Name.IsExported() {
							continue
						}
						st, ok := ts.Type.(*ast.StructType)
						if !ok {
							continue
						}
						for _, fl := range st.Fields.List {
							for _, n := range fl.Names {
								if riskyField.MatchString(n.Name) {
									risky[ts.Name.Name] = true
								}
							}
						}
					}
				}
			}
		}
		for tn := range risky {
			if _, ok := syms[tn]; ok {
				found[p+"."+tn] = [2]string{key, tn}
			}
		}
		for _, fd := range funcs {
			if !fd.Name.IsExported() {
				continue
			}
			name, entry := fd.Name.Name, fd.Name.Name
			if fd.Recv != nil {
				tn := recvName(fd.Recv.List[0].Type)
				if !ast.IsExported(tn) {
					continue
				}
				name, entry = tn+"."+fd.Name.Name, tn
			}
			if _, ok := syms[entry]; !ok {
				continue // newer than yaegi's Go 1.22, or not exported by it
			}
			if riskyName.MatchString(fd.Name.Name) || riskyParams(fd.Type) {
				found[p+"."+name] = [2]string{key, entry}
			}
		}
	}
	return found
}

func recvName(x ast.Expr) string {
	switch x := x.(type) {
	case *ast.StarExpr:
		return recvName(x.X)
	case *ast.IndexExpr:
		return recvName(x.X)
	case *ast.IndexListExpr:
		return recvName(x.X)
	case *ast.Ident:
		return x.Name
	}
	return ""
}

func riskyParams(ft *ast.FuncType) bool {
	for _, fl := range ft.Params.List {
		if riskyType.MatchString(types(fl.Type)) {
			return true
		}
		for _, n := range fl.Names {
			if riskyParam.MatchString(n.Name) {
				return true
			}
		}
	}
	return false
}

func types(x ast.Expr) string {
	switch x := x.(type) {
	case *ast.StarExpr:
		return "*" + types(x.X)
	case *ast.SelectorExpr:
		return types(x.X) + "." + x.Sel.Name
	case *ast.Ident:
		return x.Name
	case *ast.Ellipsis:
		return types(x.Elt)
	}
	return ""
}

// TestEveryDoorIsFencedOrReviewed walks the standard library the
// interpreter offers and finds every function, method and type that takes
// a file name, an address, a network or a pid (by its parameters' names
// and types), or whose fields dial, listen or name a process. Each must be
// removed, replaced by a checked one, refused by CheckSource, or listed in
// reviewed with the reason it is safe. A door that a new Go or yaegi adds
// fails here until someone looks at it.
func TestEveryDoorIsFencedOrReviewed(t *testing.T) {
	ex, _, err := Symbols(t.TempDir())
	require.NoError(t, err)
	var open, stale []string
	found := doors(t)
	for name, at := range found {
		key, entry := at[0], at[1]
		got, kept := ex[key][entry]
		orig := stdlib.Symbols[key][entry]
		method := strings.TrimPrefix(name, path.Dir(key)+"."+entry+".")
		switch {
		case !kept: // removed
		case !sameSymbol(got, orig): // replaced: a checked function, or a type whose methods check
		case method != name && DeniedMethods[method] != "":
		case reviewedWhy(name) != "":
			continue
		default:
			open = append(open, name)
			continue
		}
		if reviewedWhy(name) != "" {
			stale = append(stale, name+" (now fenced: drop it from reviewed)")
		}
	}
	for name := range reviewed {
		if !usedEntry(name, found) {
			stale = append(stale, name+" (no open door matches it)")
		}
	}
	sort.Strings(open)
	sort.Strings(stale)
	require.Empty(t, open, "doors the fence neither closes nor has reviewed: remove or wrap each (symbols.go, net.go, fs.go, netpkgs.go), or add it to reviewed with the reason it is safe")
	require.Empty(t, stale, "entries of reviewed that are not open doors")
}

// reviewedWhy is the reason door name is left open, or "".
func reviewedWhy(name string) string {
	if why := reviewed[name]; why != "" {
		return why
	}
	for p := name; strings.Contains(p, "."); {
		p = p[:strings.LastIndex(p, ".")]
		if why := reviewed[p+".*"]; why != "" {
			return why
		}
	}
	return ""
}

// usedEntry reports whether the reviewed entry matches a door that would
// otherwise be open.
func usedEntry(entry string, found map[string][2]string) bool {
	for name := range found {
		if entry == name || strings.HasSuffix(entry, ".*") && strings.HasPrefix(name, strings.TrimSuffix(entry, "*")) {
			return true
		}
	}
	return false
}

func sameSymbol(a, b reflect.Value) bool {
	if a.Kind() != b.Kind() || a.Type() != b.Type() {
		return false
	}
	if a.Kind() == reflect.Func || a.Kind() == reflect.Pointer {
		return a.Pointer() == b.Pointer()
	}
	return a.CanAddr() && b.CanAddr() && a.Addr().Pointer() == b.Addr().Pointer()
}

// reviewed is every door left open on purpose, with the reason. "pkg.*"
// covers a whole package.
var reviewed = map[string]string{
	"flag.*":                "names of flags, in the program's own flag set",
	"go/ast.*":              "names of identifiers and objects in memory",
	"go/doc.*":              "NewFromFiles documents *ast.Files already parsed (go/parser's file names are checked)",
	"go/doc/comment.*":      "names of packages in doc links, in memory",
	"go/scanner.*":          "Init scans a []byte; the file name only labels positions",
	"go/token.*":            "file names only label positions; nothing is opened",
	"go/types.*":            "type-checks *ast.Files already parsed; go/importer is denied, so imports fail",
	"sync/atomic.*":         "addr is a pointer to the program's own variable",
	"path.*":                "slash-separated path strings; nothing is opened",
	"expvar.*":              "names of the program's exported variables (served on its own mux)",
	"database/sql.*":        "no driver is built in; a driver the program writes reaches only what its own code can",
	"encoding/gob.*":        "names of registered types",
	"image.*":               "names of image formats",
	"index/suffixarray.*":   "searches an index in memory",
	"log/slog.*":            "names of attribute groups; Value.Resolve calls the program's own LogValuer",
	"regexp.*":              "pattern is a regular expression",
	"reflect.*":             "names of fields and methods; reflect.Value.Method and Type.Method can still call a method CheckSource refuses by name (ParseFiles): the OS layer holds there",
	"net/netip.*":           "addresses as values; nothing is opened",
	"net/url.*":             "URLs as values",
	"net/mail.*":            "parses addresses as text",
	"text/template/parse.*": "parses template text in memory",
	"testing/fstest.*":      "MapFS is a file system in memory",
	"runtime/pprof.*":       "names of profiles",
	"io/fs.*":               "works on an fs.FS value: os.DirFS is checked, and one the program writes opens files through os, which is checked",

	"path/filepath.Abs":        "joins the working directory, which the program cannot change; opens nothing",
	"path/filepath.Base":       "string manipulation",
	"path/filepath.Clean":      "string manipulation",
	"path/filepath.Dir":        "string manipulation",
	"path/filepath.Ext":        "string manipulation",
	"path/filepath.FromSlash":  "string manipulation",
	"path/filepath.IsAbs":      "string manipulation",
	"path/filepath.IsLocal":    "string manipulation",
	"path/filepath.Match":      "matches a pattern against a string; Glob, which lists directories, is checked",
	"path/filepath.Split":      "string manipulation",
	"path/filepath.SplitList":  "string manipulation",
	"path/filepath.ToSlash":    "string manipulation",
	"path/filepath.VolumeName": "string manipulation",

	"archive/zip.File.Open":                  "reads an entry of an archive already open",
	"archive/zip.File.OpenRaw":               "reads an entry of an archive already open",
	"archive/zip.Reader.Open":                "opens an entry of an archive already open",
	"archive/zip.Writer.Create":              "names an entry of the archive being written",
	"crypto/tls.Conn.VerifyHostname":         "compares a name with the peer's certificate",
	"html/template.New":                      "names a template",
	"html/template.Template.AddParseTree":    "names a template",
	"html/template.Template.ExecuteTemplate": "names a template",
	"html/template.Template.Lookup":          "names a template",
	"html/template.Template.New":             "names a template",
	"text/template.New":                      "names a template",
	"text/template.Template.AddParseTree":    "names a template",
	"text/template.Template.ExecuteTemplate": "names a template",
	"text/template.Template.Lookup":          "names a template",
	"text/template.Template.New":             "names a template",
	"mime/multipart.FileHeader.Open":         "opens the temp file ReadForm wrote in TMPDIR, the snippet's directory, which os.Setenv cannot move",
	"mime/multipart.Writer.CreateFormFile":   "names a part of the form being written",

	"net.AddrError":                   "an error value",
	"net.OpError":                     "an error value",
	"net.InterfaceByName":             "reads the machine's interfaces; opens nothing",
	"net.JoinHostPort":                "string manipulation",
	"net.LookupPort":                  "reads the system's services file; asks no server",
	"net.ResolveUnixAddr":             "makes a value; Unix sockets cannot be opened",
	"net.TCPAddrFromAddrPort":         "makes a value",
	"net.UDPAddrFromAddrPort":         "makes a value",
	"net.IPConn.WriteMsgIP":           "no IPConn can be had: ListenIP, DialIP and the ip networks are refused",
	"net.IPConn.WriteTo":              "no IPConn can be had: ListenIP, DialIP and the ip networks are refused",
	"net.IPConn.WriteToIP":            "no IPConn can be had: ListenIP, DialIP and the ip networks are refused",
	"net.UnixConn.WriteMsgUnix":       "no UnixConn can be had: the unix networks are refused",
	"net.UnixConn.WriteTo":            "no UnixConn can be had: the unix networks are refused",
	"net.UnixConn.WriteToUnix":        "no UnixConn can be had: the unix networks are refused",
	"net.UDPConn.WriteMsgUDP":         udpBound,
	"net.UDPConn.WriteMsgUDPAddrPort": udpBound,
	"net.UDPConn.WriteTo":             udpBound,
	"net.UDPConn.WriteToUDP":          udpBound,
	"net.UDPConn.WriteToUDPAddrPort":  udpBound,

	"net/http.FileServer":           "serves an http.FileSystem: http.Dir is gone, http.FS(os.DirFS) is checked",
	"net/http.FileServerFS":         "serves an fs.FS: os.DirFS is checked",
	"net/http.ServeFileFS":          "serves from an fs.FS: os.DirFS is checked",
	"net/http.ServeContent":         "serves an io.ReadSeeker the program opened; name only sets the content type",
	"net/http.Handle":               "a pattern of the program's own mux",
	"net/http.HandleFunc":           "a pattern of the program's own mux",
	"net/http.ServeMux.Handle":      "a pattern of the program's own mux",
	"net/http.ServeMux.HandleFunc":  "a pattern of the program's own mux",
	"net/http.Request.Cookie":       "names a cookie",
	"net/http.Request.CookiesNamed": "names a cookie",
	"net/http.Request.PathValue":    "names a wildcard of the pattern",
	"net/http.Request.SetPathValue": "names a wildcard of the pattern",
	"net/http/pprof.Handler":        "names a profile",
	"net/rpc.RegisterName":          "names a service",
	"net/rpc.Server.RegisterName":   "names a service",
	"net/smtp.NewClient":            "talks over a connection the program opened (on loopback)",
	"net/smtp.PlainAuth":            "host is compared with the server's name; nothing is dialed",
	"net/smtp.Client.Verify":        "talks over the client's connection",
	"os.LookupEnv":                  "reads the environment",
	"runtime/debug.WriteHeapDump":   "fd is one of the process's own open files, which it could write anyway",
	"time.FixedZone":                "names a zone in memory",
	"time.LoadLocationFromTZData":   "parses bytes the program has",
	"time.LoadLocation":             "reads time zone files only: time refuses a name with .. or a leading /, and ZONEINFO cannot be changed (os.Setenv)",
}

// udpBound is why a UDP socket's WriteTo stays on the machine.
const udpBound = "every UDPConn the program can have is bound to loopback or connected to a loopback peer (ListenUDP and ListenPacket need a loopback host, DialUDP a loopback peer), and the kernel does not send a loopback-bound socket's datagrams off the machine"

// TestReplacedTypesAreNotReachable: a type the fence replaces (http.Server,
// net.Resolver...) must not be reachable as the standard library's own
// through a field, a parameter or a result of anything interpreted code
// can name, or its methods would run unchecked. Each path that reaches one
// must be listed in reachable with the reason it is accepted.
func TestReplacedTypesAreNotReachable(t *testing.T) {
	ex, _, err := Symbols(t.TempDir())
	require.NoError(t, err)
	replaced := map[reflect.Type]string{}
	for key, syms := range ex {
		for name, v := range syms {
			orig, ok := stdlib.Symbols[key][name]
			if !ok || !isTypeSymbol(orig) || sameSymbol(v, orig) {
				continue
			}
			replaced[orig.Type().Elem()] = path.Dir(key) + "." + name
		}
	}
	require.NotEmpty(t, replaced)
	found := map[string]bool{}
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type, via string)
	walk = func(t reflect.Type, via string) {
		if name, ok := replaced[t]; ok {
			found[via+" is "+name] = true
			return
		}
		if t.Name() != "" { // only a named type can lead back to itself
			if seen[t] {
				return
			}
			seen[t] = true
		}
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Chan:
			walk(t.Elem(), via)
		case reflect.Map:
			walk(t.Key(), via)
			walk(t.Elem(), via)
		case reflect.Func:
			for i := range t.NumIn() {
				walk(t.In(i), via)
			}
			for i := range t.NumOut() {
				walk(t.Out(i), via)
			}
		case reflect.Struct:
			for i := range t.NumField() {
				if f := t.Field(i); f.IsExported() {
					walk(f.Type, t.String()+"."+f.Name)
				}
			}
		}
		if t.Kind() != reflect.Interface && t.Name() != "" {
			pt := reflect.PointerTo(t)
			for i := range pt.NumMethod() {
				m := pt.Method(i)
				walk(m.Type, t.String()+"."+m.Name)
			}
		}
	}
	for key, syms := range ex {
		for name, v := range syms {
			if !v.IsValid() {
				continue
			}
			via := path.Dir(key) + "." + name
			if isTypeSymbol(v) {
				if _, own := replaced[v.Type().Elem()]; own {
					continue
				}
				walk(v.Type().Elem(), via)
				continue
			}
			walk(v.Type(), via)
		}
	}
	var open []string
	for f := range found {
		if reachable[f] == "" {
			open = append(open, f)
		}
	}
	sort.Strings(open)
	require.Empty(t, open, "the standard library's own type, which the fence replaces, is reachable: replace what leads to it too, or list it in reachable with the reason")
	for f := range reachable {
		assert.True(t, found[f], "reachable lists %q, which is no longer reachable", f)
	}
}

// isTypeSymbol reports whether a symbol of yaegi's table is a type: a nil
// pointer to it.
func isTypeSymbol(v reflect.Value) bool {
	return v.IsValid() && v.Kind() == reflect.Pointer && v.IsNil() && !v.CanAddr()
}

// reachable is every path to a replaced type left open, with the reason.
var reachable = map[string]string{
	"httptest.Server.Config is net/http.Server":     "httptest's servers listen on 127.0.0.1:0 themselves; a program that calls ListenAndServe on ts.Config goes past the fence, which the package comment says (the OS layer holds on Linux)",
	"interp.Server.TLSNextProto is net/http.Server": "the server calls these with itself, for a protocol a TLS client asks for; ListenAndServe on it from there goes past the fence, which the package comment says",
}
