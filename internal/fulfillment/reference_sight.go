package fulfillment

import (
	"context"

	"github.com/vouchhq/vouch/internal/refindex"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Sight is what one user sees of references (vouch.SightOfReference), with
// the data the rule needs read once: the program's contact setting and, for
// a seller, the references whose advocate accepted an ask on one of their
// requests. A list decides each row with it without another query.
type Sight struct {
	user     *vouch.User
	setting  vouch.ContactSight
	accepted map[int64]bool
}

// SightFor reads what u sees of references.
func (s *Service) SightFor(ctx context.Context, u *vouch.User) (*Sight, error) {
	v := &Sight{user: u, setting: s.ix.Catalog().ProgramSettings().SellerContact, accepted: map[int64]bool{}}
	// Only a seller under "once accepted" depends on their asks.
	if u != nil && vouch.OnlyRequestable(u) && u.Can(vouch.PermReadReferences) && v.setting != vouch.ContactNever && v.setting != vouch.ContactAlways {
		var err error
		if v.accepted, err = s.db.AcceptedReferences(ctx, u.ID); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// Of decides how much the user sees of the reference refID whose status
// (as of today) is status.
func (v *Sight) Of(refID int64, status vouch.Status) vouch.ReferenceSight {
	return vouch.SightOfReference(v.user, status, v.setting, v.accepted[refID])
}

// OnlyRequestable reports whether the user's lists leave out the
// references a seller may not request (refindex.Query.Requestable).
func (v *Sight) OnlyRequestable() bool { return vouch.OnlyRequestable(v.user) }

// Hit returns hit as the user may see it: contact details and status
// reason blanked when hidden from them, and whether it is listed at all.
func (v *Sight) Hit(hit refindex.Hit) (refindex.Hit, vouch.ReferenceSight) {
	sight := v.Of(hit.Reference.ID, hit.Status)
	hit.Reference = sight.Redact(hit.Reference)
	return hit, sight
}

// Hits returns the hits as the user may see them, leaving out any they may
// not (a search with Query.Requestable has none of those already).
func (v *Sight) Hits(hits []refindex.Hit) []refindex.Hit {
	out := make([]refindex.Hit, 0, len(hits))
	for _, h := range hits {
		if h, sight := v.Hit(h); sight.Listed {
			out = append(out, h)
		}
	}
	return out
}

// Reference is the reference id from the index as u may see it; a
// reference u may not see is not found, like one that does not exist, so
// that sellers cannot probe for the customers they must not approach.
func (s *Service) Reference(ctx context.Context, u *vouch.User, id int64) (refindex.Hit, vouch.ReferenceSight, error) {
	hit, ok := s.ix.Get(id)
	if !ok {
		return refindex.Hit{}, vouch.ReferenceSight{}, vouch.Errorf(vouch.ENOTFOUND, "Reference %d not found.", id)
	}
	v, err := s.SightFor(ctx, u)
	if err != nil {
		return refindex.Hit{}, vouch.ReferenceSight{}, err
	}
	hit, sight := v.Hit(hit)
	if !sight.Listed {
		return refindex.Hit{}, sight, vouch.Errorf(vouch.ENOTFOUND, "Reference %d not found.", id)
	}
	return hit, sight, nil
}
