package fulfillment

import (
	"context"
	"time"

	"github.com/vouchhq/vouch/internal/vouch"
)

// callTimes writes a call at at for the mails about it: for the advocate
// (no account) in the advocate's zone — the reference's, else the
// program's — and for the user with id userID (the seller) in their own
// zone, with the advocate's time first where the two differ ("Mon 2 Mar
// 2026, 10:00 MST · 18:00 your time"). Pages write it the same way.
func (s *Service) callTimes(ctx context.Context, at time.Time, ref *vouch.Reference, userID int64) (advocate, user string) {
	clock := s.db.Clock
	theirs := clock.LocationFor(ref.TimeZone)
	mine := clock.Zone()
	if u, err := s.db.User(ctx, userID); err == nil {
		mine = clock.LocationFor(u.TimeZone)
	}
	return vouch.TimeIn(at, theirs), vouch.TimeFor(at, theirs, mine)
}
