package lang

// The catalogue: every runner message a student reads often, in English
// and in Chinese, grouped by the screen that shows it. The English is the
// source: change it here and the translation with it. Terms follow
// docs/glossary.md (实验 lab, 任务 task, 提示 hint, 参考答案 reference
// solution); commands stay as they are typed.

// Days.
var (
	// DayLayout is a day, as a layout for time.Time.Format.
	DayLayout = msg("2 Jan 2006", "2006年1月2日")
)

// The dashboard (workbook.WriteDashboard) and a lab's status.
var (
	DashboardTitle     = msg("%s · network programming in Go, one lab at a time\n\n", "%s · 用 Go 学网络编程，一次一个实验\n\n")
	DashboardCh        = msg("ch", "章")
	DashboardChapter   = msg("chapter", "章节")
	DashboardLab       = msg("lab", "实验")
	DashboardStatus    = msg("status", "状态")
	DashboardFirstDone = msg("Lab %s passes every task now. See how the book's reference solution does it, next to yours:\n  %s\n\n", "实验 %s 的任务全部通过了。看看本书的参考答案是怎么写的，和你的代码并排对照：\n  %s\n\n")
	// DashboardFirstDoneMany heads the labs that passed for the first
	// time at once, each with its compare command under it.
	DashboardFirstDoneMany = msg("These labs pass every task now. See how the book's reference solution does each, next to yours:\n", "这些实验的任务全部通过了。看看本书的参考答案是怎么写的，和你的代码并排对照：\n")
	DashboardNewHere       = msg("New here? %s explains how the workbook works.\n\n", "第一次来？%s 会介绍这本练习册怎么用。\n\n")
	// LabsDone is the progress under a bar: the dashboard's and watch's.
	LabsDone = msg("%d of %d labs done", "已完成 %d/%d 个实验")

	StatusNotStarted   = msg("not started", "未开始")
	StatusInProgress   = msg("in progress", "进行中")
	StatusNoCompile    = msg("does not compile", "编译不通过")
	StatusDone         = msg("done", "已完成")
	LabelTasks         = msg("%d of %d tasks", "通过 %d/%d 个任务")
	LabelDoneTasks     = msg("done (%d tasks)", "已完成（%d 个任务）")
	LabelDoneOn        = msg("done %s", "%s 完成")
	LabelDoneElsewhere = msg("done %s (files elsewhere)", "%s 完成（文件在别处）")

	// LabelNotStarted is the count of a lab whose files are the skeleton
	// as shipped, checked (check's first line, the lab's page): not
	// started, as the dashboard and the badges say, and why no task
	// passes.
	LabelNotStarted = msg("not started: %d of %d tasks", "未开始：通过 %d/%d 个任务")
)

// The next step: the dashboard's last lines, and check's.
var (
	NextRead      = msg("Next: lab %s. First read chapter %d, %s:", "下一步：实验 %[1]s。先读第 %[2]d 章《%[3]s》：")
	NextNoCompile = msg("Next: lab %s does not compile. See the error:", "下一步：实验 %s 编译不通过。看看错误：")
	NextLab       = msg("Next: lab %s", "下一步：实验 %s")
	NextTask      = msg("Next: lab %s, task %d of %d: %s", "下一步：实验 %[1]s，任务 %[2]d/%[3]d：%[4]s")
	NextFinished  = msg("Every lab passes: you have finished the book. Read any chapter again with:", "所有实验都通过了：你读完了这本书。想重读哪一章，先列出来：")
	// AdviceNextLab and AdviceWhereYouStand follow check's "Next: " once
	// a lab passes.
	AdviceNextLab       = msg("lab %s. Read chapter %d, %s:\n  %s", "实验 %[1]s。读第 %[2]d 章《%[3]s》：\n  %[4]s")
	AdviceWhereYouStand = msg("see where you stand: %s", "看看你走到哪儿了：%s")
)

// Hints (workbook.WriteHint, WriteShown; netbook hint; watch's h key).
var (
	HintTitle       = msg("Hint %d of %d for %s, task %d:", "%[3]s 任务 %[4]d 的提示，第 %[1]d 级（共 %[2]d 级）：")
	HintTitleWhy    = msg("Hint %d of %d for %s, task %d (%s):", "%[3]s 任务 %[4]d（%[5]s）的提示，第 %[1]d 级（共 %[2]d 级）：")
	HintChoseFirst  = msg("the first that fails", "第一个没通过的任务")
	HintNoCompile   = msg("Lab %s does not compile:", "实验 %s 编译不通过：")
	HintSeeErrors   = msg("See the errors with: %s\n", "查看错误：%s\n")
	HintNone        = msg("Task %d of lab %s has no hints.\n", "实验 %[2]s 的任务 %[1]d 没有提示。\n")
	HintLastAgain   = msg("That was the last hint for this task, again.\n", "这是这个任务的最后一条提示，又给了你一遍。\n")
	HintAnother     = msg("Another hint: %s\n", "再要一条提示：%s\n")
	HintLast        = msg("That was the last hint.\n", "这是最后一条提示了。\n")
	HintNoneShown   = msg("No hints shown yet for %s. Get the first with: %s\n", "%s 还没有看过提示。看第一条：%s\n")
	HintReadChapter = msg("The chapter explains the rest: %s\n", "其余的，这一章里有讲解：%s\n")
	// HintBuild is one paragraph, wrapped to the screen as hints are.
	HintBuild = msg(`Your code does not compile, so no task can run yet. Read the first error only: FILE:LINE:COL says where it is, the words after it say what the compiler expected there. Fix that one and check again; the errors after the first often follow from it ("declared and not used", a missing return, a missing import are the usual ones).`,
		`你的代码还编译不通过，所以哪个任务都还跑不起来。只看第一个错误：FILE:LINE:COL 说的是它在哪儿，后面的话说的是编译器在那里期待什么。改好这一个，再检查一次；第一个之后的错误常常是由它引起的（最常见的是 "declared and not used"、缺了 return、缺了 import）。`)
	HintAllPass  = msg("Every task of %s passes: ask for a task's hints with: %s N\n", "%s 的每个任务都通过了。想看某个任务的提示：%s N\n")
	HintFirstLab = msg("Lab %s, the first lab not done yet (name another: %s hint NN).", "实验 %[1]s，第一个还没完成的实验（换一个：%[2]s hint NN）。")
	HintNoneTask = msg("Task %d has no hints.", "任务 %d 没有提示。")

	// HintTaskOfFolder: "hint N" inside a lab's folder, N one of its tasks.
	HintTaskOfFolder = msg("Task %d of lab %s, the folder you are in (lab %s's hints: %s hint %s, or run hint from the repository's root).\n",
		"实验 %[2]s（你所在的文件夹）的任务 %[1]d（要看实验 %[3]s 的提示：%[4]s hint %[5]s，或者在仓库根目录下运行 hint）。\n")
	// HintLabNotTask: "hint N" inside a lab's folder, N none of its tasks
	// but a lab: the hints are lab N's, which the student may not expect.
	HintLabNotTask = msg("Lab %s's hints: lab %s, the folder you are in, has no task %d (its tasks are 1 to %d).\n",
		"这是实验 %[1]s 的提示：你所在的文件夹里的实验 %[2]s 没有任务 %[3]d（它的任务是 1 到 %[4]d）。\n")
)

