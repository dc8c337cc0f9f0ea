package fulfillment

import (
	"context"
	"fmt"

	"github.com/vouchhq/vouch/internal/vouch"
)

// SellerFeedback stores the requester's feedback on a completed ask, given
// while signed in (the API, a page) rather than through the mailed link;
// whichever comes first counts, the other is refused as already given.
// Whoever is assigned the request is told, as for feedback by link.
func (s *Service) SellerFeedback(ctx context.Context, by *vouch.User, askID int64, f *vouch.Feedback) error {
	a, err := s.db.Ask(ctx, askID)
	if err != nil {
		return err
	}
	req, err := s.db.Request(ctx, a.RequestID)
	if err != nil {
		return err
	}
	if req.RequesterID != by.ID {
		return vouch.Errorf(vouch.EFORBIDDEN, "Only the seller who made request %d rates how its reference helped.", req.ID)
	}
	ref, err := s.db.Reference(ctx, a.ReferenceID)
	if err != nil {
		return err
	}
	var out vouch.Outgoing
	if req.AssigneeID != 0 && req.AssigneeID != by.ID {
		out.Notifications = append(out.Notifications, vouch.Notification{UserID: req.AssigneeID,
			Body: fmt.Sprintf("New seller feedback on %s: %d/5", ref.Name, f.Rating), Link: fmt.Sprintf("/requests/%d", req.ID)})
	}
	return s.db.SaveSellerFeedback(ctx, askID, f, out)
}

// checkNotRated refuses opening a feedback link of purpose for ask a once
// feedback from the same side was given, through the app or another link:
// vouch.ErrFeedbackGiven.
func (s *Service) checkNotRated(ctx context.Context, a *vouch.Ask, purpose string) error {
	source := vouch.FeedbackSeller
	if purpose == vouch.LinkAdvocateFeedback {
		source = vouch.FeedbackAdvocate
	}
	given, err := s.db.Feedback(ctx, a.RequestID)
	if err != nil {
		return err
	}
	for _, f := range given {
		if f.AskID == a.ID && f.Source == source {
			return vouch.ErrFeedbackGiven
		}
	}
	return nil
}
