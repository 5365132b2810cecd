package web

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netbook/netbook/internal/testkit"
	"github.com/netbook/netbook/runner/lang"
)

// hrefRE finds the destination of every <a> of a page, idRE every id.
var (
	hrefRE = regexp.MustCompile(`<a\s[^>]*?href="([^"]*)"`)
	idRE   = regexp.MustCompile(`\sid="([^"]*)"`)
)

// Every page reachable from the home page of either edition links only to
// pages that exist: the book's links between chapters, labs and the
// packages they share are rewritten from the Markdown's relative paths
// (which GitHub follows) to the server's routes, or left dead nowhere;
// and a link to a place in a page (#section) finds it there. A page of the
// Chinese edition links only to pages of the Chinese edition.
func TestEveryInternalLinkResolves(t *testing.T) {
	ts := start(t, testkit.Pristine(t, nil), Options{})
	base, err := url.Parse(ts.base)
	require.NoError(t, err)

	// status remembers each page's answer, by path and query; queue holds
	// the pages still to read. Every 200 page is read for its links.
	status := map[string]int{}
	type from struct {
		page, href string
		code       int
	}
	var queue []string
	var broken, lost []from
	ids := map[string]map[string]bool{} // page -> the ids in it
	type place struct{ page, href, target, id string }
	var places []place
	visit := func(page, href string) {
		u, err := url.Parse(page)
		require.NoError(t, err)
		u, err = u.Parse(href)
		if err != nil {
			broken = append(broken, from{page, href, 0})
			return
		}
		if u.Scheme != "" && (u.Scheme != base.Scheme || u.Host != base.Host) {
			return // another site's
		}
		fragment := u.Fragment
		u.Scheme, u.Host, u.Fragment, u.RawFragment = "", "", "", ""
		target := u.String()
		// A page of the Chinese edition links to pages of the Chinese
		// edition (the server's is English): a link without ?lang= would
		// take the reader back to English without a word.
		if strings.Contains(page, "lang=zh") && !strings.HasPrefix(u.Path, "/static/") && !u.Query().Has("lang") {
			lost = append(lost, from{page, href, 0})
		}
		if fragment != "" {
			places = append(places, place{page, href, target, fragment})
		}
		code, seen := status[target]
		if !seen {
			resp, body := ts.do(t, "GET", target, true, nil)
			code = resp.StatusCode
			status[target] = code
			if code == http.StatusOK && strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
				ids[target] = map[string]bool{}
				for _, m := range idRE.FindAllStringSubmatch(body, -1) {
					ids[target][html.UnescapeString(m[1])] = true
				}
				for _, m := range hrefRE.FindAllStringSubmatch(body, -1) {
					queue = append(queue, target, html.UnescapeString(m[1]))
				}
			}
		}
		if code != http.StatusOK {
			broken = append(broken, from{page, href, code})
		}
	}
	visit("/", "/")
	visit("/", "/?lang=zh")
	for len(queue) > 0 {
		page, href := queue[0], queue[1]
		queue = queue[2:]
		visit(page, href)
	}

	var pages int
	for _, code := range status {
		if code == http.StatusOK {
			pages++
		}
	}
	require.Greater(t, pages, 40, "the crawl reaches every chapter and lab of both editions")
	for _, b := range broken {
		t.Errorf("%s links to %q: %d", b.page, b.href, b.code)
	}
	for _, l := range lost {
		t.Errorf("%s, a page of the Chinese edition, links to %q, which is not", l.page, l.href)
	}
	for _, p := range places {
		if in, ok := ids[p.target]; ok && !in[p.id] {
			t.Errorf("%s links to %q: %s has no id %q", p.page, p.href, p.target, p.id)
		}
	}
	if len(broken) > 0 {
		t.Logf("%d broken links over %d pages", len(broken), pages)
	}
}

