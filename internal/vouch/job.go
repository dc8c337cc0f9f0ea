package vouch

import "time"

// JobKind names what a background job does; it decides the words a job's
// failure is told in.
type JobKind string

// The kinds of background job.
const (
	JobImport        JobKind = "import"         // a spreadsheet of references imported from the import page
	JobContentImport JobKind = "content_import" // a content list imported from the content import page
	JobExtract       JobKind = "extract"        // the text of a content item's file read for search; subject: the item's id
	// JobActivityImport is past reference activity imported from the reference history import page.
	JobActivityImport JobKind = "activity_import"
	// JobOpportunityImport is a CRM export of deals imported from the deals import page.
	JobOpportunityImport JobKind = "opportunity_import"
	// JobAccountImport is a CRM export of customer accounts imported from the accounts import page.
	JobAccountImport JobKind = "account_import"
)

// JobState is where a background job is in its life.
type JobState string

// The states of a job: it runs, then succeeds or fails, once.
const (
	JobRunning   JobState = "running"
	JobSucceeded JobState = "succeeded"
	JobFailed    JobState = "failed"
)

// Job is long work that runs apart from the request that started it: its
// progress while it runs, and its result or failure once done, are kept
// until its owner dismisses it or it expires.
type Job struct {
	ID         int64
	OwnerID    int64 // the user who started it; only they see it
	Kind       JobKind
	Subject    string // what it works on, in its kind's terms (an import's upload id)
	Title      string // what a list shows, e.g. the file's name
	State      JobState
	Phase      string // what it is doing now, e.g. "Writing references"
	Done       int
	Total      int    // 0 while unknown
	Result     []byte // JSON, set when it succeeded
	Error      string // a sentence for its owner, set when it failed
	StartedAt  time.Time
	FinishedAt *time.Time
}

// Running reports whether the job has not finished yet.
func (j *Job) Running() bool { return j.State == JobRunning }

// Percent is how much of the job is done, 0–100; 0 while the total is unknown.
func (j *Job) Percent() int {
	if j.Total <= 0 {
		return 0
	}
	return min(100, j.Done*100/j.Total)
}

// InterruptedMessage is what a job of kind k says when Vouch stopped while
// it ran: its work was one transaction, rolled back, so nothing of it stays.
func (k JobKind) InterruptedMessage() string {
	switch k {
	case JobImport, JobContentImport, JobActivityImport, JobOpportunityImport, JobAccountImport:
		return "Vouch restarted while this import was running; nothing was imported — start it again."
	case JobExtract:
		return "Vouch restarted while this file's text was being read; it is read again when Vouch starts."
	}
	return "Vouch restarted while this job was running; nothing of it was kept — start it again."
}
