package store_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Issue 4, point 5: 100 advocates' links for one reference with one free
// slot, each for another request and opportunity, accepted at the same
// moment. Exactly one books; the 99 others hear "no longer available" and
// their asks stay exactly as they were, links unused.
func TestConcurrentAcceptsBookCapacityOnce(t *testing.T) {
	for _, capacity := range []int{1, 3} {
		t.Run(fmt.Sprintf("capacity %d", capacity), func(t *testing.T) {
			testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
				testConcurrentAccepts(t, db, capacity)
			})
		})
	}
}

func testConcurrentAccepts(t *testing.T, db *store.DB, capacity int) {
	const n = 100
	f := newRQFixture(t, db)
	// A hundred asks of one account: past the ask ledger's default account
	// cap (6 per 90 days). This test is about booking capacity, so the
	// program here has no account cap; the cap's own race is TestLedgerRacingAsksNeverPassTheCap.
	ps, err := db.ProgramSettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ps.LedgerAccountCap = 0
	if err := db.SetProgramSettings(ctx, ps); err != nil {
		t.Fatal(err)
	}
	ref := f.ref(t, "Popular Person", func(r *vouch.Reference) { r.CapacityOverride = &capacity })
	asks := make([]*vouch.Ask, n)
	links := make([]string, n)
	for i := range n {
		asks[i], links[i] = f.ask(t, f.request(t, nil, nil), ref)
	}

	// Open the pool's connections first, so the accepts start together
	// instead of one at a time as connections get dialled.
	var warm sync.WaitGroup
	for range 20 {
		warm.Add(1)
		go func() {
			defer warm.Done()
			if err := db.Ping(ctx); err != nil {
				t.Error(err)
			}
		}()
	}
	warm.Wait()

	start := make(chan struct{})
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = db.AnswerAsk(ctx, links[i], vouch.Answer{Action: vouch.AnswerAccept}, vouch.Outgoing{
				Notifications: []vouch.Notification{{UserID: f.seller.ID, Body: "accepted"}}})
		}()
	}
	close(start)
	wg.Wait()

	booked, refused := 0, 0
	for i, err := range errs {
		switch {
		case err == nil:
			booked++
		case errors.Is(err, vouch.ErrNoLongerAvailable):
			refused++
		default:
			t.Errorf("accept %d: %v", i, err)
		}
	}
	if booked != capacity || refused != n-capacity {
		t.Errorf("%d booked and %d refused, want %d and %d", booked, refused, capacity, n-capacity)
	}
	if acts := f.activities(t, ref.ID); len(acts) != capacity {
		t.Errorf("the reference has %d activities, want %d: %+v", len(acts), capacity, acts)
	}
	if _, unread, _ := db.Notifications(ctx, f.seller.ID, 500); unread != booked {
		t.Errorf("%d notifications were queued for %d bookings", unread, booked)
	}
	for i, a := range asks {
		got := f.mustAsk(t, a.ID)
		if errs[i] == nil {
			if got.State != vouch.AskAccepted || got.ActivityID == 0 {
				t.Errorf("ask %d was booked but is %+v", a.ID, got)
			}
			rqWantState(t, f, a.RequestID, vouch.RequestAwaitingAdvocate)
			continue
		}
		if got.State != vouch.AskPending || got.Version != 1 || got.AnsweredAt != nil || got.ActivityID != 0 {
			t.Errorf("refused ask %d changed: %+v", a.ID, got)
		}
		if f.linkUsed(t, links[i]) {
			t.Errorf("refused ask %d: its link was used up", a.ID)
		}
		if ev := f.events(t, a.RequestID); len(ev) != 3 { // submitted, the ask, awaiting advocate
			t.Errorf("refused ask %d: its request's timeline has %d events: %+v", a.ID, len(ev), ev)
		}
	}
}
