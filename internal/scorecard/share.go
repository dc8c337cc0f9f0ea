package scorecard

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/vouchhq/vouch/internal/signedlink"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Sharing: read-only scorecard links for executives, and scorecards mailed
// when a month or quarter closes. A link is a signed token (internal/
// signedlink, purpose vouch.ScorecardShareLetter) whose nonce's hash is all
// the database keeps; it shows the scorecard of its stored query and
// nothing else, and stops when it expires or is revoked.

// ScorecardFunc computes the scorecard of a query: the scorecard service
// (with goals) or the metrics engine.
type ScorecardFunc func(ctx context.Context, q vouch.MetricQuery) (*vouch.Scorecard, error)

// Sharing makes, opens and revokes scorecard links and runs scheduled delivery.
type Sharing struct {
	db      *store.DB
	compute ScorecardFunc
	names   func(id int64) string // a taxonomy value's name

	mu     sync.Mutex
	signer *signedlink.Signer
}

// NewSharing returns the sharing service over db; compute makes the
// scorecards, names names taxonomy values for the filters' labels (nil: ids).
func NewSharing(db *store.DB, compute ScorecardFunc, names func(int64) string) *Sharing {
	return &Sharing{db: db, compute: compute, names: names}
}

func (s *Sharing) links(ctx context.Context) (*signedlink.Signer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.signer == nil {
		signer, err := signedlink.Load(ctx, s.db)
		if err != nil {
			return nil, err
		}
		s.signer = signer
	}
	return s.signer, nil
}

// ErrShareInvalid answers a link that was altered or never issued.
var ErrShareInvalid = vouch.Errorf(vouch.ENOTFOUND,
	"This scorecard link is not valid. Check that it was copied whole, or ask whoever sent it to you for a new one.")

// ShareGoneError answers a genuine link that expired or was revoked; it
// names who made it, the person to ask for a new one.
type ShareGoneError struct {
	Revoked bool
	By      string // the maker's name; "" when unknown
}

func (e *ShareGoneError) Error() string {
	ask := "the person who sent it to you"
	if e.By != "" {
		ask = e.By
	}
	if e.Revoked {
		return "This scorecard link has been withdrawn. Ask " + ask + " for a new one."
	}
	return "This scorecard link has expired. Ask " + ask + " for a new one."
}

// ShareInput is what a program manager gives to make a link.
type ShareInput struct {
	Query         vouch.ShareQuery
	Note          string
	ExpiresInDays int // 0: vouch.ShareDefaultDays; else 7, 30 or 90
}

func mayShare(by *vouch.User) error {
	if by == nil || !by.Can(vouch.PermShareScorecard) {
		return vouch.Errorf(vouch.EFORBIDDEN, "Only program managers share the scorecard.")
	}
	return nil
}

// CreateShare makes a link and returns it with its token, shown once.
func (s *Sharing) CreateShare(ctx context.Context, by *vouch.User, in ShareInput) (*vouch.ScorecardShare, string, error) {
	if err := mayShare(by); err != nil {
		return nil, "", err
	}
	sh := &vouch.ScorecardShare{Query: in.Query, Note: in.Note}
	if err := vouch.CheckScorecardShare(sh, in.ExpiresInDays, s.db.Now()); err != nil {
		return nil, "", err
	}
	signer, err := s.links(ctx)
	if err != nil {
		return nil, "", err
	}
	token, hash := signer.Issue(vouch.ScorecardShareLetter)
	if err := s.db.CreateScorecardShare(vouch.WithActor(ctx, vouch.UserActor(by)), sh, hash); err != nil {
		return nil, "", err
	}
	saved, err := s.db.ScorecardShare(ctx, sh.ID)
	return saved, token, err
}

// Shares lists every link, newest first.
func (s *Sharing) Shares(ctx context.Context, by *vouch.User) ([]*vouch.ScorecardShare, error) {
	if err := mayShare(by); err != nil {
		return nil, err
	}
	return s.db.ScorecardShares(ctx, 0)
}

