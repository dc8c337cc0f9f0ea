package references

import (
	"context"
	"strings"

	"github.com/vouchhq/vouch/internal/vouch"
)

// LogActivity records something a reference did; it counts against the
// reference's capacity. The type must be a current activity type (a retired
// one is not newly logged), the day is required and the notes are short.
func (s *Service) LogActivity(ctx context.Context, a *vouch.Activity) error {
	var v vouch.Validation
	a.Notes = strings.TrimSpace(a.Notes)
	if a.TypeID == 0 {
		v.Add("activity_type", "is required")
	} else if t := s.cat.Value(a.TypeID); t == nil || t.Kind != vouch.TaxActivityType {
		v.Add("activity_type", "is not a known activity type")
	} else if t.Retired {
		v.Add("activity_type", vouch.RetiredValue(t))
	}
	if a.OccurredOn.IsZero() {
		v.Add("occurred_on", "is required")
	}
	if len(a.Notes) > 5000 {
		v.Add("notes", "must be at most 5,000 characters")
	}
	if err := v.Err(); err != nil {
		return err
	}
	return s.db.LogActivity(ctx, a)
}
