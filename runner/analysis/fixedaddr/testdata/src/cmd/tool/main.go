// Command tool is a main package: picking its port is its job.
package main

import "net"

func main() {
	ln, err := net.Listen("tcp", ":8080")
	if err != nil {
		panic(err)
	}
	serve(ln)
}

func serve(ln net.Listener) {}
