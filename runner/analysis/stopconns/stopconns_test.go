package stopconns_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/netbook/netbook/runner/analysis/stopconns"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), stopconns.Analyzer, "a", "labs/03-hello-server", "labs/09-chat-room")
}
