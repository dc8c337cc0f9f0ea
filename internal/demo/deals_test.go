package demo_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/demo"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// TestDemoDealsMakeAScorecard: the demo's deals are enough for a
// scorecard — hundreds over the last 15 months, across segments and
// countries, in two currencies, won, lost and open at the settings'
// stages — and deals a reference or content helped before they closed win
// more often than the others, by a believable margin. Requests record the
// open stage their deal was in.
func TestDemoDealsMakeAScorecard(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ctx := vouch.WithActor(context.Background(), vouch.Actor{Label: "demo"})
		res, err := demo.Load(ctx, db, demo.Options{Seed: 1, References: 120, BaseURL: "http://vouch.test"})
		if err != nil {
			t.Fatal(err)
		}
		opps, err := db.AllOpportunities(ctx)
		if err != nil {
			t.Fatal(err)
		}
		today := db.Today()
		since := today.AddDays(-456)
		byID := map[int64]*vouch.Opportunity{}
		recent, segments, countries, currencies := 0, map[int64]bool{}, map[int64]bool{}, map[string]int{}
		status := map[vouch.OpportunityStatus]int{}
		for _, o := range opps {
			byID[o.ID] = o
			if !o.CreatedOn.Before(since) {
				recent++
			}
			segments[o.SegmentID], countries[o.CountryID] = true, true
			currencies[o.Currency]++
			status[o.Status]++
			want := map[vouch.OpportunityStatus]string{vouch.OpportunityWon: "Closed Won", vouch.OpportunityLost: "Closed Lost"}[o.Status]
			if o.Status != vouch.OpportunityOpen && o.Stage != want {
				t.Fatalf("deal %s is %s at stage %q", o.Name, o.Status, o.Stage)
			}
			if o.Status == vouch.OpportunityOpen && (strings.HasPrefix(o.Stage, "Closed") || o.CloseDate.Before(today)) {
				t.Fatalf("open deal %s at %q closing %s", o.Name, o.Stage, o.CloseDate)
			}
		}
		if recent < 250 || len(segments) < 3 || len(countries) < 5 || currencies["EUR"] == 0 || currencies["USD"] < 3*currencies["EUR"] ||
			status[vouch.OpportunityOpen] == 0 || status[vouch.OpportunityWon] < 50 || status[vouch.OpportunityLost] < 50 {
			t.Errorf("deals: %d, %d in the last 15 months, %d segments, %d countries, currencies %v, %v",
				len(opps), recent, len(segments), len(countries), currencies, status)
		}

		// Influenced: a done activity or a content use on the deal, on or before it closed.
		influenced := map[int64]bool{}
		keys, err := db.ActivityKeys(ctx) // reference/type/day/opportunity
		if err != nil {
			t.Fatal(err)
		}
		for k := range keys {
			parts := strings.Split(k, "/")
			id, _ := strconv.ParseInt(parts[3], 10, 64)
			day, _ := vouch.ParseDate(parts[2])
			if o := byID[id]; o != nil && !o.CloseDate.Before(day) {
				influenced[id] = true
			}
		}
		items, err := db.ContentItems(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		uses := 0
		for _, it := range items {
			us, err := db.ContentUses(ctx, it.ID, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range us {
				if o := byID[u.OpportunityID]; o != nil {
					uses++
					if u.OppStage == "" || strings.HasPrefix(u.OppStage, "Closed") {
						t.Errorf("a content use records the stage %q", u.OppStage)
					}
					if !o.CloseDate.Before(vouch.DateOf(u.At)) {
						influenced[o.ID] = true
					}
				}
			}
		}
		if uses == 0 || uses != res.ContentUsesAdded {
			t.Errorf("content uses on deals: %d (the demo says %d)", uses, res.ContentUsesAdded)
		}
		var won, lost [2]int // [without, with]
		for _, o := range opps {
			k := 0
			if influenced[o.ID] {
				k = 1
			}
			switch o.Status {
			case vouch.OpportunityWon:
				won[k]++
			case vouch.OpportunityLost:
				lost[k]++
			}
		}
		rate := func(k int) float64 { return float64(won[k]) / float64(won[k]+lost[k]) }
		if won[1]+lost[1] < 30 || won[0]+lost[0] < 30 || rate(1)-rate(0) < 0.03 || rate(1)-rate(0) > 0.35 {
			t.Errorf("win rate with references or content %.2f (%d won, %d lost), without %.2f (%d won, %d lost)",
				rate(1), won[1], lost[1], rate(0), won[0], lost[0])
		}
		t.Logf("%d deals (%d recent), win rate with %.2f (%d closed), without %.2f (%d closed), %d content uses",
			len(opps), recent, rate(1), won[1]+lost[1], rate(0), won[0]+lost[0], uses)

		// Requests record the open stage their deal was in then.
		reqs, _, err := db.ListRequests(ctx, vouch.RequestFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range reqs {
			if r.OppStage == "" || strings.HasPrefix(r.OppStage, "Closed") || r.OppAmountCents == 0 {
				t.Fatalf("request %d records stage %q amount %d", r.ID, r.OppStage, r.OppAmountCents)
			}
		}
	})
}
