package deals

import (
	"context"
	"slices"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// SaveSettings saves the program's settings. When they change the won or
// lost stages, every deal in a won or lost stage then gets that status
// (FollowStages), so the deals the pages and the API show agree with what
// the scorecard counts — a CRM's "Signed" added to the won stages makes
// the deals already saved at "Signed" won. A stage taken out of them
// reopens nothing: a deal may have been won for other reasons.
func (s *Service) SaveSettings(ctx context.Context, ps vouch.ProgramSettings) error {
	before, err := s.db.ProgramSettings(ctx)
	if err != nil {
		return err
	}
	if err := s.db.SetProgramSettings(ctx, ps); err != nil {
		return err
	}
	if slices.Equal(before.WonStages, ps.WonStages) && slices.Equal(before.LostStages, ps.LostStages) {
		return nil
	}
	return s.FollowStages(ctx)
}

// FollowStages gives every deal whose stage is one of the program's won or
// lost stages that status, in one transaction, audited like any other
// change of a deal. Deals that have it already are not written, so it may
// run again at will (after a save that failed half-way, say).
func (s *Service) FollowStages(ctx context.Context) error {
	ps, err := s.db.ProgramSettings(ctx)
	if err != nil {
		return err
	}
	var changed []*vouch.Opportunity
	before := map[int64]*vouch.Opportunity{}
	for _, st := range []struct {
		stages []string
		status vouch.OpportunityStatus
	}{{ps.WonStages, vouch.OpportunityWon}, {ps.LostStages, vouch.OpportunityLost}} {
		opps, err := s.db.OpportunitiesAtStages(ctx, st.stages, st.status)
		if err != nil {
			return err
		}
		for _, o := range opps {
			// The database's LOWER folds ASCII only: the rule's own reading decides.
			if ps.StageStatus(o.Stage) != st.status || before[o.ID] != nil {
				continue
			}
			c := clone(o)
			c.Status = st.status
			changed = append(changed, c)
			before[o.ID] = o
		}
	}
	if len(changed) == 0 {
		return nil
	}
	return s.db.Batch(ctx, func(b *store.Batch) error { return b.UpdateOpportunities(changed, before) })
}
