package interp

import (
	"context"
	"crypto/tls"
	"flag"
	"net"
	"net/http"
	"net/http/httptest"
	"net/rpc"
	"net/rpc/jsonrpc"
	"net/smtp"
	"net/textproto"
	"reflect"
	"sync"
	"time"
)

// This file fences the packages above net that dial or listen by address:
// each function that takes an address checks it with checkNet, and each
// type whose zero value would dial or listen without that check (an
// http.Server with Addr ":8080", an http.Transport without DialContext, a
// tls.Dialer) is replaced by a type of the same fields whose methods check.

// checkDial is checkNet for a dial, as a function to call first.
func checkDial(network, address string) error { return checkNet("dial", network, address) }

// httpAddr is the address an HTTP server listens on for addr, as
// http.Server does: "" is ":http", which is every interface.
func httpAddr(addr string, tls bool) string {
	if addr != "" {
		return addr
	}
	if tls {
		return ":https"
	}
	return ":http"
}

// Server is http.Server for interpreted code: the same fields, and
// ListenAndServe that listens on a loopback Addr only.
type Server http.Server

func (s *Server) std() *http.Server { return (*http.Server)(s) }

// ListenAndServe listens on s.Addr, if it names a loopback host, and serves.
func (s *Server) ListenAndServe() error {
	if err := checkNet("listen", "tcp", httpAddr(s.Addr, false)); err != nil {
		return err
	}
	return s.std().ListenAndServe()
}

// ListenAndServeTLS listens on s.Addr, if it names a loopback host, and
// serves TLS with the certificate and key in files inside the snippet's
// directory.
func (s *Server) ListenAndServeTLS(certFile, keyFile string) error {
	if err := checkNet("listen", "tcp", httpAddr(s.Addr, true)); err != nil {
		return err
	}
	if err := activeJail().checkAll("open", certFile, keyFile); err != nil {
		return err
	}
	return s.std().ListenAndServeTLS(certFile, keyFile)
}

// Serve serves connections from l, which interpreted code can only have
// opened on loopback.
func (s *Server) Serve(l net.Listener) error { return s.std().Serve(l) }

// ServeTLS serves TLS connections from l with the certificate and key in
// files inside the snippet's directory.
func (s *Server) ServeTLS(l net.Listener, certFile, keyFile string) error {
	if err := activeJail().checkAll("open", certFile, keyFile); err != nil {
		return err
	}
	return s.std().ServeTLS(l, certFile, keyFile)
}

// Shutdown is http.Server.Shutdown.
func (s *Server) Shutdown(ctx context.Context) error { return s.std().Shutdown(ctx) }

// Close is http.Server.Close.
func (s *Server) Close() error { return s.std().Close() }

// RegisterOnShutdown is http.Server.RegisterOnShutdown.
func (s *Server) RegisterOnShutdown(f func()) { s.std().RegisterOnShutdown(f) }

// SetKeepAlivesEnabled is http.Server.SetKeepAlivesEnabled.
func (s *Server) SetKeepAlivesEnabled(v bool) { s.std().SetKeepAlivesEnabled(v) }

// Transport is http.Transport for interpreted code: the same fields, and a
// zero value that dials loopback only. An http.Transport without a dial
// function dials with a net.Dialer of its own, which no wrapper of net.Dial
// sees; this one gets the checked Dialer before its first request.
type Transport http.Transport

// transportMu orders the one write of a Transport's DialContext before
// every request that reads it.
var transportMu sync.Mutex

