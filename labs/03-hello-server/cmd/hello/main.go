// Command hello runs your hello server (the lab's Serve) so that you can talk
// to it by hand, the way article 003 talks to its server with a "network
// debugging assistant":
//
//	go run ./labs/03-hello-server/cmd/hello
//	listening on 127.0.0.1:41234
//
// and, in another terminal, nc 127.0.0.1 41234 (or telnet 127.0.0.1 41234,
// which ends each line with "\r\n"). Ctrl+C closes the listener, and the
// command waits for Serve to return.
//
// It listens on loopback on a port the kernel chooses; -addr picks another
// address, such as -addr 127.0.0.1:9999 for article 001's port.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"

	hello "github.com/netbook/netbook/labs/03-hello-server"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "the address to listen on")
	flag.Parse()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("listening on", ln.Addr())

	// Ctrl+C closes the listener, which is how Serve is told to stop.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	go func() {
		<-ctx.Done()
		ln.Close()
	}()

	if err := hello.Serve(ln); err != nil {
		log.Fatal(err)
	}
	fmt.Println("Serve returned; bye")
}