// netbook check's report (check.WriteText) and the task lines watch shares.
var (
	CheckAllPass     = msg("all %d tasks pass", "%d 个任务全部通过")
	CheckOnly        = msg("--task %s: %d of %d pass", "--task %s：通过 %d/%d 个")
	CheckUnverified  = msg("all %d tasks pass, but not on the book's tests", "%d 个任务全部通过，但用的不是本书的测试")
	CheckFixFirst    = msg("The tests cannot run until the code compiles. Fix the first error above", "代码编译通过之前，测试都跑不起来。改正上面的第一个错误")
	CheckThenRun     = msg(", then run:\n  %s\n", "，然后运行：\n  %s\n")
	CheckFullStop    = msg(".\n", "。\n")
	CheckMoreLines   = msg("... (%d more lines: %s prints all of it)", "……（还有 %d 行：运行 %s 可以看到全部）")
	CheckDoneCompare = msg("Done! See how the book's reference solution does it, next to yours:\n  %s\n", "完成了！看看本书的参考答案是怎么写的，和你的代码并排对照：\n  %s\n")
	CheckNext        = msg("Next: %s\n", "下一步：%s\n")
	CheckEdit        = msg("Edit %s", "编辑 %s")
	CheckStuck       = msg("Stuck? %s\n", "卡住了？%s\n")
	CheckAdvice      = msg("Advice on your code (it does not change the result):", "对你代码的建议（不影响结果）：")
	CheckAdviceDone  = msg("Every task passes, but a reviewer would point out:", "每个任务都通过了，不过审阅代码的人会指出：")
	CheckEveryLab    = msg("Every lab passes. Check one again with: %s check 01\n", "所有实验都通过了。想再检查某一个：%s check 01\n")

	// Under the task list, when a test stopped the test binary before some tasks ran.
	CheckNotRun = msg("· marks a task that did not run: a test that ran before it stopped the whole test binary (a panic, or the time limit). Fix that, and the task runs.",
		"· 表示这个任务没有运行：在它之前运行的某个测试让整个测试程序停了下来（panic，或者到了时间限制）。把那个问题解决了，它就会运行。")

	// Under a compile error in one of the book's test files.
	CheckBookTestError = msg("%s is one of the book's tests: an error there means that the tests call a function or type that your code no longer declares as the skeleton did (renamed, or with other parameters). Keep the skeleton's names and signatures, and change your code, not the test.",
		"%s 是本书的测试。错误出在这里，说明测试要调用的函数或类型，在你的代码里已经和骨架代码声明的不一样了（改了名字，或者改了参数）。名字和签名要和骨架代码保持一致；该改的是你的代码，不是测试。")

	FailureHead      = msg("Task %d %s (%s):", "任务 %d %s（%s）：")
	FailureNoMessage = msg("(the test printed no message)", "（测试没有打印任何消息）")
	TaskPassed       = msg("passed", "通过")
	TaskFailed       = msg("failed", "失败")
	TaskTimedOut     = msg("timed out", "超时")
	TaskCutShort     = msg("was cut short", "被中断")
	TaskSkipped      = msg("was skipped", "被跳过")
	TaskNotRun       = msg("did not run", "没有运行")

	// CheckTimedOutWhy starts the message of a task that hit the time limit.
	CheckTimedOutWhy = msg("This task did not finish before the time limit: something is waiting forever (a read with no deadline, an Accept nobody wakes, a lock never released), or a loop never ends.",
		"这个任务在时间限制之前没有结束：有什么东西在永远等待（没有截止时间的读、没人唤醒的 Accept、一直不释放的锁），或者有个循环永远不会结束。")
	// CheckNeverRan starts the message of a task whose test never started.
	CheckNeverRan = msg("This task never ran: an earlier test stopped the whole test binary (see the message above it).",
		"这个任务根本没有运行：在它之前的某个测试让整个测试程序停了下来（见它上面的消息）。")
	// A test's failing cases (subtests), in its message: the first of
	// those that failed alike, and the others after it (CheckCaseNames
	// is the list check makes: cases "a", "b" and "c").
	CheckCase       = msg("case %s:", "用例 %s：")
	CheckCaseFailed = msg("case %s: failed", "用例 %s：失败")
	CheckSameWay    = msg("%s failed the same way.", "%s 也以同样的方式失败。")
	CheckCaseNames  = msg("cases %s", "用例 %s")
	// What the code under test printed, under the test's message.
	CheckOutputHead = msg("Your code printed this while the test ran:", "测试运行时，你的代码打印了这些：")
	CheckOutputMore = msg("... (%d more lines left out: %s shows everything)", "……（还有 %d 行没有显示：运行 %s 可以看到全部）")
	// CheckOutputCut ends the output shown when netbook kept only part of
	// it (gotest.DefaultKeep): the lines kept but not shown, and the size
	// of what was not kept.
	CheckOutputCut = msg("... (%d more lines left out, and %s more that netbook did not keep: %s shows everything)", "……（还有 %d 行没有显示，另有 %s 没有保留：运行 %s 可以看到全部）")

	TrustModified = msg("Your copy of %s differs from the book's; these results use the book's tests.", "你的 %s 和本书的不一样；这次的结果用的是本书的测试。")
	// TrustModifiedBack is TrustModified with the command that puts the
	// book's copy back, from the repository's root, when git can.
	TrustModifiedBack = msg("Your copy of %s differs from the book's; these results use the book's tests. Put the book's copy back with:\n  %s", "你的 %s 和本书的不一样；这次的结果用的是本书的测试。恢复本书的版本：\n  %s")
	TrustUnverified   = msg("These results use your copies of files that differ from the book's, because %s.", "这次的结果用的是你那份和本书不同的文件，因为%s。")
	TrustNotDone      = msg("The lab does not count as done until those files are the book's again.", "在这些文件恢复成本书的版本之前，这个实验不算完成。")
	TrustLeftOut      = msg("Left out of this check: %s: %s.\n", "这次检查没有包括 %s：%s。\n")
	TrustOwnTests     = msg("Your own tests in %s ran too; they do not count toward the tasks.\n", "你自己在 %s 里写的测试也运行了；它们不计入任务。\n")
	TrustOwnBuilt     = msg("Your own tests in %s are compiled with the book's; they do not count toward the tasks.\n", "你自己在 %s 里写的测试和本书的测试一起编译；它们不计入任务。\n")
	TrustOwnFailed    = msg("Of yours, these failed: %s (go test -v shows why).", "你的测试里，这些失败了：%s（go test -v 会显示原因）。")
)

// Why the book's own files could not be used (shipped.Why, check.Reason):
// what follows "because" in TrustUnverified, and after a file's name in
// TrustLeftOut. Errors say them in English.
var (
	WhyGoOnly        = msg("netbook can put the book's copy in place of Go files only, and the run reads %s from your folder, where it is changed or deleted (put the book's back with: git checkout -- %s)", "只有 Go 文件才能由 netbook 换成本书的版本，而这次运行读的是你文件夹里的 %s，它已被改动或删除（恢复本书的版本：git checkout -- %s）")
	WhyGoOnlyMany    = msg("netbook can put the book's copy in place of Go files only, and the run reads %s from your folder, where they are changed or deleted (put the book's back with: git checkout -- %s)", "只有 Go 文件才能由 netbook 换成本书的版本，而这次运行读的是你文件夹里的 %s，它们已被改动或删除（恢复本书的版本：git checkout -- %s）")
	WhyUnrecoverable = msg("the book's copy cannot be recovered (%s): %s", "本书的版本（%s）无法取回：%s")
	WhyNoGit         = msg("git is not installed", "没有安装 git")
	WhyNotAClone     = msg("this copy of the book is not a git clone", "你这份副本不是用 git 克隆的")
	WhyGitFailed     = msg("git cat-file: %s", "git cat-file 出错：%s")
	WhyGitTooLittle  = msg("git cat-file answered too little", "git cat-file 返回的内容不完整")
	WhyNotInHistory  = msg("%s is not in this clone's history (a download without git, or a shallow clone?)", "这个克隆的历史里没有 %s（是不带 git 下载的，还是浅克隆？）")
	WhyOtherBytes    = msg("git returned other bytes for %s", "git 给出的 %s 和本书记录的不一致")
	WhyNotInBook     = msg("not part of the book", "它不是本书的文件")
	WhyTestMain      = msg("it declares TestMain, which decides how the book's tests run", "它声明了 TestMain，而 TestMain 决定本书的测试怎样运行")
	WhyTask          = msg("it declares %s; tasks are the book's tests", "它声明了 %s；任务只能是本书的测试")
)

// netbook watch's screen (watch.Render) and keys.
var (
	WatchCouldNotRun = msg("The tests could not run:", "测试没能运行：")
	WatchRunning     = msg("Running the tests...", "正在运行测试……")
	WatchFinished    = msg("Every lab passes: you have finished the book.", "所有实验都通过了：你读完了这本书。")
	WatchPasses      = msg("This lab passes!", "这个实验通过了！")
	WatchNextLab     = msg("Next: lab %s (%s).", "下一个：实验 %s（%s）。")
	WatchPressN      = msg("press n to go on, or run netbook watch --auto", "按 n 继续，或者运行 netbook watch --auto")
	WatchRunNext     = msg("run netbook watch %s", "运行 netbook watch %s")
	WatchOrPressH    = msg(" (or press h)", "（或者按 h）")
	WatchWatching    = msg("Watching %s: save a file to run the tests again", "正在盯着 %s：保存文件就会重新运行测试")
	WatchThisDir     = msg("Watching this folder: save a file to run the tests again", "正在盯着当前文件夹：保存文件就会重新运行测试")
	WatchLastRun     = msg(" (last run %s)", "（上次运行用了 %s）")
	WatchKeys        = msg("keys: n next lab · h hint · r run again · q quit", "按键：n 下一个实验 · h 提示 · r 再运行一次 · q 退出")
	WatchNoCompile   = msg("The code does not compile:", "代码编译不通过：")
	WatchMoreErrors  = msg("... and %d more", "……还有 %d 个")
	WatchMoreLines   = msg("... (%d more lines: run netbook check for all of it)", "……（还有 %d 行：运行 netbook check 看全部）")
	WatchLastLab     = msg("This is the last lab.", "这已经是最后一个实验了。")
	WatchEveryLab    = msg("Every lab passes. Watch one again with: %s watch 01\n", "所有实验都通过了。想再盯着某一个：%s watch 01\n")

	// Under the failure, when the code under test printed while it ran:
	// check shows up to check.MaxOutput of those lines.
	WatchOutputOne  = msg("(Your code printed a line while the test ran: netbook check shows it.)", "（测试运行时你的代码打印了 1 行：netbook check 会显示它。）")
	WatchOutputAll  = msg("(Your code printed %d lines while the test ran: netbook check shows them.)", "（测试运行时你的代码打印了 %d 行：netbook check 会显示它们。）")
	WatchOutputSome = msg("(Your code printed %d lines while the test ran: netbook check shows the first %d.)", "（测试运行时你的代码打印了 %d 行：netbook check 会显示前 %d 行。）")

	// WatchOutputCut is WatchOutputSome for an output netbook kept in part
	// (its first half and its last lines: gotest.DefaultKeep).
	WatchOutputCut = msg("(Your code printed more than %d lines while the test ran: netbook check shows the first %d.)", "（测试运行时你的代码打印了超过 %d 行：netbook check 会显示前 %d 行。）")
)

