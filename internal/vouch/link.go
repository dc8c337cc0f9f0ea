package vouch

import "time"

// Link purposes: what a signed link lets its holder do.
const (
	LinkAnswer           = "answer"            // the advocate answers an ask
	LinkSellerFeedback   = "seller_feedback"   // the seller rates a completed ask
	LinkAdvocateFeedback = "advocate_feedback" // the advocate rates a completed ask
)

// NewLink is a signed link to store with a change: only the hash of its
// secret part is kept, so a copy of the database cannot be used to answer.
type NewLink struct {
	Purpose   string
	NonceHash string
	ExpiresAt time.Time
}

// Link is a stored signed link.
type Link struct {
	ID        int64
	Purpose   string
	AskID     int64
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

// Link errors people see on the public pages.
var (
	ErrLinkInvalid = Errorf(ENOTFOUND, "This link is not valid.")
	ErrLinkUsed    = Errorf(ECONFLICT, "This link has already been used.")
	ErrLinkExpired = Errorf(ECONFLICT, "This link has expired.")
)

// CheckLinkUse says why a link may not be used at now: used before, or
// expired. nil means it may.
func CheckLinkUse(l *Link, now time.Time) error {
	if l.UsedAt != nil {
		return ErrLinkUsed
	}
	if !now.Before(l.ExpiresAt) {
		return ErrLinkExpired
	}
	return nil
}
