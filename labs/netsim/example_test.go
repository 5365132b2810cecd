package netsim_test

import (
	"fmt"
	"io"
	"net"

	"github.com/netbook/netbook/labs/netsim"
)

func ExampleListenTCP() {
	// A server that sends one line and closes.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		c.Write([]byte("Hello, Michael!\n"))
		c.Close()
	}()

	// The proxy forwards that line in writes of at most 4 bytes.
	p, err := netsim.ListenTCP(ln.Addr().String(), netsim.TCPOptions{Fragment: 4})
	if err != nil {
		panic(err)
	}
	c, err := net.Dial("tcp", p.Addr())
	if err != nil {
		panic(err)
	}
	defer c.Close()
	all, err := io.ReadAll(c) // every byte arrives, however it is split
	fmt.Printf("%q %v\n", all, err)

	p.Close() // once Close returns, the counters are final
	st := p.Stats()
	fmt.Println(st.ToClient)
	// Output:
	// "Hello, Michael!\n" <nil>
	// 16 bytes in 1 read, 4 writes
}

func ExampleParseDelay() {
	d, j, err := netsim.ParseDelay("20ms±5ms")
	fmt.Println(d, j, err)
	// Output: 20ms 5ms <nil>
}
