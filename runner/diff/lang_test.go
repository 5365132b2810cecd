package diff

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netbook/netbook/internal/testkit"
	"github.com/netbook/netbook/runner/labrun"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/sandbox"
	"github.com/netbook/netbook/runner/style"
)

// The report in Chinese: the verdicts, who did what and what to try next
// in Chinese; the session's own report (its steps and bytes) and the
// commands as they are; and the same layout (the verdicts in one column).
func TestWriteTextInChinese(t *testing.T) {
	crashed := &Side{Exited: true, Output: "panic: boom\n", Mismatch: &Mismatch{Report: "labs/03-hello-server/testdata/exit.session:4: connection a was reset\n  steps so far:\n  > 4: a <- bye\\n\n"}}
	crashed.problem(lang.DiffExited, func(l lang.Lang) []any { return []any{labrunWho(l), 2} })
	r := &Report{Lab: "03-hello-server", Kind: "server", Sessions: []*Session{
		{Name: "crlf", Status: Same, Student: &Side{Followed: true}, Reference: &Side{Followed: true}},
		{Name: "exit", File: "labs/03-hello-server/testdata/exit.session", Status: Differs, Student: crashed, Reference: &Side{Followed: true}},
		{Name: "bad", File: "labs/03-hello-server/testdata/bad.session", Status: BadSession, Student: &Side{}, Reference: &Side{Mismatch: &Mismatch{Report: "labs/03-hello-server/testdata/bad.session:2: x\n"}}},
	}}
	adv := Advice{Up: "netbook up 03", UpRef: "netbook up 03 --ref", Check: "netbook check 03", Lang: lang.Chinese}
	var out bytes.Buffer
	WriteText(&out, r, style.Style{}, adv)
	text := out.String()
	for _, want := range []string{
		"03-hello-server：你的服务器与参考答案对照，共 3 个脚本会话\n\n",
		"一致    crlf\n",
		"不一致  exit\n",
		"    你的服务器在会话进行中退出了（退出状态 2）；它打印的内容：\n      | panic: boom\n",
		"    labs/03-hello-server/testdata/exit.session:4: connection a was reset\n",
		"    （参考答案的服务器能按这个会话走完）\n",
		"有问题  bad\n",
		"所以是会话文件\n    labs/03-hello-server/testdata/bad.session 错了",
		"\n3 个会话中有 1 个与参考答案一致。\n",
		"手动和你的服务器对话：netbook up 03（参考答案：netbook up 03 --ref）\n",
		"实验的测试会告诉你这是哪个任务：netbook check 03\n",
	} {
		assert.Contains(t, text, want)
	}
	for _, line := range strings.Split(text, "\n") {
		assert.LessOrEqual(t, style.Cols(line), DefaultWidth, "%q fits", line)
		assert.NotRegexp(t, `your|reference|session the same|DIFFERS|same   `, line)
	}
	// English is what it was, and JSON's Problem stays English.
	assert.Equal(t, "your server exited during the session (exit status 2); what it printed:", crashed.Problem)
	assert.Equal(t, crashed.Problem, crashed.ProblemIn(lang.English))

	var en bytes.Buffer
	adv.Lang = lang.English
	WriteText(&en, r, style.Style{}, adv)
	assert.Contains(t, en.String(), "DIFFERS  exit\n    your server exited during the session (exit status 2); what it printed:\n")
	assert.Contains(t, en.String(), "\n1 of 3 sessions the same as the reference.\n")

	var none bytes.Buffer
	WriteText(&none, &Report{Lab: "03-hello-server", Kind: "server"}, style.Style{}, Advice{Up: "netbook up 03", Lang: lang.Chinese})
	assert.Equal(t, "实验 03-hello-server 没有可以运行的脚本会话（testdata/*.session）。\n改为手动运行你的服务器：netbook up 03\n", none.String())
}

func labrunWho(l lang.Lang) string { return l.Sprintf(lang.WhoYourServer) }

// A real diff in Chinese: a server that crashes, and one a limit stops,
// said in Chinese; a lab with nothing to diff too.
func TestRunInChinese(t *testing.T) {
	t.Parallel()
	r := testkit.Shipped(t)
	l := testkit.Lab(t, r, "03-hello-server")
	rep, err := Run(t.Context(), r, l, Options{Lang: lang.Chinese, Student: solved(t, l, "server.go", `"Hello, "+name`, `"Hello, "+name[1000:]`)})
	require.NoError(t, err)
	s := rep.Sessions[0]
	require.Equal(t, Differs, s.Status)
	assert.Contains(t, s.Student.Problem, "your server exited during the session", "the report keeps its English")
	assert.Regexp(t, `^你的服务器在会话进行中退出了（退出状态 2）；它打印的内容：$`, s.Student.ProblemIn(lang.Chinese))

	_, err = Run(t.Context(), r, testkit.Lab(t, r, "01-addresses"), Options{Lang: lang.Chinese})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "实验 01-addresses 没有可以对照的")
	assert.Contains(t, err.Error(), "netbook check 01")

	broken := filepath.Join(t.TempDir(), "server.go")
	require.NoError(t, os.WriteFile(broken, []byte("package hello\n\nfunc Serve() {}\n"), 0o644))
	_, err = Run(t.Context(), r, l, Options{Lang: lang.Chinese, Student: labrun.Options{Overlay: map[string]string{filepath.Join(l.Dir, "server.go"): broken}}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "你在 labs/03-hello-server 里的代码编译不通过：\n")
	assert.Contains(t, err.Error(), "实验的 Serve 必须保持说明里给出的签名：func Serve(ln net.Listener) error。")
}

func TestALimitInChinese(t *testing.T) {
	t.Parallel()
	if !sandbox.Probe().LimitsOn {
		t.Skip("no resource limits on this machine")
	}
	r := testkit.Shipped(t)
	l := testkit.Lab(t, r, "03-hello-server")
	limits := ServerLimits
	limits.Memory = 256 << 20
	rep, err := Run(t.Context(), r, l, Options{Limits: limits, Lang: lang.Chinese, Student: labrun.Options{Overlay: map[string]string{filepath.Join(l.Dir, "server.go"): testkit.LeakingHelloServer(t)}}})
	require.NoError(t, err)
	require.NotEmpty(t, rep.Sessions)
	s := rep.Sessions[0]
	require.Equal(t, Differs, s.Status)
	assert.True(t, strings.HasPrefix(s.Student.ProblemIn(lang.Chinese), "你的服务器用了超过 256 MiB 的内存，被停下了：是不是每来一条消息或一个客户端就存下一些东西，却从不释放？"), s.Student.ProblemIn(lang.Chinese))
	assert.True(t, strings.HasPrefix(s.Student.Problem, "your server used more than 256 MiB"), "Problem stays English")
}
