package deadline_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/netbook/netbook/runner/analysis/deadline"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), deadline.Analyzer,
		"a", "labs/03-hello-server", "labs/07-duplex-chat", "labs/09-chat-room", "labs/10-robust-chat")
}
