package cadence_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/cadence"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// fiscal is the program's settings with the fiscal year starting in a month.
type fiscal int

func (f fiscal) ProgramSettings() vouch.ProgramSettings {
	s := vouch.DefaultProgramSettings()
	s.FiscalYearStart = int(f)
	return s
}

func str(s string) *string { return &s }
func num(n int) *int       { return &n }
func id(n int64) *int64    { return &n }

// at is noon UTC on a day, the clock's reading in these tests.
func at(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.UTC) }

func dueDays(items []cadence.Item, title string) []string {
	var out []string
	for _, it := range items {
		if it.Task.Title == title {
			out = append(out, it.Occurrence.DueOn.String())
		}
	}
	return out
}

func find(items []cadence.Item, title string) *vouch.CadenceOccurrence {
	for _, it := range items {
		if it.Task.Title == title {
			return it.Occurrence
		}
	}
	return nil
}

// The test: cadence tasks recurring across month and quarter ends
// with the clock set, with a fiscal year starting in February (quarters
// Nov–Jan, Feb–Apr, May–Jul, Aug–Oct).
func TestCadenceRecursAcrossMonthAndQuarterEnds(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		db.Clock.Set(at(2027, time.January, 29)) // a Friday
		s := cadence.New(db, fiscal(2))
		pm := testutil.CreateUser(t, db, "pm@example.com", vouch.RoleProgramManager)
		member := testutil.CreateUser(t, db, "tm@example.com", vouch.RoleTeamMember)
		seller := testutil.CreateUser(t, db, "seller@example.com", vouch.RoleSeller)
		ctx := vouch.WithActor(context.Background(), vouch.Actor{UserID: pm.ID, Label: pm.Email})

		// A new program starts with the six default tasks, once.
		for range 2 {
			if err := s.Seed(ctx); err != nil {
				t.Fatal(err)
			}
		}
		tasks, err := s.Tasks(ctx, false)
		if err != nil || len(tasks) != 6 {
			t.Fatalf("seeded %d tasks (%v), want 6", len(tasks), err)
		}
		if tasks[0].Kind != vouch.CadenceTriage || tasks[5].Recurrence != vouch.RecurQuarterly {
			t.Errorf("tasks not most frequent first: %v … %v", tasks[0].Title, tasks[5].Title)
		}

		if _, err := s.Create(ctx, cadence.Input{Title: str("Report to the CMO"), Recurrence: str("monthly"), Day: num(31),
			AssigneeID: id(seller.ID)}); !strings.Contains(vouch.ErrorFields(err)["assignee"], "not on the program team") {
			t.Errorf("a seller was assigned a cadence task: %v", err)
		}
		monthly, err := s.Create(ctx, cadence.Input{Title: str("Report to the CMO"), Recurrence: str("monthly"), Day: num(31),
			AssigneeEmail: str("TM@example.com")})
		if err != nil {
			t.Fatal(err)
		}
		quarterly, err := s.Create(ctx, cadence.Input{Title: str("Quarterly business review"), Recurrence: str("quarterly"),
			Month: num(1), Day: num(31), AssigneeID: id(member.ID)})
		if err != nil {
			t.Fatal(err)
		}

		// The week of Monday 25 January: the monthly task on the 31st, today's triage.
		week, items, err := s.Week(ctx, db.Today(), member.ID)
		if err != nil {
			t.Fatal(err)
		}
		if week.First.String() != "2027-01-25" || week.Last.String() != "2027-01-31" {
			t.Fatalf("week %s … %s", week.First, week.Last)
		}
		if got := dueDays(items, "Report to the CMO"); strings.Join(got, " ") != "2027-01-31" {
			t.Errorf("monthly due %v, want 2027-01-31", got)
		}
		if got := dueDays(items, "Quarterly business review"); len(got) != 0 {
			t.Errorf("the quarter's first month was November: due %v this week", got)
		}
		jan := find(items, "Report to the CMO")
		if _, err := s.Close(ctx, jan.ID, vouch.OccurrenceDone, "Sent the January figures"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Close(ctx, jan.ID, vouch.OccurrenceSkipped, "twice"); vouch.ErrorCode(err) != vouch.ECONFLICT {
			t.Errorf("closing a done occurrence again: %v", err)
		}

		// A month later: the 31st falls on the last day of February, and the
		// first month of the new fiscal quarter (Feb–Apr) has its review on the 28th.
		db.Clock.Set(at(2027, time.February, 26))
		_, items, err = s.Week(ctx, db.Today(), member.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := dueDays(items, "Report to the CMO"); strings.Join(got, " ") != "2027-02-28" {
			t.Errorf("monthly due %v in February, want 2027-02-28", got)
		}
		if got := dueDays(items, "Quarterly business review"); strings.Join(got, " ") != "2027-02-28" {
			t.Errorf("quarterly due %v, want 2027-02-28", got)
		}
		// Everyone's week holds the team's triage too; the member's own does not.
		_, all, err := s.Week(ctx, db.Today(), 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(dueDays(all, "Triage requests due within 72 hours")) == 0 || len(dueDays(items, "Triage requests due within 72 hours")) != 0 {
			t.Errorf("triage: everyone's %v, member's %v", dueDays(all, "Triage requests due within 72 hours"), dueDays(items, "Triage requests due within 72 hours"))
		}

		// On the due day the member is reminded once, in the app and by mail.
		db.Clock.Set(at(2027, time.February, 28))
		n, err := s.RunReminders(context.Background(), "https://vouch.example")
		if err != nil || n != 2 {
			t.Fatalf("reminded %d (%v), want 2", n, err)
		}
		if n, _ := s.RunReminders(context.Background(), "https://vouch.example"); n != 0 {
			t.Errorf("reminded again: %d", n)
		}
		notes, _, err := db.Notifications(ctx, member.ID, 10)
		if err != nil || len(notes) != 2 || !strings.Contains(notes[0].Body+notes[1].Body, "“Report to the CMO” is due today") {
			t.Errorf("notifications %+v (%v)", notes, err)
		}
		mails, _, err := db.ListOutbox(ctx, vouch.OutboxFilter{})
		if err != nil || len(mails) != 2 || mails[0].To != "tm@example.com" || !strings.Contains(mails[0].Body, "https://vouch.example/cadence") {
			t.Errorf("mails %+v (%v)", mails, err)
		}

		// Skipping says why; the history keeps both months, newest first.
		_, items, _ = s.Week(ctx, db.Today(), member.ID)
		feb := find(items, "Report to the CMO")
		if _, err := s.Close(ctx, feb.ID, vouch.OccurrenceSkipped, " "); vouch.ErrorFields(err)["note"] == "" {
			t.Errorf("skipped without a reason: %v", err)
		}
		if _, err := s.Close(ctx, feb.ID, vouch.OccurrenceSkipped, "CMO on leave"); err != nil {
			t.Fatal(err)
		}
		hist, err := s.History(ctx, monthly.ID, 10)
		if err != nil || len(hist) != 2 {
			t.Fatalf("history %+v (%v)", hist, err)
		}
		if hist[0].DueOn.String() != "2027-02-28" || hist[0].Status != vouch.OccurrenceSkipped || hist[0].Note != "CMO on leave" ||
			hist[1].Status != vouch.OccurrenceDone || hist[1].ClosedBy != pm.ID {
			t.Errorf("history %+v %+v", hist[0], hist[1])
		}

		// The next quarter, May–July: the review on 31 May, with February's
		// still open before it, overdue.
		db.Clock.Set(at(2027, time.May, 31))
		_, items, _ = s.Week(ctx, db.Today(), member.ID)
		if got := dueDays(items, "Quarterly business review"); strings.Join(got, " ") != "2027-02-28 2027-05-31" {
			t.Errorf("quarterly due %v, want 2027-02-28 (overdue) and 2027-05-31", got)
		}
		if !items[0].Overdue || items[len(items)-1].Overdue {
			t.Errorf("overdue flags: first %v, last %v", items[0].Overdue, items[len(items)-1].Overdue)
		}
		// A new assignee takes over the open occurrences.
		cur, _ := s.Task(ctx, quarterly.ID)
		if _, err := s.Update(ctx, quarterly.ID, cadence.Input{AssigneeID: id(pm.ID), Version: &cur.Version}); err != nil {
			t.Fatal(err)
		}
		_, mine, _ := s.Week(ctx, db.Today(), pm.ID)
		if got := dueDays(mine, "Quarterly business review"); strings.Join(got, " ") != "2027-02-28 2027-05-31" {
			t.Errorf("after reassigning, the PM's week has %v", got)
		}
		done, err := s.DoneSince(ctx, vouch.CadenceScorecard, vouch.NewDate(2027, time.May, 1))
		if err != nil || done {
			t.Errorf("scorecard done this month: %v %v", done, err)
		}
	})
}
