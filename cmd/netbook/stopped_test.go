package main

import (
	"os"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
)

// A command stopped by a signal says which one: Ctrl-C, a closed terminal
// (SIGHUP) and SIGTERM (a kill, or a CI runner stopping a job) need
// different things of a student.
func TestStoppedByNamesTheSignal(t *testing.T) {
	for sig, want := range map[os.Signal]string{
		os.Interrupt:    "Ctrl-C",
		syscall.SIGHUP:  "SIGHUP: the terminal closed",
		syscall.SIGTERM: "SIGTERM",
	} {
		got := make(chan os.Signal, 1)
		got <- sig
		assert.Equal(t, want, stoppedBy(got))
	}
	assert.Equal(t, "Ctrl-C, or the terminal closed", stoppedBy(make(chan os.Signal, 1)), "no signal recorded")
}
