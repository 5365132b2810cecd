//go:build !unix

package main

import "os"

func describeTTY(*os.File) string { return "" }