// netbook list and read: the words around the chapters (book.WriteList,
// WriteHead, WriteTail).
var (
	ListLab          = msg("lab:", "实验")
	ListReadOne      = msg("Read one with: %s\n", "读其中一章：%s\n")
	ReadHead         = msg("Chapter %d of %d", "第 %d/%d 章") // the last chapter's number: chapters start at 0
	ReadLab          = msg("Lab:", "实验")
	ReadStartLab     = msg("labs/%s. Start it with:", "labs/%s。这样开始：")
	ReadNext         = msg("Next:", "下一章")
	ReadNextChapter  = msg("chapter %d, %s:", "第 %d 章《%s》：")
	ReadUntranslated = msg("chapter %d has no translation yet: here it is in English.", "第 %d 章还没有中文版，下面是英文原文。")
)

// netbook compare (compare.WriteText, WriteNotYet, WriteElsewhere).
var (
	CompareHead       = msg("your code next to the book's reference", "你的代码和本书的参考答案并排对照")
	CompareSame       = msg("the same as the reference, byte for byte.", "和参考答案一字节不差。")
	CompareFile       = msg("%s (-) next to %s (+): %s removed, %s added", "%s（-）对照 %s（+）：删去 %s，加上 %s")
	CompareLine       = msg("1 line", "1 行")
	CompareLines      = msg("%d lines", "%d 行")
	CompareOneAnswer  = msg("The reference is one good answer, not the only one: your code passes the same tests.\n", "参考答案是一个好答案，但不是唯一的答案：你的代码通过的是同样的测试。\n")
	CompareHidden     = msg("The reference solution stays hidden until every task passes on the book's tests; then compare your code with it.\n", "在每个任务都通过本书的测试之前，参考答案不会显示；通过之后，再拿你的代码和它对照。\n")
	CompareKeepGoing  = msg("Keep going: %s\n", "继续：%s\n")
	CompareElsewhere  = msg("You did lab %s on %s, with files that are not in this copy of the book: its files here are the skeleton.\n", "你在 %[2]s 完成了实验 %[1]s，但当时的文件不在你这份副本里：这里的文件还是骨架代码。\n")
	CompareBringFiles = msg("Bring the files that passed over (from your own git remote, say), then compare them with the reference:\n  %s\n", "把通过测试的那些文件拿过来（比如从你自己的 git 远程仓库），再和参考答案对照：\n  %s\n")
	NotYetNoCompile   = msg("lab %s does not compile yet, so none of its %d tasks pass.", "实验 %s 还编译不通过，所以它的 %d 个任务一个都没通过。")
	NotYetUnverified  = msg("lab %s passes only on test files that are not the book's (%s).", "实验 %s 只在不属于本书的测试文件上通过（%s）。")
	NotYet            = msg("lab %s is not done yet: %d of %d tasks pass, %d to go.", "实验 %s 还没完成：%d/%d 个任务通过，还剩 %d 个。")
	NotYetNext        = msg("lab %s is not done yet: %d of %d tasks pass, %d to go (next: task %d, %s).", "实验 %s 还没完成：%d/%d 个任务通过，还剩 %d 个（下一个：任务 %d，%s）。")
)

// What a command says on standard error while the tests of a changed lab
// run before it can answer.
var (
	Checking      = msg("checking %s (it changed since its last check)...\n", "正在检查 %s（上次检查之后它改动过）……\n")
	CheckingFirst = msg("checking %s first (it changed since its last check)...\n", "先检查一下 %s（上次检查之后它改动过）……\n")
)

// What a command that takes a lab says on standard error when none is
// named and it runs inside a lab's folder, which it takes for that lab.
var (
	LabOfFolder = msg("Lab %s, the folder you are in (name another: %s %s NN).\n", "实验 %[1]s，也就是你所在的文件夹（换一个：%[2]s %[3]s NN）。\n")
	// Inside a lab's folder, read and run take the lab's chapter.
	ChapterOfFolder = msg("Chapter %d, the one of lab %s, the folder you are in (name another: %s %s N).\n", "第 %[1]d 章，也就是你所在的文件夹（实验 %[2]s）的那一章（换一章：%[3]s %[4]s N）。\n")
)

// netbook run: a chapter's snippets (snippets.WriteList).
var (
	RunChapter   = msg("Chapter %d, %s", "第 %d 章《%s》")
	RunCount     = msg("%d runnable snippets", "%d 段可运行的代码")
	RunNone      = msg("(none: this chapter's code is all fragments)", "（没有：这一章的代码都是片段）")
	RunServerOf  = msg("server of %s", "%s 的服务器")
	RunClientOf  = msg("client of %s", "%s 的客户端")
	RunToolchain = msg("Go toolchain", "Go 工具链")
	RunOne       = msg("Run one with: %s", "运行其中一段：%s")

	// What netbook run says as a snippet runs, and how it ended.
	RunRunning         = msg("Running %s (%s) with %s", "运行 %s（%s），用%s")
	RunRunningPair     = msg("Running server %s and client %s together with %s: the client gets the server's address", "同时运行服务器 %s 和客户端 %s，用%s：客户端会拿到服务器的地址")
	RunMatches         = msg("%s ok in %v: the output matches the chapter", "%s 运行正常，用时 %v：输出和本章给出的一致")
	RunDiffers         = msg("%s printed something other than the chapter shows under it (line %d); a chapter bug? Please report it.", "%s 的输出和本章在它下面给出的不一样（第 %d 行）；是本章的错误吗？请报告它。")
	RunDiffersFed      = msg("%s printed something other than the chapter shows under it (line %d), which is a run without your arguments and input.", "%s 的输出和本章在它下面给出的不一样（第 %d 行）：本章给出的是不带你的参数和输入时的运行结果。")
	RunAllTotal        = msg("%d of %d snippets ran and printed what the chapter says.", "%[2]d 段代码中有 %[1]d 段运行后的输出和本章给出的一致。")
	RunInterp          = msg("the interpreter", "解释器")
	RunGoToolchain     = msg("the Go toolchain", "Go 工具链")
	RunPick            = msg("the interpreter (the Go toolchain where a snippet is marked toolchain)", "解释器（标明 toolchain 的代码段用 Go 工具链）")
	RunMarkedToolchain = msg("the Go toolchain (it is marked toolchain)", "Go 工具链（它标明了 toolchain）")

	// How a run that did not end well ended, and what to try (the error
	// netbook run prints, and the web book's page under a snippet).
	RunTimedOut    = msg("stopped %s after %v: it was still running (a loop that never ends, or a server waiting in Accept).%s", "%s 运行了 %v 还没有结束，被停下了（可能是一个永不结束的循环，或者一个在 Accept 里等待的服务器）。%s")
	RunLonger      = msg(" Give it longer with --timeout 30s", "想多给它一些时间，就加上 --timeout 30s")
	RunLongerIn    = msg(" Give it longer %s", "想多给它一些时间：%s")
	RunInTerminal  = msg("in a terminal, %s", "在终端里运行 %s")
	RunOutputCap   = msg("stopped %s: it printed more than %d KiB, so netbook cut it off (a loop that prints without end?)", "%s 被停下了：它打印了超过 %d KiB 的内容，netbook 把它截断了（是不是有个循环在不停地打印？）")
	RunRefusedEdit = msg("the interpreter refused your edit of %s (see above); the Go toolchain may run it: save the code as main.go in a folder of its own and go run it there", "解释器不肯运行你改过的 %s（见上面）；Go 工具链也许能运行它：把代码存成一个单独文件夹里的 main.go，在那个文件夹里用 go run 运行它")
	RunRefused     = msg("the interpreter refused %s (see above); try it with the Go toolchain: %s", "解释器不肯运行 %s（见上面）；换 Go 工具链试试：%s")
	RunPanicEdit   = msg("your edit of %s panicked (exit status %d). The interpreter cannot tell on which line; the Go toolchain's stack trace shows it: save the code as main.go in a folder of its own and go run it there", "你改过的 %s 发生了 panic（退出状态 %d）。解释器说不出是哪一行，Go 工具链的栈跟踪能说出来：把代码存成一个单独文件夹里的 main.go，在那个文件夹里用 go run 运行它")
	RunPanic       = msg("%s panicked (exit status %d). The interpreter cannot tell on which line; the Go toolchain's stack trace shows it: %s", "%s 发生了 panic（退出状态 %d）。解释器说不出是哪一行，Go 工具链的栈跟踪能说出来：%s")
	// RunFailed wraps the error (%w): a caller can still tell what it is.
	RunFailed = msg("%s failed: %w", "%s 运行失败：%w")
)

