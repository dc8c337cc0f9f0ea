package fulfillment_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// TestAskAReferenceTheTeamFound: the team asks a reference it found itself
// (search, profile). Each criterion missed and each fatigue signal is a
// warning to confirm; a hard rule refuses, in words; API and pages call
// the same Ask, so the rule holds for both.
func TestAskAReferenceTheTeamFound(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		l := newLoop(t, db)
		ctx := context.Background()
		insurer := &vouch.Account{Name: "Shield Mutual", IndustryID: l.value(t, vouch.TaxIndustry, "Insurance")}
		if err := db.CreateAccount(l.ctx(l.pm), insurer); err != nil {
			t.Fatal(err)
		}
		mobile := l.value(t, vouch.TaxProduct, "Mobile")
		ivy := l.ref(t, "Ivy Insurer", func(r *vouch.Reference) { r.AccountID, r.ProductIDs = insurer.ID, []int64{mobile} })
		hal := l.ref(t, "Hal Health", nil) // Healthcare, no Mobile
		// A call 20 days ago: past the ask ledger's 14-day cool-down, still a
		// fatigue signal (an activity in the last 90 days).
		if err := db.LogActivity(l.ctx(l.pm), &vouch.Activity{ReferenceID: hal.ID, TypeID: l.call, OccurredOn: vouch.DateOf(l.now).AddDays(-20)}); err != nil {
			t.Fatal(err)
		}
		dora := l.ref(t, "Dora Donot", func(r *vouch.Reference) {
			r.Status, r.StatusReason = vouch.StatusDoNotContact, "asked not to be contacted during renewal"
		})
		tom := l.ref(t, "Tom Retired", func(r *vouch.Reference) { r.Status, r.StatusReason = vouch.StatusRetired, "left" })
		cass := l.ref(t, "Cass Casestudy", func(r *vouch.Reference) {
			r.Activities = []vouch.AgreedActivity{{TypeID: l.value(t, vouch.TaxActivityType, "Case study")}}
		})
		zero := 0
		zed := l.ref(t, "Zed Zero", func(r *vouch.Reference) { r.CapacityOverride = &zero })
		nomail := l.ref(t, "Nia Nomail", func(r *vouch.Reference) { r.Email = "" })

		req := &vouch.Request{ActivityTypeID: l.call, DueDate: vouch.DateOf(l.now).AddDays(30),
			Criteria: vouch.Criteria{IndustryID: insurer.IndustryID, ProductID: mobile}}
		if err := l.s.CreateRequest(l.ctx(l.seller), l.seller, req, &vouch.Opportunity{Name: "Acme policy deal", Prospect: "Acme"}); err != nil {
			t.Fatal(err)
		}

		// Warnings: each criterion missed, each fatigue signal.
		check, err := l.s.CheckAsk(l.ctx(l.pm), l.pm, req.ID, hal.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"Does not meet industry: Insurance", "Does not meet product: Mobile", "1 activity in the last 90 days"}
		if !slices.Equal(check.Warnings, want) {
			t.Errorf("Hal's warnings %q, want %q", check.Warnings, want)
		}
		// Unconfirmed, nothing is asked and the warnings come back.
		_, err = l.s.Ask(l.ctx(l.pm), l.pm, req.ID, hal.ID, false)
		var unconfirmed *vouch.UnconfirmedAsk
		if !errors.As(err, &unconfirmed) || vouch.ErrorCode(err) != vouch.ECONFLICT || !slices.Equal(unconfirmed.Warnings, want) {
			t.Fatalf("unconfirmed ask of Hal: %v", err)
		}
		if asks, _ := db.Asks(ctx, req.ID); len(asks) != 0 {
			t.Fatalf("an unconfirmed ask made %d asks", len(asks))
		}
		// Confirmed, Hal is asked, scored as the matches would score him.
		ask, err := l.s.Ask(l.ctx(l.pm), l.pm, req.ID, hal.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		if ask.Score != -10 || ask.ReferenceID != hal.ID { // used lately, never verified
			t.Errorf("Hal's ask: score %d, reasons %+v", ask.Score, ask.Reasons)
		}

		// A reference with nothing to warn about is asked at once.
		if check, err := l.s.CheckAsk(l.ctx(l.pm), l.pm, req.ID, ivy.ID); err != nil || len(check.Warnings) != 0 {
			t.Errorf("Ivy: %v %+v", err, check)
		}
		if _, err := l.s.Ask(l.ctx(l.pm), l.pm, req.ID, ivy.ID, false); err != nil {
			t.Errorf("asking Ivy, who meets everything: %v", err)
		}

		// Hard rules refuse, confirmed or not, and say which.
		for _, c := range []struct {
			name  string
			by    *vouch.User
			refID int64
			code  string
			says  string
		}{
			{"do not contact", l.pm, dora.ID, vouch.ECONFLICT, "Dora Donot cannot be asked for this request: do not contact (“asked not to be contacted during renewal”)."},
			{"retired", l.pm, tom.ID, vouch.ECONFLICT, "retired"},
			{"not agreed to calls", l.pm, cass.ID, vouch.ECONFLICT, "not agreed to a call"},
			{"no capacity", l.pm, zed.ID, vouch.ECONFLICT, "takes no activities"},
			{"already asked for the deal", l.pm, hal.ID, vouch.ECONFLICT, "already asked for this opportunity"},
			{"no email", l.pm, nomail.ID, vouch.EINVALID, "no email address"},
			{"unknown", l.pm, 987654, vouch.ENOTFOUND, "not found"},
			{"a seller on a program-managed request", l.seller, ivy.ID, vouch.EFORBIDDEN, "program team"},
		} {
			t.Run(c.name, func(t *testing.T) {
				for _, confirmed := range []bool{false, true} {
					_, err := l.s.Ask(l.ctx(c.by), c.by, req.ID, c.refID, confirmed)
					if vouch.ErrorCode(err) != c.code || !strings.Contains(vouch.ErrorMessage(err), c.says) {
						t.Errorf("confirmed %v: %s %q, want %s saying %q", confirmed, vouch.ErrorCode(err), vouch.ErrorMessage(err), c.code, c.says)
					}
				}
			})
		}

		// The team chooses among the open requests it may pick for; a seller
		// picks for none of a program-managed one.
		open, err := l.s.OpenRequestsToPick(ctx, l.pm)
		if err != nil || !slices.ContainsFunc(open, func(r *vouch.Request) bool { return r.ID == req.ID }) {
			t.Errorf("open requests for the team: %v %v", open, err)
		}
		if open, _ := l.s.OpenRequestsToPick(ctx, l.seller); len(open) != 0 {
			t.Errorf("a seller may pick for %d requests", len(open))
		}
		// A closed request asks nobody.
		if _, err := l.s.ChangeState(l.ctx(l.pm), l.pm, req.ID, 0, vouch.RequestChange{To: vouch.RequestCancelled, Reason: "deal lost"}); err != nil {
			t.Fatal(err)
		}
		if _, err := l.s.CheckAsk(l.ctx(l.pm), l.pm, req.ID, ivy.ID); vouch.ErrorCode(err) != vouch.ECONFLICT || !strings.Contains(err.Error(), "cancelled") {
			t.Errorf("asking for a cancelled request: %v", err)
		}
	})
}

