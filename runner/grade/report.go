package grade

import (
	"time"

	"github.com/netbook/netbook/runner/gotest"
)

// Report is a graded class.
type Report struct {
	Labs    []LabInfo `json:"labs"`    // the labs graded, in order
	Records []*Record `json:"records"` // by student, then lab
}

// LabInfo is what a graded lab is worth.
type LabInfo struct {
	Name      string `json:"name"`
	Title     string `json:"title"`
	Tasks     int    `json:"tasks"`
	MaxPoints int    `json:"maxPoints"`
	Hidden    int    `json:"hidden,omitempty"` // how many of the tasks are hidden
	// Note says that the book's tree has files of the lab that differ
	// from labs/book.sum (edited, or not recorded), so that the grade ran
	// the files as recorded, not the tree's; "" when they agree.
	Note string `json:"note,omitempty"`
}

// Status is a graded lab's outcome.
type Status string

// The outcomes of a graded lab.
const (
	Pass      Status = "pass"      // every task passed
	Partial   Status = "partial"   // some tasks passed
	Fail      Status = "fail"      // no task passed
	BuildFail Status = "buildfail" // the code does not compile: 0
	Timeout   Status = "timeout"   // stopped at the time limit: the tasks that finished count
	Missing   Status = "missing"   // the submission has no files for the lab: 0
	Error     Status = "error"     // netbook could not grade it (see Problem): 0
)

// Record is one student's grade for one lab.
type Record struct {
	Student     string              `json:"student"`
	Lab         string              `json:"lab"`
	Title       string              `json:"title"`
	Status      Status              `json:"status"`
	Points      int                 `json:"points"`
	MaxPoints   int                 `json:"maxPoints"`
	Tasks       []Task              `json:"tasks"`
	BuildErrors []gotest.Diagnostic `json:"buildErrors,omitempty"`
	// Problem says what went wrong outside any task: a crash, a run
	// stopped at the time limit, a lab that could not be graded.
	Problem string `json:"problem,omitempty"`
	// From is where the lab's files are in the submission, relative to it
	// ("labs/03-hello-server", "03-hello-server" or ".").
	From string `json:"from,omitempty"`
	// Missing lists the student's files that the submission lacks; the
	// book's skeleton stood in for them.
	Missing []string `json:"missing,omitempty"`
	// TestsModified lists the book's files (tests, testdata, given code)
	// whose copy in the submission differs from the book's: they were not
	// used, the book's were. They are relative to labs/, as netbook check
	// names them ("03-hello-server/task01_hello_test.go").
	TestsModified []string `json:"testsModified,omitempty"`
	// Extra lists files in the submission's lab folder that the book does
	// not have (a student's own tests or helpers), relative to that
	// folder: not used.
	Extra []string `json:"extra,omitempty"`
	// Suspect lists, as "file:line: what", what the student's code does
	// that a faked test run needs and no lab does (see suspect), and how
	// the run ended when only a fake ends that way (see outsideTasks): the
	// points stand, and the instructor reads the code.
	Suspect []string `json:"suspect,omitempty"`
	// Reference lists the student's files that are the book's reference
	// solution, comments and layout aside (see copied): the points stand,
	// and the instructor decides what a copy is worth.
	Reference []string      `json:"reference,omitempty"`
	Elapsed   time.Duration `json:"elapsedNs"`
}

// Task is one task's grade.
type Task struct {
	ID        string        `json:"id"` // "03-hello-server/2"
	Number    int           `json:"number"`
	Test      string        `json:"test"`
	Title     string        `json:"title"`
	Hidden    bool          `json:"hidden,omitempty"`
	Status    gotest.Status `json:"status"`
	Points    int           `json:"points"`
	MaxPoints int           `json:"maxPoints"`
	Message   string        `json:"message,omitempty"` // why it did not pass
	// Output is what the student's code printed while the task's test
	// ran (fmt.Println, log.Printf), apart from Message, for a task that
	// did not pass: its first OutputLines lines, each cut to
	// OutputLineBytes, without a terminal's control characters. Empty
	// when it printed nothing.
	Output string `json:"output,omitempty"`
}

// Students returns the students of the report, in order.
func (r *Report) Students() []string {
	var out []string
	for _, rec := range r.Records {
		if len(out) == 0 || out[len(out)-1] != rec.Student {
			out = append(out, rec.Student)
		}
	}
	return out
}

// Find returns the record of student for lab, or nil.
func (r *Report) Find(student, lab string) *Record {
	for _, rec := range r.Records {
		if rec.Student == student && rec.Lab == lab {
			return rec
		}
	}
	return nil
}

// Total is a student's points over every lab, and the most they could
// have had over the labs graded.
func (r *Report) Total(student string) (points, max int) {
	for _, l := range r.Labs {
		max += l.MaxPoints
		if rec := r.Find(student, l.Name); rec != nil {
			points += rec.Points
		}
	}
	return points, max
}
