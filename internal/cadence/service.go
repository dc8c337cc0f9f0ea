// Package cadence runs the program's rhythm: recurring program tasks
// (daily triage to the quarterly advisory board), each time one comes due
// (an occurrence, done or skipped with a note), the team member it is
// assigned to, their reminders, and the "this week" view. A new program
// starts with Defaults. The recurrence rules themselves (due days across
// month, quarter and year ends) are pure, in vouch.CadenceTask.
//
// Occurrences are made ahead, for the days from today to the end of next
// week, whenever the schedule is read or the reminder pass runs; one per
// task and period, so instances doing it at once make one.
package cadence

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Settings gives the program's settings (the fiscal year's first month):
// the catalog the server keeps current.
type Settings interface {
	ProgramSettings() vouch.ProgramSettings
}

// Service keeps the cadence's tasks and occurrences.
type Service struct {
	db  *store.DB
	cat Settings
	// ensured is the day Ensure last made the occurrences ahead on this
	// instance, so pages that read the week write nothing more that day; a
	// change of task here clears it, and the hourly pass runs regardless.
	ensured atomic.Pointer[vouch.Date]
}

// New returns the service over db, reading the fiscal year from cat.
func New(db *store.DB, cat Settings) *Service { return &Service{db: db, cat: cat} }

// Defaults are the tasks a new program starts with.
func Defaults() []*vouch.CadenceTask {
	return []*vouch.CadenceTask{
		{Kind: vouch.CadenceTriage, Title: "Triage requests due within 72 hours", Recurrence: vouch.RecurDaily,
			Description: "Assign every request due in the next three days, chase the asks not answered, and tell the seller when a due date cannot be met."},
		{Kind: vouch.CadenceNominations, Title: "Review nominations", Recurrence: vouch.RecurWeekly, Day: 1,
			Description: "Qualify or reject the week's nominations, and thank the people who nominated."},
		{Kind: vouch.CadenceScorecard, Title: "Publish the scorecard", Recurrence: vouch.RecurMonthly, Day: 5,
			Description: "Check last month's figures and send the scorecard to the executives (a share link or the scheduled mail)."},
		{Kind: vouch.CadenceGoalsReview, Title: "Review goals against company objectives", Recurrence: vouch.RecurQuarterly, Month: 1, Day: 10,
			Description: "Compare each program goal with the company's objectives for the quarter; set next quarter's goals."},
		{Kind: vouch.CadenceReverify, Title: "Re-verify references not verified in 12 months", Recurrence: vouch.RecurQuarterly, Month: 2, Day: 15,
			Description: "Confirm role, contact details and willingness with every reference last verified over a year ago, or retire them."},
		{Kind: vouch.CadenceAdvisoryBoard, Title: "Meet the sales advisory board", Recurrence: vouch.RecurQuarterly, Month: 3, Day: 15,
			Description: "Hear from sales leaders what references and content deals need next quarter, and report what the program delivered."},
	}
}

// SubjectLink is the page of what a seeded task is about, where Vouch has
// one: the queue's requests due within 72 hours, the stale references,
// the scorecard, the goals, the nominations. "" for the rest.
func SubjectLink(kind vouch.CadenceKind) string {
	switch kind {
	case vouch.CadenceTriage:
		return "/requests?tab=due"
	case vouch.CadenceReverify:
		return "/references?verified=0"
	case vouch.CadenceScorecard:
		return "/scorecard"
	case vouch.CadenceGoalsReview:
		return "/goals"
	case vouch.CadenceNominations:
		return "/nominations"
	}
	return ""
}

// Seed stores Defaults when the program has no cadence task yet; the
// audit log says the system did it. It is safe on every start and instance.
func (s *Service) Seed(ctx context.Context) error {
	ctx = vouch.WithActor(ctx, vouch.Actor{Label: "system"})
	tasks := Defaults()
	for _, t := range tasks {
		if err := t.Validate(); err != nil {
			return fmt.Errorf("default cadence task %q: %w", t.Title, err)
		}
	}
	_, err := s.db.SeedCadence(ctx, tasks)
	s.ensured.Store(nil)
	return err
}

func (s *Service) fiscalStart() int {
	if s.cat == nil {
		return 1
	}
	return s.cat.ProgramSettings().FiscalYearStart
}

