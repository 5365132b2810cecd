package readtoend_test

import (
	"testing"

	"github.com/netbook/netbook/runner/analysis/internal/netcodetest"
	"github.com/netbook/netbook/runner/analysis/readtoend"
)

func TestAnalyzer(t *testing.T) {
	netcodetest.Run(t, readtoend.Analyzer,
		"a", "labs/02-first-connection", "labs/03-hello-server", "labs/07-duplex-chat")
}
