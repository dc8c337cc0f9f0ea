package content

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/vouchhq/vouch/internal/vouch"
)

// Content requests: a seller asks for content that does not exist ("a
// Healthcare case study for Analytics in EMEA"); the program team moves it
// open → in progress → done (naming the item that answers it) or declined
// (saying why), and the seller is told in the app when it is closed. Open
// requests are the demand the gap report counts.

// ContentRequestInput is what a seller gives to ask for content. Picklist
// values come by name.
type ContentRequestInput struct {
	Description   string
	Type          string                          // the content type wanted, "" for any
	Tags          map[vouch.TaxonomyKind][]string // of vouch.ContentRequestTagKinds
	OpportunityID int64
}

// CreateContentRequest stores by's request, reporting every problem at once.
func (s *Service) CreateContentRequest(ctx context.Context, by *vouch.User, in ContentRequestInput) (*vouch.ContentRequest, error) {
	var v vouch.Validation
	r := &vouch.ContentRequest{Description: in.Description, OpportunityID: in.OpportunityID}
	if name := strings.TrimSpace(in.Type); name != "" {
		id, problem := vouch.ChooseValue(s.cat.Values(vouch.TaxContentType, true), name, nil)
		if problem != "" {
			v.Add("type", problem)
		}
		r.TypeID = id
	}
	for kind, names := range in.Tags {
		if !slices.Contains(vouch.ContentRequestTagKinds, kind) {
			v.Add(string(kind), "is not a tag of content requests")
			continue
		}
		ids := []int64{}
		for _, name := range names {
			id, problem := vouch.ChooseValue(s.cat.Values(kind, true), name, nil)
			if problem != "" {
				v.Add(string(kind), problem)
				continue
			}
			if id != 0 && !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		r.SetTagIDs(kind, ids)
	}
	if err := v.Merge(r.Validate()); err != nil {
		return nil, err
	}
	if r.OpportunityID != 0 {
		o, err := s.db.Opportunity(ctx, r.OpportunityID)
		switch {
		case vouch.ErrorCode(err) == vouch.ENOTFOUND:
			v.Add("opportunity", "is not a known opportunity")
		case err != nil:
			return nil, err
		case !vouch.MayRequestFor(by, o):
			v.Add("opportunity", vouch.NotYourOpportunity)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if err := s.db.CreateContentRequest(vouch.WithActor(ctx, vouch.UserActor(by)), r); err != nil {
		return nil, err
	}
	return s.db.ContentRequest(ctx, r.ID)
}

// ContentRequests lists the requests by may see: a seller their own, the
// team every one (f.RequestedBy narrows it).
func (s *Service) ContentRequests(ctx context.Context, by *vouch.User, f vouch.ContentRequestFilter) ([]*vouch.ContentRequest, int, error) {
	if f.State != "" && !slices.Contains(vouch.ContentRequestStates, f.State) {
		return nil, 0, &vouch.Error{Code: vouch.EINVALID, Message: "Unknown state " + vouch.Printable(f.State) + ".",
			Fields: map[string]string{"state": "must be one of " + strings.Join(vouch.ContentRequestStates, ", ")}}
	}
	if !vouch.MayMoveContentRequest(by) {
		f.RequestedBy = by.ID
	}
	return s.db.ListContentRequests(ctx, f)
}

// ContentRequest reads request id for by; one by may not see is not found.
func (s *Service) ContentRequest(ctx context.Context, by *vouch.User, id int64) (*vouch.ContentRequest, error) {
	r, err := s.db.ContentRequest(ctx, id)
	if err != nil {
		return nil, err
	}
	if !vouch.MaySeeContentRequest(by, r) {
		return nil, vouch.Errorf(vouch.ENOTFOUND, "Content request %d not found.", id)
	}
	return r, nil
}

// MoveContentRequest is the team's step on request id. Closing it (done or
// declined) notifies the requester in the app, linking to the item that
// answers it, or to the request with the team's note.
func (s *Service) MoveContentRequest(ctx context.Context, by *vouch.User, id int64, m vouch.ContentRequestMove) (*vouch.ContentRequest, error) {
	if !vouch.MayMoveContentRequest(by) {
		return nil, vouch.Errorf(vouch.EFORBIDDEN, "Only the program team moves content requests along.")
	}
	var v vouch.Validation
	if m.Version <= 0 {
		v.Add("version", "is required: the version you read, so that nobody's change is overwritten")
	}
	m.State = strings.ToLower(strings.TrimSpace(m.State))
	if m.State != "" && !slices.Contains(vouch.ContentRequestStates, m.State) {
		v.Add("state", "must be one of "+strings.Join(vouch.ContentRequestStates, ", "))
	}
	title := ""
	if m.FulfilledBy != nil && *m.FulfilledBy != 0 {
		it, err := s.db.ContentItem(ctx, *m.FulfilledBy)
		if vouch.ErrorCode(err) == vouch.ENOTFOUND {
			v.Add("fulfilled_by", fmt.Sprintf("%d is not a content item", *m.FulfilledBy))
		} else if err != nil {
			return nil, err
		} else {
			title = it.Title
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	compose := func(r *vouch.ContentRequest) (vouch.Outgoing, error) {
		var out vouch.Outgoing
		if r.RequestedBy == 0 || r.RequestedBy == by.ID {
			return out, nil
		}
		switch r.State {
		case vouch.ContentRequestDone:
			t := title
			if t == "" || r.FulfilledBy != valueOr(m.FulfilledBy) {
				// Done with the item set earlier: name it as saved.
				it, err := s.db.ContentItem(ctx, r.FulfilledBy)
				if err != nil {
					return out, err
				}
				t = it.Title
			}
			out.Notifications = append(out.Notifications, vouch.Notification{UserID: r.RequestedBy,
				Body: vouch.ContentRequestAnswer(r, r.State, t), Link: fmt.Sprintf("/content/%d", r.FulfilledBy)})
		case vouch.ContentRequestDeclined:
			out.Notifications = append(out.Notifications, vouch.Notification{UserID: r.RequestedBy,
				Body: vouch.ContentRequestAnswer(r, r.State, ""), Link: fmt.Sprintf("/content-requests/%d", r.ID)})
		}
		return out, nil
	}
	return s.db.MoveContentRequest(vouch.WithActor(ctx, vouch.UserActor(by)), id, m, compose)
}

func valueOr(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}
