// Package lang is the languages netbook speaks: which one a command
// writes in, and the catalogue of the runner's own messages in each.
//
// # Choosing the language
//
// [Resolve] is the one resolver every front end uses. The first of these
// that is set decides:
//
//  1. the --lang flag (en or zh);
//  2. the NETBOOK_LANG environment variable (a value netbook does not
//     speak is skipped, with a warning);
//  3. the system locale: the first of LC_ALL, LC_MESSAGES and LANG that is
//     set, as POSIX orders them; a locale that starts with "zh"
//     (zh_CN.UTF-8, zh_TW, zh) is Chinese, any other (C, POSIX, en_US.UTF-8,
//     fr_FR) English;
//  4. English.
//
// The language picks the book's text (chapters/zh/, a lab's README.zh.md,
// hints.zh.yaml and tasks.zh.yaml, a solution's NOTES.zh.md: see
// runner/book and runner/labs) and the runner's messages. Whatever has no
// translation is shown in English: nothing fails for a missing one. Test
// failure messages come from the labs' Go tests and stay English; the
// lines netbook writes around them (check.Failure.MessageIn) do not.
//
// # The catalogue
//
// Every message a student reads often (the dashboard, the next step,
// check's, hint's and watch's lines, read's and compare's frames) is a
// [Message] in catalog.go, the one place its English and its Chinese are
// written, side by side. A message is a format for package fmt, so the
// English output is what it was before the catalogue existed, byte for
// byte; a translation may reorder the arguments with explicit indexes
// (%[2]s). Code names a message by its variable and prints it with
// [Lang.Sprintf] or [Lang.Fprintf]:
//
//	w.Lang.Fprintf(out, lang.DashboardDone, done, total)
//
// Messages are made only in this package (their fields are unexported),
// so there is no second catalogue to drift. The package's tests check that
// every message has a translation whose verbs take the same arguments as
// the English ones.
//
// Why not golang.org/x/text/message: its printer formats numbers for the
// locale (1234 becomes "1,234") and pads by runes, so English output would
// no longer be the same bytes; and its catalogue is keyed by strings, so
// a typo in a key silently shows the English. A table of named messages
// is checked by the compiler.
//
// Terminal columns are measured by display width (runner/style: a Chinese
// character takes two), never by bytes or runes.
package lang
