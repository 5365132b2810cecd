// Package analysis reads a student's network code the way a mentor would,
// and points at the bugs that tests on loopback let through: one Read
// taken as one message, a read with no deadline where the lab asks for
// one, a connection left open on some path out of its handler, a shared
// map written without a lock, and more. Each idea is one analyzer built on
// golang.org/x/tools/go/analysis, in a package of its own below this one,
// with a doc written for the student (what goes wrong, how to fix it) and
// analysistest tests on good and bad code.
//
// Findings are advice: they never change whether a task passes (the tests
// grade). Precision comes first: the analyzers report nothing on any
// reference solution (TestReferencesAreClean proves it), and stay quiet
// where a lab's contract does not ask for what they check. Checks that
// only some labs ask for (a write deadline, stopping every handler when
// the server stops) are switched on lab by lab in netcode.Contracts.
//
// Run analyses a lab's package as netbook check, lint and watch need it,
// in-process: it parses the lab's files (an overlay can stand in for the
// student's, as for go test -overlay, so a reference or a wrong solution
// can be analysed in place), type-checks them against the export data one
// go list reports, and returns Findings (file, line, column, analyzer,
// message, fix), ready for text or JSON; MessageIn and FixIn say them in
// the reader's language (the analyzers keep their words, catalogue
// messages, in their Result: see netcode.Report). A first Run in a process costs
// about 0.1 s; later ones, which reuse what go list said, 5 to 15 ms. Run
// is safe for concurrent use, so netbook check can run it beside go test.
// Code that does not compile gives ErrDoesNotCompile and no findings.
//
// The same analyzers run as a vet tool, cmd/netbook-vet, for go vet
// -vettool, editors and CI.
package analysis