// Which of the sandbox's limits stopped a program (sandbox.ExplainIn):
// after RunFailed's "failed: " in netbook run and the web book.
var (
	LimitStack     = msg("the program's stack grew past its limit, a stack overflow, and it was stopped: does a function call itself without end?", "程序的栈超过了上限，栈溢出了，程序被停下：是不是有个函数在无休止地调用自己？")
	LimitStackAt   = msg("the program's stack grew past %s, a stack overflow, and it was stopped: does a function call itself without end?", "程序的栈超过了 %s，栈溢出了，程序被停下：是不是有个函数在无休止地调用自己？")
	LimitMemory    = msg("the program used more than %s of memory and was stopped", "程序用了超过 %s 的内存，被停下了")
	LimitThreads   = msg("the program started too many threads and was stopped (the limits are %d threads, and %s of memory for all their stacks)", "程序启动的线程太多，被停下了（上限是 %d 个线程，所有线程的栈共用 %s 内存）")
	LimitCPU       = msg("the program used more than %v of CPU time and was stopped", "程序用了超过 %v 的 CPU 时间，被停下了")
	LimitFileSize  = msg("the program tried to write a file larger than %s; the write failed", "程序想写一个大于 %s 的文件；这次写入失败了")
	LimitOpenFiles = msg("the program tried to keep more than %d files and sockets open at once", "程序想同时打开超过 %d 个文件和套接字")
	// OffIgnored warns of words of NETBOOK_SANDBOX_OFF that name no layer
	// of the sandbox (sandbox.OffWarningIn).
	OffIgnored     = msg("%s=%s: netbook ignores %s, which names no layer of the sandbox; it takes %s and %s, separated by commas (%s=network,limits)", "%s=%s：netbook 忽略了 %s，它不是沙箱的任何一层；可用的有 %s 和 %s，用逗号隔开（%s=network,limits）")
	OffIgnoredMany = msg("%s=%s: netbook ignores %s, which name no layers of the sandbox; it takes %s and %s, separated by commas (%s=network,limits)", "%s=%s：netbook 忽略了 %s，它们都不是沙箱的层；可用的有 %s 和 %s，用逗号隔开（%s=network,limits）")
	// The layers of the sandbox this machine does not offer (sandbox's
	// Report.MissingIn): netbook run's and serve's notice, Semicolon
	// between them.
	MissingNetwork   = msg("network isolation: unavailable (%v), the language-level fence still applies", "网络隔离：不可用（%v），语言层面的防护仍然有效")
	MissingFilesSelf = msg("file-system isolation: unavailable (netbook cannot find its own binary: %v)", "文件系统隔离：不可用（netbook 找不到它自己的可执行文件：%v）")
	MissingFilesOff  = msg("file-system isolation: unavailable (%v), the language-level fence still applies", "文件系统隔离：不可用（%v），语言层面的防护仍然有效")
	MissingFiles     = msg("file-system isolation: unavailable (no Landlock in this kernel: %v), the language-level fence still applies", "文件系统隔离：不可用（这个内核没有 Landlock：%v），语言层面的防护仍然有效")
	MissingLimits    = msg("resource limits: unavailable", "资源限制：不可用")
	MissingLimitsOff = msg("resource limits: unavailable (turned off by %s)", "资源限制：不可用（被 %s 关掉了）")
	MissingAll       = msg("network, file-system and resource isolation: not available on %s, the language-level fence still applies", "网络、文件系统和资源隔离：在 %s 上不可用，语言层面的防护仍然有效")
	// Bytes is a size in bytes: one under 1 KiB (check's output cut), a
	// stack limit that is no whole number of MiB.
	Bytes = msg("%d bytes", "%d 字节")
)

// netbook serve: the web book's own words (runner/web).
var (
	WebSkip         = msg("Skip to the text", "跳到正文")
	WebChapters     = msg("Chapters", "章节")
	WebLanguage     = msg("Language", "语言")
	WebPrevNext     = msg("Previous and next", "上一页和下一页")
	WebPrevious     = msg("Previous", "上一页")
	WebNext         = msg("Next", "下一页")
	WebTagline      = msg("Network programming in Go, one lab at a time.", "用 Go 学网络编程，一次一个实验。")
	WebWhatNext     = msg("What to do next", "下一步做什么")
	WebProgress     = msg("Labs done", "已完成的实验")
	WebContents     = msg("Contents", "目录")
	WebOpenLab      = msg("Open the lab", "打开实验")
	WebReadChapter  = msg("Read the chapter", "阅读这一章")
	WebTasks        = msg("Where you stand", "你的进度")
	WebSaveToCheck  = msg("Save a file in the lab's folder and the tasks are checked again:", "在实验文件夹里保存文件，任务就会重新检查：")
	WebCheckNow     = msg("Check now", "现在检查")
	WebShowHint     = msg("Show a hint", "看一条提示")
	WebRunDiff      = msg("Compare with the reference's behaviour", "和参考答案的行为对比")
	WebHints        = msg("Hints", "提示")
	WebNoHints      = msg("No hints shown yet: ask for one when you are stuck.", "还没有看过提示：卡住了再要一条。")
	WebDiff         = msg("Your program next to the reference", "你的程序和参考答案对比")
	WebDiffExplain  = msg("Plays the lab's scripted sessions against your code and the reference, on loopback, and shows the first place they part ways.", "在本机回环地址上，用实验的脚本会话分别测试你的代码和参考答案，并指出两者第一次不一样的地方。")
	WebNotChecked   = msg("not checked yet", "还没检查")
	WebTask         = msg("Task", "任务")
	WebFirstFailure = msg("The first failure", "第一个失败")
	WebAdvice       = msg("Advice on your code", "对你代码的建议")
	WebReference    = msg("The book's reference, next to yours", "本书的参考答案，和你的代码对照")
	WebBench        = msg("Under load", "压力之下")
	WebNewHere      = msg("New here? Chapter 0, %s, explains how the workbook works.", "第一次来？第 0 章《%s》会介绍这本练习册怎么用。")
	WebBenchFrom    = msg("Latency of your server next to the reference's, from your latest %s (run it again to update this chart).", "你的服务器和参考答案的延迟对比，来自你最近一次 %s（再运行一次，图就会更新）。")
	WebNotFound     = msg("Page not found", "找不到这个页面")
	WebNoPage       = msg("The book has no page at %s.", "本书没有 %s 这个页面。")
	WebFailed       = msg("Something went wrong", "出错了")
	WebBackHome     = msg("Back to the contents", "回到目录")
	BenchSVGTitle   = msg("netbook bench %s: latency percentiles, log scale", "netbook bench %s：延迟的百分位数，对数刻度")
	BenchSVGLegend  = msg("Dot: p50; tick: p99; the line ends at p99.9. %s.", "圆点是 p50，短竖线是 p99，线段的终点是 p99.9。%s。")
	BenchSVGRow     = msg("%s, %s: %s", "%s，%s：%s")
	// Semicolon parts a list whose items have commas of their own: the
	// chart's rows, the sandbox's missing layers.
	Semicolon       = msg("; ", "；")
	BenchSVGFigures = msg("p50 %s, p99 %s, p99.9 %s", "p50 %s，p99 %s，p99.9 %s")
	BenchSVGNone    = msg("not measured", "未测到")
	BenchSVGYou     = msg("you", "你")
	BenchSVGRef     = msg("reference", "参考答案")
	ServeAt         = msg("The book is at %s\n(Ctrl-C stops it.)\n", "本书的网址：%s\n（按 Ctrl-C 停止。）\n")
	ServeTaken      = msg("netbook: %s is taken; serving on %s instead\n", "netbook：%s 已被占用，改在 %s 上运行\n")
	ServeNoBrowser  = msg("netbook: %v; open the URL above yourself\n", "netbook：%v；请自己打开上面的网址\n")
	WebSnippet      = msg("snippet %s", "代码片段 %s")
	WebRun          = msg("Run", "运行")
	WebEdit         = msg("Edit", "编辑")
	WebReset        = msg("Reset", "还原")
	WebStop         = msg("Stop", "停止")
	WebOutput       = msg("Output", "输出")
	WebStopped      = msg("stopped", "已停止")
	WebOffline      = msg("netbook serve is not answering: it has stopped, or it was started again with a new token. Start it with %s if it is not running, and open the address it prints.", "netbook serve 没有响应：它已经停止了，或者重新启动后换了新的令牌。如果它没在运行，用 %s 启动它，然后打开它打印的网址。")
	WebScrolls      = msg("code (scrolls sideways)", "代码（可横向滚动）")
	WebBusy         = msg("Too much is running at once: stop a run, or wait for one to end, and try again.", "同时运行的太多了：先停掉一个，或者等一个结束，再试一次。")
	WebBadRun       = msg("This run request is not one the page sends: reload the page and press Run again.", "这个运行请求不是页面发出的：刷新页面，再按一次运行。")
	WebWrongHost    = msg("Refused: this server answers only to its loopback address, not to the name %q (a page of another site cannot reach it). Open the URL netbook serve printed.", "已拒绝：这个服务器只响应本机回环地址，不响应名字 %q（别的网站的页面访问不到它）。请打开 netbook serve 打印的网址。")
	WebWrongOrigin  = msg("Refused: a page from %s may not use this server. Open the URL netbook serve printed.", "已拒绝：来自 %s 的页面不能使用这个服务器。请打开 netbook serve 打印的网址。")
	WebNotFromPage  = msg("Refused: %s is for the book's own pages to use, not to be opened by typing its address or from a page of another site. Open the URL netbook serve printed.", "已拒绝：%s 只供本书自己的页面使用，不能直接输入地址打开，也不能从别的网站的页面打开。请打开 netbook serve 打印的网址。")
	WebNoEdition    = msg("The book has no edition %q, so this page is in %s. The links at the top of the page switch editions.", "本书没有 %q 这个版本，所以本页用%s显示。页面顶部的链接可以切换版本。")
	WebNoToken      = msg("Refused: this request does not carry the server's token, which is new each time netbook serve starts. Open the URL netbook serve printed (it ends in ?token=...).", "已拒绝：这个请求没有带服务器的令牌（netbook serve 每次启动都会换一个新令牌）。请打开 netbook serve 打印的网址（以 ?token=... 结尾）。")
)

