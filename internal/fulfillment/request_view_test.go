package fulfillment_test

import (
	"testing"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// What each user sees of one request: the requester and the team all of
// it; the owner of an asked account the ask about their customer (and its
// timeline entries), not the other account's ask nor the ranked matches;
// another seller nothing, as if there were no such request.
func TestViewRequest(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		l := newLoop(t, db)
		olga := l.user(t, "olga.seller@example.com", vouch.RoleSeller)
		sid := l.user(t, "sid@example.com", vouch.RoleSeller)
		theirs := &vouch.Account{Name: "Contoso Clinics", OwnerID: olga.ID}
		if err := db.CreateAccount(l.ctx(l.pm), theirs); err != nil {
			t.Fatal(err)
		}
		mine := l.ref(t, "Nora North", nil)                                                    // at l.acct, owned by the team member
		hers := l.ref(t, "Carl Contoso", func(r *vouch.Reference) { r.AccountID = theirs.ID }) // at Olga's account
		req := l.request(t, "Globex")
		for _, ref := range []*vouch.Reference{mine, hers} {
			if _, err := l.s.Ask(l.ctx(l.pm), l.pm, req.ID, ref.ID, true); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range []struct {
			name    string
			u       *vouch.User
			asks    []int64 // the references of the asks seen
			matches bool
		}{
			{"the requester", l.seller, []int64{mine.ID, hers.ID}, true},
			{"the program team", l.pm, []int64{mine.ID, hers.ID}, true},
			{"the owner of an asked account", olga, []int64{hers.ID}, false},
		} {
			v, err := l.s.ViewRequest(l.ctx(c.u), c.u, req.ID)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			var seen []int64
			for _, a := range v.Asks {
				seen = append(seen, a.ReferenceID)
			}
			if len(seen) != len(c.asks) || seen[0] != c.asks[0] {
				t.Errorf("%s sees the asks of references %v, want %v", c.name, seen, c.asks)
			}
			events, err := l.s.Events(l.ctx(c.u), v)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range events {
				if e.ReferenceID != 0 && !v.SeesReference(e.ReferenceID) {
					t.Errorf("%s sees the timeline entry %q", c.name, e.Body)
				}
				if e.ReferenceID == mine.ID && !c.matches {
					t.Errorf("%s sees the entry %q about another account's customer", c.name, e.Body)
				}
			}
			if _, err := l.s.MatchesFor(l.ctx(c.u), v, 0, 10); (err == nil) != c.matches {
				t.Errorf("%s reads the ranked matches: %v, want %v", c.name, err == nil, c.matches)
			} else if err != nil && vouch.ErrorCode(err) != vouch.EFORBIDDEN {
				t.Errorf("%s: %v, want forbidden", c.name, err)
			}
		}
		if _, err := l.s.ViewRequest(l.ctx(sid), sid, req.ID); vouch.ErrorCode(err) != vouch.ENOTFOUND {
			t.Errorf("another seller: %v, want not found", err)
		}
	})
}
