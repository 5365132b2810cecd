package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMain speaks English to the other tests whatever this machine's
// locale, and at 80 columns whatever COLUMNS the shell exported: the tests
// of choosing a language or a width set what they need.
func TestMain(m *testing.M) {
	os.Setenv("NETBOOK_LANG", "en")
	os.Unsetenv("COLUMNS")
	os.Exit(m.Run())
}

// locale sets the environment lang.Resolve reads: NETBOOK_LANG and the
// locale's three variables.
func locale(t *testing.T, netbookLang, lcAll, lang string) {
	t.Helper()
	t.Setenv("NETBOOK_LANG", netbookLang)
	t.Setenv("LC_ALL", lcAll)
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", lang)
}

// LANG=zh_CN.UTF-8 go run ./cmd/netbook shows the Chinese dashboard.
func TestChineseDashboardFromTheLocale(t *testing.T) {
	workTree(t)
	locale(t, "", "", "zh_CN.UTF-8")
	code, out, errOut := netbook(t)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "netbook · 用 Go 学网络编程，一次一个实验")
	// The title column is as wide as "Go 中的套接字" (13 columns), the lab
	// column as "02-first-connection" (19), two spaces between columns.
	assert.Regexp(t, `\n  章  章节 {11}实验 {17}状态\n`, out, "the header's columns are counted in display width")
	assert.Regexp(t, `\n   1  网络与端口 {5}01-addresses {9}未开始\n`, out, "a Chinese title takes two columns a character")
	assert.Regexp(t, `\n   2  Go 中的套接字 {2}02-first-connection {2}未开始\n`, out)
	assert.Contains(t, out, "已完成 0/")
	assert.Contains(t, out, "下一步：实验 01-addresses。先读第 1 章《网络与端口》：\n")
	assert.Empty(t, errOut)
}

// The flag beats NETBOOK_LANG, which beats the locale; English when
// nothing says otherwise.
func TestLanguagePrecedence(t *testing.T) {
	workTree(t)
	const zh, en = "网络与端口", "Networks and ports"
	cases := []struct {
		name                   string
		netbookLang, lcAll, lc string
		args                   []string
		want                   string
	}{
		{"nothing set", "", "", "", nil, en},
		{"a C locale", "", "", "C.UTF-8", nil, en},
		{"a Chinese locale", "", "", "zh_CN.UTF-8", nil, zh},
		{"LC_ALL over LANG", "", "zh_CN.UTF-8", "en_US.UTF-8", nil, zh},
		{"NETBOOK_LANG over the locale", "en", "", "zh_CN.UTF-8", nil, en},
		{"NETBOOK_LANG alone", "zh", "", "", nil, zh},
		{"the flag over NETBOOK_LANG", "zh", "", "", []string{"--lang", "en"}, en},
		{"the flag over the locale", "", "", "en_US.UTF-8", []string{"--lang", "zh"}, zh},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			locale(t, c.netbookLang, c.lcAll, c.lc)
			code, out, errOut := netbook(t, append([]string{"list"}, c.args...)...)
			require.Equal(t, 0, code, errOut)
			assert.Contains(t, out, c.want)
		})
	}

	locale(t, "", "", "")
	code, _, errOut := netbook(t, "list", "--lang", "fr")
	assert.Equal(t, 2, code, "a language netbook does not speak, asked for by name, is a usage error")
	assert.Contains(t, unwrapped(errOut), `"fr" is not a language netbook speaks: use en (English) or zh`)

	locale(t, "klingon", "", "zh_CN.UTF-8")
	code, out, errOut := netbook(t, "list")
	assert.Equal(t, 0, code)
	assert.Contains(t, errOut, "netbook: warning: NETBOOK_LANG: \"klingon\" is not a language netbook speaks")
	assert.Contains(t, out, zh, "the locale decides then")

	locale(t, "zh", "", "")
	code, out, _ = netbook(t, "verify", "--help")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "this command speaks English only", "a command that prints no book text says so of its --lang")
}

// codeBlocks returns the code blocks of a rendered chapter: the lines
// between a rule that names the block ("── go ───...") and the rule that
// closes it.
func codeBlocks(out string) []string {
	open := regexp.MustCompile(`^── \S.* ──+`)
	closing := regexp.MustCompile(`^─+$`)
	var blocks []string
	var cur []string
	in := false
	for _, line := range strings.Split(out, "\n") {
		switch {
		case !in && open.MatchString(line):
			in, cur = true, []string{line}
		case in && closing.MatchString(line):
			blocks = append(blocks, strings.Join(cur, "\n"))
			in = false
		case in:
			cur = append(cur, line)
		}
	}
	return blocks
}