// The analyzers' advice on a student's code (runner/analysis: netcode.Report
// takes a problem and a fix): what netbook check, watch and the web book
// show under "Advice on your code". The English is also what
// cmd/netbook-vet prints, "problem; fix", byte for byte: the analyzers'
// testdata match it. Messages ending in a fragment of English (VetWhy…,
// VetHow…, VetWhat…) are the parts the analyzers put together.
var (
	// connclose
	VetConnAccepted   = msg("the connection accepted at line %d is not closed %s", "第 %[1]d 行 Accept 得到的连接%[2]s没有关闭")
	VetConnServes     = msg("%s serves %s, the connection of one client, but leaves it open %s", "%[1]s 负责服务 %[2]s（一个客户端的连接），但%[3]s没有关闭它")
	VetWhyLoop        = msg("before the loop goes back to Accept for the next client", "在循环回到 Accept 去接下一个客户端之前")
	VetWhyReturn      = msg("when it returns at line %d", "在第 %d 行返回时")
	VetWhyEnd         = msg("when the function ends", "在函数结束时")
	VetTheGoroutine   = msg("the goroutine", "这个 goroutine")
	VetConnCloseFix   = msg("close it on every path: defer conn.Close() at the top of the code that serves it covers the early returns and the errors too", "在每条路径上都关闭它：在服务这个连接的代码开头写 defer conn.Close()，提前返回和出错的情况也就都顾到了")
	VetDeferInLoop    = msg("this defer runs when the function returns, not at the end of the loop's turn: every client's connection stays open until the server stops", "这个 defer 要等函数返回时才执行，而不是在每一轮循环结束时：每个客户端的连接都会一直开着，直到服务器停止")
	VetDeferInLoopFix = msg("hand the connection to a function of its own (go handle(conn)) and defer conn.Close() there, or close it at the end of the loop's body", "把连接交给一个单独的函数（go handle(conn)），在那里 defer conn.Close()；或者在循环体的末尾关闭它")

	// fixedaddr
	VetFixedDial       = msg("%s is a fixed address, but %s is handed the address to connect to: the test's server listens on a port the kernel picks, a different one every run", "%[1]s 是写死的地址，可 %[2]s 已经拿到了要连接的地址：测试的服务器监听的是内核挑选的端口，每次运行都不一样")
	VetFixedDialFix    = msg("dial the address you were given (the addr parameter, or what the lab's URL or config holds)", "连接给你的那个地址（addr 参数，或者实验的 URL、配置里给出的地址）")
	VetFixedPublicPort = msg("%q listens on the fixed port %s of every network the machine is on: it fails when another program or test holds that port, and anyone who can reach the machine can connect", "%[1]q 在这台机器所在的每个网络上监听固定端口 %[2]s：别的程序或测试占着这个端口时就会失败，而且任何能访问这台机器的人都能连上来")
	VetFixedPort       = msg("%q is a fixed port: listening fails when another program or test already holds it, so tests cannot run side by side", "%q 是固定端口：别的程序或测试已经占用它时，监听就会失败，所以测试没法同时运行")
	VetFixedPublic     = msg("%q listens on every network the machine is on, not only on this machine: anyone who can reach it can connect", "%q 在这台机器所在的每个网络上监听，而不只是本机：任何能访问到它的人都能连上来")
	VetFixedHanded     = msg("%s; and this package is handed its listener", "%s；况且这个包本来就会拿到现成的监听器")
	VetFixedListenFix  = msg("listen on \"127.0.0.1:0\", let the kernel pick a free port, and find it with ln.Addr()", "监听 \"127.0.0.1:0\"，让内核挑一个空闲端口，再用 ln.Addr() 查出是哪一个")
	VetFixedHandedFix  = msg("serve on the listener you are given (the tests open it on 127.0.0.1:0) instead of opening your own", "在给你的监听器上提供服务（测试在 127.0.0.1:0 上打开它），不要自己再开一个")

	// sleepwait
	VetSleepPoll           = msg("this loop waits by sleeping and checking again: it notices the change late (up to a whole sleep), wakes up for nothing in between, and on a loaded machine any fixed sleep is a guess", "这个循环靠睡一会儿再检查来等待：它发现变化总是晚（最多晚一整次 sleep），中间还会白白醒来，而在负载高的机器上，任何固定的 sleep 时长都只是猜测")
	VetSleepPollFix        = msg("wait on what makes the change instead: a channel the other goroutine closes or sends on, a sync.WaitGroup, or a sync.Cond", "改为等待引起变化的那个东西：另一个 goroutine 关闭或发送的 channel、sync.WaitGroup，或者 sync.Cond")
	VetSleepAfterGo        = msg("sleeping right after starting a goroutine guesses how long it needs to get going (or to finish): on a loaded machine the guess is wrong, and when it is right it wastes the rest of the sleep", "启动 goroutine 之后紧接着 sleep，是在猜它需要多久才能跑起来（或跑完）：在负载高的机器上会猜错，猜对了也白白浪费剩下的 sleep 时间")
	VetSleepAfterGoFix     = msg("let the goroutine say when it is ready or done (close a channel, or wg.Done() on a sync.WaitGroup) and wait for that", "让 goroutine 在准备好或做完时告诉你（关闭一个 channel，或者在 sync.WaitGroup 上调用 wg.Done()），然后等这个信号")
	VetSleepBeforeClose    = msg("sleeping before closing the connection, to give the peer time to read, is a guess: Close does not throw away what you wrote before it", "关闭连接之前 sleep 一下、好让对端有时间读，这是在猜：Close 不会丢掉你在它之前写出的数据")
	VetSleepBeforeCloseFix = msg("just close; if you must know that the peer has read everything, CloseWrite and read until io.EOF", "直接关闭就好；如果一定要知道对端已经读完所有数据，就先 CloseWrite，再一直读到 io.EOF")

	// readtoend
	VetReadToEnd    = msg("%s returns only when the peer closes the connection, but here the peer keeps it open and waits for an answer: both sides wait for ever", "%s 只有在对端关闭连接时才返回，可这里对端让连接开着、在等回答：双方会永远互相等下去")
	VetWhatCopy     = msg("io.Copy into memory", "复制到内存的 io.Copy")
	VetReadToEndFix = msg("read one message at a time (bufio.Scanner for lines, or the protocol's framing) and answer each as it arrives", "一次读一条消息（按行读用 bufio.Scanner，否则按协议的分帧方式），每到一条就回答一条")

	// stopconns
	VetStopProblem     = msg("this goroutine serves one client, and when the server stops %s", "这个 goroutine 服务一个客户端，而服务器停止时%s")
	VetStopUnreachable = msg("nothing can reach its connection to close it, so it goes on serving its client after the server has stopped", "没有任何代码能拿到它的连接去关闭它，所以服务器停止后它还会继续服务那个客户端")
	VetStopNotWaited   = msg("nothing waits for it to finish", "没有任何代码等它结束")
	VetStopAnd         = msg(", and ", "，而且")
	VetStopCloseFix    = msg("keep every connection in a map guarded by the server's mutex (delete it when its handler ends) and close them all when the server stops", "把每个连接放进一个由服务器的互斥锁保护的 map（它的处理函数结束时删掉），服务器停止时把它们全部关闭")
	VetStopWaitFix     = msg("count the handlers with a sync.WaitGroup (wg.Go(func() { handle(conn) })) and wg.Wait() before returning", "用 sync.WaitGroup 给处理函数计数（wg.Go(func() { handle(conn) })），返回之前 wg.Wait()")

	// sharedwrite: "this assignment writes the package-level count ..."
	VetSharedRLock     = msg("this %s the package-level %s with only a read lock held: RLock lets other goroutines in at the same time, so the write races with them", "这里%[1]s包级变量 %[2]s，却只持有读锁：RLock 允许其他 goroutine 同时进入，所以这次写会和它们发生竞争")
	VetSharedRLockFix  = msg("take the write lock, mu.Lock(), around writes; RLock is for reads only", "写的时候要拿写锁，用 mu.Lock() 包住写操作；RLock 只用于读")
	VetSharedNoLock    = msg("this %s the package-level %s from code that runs in one goroutine per client, with no lock held: two clients at once race on it (go test -race reports it; a map can crash the server with \"concurrent map writes\")", "这里%[1]s包级变量 %[2]s，这段代码在每个客户端各自的 goroutine 里运行，却没有持有任何锁：两个客户端同时来就会发生数据竞争（go test -race 会报告；map 还可能让服务器因 \"concurrent map writes\" 崩溃）")
	VetSharedNoLockFix = msg("guard it with a sync.Mutex held around every access (mu.Lock(); ...; mu.Unlock()), or keep the shared state in a struct with its own mutex", "用 sync.Mutex 保护它，每次访问都持有锁（mu.Lock(); ...; mu.Unlock()），或者把共享状态放进一个自带互斥锁的结构体")
	VetWhatAssign      = msg("assignment writes", "的赋值写了")
	VetWhatAssignTo    = msg("assignment writes to", "的赋值写入了")
	VetWhatElement     = msg("assignment writes an element of", "的赋值按下标写入了")
	VetWhatAppend      = msg("append grows", "的 append 扩充了")
	VetWhatChanges     = msg("%s changes", "的 %s 修改了")

	// onereadmsg: "the bytes this Read returned are compared with == (line 12)"
	VetOneRead           = msg("one Read is not one message: the bytes this Read returned are %s (line %d) as if they were a whole message, but TCP may deliver a message in pieces, or several in one Read", "一次 Read 不等于一条消息：这次 Read 返回的字节在第 %[2]d 行被%[1]s，当成了一条完整的消息，可 TCP 可能把一条消息分成几段送达，也可能一次 Read 就读到好几条")
	VetOneReadFix        = msg("read whole messages instead: bufio.Scanner or bufio.Reader.ReadString('\\n') for lines, io.ReadFull for a known size, or append each Read to a buffer until a whole message is in it", "改为读完整的消息：按行读用 bufio.Scanner 或 bufio.Reader.ReadString('\\n')，大小已知就用 io.ReadFull，否则把每次 Read 读到的追加到缓冲区，直到里面有一条完整的消息")
	VetOneReadDropped    = msg("the count this Read returns is dropped, but the buffer is used afterwards (line %d): a Read may fill only part of it, and nothing says which bytes are new", "这次 Read 返回的字节数被丢掉了，可缓冲区后面还在用（第 %d 行）：一次 Read 可能只填满它的一部分，也就没法知道哪些字节是新读到的")
	VetOneReadDroppedFix = msg("keep n (n, err := r.Read(buf)) and use buf[:n]; better, %s", "留着 n（n, err := r.Read(buf)），只用 buf[:n]；更好的做法是%s")
	VetHowMapKey         = msg("used as a map key", "用作 map 的键")
	VetHowCompared       = msg("compared with %s", "用 %s 比较")
	VetHowConcat         = msg("built into a string with +", "用 + 拼进字符串")
	VetHowSwitch         = msg("switched on", "拿来做 switch 判断")
	VetHowReturned       = msg("returned as the message", "直接返回")
	VetHowDecoded        = msg("decoded with binary.%s", "用 binary.%s 解码")
	VetHowMatched        = msg("matched with regexp.%s", "用 regexp.%s 匹配")
	VetHowHanded         = msg("handed to %s as a message", "交给了 %s")
	VetHowPassed         = msg("passed to %s.%s", "传给 %s.%s")
	VetHowParsed         = msg("parsed with %s.%s", "用 %s.%s 解析")
	VetHowFormatted      = msg("formatted into a reply with fmt.%s", "用 fmt.%s 格式化进回复")

	// deadline
	VetDeadlineDial      = msg("net.Dial has no time limit of its own (the system gives up after minutes), but %s must give up after %s", "net.Dial 自己没有时间限制（系统要过几分钟才放弃），可 %[1]s 超过 %[2]s 就得放弃")
	VetDeadlineDialLab   = msg("net.Dial has no time limit of its own (the system gives up after minutes), but %s must give up after the lab's time limit", "net.Dial 自己没有时间限制（系统要过几分钟才放弃），可 %s 超过实验规定的时限就得放弃")
	VetDeadlineDialFix   = msg("use net.DialTimeout(%q, addr, %s), or a net.Dialer with a Timeout", "改用 net.DialTimeout(%q, addr, %s)，或者带 Timeout 的 net.Dialer")
	VetDeadlinePerRead   = msg("%s's Read sets a fresh deadline each time it is called: a peer that sends a byte now and then pushes it back each time, and %s never gives up", "%[1]s 的 Read 每次被调用都设一个新的截止时间：对端隔一会儿发一个字节，就能一次次把它往后推，%[2]s 永远不会放弃")
	VetDeadlineOnceFix   = msg("set one deadline for the whole exchange before the first read: conn.SetDeadline(time.Now().Add(timeout)), instead of one per Read", "在第一次读之前为整个交互设一个截止时间：conn.SetDeadline(time.Now().Add(timeout))，而不是每次 Read 设一个")
	VetDeadlineNone      = msg("%s must give up after %s, but nothing in it sets a deadline on the connection: a peer that stops sending leaves this read waiting for ever", "%[1]s 超过 %[2]s 就得放弃，可它里面没有任何代码给连接设截止时间：对端一旦不再发送，这次读就会永远等下去")
	VetDeadlineNoneLab   = msg("%s must give up after the lab's time limit, but nothing in it sets a deadline on the connection: a peer that stops sending leaves this read waiting for ever", "%s 超过实验规定的时限就得放弃，可它里面没有任何代码给连接设截止时间：对端一旦不再发送，这次读就会永远等下去")
	VetDeadlineNoneFix   = msg("set one deadline for the whole exchange before the first read: conn.SetDeadline(time.Now().Add(timeout)) (or SetReadDeadline), and return its timeout error", "在第一次读之前为整个交互设一个截止时间：conn.SetDeadline(time.Now().Add(timeout))（或 SetReadDeadline），并返回它的超时错误")
	VetDeadlineEachFix   = msg("set a read deadline before each wait: SetReadDeadline(time.Now().Add(%s)), and act on its timeout error", "每次等待之前设一个读截止时间：SetReadDeadline(time.Now().Add(%s))，并处理它的超时错误")
	VetDeadlineInLoop    = msg("this deadline is set again on every turn of a loop that reads: a peer that sends a byte now and then pushes it back each time, and %s never gives up", "这个截止时间在读数据的循环里每一轮都重新设置：对端隔一会儿发一个字节，就能一次次把它往后推，%s 永远不会放弃")
	VetDeadlineInLoopFix = msg("set the deadline once, before the loop, so that it bounds the whole exchange", "在循环之前只设一次截止时间，让它限制整个交互")
	VetDeadlineIdle      = msg("a client that goes quiet keeps this read waiting for ever, and with it the goroutine and the connection: the lab drops a client that sends nothing for IdleTimeout", "一个不再发送的客户端会让这次读永远等下去，这个 goroutine 和这个连接也跟着一直占着：实验要求断开超过 IdleTimeout 什么都没发的客户端")
	VetDeadlineIdleFix   = msg("before each read, conn.SetReadDeadline(time.Now().Add(idleTimeout)); when the read fails with os.ErrDeadlineExceeded, say why and hang up", "每次读之前调用 conn.SetReadDeadline(time.Now().Add(idleTimeout))；读因 os.ErrDeadlineExceeded 失败时，说明原因然后挂断")
	VetDeadlineWrite     = msg("a peer that stops reading makes this write to %s wait for ever once the socket's buffers are full, and everything waiting on it waits too: the lab bounds every write", "对端一旦不再读，socket 的缓冲区满了之后，这次对 %s 的写就会永远等下去，所有等着它的也都跟着等：实验要求每次写都有时限")
	VetDeadlineWriteFix  = msg("set a write deadline just before writing, conn.SetWriteDeadline(time.Now().Add(timeout)), and give up on the peer when the write fails", "就在写之前设好写截止时间，conn.SetWriteDeadline(time.Now().Add(timeout))，写失败时就放弃这个对端")

	// droppederr
	VetDroppedWrite       = msg("the error of this %s is dropped, so %s reports success to its caller even when the bytes never left", "这次 %[1]s 的错误被丢掉了，所以即使字节根本没发出去，%[2]s 也会向调用者报告成功")
	VetDroppedWriteFix    = msg("check it and return it, wrapped with what was being done: if _, err := ...; err != nil { return fmt.Errorf(\"...: %%w\", err) }", "检查它并返回，用当时在做的事包装一下：if _, err := ...; err != nil { return fmt.Errorf(\"...: %%w\", err) }")
	VetTheFunction        = msg("the function", "这个函数")
	VetDroppedDeadline    = msg("this write has a deadline, so it can stop part way through a message; with its error dropped, the next message goes out after half of this one and the peer loses track of where messages begin", "这次写设了截止时间，所以可能在一条消息写到一半时停下；错误又被丢掉了，下一条消息就会紧跟在这半条后面发出去，对端再也分不清消息从哪里开始")
	VetDroppedDeadlineFix = msg("check the error and hang up on the peer (conn.Close()) when the write fails", "检查错误，写失败时挂断这个对端（conn.Close()）")
	VetDroppedClose       = msg("this Close of %s, a file written to here, is %s: the system may report a failed write (a full disk) only when the file is closed, and %s would report success", "%[1]s 是这里写过的文件，对它的这次 Close %[2]s：系统可能要到关闭文件时才报告写入失败（比如磁盘满了），而 %[3]s 会报告成功")
	VetHowDropped         = msg("dropped", "的错误被丢掉了")
	VetHowDeferred        = msg("deferred, so its error is lost", "被 defer 了，错误也就丢了")
	VetDroppedCloseFix    = msg("close it yourself after the last write and return the error: if err := f.Close(); err != nil { return err } (os.WriteFile does all of this in one call)", "在最后一次写之后自己关闭它，并返回错误：if err := f.Close(); err != nil { return err }（os.WriteFile 一次调用就把这些都做了）")
)

