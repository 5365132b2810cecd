package a

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
)

// greet answers the first Read as if it were the client's whole name.
func greet(conn net.Conn) {
	buf := make([]byte, 1024)
	n, err := conn.Read(buf) // want `one Read is not one message: the bytes this Read returned are passed to strings.TrimSpace`
	if err != nil {
		return
	}
	name := strings.TrimSpace(string(buf[:n]))
	fmt.Fprintf(conn, "Hello, %s!\n", name)
}

// chat takes every Read as one line.
func chat(conn net.Conn) {
	buf := make([]byte, 1024)
	for {
		n, err := conn.Read(buf) // want `compared with ==`
		if err != nil {
			return
		}
		line := string(buf[:n])
		if line == "exit\n" {
			return
		}
		fmt.Fprintf(conn, "Hello, %s!\n", line[:len(line)-1])
	}
}

// shop switches on what one Read brought.
func shop(conn net.Conn) {
	buf := make([]byte, 512)
	for {
		n, err := conn.Read(buf) // want `switched on`
		if err != nil {
			return
		}
		switch string(buf[:n]) {
		case "menu\n":
			io.WriteString(conn, "melon\n")
		case "bye\n":
			return
		}
	}
}

type request struct{ Type string }

// decode parses one Read as a JSON object.
func decode(conn net.Conn) (request, error) {
	var req request
	buf := make([]byte, 4096)
	n, err := conn.Read(buf) // want `parsed with json.Unmarshal`
	if err != nil {
		return req, err
	}
	err = json.Unmarshal(buf[:n], &req)
	return req, err
}

// header reads a length prefix with one Read and drops the count.
func header(conn net.Conn) uint32 {
	var hdr [4]byte
	conn.Read(hdr[:]) // want `the count this Read returns is dropped`
	return binary.BigEndian.Uint32(hdr[:])
}

// readLine returns one Read as a line.
func readLine(conn net.Conn) (string, error) {
	buf := make([]byte, 256)
	n, err := conn.Read(buf) // want `returned as the message`
	return string(buf[:n]), err
}

// number parses one Read from any reader.
func number(r io.Reader) (int, error) {
	buf := make([]byte, 32)
	n, err := r.Read(buf) // want `passed to strings.TrimSpace`
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(strings.TrimSpace(string(buf[:n])))
}

// buffered is no better: bufio.Reader.Read returns what it has.
func buffered(conn net.Conn) bool {
	r := bufio.NewReader(conn)
	buf := make([]byte, 64)
	n, _ := r.Read(buf) // want `compared with ==`
	return string(buf[:n]) == "ok\n"
}

// reply builds the answer around one Read, cutting off its newline.
func reply(conn net.Conn) error {
	buf := make([]byte, 100)
	n, err := conn.Read(buf) // want `built into a string with \+`
	if err != nil {
		return err
	}
	_, err = conn.Write([]byte("Hello, " + string(buf[:n-1]) + "!\n"))
	return err
}

// command hands one Read to a handler that expects a command.
func command(conn net.Conn) {
	buf := make([]byte, 100)
	n, _ := conn.Read(buf) // want `handed to handleCommand as a message`
	handleCommand(conn, string(buf[:n]))
}

func handleCommand(conn net.Conn, cmd string) {}

// garbage prints the whole buffer, zeros included.
func garbage(conn net.Conn) {
	buf := make([]byte, 100)
	if _, err := conn.Read(buf); err != nil { // want `the count this Read returns is dropped`
		return
	}
	fmt.Println(string(buf))
}
