package content

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/vouchhq/vouch/internal/vouch"
)

// RemindDays is how long before a customer's consent ends the item's owner
// is told, once, so there is time to ask the customer to renew it.
const RemindDays = 30

// Expiring returns the approved items whose consent ends within days of
// today (or has ended and is not yet recorded), soonest first, with the day
// each owner was reminded (absent: not yet).
func (s *Service) Expiring(ctx context.Context, today vouch.Date, days int) ([]*vouch.ContentItem, map[int64]vouch.Date, error) {
	return s.db.ContentExpiring(ctx, today.AddDays(days))
}

// ExpiryRun is what one pass of the daily consent work did.
type ExpiryRun struct {
	Expired  int // items whose consent ended, now recorded as expired
	Reminded int // owners told that an item's consent ends within RemindDays
}

// RunExpiry does the day's consent work: every approved item whose consent
// ended by today becomes expired (with an entry in its history), and the
// owner of every item whose consent ends within RemindDays is told once, by
// an in-app notification and a mail. baseURL makes the mail's link absolute.
// It is safe to run as often as wanted, on every instance: what was done
// today is not done again.
func (s *Service) RunExpiry(ctx context.Context, baseURL string) (ExpiryRun, error) {
	var run ExpiryRun
	// The history and the audit log say the system did it, whoever called.
	ctx = vouch.WithActor(ctx, vouch.Actor{Label: "system"})
	n, err := s.db.ExpireContent(ctx)
	switch {
	case vouch.ErrorCode(err) == vouch.ECONFLICT:
		// Another instance recorded the same expiries at the same moment;
		// what is left is found on the next pass.
	case err != nil:
		return run, fmt.Errorf("expiring content: %w", err)
	}
	run.Expired = n
	today := s.db.Today()
	items, reminded, err := s.db.ContentExpiring(ctx, today.AddDays(RemindDays))
	if err != nil {
		return run, fmt.Errorf("content expiring soon: %w", err)
	}
	for _, it := range items {
		if _, done := reminded[it.ID]; done || it.OwnerID == 0 || !it.ExpiresOn.After(today) {
			continue // told already; nobody to tell (the expiring list shows it); or ended meanwhile
		}
		owner, err := s.db.User(ctx, it.OwnerID)
		if vouch.ErrorCode(err) == vouch.ENOTFOUND {
			continue
		} else if err != nil {
			return run, err
		}
		if owner.Disabled {
			continue
		}
		sent, err := s.db.RemindContentOwner(ctx, it.ID, today, expiryReminder(it, owner, today, baseURL))
		if err != nil {
			return run, fmt.Errorf("reminding the owner of content item %d: %w", it.ID, err)
		}
		if sent {
			run.Reminded++
		}
	}
	return run, nil
}

// expiryReminder is what tells an item's owner that its consent ends soon.
func expiryReminder(it *vouch.ContentItem, owner *vouch.User, today vouch.Date, baseURL string) vouch.Outgoing {
	left := today.DaysUntil(it.ExpiresOn)
	when := fmt.Sprintf("in %d days", left)
	if left == 1 {
		when = "tomorrow"
	}
	day := it.ExpiresOn.Time().Format("2 Jan 2006")
	link := fmt.Sprintf("/content/%d", it.ID)
	approved := "the customer"
	if it.ApprovedBy != "" {
		approved = it.ApprovedBy
	}
	body := fmt.Sprintf("Hello %s,\n\nThe customer's consent to use “%s” ends %s, on %s. After that day sellers no longer find it and it can no longer be shared with buyers.\n\nTo keep it in use, ask %s to renew their approval and record it with “Renew” on the list of expiring content:\n%s/content/expiring\n\nThe item: %s%s\n",
		owner.Name, it.Title, when, day, approved, baseURL, baseURL, link)
	return vouch.Outgoing{
		Mails: []vouch.Mail{{To: owner.Email, Subject: fmt.Sprintf("Consent for “%s” ends %s", it.Title, day), Body: body}},
		Notifications: []vouch.Notification{{UserID: owner.ID, Link: link,
			Body: fmt.Sprintf("Consent for “%s” ends %s (%s): ask the customer to renew it", it.Title, when, day)}},
	}
}

// RunExpiryEvery calls RunExpiry at once and then every interval until ctx
// ends. The work is the day's, so a pass an hour is enough for it to land
// soon after midnight in the program's zone; passes between find nothing new.
func (s *Service) RunExpiryEvery(ctx context.Context, interval time.Duration, baseURL func() string, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if run, err := s.RunExpiry(ctx, baseURL()); err != nil && ctx.Err() == nil {
			log.Error("content consent expiry", "err", err)
		} else if run.Expired > 0 || run.Reminded > 0 {
			log.Info("content consent", "expired", run.Expired, "owners_reminded", run.Reminded)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
