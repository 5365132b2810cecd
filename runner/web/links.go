package web

import (
	"net/url"
	"path"
	"regexp"
	"strings"

	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/lang"
)

// links rewrites the relative links of one Markdown file for the web
// book. The book's Markdown links by paths in the work tree, which GitHub
// and an editor follow ("../labs/01-addresses/", "02-sockets-in-go.md");
// the pages live at other paths (/lab/01-addresses, /chapter/02-...), so a
// link left as written would resolve against the page's URL and miss.
type links struct {
	// file is the Markdown file's path in the work tree, slash-separated
	// ("chapters/zh/01-networks-and-ports.md", "labs/09-chat-room/README.md"):
	// what its relative links are relative to.
	file string
	// lang is the page's edition, which the links keep; def is the
	// server's (see href).
	lang, def lang.Lang
}

// linksIn is links for file, as shown in edition l of this server.
func (s *Server) linksIn(file string, l lang.Lang) links {
	return links{file: file, lang: l, def: s.o.Lang}
}

var (
	// chapterFile is a chapter's file name, as book.Load finds it.
	chapterFile = regexp.MustCompile(`^\d\d-[a-z0-9-]+\.md$`)
	// labPath is a lab's folder, or its brief in any language.
	labPath = regexp.MustCompile(`^labs/(\d\d-[a-z0-9-]+)(?:/README(?:\.[a-z-]+)?\.md)?$`)
)

// route says what a link's destination becomes in the page. rewrite is
// false when the link stays as written: a URL (http:, mailto:, ...), a
// place in the same page (#...), or a path from the server's root, which
// already names a route. Otherwise the destination is resolved against
// the file's folder: to is the route of the page that shows that path,
// with the destination's #fragment, or "" when no page does (a Go
// package's folder, a source file, a solution); repoPath is the path in
// the work tree, for the reader to find it there.
func (k links) route(dest string) (to, repoPath string, rewrite bool) {
	u, err := url.Parse(dest)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Path == "" ||
		strings.HasPrefix(u.Path, "/") || k.file == "" {
		return "", "", false
	}
	p := path.Join(path.Dir(k.file), u.Path)
	repoPath = p
	if strings.HasSuffix(u.Path, "/") {
		repoPath += "/" // a folder, as the link wrote it
	}
	if m := labPath.FindStringSubmatch(p); m != nil {
		to = href("/lab/"+m[1], k.lang, k.def)
	} else if slug, ok := chapterSlug(p); ok {
		to = href("/chapter/"+slug, k.lang, k.def)
	} else {
		return "", repoPath, true
	}
	if u.Fragment != "" {
		to += "#" + u.EscapedFragment()
	}
	return to, repoPath, true
}

// chapterSlug is the slug of the chapter at path p of the work tree, in
// any edition's folder (chapters/, chapters/zh/): the page shows the
// chapter in the reader's edition, whichever file the link named.
func chapterSlug(p string) (string, bool) {
	dir, name := path.Split(p)
	if !chapterFile.MatchString(name) {
		return "", false
	}
	for _, l := range lang.All {
		if path.Clean(dir) == path.Join("chapters", book.Folder(l)) {
			return strings.TrimSuffix(name, ".md"), true
		}
	}
	return "", false
}
