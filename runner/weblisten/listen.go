// Package weblisten is where netbook serve listens and what it opens: the
// loopback-only rule, the fallback port, the URL with its token, the
// browser. It is apart from runner/web so that netbook itself can refuse a
// bad --addr at once, before it builds the web book (runner/lazybin).
package weblisten

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os/exec"
	"runtime"
	"strings"
)

// LoopbackHost reports whether host (without a port) names this machine's
// loopback interface: localhost, a name under .localhost, or a loopback IP.
func LoopbackHost(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// Check refuses addr as Listen would, without listening: an address that
// is not host:port, a port that is no port (99999), or an address that is
// not loopback without public.
func Check(ctx context.Context, addr string, public bool) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--addr %q: %v; give host:port, such as %s", addr, err, DefaultAddr)
	}
	if _, err := net.DefaultResolver.LookupPort(ctx, "tcp", port); err != nil {
		return fmt.Errorf("--addr %q: %v; a port is a number from 0 (any free port) to 65535, such as %s", addr, err, DefaultAddr)
	}
	if !public && !loopbackAddr(ctx, host) {
		return fmt.Errorf("%w: %q is not a loopback address; use 127.0.0.1:PORT, or add --public if you really mean to serve the book (and your code) to other machines", ErrNotLoopback, addr)
	}
	return nil
}

// DefaultAddr is where netbook serve listens unless told otherwise: the
// Go Tour's port, on loopback. When it is taken, Listen falls back to a
// free port.
const DefaultAddr = "127.0.0.1:3999"

// ErrNotLoopback is Listen's error for an address that is not on the
// loopback interface, without public set.
var ErrNotLoopback = errors.New("refusing to listen beyond this machine")

// Listen listens on addr. An address that is not loopback (an empty host
// listens on every interface) is refused unless public is set: anyone who
// can reach it could read the student's files and, with the token, run
// code. When addr is DefaultAddr and its port is taken, Listen takes any
// free loopback port instead, and fellBack says so.
func Listen(ctx context.Context, addr string, public bool) (ln net.Listener, fellBack bool, err error) {
	if err := Check(ctx, addr, public); err != nil {
		return nil, false, err
	}
	var lc net.ListenConfig
	ln, err = lc.Listen(ctx, "tcp", addr)
	if err != nil && addr == DefaultAddr {
		ln, err = lc.Listen(ctx, "tcp", "127.0.0.1:0")
		fellBack = err == nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("listening on %s: %w (choose another port with --addr 127.0.0.1:PORT)", addr, err)
	}
	return ln, fellBack, nil
}

// loopbackAddr reports whether host names only loopback addresses.
func loopbackAddr(ctx context.Context, host string) bool {
	if host == "" {
		return false
	}
	if ip := net.ParseIP(host); ip != nil {
		return ip.IsLoopback()
	}
	if LoopbackHost(host) {
		return true
	}
	ips, err := net.DefaultResolver.LookupIPAddr(ctx, host)
	if err != nil || len(ips) == 0 {
		return false
	}
	for _, ip := range ips {
		if !ip.IP.IsLoopback() {
			return false
		}
	}
	return true
}

// URL is the address to open: the server's own, with its token.
func URL(ln net.Listener, token string) string {
	addr := ln.Addr().String()
	if a, ok := ln.Addr().(*net.TCPAddr); ok && a.IP.IsUnspecified() {
		addr = net.JoinHostPort("127.0.0.1", fmt.Sprint(a.Port))
	}
	return "http://" + addr + "/?token=" + token
}

// OpenBrowser asks the system to open url in the default browser
// (xdg-open, open, or start) and does not wait for it. An error only means
// the student opens the URL by hand.
func OpenBrowser(url string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("opening a browser: %v", strings.TrimSpace(err.Error()))
	}
	go cmd.Wait() // reap it; xdg-open exits once the browser has the URL
	return nil
}
