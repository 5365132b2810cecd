//go:build !race

package sandbox

// raceShim says that this binary is built with -race (see race_on.go).
const raceShim = false
