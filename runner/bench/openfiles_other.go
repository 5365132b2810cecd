//go:build !unix

package bench

// openFilesLimit is unknown here: the system sets no limit netbook can read.
func openFilesLimit() (uint64, bool) { return 0, false }
