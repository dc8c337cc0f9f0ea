package references

import (
	"context"
	"strings"

	"github.com/vouchhq/vouch/internal/vouch"
)

// LogActivity records something a reference did; it counts against the
// reference's capacity. The type must be a current activity type (a retired
// one is not newly logged), the day is required and the notes are short.
// Every problem is reported at once.
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
	switch t := s.cat.Value(a.TypeID); {
	case a.TypeID == 0:
		v.Add("activity_type", "is required") // unless a reason is recorded already
	case t == nil || t.Kind != vouch.TaxActivityType:
		v.Add("activity_type", "is not a known activity type")
	case t.Retired:
		v.Add("activity_type", vouch.RetiredValue(t))
	}
	if a.OccurredOn = date(&v, "occurred_on", in.OccurredOn); a.OccurredOn.IsZero() {
		v.Add("occurred_on", "is required")
	}
	if len(a.Notes) > 5000 {
		v.Add("notes", "must be at most 5,000 characters")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if err := s.db.LogActivity(ctx, a); err != nil {
		return nil, err
	}
	return a, nil
}
