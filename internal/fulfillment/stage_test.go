package fulfillment_test

import (
	"context"
	"testing"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// TestStagesAndMovesFollowTheAsks: the stage of a request in a list is the
// one its page shows, and a move by hand the asks do not bear out is
// refused with the reason, changing nothing.
func TestStagesAndMovesFollowTheAsks(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		l := newLoop(t, db)
		ctx := context.Background()
		maya := l.ref(t, "Maya Okafor", nil)
		asked, fresh := l.request(t, "Contoso"), l.request(t, "Fabrikam")
		if _, err := l.s.Ask(l.ctx(l.pm), l.pm, asked.ID, maya.ID, true); err != nil {
			t.Fatal(err)
		}
		stages, err := l.s.Stages(ctx, []*vouch.Request{asked, fresh})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			req *vouch.Request
			key vouch.StageKey
		}{{asked, vouch.StageAwaitingAdvocate}, {fresh, vouch.StageToPick}} {
			v, err := l.s.ViewRequest(ctx, l.seller, c.req.ID)
			if err != nil {
				t.Fatal(err)
			}
			if st := stages[c.req.ID]; st.Key != c.key || st.RequestStage != v.Stage {
				t.Errorf("request %d: list says %+v, page %+v; want %s", c.req.ID, st.RequestStage, v.Stage, c.key)
			}
		}

		before, _ := db.Request(ctx, fresh.ID)
		_, err = l.s.ChangeState(l.ctx(l.pm), l.pm, fresh.ID, before.Version, vouch.RequestChange{To: vouch.RequestAwaitingAdvocate})
		if vouch.ErrorCode(err) != vouch.ECONFLICT || vouch.ErrorMessage(err) != "No advocate has been asked yet — pick a reference first." {
			t.Errorf("a never-asked request moved to awaiting advocate: %v", err)
		}
		if after, _ := db.Request(ctx, fresh.ID); after.State != before.State || after.Version != before.Version {
			t.Errorf("the refused move changed the request: %s v%d", after.State, after.Version)
		}

		// Who may open which request: the seller theirs, the account owner
		// the one their customer was asked for, another seller neither.
		other := l.user(t, "otto@example.com", vouch.RoleSeller)
		for _, c := range []struct {
			who          *vouch.User
			asked, fresh bool
		}{{l.seller, true, true}, {other, false, false}, {l.pm, true, true}} {
			sees, err := l.s.SeesRequests(ctx, c.who, []int64{asked.ID, fresh.ID, 999})
			if err != nil {
				t.Fatal(err)
			}
			if sees[asked.ID] != c.asked || sees[fresh.ID] != c.fresh || (sees[999] && !c.who.Can(vouch.PermManageProgram)) {
				t.Errorf("%s sees %v", c.who.Email, sees)
			}
		}
	})
}
