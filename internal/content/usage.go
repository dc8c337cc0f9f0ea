package content

import (
	"context"

	"github.com/vouchhq/vouch/internal/vouch"
)

// UseInput is a person's "Use this": how they used an item, and the
// opportunity it was for (0: none named).
type UseInput struct {
	Kind          string `json:"kind"`
	OpportunityID int64  `json:"opportunity_id"`
}

// user is the signed-in person making a change: uses and ratings are
// always someone's.
func (s *Service) user(ctx context.Context) (*vouch.User, error) {
	id := vouch.ActorFrom(ctx).UserID
	if id == 0 {
		return nil, vouch.Errorf(vouch.EFORBIDDEN, "Only a signed-in person can use or rate content.")
	}
	return s.db.User(ctx, id)
}

// checkOpportunity checks that the opportunity a use or rating names is the
// person's own; the program team, who work every deal, may name any.
func (s *Service) checkOpportunity(ctx context.Context, u *vouch.User, id int64, v *vouch.Validation) error {
	if id == 0 {
		return nil
	}
	if id < 0 {
		v.Add("opportunity_id", "is not a known opportunity")
		return nil
	}
	o, err := s.db.Opportunity(ctx, id)
	if vouch.ErrorCode(err) == vouch.ENOTFOUND {
		v.Add("opportunity_id", "is not a known opportunity")
		return nil
	} else if err != nil {
		return err
	}
	if o.OwnerID != u.ID && !u.Can(vouch.PermManageProgram) {
		v.Add("opportunity_id", "is not one of your opportunities")
	}
	return nil
}

// Use records that the signed-in person used item id (vouch.CheckContentUse
// decides whether it may be used that way, as of today). It returns the use
// and the item.
func (s *Service) Use(ctx context.Context, id int64, in UseInput) (*vouch.ContentUse, *vouch.ContentItem, error) {
	u, err := s.user(ctx)
	if err != nil {
		return nil, nil, err
	}
	item, err := s.db.ContentItem(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	state := item.EffectiveState(s.db.Clock.Today())
	// Expired items are readable (marked), so trying to use one says why
	// it cannot be; items the person may not see at all are not found.
	if !vouch.ContentShown(u.Can(vouch.PermManageContent), state, true) {
		return nil, nil, vouch.Errorf(vouch.ENOTFOUND, "Content item %d not found.", id)
	}
	if err := vouch.CheckContentUse(state, in.Kind, item.File != nil); err != nil {
		return nil, nil, err
	}
	var v vouch.Validation
	if err := s.checkOpportunity(ctx, u, in.OpportunityID, &v); err != nil {
		return nil, nil, err
	}
	if err := v.Err(); err != nil {
		return nil, nil, err
	}
	use := &vouch.ContentUse{ContentID: id, Kind: in.Kind, UserID: u.ID, UserName: u.Name, OpportunityID: in.OpportunityID}
	if err := s.db.RecordContentUse(ctx, use); err != nil {
		return nil, nil, err
	}
	return use, item, nil
}

// Uses lists item id's uses, newest first (limit 0: all).
func (s *Service) Uses(ctx context.Context, id int64, limit int) ([]vouch.ContentUse, error) {
	if _, err := s.db.ContentItem(ctx, id); err != nil {
		return nil, err
	}
	return s.db.ContentUses(ctx, id, limit)
}

// Rate saves the signed-in person's helpfulness rating of item id (1–5 and
// a comment), replacing the one they gave before.
func (s *Service) Rate(ctx context.Context, id int64, r vouch.ContentRating) (*vouch.ContentRating, error) {
	u, err := s.user(ctx)
	if err != nil {
		return nil, err
	}
	item, err := s.db.ContentItem(ctx, id)
	if err != nil {
		return nil, err
	}
	state := item.EffectiveState(s.db.Clock.Today())
	if !vouch.ContentShown(u.Can(vouch.PermManageContent), state, true) {
		return nil, vouch.Errorf(vouch.ENOTFOUND, "Content item %d not found.", id)
	}
	if err := vouch.CheckContentRating(state); err != nil {
		return nil, err
	}
	var v vouch.Validation
	if err := v.Merge(vouch.CheckRating(&r)); err != nil {
		return nil, err
	}
	if err := s.checkOpportunity(ctx, u, r.OpportunityID, &v); err != nil {
		return nil, err
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	r.ContentID, r.UserID, r.UserName = id, u.ID, u.Name
	if err := s.db.RateContent(ctx, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// Ratings lists item id's ratings, newest first.
func (s *Service) Ratings(ctx context.Context, id int64) ([]vouch.ContentRating, error) {
	if _, err := s.db.ContentItem(ctx, id); err != nil {
		return nil, err
	}
	return s.db.ContentRatings(ctx, id)
}
