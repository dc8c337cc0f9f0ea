package fulfillment

import (
	"context"
	"sort"

	"github.com/vouchhq/vouch/internal/refindex"
	"github.com/vouchhq/vouch/internal/vouch"
)

// The ask ledger across teams (docs/ledger.md): every ask of a customer —
// for a request, or logged for another team — and the fatigue rules that
// hold a reference back.

// ReferenceLedger is every ask of the reference, newest first, for a user
// who may see the reference; one they may not see is not found.
func (s *Service) ReferenceLedger(ctx context.Context, u *vouch.User, refID int64) ([]vouch.LedgerEntry, error) {
	if _, _, err := s.Reference(ctx, u, refID); err != nil {
		return nil, err
	}
	return s.db.ReferenceLedger(ctx, refID)
}

// AccountLedger is every ask of the account's references, newest first,
// leaving out the references the user may not see. A recruiting
// campaign's outreach to a contact at the account is shown to those who
// run campaigns.
func (s *Service) AccountLedger(ctx context.Context, u *vouch.User, accountID int64) ([]vouch.LedgerEntry, error) {
	entries, err := s.db.AccountLedger(ctx, accountID)
	if err != nil {
		return nil, err
	}
	v, err := s.SightFor(ctx, u)
	if err != nil {
		return nil, err
	}
	out := []vouch.LedgerEntry{}
	for _, e := range entries {
		if e.Source == vouch.LedgerFromCampaign && e.ReferenceID == 0 {
			if u.Can(vouch.PermManageCampaigns) {
				out = append(out, e)
			}
			continue
		}
		hit, ok := s.ix.Get(e.ReferenceID)
		if !ok {
			continue
		}
		if _, sight := v.Hit(hit); sight.Listed {
			out = append(out, e)
		}
	}
	return out, nil
}

// LogTeamAsk records an ask another team made (PR asked for a press
// quote), logged by the program team member u. The fatigue rules apply: an
// ask they hold back is refused with the reason.
func (s *Service) LogTeamAsk(ctx context.Context, u *vouch.User, a *vouch.TeamAsk) error {
	if !u.Can(vouch.PermManageProgram) {
		return vouch.Errorf(vouch.EFORBIDDEN, "Only the program team logs other teams' asks.")
	}
	a.LoggedBy = u.ID
	return s.db.LogTeamAsk(ctx, a)
}

// SetAccountFlag flags the account while an escalation or renewal is open,
// until the day given (an empty reason clears it): the program team's call.
func (s *Service) SetAccountFlag(ctx context.Context, u *vouch.User, accountID int64, reason string, until vouch.Date) (vouch.AccountFlag, error) {
	if !u.Can(vouch.PermManageProgram) {
		return vouch.AccountFlag{}, vouch.Errorf(vouch.EFORBIDDEN, "Only the program team flags accounts.")
	}
	if _, err := s.db.SetAccountFlag(ctx, accountID, reason, until); err != nil {
		return vouch.AccountFlag{}, err
	}
	return s.db.AccountFlag(ctx, accountID)
}

// HeldBack says, for each of the references the fatigue rules hold back
// today, why ("Acme Corp has been asked 6 times in 90 days (cap 6)");
// references that may be asked are not in the map. Pages call it before
// offering an ask; the ledger's read model answers.
func (s *Service) HeldBack(refs []*vouch.Reference) map[int64]string {
	ids := make([]int64, len(refs))
	for i, r := range refs {
		ids[i] = r.ID
	}
	return s.ix.Ledger().HeldBackOf(ids)
}

// HeldBackMatch is a reference that would be a candidate for a request but
// for the ask ledger's fatigue rules, and why it is held back.
type HeldBackMatch struct {
	ReferenceID int64
	Name        string
	Account     string
	Reason      string
}

// HeldBackFor lists the references the fatigue rules keep out of a
// request's matches — the ones that pass its hard rules otherwise — with
// the reason, by name: what the request page tells the program team.
func (s *Service) HeldBackFor(ctx context.Context, req *vouch.Request) ([]HeldBackMatch, error) {
	held := s.ix.Ledger().HeldBackAll()
	if len(held) == 0 {
		return nil, nil
	}
	asked, err := s.db.AskedForOpportunity(ctx, req.OpportunityID)
	if err != nil {
		return nil, err
	}
	q := refindex.MatchQuery{ActivityTypeID: req.ActivityTypeID, Criteria: req.Criteria, DueDate: req.DueDate,
		Today: s.db.Today(), Exclude: asked}
	ids := make([]int64, 0, len(held))
	for id := range held {
		ids = append(ids, id)
	}
	out := []HeldBackMatch{}
	for _, m := range s.ix.Passing(q, ids) {
		id := m.Reference.ID
		out = append(out, HeldBackMatch{ReferenceID: id, Name: m.Reference.Name, Account: m.Account.Name, Reason: held[id]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}
