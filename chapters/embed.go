// Package chapters embeds the workbook's chapters, so that a netbook binary
// installed outside the work tree can still render the book.
package chapters

import "embed"

// FS holds every chapter file, NN-slug.md, at its root.
//
//go:embed *.md
var FS embed.FS