// netbook up (runner/up): what it builds and starts, where to talk to the
// server, how the server stopped. The server's own lines pass as they are.
var (
	UpNotServer       = msg("lab %s is not a server lab (its brief has no serve: tcp or udp)%s", "实验 %s 不是服务器实验（它的说明里没有 serve: tcp 或 udp）%s")
	UpNotServerCheck  = msg("; its tests try it: %s check %02d", "；用它的测试来检验它：%s check %02d")
	UpNotServerClient = msg("; its student writes a client, which %s diff %02d runs against the lab's scripted servers", "；这个实验要写的是客户端，%s diff %02d 会让它和实验的脚本服务器对话")
	UpYourCode        = msg("your code", "你的代码")
	UpRefSolution     = msg("the reference solution", "参考答案")
	UpBuilding        = msg("building %s (%s)...\n", "正在编译 %s（%s）……\n")
	UpDroppedOne      = msg("... 1 log line dropped (output was not being read)\n", "... 丢掉了 1 行日志（输出没有被读取）\n")
	UpDropped         = msg("... %d log lines dropped (output was not being read)\n", "... 丢掉了 %d 行日志（输出没有被读取）\n")
	UpDroppedAllOne   = msg("... 1 log line dropped in all (output was not being read)\n", "... 一共丢掉了 1 行日志（输出没有被读取）\n")
	UpDroppedAll      = msg("... %d log lines dropped in all (output was not being read)\n", "... 一共丢掉了 %d 行日志（输出没有被读取）\n")
	UpListening       = msg("%s is listening. %s\nCtrl-C stops it.\n", "%s正在监听。%s\n按 Ctrl-C 停止它。\n")
	// UpTalk and UpTalkOr frame the commands to talk to the server with,
	// each on a line of its own.
	UpTalk            = msg("Talk to it from another terminal with\n  ", "在另一个终端里和它对话：\n  ")
	UpTalkOr          = msg("\nor\n  ", "\n或者\n  ")
	UpNotWaiting      = msg("%s is listening, but its Serve has not called %s\nafter %v: a client can connect, but nothing will answer it yet.\n", "%[1]s正在监听，但过了 %[3]v，它的 Serve 还没有调用 %[2]s：\n客户端能连上，可还没有谁会回应它。\n")
	UpStoppedCleanly  = msg("%s stopped cleanly.\n", "%s已正常停止。\n")
	UpStoppedByItself = msg("%s stopped by itself (exit status %d);\nwhat it printed above says why", "%s自己停止了（退出状态 %d）；\n原因见上面它打印的内容")
	UpStoppedEarly    = msg("%s stopped before its Serve waited for a single client\n(exit status %d); what it printed above says why", "%s在它的 Serve 等到第一个客户端之前就停止了\n（退出状态 %d）；原因见上面它打印的内容")
	UpStoppedAtOnce   = msg("%s stopped at once: its Serve returned before it waited\n"+
		"for a single client, so there is nothing to talk to yet. The lines above\n"+
		"say what Serve returned. Write Serve first; to see what to do next, run\n"+
		"  %s check %02d\n"+
		"and once Serve works, run %s up %02d again",
		"%s一启动就停止了：它的 Serve 还没等任何客户端就返回了，\n"+
			"所以现在还没有可以对话的服务器。上面几行是 Serve 返回的内容。\n"+
			"先把 Serve 写好；想知道下一步做什么，运行\n"+
			"  %s check %02d\n"+
			"等 Serve 能用了，再运行 %s up %02d")
	UpCannotStart  = msg("%s:\n  %s", "%s：\n  %s")
	UpStartFailed  = msg("%s; what it printed above says more", "%s；上面它打印的内容会说明更多")
	UpCannotListen = msg("cannot listen on %s: %w", "无法在 %s 上监听：%w")
	UpInUse        = msg("cannot listen on %s: another program uses that port (another netbook up, perhaps); stop it, or let the kernel pick a free port: %s", "无法在 %s 上监听：另一个程序占用了这个端口（也许是另一个 netbook up）；停掉它，或者让内核挑一个空闲端口：%s")
)

