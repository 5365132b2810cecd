package netsim

import "fmt"

// UDPStats counts what a UDP proxy has done.
type UDPStats struct {
	Clients  int // client addresses seen
	ToServer DatagramStats
	ToClient DatagramStats
}

// DatagramStats counts datagrams in one direction. Out counts every copy
// sent, so Out = In - Dropped + Duplicated once nothing is waiting.
type DatagramStats struct {
	In         uint64 // received by the proxy
	Out        uint64 // sent on, duplicates included
	Dropped    uint64
	Duplicated uint64
	Reordered  uint64 // held back to go after the next one
	Delayed    uint64 // given a delay greater than zero
}

// String formats the counters on one line.
func (s UDPStats) String() string {
	return fmt.Sprintf("%s; to server: %v; to client: %v", count(uint64(s.Clients), "client", "clients"), s.ToServer, s.ToClient)
}

// String formats the counters of one direction.
func (s DatagramStats) String() string {
	return fmt.Sprintf("%d in, %d out, %d dropped, %d duplicated, %d reordered, %d delayed",
		s.In, s.Out, s.Dropped, s.Duplicated, s.Reordered, s.Delayed)
}

// TCPStats counts what a TCP proxy has done.
type TCPStats struct {
	Conns    int // connections accepted
	Open     int // connection pairs still open
	ToServer StreamStats
	ToClient StreamStats
}

// StreamStats counts one direction of the byte streams.
type StreamStats struct {
	Bytes  uint64 // forwarded
	Reads  uint64 // reads that returned data, from the sender
	Writes uint64 // writes to the receiver: more than Reads when fragmenting, fewer when coalescing
}

// String formats the counters on one line.
func (s TCPStats) String() string {
	return fmt.Sprintf("%s (%d open); to server: %v; to client: %v", count(uint64(s.Conns), "connection", "connections"), s.Open, s.ToServer, s.ToClient)
}

// String formats the counters of one direction.
func (s StreamStats) String() string {
	return fmt.Sprintf("%s in %s, %s", count(s.Bytes, "byte", "bytes"), count(s.Reads, "read", "reads"), count(s.Writes, "write", "writes"))
}

// count writes n and the word for one or for many: "1 byte", "2 bytes".
func count(n uint64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