// Input is a task as a form or the API gives it; nil fields are unchanged
// on an update.
type Input struct {
	Title       *string `json:"title"`
	Description *string `json:"description"`
	Recurrence  *string `json:"recurrence"`
	Day         *int    `json:"day"`
	Month       *int    `json:"month"`
	// AssigneeID or AssigneeEmail names the team member; 0 or "" is nobody.
	AssigneeID    *int64  `json:"assignee_id"`
	AssigneeEmail *string `json:"assignee_email"`
	Archived      *bool   `json:"archived"`
	Version       *int    `json:"version"`
}

func (s *Service) apply(ctx context.Context, in Input, t *vouch.CadenceTask, v *vouch.Validation) error {
	if in.Title != nil {
		t.Title = *in.Title
	}
	if in.Description != nil {
		t.Description = *in.Description
	}
	if in.Recurrence != nil {
		t.Recurrence = vouch.Recurrence(strings.TrimSpace(*in.Recurrence))
	}
	if in.Day != nil {
		t.Day = *in.Day
	}
	if in.Month != nil {
		t.Month = *in.Month
	}
	if in.Archived != nil {
		t.Archived = *in.Archived
	}
	var u *vouch.User
	var err error
	switch {
	case in.AssigneeEmail != nil && strings.TrimSpace(*in.AssigneeEmail) != "":
		u, err = s.db.UserByEmail(ctx, vouch.NormalizeEmail(*in.AssigneeEmail))
	case in.AssigneeID != nil && *in.AssigneeID != 0:
		u, err = s.db.User(ctx, *in.AssigneeID)
	case in.AssigneeID != nil || in.AssigneeEmail != nil:
		t.AssigneeID = 0
		return nil
	default:
		return nil
	}
	if vouch.ErrorCode(err) == vouch.ENOTFOUND {
		v.Add("assignee", "is not a known user")
		return nil
	} else if err != nil {
		return err
	}
	if !u.Can(vouch.PermManageCadence) {
		v.Add("assignee", fmt.Sprintf("%s is not on the program team: cadence tasks go to program managers and team members", u.Name))
		return nil
	}
	t.AssigneeID = u.ID
	return nil
}