// A lab's programs as up and diff run them (runner/labrun): who they
// are, how one did not build, start or stop, and which limit stopped it
// (LimitProgram is the words of the Limit* messages that Who replaces).
var (
	WhoYourServer       = msg("your server", "你的服务器")
	WhoRefServer        = msg("the reference server", "参考答案的服务器")
	WhoYourClient       = msg("your client", "你的客户端")
	WhoRefClient        = msg("the reference client", "参考答案的客户端")
	LimitProgram        = msg("the program", "程序")
	LimitMemoryWhy      = msg(": does it keep something for every message or every client, and never let it go?", "：是不是每来一条消息或一个客户端就存下一些东西，却从不释放？")
	LimitCPUWhy         = msg(": does a loop spin without waiting for anything, a read or a channel?", "：是不是有个循环在空转，既不等读，也不等 channel？")
	StopKilled          = msg("%s did not exit within %v of SIGINT, so it was killed", "%s收到 SIGINT 后 %v 内没有退出，所以被强行结束了")
	StopExited          = msg("%s exited with %v", "%s退出时出错：%v")
	StartExited         = msg("%s did not start: it exited (%v) before it listened", "%s没有启动起来：它在开始监听之前就退出了（%v）")
	StartFailed         = msg("%s did not start: %v", "%s没有启动起来：%v")
	BuildRefFails       = msg("the reference solution of lab %s does not compile: a bug in the book, not in your code (%s verify %02d says more):\n%s", "实验 %s 的参考答案编译不通过：这是本书的 bug，不是你代码的问题（%s verify %02d 会说明更多）：\n%s")
	BuildYoursFails     = msg("your code in labs/%s does not compile:\n%s\nFix it and try again (%s check %02d shows the same errors, with the tasks).%s", "你在 labs/%s 里的代码编译不通过：\n%s\n改好后再试一次（%s check %02d 会显示同样的错误，还有对应的任务）。%s")
	BuildServeSignature = msg("\nThe lab's Serve must keep the signature its brief gives: %s.", "\n实验的 Serve 必须保持说明里给出的签名：%s。")
)

