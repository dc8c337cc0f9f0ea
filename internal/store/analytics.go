package store

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"github.com/vouchhq/vouch/internal/vouch"
)

// Bulk reads for the metrics engine (internal/analytics): every row of the
// facts it counts, streamed one at a time so a load of a million
// activities holds no more than the engine's own compact copy. Each reader
// takes ids (nil: every row) so a change can be re-read alone.

// AnalyticsOpportunity is a deal as the metrics engine reads it.
type AnalyticsOpportunity struct {
	ID, AccountID, OwnerID                                        int64
	IndustryID, RegionID, CountryID, ProductID, SegmentID, SizeID int64
	Name                                                          string
	AmountCents                                                   int64
	Currency, Stage, Status                                       string
	CloseDate, CreatedOn                                          vouch.Date
}

// AnalyticsRequest is a reference request as the metrics engine reads it.
type AnalyticsRequest struct {
	ID, OpportunityID, TypeID, RequesterID, AssigneeID int64
	State, OppStage                                    string
	Due                                                vouch.Date
	CreatedAt                                          time.Time
	ClosedAt                                           *time.Time
}

// AnalyticsAsk is an ask as the metrics engine reads it.
type AnalyticsAsk struct {
	ID, RequestID, ReferenceID int64
	State                      string
	SentAt, AnsweredAt         *time.Time
}

// AnalyticsActivity is an activity as the metrics engine reads it.
type AnalyticsActivity struct {
	ID, ReferenceID, TypeID, OpportunityID int64
	Day                                    vouch.Date
	State, ThankYou, OppStage              string
	ThankYouSentOn                         vouch.Date
	Points                                 int
}

// AnalyticsContentUse is a content use as the metrics engine reads it.
type AnalyticsContentUse struct {
	ID, ContentID, UserID, OpportunityID int64
	Kind, OppStage                       string
	At                                   time.Time
}

// AnalyticsRating is a content rating as the metrics engine reads it.
type AnalyticsRating struct {
	ID, ContentID, UserID, OpportunityID int64
	Rating                               int
	At                                   time.Time
}

// AnalyticsFeedback is a feedback form as the metrics engine reads it.
type AnalyticsFeedback struct {
	ID, AskID int64
	Source    string
	Rating    int
	At        time.Time
}

// AnalyticsReference is a reference with its account's segment fields and
// its status history, as the metrics engine reads it.
type AnalyticsReference struct {
	ID, AccountID, OwnerID                             int64
	Name                                               string
	IndustryID, RegionID, CountryID, SegmentID, SizeID int64
	ProductIDs                                         []int64 // the account's products
	LastVerified                                       vouch.Date
	CapacityOverride                                   *int
	Events                                             []AnalyticsStatusEvent // oldest first
}

// AnalyticsStatusEvent is one status change of a reference.
type AnalyticsStatusEvent struct {
	id    int64
	To    string
	Until vouch.Date
	At    time.Time
}

// AnalyticsContent is a content item as the metrics engine reads it.
type AnalyticsContent struct {
	ID, OwnerID int64
	Title       string
	CreatedAt   time.Time
}

// idChunk is how many ids one IN list holds.
const idChunk = 500

