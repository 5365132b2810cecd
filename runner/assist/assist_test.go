package assist

import (
	"context"
	"io"
	"net"
	"regexp"
	"testing"
	"time"

	"github.com/netbook/netbook/internal/linewatch"
	"github.com/netbook/netbook/labs/nettest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// step bounds every wait in these tests.
const step = 5 * time.Second

// running is an assistant running in the background: type into it, read
// its output a line at a time.
type running struct {
	in   *io.PipeWriter
	out  *linewatch.Lines
	done chan error
	stop context.CancelFunc
}

func start(t *testing.T, o Options) *running {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{in: inW, out: linewatch.Watch(outR), done: make(chan error, 1), stop: cancel}
	o.In, o.Out = inR, outW
	go func() {
		r.done <- Run(ctx, o)
		outW.Close()
	}()
	t.Cleanup(func() {
		cancel()
		inW.Close()
		select {
		case <-r.done:
		case <-time.After(step):
			t.Error("the assistant did not stop")
		}
	})
	return r
}

func (r *running) typeLine(t *testing.T, s string) {
	t.Helper()
	_, err := io.WriteString(r.in, s)
	require.NoError(t, err)
}

// expect waits for the next output line that matches pattern, skipping
// others, and returns its submatches.
func (r *running) expect(t *testing.T, pattern string) []string {
	t.Helper()
	return r.out.Expect(t, step, pattern)
}

func (r *running) ended(t *testing.T) {
	t.Helper()
	select {
	case err := <-r.done:
		require.NoError(t, err)
		r.done <- err
	case <-time.After(step):
		t.Fatal("the assistant did not end")
	}
}

const stamp = `^\d\d:\d\d:\d\d\.\d{3} `

// accept waits for the assistant to connect to ln and reads what it sends
// a line at a time, each within nettest.Step.
func accept(t *testing.T, ln net.Listener) (net.Conn, *nettest.Reader) {
	t.Helper()
	c := nettest.Accept(t, ln, "the assistant")
	return c, nettest.NewReader(c)
}

func TestTCPConnect(t *testing.T) {
	ln := nettest.Listen(t)
	a := start(t, Options{Network: "tcp", Mode: "connect", Addr: ln.Addr().String()})
	c, br := accept(t, ln)
	srv := regexp.QuoteMeta(ln.Addr().String())
	a.expect(t, stamp+`connected to `+srv+` from 127\.0\.0\.1:\d+$`)

	c.Write([]byte("Welcome!\n"))
	a.expect(t, stamp+`\[`+srv+`\] Welcome!$`)
	c.Write([]byte("Tracy\r\n\x00\xffbin"))
	a.expect(t, stamp+`\[`+srv+`\] "Tracy\\r"$`)
	a.expect(t, stamp+`\[`+srv+`\]   hex 54 72 61 63 79 0d$`)
	a.expect(t, stamp+`\[`+srv+`\] "\\x00\\xffbin" \(no newline\)$`)
	a.expect(t, `hex 00 ff 62 69 6e$`)
	c.Write([]byte("\n"))
	a.expect(t, `\] \(just the newline\)$`)

	a.typeLine(t, "Michael\n")
	assert.Equal(t, "Michael\n", br.Line(t, "the line typed"))
	a.typeLine(t, "张三\r\n")
	assert.Equal(t, "张三\n", br.Line(t, "the second line typed"), "the line ending typed is replaced by \\n")

	// The end of input half-closes; the server answers and hangs up.
	a.in.Close()
	a.expect(t, `end of input: closed the sending half`)
	br.EOF(t, "the server reads end of file once the input ends")
	c.Write([]byte("Bye.\n"))
	c.Close()
	a.expect(t, `\] Bye\.$`)
	a.expect(t, `\] closed the connection$`)
	a.ended(t)
}

// A line that arrives in pieces ends with "(just the newline)" when its
// "\n" comes alone; only a "\n" at the start of a line is an empty line.
func TestTCPConnectShowsALoneNewlineAsTheEndOfTheLine(t *testing.T) {
	ln := nettest.Listen(t)
	a := start(t, Options{Network: "tcp", Mode: "connect", Addr: ln.Addr().String()})
	c, _ := accept(t, ln)
	a.expect(t, `connected to `)
	// Each piece is shown before the next is sent, so each is a read.
	for _, piece := range []struct{ send, shown string }{
		{"Hello, ", `Hello,  \(no newline\)`},
		{"Michael!", `Michael! \(no newline\)`},
		{"\n", `\(just the newline\)`},
		{"\n", `\(an empty line\)`},
		{"Tracy\n", `Tracy`},
		{"\n", `\(an empty line\)`},
		{"Sa", `Sa \(no newline\)`},
		{"rah\n\nBye", `rah`},
		{"", `\(an empty line\)`},
		{"", `Bye \(no newline\)`},
		{"\n", `\(just the newline\)`},
	} {
		if piece.send != "" {
			_, err := c.Write([]byte(piece.send))
			require.NoError(t, err)
		}
		a.expect(t, stamp+`\[.*\] `+piece.shown+`$`)
	}
}

func TestTCPConnectCRLFEscapesAndRaw(t *testing.T) {
	ln := nettest.Listen(t)
	a := start(t, Options{Network: "tcp", Mode: "connect", Addr: ln.Addr().String(), CRLF: true, Escapes: true})
	_, br := accept(t, ln)
	a.typeLine(t, `a\tb\x00`+"\n")
	assert.Equal(t, "a\tb\x00\r\n", br.Line(t, "the line typed, escapes decoded, ending in \\r\\n"))
	a.typeLine(t, `bad \x0`+"\n")
	a.expect(t, `not sent: .*escapes are`)

	ln2 := nettest.Listen(t)
	raw := start(t, Options{Network: "tcp", Mode: "connect", Addr: ln2.Addr().String(), Raw: true})
	c2, _ := accept(t, ln2)
	raw.typeLine(t, "no\r\nchange")
	buf := make([]byte, 64)
	n, err := io.ReadAtLeast(c2, buf, len("no\r\nchange"))
	require.NoError(t, err)
	assert.Equal(t, "no\r\nchange", string(buf[:n]), "raw mode sends the bytes as typed")
}

func TestTCPConnectEndsWhenTheServerCloses(t *testing.T) {
	ln := nettest.Listen(t)
	a := start(t, Options{Network: "tcp", Mode: "connect", Addr: ln.Addr().String()})
	c, _ := accept(t, ln)
	c.Close()
	a.expect(t, `closed the connection$`)
	a.ended(t)
}

func TestTCPConnectRefused(t *testing.T) {
	ln := nettest.Listen(t)
	addr := ln.Addr().String()
	ln.Close()
	err := Run(t.Context(), Options{Network: "tcp", Mode: "connect", Addr: addr, Out: io.Discard})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "nothing is listening there")
}

