package onereadmsg_test

import (
	"testing"

	"github.com/netbook/netbook/runner/analysis/internal/netcodetest"
	"github.com/netbook/netbook/runner/analysis/onereadmsg"
)

func TestAnalyzer(t *testing.T) {
	netcodetest.Run(t, onereadmsg.Analyzer, "a", "udp")
}
