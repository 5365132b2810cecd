// Package web is netbook serve: the whole book as web pages on this
// machine, with its snippets run from the page and each lab's tasks
// checked again whenever the student saves a file.
//
// # Pages
//
//	/                    the dashboard: what to do next (while no lab is
//	                     done and chapter 0 is unread, a pointer to it),
//	                     the progress, every chapter with its lab's status
//	                     (a row of its own at a phone's width)
//	/chapter/ID          a chapter (ID: its number or slug), with Run, Edit,
//	                     Reset and Stop on each runnable snippet
//	/lab/ID              a lab: its brief, its tasks (live), the first
//	                     failure and what the student's code printed
//	                     meanwhile (as netbook check shows them), the
//	                     analyzers' advice, hints on request,
//	                     diff's report on request (a server lab, or a
//	                     client lab with a driver), the chart of the
//	                     student's latest netbook bench (runner/bench,
//	                     Latest), and once every task passes the
//	                     reference next to the student's files
//	/static/...          the style sheet, the script and chroma's CSS
//
// Any other address, and a chapter or lab the book does not have, is a
// 404 page in the book's layout and the request's edition, which says
// what is wrong and links back to the contents; what the pages' script
// fetches (/api/, /events/) gets its errors as plain text, which it shows.
// A run's output comes a line an event; the page joins what comes in one
// frame, a kind at a time, so a flood up to the output cap is a handful
// of nodes, not an element a line. The errors of the student's edit of a
// snippet give the edit's own lines ("line 6:2: declared and not used:
// x"), not the chapter's.
// A page left open when the server stops answering (stopped, or started
// again with a new token) says so at its top as soon as a lab's event
// stream breaks or a button's request fails, with the command that starts
// the server; a Run that cannot reach it says the same, not "stopped".
//
// The commands the pages suggest start as the student runs netbook
// (Options.Cmd: "go run ./cmd/netbook" or "netbook"), which netbook serve
// passes with --cmd, since this server runs as a program of its own.
//
// Every page exists in each language netbook speaks: ?lang=zh shows the
// Chinese edition (the book's chapters, the labs' briefs and the page's own
// words, from runner/lang's catalogue), and its links keep the choice.
// Without it the page is in the server's language (Options.Lang, which
// netbook serve resolves as every command does).
//
// # Links
//
// The book's Markdown links by paths in the work tree, which GitHub and an
// editor follow: "02-sockets-in-go.md", "../labs/01-addresses/",
// "../../chapters/zh/01-networks-and-ports.md". The pages live at other
// paths, so every relative link is rewritten as it is rendered: resolved
// against the path of the file it is in (chapters/NN-slug.md,
// chapters/zh/NN-slug.md, labs/NN-slug/README.md or README.zh.md, a lab's
// hints, solutions/NN-slug/NOTES.md), then mapped to the page that shows
// that path, with its #fragment:
//
//	chapters/NN-slug.md, chapters/zh/NN-slug.md   /chapter/NN-slug
//	labs/NN-slug/, labs/NN-slug/README*.md        /lab/NN-slug
//
// in the page's edition (?lang= kept), whichever edition's file the link
// named. A path that no page shows (a Go package such as labs/chatproto/,
// a source file, a solution, scripts/) is not a link on the page: its text
// stays, code and all, with the path as its title, for the reader to find
// it in the work tree. URLs (http:, https:, mailto:), places in the same
// page (#...) and paths from the server's root stay as written. This is
// the only mechanism: the pages link to /chapter/NN-slug, never to a
// chapter's file name.
//
// # One parse, two renderers
//
// A chapter is rendered from the tree runner/book parsed once
// (book.Chapter.Doc), which runner/mdterm draws on a terminal: goldmark's
// HTML renderer, with goldmark-highlighting writing chroma's CSS classes.
// The pages carry no inline style and load nothing from the network: the
// CSS, the script and the templates are embedded in the binary, and
// chroma's style sheets for the light and the dark theme are generated
// from the styles compiled into it. The themes follow the system's
// preference (prefers-color-scheme); their colours are CSS variables whose
// contrast a test checks against WCAG AA.
//
// # What runs
//
// The server never runs anything of its own. Snippets run through
// runner/snippets (RunOne), as netbook run runs them: a child process in a
// temp directory and a process group of its own, with the interpreter's
// sandbox, a time limit and an output cap. The page posts the code of its
// edit box to /api/run and reads the output as it comes (JSON lines); Stop
// aborts the request, which kills the process group. A snippet runs once
// at a time (a new run stops the old one) and Options.MaxRuns bound the
// runs of the whole server. What a run's advice tells the student to try
// (a longer --timeout, the Go toolchain) is a command to type in a
// terminal, since the page has no such flags; for the student's edit,
// which no netbook command runs, it names none (to see a panic's line, it
// says to save the code as main.go and go run it).
//
// Labs are checked through runner/workbook (Workbook.Check records the
// result in the student's progress, as netbook check does). While a lab's
// page is open, its folder is watched (runner/watch's Watcher, as netbook
// watch watches it); after each save the lab is checked and its status
// fragment pushed to every open page of it as a server-sent event on
// /events/lab/ID; a change of the progress file (netbook check in a
// terminal) pushes the fragment again, without a check.
//
// Every page reads where the student stands afresh: the workbook is opened
// for each request (workbook.Open, the progress file and the labs' files as
// they are), so a lab's status on the home page and in the sidebar is the
// terminal dashboard's (workbook.Lab.LabelIn). The one difference: a lab
// changed since its last check is "not checked yet" until its page checks
// it, where the dashboard would check it before printing. A lab whose files
// are the skeleton as shipped is "not started" there, and its page's
// status line, once checked, says "not started: 0 of 6 tasks", as netbook
// check's first line does.
//
// # Safe by construction
//
// Every request passes one gate (Server.Handler) before anything else:
//
//   - Host must name the server: a loopback name or IP with the server's
//     port. A site whose name now resolves to 127.0.0.1 (DNS rebinding)
//     gets 403.
//   - Origin, when the browser sends one, must be the server's own
//     (http://HOST:PORT). A page of another site, or of another port of
//     this machine, gets 403.
//   - A request that acts (/api/..., /events/...) must come from the
//     server's own pages by Sec-Fetch-Site, when the browser sends it: an
//     image or a link on a page of another port of this machine carries no
//     Origin, and the cookie with it (the same site), and gets 403.
//   - Every request but the static files carries the server's token: 128
//     random bits, in the URL that netbook serve prints and opens (as
//     Jupyter does). The first visit trades it for a cookie (HttpOnly,
//     SameSite=Strict, named for the port) and drops it from the address
//     bar; requests without it get 403. Tokens are compared in constant
//     time.
//
// A 403 is the reason in plain words, what to do, in the request's edition
// and the other: as plain text, or, for a browser opening a page (GET,
// Accept: text/html), as a small HTML page of its own, escaped, with none
// of the book.
//
// Listen refuses an address that is not loopback unless public is set, and
// netbook serve warns when it is. The pages send a Content-Security-Policy
// that allows nothing but the server itself.
package web
