// Command netbook-vet runs netbook's network analyzers (one Read taken as
// one message, missing deadlines, connections left open, shared state
// written without a lock...) as a vet tool, so that an editor or CI can
// run them:
//
//	go install ./cmd/netbook-vet
//	go vet -vettool=$(which netbook-vet) ./labs/03-hello-server
//
// Run on its own, it loads the packages itself:
//
//	netbook-vet ./labs/03-hello-server
//
// netbook-vet help lists the analyzers, and netbook-vet help NAME explains
// one: the bug, for a student, and how to fix it. The library behind it is
// github.com/netbook/netbook/runner/analysis.
package main

import (
	"golang.org/x/tools/go/analysis/multichecker"

	"github.com/netbook/netbook/runner/analysis"
)

func main() {
	multichecker.Main(analysis.Analyzers()...)
}
