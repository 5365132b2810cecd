// Package netsim puts a network that misbehaves on purpose between a client
// and a server, on loopback, for tests and for the runner's netbook proxy.
//
// A loopback connection never loses, delays, splits or merges anything in a
// way a test can count on, so code that assumes one Read is one message, or
// that a UDP datagram always arrives, passes every test on a laptop and fails
// on a real network. A proxy from this package listens on 127.0.0.1:0,
// forwards to the server under test, and makes the network's bad habits
// happen every time:
//
//   - [ListenUDP] drops, duplicates, delays (with jitter) and reorders
//     datagrams. Every decision comes from a random source seeded with
//     UDPOptions.Seed, drawn per client and per direction in arrival order,
//     so the same datagrams meet the same fate on every run (timing matters
//     only if a held-back datagram waits longer than ReorderHold).
//   - [ListenTCP] splits the byte stream into small writes
//     (TCPOptions.Fragment), merges writes into one (TCPOptions.Coalesce),
//     and delays it, while keeping TCP's promises: every byte arrives, in
//     order, and a half-close or a reset on one side reaches the other.
//
// A test (through package netsimtest, which closes the proxy when the test
// ends) points its client at the proxy's Addr instead of the server:
//
//	srv := nettest.Start(t, echo.Serve)
//	p := netsimtest.TCP(t, srv.Addr, netsim.TCPOptions{Fragment: 1})
//	conn := nettest.Dial(t, p.Addr()) // the server's replies arrive a byte at a time
//
// Proxies refuse to listen anywhere but loopback unless told otherwise, keep
// counters that String prints (for netbook proxy to show on exit), can log
// every event as it happens, and stop with Close, which returns only once
// every goroutine they started has ended.
//
// # How reliable fragmenting is
//
// TCP promises bytes, not writes: the receiver's kernel joins pieces that
// arrive before the reader asks for them. The proxy writes each piece on a
// socket with TCP_NODELAY and waits FragmentGap (5 ms by default) before the
// next, and loopback delivers a piece in microseconds, so a reader blocked in
// Read wakes with exactly one piece. It sees two in one Read only if it
// started reading a whole gap late, busy or descheduled; to see a whole
// message of n pieces it must be late by n-1 gaps. An idle machine wakes a
// reader in microseconds; a saturated one can take up to about 10 ms (the Go
// runtime polls the network at least that often), which is why the gap is
// not smaller. So a reader that treats one Read as one message fails on a
// short test essentially every time, while a correct reader, which reads
// until its delimiter or length, is unaffected. Each gap costs time:
// fragment bulk transfers with a larger N, or a smaller FragmentGap.
//
// Coalescing, by contrast, is exact: the proxy holds what arrives until
// CoalesceSize bytes are held or nothing new has come for CoalesceGap, then
// writes it with one Write, which a reader with a large enough buffer gets
// in one Read.
package netsim
