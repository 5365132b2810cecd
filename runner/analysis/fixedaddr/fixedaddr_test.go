package fixedaddr_test

import (
	"testing"

	"github.com/netbook/netbook/runner/analysis/fixedaddr"
	"github.com/netbook/netbook/runner/analysis/internal/netcodetest"
)

func TestAnalyzer(t *testing.T) {
	netcodetest.Run(t, fixedaddr.Analyzer, "a", "cmd/tool", "labs/03-hello-server", "labs/04-http-client")
}