func TestTCPListenNamesClientsAndAddressesThem(t *testing.T) {
	a := start(t, Options{Network: "tcp", Mode: "listen", Addr: "127.0.0.1:0"})
	addr := a.expect(t, `^listening on tcp (127\.0\.0\.1:\d+)$`)[1]
	dial := func() (net.Conn, *nettest.Reader) {
		c := nettest.Dial(t, addr)
		return c, nettest.NewReader(c)
	}
	ca, ra := dial()
	a.expect(t, stamp+`\[a 127\.0\.0\.1:\d+\] connected$`)
	cb, rb := dial()
	a.expect(t, stamp+`\[b 127\.0\.0\.1:\d+\] connected$`)

	ca.Write([]byte("hi from a\n"))
	a.expect(t, `\[a 127\.0\.0\.1:\d+\] hi from a$`)
	cb.Write([]byte("Mich"))
	a.expect(t, `\[b 127\.0\.0\.1:\d+\] Mich \(no newline\)$`)

	a.typeLine(t, "@b only b\n")
	assert.Equal(t, "only b\n", rb.Line(t, "the line sent to b alone"))
	a.typeLine(t, "everyone\n")
	assert.Equal(t, "everyone\n", ra.Line(t, "a's copy of the line for everyone"), "a line without @ goes to every client")
	assert.Equal(t, "everyone\n", rb.Line(t, "b's copy of the line for everyone"))
	a.typeLine(t, "@zz nobody\n")
	a.expect(t, `not sent: no client is called zz`)

	cb.Close()
	a.expect(t, `\[b 127\.0\.0\.1:\d+\] closed the connection$`)
	a.typeLine(t, "just a\n")
	assert.Equal(t, "just a\n", ra.Line(t, "the line for the one client left"))

	a.stop()
	a.ended(t)
	ra.EOF(t, "stopping closes every client")
	ln, err := net.Listen("tcp", addr)
	require.NoError(t, err, "stopping frees the port")
	ln.Close()
}

