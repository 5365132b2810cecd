package diff

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/netbook/netbook/runner/style"
)

// Every sentence of the report fits the width, with the longest lab name
// and netbook as a student runs it from a lab's folder, and a command to
// copy stays whole on one line: broken over two, it runs as two. What
// the programs sent and printed is shown as it is.
func TestWriteTextFitsTheWidth(t *testing.T) {
	differs := &Session{Name: "greeting", File: "labs/11-reliable-stream/testdata/greeting.session", Status: Differs,
		Student:   &Side{Problem: "the server exited with status 1 during the session, before the script was done with it", Exited: true},
		Reference: &Side{Followed: true}}
	bad := &Session{Name: "exit", File: "labs/11-reliable-stream/testdata/exit.session", Status: BadSession,
		Student: &Side{}, Reference: &Side{Problem: "the reference did not stop within 2s of being told to: it was killed"}}
	client := &Session{Name: "redirect", File: "labs/04-http-client/testdata/redirect.session", Status: Differs,
		Student:   &Side{Mismatch: &Mismatch{Report: "labs/04-http-client/testdata/redirect.session:3: the client sent something else than the script expects, at byte 4"}},
		Reference: &Side{Followed: true}}
	for _, cmd := range []string{"netbook", "go run ../../../cmd/netbook"} {
		adv := Advice{Up: cmd + " up 11", UpRef: cmd + " up 11 --ref", Check: cmd + " check 11"}
		for _, width := range []int{0, 80, 60} {
			adv.Width = width
			for _, r := range []*Report{
				{Lab: "11-reliable-stream", Kind: "server", Sessions: []*Session{differs, bad}},
				{Lab: "04-http-client", Kind: "client", Sessions: []*Session{client}},
				{Lab: "11-reliable-stream", Kind: "server"},
			} {
				var out strings.Builder
				WriteText(&out, r, style.Style{}, adv)
				max := width
				if max == 0 {
					max = DefaultWidth
				}
				for _, line := range strings.Split(out.String(), "\n") {
					assert.LessOrEqual(t, style.Cols(line), max, "%q fits %d columns", line, max)
				}
				if r.Kind == "server" {
					assert.Contains(t, out.String(), adv.Up, "the command stays whole, on one line")
				}
				if len(r.Sessions) > 0 {
					assert.Contains(t, out.String(), adv.Check)
				}
				if r.Sessions != nil && r.Kind == "server" {
					assert.Contains(t, out.String(), adv.UpRef)
				}
			}
		}
	}
}
