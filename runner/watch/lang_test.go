package watch

import (
	"strings"
	"testing"
	"time"

	"github.com/netbook/netbook/internal/golden"
	"github.com/netbook/netbook/runner/check"
	"github.com/netbook/netbook/runner/gotest"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/style"
	"github.com/stretchr/testify/assert"
)

// The watch screen in Chinese: the runner's words from the catalogue, the
// failure message as the test wrote it.
func TestRenderChinese(t *testing.T) {
	var b strings.Builder
	Render(&b, Screen{
		Result: result("01-addresses", gotest.Pass, gotest.Fail, gotest.NotRun),
		Dir:    "labs/01-addresses", HintCmd: "netbook hint 01", Next: "02-first-connection",
		Done: 1, Total: 4, Keys: true, Took: 612 * time.Millisecond, Lang: lang.Chinese,
	}, style.Style{})
	golden.Check(t, "testdata/failing.zh.txt", b.String())

	b.Reset()
	Render(&b, Screen{Result: result("01-addresses", gotest.Pass), Next: "02-first-connection", Total: 2, Done: 1, Keys: true, Lang: lang.Chinese, Width: 120}, style.Style{})
	assert.Contains(t, b.String(), "这个实验通过了！ 下一个：实验 02-first-connection（按 n 继续，或者运行 netbook watch --auto）。")

	b.Reset()
	Render(&b, Screen{Result: &check.Result{Lab: "01-addresses", Status: check.BuildFailed,
		BuildErrors: make([]gotest.Diagnostic, 7)}, Lang: lang.Chinese}, style.Style{})
	assert.Contains(t, b.String(), "代码编译不通过：")
	assert.Contains(t, b.String(), "……还有 2 个")

	b.Reset()
	Render(&b, Screen{Result: &check.Result{Lab: "04-http-client", Status: check.BuildFailed,
		BuildErrors: []gotest.Diagnostic{{File: "labs/04-http-client/rawhttp_test.go", Line: 79, Col: 15, Message: "undefined: ParseURL"}}},
		Lang: lang.Chinese, Width: 80}, style.Style{})
	assert.Contains(t, b.String(), "rawhttp_test.go 是本书的测试")
	for line := range strings.Lines(b.String()) {
		assert.LessOrEqual(t, style.Cols(strings.TrimRight(line, "\n")), 80, "%q", line)
	}
}
