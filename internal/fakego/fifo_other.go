//go:build !unix

package fakego

import "errors"

func mkfifo(string) error { return errors.New("FIFOs are a Unix thing") }
