package demo_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/demo"
	"github.com/vouchhq/vouch/internal/nominations"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// TestDemoRunsTheProgram: after the demo loads, the program team's pages
// have a story to show — a nominations queue in every state with a flagged
// one and likely duplicates, other teams' asks in the ledger and two
// flagged accounts, a recruiting campaign with a nominated contact, the
// cadence assigned with weeks of history, health assessments that
// improve, and only the last week's notifications unread — and loading
// again adds none of it twice.
func TestDemoRunsTheProgram(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := vouch.WithActor(context.Background(), vouch.Actor{Label: "demo"})
		pinned := db.Clock.Pinned()
		if _, err := demo.Load(ctx, db, demo.Options{Seed: 1, References: 120, BaseURL: "http://vouch.test"}); err != nil {
			t.Fatal(err)
		}
		if got := db.Clock.Pinned(); (got == nil) != (pinned == nil) || (got != nil && !got.Equal(*pinned)) {
			t.Errorf("the demo left the clock at %v, it was %v", got, pinned)
		}
		now, today := db.Now(), db.Today()

		// Nominations: every state, several nominators, one flagged.
		noms, err := db.Nominations(ctx, store.NominationFilter{})
		if err != nil {
			t.Fatal(err)
		}
		states, nominators, stale := map[vouch.NominationState]int{}, map[int64]bool{}, 0
		for _, n := range noms {
			states[n.State]++
			nominators[n.NominatorID] = true
			if n.Stale(now) {
				stale++
			}
			if n.CreatedAt.After(now) {
				t.Errorf("nomination of %s is made in the future: %v", n.Name, n.CreatedAt)
			}
			switch n.State {
			case vouch.NominationRejected:
				if n.RejectReason == "" {
					t.Errorf("nomination of %s is rejected without a reason", n.Name)
				}
			case vouch.NominationAccepted:
				ref, err := db.Reference(ctx, n.ReferenceID)
				if err != nil || ref.Status != vouch.StatusActive {
					t.Errorf("accepted nomination of %s: reference %d %v (%v)", n.Name, n.ReferenceID, ref, err)
				}
			}
		}
		if len(noms) < 12 || states[vouch.NominationOpen] < 3 || states[vouch.NominationQualified] < 1 ||
			states[vouch.NominationAccepted] < 2 || states[vouch.NominationRejected] < 2 {
			t.Errorf("%d nominations by state %v, want a dozen in every state", len(noms), states)
		}
		if len(nominators) < 4 {
			t.Errorf("%d nominators, want several", len(nominators))
		}
		if stale == 0 {
			t.Error("no nomination has waited over 7 days: the queue flags none")
		}
		if stale > 2 {
			t.Errorf("%d nominations are flagged: the team looks asleep", stale)
		}
		// The team's nomination page warns of likely duplicates: another
		// open nomination, and a reference.
		ix := nominations.NewIndex(db)
		if err := ix.Load(ctx); err != nil {
			t.Fatal(err)
		}
		svc := nominations.New(db, nil, ix)
		lead := programManager(t, db)
		kinds := map[string]bool{}
		for _, n := range noms {
			if !n.State.Waiting() {
				continue
			}
			v, err := svc.Get(ctx, lead, n.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range v.Duplicates {
				kinds[d.Kind] = true
			}
		}
		if !kinds[vouch.DuplicateNomination] || !kinds[vouch.DuplicateReference] {
			t.Errorf("duplicates found among the waiting nominations: %v; want a nomination and a reference", kinds)
		}

		// The ask ledger: other teams' asks, and two flagged accounts.
		teams := map[string]int{}
		accts, _, err := db.ListAccounts(ctx, vouch.AccountFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		flags := map[string]vouch.Date{}
		for _, a := range accts {
			entries, err := db.AccountLedger(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				if e.Source == "team" {
					teams[e.Team]++
					if e.AskedOn.After(today) || e.What == "" {
						t.Errorf("logged ask %+v", e)
					}
				}
			}
			f, err := db.AccountFlag(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if f.Reason != "" {
				flags[f.Reason] = f.Until
			}
		}
		// Under the default fatigue rules (6 asks per account per 90 days, 14
		// days of cool-down: decision 0010) every one of them is logged.
		if logged := teams[vouch.TeamMarketing] + teams[vouch.TeamPR] + teams[vouch.TeamAnalystRelations] + teams[vouch.TeamReviewCampaign]; logged != 8 {
			t.Errorf("%d other teams' asks logged under the default rules, want all 8: %v", logged, teams)
		}
		for _, team := range []string{vouch.TeamMarketing, vouch.TeamPR, vouch.TeamAnalystRelations} {
			if teams[team] == 0 {
				t.Errorf("no ask logged for %s: %v", team, teams)
			}
		}
		for _, reason := range []string{"escalation", "renewal"} {
			if until, ok := flags[reason]; !ok || !until.After(today) {
				t.Errorf("no account flagged for an open %s until a day ahead: %v", reason, flags)
			}
		}
		held, err := db.HeldBackReferences(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !slicesContainsFunc(held, func(why string) bool { return strings.Contains(why, "is flagged: escalation until") }) {
			t.Errorf("no reference is held back by the escalation: %v", held)
		}

		// A recruiting campaign aimed at a gap, with outreach in several
		// states and a contact nominated through the nominations.
		camps, err := db.Campaigns(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(camps) == 0 {
			t.Fatal("no recruiting campaign")
		}
		outreach, nominated := map[vouch.OutreachState]int{}, 0
		for _, c := range camps {
			if c.Dimension != "industry" || c.ValueID == 0 || c.ActivityTypeID == 0 {
				t.Errorf("campaign %+v is not aimed at a coverage cell", c)
			}
			contacts, err := db.CampaignContacts(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, ct := range contacts {
				outreach[ct.State]++
				if ct.State != vouch.OutreachNominated {
					continue
				}
				n, err := db.Nomination(ctx, ct.NominationID)
				if err != nil || n.AccountID != ct.AccountID || !strings.Contains(n.Reason, c.Name) {
					t.Errorf("nominated contact %s: nomination %+v (%v)", ct.Name, n, err)
				}
				nominated++
			}
		}
		if nominated == 0 || len(outreach) < 4 {
			t.Errorf("outreach by state %v, want a nominated contact among several states", outreach)
		}

		// The cadence: every task assigned to the team, weeks of history,
		// done and skipped with a note.
		tasks, err := db.CadenceTasks(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(tasks) < 6 {
			t.Errorf("%d cadence tasks", len(tasks))
		}
		for _, task := range tasks {
			u, err := db.User(ctx, task.AssigneeID)
			if err != nil || !u.Can(vouch.PermManageCadence) {
				t.Errorf("cadence task %q is assigned to %d (%v)", task.Title, task.AssigneeID, err)
			}
		}
		occ, err := db.Occurrences(ctx, store.OccurrenceFilter{DueTo: today.AddDays(-1)})
		if err != nil {
			t.Fatal(err)
		}
		closed := map[vouch.OccurrenceStatus]int{}
		oldest := today
		for _, o := range occ {
			closed[o.Status]++
			if o.DueOn.Before(oldest) {
				oldest = o.DueOn
			}
			if o.Status == vouch.OccurrenceSkipped && o.Note == "" {
				t.Errorf("occurrence %d skipped without a note", o.ID)
			}
			if o.ClosedAt != nil && (o.ClosedAt.After(now) || db.Clock.DayOf(*o.ClosedAt).Before(o.DueOn)) {
				t.Errorf("occurrence due %s closed at %v", o.DueOn, o.ClosedAt)
			}
		}
		if closed[vouch.OccurrenceDone] < 20 || closed[vouch.OccurrenceSkipped] == 0 {
			t.Errorf("past occurrences by status %v, want most done and some skipped", closed)
		}
		if weeks := today.Time().Sub(oldest.Time()).Hours() / 24 / 7; weeks < 5 {
			t.Errorf("cadence history goes back %.1f weeks", weeks)
		}

		// Program health: assessments over months, improving.
		as, err := db.HealthAssessments(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(as) < 2 {
			t.Fatalf("%d health assessments: the trend chart has no line", len(as))
		}
		if first, last := as[0], as[len(as)-1]; last.Average() <= first.Average() ||
			last.AssessedOn.Time().Sub(first.AssessedOn.Time()).Hours()/24 < 90 || last.AssessedOn.After(today) {
			t.Errorf("assessments from %s (%.1f) to %s (%.1f): want months of progress", first.AssessedOn, first.Average(), last.AssessedOn, last.Average())
		}

		// Two years of replayed requests told the program team of each one;
		// they have read all but the last week's, so the bell shows recent
		// news, not hundreds of old notices.
		pm := programManager(t, db)
		list, unread, err := db.Notifications(ctx, pm.ID, 1000)
		if err != nil {
			t.Fatal(err)
		}
		weekAgo, recent := db.Now().AddDate(0, 0, -7), 0
		for _, n := range list {
			if n.CreatedAt.Before(weekAgo) && n.ReadAt == nil {
				t.Errorf("a notification of %s is unread: %q", n.CreatedAt.Format("2006-01-02"), n.Body)
			}
			if !n.CreatedAt.Before(weekAgo) && n.ReadAt == nil {
				recent++
			}
		}
		if len(list) < 20 || unread == 0 || unread != recent {
			t.Errorf("%d notifications, %d unread, %d of them from the last week: want old ones read and recent ones not", len(list), unread, recent)
		}

		// Loading again adds none of it twice.
		if _, err := demo.Load(ctx, db, demo.Options{Seed: 1, References: 120, BaseURL: "http://vouch.test"}); err != nil {
			t.Fatal(err)
		}
		noms2, _ := db.Nominations(ctx, store.NominationFilter{})
		camps2, _ := db.Campaigns(ctx)
		as2, _ := db.HealthAssessments(ctx)
		if len(noms2) != len(noms) || len(camps2) != len(camps) || len(as2) != len(as) {
			t.Errorf("second load: %d→%d nominations, %d→%d campaigns, %d→%d assessments",
				len(noms), len(noms2), len(camps), len(camps2), len(as), len(as2))
		}
	})
}

func programManager(t *testing.T, db *store.DB) *vouch.User {
	t.Helper()
	users, err := db.ListUsers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(users, func(u *vouch.User) bool { return u.Role == vouch.RoleProgramManager })
	if i < 0 {
		t.Fatal("the demo has no program manager")
	}
	return users[i]
}

func slicesContainsFunc(m map[int64]string, f func(string) bool) bool {
	for _, v := range m {
		if f(v) {
			return true
		}
	}
	return false
}

// TestDemoProgramPages: the program manager opening the program's pages
// of a fresh demo sees the story, not empty screens.
func TestDemoProgramPages(t *testing.T) {
	for _, e := range testutil.Engines(t) {
		t.Run(string(e), func(t *testing.T) {
			s := testutil.StartServer(t, e)
			ctx := vouch.WithActor(context.Background(), vouch.Actor{Label: "demo"})
			if _, err := demo.Load(ctx, s.DB, demo.Options{Seed: 1, References: 60, BaseURL: s.URL}); err != nil {
				t.Fatal(err)
			}
			b := testutil.LoginWith(t, s, programManager(t, s.DB).Email, demo.Password)
			page := func(path string, want ...string) string {
				t.Helper()
				resp, body := b.Get(path)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("%s answers %d", path, resp.StatusCode)
				}
				for _, w := range want {
					if !strings.Contains(body, w) {
						t.Errorf("%s does not show %q", path, w)
					}
				}
				return body
			}
			page("/nominations", "Waiting over a week", "waited more than 7 days", "Rejected", "Accepted")
			body := page("/health", "Up from", "<svg")
			if n := strings.Count(body, "Up from"); n < 5 {
				t.Errorf("/health: %d elements went up since the last assessment, want most", n)
			}
			camps, err := s.DB.Campaigns(ctx)
			if err != nil || len(camps) == 0 {
				t.Fatalf("no campaign (%v)", err)
			}
			nominated := false
			for _, c := range camps {
				nominated = nominated || strings.Contains(page(fmt.Sprintf("/campaigns/%d", c.ID), "Contacted"), "Nomination #")
			}
			if !nominated {
				t.Error("no campaign page shows a nominated contact")
			}
			page("/cadence", "Triage requests due within 72 hours")
			tasks, err := s.DB.CadenceTasks(ctx, false)
			if err != nil {
				t.Fatal(err)
			}
			history := ""
			for _, task := range tasks {
				history += page(fmt.Sprintf("/cadence/tasks/%d", task.ID))
			}
			for _, w := range []string{`pill-ok">Done`, `pill-muted">Skipped`, "No new nominations this week."} {
				if !strings.Contains(history, w) {
					t.Errorf("no cadence task's history shows %q", w)
				}
			}
		})
	}
}

// TestDemoProgramIsDeterministic: the same seed on the same day tells the
// same story: the same nominations, campaign contacts, logged asks,
// cadence history and assessments.
func TestDemoProgramIsDeterministic(t *testing.T) {
	for _, e := range testutil.Engines(t) {
		t.Run(string(e), func(t *testing.T) {
			var stories [2]string
			for i := range stories {
				db := testutil.OpenDB(t, e)
				ctx := vouch.WithActor(context.Background(), vouch.Actor{Label: "demo"})
				if _, err := demo.Load(ctx, db, demo.Options{Seed: 3, References: 60, BaseURL: "http://vouch.test"}); err != nil {
					t.Fatal(err)
				}
				stories[i] = programStory(t, db)
			}
			first, second := strings.Split(stories[0], "\n"), strings.Split(stories[1], "\n")
			if len(first) != len(second) {
				t.Errorf("two loads with seed 3 differ: %d lines, then %d", len(first), len(second))
			}
			for i := range min(len(first), len(second)) {
				if first[i] != second[i] {
					t.Errorf("two loads with seed 3 differ:\n%s\n%s", first[i], second[i])
				}
			}
			if !strings.Contains(stories[0], "contact") || !strings.Contains(stories[0], "ask") {
				t.Errorf("the story is missing parts:\n%s", stories[0])
			}
		})
	}
}

// programStory writes down the program's story in db, without ids or times.
func programStory(t *testing.T, db *store.DB) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	noms, err := db.Nominations(ctx, store.NominationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range noms {
		fmt.Fprintf(&b, "nomination %s at %s: %s %s\n", n.Name, n.AccountName, n.State, n.RejectReason)
	}
	camps, err := db.Campaigns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range camps {
		contacts, err := db.CampaignContacts(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, ct := range contacts {
			fmt.Fprintf(&b, "%s contact %s <%s>: %s\n", c.Name, ct.Name, ct.Email, ct.State)
		}
	}
	accts, _, err := db.ListAccounts(ctx, vouch.AccountFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range accts {
		entries, err := db.AccountLedger(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.Source == "team" {
				fmt.Fprintf(&b, "ask of %s by %s on %s: %s\n", e.ReferenceName, e.Team, e.AskedOn, e.What)
			}
		}
	}
	occ, err := db.Occurrences(ctx, store.OccurrenceFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range occ {
		fmt.Fprintf(&b, "occurrence due %s: %s %s\n", o.DueOn, o.Status, o.Note)
	}
	as, err := db.HealthAssessments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range as {
		fmt.Fprintf(&b, "assessment %s: %.2f\n", a.AssessedOn, a.Average())
	}
	return b.String()
}
