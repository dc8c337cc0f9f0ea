package demo_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/demo"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

func TestDemoHasRequestsInEveryStateWithHistory(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := vouch.WithActor(context.Background(), vouch.Actor{Label: "demo"})
		res, err := demo.Load(ctx, db, demo.Options{Seed: 1, References: 120, BaseURL: "http://vouch.test"})
		if err != nil {
			t.Fatal(err)
		}
		if res.RequestsAdded < 150 || res.OpportunitiesAdded < 300 || res.FeedbackAdded < 100 {
			t.Fatalf("demo is too thin: %+v", res)
		}
		// The demo's mails name its company and are signed by the team.
		if ms, err := db.MailSettings(ctx); err != nil || ms.Company != demo.DemoMailSettings.Company {
			t.Errorf("the demo's company is %q (%v)", ms.Company, err)
		}
		if mails, _, err := db.ListOutbox(ctx, vouch.OutboxFilter{Limit: 500}); err != nil || !slices.ContainsFunc(mails, func(m vouch.OutboxMail) bool {
			return strings.Contains(m.Body, " at "+demo.DemoMailSettings.Company+" is talking with ")
		}) {
			t.Errorf("no demo ask mail names the company (%v)", err)
		}
		seen := map[vouch.RequestState]int{}
		reqs, _, err := db.ListRequests(ctx, vouch.RequestFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		oldest := db.Now()
		for _, r := range reqs {
			seen[r.State]++
			if r.CreatedAt.Before(oldest) {
				oldest = r.CreatedAt
			}
		}
		for _, s := range []vouch.RequestState{vouch.RequestSubmitted, vouch.RequestInProgress, vouch.RequestAwaitingAdvocate,
			vouch.RequestScheduled, vouch.RequestCompleted, vouch.RequestCancelled, vouch.RequestUnfulfilled} {
			if seen[s] == 0 {
				t.Errorf("no demo request is %s: %v", s, seen)
			}
		}
		if days := db.Now().Sub(oldest).Hours() / 24; days < 600 {
			t.Errorf("history goes back %.0f days, want about two years", days)
		}
		// Completed requests have a done activity with points and feedback.
		var done *vouch.Request
		for _, r := range reqs {
			if r.State == vouch.RequestCompleted {
				if fb, _ := db.Feedback(ctx, r.ID); len(fb) > 0 {
					done = r
					break
				}
			}
		}
		if done == nil {
			t.Fatal("no completed request has feedback")
		}
		asks, err := db.Asks(ctx, done.ID)
		if err != nil {
			t.Fatal(err)
		}
		var acts []vouch.Activity
		for _, a := range asks {
			if a.State == vouch.AskCompleted {
				acts, _ = db.Activities(ctx, a.ReferenceID)
			}
		}
		found := false
		for _, a := range acts {
			if a.RequestID == done.ID && a.State == vouch.ActivityDone && a.Points > 0 {
				found = true
			}
		}
		if !found {
			t.Errorf("the completed request's activity is not on the reference with points: %+v", acts)
		}
		// Loading again adds nothing.
		again, err := demo.Load(ctx, db, demo.Options{Seed: 1, References: 120})
		if err != nil {
			t.Fatal(err)
		}
		if again.RequestsAdded != 0 || again.OpportunitiesAdded != 0 {
			t.Errorf("second load added %+v", again)
		}
	})
}

// The demo saves its references as the program team would: each starts
// nominated, qualifying or active, and a resting, retired or do-not-contact
// one got there by a status change with its reason, in its history.
func TestDemoReferencesMoveThroughTheLifecycle(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := vouch.WithActor(context.Background(), vouch.Actor{Label: "demo"})
		res, err := demo.Load(ctx, db, demo.Options{Seed: 1, References: 120, ReferencesOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.ReferencesAdded != 120 || res.AccountsAdded == 0 || res.ActivitiesAdded == 0 {
			t.Fatalf("demo: %+v", res)
		}
		snap, err := db.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		moved := map[vouch.Status]int{}
		for _, r := range snap.References {
			hist, err := db.StatusHistory(ctx, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(hist) == 0 {
				t.Fatalf("%s has no status history", r.Name)
			}
			first := hist[0]
			for _, e := range hist {
				if e.ID < first.ID {
					first = e
				}
			}
			if vouch.CheckInitialStatus(first.To) != "" {
				t.Errorf("%s started %s", r.Name, first.To)
			}
			if vouch.CheckInitialStatus(r.Status) != "" {
				if len(hist) < 2 {
					t.Errorf("%s is %s without a status change: %+v", r.Name, r.Status, hist)
				}
				moved[r.Status]++
			}
		}
		if moved[vouch.StatusResting] == 0 || moved[vouch.StatusRetired] == 0 {
			t.Errorf("the demo has no resting or retired references: %v", moved)
		}
	})
}

func TestDemoLibraryHoldsContentInEveryApprovalState(t *testing.T) {
	db := testutil.OpenDB(t, store.SQLite)
	ctx := vouch.WithActor(context.Background(), vouch.Actor{Label: "demo"})
	res, err := demo.Load(ctx, db, demo.Options{Seed: 1, References: 60, BaseURL: "http://vouch.test"})
	if err != nil {
		t.Fatal(err)
	}
	items, err := db.ContentItems(ctx, nil)
	if err != nil || len(items) != res.ContentAdded || len(items) < 40 {
		t.Fatalf("%d demo content items (%d reported): %v", len(items), res.ContentAdded, err)
	}
	seen := map[vouch.ContentState]int{}
	expiringSoon := 0
	for _, it := range items {
		seen[it.State]++
		if it.ExpiresWithin(db.Today(), 30) {
			expiringSoon++
		}
		if len(it.AccountIDs) == 0 || len(it.IndustryIDs) == 0 {
			t.Errorf("%q features no account or has no industry", it.Title)
		}
	}
	for _, s := range []vouch.ContentState{vouch.ContentDraft, vouch.ContentAwaitingApproval, vouch.ContentApprovedExternal, vouch.ContentApprovedInternal} {
		if seen[s] == 0 {
			t.Errorf("no demo content is %s: %v", s, seen)
		}
	}
	if expiringSoon == 0 {
		t.Errorf("no demo content expires within 30 days: the expiring list would be empty")
	}
	again, err := demo.Load(ctx, db, demo.Options{Seed: 1, References: 60, BaseURL: "http://vouch.test"})
	if err != nil || again.ContentAdded != 0 {
		t.Errorf("loading the demo again added %d content items (%v)", again.ContentAdded, err)
	}
}