// A relative link is resolved against its file's folder and goes to the
// page that shows the path, in the page's edition, with its fragment; a
// path no page shows has no route; everything else stays as written.
func TestLinkRoutes(t *testing.T) {
	en := links{file: "chapters/09-chat-room.md", lang: lang.English, def: lang.English}
	zh := links{file: "chapters/zh/09-chat-room.md", lang: lang.Chinese, def: lang.English}
	brief := links{file: "labs/09-chat-room/README.zh.md", lang: lang.Chinese, def: lang.English}
	notes := links{file: "solutions/06-udp-echo/NOTES.md", lang: lang.English, def: lang.Chinese}
	for _, c := range []struct {
		k        links
		dest     string
		to, repo string
		rewrite  bool
	}{
		{en, "02-sockets-in-go.md", "/chapter/02-sockets-in-go", "chapters/02-sockets-in-go.md", true},
		{en, "02-sockets-in-go.md#tcp-notes", "/chapter/02-sockets-in-go#tcp-notes", "chapters/02-sockets-in-go.md", true},
		{en, "../labs/09-chat-room/", "/lab/09-chat-room", "labs/09-chat-room/", true},
		{en, "../labs/chatproto/", "", "labs/chatproto/", true},
		{zh, "02-sockets-in-go.md", "/chapter/02-sockets-in-go?lang=zh", "chapters/zh/02-sockets-in-go.md", true},
		{zh, "../../labs/09-chat-room/", "/lab/09-chat-room?lang=zh", "labs/09-chat-room/", true},
		{zh, "../02-sockets-in-go.md", "/chapter/02-sockets-in-go?lang=zh", "chapters/02-sockets-in-go.md", true},
		{brief, "../../chapters/zh/09-chat-room.md", "/chapter/09-chat-room?lang=zh", "chapters/zh/09-chat-room.md", true},
		{brief, "../chatproto/", "", "labs/chatproto/", true},
		{brief, "README.md", "/lab/09-chat-room?lang=zh", "labs/09-chat-room/README.md", true},
		{brief, "server.go", "", "labs/09-chat-room/server.go", true},
		{notes, "../../chapters/06-udp.md", "/chapter/06-udp?lang=en", "chapters/06-udp.md", true},
		{notes, "server.go", "", "solutions/06-udp-echo/server.go", true},
		{en, "README.md", "", "chapters/README.md", true},
		{en, "../../outside.md", "", "../outside.md", true},
		{en, "https://go.dev/ref/spec", "", "", false},
		{en, "mailto:someone@example.com", "", "", false},
		{en, "#one-to-many", "", "", false},
		{en, "/lab/01", "", "", false},
		{links{lang: lang.English, def: lang.English}, "02-sockets-in-go.md", "", "", false},
	} {
		to, repo, rewrite := c.k.route(c.dest)
		assert.Equal(t, c.rewrite, rewrite, "%s: %s", c.k.file, c.dest)
		assert.Equal(t, c.to, to, "%s: %s", c.k.file, c.dest)
		assert.Equal(t, c.repo, repo, "%s: %s", c.k.file, c.dest)
	}
}

// A link to a path no page shows is its text, code and all, with the
// path as its title; the others are links, goldmark's where untouched.
func TestRenderedLinks(t *testing.T) {
	k := links{file: "labs/09-chat-room/README.md", lang: lang.Chinese, def: lang.English}
	out, err := renderMarkdown([]byte("Read [chapter 9](../../chapters/09-chat-room.md \"The chat room\"), "+
		"use [`chatproto`](../chatproto/), see [Go](https://go.dev/) and [below](#tasks).\n"), 0, k)
	require.NoError(t, err)
	assert.Contains(t, string(out), `<a href="/chapter/09-chat-room?lang=zh" title="The chat room">chapter 9</a>`)
	assert.Contains(t, string(out), `<span class="repo-path" title="labs/chatproto/"><code>chatproto</code></span>`)
	assert.Contains(t, string(out), `<a href="https://go.dev/">Go</a>`)
	assert.Contains(t, string(out), `<a href="#tasks">below</a>`)
}
