// Package sharedwrite defines an Analyzer that finds package-level
// variables written from per-connection goroutines without a lock.
//
// # Analyzer sharedwrite
//
// sharedwrite: a package-level variable written by every client's goroutine without a lock
//
// A server that starts a goroutine per client runs the same handler many
// times at once. A package-level variable (the room's members, a counter,
// the list of connections) is then shared by all those goroutines, and a
// write to it while another goroutine reads or writes it is a data race:
// a map written by two goroutines at once can make the program stop with
// "fatal error: concurrent map writes", an append can lose an element, a
// counter can miss counts. With one test client at a time nothing shows;
// go test -race finds it when two clients overlap.
//
// The fix: guard the variable with a sync.Mutex and hold it around every
// access, reads included:
//
//	var (
//		mu      sync.Mutex
//		members = map[net.Conn]string{}
//	)
//
//	mu.Lock()
//	members[conn] = name
//	mu.Unlock()
//
// Better still, keep the shared state in a struct (a room, a server) with
// its own mutex, and pass it to the handlers instead of using globals.
//
// The analyzer reports assignments to a package-level map or slice element,
// appends, delete, ++ and plain assignments, in code that runs in a
// goroutine started for each accepted connection (and in the functions it
// calls), unless a Lock of a sync.Mutex or sync.RWMutex comes before them
// in the same function (or before every call of that function). An RLock
// does not count: a read lock lets other readers in at the same time.
package sharedwrite
