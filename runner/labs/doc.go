// Package labs reads the workbook's labs: their metadata, their tasks, and
// where their reference solutions live.
//
// # Lab layout
//
// A lab is a folder labs/NN-slug in the labs module, holding:
//
//	README.md     the brief, with YAML front matter (below)
//	hints.yaml    the hints, per task, one to three levels each (Hints)
//	*.go          the skeleton: the files the student edits, and any given code
//	*_test.go     the tasks, as tests
//	testdata/     anything the tests read
//
// and, for a translation into language LANG (see Lab.In), README.LANG.md
// (the brief), hints.LANG.yaml and tasks.LANG.yaml (task number to title):
// README.zh.md, hints.zh.yaml and tasks.zh.yaml for Chinese. A
// translation keeps the English code: each code block of the brief, and
// each hint level of several lines, byte for byte, but for the comment
// after a shell command (TestTranslatedLabsKeepTheCode).
//
// Its reference solution is solutions/NN-slug/: one file for each file the
// student edits, same name and package.
//
// # Front matter
//
//	---
//	title: Addresses and ports
//	chapter: 01-networks-and-ports   # the chapter slug that teaches it
//	files: [addresses.go]            # the files the student edits
//	serve: tcp                       # only for server labs: "tcp" or "udp"
//	---
//
// # Tasks
//
// Each top-level test named TestTaskN... (N = 1, 2, 3, ...) is one task, in
// the order of N. The first line of the test's doc comment is the task's
// title, as the student sees it:
//
//	// Parse "host:port" into a host and a port number.
//	func TestTask1ParseHostPort(t *testing.T) { ... }
package labs
