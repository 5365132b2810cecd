package lang

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A message without a translation is shown in English: nothing fails.
func TestMissingTranslationFallsBackOnEnglish(t *testing.T) {
	m := &Message{en: "%d of %d labs done"}
	assert.Equal(t, "1 of 2 labs done", Chinese.Sprintf(m, 1, 2))
	assert.Equal(t, "1 of 2 labs done", English.Sprintf(m, 1, 2))
	assert.Equal(t, "已完成 1/2 个实验", Chinese.Sprintf(LabsDone, 1, 2))
	assert.Equal(t, "1 of 2 labs done", Lang("").Sprintf(LabsDone, 1, 2), "the zero Lang is English")
	day := time.Date(2026, 3, 2, 12, 0, 0, 0, time.Local)
	assert.Equal(t, "2 Mar 2026", English.Day(day))
	assert.Equal(t, "2026年3月2日", Chinese.Day(day))
}

// verb matches one fmt verb: %%, or flags, an optional [index], width,
// precision and the verb letter.
var verb = regexp.MustCompile(`%(?:%|([-+# 0]*)(?:\[(\d+)\])?(\d*)(?:\.\d*)?([a-zA-Z]))`)

// args maps each argument a format uses (from 1) to the verb letters that
// print it, as fmt numbers them: in order, or by an explicit [n].
func args(format string) map[int]string {
	out := map[int]string{}
	next := 1
	for _, m := range verb.FindAllStringSubmatch(format, -1) {
		if m[0] == "%%" {
			continue
		}
		if m[2] != "" {
			next, _ = strconv.Atoi(m[2])
		}
		out[next] += m[4]
		next++
	}
	return out
}

// Every message of the catalogue has a translation, and the translation
// prints the same arguments with the same verbs (%d stays %d, so no
// argument is dropped and none comes out as %!d(string=...)).
func TestCatalogueIsComplete(t *testing.T) {
	require.NotEmpty(t, catalogue)
	seen := map[string]bool{}
	for _, m := range catalogue {
		name := fmt.Sprintf("%q", m.en)
		assert.NotEmpty(t, m.en, "a message without English")
		assert.False(t, seen[m.en], "%s is in the catalogue twice: one message, one place", name)
		seen[m.en] = true
		if !assert.NotEmpty(t, m.zh, "%s has no Chinese translation", name) {
			continue
		}
		assert.Equal(t, args(m.en), args(m.zh), "%s: the translation %q must print the same arguments with the same verbs", name, m.zh)
		assert.Equal(t, strings.HasSuffix(m.en, "\n"), strings.HasSuffix(m.zh, "\n"), "%s: the translation must end a line where the English does", name)
		assert.NotContains(t, format(Chinese, m, dummies(args(m.en))...), "%!", "%s: the translation does not format", name)
	}
}

// dummies makes arguments for a format's verbs.
func dummies(used map[int]string) []any {
	var out []any
	for i := 1; i <= len(used); i++ {
		switch used[i] {
		case "d", "dd":
			out = append(out, 1)
		case "v":
			out = append(out, time.Second)
		case "c":
			out = append(out, 'x')
		case "w":
			out = append(out, errors.New("x"))
		default:
			out = append(out, "x")
		}
	}
	return out
}

// format formats m in l as the runner does: with fmt.Errorf when it wraps
// an error (%w), which only Errorf understands.
func format(l Lang, m *Message, a ...any) string {
	if strings.Contains(m.Format(l), "%w") {
		return fmt.Errorf(m.Format(l), a...).Error()
	}
	return l.Sprintf(m, a...)
}
