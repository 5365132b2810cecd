package fixedaddr

import (
	_ "embed"
	"go/ast"
	"go/types"
	"net"
	"net/netip"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/netbook/netbook/runner/analysis/internal/netcode"
	"github.com/netbook/netbook/runner/lang"
)

//go:embed doc.go
var doc string

// Analyzer reports fixed ports and addresses where the code is handed a
// listener or an address.
var Analyzer = &analysis.Analyzer{
	Name:     "fixedaddr",
	Doc:      netcode.Doc(doc, "fixedaddr"),
	Requires: []*analysis.Analyzer{netcode.Analyzer},
	Run:      netcode.Run(run),
	// The Result is the advice in words for every language (netcode.Run).
	ResultType: netcode.AdviceType,
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
	netcode.Report(c.pass, addr, "fixed-dial",
		netcode.T(lang.VetFixedDial, net.JoinHostPort(host, port), d.Name.Name),
		netcode.T(lang.VetFixedDialFix))
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
	var problem netcode.Text
	category := "fixed-port"
	switch {
	case fixed && public:
		problem = netcode.T(lang.VetFixedPublicPort, net.JoinHostPort(host, port), port)
	case fixed:
		problem = netcode.T(lang.VetFixedPort, net.JoinHostPort(host, port))
	default:
		problem = netcode.T(lang.VetFixedPublic, net.JoinHostPort(host, port))
		category = "listen-everywhere"
	}
	fix := netcode.T(lang.VetFixedListenFix)
	if c.handed {
		problem = netcode.T(lang.VetFixedHanded, problem)
		fix = netcode.T(lang.VetFixedHandedFix)
	}
	netcode.Report(c.pass, addr, category, problem, fix)
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
