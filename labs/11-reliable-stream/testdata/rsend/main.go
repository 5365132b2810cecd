// Command rsend sends a stream of bytes over lab 11's transport (your code)
// to a server that runs the lab's Serve, such as netbook up 11, and checks
// the server's answer against what it sent.
//
//	go run ./labs/11-reliable-stream/testdata/rsend [-n BYTES] [-v] HOST:PORT < FILE
//
// It sends standard input, or with -n that many bytes of noise, closes its
// direction, and reads the server's one-line answer ("N bytes, sha256
// ..."). With -v it prints every segment it sends and receives, on
// standard error.
package main

import (
	"bufio"
	"crypto/rand"
	"crypto/sha256"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"

	rstream "github.com/netbook/netbook/labs/11-reliable-stream"
)

func main() {
	n := flag.Int("n", -1, "send this many random bytes instead of standard input")
	verbose := flag.Bool("v", false, "print every segment sent and received, on standard error")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: rsend [-n BYTES] [-v] HOST:PORT < FILE")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *n, *verbose); err != nil {
		fmt.Fprintln(os.Stderr, "rsend:", err)
		os.Exit(1)
	}
}

func run(addr string, n int, verbose bool) error {
	var data []byte
	var err error
	if n >= 0 {
		data = make([]byte, n)
		rand.Read(data)
	} else if data, err = io.ReadAll(os.Stdin); err != nil {
		return err
	}
	to, err := net.ResolveUDPAddr("udp", addr)
	if err != nil {
		return err
	}
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	link := rstream.UDPLink(pc, to)
	if verbose {
		link = rstream.LogLink(link, os.Stderr, "rsend")
	}
	start := time.Now()
	c, err := rstream.Dial(link, rstream.Config{})
	if err != nil {
		return err
	}
	defer c.Close()
	if _, err := c.Write(data); err != nil {
		return fmt.Errorf("sending: %w", err)
	}
	if err := c.CloseWrite(); err != nil {
		return err
	}
	answer, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return fmt.Errorf("reading the answer: %w", err)
	}
	took := time.Since(start)
	if err := c.Close(); err != nil {
		return fmt.Errorf("closing: %w", err)
	}
	sent := fmt.Sprintf("%d bytes, sha256 %x", len(data), sha256.Sum256(data))
	fmt.Printf("sent:     %s (in %v)\n", sent, took.Round(time.Millisecond))
	fmt.Printf("received: %s\n", strings.TrimSpace(answer))
	if strings.TrimSpace(answer) != sent {
		return fmt.Errorf("the server did not receive what was sent")
	}
	return nil
}
