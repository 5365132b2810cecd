package fixedaddr

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/types"
	"net"
	"net/netip"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/netbook/netbook/runner/analysis/internal/netcode"
)

//go:embed doc.go
var doc string

// Analyzer reports fixed ports and addresses where the code is handed a
// listener or an address.
var Analyzer = &analysis.Analyzer{
	Name:     "fixedaddr",
	Doc:      netcode.Doc(doc, "fixedaddr"),
	Requires: []*analysis.Analyzer{netcode.Analyzer},
	Run:      run,
}

type checker struct {
	pass *analysis.Pass
	info *netcode.Info
	ti   *types.Info
	// handed is true when the package takes a listener somewhere.
	handed bool
}

func run(pass *analysis.Pass) (any, error) {
	info := pass.ResultOf[netcode.Analyzer].(*netcode.Info)
	if pass.Pkg.Name() == "main" {
		return nil, nil
	}
	c := &checker{pass: pass, info: info, ti: pass.TypesInfo}
	addrParams := false
	for _, d := range info.Decls {
		for _, f := range d.Type.Params.List {
			t := c.ti.TypeOf(f.Type)
			if info.Types.IsListener(t) || netcode.Named(t, "net", "PacketConn") {
				c.handed = true
			}
			for _, n := range f.Names {
				if isAddrParam(c.ti, n) {
					addrParams = true
				}
			}
		}
	}
	if info.Lab == "" && !c.handed && !addrParams {
		return nil, nil
	}
	for _, fn := range info.Funcs {
		d, ok := fn.(*ast.FuncDecl)
		if !ok {
			continue
		}
		ast.Inspect(d.Body, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				c.checkCall(d, call)
			}
			return true
		})
	}
	return nil, nil
}

// isAddrParam reports whether a parameter is a string that names where to
// connect: addr, address, host, rawURL, target...
func isAddrParam(ti *types.Info, id *ast.Ident) bool {
	if b, ok := ti.TypeOf(id).(*types.Basic); !ok || b.Kind() != types.String {
		return false
	}
	n := strings.ToLower(id.Name)
	for _, w := range []string{"addr", "host", "url", "target", "server"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

func (c *checker) checkCall(d *ast.FuncDecl, call *ast.CallExpr) {
	ti := c.ti
	var addr ast.Expr
	listen := false
	switch {
	case netcode.IsPkgFunc(ti, call, "net", "Listen", "ListenPacket") && len(call.Args) == 2:
		addr, listen = call.Args[1], true
	case netcode.IsMethod(ti, call, "net", "ListenConfig", "Listen", "ListenPacket") && len(call.Args) == 3:
		addr, listen = call.Args[2], true
	case netcode.IsPkgFunc(ti, call, "net/http", "ListenAndServe", "ListenAndServeTLS") && len(call.Args) >= 1:
		addr, listen = call.Args[0], true
	case netcode.IsPkgFunc(ti, call, "net", "Dial", "DialTimeout") && len(call.Args) >= 2:
		addr = call.Args[1]
	case netcode.IsMethod(ti, call, "net", "Dialer", "Dial") && len(call.Args) == 2:
		addr = call.Args[1]
	case netcode.IsMethod(ti, call, "net", "Dialer", "DialContext") && len(call.Args) == 3:
		addr = call.Args[2]
	}
	if addr == nil {
		return
	}
	host, port, ok := c.constAddr(addr)
	if !ok {
		return
	}
	if listen {
		c.checkListen(d, addr, host, port)
		return
	}
	if c.info.Lab == "" && !hasAddrParam(ti, d) {
		return
	}
	netcode.Report(c.pass, addr,
		fmt.Sprintf("%s is a fixed address, but %s is handed the address to connect to: the test's server listens on a port the kernel picks, a different one every run", net.JoinHostPort(host, port), d.Name.Name),
		"dial the address you were given (the addr parameter, or what the lab's URL or config holds)")
}

func hasAddrParam(ti *types.Info, d *ast.FuncDecl) bool {
	for _, f := range d.Type.Params.List {
		for _, n := range f.Names {
			if isAddrParam(ti, n) {
				return true
			}
		}
	}
	return false
}

func (c *checker) checkListen(d *ast.FuncDecl, addr ast.Expr, host, port string) {
	fixed := port != "0" && port != ""
	public := !loopback(host)
	if !fixed && !public {
		return // 127.0.0.1:0: right
	}
	var problem string
	switch {
	case fixed && public:
		problem = fmt.Sprintf("%q listens on the fixed port %s of every network the machine is on: it fails when another program or test holds that port, and anyone who can reach the machine can connect", net.JoinHostPort(host, port), port)
	case fixed:
		problem = fmt.Sprintf("%q is a fixed port: listening fails when another program or test already holds it, so tests cannot run side by side", net.JoinHostPort(host, port))
	default:
		problem = fmt.Sprintf("%q listens on every network the machine is on, not only on this machine: anyone who can reach it can connect", net.JoinHostPort(host, port))
	}
	fix := "listen on \"127.0.0.1:0\", let the kernel pick a free port, and find it with ln.Addr()"
	if c.handed {
		problem += "; and this package is handed its listener"
		fix = "serve on the listener you are given (the tests open it on 127.0.0.1:0) instead of opening your own"
	}
	netcode.Report(c.pass, addr, problem, fix)
}

// constAddr returns the host and port of a constant address, or of
// net.JoinHostPort with constant arguments.
func (c *checker) constAddr(e ast.Expr) (host, port string, ok bool) {
	if s, ok := netcode.ConstString(c.ti, e); ok {
		h, p, err := net.SplitHostPort(s)
		if err != nil {
			return "", "", false
		}
		return h, p, true
	}
	call, isCall := ast.Unparen(e).(*ast.CallExpr)
	if !isCall || !netcode.IsPkgFunc(c.ti, call, "net", "JoinHostPort") || len(call.Args) != 2 {
		return "", "", false
	}
	h, ok1 := netcode.ConstString(c.ti, call.Args[0])
	p, ok2 := netcode.ConstString(c.ti, call.Args[1])
	return h, p, ok1 && ok2
}

// loopback reports whether host is this machine only.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.IsLoopback()
}