// Create adds a task the team runs from now on.
func (s *Service) Create(ctx context.Context, in Input) (*vouch.CadenceTask, error) {
	var v vouch.Validation
	if in.Version != nil {
		v.Add("version", "is given by the server; leave it out when creating")
	}
	t := &vouch.CadenceTask{}
	if err := s.apply(ctx, in, t, &v); err != nil {
		return nil, err
	}
	if err := v.Merge(t.Validate()); err != nil {
		return nil, err
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if err := s.db.CreateCadenceTask(ctx, t); err != nil {
		return nil, err
	}
	s.ensured.Store(nil)
	return s.db.CadenceTask(ctx, t.ID)
}

// Update saves the fields in gives on task id, read at the version in
// gives (required: someone's save since is a conflict).
func (s *Service) Update(ctx context.Context, id int64, in Input) (*vouch.CadenceTask, error) {
	cur, err := s.db.CadenceTask(ctx, id)
	if err != nil {
		return nil, err
	}
	var v vouch.Validation
	if in.Version == nil || *in.Version <= 0 {
		v.Add("version", "is required: the version you read, so that nobody's change is overwritten")
	}
	t := *cur
	if err := s.apply(ctx, in, &t, &v); err != nil {
		return nil, err
	}
	if err := v.Merge(t.Validate()); err != nil {
		return nil, err
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	t.Version = *in.Version
	if err := s.db.UpdateCadenceTask(ctx, &t); err != nil {
		return nil, err
	}
	s.ensured.Store(nil)
	return s.db.CadenceTask(ctx, id)
}

// Task reads one task.
func (s *Service) Task(ctx context.Context, id int64) (*vouch.CadenceTask, error) {
	return s.db.CadenceTask(ctx, id)
}

// Tasks lists the running tasks (and the archived ones when archived is set).
func (s *Service) Tasks(ctx context.Context, archived bool) ([]*vouch.CadenceTask, error) {
	return s.db.CadenceTasks(ctx, archived)
}

// Ensure makes the occurrences of every running task due from today to
// the end of next week, once a day on this instance (see ensure).
func (s *Service) Ensure(ctx context.Context) error {
	today := s.db.Today()
	if d := s.ensured.Load(); d != nil && *d == today {
		return nil
	}
	if err := s.ensure(ctx); err != nil {
		return err
	}
	s.ensured.Store(&today)
	return nil
}

// ensure makes the occurrences ahead, whatever was made before.
func (s *Service) ensure(ctx context.Context) error {
	tasks, err := s.db.CadenceTasks(ctx, false)
	if err != nil {
		return err
	}
	today := s.db.Today()
	last := vouch.WeekOf(today).Last.AddDays(7)
	var os []vouch.CadenceOccurrence
	for _, t := range tasks {
		os = append(os, t.DueBetween(today, last, s.fiscalStart())...)
	}
	return s.db.EnsureOccurrences(ctx, os)
}

// Item is one occurrence with its task, as the views show it.
type Item struct {
	Occurrence *vouch.CadenceOccurrence `json:"occurrence"`
	Task       *vouch.CadenceTask       `json:"task"`
	Overdue    bool                     `json:"overdue"`
	Link       string                   `json:"link,omitempty"` // the page of what it is about, when Vouch has one
}

// Week is the occurrences due in the calendar week that holds day (any
// status), and before them each task's latest one still open from earlier
// weeks (daily ones aside: yesterday's triage is today's), of assignee (0:
// everyone's).
func (s *Service) Week(ctx context.Context, day vouch.Date, assignee int64) (vouch.Period, []Item, error) {
	week := vouch.WeekOf(day)
	if err := s.Ensure(ctx); err != nil {
		return week, nil, err
	}
	tasks, err := s.db.CadenceTasks(ctx, true)
	if err != nil {
		return week, nil, err
	}
	byID := map[int64]*vouch.CadenceTask{}
	for _, t := range tasks {
		byID[t.ID] = t
	}
	earlier, err := s.db.Occurrences(ctx, store.OccurrenceFilter{AssigneeID: assignee, DueTo: week.First.AddDays(-1), OpenOnly: true})
	if err != nil {
		return week, nil, err
	}
	this, err := s.db.Occurrences(ctx, store.OccurrenceFilter{AssigneeID: assignee, DueFrom: week.First, DueTo: week.Last})
	if err != nil {
		return week, nil, err
	}
	// Of the earlier open occurrences, only each task's latest stays on the
	// list: last week's unreviewed nominations are this week's, not a pile.
	latest := map[int64]*vouch.CadenceOccurrence{}
	for _, o := range earlier {
		if cur := latest[o.TaskID]; cur == nil || cur.DueOn.Before(o.DueOn) {
			latest[o.TaskID] = o
		}
	}
	var kept []*vouch.CadenceOccurrence
	for _, o := range earlier {
		if latest[o.TaskID] == o {
			kept = append(kept, o)
		}
	}
	today := s.db.Today()
	out := []Item{}
	for _, o := range append(kept, this...) {
		t := byID[o.TaskID]
		if t == nil || (t.Archived && o.Status == vouch.OccurrenceOpen) {
			continue
		}
		if t.Recurrence == vouch.RecurDaily && o.DueOn.Before(week.First) {
			continue
		}
		out = append(out, Item{Occurrence: o, Task: t, Overdue: o.Overdue(today), Link: SubjectLink(t.Kind)})
	}
	return week, out, nil
}

// History is the occurrences of task id so far, newest first, up to limit.
func (s *Service) History(ctx context.Context, id int64, limit int) ([]*vouch.CadenceOccurrence, error) {
	return s.db.Occurrences(ctx, store.OccurrenceFilter{TaskID: id, DueTo: s.db.Today().AddDays(14), Limit: limit})
}

// Occurrence reads one occurrence.
func (s *Service) Occurrence(ctx context.Context, id int64) (*vouch.CadenceOccurrence, error) {
	return s.db.Occurrence(ctx, id)
}

// Close marks occurrence id done or skipped with a note (a skip needs one).
func (s *Service) Close(ctx context.Context, id int64, to vouch.OccurrenceStatus, note string) (*vouch.CadenceOccurrence, error) {
	return s.db.CloseOccurrence(ctx, id, to, strings.TrimSpace(note))
}

// DoneSince reports whether an occurrence of the seeded task kind was
// marked done on or after since: "the scorecard was published this month".
func (s *Service) DoneSince(ctx context.Context, kind vouch.CadenceKind, since vouch.Date) (bool, error) {
	tasks, err := s.db.CadenceTasks(ctx, true)
	if err != nil {
		return false, err
	}
	for _, t := range tasks {
		if t.Kind != kind {
			continue
		}
		os, err := s.db.Occurrences(ctx, store.OccurrenceFilter{TaskID: t.ID})
		if err != nil {
			return false, err
		}
		for _, o := range os {
			if o.Status == vouch.OccurrenceDone && o.ClosedAt != nil && !s.db.Clock.DayOf(*o.ClosedAt).Before(since) {
				return true, nil
			}
		}
	}
	return false, nil
}

// RemindAfterDays is how long after its due day an open occurrence not
// yet reminded (the server was down on the day) is still worth a reminder.
const RemindAfterDays = 3

// RunReminders tells each assignee once, on its due day, of an open
// occurrence: in the app always, and by mail for weekly and rarer tasks (a
// daily task's mail every working day would be noise the team learns to
// ignore). It returns how many were reminded. Safe on every instance.
func (s *Service) RunReminders(ctx context.Context, baseURL string) (int, error) {
	ctx = vouch.WithActor(ctx, vouch.Actor{Label: "system"})
	// Tasks another instance added or changed are caught up here.
	if err := s.ensure(ctx); err != nil {
		return 0, err
	}
	today := s.db.Today()
	os, err := s.db.Occurrences(ctx, store.OccurrenceFilter{DueFrom: today.AddDays(-RemindAfterDays), DueTo: today, OpenOnly: true})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, o := range os {
		if o.AssigneeID == 0 || !o.RemindedOn.IsZero() {
			continue
		}
		t, err := s.db.CadenceTask(ctx, o.TaskID)
		if err != nil {
			return n, err
		}
		u, err := s.db.User(ctx, o.AssigneeID)
		if vouch.ErrorCode(err) == vouch.ENOTFOUND {
			continue
		} else if err != nil {
			return n, err
		}
		if t.Archived || !u.Can(vouch.PermManageCadence) {
			continue
		}
		sent, err := s.db.RemindOccurrence(ctx, o.ID, today, reminder(t, o, u, today, baseURL))
		if err != nil {
			return n, fmt.Errorf("reminding of cadence occurrence %d: %w", o.ID, err)
		}
		if sent {
			n++
		}
	}
	return n, nil
}

// reminder is what tells an assignee that an occurrence is due.
func reminder(t *vouch.CadenceTask, o *vouch.CadenceOccurrence, u *vouch.User, today vouch.Date, baseURL string) vouch.Outgoing {
	when := "today"
	if o.DueOn.Before(today) {
		when = "on " + o.DueOn.Time().Format("2 Jan 2006") + " and is still open"
	}
	out := vouch.Outgoing{Notifications: []vouch.Notification{{UserID: u.ID, Link: "/cadence",
		Body: fmt.Sprintf("“%s” is due %s", t.Title, when)}}}
	if t.Recurrence == vouch.RecurDaily {
		return out
	}
	subject := ""
	if link := SubjectLink(t.Kind); link != "" {
		subject = fmt.Sprintf("\nWhere to start: %s%s\n", baseURL, link)
	}
	body := fmt.Sprintf("Hello %s,\n\n“%s” (%s) is due %s.\n\n%s\n%s\nMark it done or skipped, with a note, on your week:\n%s/cadence\n",
		u.Name, t.Title, strings.ToLower(t.Schedule()), when, t.Description, subject, baseURL)
	out.Mails = []vouch.Mail{{To: u.Email, Subject: fmt.Sprintf("Due %s: %s", o.DueOn.Time().Format("2 Jan"), t.Title), Body: body}}
	return out
}

// RunRemindersEvery calls RunReminders at once and then every interval
// until ctx ends; the work is the day's, so hourly passes land soon after
// midnight in the program's zone.
func (s *Service) RunRemindersEvery(ctx context.Context, interval time.Duration, baseURL func() string, log *slog.Logger) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		if n, err := s.RunReminders(ctx, baseURL()); err != nil && ctx.Err() == nil {
			log.Error("cadence reminders", "err", err)
		} else if n > 0 {
			log.Info("cadence reminders", "reminded", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
