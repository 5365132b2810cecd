package compare

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netbook/netbook/internal/testkit"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/style"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// compare in Chinese: the notes from NOTES.zh.md when the lab has them,
// else the English ones; the report's own words in Chinese either way.
func TestCompareInChinese(t *testing.T) {
	r := testkit.Pristine(t, testkit.Only("03"))
	l := testkit.Lab(t, r, "03-hello-server").In(lang.Chinese)
	ref, err := os.ReadFile(filepath.Join(l.SolutionDir, "server.go"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(l.Dir, "server.go"), ref, 0o644))

	// The book's own Chinese notes, wrapped to 80 columns, with the link
	// to the Chinese chapter.
	c, err := Build(r, l, result(l, len(l.Tasks)), "zh")
	require.NoError(t, err)
	assert.Equal(t, "solutions/03-hello-server/NOTES.zh.md", c.NotesFile)
	var out strings.Builder
	WriteText(&out, c, TextOptions{Style: style.Style{}, Width: 80, Lang: lang.Chinese})
	assert.Contains(t, out.String(), "参考答案说明：hello 服务器\n")
	assert.Contains(t, out.String(), "(chapters/zh/03-tcp-server.md)")
	assert.NotContains(t, out.String(), "Notes on the reference")
	for _, line := range strings.Split(out.String(), "\n") {
		assert.LessOrEqual(t, style.Cols(line), 80, "%q fits 80 columns", line)
	}

	zhNotes := filepath.Join(l.SolutionDir, "NOTES.zh.md")
	require.NoError(t, os.Remove(zhNotes))
	c, err = Build(r, l, result(l, len(l.Tasks)), "zh")
	require.NoError(t, err)
	assert.Equal(t, "solutions/03-hello-server/NOTES.md", c.NotesFile, "no Chinese notes: the English ones")
	out.Reset()
	WriteText(&out, c, TextOptions{Style: style.Style{}, Width: 80, Next: "netbook", Lang: lang.Chinese})
	assert.Contains(t, out.String(), "03-hello-server · hello 服务器 · 你的代码和本书的参考答案并排对照\n")
	assert.Contains(t, out.String(), "server.go: 和参考答案一字节不差。")
	assert.Contains(t, out.String(), "Notes on the reference")
	assert.Contains(t, out.String(), "下一步：netbook\n")

	require.NoError(t, os.WriteFile(zhNotes, []byte("# 关于参考答案的说明\n\n它通过了同样的测试。\n"), 0o644))
	c, err = Build(r, l, result(l, len(l.Tasks)), "zh")
	require.NoError(t, err)
	assert.Equal(t, "solutions/03-hello-server/NOTES.zh.md", c.NotesFile)
	out.Reset()
	WriteText(&out, c, TextOptions{Style: style.Style{}, Width: 80, Lang: lang.Chinese})
	assert.Contains(t, out.String(), "关于参考答案的说明")

	_, err = Build(r, l, result(l, 3), "zh")
	var notYet *NotYet
	require.True(t, errors.As(err, &notYet))
	out.Reset()
	WriteNotYet(&out, notYet, style.Style{}, "netbook check 03", lang.Chinese, 0)
	assert.Contains(t, out.String(), "实验 03-hello-server 还没完成：3/10 个任务通过，还剩 7 个（下一个：任务 4，")
	assert.Contains(t, out.String(), "继续：netbook check 03\n")
	assert.NotContains(t, out.String(), "\uFFFD", "the first character is capitalised as a character, not a byte")

	out.Reset()
	WriteElsewhere(&out, l.Name, time.Date(2026, 3, 2, 12, 0, 0, 0, time.Local), style.Style{}, "netbook compare 03", lang.Chinese, 0)
	assert.Contains(t, out.String(), "你在 2026年3月2日 完成了实验 03-hello-server")
}
