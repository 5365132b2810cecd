package reset

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/repo"
	"github.com/netbook/netbook/runner/shipped"
	"github.com/netbook/netbook/runner/style"
)

// Every line reset writes fits the width, with the longest lab name, its
// backups' paths and netbook as a student runs it from a lab's folder; a
// command to copy stays whole on one line (broken over two, it runs as
// two) and is the one the student runs netbook by.
func TestTextFitsTheWidth(t *testing.T) {
	root := repo.Root{Dir: filepath.Join(t.TempDir(), "netbook")}
	l := &labs.Lab{Name: "11-reliable-stream", Number: 11}
	l.Files = []string{"sender.go", "receiver.go", "window.go"}
	at := time.Date(2026, 12, 28, 15, 4, 5, 0, time.Local)
	backup := func(stamp, why string, names ...string) *Backup {
		b := &Backup{Lab: l.Name, At: at, Why: why, Dir: filepath.Join(Dir(root, l.Name), stamp)}
		for _, n := range names {
			b.Files = append(b.Files, Saved{Name: n})
		}
		return b
	}
	b := backup("20261228-150405", "reset", "sender.go", "receiver.go", "window.go")
	all := []*Backup{b, backup("20261228-150405-2", "restore", "sender.go", "receiver.go", "window.go", "timer.go", "checksum.go")}
	plan := &Plan{Lab: l, Files: []File{{Name: "sender.go"}, {Name: "receiver.go"}, {Name: "window.go"}}, Own: []string{"notes.go", "scratch_test.go"}}
	restored := &Restored{Files: []string{"sender.go", "receiver.go", "window.go"}, Saved: all[1]}
	for _, cmd := range []string{"netbook", "go run ../../../cmd/netbook"} {
		for _, width := range []int{0, 40, 60, 80} {
			text := Text{Root: root, Cmd: cmd, Width: width}
			var out strings.Builder
			text.WritePlan(&out, plan)
			text.WriteDone(&out, l, b)
			text.WriteRestored(&out, l, b, restored)
			text.WriteRestored(&out, l, b, &Restored{Files: restored.Files, Same: true})
			text.WriteList(&out, l, all)
			text.WriteList(&out, l, nil)
			for _, err := range []error{NoBackup(l, cmd), ErrNoTerminal,
				Why(ErrNothing, l, nil), Why(ErrNothing, l, []string{"sender.go", "receiver.go", "window.go"}),
				Why(&shipped.UnrecoverableError{Files: []string{"11-reliable-stream/sender.go", "11-reliable-stream/receiver.go"}, Why: shipped.Why{Kind: shipped.NotAClone}}, l, nil)} {
				// As netbook prints an error: wrapped again at the
				// screen's width, its commands whole.
				max := width
				if max == 0 {
					max = DefaultWidth
				}
				out.WriteString(style.Style{}.WrapKeeping("netbook reset: "+err.Error(), max, cmd+" reset 11") + "\n")
			}
			max := width
			if max == 0 {
				max = DefaultWidth
			}
			cmds := []string{cmd + " check 11", cmd + " reset --restore 11", cmd + " reset 11"}
			for _, line := range strings.Split(out.String(), "\n") {
				if !fits(line, max, cmds...) {
					assert.LessOrEqual(t, style.Cols(line), max, "%q fits %d columns", line, max)
				}
			}
			for _, c := range []string{"check 11", "reset --restore 11", "reset 11"} {
				assert.Contains(t, out.String(), cmd+" "+c, "the command stays whole, on one line, as the student runs netbook")
			}
			assert.Contains(t, strings.Join(strings.Fields(out.String()), " "), cmd+" reset 11 makes one before it changes anything", "width %d: every word", width)
			if cmd != "netbook" {
				assert.NotRegexp(t, `(^|\n|: )netbook reset 11 makes one`, out.String(), "the command the student runs netbook by")
			}
		}
	}
}

// fits reports whether line fits max columns, or is wider only because
// of what cannot be broken: one word (a path), or a command to copy, on a
// line of its own.
func fits(line string, max int, cmds ...string) bool {
	if style.Cols(line) <= max {
		return true
	}
	bare := strings.Trim(strings.TrimSpace(line), "().,:")
	if !strings.Contains(bare, " ") {
		return true
	}
	for _, c := range cmds {
		if strings.HasPrefix(bare, c) && style.Cols(c) > max-len("netbook reset: ") {
			return true
		}
	}
	return false
}

// On a narrow screen the backups' list puts the files and the folder
// under the date, and no word of it is lost to the wrapping.
func TestWriteListNarrow(t *testing.T) {
	root := repo.Root{Dir: filepath.Join(t.TempDir(), "netbook")}
	l := &labs.Lab{Name: "05-snack-shop", Number: 5}
	at := time.Date(2026, 12, 28, 15, 4, 5, 0, time.Local)
	b := &Backup{Lab: l.Name, At: at, Why: "reset", Dir: filepath.Join(Dir(root, l.Name), "20261228-150405"), Files: []Saved{{Name: "shop.go"}, {Name: "menu.go"}}}
	var out strings.Builder
	Text{Root: root, Cmd: "netbook", Width: 40}.WriteList(&out, l, []*Backup{b})
	assert.Contains(t, out.String(), "\n  2026-12-28 15:04:05\n    before a reset: shop.go and menu.go\n    in\n    .netbook/backups/05-snack-shop/20261228-150405\n")
	out.Reset()
	Text{Root: root, Cmd: "netbook", Width: 80}.WriteList(&out, l, []*Backup{b})
	assert.Contains(t, out.String(), "\n  2026-12-28 15:04:05  before a reset: shop.go and menu.go\n                       in .netbook/backups/05-snack-shop/20261228-150405\n", "wide enough: beside the date, as ever")
}
