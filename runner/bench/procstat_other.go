//go:build !linux

package bench

import (
	"errors"
	"time"
)

var errNoProc = errors.New("a process's CPU time and memory are read from /proc, which only Linux has")

// ProcessCPU is not available without /proc: the report leaves CPU per
// operation out.
func ProcessCPU(pid int) (time.Duration, error) { return 0, errNoProc }

// ProcessRSS is not available without /proc.
func ProcessRSS(pid int) (int64, error) { return 0, errNoProc }

// ProcessPeakRSS is not available without /proc.
func ProcessPeakRSS(pid int) (int64, error) { return 0, errNoProc }

// ProcessData is not available without /proc.
func ProcessData(pid int) (int64, error) { return 0, errNoProc }

// ProcessWrites is not available without /proc.
func ProcessWrites(pid int) (int64, error) { return 0, errNoProc }

func selfCPU() time.Duration { return 0 }

func loadAverage() float64 { return -1 }
