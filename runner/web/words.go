package web

import "github.com/netbook/netbook/runner/lang"

// words are the page's own words in one edition, from the catalogue
// (runner/lang): what the templates write around the book's text.
type words struct {
	Skip, Chapters, Language, PrevNext, Previous, Next      string
	Tagline, WhatNext, Progress, Contents, Ch, Chapter, Lab string
	Status, OpenLab, ReadChapter                            string
	Tasks, SaveToCheck, CheckNow, ShowHint, RunDiff         string
	Hints, NoHints, Diff, DiffExplain, Running, NotChecked  string
	Task, FirstFailure, Advice                              string
	Reference, ReferenceWhy, Bench, Stopped, Scrolls        string
}

func wordsIn(l lang.Lang) words {
	f := func(m *lang.Message) string { return l.Sprintf(m) }
	return words{
		Skip: f(lang.WebSkip), Chapters: f(lang.WebChapters), Language: f(lang.WebLanguage),
		PrevNext: f(lang.WebPrevNext), Previous: f(lang.WebPrevious), Next: f(lang.WebNext),
		Tagline: f(lang.WebTagline), WhatNext: f(lang.WebWhatNext), Progress: f(lang.WebProgress),
		Contents: f(lang.WebContents), Ch: f(lang.DashboardCh), Chapter: f(lang.DashboardChapter),
		Lab: f(lang.DashboardLab), Status: f(lang.DashboardStatus), OpenLab: f(lang.WebOpenLab),
		ReadChapter: f(lang.WebReadChapter), Tasks: f(lang.WebTasks), SaveToCheck: f(lang.WebSaveToCheck),
		CheckNow: f(lang.WebCheckNow), ShowHint: f(lang.WebShowHint), RunDiff: f(lang.WebRunDiff),
		Hints: f(lang.WebHints), NoHints: f(lang.WebNoHints), Diff: f(lang.WebDiff),
		DiffExplain: f(lang.WebDiffExplain), Running: f(lang.WatchRunning), NotChecked: f(lang.WebNotChecked),
		Task: f(lang.WebTask), FirstFailure: f(lang.WebFirstFailure),
		Advice: f(lang.WebAdvice), Reference: f(lang.WebReference), ReferenceWhy: f(lang.CompareOneAnswer),
		Bench: f(lang.WebBench), Stopped: f(lang.WebStopped), Scrolls: f(lang.WebScrolls),
	}
}
