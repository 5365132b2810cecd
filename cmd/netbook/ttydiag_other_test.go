//go:build !linux

package main

import (
	"errors"
	"os"
)

func describeTTY(*os.File) string { return "" }

func lineEditing(*os.File) (bool, error) { return false, errors.ErrUnsupported }
