// Command serve runs one of package baseline's servers on 127.0.0.1, for
// netbook bench: serve -server NAME [-addr HOST:PORT]. It prints
// "listening on tcp ADDR" once its socket is open, and stops when its
// standard input ends (netbook holds it open) or on SIGINT.
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"

	"github.com/netbook/netbook/runner/bench/baseline"
)

var servers = map[string]func(net.Listener) error{
	"thread-room": baseline.ThreadRoom,
	"hello-lines": baseline.HelloLines,
}

func main() {
	name := flag.String("server", "", "which server: thread-room or hello-lines")
	addr := flag.String("addr", "127.0.0.1:0", "the address to listen on")
	flag.Parse()
	serve, ok := servers[*name]
	if !ok {
		fmt.Fprintf(os.Stderr, "serve: no server %q\n", *name)
		os.Exit(2)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	fmt.Printf("listening on tcp %s\n", ln.Addr())
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt)
	go func() {
		io.Copy(io.Discard, os.Stdin)
		stop <- os.Interrupt
	}()
	done := make(chan error, 1)
	go func() { done <- serve(ln) }()
	select {
	case <-stop:
		ln.Close()
		<-done
	case err := <-done:
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
