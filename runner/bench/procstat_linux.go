package bench

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// clockTick is the unit of /proc/PID/stat's CPU times: USER_HZ, which
// Linux fixes at 100 for every program that reads it.
const clockTick = 10 * time.Millisecond

// ProcessCPU is the CPU time (user and system, every thread) that process
// pid has used so far, read from /proc/PID/stat. Its resolution is 10 ms,
// which is why a phase runs long enough to use a second or so.
func ProcessCPU(pid int) (time.Duration, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The second field, the command name in parentheses, may hold spaces:
	// count fields from the last ')'.
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return 0, fmt.Errorf("/proc/%d/stat: no command name", pid)
	}
	f := strings.Fields(string(data[i+1:]))
	// After the name: state(3) ... utime(14) stime(15).
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(f))
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("/proc/%d/stat: utime %q, stime %q", pid, f[11], f[12])
	}
	return time.Duration(utime+stime) * clockTick, nil
}

// ProcessRSS is the resident memory of process pid, in bytes, from
// /proc/PID/status (VmRSS).
func ProcessRSS(pid int) (int64, error) {
	kb, err := procNumber(pid, "status", "VmRSS", " kB")
	return kb << 10, err
}

// ProcessPeakRSS is the most resident memory process pid has held so far,
// in bytes, from /proc/PID/status (VmHWM).
func ProcessPeakRSS(pid int) (int64, error) {
	kb, err := procNumber(pid, "status", "VmHWM", " kB")
	return kb << 10, err
}

// ProcessData is the private memory process pid has mapped (its heap,
// the threads' stacks: VmData in /proc/PID/status), in bytes: what the
// sandbox's memory limit, RLIMIT_DATA, counts.
func ProcessData(pid int) (int64, error) {
	kb, err := procNumber(pid, "status", "VmData", " kB")
	return kb << 10, err
}

// ProcessWrites is how many write(2)-family system calls (write, writev,
// pwrite) process pid has made so far: syscw in /proc/PID/io. Linux does
// not count send(2), sendto(2) or sendmsg(2) there, so a server that
// sends with those (Python's sendall, a UDP server's WriteTo) shows none.
func ProcessWrites(pid int) (int64, error) {
	return procNumber(pid, "io", "syscw", "")
}

// procNumber reads the number on the line "key: N unit" of /proc/PID/file.
func procNumber(pid int, file, key, unit string) (int64, error) {
	name := fmt.Sprintf("/proc/%d/%s", pid, file)
	data, err := os.ReadFile(name)
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, key+":"); ok {
			n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), unit), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("%s: %s %q", name, key, rest)
			}
			return n, nil
		}
	}
	return 0, fmt.Errorf("%s: no %s", name, key)
}

// selfCPU is the CPU time this process (the load generator) has used.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loadAverage is the one-minute load average, or -1.
func loadAverage() float64 {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	f := strings.Fields(string(data))
	if len(f) == 0 {
		return -1
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return -1
	}
	return v
}