// RevokeShare ends link id for good.
func (s *Sharing) RevokeShare(ctx context.Context, by *vouch.User, id int64) (*vouch.ScorecardShare, error) {
	if err := mayShare(by); err != nil {
		return nil, err
	}
	if err := s.db.RevokeScorecardShare(vouch.WithActor(ctx, vouch.UserActor(by)), id); err != nil {
		return nil, err
	}
	return s.db.ScorecardShare(ctx, id)
}

// Shared is what a link shows: the scorecard of its query today, and the
// words printed around it.
type Shared struct {
	Share     *vouch.ScorecardShare
	Scorecard *vouch.Scorecard
	Options   ExportOptions
}

// OpenShare finds the link of token and computes its scorecard. A link
// altered or unknown is ErrShareInvalid; one expired or revoked a
// *ShareGoneError.
func (s *Sharing) OpenShare(ctx context.Context, token string) (*Shared, error) {
	signer, err := s.links(ctx)
	if err != nil {
		return nil, err
	}
	letter, hash, ok := signer.Check(token)
	if !ok || letter != vouch.ScorecardShareLetter {
		return nil, ErrShareInvalid
	}
	sh, err := s.db.ScorecardShareByNonce(ctx, hash)
	if vouch.ErrorCode(err) == vouch.ENOTFOUND {
		return nil, ErrShareInvalid
	} else if err != nil {
		return nil, err
	}
	if st := sh.State(s.db.Now()); st != vouch.ShareActive {
		return nil, &ShareGoneError{Revoked: st == vouch.ShareRevoked, By: sh.CreatedByName}
	}
	ps, err := s.db.ProgramSettings(ctx)
	if err != nil {
		return nil, err
	}
	q := sh.Query.Resolve(s.db.Today(), ps.FiscalYearStart)
	sc, err := s.compute(ctx, q)
	if err != nil {
		return nil, err
	}
	opts := ExportOptions{Period: s.periodName(sh.Query, q, ps.FiscalYearStart), Filters: s.FilterLabels(ctx, q.Filter),
		Generated: s.db.Now(), Zone: ps.Zone()}
	return &Shared{Share: sh, Scorecard: sc, Options: opts}, nil
}

// IsShareGone reports whether err is a link that expired or was revoked.
func IsShareGone(err error) bool {
	var g *ShareGoneError
	return errors.As(err, &g)
}

// periodName names the period a link shows.
func (s *Sharing) periodName(sq vouch.ShareQuery, q vouch.MetricQuery, startMonth int) string {
	switch sq.Period {
	case vouch.SharePeriodMonth:
		return exportPeriod(q) + " (month to date)"
	case vouch.SharePeriodQuarter:
		p := vouch.FiscalPeriodOf(vouch.PeriodQuarter, q.From, startMonth)
		return vouch.FiscalName(p, startMonth) + ", " + exportPeriod(q) + " (quarter to date)"
	}
	return exportPeriod(q)
}

// FilterLabels writes the filters for people: "Industry: Healthcare, Retail".
func (s *Sharing) FilterLabels(ctx context.Context, f vouch.MetricFilter) []string {
	name := func(id int64) string {
		if s.names != nil {
			if n := s.names(id); n != "" {
				return n
			}
		}
		return fmt.Sprintf("#%d", id)
	}
	var out []string
	add := func(label string, ids []int64, nameOf func(int64) string) {
		if len(ids) == 0 {
			return
		}
		names := make([]string, len(ids))
		for i, id := range ids {
			names[i] = nameOf(id)
		}
		sort.Strings(names)
		out = append(out, label+": "+strings.Join(names, ", "))
	}
	add("Industry", f.IndustryIDs, name)
	add("Region", f.RegionIDs, name)
	add("Country", f.CountryIDs, name)
	add("Product", f.ProductIDs, name)
	add("Segment", f.SegmentIDs, name)
	add("Size", f.SizeIDs, name)
	add("Activity type", f.ActivityTypeIDs, name)
	add("Owner", f.OwnerIDs, func(id int64) string {
		if u, err := s.db.User(ctx, id); err == nil {
			return u.Name
		}
		return fmt.Sprintf("#%d", id)
	})
	return out
}
