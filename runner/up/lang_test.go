package up

import (
	"bufio"
	"context"
	"io"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netbook/netbook/internal/linewatch"
	"github.com/netbook/netbook/internal/testkit"
	"github.com/netbook/netbook/runner/labrun"
	"github.com/netbook/netbook/runner/lang"
	"github.com/netbook/netbook/runner/sandbox"
)

// netbook up in Chinese: what it builds, where to talk to the server, the
// server's log (each connection, read and write) and how it stopped; the
// "listening on" line, the commands and the bytes stay as they are.
func TestRunSpeaksChinese(t *testing.T) {
	r, l := lab(t, "03-hello-server")
	pr, term := io.Pipe()
	out := linewatch.Watch(pr)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, r, l, Options{Ref: true, Stdout: term, Stderr: term, Cmd: "netbook", Lang: lang.Chinese})
		term.Close()
	}()
	out.Expect(t, time.Minute, `^正在编译 03-hello-server（参考答案）……$`)
	listening := out.Expect(t, time.Minute, `^listening on tcp (127\.0\.0\.1:\d+)$`)
	out.Expect(t, time.Minute, `^\S+ Serve 调用了 Accept：正在等待客户端$`)
	out.Expect(t, time.Minute, `^参考答案的服务器正在监听。在另一个终端里和它对话：$`)
	out.Expect(t, time.Minute, `^  nc 127\.0\.0\.1 \d+$`)
	out.Expect(t, time.Minute, `^或者$`)
	out.Expect(t, time.Minute, `^  netbook assist tcp connect 127\.0\.0\.1:\d+$`)
	out.Expect(t, time.Minute, `^按 Ctrl-C 停止它。$`)

	c, err := net.DialTimeout("tcp", listening[1], 5*time.Second)
	require.NoError(t, err)
	c.SetDeadline(time.Now().Add(5 * time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "Welcome!\n", line)
	out.Expect(t, time.Minute, `\[#1 127\.0\.0\.1:\d+\] 连上了$`)
	out.Expect(t, time.Minute, `\[#1 127\.0\.0\.1:\d+\] 写出 "Welcome!\\n"$`)
	c.Close()
	out.Expect(t, time.Minute, `\[#1 127\.0\.0\.1:\d+\] 读：EOF（客户端关闭了它那一端）$`)

	cancel()
	out.Expect(t, time.Minute, `正在停止：关闭套接字，让 Serve 返回$`)
	out.Expect(t, time.Minute, `Serve 返回了 nil；再见$`)
	out.Expect(t, time.Minute, `^参考答案的服务器已正常停止。$`)
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after its context was cancelled")
	}
}

// The errors a student can cause, in Chinese: a Serve that returns at
// once, a port in use, a lab that is not a server lab, a limit.
func TestRunErrorsInChinese(t *testing.T) {
	r, l := lab(t, "03-hello-server")
	var log, errOut strings.Builder
	err := Run(t.Context(), r, l, Options{Stdout: &log, Stderr: &errOut, Cmd: "netbook", Lang: lang.Chinese})
	require.Error(t, err)
	assert.Equal(t, "你的服务器一启动就停止了：它的 Serve 还没等任何客户端就返回了，\n"+
		"所以现在还没有可以对话的服务器。上面几行是 Serve 返回的内容。\n"+
		"先把 Serve 写好；想知道下一步做什么，运行\n"+
		"  netbook check 03\n"+
		"等 Serve 能用了，再运行 netbook up 03", err.Error())
	assert.Contains(t, log.String(), "服务器还没被停止，Serve 就返回了错误：\n  TODO")
	assert.Equal(t, "正在编译 03-hello-server（你的代码）……\n", errOut.String())

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	err = Run(t.Context(), r, l, Options{Ref: true, Addr: ln.Addr().String(), Stdout: io.Discard, Stderr: io.Discard, Cmd: "netbook", Lang: lang.Chinese})
	require.Error(t, err)
	assert.Equal(t, "无法在 "+ln.Addr().String()+" 上监听：另一个程序占用了这个端口（也许是另一个 netbook up）；停掉它，或者让内核挑一个空闲端口：netbook up 03 --ref", err.Error())

	err = Run(t.Context(), r, testkit.Lab(t, r, "04-http-client"), Options{Stdout: io.Discard, Stderr: io.Discard, Cmd: "netbook", Lang: lang.Chinese})
	require.Error(t, err)
	assert.Equal(t, "实验 04-http-client 不是服务器实验（它的说明里没有 serve: tcp 或 udp）；这个实验要写的是客户端，netbook diff 04 会让它和实验的脚本服务器对话", err.Error())

	if !sandbox.Probe().LimitsOn {
		return
	}
	defer func(l sandbox.Limits) { limits = l }(limits)
	limits.Memory = 256 << 20
	err = Run(t.Context(), r, l, Options{Stdout: io.Discard, Stderr: io.Discard, Cmd: "netbook", Lang: lang.Chinese,
		Build: labrun.Options{Overlay: map[string]string{filepath.Join(l.Dir, "server.go"): testkit.LeakingHelloServer(t)}}})
	require.Error(t, err)
	assert.Equal(t, "你的服务器用了超过 256 MiB 的内存，被停下了：是不是每来一条消息或一个客户端就存下一些东西，却从不释放？", err.Error())
}

// The count of log lines dropped, in Chinese.
func TestDroppedLinesInChinese(t *testing.T) {
	assert.Equal(t, "... 丢掉了 3 行日志（输出没有被读取）\n", droppedLine(lang.Chinese, 3))
	assert.Equal(t, "... 一共丢掉了 1 行日志（输出没有被读取）\n", droppedInAll(lang.Chinese, 1))
	assert.Equal(t, "... 1 log line dropped in all (output was not being read)\n", droppedInAll(lang.English, 1))
	assert.Equal(t, "... 12 log lines dropped in all (output was not being read)\n", droppedInAll(lang.English, 12))
	assert.Equal(t, "你的服务器", upperFirst("你的服务器"))
	assert.Equal(t, "Your server", upperFirst("your server"))
}
