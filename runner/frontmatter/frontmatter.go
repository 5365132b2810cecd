// Package frontmatter splits a Markdown file into its YAML front matter and
// its body, and decodes the front matter strictly into a Go struct.
//
// Front matter is the block between a first line of exactly "---" and the
// next line of exactly "---". Decoding rejects unknown fields, so a typo in a
// chapter or lab header is an error with a line number, not a silent default.
package frontmatter

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"

	"go.yaml.in/yaml/v3"
)

const fence = "---"

// Split returns the front matter (without its fences) and the body that
// follows it. bodyLine is the 1-based line number where the body starts in
// src. A file without front matter is all body.
func Split(src []byte) (front, body []byte, bodyLine int, err error) {
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	first, rest, ok := cutLine(src)
	if !ok && len(first) == 0 || string(bytes.TrimRight(first, "\r")) != fence {
		return nil, src, 1, nil
	}
	line := 2
	start := rest
	for len(rest) > 0 {
		l, next, _ := cutLine(rest)
		if string(bytes.TrimRight(l, "\r")) == fence {
			front = start[:len(start)-len(rest)]
			return front, next, line + 1, nil
		}
		rest = next
		line++
	}
	return nil, nil, 0, errors.New("front matter starts with --- on line 1 but never ends: add a closing --- line")
}

func cutLine(b []byte) (line, rest []byte, found bool) {
	return bytes.Cut(b, []byte("\n"))
}

// Decode splits src, decodes its front matter into v and returns the body.
// Errors name the file and the line, as "name:line: what is wrong".
func Decode(name string, src []byte, v any) (body []byte, bodyLine int, err error) {
	front, body, bodyLine, err := Split(src)
	if err != nil {
		return nil, 0, fmt.Errorf("%s:1: %w", name, err)
	}
	if front == nil {
		return nil, 0, fmt.Errorf("%s:1: missing front matter: the file must start with a --- block", name)
	}
	dec := yaml.NewDecoder(bytes.NewReader(front))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		return nil, 0, fmt.Errorf("%s:%s", name, yamlError(err))
	}
	return body, bodyLine, nil
}

var yamlLine = regexp.MustCompile(`line (\d+): `)

// yamlError rewrites yaml.v3's "yaml: line N: msg" (N counted inside the
// front matter) as "L: msg" with L counted in the whole file.
func yamlError(err error) string {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	if m := yamlLine.FindStringSubmatchIndex(msg); m != nil {
		n, _ := strconv.Atoi(msg[m[2]:m[3]])
		rest := msg[m[1]:]
		return fmt.Sprintf("%d: %s", n+1, rest)
	}
	return "1: " + msg
}
