package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/netbook/netbook/runner/style"
)

// printError writes a line netbook says about itself, "netbook check: no
// lab ..." (prog, then msg), wrapped at the width of w's terminal (80
// columns when w is not one, as in a pipe or a file), as everything else
// a student reads is. The "netbook check:" stays whole on the first line,
// and a command the message suggests ("netbook check 03", "go run
// ./cmd/netbook list") or the path of the folder netbook runs in is never
// broken over two lines: broken, it would not run as two.
func printError(w io.Writer, prog, msg string) {
	f, _ := w.(*os.File)
	fmt.Fprintln(w, wrapError(prog+": "+msg, style.Width(f)))
}

// wrapError wraps text at width, keeping the commands and paths in it
// whole (see printError).
func wrapError(text string, width int) string {
	var keep []string
	for line := range strings.Lines(text) {
		keep = append(keep, commandsIn(strings.TrimRight(line, "\n"))...)
	}
	for _, dir := range workDirs() {
		if strings.Contains(dir, " ") {
			keep = append(keep, dir)
		}
	}
	// The longest first: "netbook check 03" before the "netbook check"
	// of the prefix, and a folder before the folder above it.
	slices.SortFunc(keep, func(a, b string) int { return len(b) - len(a) })
	for _, k := range keep {
		text = strings.ReplaceAll(text, k, style.Unbroken(k))
	}
	return style.Wrap(text, width)
}

// workDirs are the folders whose paths an error names most: where netbook
// runs and the folders above it (the work tree's root among them), and
// NETBOOK_ROOT.
func workDirs() []string {
	var dirs []string
	if wd, err := os.Getwd(); err == nil {
		for d := wd; ; d = filepath.Dir(d) {
			dirs = append(dirs, d)
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	if root := os.Getenv("NETBOOK_ROOT"); root != "" {
		dirs = append(dirs, root)
	}
	return dirs
}

// commandsIn finds the netbook command lines in a line of an error:
// "netbook" (or "go run PATH/netbook"), one of netbook's commands, and the
// arguments after it, up to the first word of prose or punctuation.
// "(list them with: netbook list)" has "netbook list"; "run netbook up
// 03 again" has "netbook up 03"; "such as: check 03 --task 2", a command
// line without netbook, has "check 03 --task 2".
func commandsIn(line string) []string {
	words := strings.Split(line, " ")
	var found []string
	for i := 0; i < len(words); i++ {
		start, at := i, i // the command line starts at start, its command's name is at at
		switch w := words[i]; {
		case w == "netbook" || strings.HasSuffix(w, "/netbook") || strings.HasSuffix(w, `\netbook`):
			if i >= 2 && words[i-2] == "go" && words[i-1] == "run" {
				start = i - 2
			}
			at = i + 1
		case i >= 2 && words[i-2] == "such" && words[i-1] == "as:":
		default:
			continue
		}
		if at >= len(words) {
			break
		}
		name, cut := trimPunct(words[at])
		if c := find(name); c == nil || c.Name == "" {
			continue
		}
		end := at + 1
		for !cut && end < len(words) {
			arg, stop := trimPunct(words[end])
			if !isArg(arg) {
				break
			}
			end++
			cut = stop
		}
		cmd, _ := trimPunct(strings.Join(words[start:end], " "))
		if strings.Contains(cmd, " ") {
			found = append(found, cmd)
		}
		i = end - 1
	}
	return found
}

// trimPunct cuts the punctuation that ends a word of prose off word, and
// says whether there was any: a command ends there.
func trimPunct(word string) (string, bool) {
	w := strings.TrimRight(word, ".,;:)")
	return w, w != word
}

// isArg reports whether word reads as an argument of a command line
// rather than as prose: a flag, a number or a lab ("03", "2:1",
// "03-hello-server", "127.0.0.1:9000", "30s"), a placeholder ("NN",
// "FILE"), a path, or one of the words netbook's commands take.
func isArg(word string) bool {
	switch {
	case word == "" || strings.HasPrefix(word, "("):
		return false
	case strings.HasPrefix(word, "-"), strings.ContainsAny(word, `/\`):
		return true
	case word[0] >= '0' && word[0] <= '9':
		return true
	case strings.ToUpper(word) == word && strings.ToLower(word) != word:
		return true
	}
	switch word {
	case "tcp", "udp", "listen", "connect", "en", "zh":
		return true
	}
	return false
}
