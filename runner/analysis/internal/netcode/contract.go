package netcode

import (
	"go/types"
	"path"
	"regexp"
)

// Contract is what one lab's brief and tests ask of its code, as far as
// an analyzer can check it beyond what it checks everywhere. The analyzers
// speak about these rules only in the lab that asks for them: a server of
// lab 03 that does not wait for its handlers when it stops is right (its
// brief says so), one of lab 09 is wrong.
type Contract struct {
	// LongLived says which connections carry a conversation that goes on
	// after one side has said everything, so that reading one to its end
	// (io.ReadAll) waits for ever: "all" (every connection and stream in
	// the lab) or "accepted" (the connections a server accepts).
	LongLived string
	// Budget lists functions that must give up after the lab's time limit
	// although no parameter or field of theirs says so: lab 09's Login
	// waits at most Timeout, a constant. Functions that take a
	// time.Duration, or whose receiver has one, are budgeted everywhere.
	Budget []string
	// IdleReads says that every read in a server's per-connection
	// goroutines needs a read deadline: a client that goes quiet is
	// dropped.
	IdleReads bool
	// WriteDeadlines lists functions from which every write to a
	// connection, in them or in what they call (goroutines included),
	// needs a write deadline first: a client that stops reading must not
	// hold the writer for ever.
	WriteDeadlines []string
	// StopHandlers says that when the server stops it must close the
	// connections its goroutines serve and wait for those goroutines.
	StopHandlers bool
}

// Contracts holds each lab's contract by its folder name. A lab that is
// not here gets the checks that hold everywhere.
var Contracts = map[string]Contract{
	"02-first-connection": {LongLived: "accepted"},
	"03-hello-server":     {LongLived: "all"},
	"05-snack-shop":       {LongLived: "all"},
	"07-duplex-chat":      {LongLived: "all", WriteDeadlines: []string{"Chat"}},
	"08-framing":          {LongLived: "all"},
	"09-chat-room": {
		LongLived:      "all",
		Budget:         []string{"Dial", "(*Client).Login"},
		WriteDeadlines: []string{"Serve"},
		StopHandlers:   true,
	},
	"10-robust-chat": {
		LongLived:      "all",
		IdleReads:      true,
		WriteDeadlines: []string{"(*Server).Serve"},
		StopHandlers:   true,
	},
}

var labName = regexp.MustCompile(`^\d\d-[a-z0-9-]+$`)

// Lab returns the lab a package is, by the last element of its path
// ("github.com/netbook/netbook/labs/03-hello-server" is "03-hello-server"),
// or "" when it is not a lab.
func Lab(pkg *types.Package) string {
	if pkg == nil {
		return ""
	}
	base := path.Base(pkg.Path())
	if labName.MatchString(base) {
		return base
	}
	return ""
}

// FuncName names a function as Contract does: "Serve", "(*Client).Login",
// "(Server).Serve".
func FuncName(f *types.Func) string {
	sig, ok := f.Type().(*types.Signature)
	if !ok || sig.Recv() == nil {
		return f.Name()
	}
	t := sig.Recv().Type()
	star := ""
	if p, ok := t.(*types.Pointer); ok {
		star = "*"
		t = p.Elem()
	}
	name := "?"
	if n, ok := types.Unalias(t).(*types.Named); ok {
		name = n.Obj().Name()
	}
	return "(" + star + name + ")." + f.Name()
}
