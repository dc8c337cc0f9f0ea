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
