// Command serve runs one of package baseline's servers on 127.0.0.1, for
// netbook bench: serve -server NAME [-addr HOST:PORT]. It prints
// "listening on tcp ADDR" once its socket is open, and stops when its
// standard input ends (netbook holds it open) or on SIGINT. A line
// "collect" on its standard input makes it collect its garbage, return the
// memory freed to the system and print "collected: ...", as a lab's server
// does.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"

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
		sc := bufio.NewScanner(os.Stdin)
		for sc.Scan() {
			if sc.Text() == "collect" {
				runtime.GC() // twice: a sync.Pool keeps what it holds through one collection
				debug.FreeOSMemory()
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				fmt.Printf("collected: heap %d bytes, stacks %d bytes, %d goroutines\n", m.HeapInuse, m.StackInuse, runtime.NumGoroutine())
			}
		}
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
