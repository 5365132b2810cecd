package stopconns_test

import (
	"testing"

	"github.com/netbook/netbook/runner/analysis/internal/netcodetest"
	"github.com/netbook/netbook/runner/analysis/stopconns"
)

func TestAnalyzer(t *testing.T) {
	netcodetest.Run(t, stopconns.Analyzer, "a", "labs/03-hello-server", "labs/09-chat-room")
}