// netbook diff (runner/diff): the report, what each side did, and the
// progress lines. The session files' own reports (expected/received, the
// steps so far) are the lab tests' words and stay as they are, and so does
// the "same:" column a client lab's printed lines share with them.
var (
	DiffNothing      = msg("lab %s has nothing to diff: it is neither a server lab (serve: in its brief) nor a client lab with a driver (%s); its tests compare it with what it should do: %s", "实验 %s 没有可以对照的：它既不是服务器实验（说明里有 serve:），也不是带驱动程序的客户端实验（%s）；它的测试会把它和应有的行为对照：%s")
	DiffSessionParse = msg("a session file of lab %s does not parse (a bug in the lab): %w", "实验 %s 的一个会话文件无法解析（这是实验的 bug）：%w")
	DiffBuilding     = msg("building your code and the reference for %s...\n", "正在为 %s 编译你的代码和参考答案……\n")
	DiffPlaying      = msg("playing %s\n", "正在运行会话 %s\n")
	DiffServer       = msg("server", "服务器")
	DiffClient       = msg("client", "客户端")
	DiffYour         = msg("your %s", "你的%s")
	DiffTheRef       = msg("the reference %s", "参考答案的%s")
	DiffHead         = msg("%s: your %s against the reference, %d scripted sessions", "%s：你的%s与参考答案对照，共 %d 个脚本会话")
	DiffNoSessions   = msg("Lab %s has no scripted sessions to play (testdata/*.session).", "实验 %s 没有可以运行的脚本会话（testdata/*.session）。")
	DiffRunByHand    = msg("Run your server by hand instead: %s", "改为手动运行你的服务器：%s")
	// DiffSame, DiffDiffers and DiffBad are a session's verdict, in a
	// column: the same width in each language (a Chinese character takes
	// two columns).
	DiffSame           = msg("same   ", "一致  ")
	DiffDiffers        = msg("DIFFERS", "不一致")
	DiffBad            = msg("BAD    ", "有问题")
	DiffDriverPrinted  = msg("\n    what the driver printed with your %s, against the reference's:\n", "\n    驱动程序配合你的%s打印的内容，与参考答案的对照：\n")
	DiffYours          = msg("yours", "你的")
	DiffTheReferences  = msg("the reference's", "参考答案的")
	DiffStderr         = msg("    and on standard error (%s, not compared):\n", "    另外，标准错误输出上的内容（%s，不参与对照）：\n")
	DiffRefFollows     = msg("    (the reference %s follows this session)\n", "    （参考答案的%s能按这个会话走完）\n")
	DiffBadSession     = msg("The reference %s does not follow this session either, so the session file %s is wrong (or the reference, or the lab's driver): a bug in the book, not in your code. What the reference did:", "参考答案的%s也没能按这个会话走完，所以是会话文件 %s 错了（或者是参考答案、实验的驱动程序错了）：这是本书的 bug，不是你代码的问题。参考答案是这样做的：")
	DiffDidNotSend     = msg("%s did not send what the server's script expects:", "%s发送的内容不是服务器脚本期待的：")
	DiffLinesBefore    = msg("(%d lines before)", "（前面还有 %d 行）")
	DiffCount          = msg("\n%d of %d sessions the same as the reference.\n", "\n%[2]d 个会话中有 %[1]d 个与参考答案一致。\n")
	DiffTalkByHand     = msg("Talk to your server by hand: %s (and the reference: %s)", "手动和你的服务器对话：%s（参考答案：%s）")
	DiffWhichTask      = msg("The lab's tests say which task this is: %s", "实验的测试会告诉你这是哪个任务：%s")
	DiffDriverStatuses = msg("  the reference's driver exited with status %d, yours with %d\n", "  参考答案的驱动程序退出状态是 %d，你的是 %d\n")
	DiffDriverStatus   = msg("the driver exited with status %d", "驱动程序以状态 %d 退出了")
	DiffClientKilled   = msg("%s was still running after %v, so it was killed", "%s运行了 %v 还没结束，所以被强行结束了")
	DiffExited         = msg("%s exited during the session (exit status %d); what it printed:", "%s在会话进行中退出了（退出状态 %d）；它打印的内容：")
	DiffNotStopped     = msg("the conversation went as written, but %v: Serve must return nil soon after its socket is closed; what it printed:", "对话按脚本完成了，但是%v：套接字关闭之后，Serve 必须很快返回 nil；它打印的内容：")
	DiffStopFailed     = msg("%v; what it printed:", "%v；它打印的内容：")
	DiffPrinted        = msg("; what it printed:", "；它打印的内容：")
	DiffPrintedQ       = msg(" What it printed:", "它打印的内容：")
)

// How a command stopped at a signal (every command that speaks the
// reader's language).
var (
	MainStopped    = msg("%s: stopped (%s)\n", "%s: 已停止（%s）\n")
	MainStoppedHUP = msg("SIGHUP: the terminal closed", "SIGHUP：终端关闭了")
	MainStoppedAny = msg("Ctrl-C, or the terminal closed", "Ctrl-C，或者终端关闭了")
)

// The log of a server netbook up runs (runner/labrun's generated main,
// built in the reader's language): a line per connection, read and
// write, and how Serve stopped. The bytes read and written are quoted as
// Go quotes them; "listening on tcp ADDR" stays English (programs read
// it), and so do the room's own "[log]" records.
var (
	LogServing       = msg("Serve called %s: it is waiting for clients", "Serve 调用了 %s：正在等待客户端")
	LogConnected     = msg("%s connected", "%s 连上了")
	LogRead          = msg("%s read %s", "%s 读到 %s")
	LogWrote         = msg("%s wrote %s", "%s 写出 %s")
	LogEOF           = msg("%s read: end of file (the client closed its side)", "%s 读：EOF（客户端关闭了它那一端）")
	LogDeadline      = msg("%s read: the deadline passed", "%s 读：超过了截止时间")
	LogConnReadErr   = msg("%s read: %v", "%s 读出错：%v")
	LogWriteErr      = msg("%s write: %v", "%s 写出错：%v")
	LogClosed        = msg("%s closed by the server", "%s 被服务器关闭")
	LogCloseWrite    = msg("%s the server closed its sending side (CloseWrite)", "%s 服务器关闭了自己的发送端（CloseWrite）")
	LogAcceptErr     = msg("accept: %v", "Accept 出错：%v")
	LogDgramRead     = msg("[%s] read %s", "[%s] 读到 %s")
	LogDgramWrote    = msg("[%s] wrote %s", "[%s] 写出 %s")
	LogDgramWriteErr = msg("[%s] write %s: %v", "[%s] 写 %s 出错：%v")
	LogReadErr       = msg("read: %v", "读出错：%v")
	LogBytesInAll    = msg("... (%d bytes in all)", "……（共 %d 字节）")
	LogStopping      = msg("stopping: closing the socket, which makes Serve return", "正在停止：关闭套接字，让 Serve 返回")
	LogBye           = msg("Serve returned nil; bye", "Serve 返回了 nil；再见")
	LogErrBeforeStop = msg("Serve returned an error before the server was stopped:\n  %v", "服务器还没被停止，Serve 就返回了错误：\n  %v")
	LogNilBeforeStop = msg("Serve returned nil before the server was stopped:\n  a server serves until its socket is closed", "服务器还没被停止，Serve 就返回了 nil：\n  服务器要一直服务下去，直到它的套接字被关闭")
	LogErrAfterStop  = msg("Serve returned an error after its socket was closed:\n  %v\n  (%s)", "套接字关闭之后，Serve 返回了错误：\n  %v\n  （%s）")
	LogNoReturn      = msg("Serve did not return within %v of its socket closing:\n  %s", "套接字关闭后 %v 内 Serve 没有返回：\n  %s")
	LogReturnWhenTCP = msg("when Accept fails with net.ErrClosed, return nil", "Accept 因 net.ErrClosed 失败时，应当返回 nil")
	LogReturnWhenUDP = msg("when ReadFrom fails with net.ErrClosed, return nil", "ReadFrom 因 net.ErrClosed 失败时，应当返回 nil")
)

// netbook's helper binaries, built on first use (lazybin.EnsureIn): the
// notes while serve, run and snippets build one. The binary's name stays
// as it is.
var (
	BuildingOnce = msg("netbook: building %s (once; the first time takes a minute or two)...\n", "netbook：正在构建%s（只构建这一次；第一次要一两分钟）……\n")
	BuildReady   = msg("netbook: %s ready in %s.\n", "netbook：%s 已就绪，用了 %s。\n")
	// What each binary is, after BuildingOnce.
	BuildWebBook = msg("the web book", "网页版的书")
	BuildInterp  = msg("the Go interpreter for snippets and the REPL", "运行代码片段和 REPL 的 Go 解释器")
)