// eachChunk runs q once for all rows (ids nil) or once per chunk of ids,
// with " WHERE <col> IN (…)" (or " AND …" when q has a WHERE) appended.
func (db *DB) eachChunk(ctx context.Context, q, col string, ids []int64, scan func(*sql.Rows) error) error {
	run := func(query string, args ...any) error {
		rows, err := db.query(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	if ids == nil {
		return run(q)
	}
	join := " WHERE "
	if strings.Contains(q, " WHERE ") {
		join = " AND "
	}
	for len(ids) > 0 {
		n := min(len(ids), idChunk)
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		if err := run(q+join+col+" IN ("+placeholders(n)+")", args...); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

func nullTimePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// EachAnalyticsOpportunity streams the opportunities with the given ids (nil: all).
func (db *DB) EachAnalyticsOpportunity(ctx context.Context, ids []int64, fn func(*AnalyticsOpportunity) error) error {
	return db.eachChunk(ctx, `SELECT id, COALESCE(account_id, 0), COALESCE(owner_id, 0), COALESCE(industry_id, 0),
		COALESCE(region_id, 0), COALESCE(country_id, 0), COALESCE(product_id, 0), COALESCE(segment_id, 0), COALESCE(size_id, 0),
		name, amount, currency, stage, status, close_date, created_on FROM opportunities`, "id", ids, func(rows *sql.Rows) error {
		var o AnalyticsOpportunity
		var closeDate, createdOn string
		if err := rows.Scan(&o.ID, &o.AccountID, &o.OwnerID, &o.IndustryID, &o.RegionID, &o.CountryID, &o.ProductID, &o.SegmentID,
			&o.SizeID, &o.Name, &o.AmountCents, &o.Currency, &o.Stage, &o.Status, &closeDate, &createdOn); err != nil {
			return err
		}
		o.CloseDate, _ = vouch.ParseDate(closeDate)
		o.CreatedOn, _ = vouch.ParseDate(createdOn)
		return fn(&o)
	})
}

// EachAnalyticsRequest streams the requests with the given ids (nil: all).
func (db *DB) EachAnalyticsRequest(ctx context.Context, ids []int64, fn func(*AnalyticsRequest) error) error {
	return db.eachChunk(ctx, `SELECT id, opportunity_id, activity_type_id, requester_id, COALESCE(assignee_id, 0), state,
		opp_stage, due_date, created_at, closed_at FROM requests`, "id", ids, func(rows *sql.Rows) error {
		var r AnalyticsRequest
		var due string
		var closed sql.NullTime
		if err := rows.Scan(&r.ID, &r.OpportunityID, &r.TypeID, &r.RequesterID, &r.AssigneeID, &r.State, &r.OppStage, &due,
			&r.CreatedAt, &closed); err != nil {
			return err
		}
		r.Due, _ = vouch.ParseDate(due)
		r.CreatedAt, r.ClosedAt = r.CreatedAt.UTC(), nullTimePtr(closed)
		return fn(&r)
	})
}

// EachAnalyticsAsk streams the asks with the given ids (nil: all).
func (db *DB) EachAnalyticsAsk(ctx context.Context, ids []int64, fn func(*AnalyticsAsk) error) error {
	return db.eachChunk(ctx, `SELECT id, request_id, ref_id, state, sent_at, answered_at FROM asks`, "id", ids,
		func(rows *sql.Rows) error {
			var a AnalyticsAsk
			var sent, answered sql.NullTime
			if err := rows.Scan(&a.ID, &a.RequestID, &a.ReferenceID, &a.State, &sent, &answered); err != nil {
				return err
			}
			a.SentAt, a.AnsweredAt = nullTimePtr(sent), nullTimePtr(answered)
			return fn(&a)
		})
}

const analyticsActivityQuery = `SELECT id, ref_id, type_id, COALESCE(opportunity_id, 0), occurred_on, state, thank_you,
	thank_you_sent_on, points, opp_stage FROM activities`

func scanAnalyticsActivity(fn func(*AnalyticsActivity) error) func(*sql.Rows) error {
	return func(rows *sql.Rows) error {
		var a AnalyticsActivity
		var day, sent string
		if err := rows.Scan(&a.ID, &a.ReferenceID, &a.TypeID, &a.OpportunityID, &day, &a.State, &a.ThankYou, &sent, &a.Points,
			&a.OppStage); err != nil {
			return err
		}
		a.Day, _ = vouch.ParseDate(day)
		a.ThankYouSentOn, _ = vouch.ParseDate(sent)
		return fn(&a)
	}
}

// EachAnalyticsActivity streams the activities with the given ids (nil: all).
func (db *DB) EachAnalyticsActivity(ctx context.Context, ids []int64, fn func(*AnalyticsActivity) error) error {
	return db.eachChunk(ctx, analyticsActivityQuery, "id", ids, scanAnalyticsActivity(fn))
}

// EachAnalyticsActivityOf streams the activities of the given references.
func (db *DB) EachAnalyticsActivityOf(ctx context.Context, refIDs []int64, fn func(*AnalyticsActivity) error) error {
	if refIDs == nil {
		refIDs = []int64{}
	}
	return db.eachChunk(ctx, analyticsActivityQuery, "ref_id", refIDs, scanAnalyticsActivity(fn))
}

// EachAnalyticsContentUse streams the uses of the given content items (nil: all).
func (db *DB) EachAnalyticsContentUse(ctx context.Context, contentIDs []int64, fn func(*AnalyticsContentUse) error) error {
	return db.eachChunk(ctx, `SELECT id, content_id, COALESCE(user_id, 0), COALESCE(opportunity_id, 0), kind, opp_stage, at
		FROM content_uses`, "content_id", contentIDs, func(rows *sql.Rows) error {
		var u AnalyticsContentUse
		if err := rows.Scan(&u.ID, &u.ContentID, &u.UserID, &u.OpportunityID, &u.Kind, &u.OppStage, &u.At); err != nil {
			return err
		}
		u.At = u.At.UTC()
		return fn(&u)
	})
}

// EachAnalyticsRating streams the ratings of the given content items (nil: all).
func (db *DB) EachAnalyticsRating(ctx context.Context, contentIDs []int64, fn func(*AnalyticsRating) error) error {
	return db.eachChunk(ctx, `SELECT id, content_id, user_id, COALESCE(opportunity_id, 0), rating, at FROM content_ratings`,
		"content_id", contentIDs, func(rows *sql.Rows) error {
			var r AnalyticsRating
			if err := rows.Scan(&r.ID, &r.ContentID, &r.UserID, &r.OpportunityID, &r.Rating, &r.At); err != nil {
				return err
			}
			r.At = r.At.UTC()
			return fn(&r)
		})
}

// EachAnalyticsFeedback streams the feedback forms with the given ids (nil: all).
func (db *DB) EachAnalyticsFeedback(ctx context.Context, ids []int64, fn func(*AnalyticsFeedback) error) error {
	return db.eachChunk(ctx, `SELECT id, ask_id, source, rating, created_at FROM feedback`, "id", ids,
		func(rows *sql.Rows) error {
			var f AnalyticsFeedback
			if err := rows.Scan(&f.ID, &f.AskID, &f.Source, &f.Rating, &f.At); err != nil {
				return err
			}
			f.At = f.At.UTC()
			return fn(&f)
		})
}

// EachAnalyticsContent streams the content items with the given ids (nil: all).
func (db *DB) EachAnalyticsContent(ctx context.Context, ids []int64, fn func(*AnalyticsContent) error) error {
	return db.eachChunk(ctx, `SELECT id, COALESCE(owner_id, 0), title, created_at FROM content_items`, "id", ids,
		func(rows *sql.Rows) error {
			var c AnalyticsContent
			if err := rows.Scan(&c.ID, &c.OwnerID, &c.Title, &c.CreatedAt); err != nil {
				return err
			}
			c.CreatedAt = c.CreatedAt.UTC()
			return fn(&c)
		})
}

// AnalyticsReferences reads the references with the given ids (nil: all)
// with their accounts' segment fields and products and their status
// history, handing each to fn in id order.
func (db *DB) AnalyticsReferences(ctx context.Context, ids []int64, fn func(*AnalyticsReference) error) error {
	refs := map[int64]*AnalyticsReference{}
	var order []int64
	accounts := map[int64][]*AnalyticsReference{}
	err := db.eachChunk(ctx, `SELECT r.id, r.account_id, COALESCE(r.owner_id, 0), r.name, r.last_verified, r.capacity_override,
		COALESCE(a.industry_id, 0), COALESCE(a.region_id, 0), COALESCE(a.country_id, 0), COALESCE(a.segment_id, 0),
		COALESCE(a.size_id, 0) FROM refs r JOIN accounts a ON a.id = r.account_id`, "r.id", ids, func(rows *sql.Rows) error {
		r := &AnalyticsReference{}
		var verified string
		var capOverride sql.NullInt64
		if err := rows.Scan(&r.ID, &r.AccountID, &r.OwnerID, &r.Name, &verified, &capOverride, &r.IndustryID, &r.RegionID,
			&r.CountryID, &r.SegmentID, &r.SizeID); err != nil {
			return err
		}
		r.LastVerified, _ = vouch.ParseDate(verified)
		if capOverride.Valid {
			n := int(capOverride.Int64)
			r.CapacityOverride = &n
		}
		refs[r.ID] = r
		order = append(order, r.ID)
		accounts[r.AccountID] = append(accounts[r.AccountID], r)
		return nil
	})
	if err != nil || len(order) == 0 {
		return err
	}
	var refIDs, accountIDs []int64
	if ids != nil {
		refIDs = order
		for id := range accounts {
			accountIDs = append(accountIDs, id)
		}
	}
	err = db.eachChunk(ctx, `SELECT account_id, value_id FROM account_products`, "account_id", accountIDs,
		func(rows *sql.Rows) error {
			var acct, value int64
			if err := rows.Scan(&acct, &value); err != nil {
				return err
			}
			for _, r := range accounts[acct] {
				r.ProductIDs = append(r.ProductIDs, value)
			}
			return nil
		})
	if err != nil {
		return err
	}
	err = db.eachChunk(ctx, `SELECT ref_id, id, to_status, until, at FROM ref_status_events`, "ref_id", refIDs,
		func(rows *sql.Rows) error {
			var refID int64
			var e AnalyticsStatusEvent
			var until string
			if err := rows.Scan(&refID, &e.id, &e.To, &until, &e.At); err != nil {
				return err
			}
			e.Until, _ = vouch.ParseDate(until)
			e.At = e.At.UTC()
			if r := refs[refID]; r != nil {
				r.Events = append(r.Events, e)
			}
			return nil
		})
	if err != nil {
		return err
	}
	slices.Sort(order)
	for _, id := range order {
		r := refs[id]
		sortStatusEvents(r.Events)
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// sortStatusEvents orders events as they happened: by time, then by id.
func sortStatusEvents(es []AnalyticsStatusEvent) {
	slices.SortFunc(es, func(a, b AnalyticsStatusEvent) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
}
