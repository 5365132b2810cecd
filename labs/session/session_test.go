package session

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/netbook/netbook/labs/nettest"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// serveTCP runs handle for each connection to a fresh loopback listener
// until the test ends, when the listener and every connection are closed
// and every handler has returned.
func serveTCP(t *testing.T, handle func(c net.Conn)) string {
	t.Helper()
	ln := nettest.Listen(t)
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		conns []net.Conn
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				c.SetDeadline(time.Now().Add(10 * time.Second))
				handle(c)
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return ln.Addr().String()
}

// serveUDP answers each datagram with reply(datagram) until the test ends;
// a nil reply sends nothing.
func serveUDP(t *testing.T, reply func([]byte) []byte) string {
	t.Helper()
	pc := nettest.ListenPacket(t)
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 64*1024)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if out := reply(buf[:n]); out != nil {
				pc.WriteTo(out, from)
			}
		}
	}()
	t.Cleanup(func() {
		pc.Close()
		<-done
	})
	return pc.LocalAddr().String()
}

// greeter is the server testdata/greet.session describes, with the reply
// format as a parameter so tests can make it wrong.
func greeter(hello string) func(net.Conn) {
	return func(c net.Conn) {
		io.WriteString(c, "Welcome! What is your name?\n")
		r := bufio.NewReader(c)
		name, ids := "", 0
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				if err == io.EOF && name != "" {
					fmt.Fprintf(c, "Bye, %s. \n", name)
				}
				return
			}
			line = strings.TrimSuffix(line, "\n")
			if line == "id" {
				ids++
				fmt.Fprintf(c, "{\"id\":%d}\n", 1000+ids)
				continue
			}
			name = line
			fmt.Fprintf(c, hello, name)
		}
	}
}

// writeThenStall sends out and then keeps the connection open without a word.
func writeThenStall(out string) func(net.Conn) {
	return func(c net.Conn) {
		io.WriteString(c, out)
		io.Copy(io.Discard, c) // until the player closes
	}
}

func mustParse(t *testing.T, text string) *Session {
	t.Helper()
	s, err := Parse("test.session", strings.NewReader(text))
	require.NoError(t, err)
	return s
}

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create it")
	require.Equal(t, string(want), got, "%s differs; run go test -update if the change is intended", path)
}
