// Package mdterm renders a parsed Markdown document (a goldmark tree, such
// as book.Chapter.Doc) as text for a terminal, in colour or plain.
//
// It exists because the book's first renderer, glamour v1.0.0, broke what a
// student copies: it hard-wrapped code blocks at the render width, padded
// tabs so that loops gained blank lines, dropped a blockquote's border on
// wrapped lines, split words inside table cells, left * and ** in its plain
// style and garbled bold text that spans a line break. mdterm's rules:
//
//   - Code blocks are never wrapped or re-indented. Each line is printed as
//     it stands, tabs expanded to stops every 4 columns; a line longer than
//     the width runs past it (a pager shows it with less -S). Go code is
//     coloured with go/scanner, which costs nothing to link.
//   - Prose is wrapped to the width by display width: CJK characters take
//     two columns, and Chinese text may break between any two characters
//     (not before closing punctuation, not after opening punctuation), while
//     a Latin word is never split; a word wider than the width gets a line
//     of its own and runs past it.
//   - A blockquote keeps its │ border on every line; one that opens with
//     bold text (the book's "What goes wrong:" boxes) gets a coloured one.
//   - A table fits the width, its cells wrapped between words, or becomes a
//     list of "header: value" lines when its columns cannot fit.
//   - Links show where they go: the URL of an external link, the file of a
//     relative one (joined to Options.Base).
//   - Plain mode (Options.Color false) writes no escape codes and no
//     Markdown markers: it is exactly the coloured output with its escape
//     codes removed.
//
// Widths follow Unicode's East Asian Width: wide and fullwidth characters
// take two columns, ambiguous ones (│, •, “) one, combining marks none.
package mdterm
