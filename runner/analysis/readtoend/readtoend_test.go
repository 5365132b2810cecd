package readtoend_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/netbook/netbook/runner/analysis/readtoend"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), readtoend.Analyzer,
		"a", "labs/02-first-connection", "labs/03-hello-server", "labs/07-duplex-chat")
}
