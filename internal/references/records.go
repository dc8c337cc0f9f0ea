package references

import (
	"context"
	"fmt"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Program is accounts with their references, given by ids rather than names,
// as a generator makes them (the demo): Refs[i] belongs to Accounts[AccountOf[i]].
type Program struct {
	Accounts  []*vouch.Account
	Refs      []*vouch.Reference
	AccountOf []int
	// Activities are past activities, by index into Refs.
	Activities map[int][]vouch.Activity
}

// CreateProgram adds a whole program in one transaction, each record held
// to the rules of a single save: fields valid, values current (not
// retired), a new reference nominated, qualifying or active, last verified
// not in the future, activity types current. A reference whose Status is
// later in the lifecycle (resting, retired, do not contact) is created
// active, its activities logged, and then moved there as a program manager
// would, with its reason and day. The first problem refuses all of it,
// naming the record.
func (s *Service) CreateProgram(ctx context.Context, p Program) error {
	today := s.db.Today()
	for _, a := range p.Accounts {
		var v vouch.Validation
		for _, c := range []struct {
			field string
			id    int64
		}{{"industry", a.IndustryID}, {"segment", a.SegmentID}, {"region", a.RegionID}, {"country", a.CountryID}, {"company_size", a.SizeID}} {
			s.checkCurrent(&v, c.field, c.id)
		}
		for _, id := range a.ProductIDs {
			s.checkCurrent(&v, "products", id)
		}
		if err := v.Merge(a.Validate()); err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return fmt.Errorf("account %q: %w", a.Name, err)
		}
	}
	moves := make([]*vouch.StatusChange, len(p.Refs))
	for i, r := range p.Refs {
		if vouch.CheckInitialStatus(r.Status) != "" {
			moves[i] = &vouch.StatusChange{To: r.Status, Reason: r.StatusReason, Until: r.RestingUntil}
			r.Status, r.StatusReason, r.RestingUntil = vouch.StatusActive, "", vouch.Date{}
		}
		var v vouch.Validation
		for _, ids := range [][]int64{r.ProductIDs, r.UseCaseIDs, r.CompetitorIDs} {
			for _, id := range ids {
				s.checkCurrent(&v, "values", id)
			}
		}
		for _, a := range r.Activities {
			s.checkCurrent(&v, "activities", a.TypeID)
		}
		for _, a := range p.Activities[i] {
			s.checkCurrent(&v, "activities", a.TypeID)
		}
		if reason := vouch.CheckVerifiedOn(r.LastVerified, today); reason != "" {
			v.Add("last_verified", reason)
		}
		r.AccountID = -1 // set once the account is stored
		if err := v.Merge(r.Validate()); err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return fmt.Errorf("reference %q: %w", r.Name, err)
		}
	}
	return s.db.Batch(ctx, func(b *store.Batch) error {
		if err := b.CreateAccounts(p.Accounts); err != nil {
			return err
		}
		for i, r := range p.Refs {
			r.AccountID = p.Accounts[p.AccountOf[i]].ID
		}
		if err := b.CreateReferences(p.Refs); err != nil {
			return err
		}
		for i, r := range p.Refs {
			for _, a := range p.Activities[i] {
				a.ReferenceID = r.ID
				if err := b.LogActivity(&a); err != nil {
					return err
				}
			}
			if moves[i] == nil {
				continue
			}
			moved, err := b.ChangeStatus(r.ID, *moves[i])
			if err != nil {
				return fmt.Errorf("reference %q: %w", r.Name, err)
			}
			*r = *moved
		}
		return nil
	})
}

// checkCurrent adds to v when id is not a current picklist value.
func (s *Service) checkCurrent(v *vouch.Validation, field string, id int64) {
	if id == 0 {
		return
	}
	switch t := s.cat.Value(id); {
	case t == nil:
		v.Add(field, "is not a known value")
	case t.Retired:
		v.Add(field, vouch.RetiredValue(t))
	}
}
