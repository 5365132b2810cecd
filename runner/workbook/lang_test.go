package workbook

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netbook/netbook/internal/golden"
	"github.com/netbook/netbook/runner/book"
	"github.com/netbook/netbook/runner/gotest"
	"github.com/netbook/netbook/runner/labs"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/style"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// chinese turns the fixture's book and lab into the Chinese edition's: a
// chapter title long enough to be clipped, task titles in Chinese.
func chinese(b *book.Book, all []*labs.Lab) {
	b.Lang = lang.Chinese
	b.Chapters[0].Title, b.Chapters[0].Lang = "从这里开始", lang.Chinese
	b.Chapters[1].Title, b.Chapters[1].Lang = "演示：一个标题很长很长的章节，长到要截断", lang.Chinese
	l := all[0]
	l.Lang = lang.Chinese
	l.Tasks[0].Title, l.Tasks[1].Title = "做好 A。", "做好 B。"
	l.Hints = &labs.Hints{Tasks: map[int][]string{
		1: {"先想想 A 是什么。"},
		2: {"B 建立在 A 之上：先让 A 通过，再看 B 要的是什么，测试的失败消息会告诉你它期待哪些字节、实际收到了哪些字节，以及下一步该试什么。", "for {\n    conn, err := ln.Accept()\n}"},
	}}
}

// TestDashboardTextChinese draws the Chinese dashboard of a fresh clone
// and of a lab in progress: the runner's words from the catalogue, the
// columns aligned by display width (a Chinese character takes two).
func TestDashboardTextChinese(t *testing.T) {
	b, all, st, sums := fixture(t)
	chinese(b, all)
	open := func(run Runner) *Workbook {
		t.Helper()
		entries, err := Gather(context.Background(), b, all, st, sums, run)
		require.NoError(t, err)
		w := &Workbook{Book: b, Entries: entries, State: st, Sums: sums, Cmd: "netbook", Lang: lang.Chinese, warn: io.Discard}
		for _, e := range entries {
			if e.Lab != nil {
				w.Labs = append(w.Labs, e.Lab)
			}
		}
		return w
	}
	var out strings.Builder
	WriteDashboard(&out, open(nil), style.Style{}, 60)
	golden.Check(t, "testdata/fresh.zh.txt", out.String())
	lines := strings.Split(out.String(), "\n")
	head := lines[2]
	labAt := style.Cols(head[:strings.Index(head, "实验")])
	for _, line := range lines {
		if strings.HasPrefix(line, "   1  ") {
			assert.Equal(t, labAt, style.Cols(line[:strings.Index(line, "01-demo")]), "the lab column starts under its heading: %q", line)
			assert.Contains(t, line, "…", "the long title is clipped to fit 60 columns")
			assert.LessOrEqual(t, style.Cols(line), 60, "%q", line)
		}
	}

	require.NoError(t, os.WriteFile(filepath.Join(all[0].Dir, "demo.go"), []byte("package demo\n// work\n"), 0o644))
	st.Read["00-start-here"], st.Read["01-demo"] = true, true
	calls := 0
	out.Reset()
	WriteDashboard(&out, open(runner(&calls, gotest.Pass, gotest.Fail)), style.Style{}, 60)
	golden.Check(t, "testdata/in-progress.zh.txt", out.String())
}

// TestHintTextChinese shows hints as netbook hint --lang zh does: the
// hint's own text (hints.zh.yaml) with the runner's words around it, prose
// wrapped between Chinese characters, code left as written.
func TestHintTextChinese(t *testing.T) {
	b, all, st, _ := fixture(t)
	chinese(b, all)
	l := all[0]
	w := &Workbook{Book: b, State: st, Cmd: "netbook", Lang: lang.Chinese, warn: io.Discard}
	p := &Lab{Lab: l, Known: true, Status: InProgress, Passed: 1, Total: 2, Next: &l.Tasks[1]}
	var out strings.Builder
	for range 3 {
		h, err := w.Hint(context.Background(), p, 0)
		require.NoError(t, err)
		WriteHint(&out, w, h, style.Style{}, 0)
		out.WriteString("--\n")
	}
	h, err := w.Hint(context.Background(), p, 1)
	require.NoError(t, err)
	WriteHint(&out, w, h, style.Style{}, 0)
	out.WriteString("--\n")
	WriteShown(&out, w, p, 2, style.Style{}, 0)
	out.WriteString("--\n")
	p.Status, p.Next = NoCompile, nil
	h, err = w.Hint(context.Background(), p, 0)
	require.NoError(t, err)
	WriteHint(&out, w, h, style.Style{}, 0)
	golden.Check(t, "testdata/hint.zh.txt", out.String())
	for _, line := range strings.Split(out.String(), "\n") {
		assert.LessOrEqual(t, style.Cols(line), 80, "a hint's prose is wrapped to 80 columns: %q", line)
	}
}

// A lab's status and the next step in Chinese.
func TestLabelAndNextChinese(t *testing.T) {
	b, all, st, sums := fixture(t)
	chinese(b, all)
	entries, err := Gather(context.Background(), b, all, st, sums, nil)
	require.NoError(t, err)
	p := entries[1].Lab
	assert.Equal(t, "未开始", p.LabelIn(lang.Chinese))
	assert.Equal(t, "下一步：实验 01-demo。先读第 1 章《演示：一个标题很长很长的章节，长到要截断》：", Next(entries, st, "netbook", lang.Chinese).Text)
	p.Status, p.Passed = InProgress, 1
	assert.Equal(t, "通过 1/2 个任务", p.LabelIn(lang.Chinese))
	p.Status, p.DoneAt = Done, time.Date(2026, 3, 2, 12, 0, 0, 0, time.Local)
	assert.Equal(t, "2026年3月2日 完成", p.LabelIn(lang.Chinese))
	assert.Equal(t, "done 2 Mar 2026", p.Label(), "Label is the English")
}
