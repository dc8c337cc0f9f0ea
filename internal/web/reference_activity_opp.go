package web

import (
	"context"

	"github.com/vouchhq/vouch/internal/vouch"
)

// loggableOpportunities are the deals u may name when logging an activity:
// a seller's own, the program team's every one, newest first (at most 200;
// an older one is named by its CRM id).
func (h *Handler) loggableOpportunities(ctx context.Context, u *vouch.User) ([]*vouch.Opportunity, error) {
	f := vouch.OpportunityFilter{Limit: 200}
	if !u.Can(vouch.PermManageProgram) {
		f.OwnerID = u.ID
	}
	opps, _, err := h.opts.Fulfillment.ListOpportunities(ctx, f)
	return opps, err
}

// activityDeals names the opportunities of acts that u may see, by id.
func (h *Handler) activityDeals(ctx context.Context, u *vouch.User, acts []vouch.Activity) (map[int64]string, error) {
	ids := make([]int64, 0, len(acts))
	for _, a := range acts {
		if a.OpportunityID != 0 {
			ids = append(ids, a.OpportunityID)
		}
	}
	opps, err := h.opts.Fulfillment.OpportunitiesByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := map[int64]string{}
	for id, o := range opps {
		if vouch.MayRequestFor(u, o) {
			out[id] = o.Name
		}
	}
	return out, nil
}
