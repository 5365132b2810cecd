// Package workbook is the model of where a student stands in the book:
// the chapters, the labs with each one's status and tasks, the single next
// step, which levels of each task's hints have been shown, and the day each
// lab was done. Every front end works from it: the terminal dashboard
// (WriteDashboard), netbook check, hint, watch, compare, reset and
// progress, and whatever comes later (a web page).
//
// [Open] builds a [Workbook] once per command. A lab's status comes from
// its code, never from memory alone: a lab whose files still match the
// skeleton (labs/book.sum) is not started, with no compiling; a lab whose
// content matches a recorded result has that result; any other lab's tests
// run (with Options.Test, as the dashboard does) or its status is unknown
// until it is checked.
//
// Progress is recorded in one place: [Workbook.Check] runs a lab's tests
// through runner/check, records the result in the progress file
// (runner/state) and updates the lab's status. A lab that passes gets a
// done record (state.Done: the day it first passed, the fingerprints of
// the files that passed), which the dashboard shows and which stays when
// the code changes again; Lab.FirstDone tells the check that was the first
// pass, and a lab whose files here are the skeleton but whose record
// stands (done in another copy of the book, see runner/transfer) is Done
// and Elsewhere. [Workbook.Result] is the last check's result when the
// lab has not changed since, else a check's. [Workbook.Hint] hands out
// the next level of a task's hints (for the first failing task unless one
// is named, reusing the last check when the lab has not changed since) and
// remembers it.
//
// # Language
//
// Options.Lang opens the workbook in a language (runner/lang): the book's
// chapters in it where they have a translation (book.LoadIn), each lab's
// title, brief, hints and task titles likewise (labs.Lab.In), and every
// message the workbook writes (the dashboard, the next step, Advice, the
// hints' frames) from the catalogue. A front end that switches language
// opens the workbook again with another Lang; the progress file is the
// same in every language.
//
// # Hints
//
// A lab's hints are per task, in labs/NN-slug/hints.yaml (see
// labs.Hints): up to three levels each, a nudge, an approach, then nearly
// the code; the progress file remembers, per lab and task, how many levels
// were shown.
package workbook
