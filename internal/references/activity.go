package references

import (
	"context"
	"strings"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// LogActivity records something a reference did; it counts against the
// reference's capacity. The type must be a current activity type (a retired
// one is not newly logged), the day is required and the notes are short.
// It may name the opportunity it helped (by id or CRM id): one the person
// logging may see (a seller: their own; the program team: any). The store
// records the deal's stage and amount as they are at that moment. Every
// problem is reported at once.
func (s *Service) LogActivity(ctx context.Context, in vouch.ActivityLog) (*vouch.Activity, error) {
	var v vouch.Validation
	for f, reason := range in.Unreadable {
		v.Add(f, reason)
	}
	a := &vouch.Activity{ReferenceID: in.ReferenceID, TypeID: in.TypeID, Notes: strings.TrimSpace(in.Notes)}
	if a.TypeID == 0 && strings.TrimSpace(in.Type) != "" {
		if a.TypeID = s.Lookup(vouch.TaxActivityType, in.Type); a.TypeID == 0 {
			v.Add("activity_type", s.UnknownValue(vouch.TaxActivityType, in.Type))
		}
	}
	s.checkActivityType(&v, a.TypeID, in.Type)
	if a.OccurredOn = date(&v, "occurred_on", in.OccurredOn); a.OccurredOn.IsZero() {
		v.Add("occurred_on", "is required")
	}
	if len(a.Notes) > 5000 {
		v.Add("notes", "must be at most 5,000 characters")
	}
	id, err := s.activityOpportunity(ctx, &v, in)
	if err != nil {
		return nil, err
	}
	a.OpportunityID = id
	if err := v.Err(); err != nil {
		return nil, err
	}
	if err := s.db.LogActivity(ctx, a); err != nil {
		return nil, err
	}
	return a, nil
}

func (s *Service) checkActivityType(v *vouch.Validation, id int64, name string) {
	switch t := s.cat.Value(id); {
	case id == 0 && strings.TrimSpace(name) != "":
		// reported as unknown already
	case id == 0:
		v.Add("activity_type", "is required")
	case t == nil || t.Kind != vouch.TaxActivityType:
		v.Add("activity_type", "is not a known activity type")
	case t.Retired:
		v.Add("activity_type", vouch.RetiredValue(t))
	}
}

// activityOpportunity resolves the opportunity an activity names, into v
// when it is unknown or not the logger's to name.
func (s *Service) activityOpportunity(ctx context.Context, v *vouch.Validation, in vouch.ActivityLog) (int64, error) {
	var opp *vouch.Opportunity
	switch crm := strings.TrimSpace(in.Opportunity); {
	case in.OpportunityID != 0:
		o, err := s.db.Opportunity(ctx, in.OpportunityID)
		if vouch.ErrorCode(err) == vouch.ENOTFOUND {
			v.Add("opportunity", "is not a known opportunity")
			return 0, nil
		} else if err != nil {
			return 0, err
		}
		opp = o
	case crm != "":
		o, err := s.db.OpportunityByCRMID(ctx, crm)
		if vouch.ErrorCode(err) == vouch.ENOTFOUND {
			v.Add("opportunity", "is unknown: no opportunity has the CRM id "+crm)
			return 0, nil
		} else if err != nil {
			return 0, err
		}
		opp = o
	default:
		return 0, nil
	}
	if in.By != nil && !vouch.MayRequestFor(in.By, opp) {
		// Said as of an unknown one: a seller learns nothing of others' deals.
		v.Add("opportunity", "is not one of your opportunities")
		return 0, nil
	}
	return opp.ID, nil
}

// LogActivities records past activities inside an import's batch, each
// checked as LogActivity checks one (a current activity type, a day,
// short notes); the importer has resolved references and opportunities
// and decided each one's stage at request. One bad activity fails them all.
func (s *Service) LogActivities(b *store.Batch, as []*vouch.Activity) error {
	for _, a := range as {
		var v vouch.Validation
		s.checkActivityType(&v, a.TypeID, "")
		if a.OccurredOn.IsZero() {
			v.Add("occurred_on", "is required")
		}
		if a.Notes = strings.TrimSpace(a.Notes); len(a.Notes) > 5000 {
			v.Add("notes", "must be at most 5,000 characters")
		}
		if a.Points < 0 {
			v.Add("points", "must not be negative")
		}
		if err := v.Err(); err != nil {
			return err
		}
	}
	return b.LogActivities(as)
}
