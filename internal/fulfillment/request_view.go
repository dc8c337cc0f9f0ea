package fulfillment

import (
	"context"

	"github.com/vouchhq/vouch/internal/refindex"
	"github.com/vouchhq/vouch/internal/vouch"
)

// RequestView is what one user sees of a request: the request, the asks
// they may see, and how much they see (vouch.SightOf decides).
type RequestView struct {
	Request *vouch.Request
	Asks    []*vouch.Ask
	Sight   vouch.RequestSight
	// AskOwners maps each ask to the owner of its reference's account.
	AskOwners map[int64]int64
	// Stage is where the request stands and whose move it is, read from
	// all its asks (vouch.StageOf).
	Stage vouch.RequestStage
}

// SeesReference reports whether the view shows anything about reference
// refID: always when it shows the whole request, else only the references
// of the asks shown (a timeline entry about another account's customer is
// left out).
func (v *RequestView) SeesReference(refID int64) bool {
	if v.Sight == vouch.SeesAll || refID == 0 {
		return true
	}
	for _, a := range v.Asks {
		if a.ReferenceID == refID {
			return true
		}
	}
	return false
}

// ViewRequest reads request id as u may see it. Someone who may not see it
// is told it does not exist, in the words of a missing one, so that
// sellers cannot probe each other's ids.
func (s *Service) ViewRequest(ctx context.Context, u *vouch.User, id int64) (*RequestView, error) {
	req, err := s.db.Request(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.viewOf(ctx, u, req)
}

func (s *Service) viewOf(ctx context.Context, u *vouch.User, req *vouch.Request) (*RequestView, error) {
	owners, err := s.db.AskAccountOwners(ctx, req.ID)
	if err != nil {
		return nil, err
	}
	sight := vouch.SightOf(u, req, owners)
	if sight == vouch.SeesNothing {
		return nil, vouch.Errorf(vouch.ENOTFOUND, "Request %d not found.", req.ID)
	}
	asks, err := s.db.Asks(ctx, req.ID)
	if err != nil {
		return nil, err
	}
	rated := map[int64]bool{}
	if req.State == vouch.RequestCompleted {
		if rated, err = s.db.SellerRatedAsks(ctx, []int64{req.ID}); err != nil {
			return nil, err
		}
	}
	v := &RequestView{Request: req, Sight: sight, AskOwners: owners, Asks: []*vouch.Ask{},
		Stage: vouch.StageOf(req, asks, rated, s.now(), s.db.Clock.Zone())}
	for _, a := range asks {
		if sight.SeesAsk(u, owners[a.ID]) {
			v.Asks = append(v.Asks, a)
		}
	}
	return v, nil
}

// Events returns the timeline of the request in v, oldest first, without
// the entries about references the viewer does not see.
func (s *Service) Events(ctx context.Context, v *RequestView) ([]vouch.RequestEvent, error) {
	events, err := s.db.RequestEvents(ctx, v.Request.ID)
	if err != nil {
		return nil, err
	}
	out := events[:0]
	for _, e := range events {
		if v.SeesReference(e.ReferenceID) {
			out = append(out, e)
		}
	}
	return out, nil
}

// RequestFeedback returns the feedback given on the asks in v.
func (s *Service) RequestFeedback(ctx context.Context, v *RequestView) ([]vouch.Feedback, error) {
	all, err := s.db.Feedback(ctx, v.Request.ID)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, f := range all {
		for _, a := range v.Asks {
			if a.ID == f.AskID {
				out = append(out, f)
			}
		}
	}
	return out, nil
}

// MatchesFor ranks the references for the request in v and returns the
// page of limit after offset, for a viewer who may see the ranked list: its
// requester and the program team. The owner of an asked account sees the
// ask about their customer, not the list.
func (s *Service) MatchesFor(ctx context.Context, v *RequestView, offset, limit int) (refindex.MatchResult, error) {
	if !v.Sight.SeesMatches() {
		return refindex.MatchResult{}, vouch.Errorf(vouch.EFORBIDDEN,
			"The ranked matches of request %d are for its requester and the program team.", v.Request.ID)
	}
	return s.Matches(ctx, v.Request, offset, limit)
}

// IneligibleFor lists a page of the references that fail a hard rule of the
// request in v, each with the rules it fails. It is for the program team
// only: the list names do-not-contact and retired customers, which sellers
// must not be shown.
func (s *Service) IneligibleFor(ctx context.Context, u *vouch.User, v *RequestView, offset, limit int) (refindex.IneligibleResult, error) {
	if !u.Can(vouch.PermManageProgram) || !v.Sight.SeesMatches() {
		return refindex.IneligibleResult{}, vouch.Errorf(vouch.EFORBIDDEN,
			"The references that fail the rules of request %d are for the program team.", v.Request.ID)
	}
	q, err := s.matchQuery(ctx, v.Request)
	if err != nil {
		return refindex.IneligibleResult{}, err
	}
	q.Offset, q.Limit = offset, limit
	return s.ix.Ineligible(q), nil
}

// Stage is where a request in a list stands and whose move it is, with the
// states it may be moved to by hand.
type Stage struct {
	vouch.RequestStage
	Moves []vouch.RequestState
}

// Stages decides the stage of each request (vouch.StageOf), reading the
// asks and ratings of them all in two queries: the lists show every
// request's stage without a query per row. The stage of a request is
// about the request, so it is read from all its asks, whoever looks.
func (s *Service) Stages(ctx context.Context, reqs []*vouch.Request) (map[int64]Stage, error) {
	ids := make([]int64, len(reqs))
	for i, r := range reqs {
		ids[i] = r.ID
	}
	asks, err := s.db.AsksOfRequests(ctx, ids)
	if err != nil {
		return nil, err
	}
	rated, err := s.db.SellerRatedAsks(ctx, ids)
	if err != nil {
		return nil, err
	}
	now, zone := s.now(), s.db.Clock.Zone()
	out := make(map[int64]Stage, len(reqs))
	for _, r := range reqs {
		out[r.ID] = Stage{RequestStage: vouch.StageOf(r, asks[r.ID], rated, now, zone), Moves: vouch.RequestMoves(r, asks[r.ID])}
	}
	return out, nil
}

// SeesRequests reports, for each of the requests ids, whether u may open
// it (vouch.SightOf, the account owners of its asks counted): pages link
// to a request only for those who would not get a 404. The program team
// opens every request, so its ids are not read; for anyone else an id with
// no request is not seen.
func (s *Service) SeesRequests(ctx context.Context, u *vouch.User, ids []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	for _, id := range ids {
		if _, done := out[id]; done || id == 0 {
			continue
		}
		if u.Can(vouch.PermManageProgram) {
			out[id] = true
			continue
		}
		req, err := s.db.Request(ctx, id)
		if vouch.ErrorCode(err) == vouch.ENOTFOUND {
			out[id] = false
			continue
		} else if err != nil {
			return nil, err
		}
		owners := map[int64]int64{}
		if req.RequesterID != u.ID {
			if owners, err = s.db.AskAccountOwners(ctx, id); err != nil {
				return nil, err
			}
		}
		out[id] = vouch.SightOf(u, req, owners) != vouch.SeesNothing
	}
	return out, nil
}
