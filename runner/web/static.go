package web

import (
	"bytes"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/styles"
)

// chromaCSS is the highlighting's style sheet: chroma's classes in the
// light style, and in the dark style when the system prefers dark.
// Generated once, from the chroma styles compiled into the binary.
var chromaCSS = func() []byte {
	var b bytes.Buffer
	f := chromahtml.New(chromahtml.WithClasses(true))
	write := func(st *chroma.Style) {
		var one bytes.Buffer
		if err := f.WriteCSS(&one, st); err != nil {
			panic(err) // a style compiled into the binary always writes
		}
		// The page's own colours set the code's background and plain
		// text (style.css), so that both themes keep their contrast.
		for _, line := range strings.SplitAfter(one.String(), "\n") {
			if strings.Contains(line, "/* Background */") || strings.Contains(line, "/* PreWrapper */") {
				continue
			}
			b.WriteString(line)
		}
	}
	write(styles.Get(lightStyle))
	b.WriteString("@media (prefers-color-scheme: dark) {\n")
	write(styles.Get(darkStyle))
	b.WriteString("}\n")
	return b.Bytes()
}()

var started = time.Now()

// static serves the embedded style sheets and script.
func (s *Server) static(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/static/")
	var body []byte
	switch name {
	case "chroma.css":
		body = chromaCSS
	case "style.css", "app.js":
		b, err := assets.ReadFile("assets/" + name)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		body = b
	default:
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, path.Base(name), started, bytes.NewReader(body))
}
