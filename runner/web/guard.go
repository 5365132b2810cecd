package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/weblisten"
)

// newToken is a server's token: 128 random bits, in hex.
func newToken() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails (crypto/rand's documentation)
	return hex.EncodeToString(b)
}

// cookieName is the token cookie's name. Cookies are not kept per port,
// so two servers on one machine each have their own name.
func (s *Server) cookieName() string { return "netbook-token-" + strconv.Itoa(s.port) }

// hostAllowed reports whether a request's Host header (host:port) names
// this server: a loopback name or IP with the server's port. Any other
// name is a DNS-rebinding attack (a site whose name now points at
// 127.0.0.1) or a mistake. A --public server also answers to other names,
// on its port.
func (s *Server) hostAllowed(hostport string) bool {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil || port != strconv.Itoa(s.port) {
		return false
	}
	return weblisten.LoopbackHost(host) || s.public
}

// originAllowed reports whether an Origin header, when there is one, is
// the server's own origin: http, the request's (allowed) Host. A page of
// another site, even on another port of this machine, is refused.
func (s *Server) originAllowed(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		return true
	}
	u, err := url.Parse(o)
	if err != nil || u.Scheme != "http" || u.Path != "" || u.User != nil {
		return false
	}
	return strings.EqualFold(u.Host, r.Host) && s.hostAllowed(u.Host)
}

// fetchAllowed reports whether a request that acts (a run, a check, a
// hint, a lab's event stream) comes from the server's own pages, by the
// Sec-Fetch-Site header browsers send. It closes what Origin leaves open:
// a GET such as an <img> or a link, which carries no Origin, from a page on
// another port of this machine, which is the same site, so the browser
// sends the SameSite=Strict cookie with it. Requests without the header
// (an older browser, curl) are left to the other checks.
func (s *Server) fetchAllowed(r *http.Request) bool {
	if !strings.HasPrefix(r.URL.Path, "/api/") && !strings.HasPrefix(r.URL.Path, "/events/") {
		return true // pages and static files do nothing when opened
	}
	site := r.Header.Get("Sec-Fetch-Site")
	return site == "" || site == "same-origin"
}

// tokenOK reports whether the request carries the server's token, in its
// cookie or (the first visit) in the URL, compared in constant time.
func (s *Server) tokenOK(r *http.Request) bool {
	given := r.URL.Query().Get("token")
	if c, err := r.Cookie(s.cookieName()); err == nil && given == "" {
		given = c.Value
	}
	return subtle.ConstantTimeCompare([]byte(given), []byte(s.token)) == 1
}

// guard is the gate every request passes: Host, then Origin (and
// Sec-Fetch-Site for what acts), then the token for anything but the embedded static files (which hold nothing of
// the student's and run nothing). A first visit with ?token= gets the token
// as a cookie (HttpOnly, SameSite=Strict: no other site's page can send
// it) and is sent on to the same URL without it, as Jupyter does.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("X-Frame-Options", "DENY")
		w.Header().Set("Referrer-Policy", "no-referrer")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
		if !s.hostAllowed(r.Host) {
			s.refuse(w, r, http.StatusForbidden, lang.WebWrongHost, r.Host)
			return
		}
		if !s.originAllowed(r) {
			s.refuse(w, r, http.StatusForbidden, lang.WebWrongOrigin, r.Header.Get("Origin"))
			return
		}
		if !s.fetchAllowed(r) {
			s.refuse(w, r, http.StatusForbidden, lang.WebNotFromPage, r.URL.Path)
			return
		}
		if strings.HasPrefix(r.URL.Path, "/static/") && r.Method == http.MethodGet {
			next.ServeHTTP(w, r)
			return
		}
		if !s.tokenOK(r) {
			s.refuse(w, r, http.StatusForbidden, lang.WebNoToken)
			return
		}
		if q := r.URL.Query(); q.Has("token") {
			http.SetCookie(w, &http.Cookie{
				Name: s.cookieName(), Value: s.token, Path: "/",
				HttpOnly: true, SameSite: http.SameSiteStrictMode,
			})
			if r.Method == http.MethodGet {
				q.Del("token")
				u := *r.URL
				u.RawQuery = q.Encode()
				http.Redirect(w, r, u.RequestURI(), http.StatusSeeOther)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// refuse answers a refused request with its status and a sentence that
// says what to do (m with args, in the request's edition). A browser
// opening a page (GET, Accept: text/html) gets a small HTML page of its
// own, the sentence in both editions, and none of the book: nothing of
// the student's, no links, no script. Anything else (the pages' script,
// curl) gets the sentence as plain text.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, code int, m *lang.Message, args ...any) {
	fmt.Fprintf(s.o.Log, "refused %s %s (Host %q, Origin %q): %d\n", r.Method, r.URL.Path, r.Host, r.Header.Get("Origin"), code)
	l := s.lang(r)
	why := l.Sprintf(m, args...)
	w.Header().Set("Cache-Control", "no-store")
	if !wantsHTML(r) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(code)
		w.Write([]byte(why + "\n"))
		return
	}
	other := lang.Chinese
	if l == lang.Chinese {
		other = lang.English
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	fmt.Fprintf(w, refusedPage, l, code, http.StatusText(code), code, l, html.EscapeString(why), other, html.EscapeString(other.Sprintf(m, args...)))
}

// refusedPage is the page a browser gets for a refused request: the
// status, and the reason in the request's edition and the other one.
// Every value in it is escaped; it links no style (the server's
// Content-Security-Policy allows none inline, and a refused Host would
// get its style sheet refused too).
const refusedPage = `<!DOCTYPE html>
<html lang="%s">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>%d %s · netbook</title>
</head>
<body>
<h1>netbook: %d</h1>
<p lang="%s">%s</p>
<p lang="%s">%s</p>
</body>
</html>
`

// wantsHTML reports whether r is a browser opening a page: a GET (or
// HEAD) that accepts HTML.
func wantsHTML(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	for _, a := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, _, _ := strings.Cut(strings.TrimSpace(a), ";")
		if strings.EqualFold(mt, "text/html") {
			return true
		}
	}
	return false
}