func (t *Transport) std() *http.Transport {
	transportMu.Lock()
	defer transportMu.Unlock()
	s := (*http.Transport)(t)
	if s.DialContext == nil && s.Dial == nil { //nolint:staticcheck // Dial is the deprecated field a snippet may still set
		s.DialContext = (&Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	}
	return s
}

// RoundTrip sends one request, dialing loopback only.
func (t *Transport) RoundTrip(r *http.Request) (*http.Response, error) {
	return t.std().RoundTrip(r)
}

// Clone returns a copy of t, which dials loopback only too.
func (t *Transport) Clone() *Transport { return (*Transport)(t.std().Clone()) }

// CloseIdleConnections is http.Transport.CloseIdleConnections.
func (t *Transport) CloseIdleConnections() { t.std().CloseIdleConnections() }

// RegisterProtocol is http.Transport.RegisterProtocol.
func (t *Transport) RegisterProtocol(scheme string, rt http.RoundTripper) {
	t.std().RegisterProtocol(scheme, rt)
}

// defaultTransport is http.DefaultTransport as interpreted code sees it:
// the same transport (guarded by guardDefaultTransport), as a *Transport,
// so that http.DefaultTransport.(*http.Transport).Clone() works.
var defaultTransport http.RoundTripper

// guardDefaultTransport makes http.Get and friends dial loopback only.
func guardDefaultTransport() {
	if t, ok := http.DefaultTransport.(*http.Transport); ok {
		transportMu.Lock()
		t.DialContext = (&Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext
		transportMu.Unlock()
		defaultTransport = (*Transport)(t)
	}
}

// TLSDialer is tls.Dialer for interpreted code: the same fields, with the
// interpreter's net.Dialer, and dials that reach loopback only.
type TLSDialer struct {
	NetDialer *Dialer
	Config    *tls.Config
}

func (d *TLSDialer) std() *tls.Dialer {
	return &tls.Dialer{NetDialer: d.NetDialer.std(), Config: d.Config}
}

// Dial connects to address and starts TLS, if address is on loopback.
func (d *TLSDialer) Dial(network, address string) (net.Conn, error) {
	return d.DialContext(context.Background(), network, address)
}

// DialContext connects to address and starts TLS, if address is on
// loopback.
func (d *TLSDialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	if err := checkDial(network, address); err != nil {
		return nil, err
	}
	return d.std().DialContext(ctx, network, address)
}

// refuseHTTPTestServe panics, as httptest does when it cannot listen, when
// the httptest.serve flag would make a test server listen on the address it
// names rather than on 127.0.0.1:0.
func refuseHTTPTestServe() {
	if f := flag.Lookup("httptest.serve"); f != nil && f.Value.String() != "" {
		if err := checkNet("listen", "tcp", f.Value.String()); err != nil {
			panic("httptest: " + err.Error())
		}
	}
}

func httpSymbols() map[string]reflect.Value {
	return map[string]reflect.Value{
		"Server":           reflect.ValueOf((*Server)(nil)),
		"Transport":        reflect.ValueOf((*Transport)(nil)),
		"DefaultTransport": reflect.ValueOf(&defaultTransport).Elem(),
		"ListenAndServe": reflect.ValueOf(func(addr string, h http.Handler) error {
			return (&Server{Addr: addr, Handler: h}).ListenAndServe()
		}),
		"ListenAndServeTLS": reflect.ValueOf(func(addr, certFile, keyFile string, h http.Handler) error {
			return (&Server{Addr: addr, Handler: h}).ListenAndServeTLS(certFile, keyFile)
		}),
		"ServeTLS": reflect.ValueOf(func(l net.Listener, h http.Handler, certFile, keyFile string) error {
			return (&Server{Handler: h}).ServeTLS(l, certFile, keyFile)
		}),
	}
}

func httptestSymbols() map[string]reflect.Value {
	return map[string]reflect.Value{
		"NewServer": reflect.ValueOf(func(h http.Handler) *httptest.Server {
			refuseHTTPTestServe()
			return httptest.NewServer(h)
		}),
		"NewTLSServer": reflect.ValueOf(func(h http.Handler) *httptest.Server {
			refuseHTTPTestServe()
			return httptest.NewTLSServer(h)
		}),
		"NewUnstartedServer": reflect.ValueOf(func(h http.Handler) *httptest.Server {
			refuseHTTPTestServe()
			return httptest.NewUnstartedServer(h)
		}),
	}
}

func tlsSymbols() map[string]reflect.Value {
	return map[string]reflect.Value{
		"Dialer": reflect.ValueOf((*TLSDialer)(nil)),
		"Dial": reflect.ValueOf(func(network, addr string, config *tls.Config) (*tls.Conn, error) {
			if err := checkDial(network, addr); err != nil {
				return nil, err
			}
			return tls.Dial(network, addr, config)
		}),
		"DialWithDialer": reflect.ValueOf(func(d *Dialer, network, addr string, config *tls.Config) (*tls.Conn, error) {
			if err := checkDial(network, addr); err != nil {
				return nil, err
			}
			return tls.DialWithDialer(d.std(), network, addr, config)
		}),
		"Listen": reflect.ValueOf(func(network, laddr string, config *tls.Config) (net.Listener, error) {
			if err := checkNet("listen", network, laddr); err != nil {
				return nil, err
			}
			return tls.Listen(network, laddr, config)
		}),
		"LoadX509KeyPair": reflect.ValueOf(func(certFile, keyFile string) (tls.Certificate, error) {
			if err := activeJail().checkAll("open", certFile, keyFile); err != nil {
				return tls.Certificate{}, err
			}
			return tls.LoadX509KeyPair(certFile, keyFile)
		}),
	}
}

func smtpSymbols() map[string]reflect.Value {
	return map[string]reflect.Value{
		"Dial": reflect.ValueOf(func(addr string) (*smtp.Client, error) {
			if err := checkDial("tcp", addr); err != nil {
				return nil, err
			}
			return smtp.Dial(addr)
		}),
		"SendMail": reflect.ValueOf(func(addr string, a smtp.Auth, from string, to []string, msg []byte) error {
			if err := checkDial("tcp", addr); err != nil {
				return err
			}
			return smtp.SendMail(addr, a, from, to, msg)
		}),
	}
}

func rpcSymbols() map[string]reflect.Value {
	return map[string]reflect.Value{
		"Dial": reflect.ValueOf(func(network, address string) (*rpc.Client, error) {
			if err := checkDial(network, address); err != nil {
				return nil, err
			}
			return rpc.Dial(network, address)
		}),
		"DialHTTP": reflect.ValueOf(func(network, address string) (*rpc.Client, error) {
			if err := checkDial(network, address); err != nil {
				return nil, err
			}
			return rpc.DialHTTP(network, address)
		}),
		"DialHTTPPath": reflect.ValueOf(func(network, address, path string) (*rpc.Client, error) {
			if err := checkDial(network, address); err != nil {
				return nil, err
			}
			return rpc.DialHTTPPath(network, address, path)
		}),
	}
}

func jsonrpcSymbols() map[string]reflect.Value {
	return map[string]reflect.Value{
		"Dial": reflect.ValueOf(func(network, address string) (*rpc.Client, error) {
			if err := checkDial(network, address); err != nil {
				return nil, err
			}
			return jsonrpc.Dial(network, address)
		}),
	}
}

func textprotoSymbols() map[string]reflect.Value {
	return map[string]reflect.Value{
		"Dial": reflect.ValueOf(func(network, addr string) (*textproto.Conn, error) {
			if err := checkDial(network, addr); err != nil {
				return nil, err
			}
			return textproto.Dial(network, addr)
		}),
	}
}
