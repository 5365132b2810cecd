package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netbook/netbook/internal/testkit"
)

// The server says where the book is in the edition netbook serve asked
// for, and its pages suggest commands as netbook serve says the student
// runs netbook (--cmd): this program, in the user's cache, cannot tell.
func TestServeSpeaksTheEditionAndTheStudentsCommand(t *testing.T) {
	root := testkit.Pristine(t, testkit.Only("00", "01"))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, w := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--root", root.Dir, "--lang", "zh", "--cmd", "go run ./cmd/netbook", "--addr", "127.0.0.1:0", "--no-open"}, w, io.Discard)
		w.Close()
	}()
	t.Cleanup(func() {
		cancel()
		assert.NoError(t, <-done)
	})
	first, err := bufio.NewReader(out).ReadString('\n')
	require.NoError(t, err)
	url, ok := strings.CutPrefix(strings.TrimSpace(first), "本书的网址：")
	require.True(t, ok, "the first line is in Chinese: %q", first)
	go io.Copy(io.Discard, out)

	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	resp, err := c.Get(url) // trades the token for a cookie
	require.NoError(t, err)
	resp.Body.Close()
	resp, err = c.Get(strings.TrimSuffix(url[:strings.Index(url, "?")], "/") + "/chapter/01")
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, string(body), "用 go run ./cmd/netbook serve 启动它", "the page names the command as the student runs it")
}