func TestUDPBothWays(t *testing.T) {
	srv := start(t, Options{Network: "udp", Mode: "listen", Addr: "127.0.0.1:0", Escapes: true})
	addr := srv.expect(t, `^listening on udp (127\.0\.0\.1:\d+)$`)[1]
	srv.typeLine(t, "too early\n")
	srv.expect(t, `not sent: nobody has sent a datagram yet`)

	cli := start(t, Options{Network: "udp", Mode: "connect", Addr: addr, Escapes: true, Linger: 100 * time.Millisecond})
	cli.expect(t, `sending to `+regexp.QuoteMeta(addr)+` from 127\.0\.0\.1:\d+: each line is one datagram$`)
	cli.typeLine(t, "1 ECHO hello\n")
	srv.expect(t, stamp+`\[a 127\.0\.0\.1:\d+\] 1 ECHO hello$`) // a datagram is the line, without its end
	cli.typeLine(t, `2 ECHO two\nlines`+"\n")
	srv.expect(t, stamp+`\[a 127\.0\.0\.1:\d+\] "2 ECHO two\\nlines"$`)
	srv.expect(t, `hex 32 20 45 43 48 4f 20 74 77 6f 0a 6c 69 6e 65 73$`)

	srv.typeLine(t, `1 OK hello\x00`+"\n")
	cli.expect(t, stamp+`\[`+regexp.QuoteMeta(addr)+`\] "1 OK hello\\x00"$`)
	srv.typeLine(t, "@a to a by name\n")
	cli.expect(t, `\] to a by name$`)
	srv.typeLine(t, `\x`+"\n")
	srv.expect(t, `not sent: `)
	cli.typeLine(t, "\n")
	srv.expect(t, `\] \(an empty datagram\)$`)

	cli.in.Close()
	cli.expect(t, `end of input: waiting`)
	cli.ended(t)
}

func TestUDPConnectToNothing(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := pc.LocalAddr().String()
	pc.Close()
	cli := start(t, Options{Network: "udp", Mode: "connect", Addr: addr})
	cli.typeLine(t, "anyone?\n")
	cli.expect(t, `nothing is listening there`)
}

func TestOnlyLoopbackUnlessPublic(t *testing.T) {
	err := Run(t.Context(), Options{Network: "tcp", Mode: "listen", Addr: "0.0.0.0:0", Out: io.Discard})
	assert.ErrorContains(t, err, "add --public")
	err = Run(t.Context(), Options{Network: "sctp", Mode: "listen", Addr: "127.0.0.1:0", Out: io.Discard})
	assert.ErrorContains(t, err, "say tcp or udp")
	err = Run(t.Context(), Options{Network: "tcp", Mode: "serve", Addr: "127.0.0.1:0", Out: io.Discard})
	assert.ErrorContains(t, err, "say listen or connect")
	err = Run(t.Context(), Options{Network: "udp", Mode: "connect", Addr: "127.0.0.1:9", CRLF: true, Out: io.Discard})
	assert.ErrorContains(t, err, "--crlf ends TCP lines")
}

func TestNames(t *testing.T) {
	assert.Equal(t, []string{"a", "b", "z", "aa", "ab", "ba"}, []string{name(0), name(1), name(25), name(26), name(27), name(52)})
}