// TestIneligibleIsForTheTeam: the references failing a rule (do-not-contact
// customers among them) are listed for the program team, never a seller.
func TestIneligibleIsForTheTeam(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		l := newLoop(t, db)
		l.ref(t, "Maya Okafor", nil)
		l.ref(t, "Dora Donot", func(r *vouch.Reference) { r.Status = vouch.StatusDoNotContact })
		req := l.request(t, "Contoso")
		for _, u := range []*vouch.User{l.pm, l.seller} {
			v, err := l.s.ViewRequest(l.ctx(u), u, req.ID)
			if err != nil {
				t.Fatal(err)
			}
			res, err := l.s.IneligibleFor(l.ctx(u), u, v, 0, 20)
			switch {
			case u == l.seller && vouch.ErrorCode(err) != vouch.EFORBIDDEN:
				t.Errorf("a seller lists the ineligible: %v %+v", err, res)
			case u == l.pm && (err != nil || res.Total != 1 || res.Items[0].Failures[0].Text != "do not contact"):
				t.Errorf("the team's list: %v %+v", err, res)
			}
			m, err := l.s.MatchesFor(l.ctx(u), v, 0, 20)
			if err != nil || m.Eligible != 1 || m.Ineligible != 1 {
				t.Errorf("%s's matches: %v eligible %d ineligible %d", u.Name, err, m.Eligible, m.Ineligible)
			}
		}
	})
}
