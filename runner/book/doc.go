// Package book parses the workbook's chapters into a typed model: front
// matter, headings, links, code blocks, Go snippets and the goldmark tree
// itself (Chapter.Doc). One parse feeds every renderer (terminal, HTML) and
// every check (links resolve, snippets run).
//
// # File format
//
// A chapter is chapters/NN-slug.md: NN is its two-digit number, slug its
// name. It starts with YAML front matter:
//
//	---
//	title: Sockets in Go
//	summary: One sentence that says what the reader will be able to do.
//	mirrors:                 # the source-article sections it retells
//	  - "000 §2 Socket programming"
//	  - "003 §4.3–4.5 Socket types and functions"
//	lab: 02-first-connection # the lab folder under labs/, or empty
//	---
//
// The body is CommonMark with GitHub's tables and strikethrough. It links to its lab with a relative link
// (../labs/02-first-connection/) and to other chapters by file name.
//
// # Snippets
//
// Every fenced block whose info string starts with "go" is a snippet. By
// default a snippet is a whole program (package main) that runs the same under
// the yaegi interpreter and the Go toolchain. Words after "go" mark it:
//
//	fragment       a piece of a program shown for reading; it is not run
//	toolchain      a whole program that needs the Go toolchain (a feature or
//	               package the interpreter lacks); it runs with go, not yaegi
//	varies         its output changes from run to run (addresses, timing),
//	               so it must run cleanly but its output is not compared
//	server=NAME    the server half of a pair that runs together with the
//	               snippet marked client=NAME; the server prints a line
//	               "listening on ADDR" and the client gets ADDR as os.Args[1]
//	client=NAME    the client half of that pair
//	title=FILE     a file name shown above the snippet
//
// A fenced block with the info string "output" right after a snippet is that
// snippet's expected output. It is compared with what the snippet prints,
// after addresses are normalised (127.0.0.1:54012 and 127.0.0.1:PORT match).
//
// How snippets run is runner/snippets' business: go test ./chapters runs
// every whole program both with the Go toolchain and with the interpreter
// (cmd/netbook-interp, sandboxed by runner/interp) and compares the two
// runs, ports, durations and pointers normalised, unless the snippet is
// marked varies; "netbook run NN:K" runs one the way a student sees it.
package book