// netbook read 3 --lang zh renders chapter 3 in Chinese, with the code of
// the English chapter, block for block, and links that point into the
// work tree from chapters/zh.
func TestReadChineseChapter(t *testing.T) {
	workTree(t, "03-hello-server")
	code, zh, errOut := netbook(t, "read", "3", "--lang", "zh", "--width", "80", "--no-pager")
	require.Equal(t, 0, code, errOut)
	assert.Empty(t, errOut)
	code, en, errOut := netbook(t, "read", "3", "--width", "80", "--no-pager")
	require.Equal(t, 0, code, errOut)

	assert.True(t, strings.HasPrefix(zh, "第 3/3 章\n"), "the head is Chinese: %q", zh[:min(len(zh), 40)])
	assert.Contains(t, zh, "TCP 服务器\n══════════\n")
	assert.Contains(t, zh, "文章 001")
	blocks := codeBlocks(en)
	require.NotEmpty(t, blocks)
	assert.Equal(t, blocks, codeBlocks(zh), "the Chinese chapter's code is the English chapter's, block for block")
	assert.Contains(t, zh, "(labs/03-hello-server/)", "a link of chapters/zh/ is shown from the work tree's root")
	assert.NotContains(t, zh, "../labs/")
	assert.Contains(t, zh, "实验 labs/03-hello-server。这样开始：\n  go run ./cmd/netbook check 03\n")
	_, zh2, _ := netbook(t, "read", "2", "--lang", "zh", "--width", "80", "--no-pager")
	assert.Contains(t, zh2, "》：go run ./cmd/netbook read 3\n", "no space after a full-width colon")

	_, zh0, _ := netbook(t, "read", "0", "--lang", "zh", "--width", "80", "--no-pager")
	assert.Contains(t, zh0, "(chapters/zh/03-tcp-server.md)", "chapter 0's map links to the Chinese chapters")
}

// A path into chapters/zh (as chapter 0's Chinese map links them) names
// the Chinese edition: read shows it as --lang zh does, and run lists
// its snippets in Chinese. Other names follow the language as before.
func TestAChinesePathReadsTheChineseChapter(t *testing.T) {
	workTree(t, "03-hello-server")
	_, want, _ := netbook(t, "read", "3", "--lang", "zh", "--width", "80", "--no-pager")
	require.True(t, strings.HasPrefix(want, "第 3/3 章\n"), want[:min(len(want), 40)])
	for _, arg := range []string{"zh/03-tcp-server.md", "chapters/zh/03-tcp-server.md", "./chapters/zh/03-tcp-server.md", `chapters\zh\03-tcp-server.md`} {
		code, out, errOut := netbook(t, "read", arg, "--width", "80", "--no-pager")
		require.Equal(t, 0, code, "%s: %s", arg, errOut)
		assert.Empty(t, errOut, arg)
		assert.Equal(t, want, out, "netbook read %s", arg)
	}
	_, out, _ := netbook(t, "read", "chapters/03-tcp-server.md", "--width", "80", "--no-pager")
	assert.True(t, strings.HasPrefix(out, "Chapter 3 of 3\n"), "an English path stays English: %q", out[:min(len(out), 40)])

	code, list, errOut := netbook(t, "run", "zh/02-sockets-in-go.md")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, list, "第 2 章《Go 中的套接字》")
}

// check and hint in Chinese: the tasks' titles from tasks.zh.yaml, the
// hints from hints.zh.yaml, the runner's words from the catalogue; the
// test's failure message stays as the test wrote it.
func TestCheckAndHintInChinese(t *testing.T) {
	workTree(t)
	locale(t, "zh", "", "")
	code, out, _ := netbook(t, "check", "01")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "01-addresses · 地址与端口 · 未开始：通过 0/", "a fresh lab: not started, as the dashboard says")
	assert.Contains(t, out, "✗  1  解析 \"host:port\"")
	assert.Contains(t, out, "任务 1 失败（TestTask1")
	assert.Contains(t, out, "TODO: implement ParseEndpoint (task 1)", "test messages stay English")
	assert.Contains(t, out, "卡住了？go run ./cmd/netbook hint 01\n")

	code, out, _ = netbook(t, "hint", "01")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "01-addresses 任务 1（第一个没通过的任务）的提示，第 1 级（共 ")
	assert.Contains(t, out, "再要一条提示：go run ./cmd/netbook hint 01\n")
	assert.Regexp(t, `\p{Han}`, hintText(out), "the hint is hints.zh.yaml's")
}

