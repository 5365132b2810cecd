package onereadmsg_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/netbook/netbook/runner/analysis/onereadmsg"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), onereadmsg.Analyzer, "a", "udp")
}
