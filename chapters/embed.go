// Package chapters embeds the workbook's chapters, so that a netbook binary
// installed outside the work tree can still render the book, in English
// and in Chinese.
package chapters

import "embed"

// FS holds every chapter file: NN-slug.md at its root, and the Chinese
// edition in zh/NN-slug.md (runner/book.LoadIn reads either).
//
//go:embed *.md zh/*.md
var FS embed.FS
