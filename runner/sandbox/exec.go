package sandbox

import (
	"encoding/json"
	"strings"
)

// envExec carries the options of ExecFlag, as JSON, from the caller of go
// test through go test to the -exec wrapper.
const envExec = "NETBOOK_SANDBOX_EXEC"

// envDie has netbook's executable, as go test's -exec wrapper, make the
// test binary die with go test (DieWithParentExec).
const envDie = "NETBOOK_DIE_WITH_PARENT"

// ExecFlag sandboxes the test binaries of a go test run, for code that
// runs tests of someone else's (netbook grade): it returns the value of go
// test's -exec flag and an entry for go test's environment, with which go
// test starts each test binary through netbook's own executable, which
// wraps it as Wrap does with o and waits for it. The binary is in a network
// namespace of its own with only loopback up, may write only in o.Dir and
// read only o.Read besides itself and the system files a Go program needs,
// and is bounded by o.Limits. Where this system offers no sandbox (not
// Linux, or netbook's executable unknown), ok is false and the test
// binaries run as they are.
func ExecFlag(o Options) (exec, env string, ok bool) {
	self := shimPath()
	if self == "" {
		return "", "", false
	}
	js, err := json.Marshal(o)
	if err != nil {
		return "", "", false
	}
	return quote(self), envExec + "=" + string(js), true
}

// quote quotes path for go test's -exec flag, which splits its value at
// spaces outside quotes.
func quote(path string) string {
	if !strings.ContainsAny(path, " \t\n'\"") {
		return path
	}
	if !strings.Contains(path, "'") {
		return "'" + path + "'"
	}
	return `"` + path + `"`
}
