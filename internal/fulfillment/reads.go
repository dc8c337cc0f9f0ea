package fulfillment

import (
	"context"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/vouch"
)

// The reads the pages and the API show of the request loop. They go
// through the service so that what a user may list is decided once.

// ListRequests returns the requests matching f that u may list, soonest
// due first, and how many match: the program team lists every request,
// anyone else only those they made.
func (s *Service) ListRequests(ctx context.Context, u *vouch.User, f vouch.RequestFilter) ([]*vouch.Request, int, error) {
	if !u.Can(vouch.PermManageProgram) {
		f.RequesterID = u.ID
	}
	return s.db.ListRequests(ctx, f)
}

// RequestsAwaitingApproval returns the open requests with an ask awaiting
// u's approval as the owner of the reference's account.
func (s *Service) RequestsAwaitingApproval(ctx context.Context, u *vouch.User) ([]*vouch.Request, error) {
	return s.db.RequestsAwaitingApproval(ctx, u.ID)
}

// AskByID reads one ask.
func (s *Service) AskByID(ctx context.Context, id int64) (*vouch.Ask, error) {
	return s.db.Ask(ctx, id)
}

// Opportunity reads one opportunity.
func (s *Service) Opportunity(ctx context.Context, id int64) (*vouch.Opportunity, error) {
	return s.db.Opportunity(ctx, id)
}

// OpportunitiesByID reads opportunities by id, in one query.
func (s *Service) OpportunitiesByID(ctx context.Context, ids []int64) (map[int64]*vouch.Opportunity, error) {
	return s.db.OpportunitiesByID(ctx, ids)
}

// ListOpportunities returns a page of opportunities matching f, newest
// first, and how many match.
func (s *Service) ListOpportunities(ctx context.Context, f vouch.OpportunityFilter) ([]*vouch.Opportunity, int, error) {
	return s.db.ListOpportunities(ctx, f)
}

// Notifications returns u's newest notifications (at most limit) and how
// many are unread. A notification keeps its link only while the request it
// leads to is u's to open (an account changes owner, a role changes): no
// notification leads to a 404.
func (s *Service) Notifications(ctx context.Context, u *vouch.User, limit int) ([]vouch.Notification, int, error) {
	list, unread, err := s.db.Notifications(ctx, u.ID, limit)
	if err != nil {
		return nil, 0, err
	}
	var ids []int64
	for _, n := range list {
		if id, ok := requestOfLink(n.Link); ok {
			ids = append(ids, id)
		}
	}
	sees, err := s.SeesRequests(ctx, u, ids)
	if err != nil {
		return nil, 0, err
	}
	for i, n := range list {
		if id, ok := requestOfLink(n.Link); ok && !sees[id] {
			list[i].Link = ""
		}
	}
	return list, unread, nil
}

// requestOfLink is the request a notification's link leads to, if it
// leads to one ("/requests/12", "/requests/12#asks").
func requestOfLink(link string) (int64, bool) {
	rest, ok := strings.CutPrefix(link, "/requests/")
	if !ok {
		return 0, false
	}
	rest, _, _ = strings.Cut(rest, "#")
	id, err := strconv.ParseInt(rest, 10, 64)
	return id, err == nil && id > 0
}

// UnreadNotifications counts u's unread notifications.
func (s *Service) UnreadNotifications(ctx context.Context, u *vouch.User) (int, error) {
	return s.db.UnreadNotifications(ctx, u.ID)
}

// MarkNotificationsRead marks u's notifications ids read.
func (s *Service) MarkNotificationsRead(ctx context.Context, u *vouch.User, ids []int64) error {
	return s.db.MarkNotificationsRead(ctx, u.ID, ids)
}

// MarkAllNotificationsRead marks every notification of u read.
func (s *Service) MarkAllNotificationsRead(ctx context.Context, u *vouch.User) error {
	return s.db.MarkAllNotificationsRead(ctx, u.ID)
}

// Outbox returns the mails matching f, newest first, and how many match.
func (s *Service) Outbox(ctx context.Context, f vouch.OutboxFilter) ([]vouch.OutboxMail, int, error) {
	return s.db.ListOutbox(ctx, f)
}

// OutboxMail reads one mail of the outbox.
func (s *Service) OutboxMail(ctx context.Context, id int64) (*vouch.OutboxMail, error) {
	return s.db.OutboxMail(ctx, id)
}

// RetryMail sends a mail that failed again, from its first attempt.
func (s *Service) RetryMail(ctx context.Context, id int64) error { return s.db.RetryMail(ctx, id) }

// ActivityTypeRules returns the configured rule of each activity type.
func (s *Service) ActivityTypeRules(ctx context.Context) (map[int64]vouch.ActivityTypeRule, error) {
	return s.db.ActivityTypeRules(ctx)
}

// SetActivityTypeRule saves how requests of one activity type are
// fulfilled (vouch.ActivityTypeRule.Validate checks it).
func (s *Service) SetActivityTypeRule(ctx context.Context, r vouch.ActivityTypeRule) error {
	return s.db.SetActivityTypeRule(ctx, r)
}

// CreateOpportunity adds a deal a seller works on, through the deals
// service (internal/deals), which owns opportunity writes.
func (s *Service) CreateOpportunity(ctx context.Context, o *vouch.Opportunity) error {
	return s.deals.Create(ctx, o)
}

// MarkThankYouSent records that the advocate was thanked, on day, for a done
// activity; kind "" keeps the thank-you the advocate chose.
func (s *Service) MarkThankYouSent(ctx context.Context, activityID int64, kind string, day vouch.Date) error {
	return s.db.MarkThankYouSent(ctx, activityID, kind, day)
}

// Activities reads a reference's activities, newest first.
func (s *Service) Activities(ctx context.Context, refID int64) ([]vouch.Activity, error) {
	return s.db.Activities(ctx, refID)
}

// User reads one user, such as an account's owner who approves an ask.
func (s *Service) User(ctx context.Context, id int64) (*vouch.User, error) {
	return s.db.User(ctx, id)
}

// RecordDealOutcome moves an opportunity to where the CRM says it ended:
// won or lost at stage, closed on day. What requests, activities and content
// uses recorded as its stage at request stays as it was.
func (s *Service) RecordDealOutcome(ctx context.Context, id int64, status vouch.OpportunityStatus, stage string, day vouch.Date) (*vouch.Opportunity, error) {
	o, err := s.db.Opportunity(ctx, id)
	if err != nil {
		return nil, err
	}
	o.Status, o.Stage, o.CloseDate = status, stage, day
	return o, s.deals.Update(ctx, o)
}
