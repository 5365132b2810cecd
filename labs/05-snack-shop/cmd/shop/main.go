// Command shop runs your snack shop (the lab's Serve) so that you can visit
// it by hand, as many customers at once as you have terminals:
//
//	go run ./labs/05-snack-shop/cmd/shop
//	listening on 127.0.0.1:41234
//
// and, in other terminals, nc 127.0.0.1 41234 (or telnet 127.0.0.1 41234,
// which ends each line with "\r\n"). Type menu, buy 西瓜, balance, bye.
// Ctrl+C closes the listener, and the command waits for Serve to return.
//
// It listens on loopback on a port the kernel chooses; -addr picks another
// address, such as -addr 127.0.0.1:8001 for article 003's port.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"

	shop "github.com/netbook/netbook/labs/05-snack-shop"
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

	if err := shop.Serve(ln); err != nil {
		log.Fatal(err)
	}
	fmt.Println("Serve returned; the shop is closed")
}
