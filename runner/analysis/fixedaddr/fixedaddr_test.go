package fixedaddr_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/netbook/netbook/runner/analysis/fixedaddr"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), fixedaddr.Analyzer, "a", "cmd/tool", "labs/03-hello-server", "labs/04-http-client")
}
