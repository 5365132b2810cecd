package session_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"strings"

	"github.com/netbook/netbook/labs/session"
)

// greetServer answers each line NAME with "Hello NAME!", forgetting the
// comma the script wants, until ln is closed.
func greetServer(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			sc := bufio.NewScanner(c)
			for sc.Scan() {
				fmt.Fprintf(c, "Hello %s!\n", sc.Text())
			}
		}()
	}
}

func ExamplePlay() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer ln.Close()
	go greetServer(ln)

	s, err := session.Parse("greet.session", strings.NewReader(`
dial a

# A name gets a comma after the greeting.
a -> 张三\n
a <- Hello, 张三!\n
`))
	if err != nil {
		panic(err)
	}
	r := session.Play(context.Background(), s, ln.Addr().String())
	fmt.Print(r.Report())
	// Output:
	// greet.session:6: connection a received different bytes
	//   # A name gets a comma after the greeting.
	//   expected: "Hello, 张三!\n"
	//   received: "Hello 张三!\n"
	//                   ^ first difference, at byte 5
	//
	//   steps so far:
	//     2: dial a
	//     5: a -> 张三\n
	//   > 6: a <- Hello, 张三!\n
}

func ExampleParse_error() {
	_, err := session.Parse("bad.session", strings.NewReader("dial a\na -> Hello \nb <- Hi\n"))
	fmt.Println(err)
	// Output:
	// bad.session:2: a blank at the start or end of the data is invisible; write it as \x20 or \t
	// bad.session:3: connection b is not open: add "dial b" (TCP) or "udp b" (UDP) before this line
}
