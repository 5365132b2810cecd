package deadline_test

import (
	"testing"

	"github.com/netbook/netbook/runner/analysis/deadline"
	"github.com/netbook/netbook/runner/analysis/internal/netcodetest"
)

func TestAnalyzer(t *testing.T) {
	netcodetest.Run(t, deadline.Analyzer,
		"a", "labs/03-hello-server", "labs/07-duplex-chat", "labs/09-chat-room", "labs/10-robust-chat")
}