// A missing translation shows the English, with no failure: a chapter, a
// brief, hints and task titles.
func TestMissingTranslationsFallBackOnEnglish(t *testing.T) {
	root := workTree(t)
	matches, err := filepath.Glob(filepath.Join(root, "chapters", "zh", "01-*.md"))
	require.NoError(t, err)
	require.Len(t, matches, 1)
	for _, f := range append(matches,
		filepath.Join(root, "labs", "01-addresses", "README.zh.md"),
		filepath.Join(root, "labs", "01-addresses", "hints.zh.yaml"),
		filepath.Join(root, "labs", "01-addresses", "tasks.zh.yaml")) {
		require.NoError(t, os.Remove(f))
	}
	locale(t, "", "", "zh_CN.UTF-8")

	code, out, errOut := netbook(t)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "用 Go 学网络编程")
	assert.Regexp(t, `1  Networks and ports\s+01-addresses\s+未开始`, out, "chapter 1 has no Chinese edition: its English title")
	assert.Regexp(t, `2  Go 中的套接字`, out)

	code, out, errOut = netbook(t, "read", "1", "--no-pager")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "Networks and ports")
	assert.Contains(t, errOut, "第 1 章还没有中文版，下面是英文原文。")

	code, out, _ = netbook(t, "check", "01")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "01-addresses · Addresses and ports · 未开始：通过 0/")
	assert.Contains(t, out, "✗  1  Parse", "the English task titles")

	code, out, errOut = netbook(t, "hint", "01")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "的提示，第 1 级")
	assert.NotRegexp(t, `\p{Han}`, hintText(out), "the English hint")
}

// hintText is the text of the hint netbook hint printed: its indented
// lines.
func hintText(out string) string {
	var text []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "  ") {
			text = append(text, l)
		}
	}
	return strings.Join(text, "\n")
}

// An installed netbook outside a work tree reads the Chinese book it
// embeds.
func TestChineseOutsideAWorkTree(t *testing.T) {
	t.Setenv("NETBOOK_ROOT", "")
	t.Chdir(t.TempDir())
	code, out, errOut := netbook(t, "list", "--lang", "zh")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "网络与端口")
	assert.Contains(t, out, "读其中一章：netbook read 1")
	code, out, errOut = netbook(t, "read", "3", "--lang", "zh", "--no-pager")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "TCP 服务器")
}

// Every command takes --lang, as the README tells a reader to add it to a
// command: one that speaks English only says so, and a language netbook
// does not speak is refused as everywhere.
func TestEveryCommandTakesLang(t *testing.T) {
	workTree(t)
	for _, c := range commands {
		// An unknown flag after --lang stops every command before it does
		// anything; the error names the flag parsing stopped at.
		args := []string{"--lang", "zh", "--no-such-flag"}
		if c.Name != "" {
			args = append([]string{c.Name}, args...)
		}
		code, _, errOut := netbook(t, args...)
		assert.Equal(t, 2, code, "%q", c.Name)
		assert.Contains(t, errOut, "not defined: -no-such-flag", "%q takes --lang", c.Name)
	}
	code, out, errOut := netbook(t, "progress", "--lang", "zh")
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, "netbook progress: 本命令只有英文 (this command speaks English only)")
	assert.Contains(t, out, "Your progress in this copy of the book")
	code, _, errOut = netbook(t, "progress", "--lang", "fr")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `"fr" is not a language netbook speaks`)
	code, _, errOut = netbook(t, "progress", "--lang", "en")
	assert.Equal(t, 0, code, errOut)
	assert.NotContains(t, errOut, "本命令")

	// run lists the Chinese chapter's snippets: the same code blocks,
	// under its headings.
	code, out, errOut = netbook(t, "run", "1", "--lang", "zh")
	assert.Equal(t, 0, code, errOut)
	assert.Empty(t, errOut)
	assert.Contains(t, out, "第 1 章《网络与端口》 · 11 段可运行的代码")
	assert.Contains(t, out, "运行其中一段：")
	assert.NotContains(t, out, "The parts of a network")
}

// --lang may come before the command's name too, as a reader who sets
// the language first types it; help, which speaks English only, ignores
// it; the dashboard's errors name "netbook" alone.
func TestLangBeforeTheCommand(t *testing.T) {
	workTree(t)
	code, out, errOut := netbook(t, "--lang", "zh", "list")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "实验")
	code, out, errOut = netbook(t, "--lang=zh", "list")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "实验")
	code, out, _ = netbook(t, "--lang", "zh", "help", "grade")
	require.Equal(t, 0, code)
	assert.True(t, strings.HasPrefix(out, "Usage: netbook grade"), out)
	code, out, _ = netbook(t, "help", "hint")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "-lang", "help COMMAND lists the flags COMMAND --help lists")
	code, _, errOut = netbook(t, "--no-such-flag")
	assert.Equal(t, 2, code)
	assert.True(t, strings.HasPrefix(errOut, "netbook: flag provided but not defined"), errOut)
	assert.Equal(t, []string{"check", "--lang", "zh", "03"}, langFirst([]string{"--lang", "zh", "check", "03"}))
	assert.Equal(t, []string{"--lang", "zh"}, langFirst([]string{"--lang", "zh"}), "the dashboard")
}
