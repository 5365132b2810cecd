package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// netbook up and diff speak the reader's language; diff's --json stays
// English, its errors too. It diffs lab 03's skeleton, in a tree as the
// book shipped it, whatever the student has done to this one.
func TestUpAndDiffSpeakChinese(t *testing.T) {
	workTree(t, "03-hello-server", "04-http-client")
	locale(t, "", "", "")
	code, _, errOut := netbook(t, "up", "04", "--lang", "zh")
	assert.Equal(t, 1, code)
	assert.NotContains(t, errOut, "本命令只有英文")
	assert.Contains(t, unwrapped(errOut), "实验 04-http-client 不是服务器实验")

	code, _, errOut = netbook(t, "diff", "01", "--lang", "zh")
	assert.Equal(t, 1, code)
	assert.Contains(t, unwrapped(errOut), "实验 01-addresses 没有可以对照的")

	code, _, errOut = netbook(t, "diff", "01", "--lang", "zh", "--json")
	assert.Equal(t, 1, code)
	assert.Contains(t, unwrapped(errOut), "lab 01-addresses has nothing to diff")

	code, out, errOut := netbook(t, "diff", "03", "--lang", "zh")
	assert.Equal(t, 1, code, "the skeleton differs")
	assert.Contains(t, errOut, "正在为 03-hello-server 编译你的代码和参考答案……\n正在运行会话 labs/03-hello-server/testdata/crlf.session\n")
	assert.Contains(t, out, "03-hello-server：你的服务器与参考答案对照，共 4 个脚本会话\n\n不一致  crlf\n    你的服务器在会话进行中退出了（退出状态 1）；它打印的内容：\n")
	assert.Regexp(t, `\| \S+ 服务器还没被停止，Serve 就返回了错误：\n`, out)
	assert.Regexp(t, `\n4 个会话中有 0 个与参考答案一致。\n手动和你的服务器对话：.* up 03（参考答案：\s*\S*.*up 03 --ref）\n实验的测试会告诉你这是哪个任务：.* check 03\n$`, out)
}
