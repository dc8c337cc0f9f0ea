package web

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/vouchhq/vouch/internal/content"
	"github.com/vouchhq/vouch/internal/contentindex"
	"github.com/vouchhq/vouch/internal/vouch"
)

// contentRow is one content item in the lists of the approval queue, the
// expiring list and the reference and account pages.
type contentRow struct {
	Item       *vouch.ContentItem
	Type       string
	State      vouch.ContentState // as of today
	Pill       string             // the state's pill class
	Accounts   []string           // featured accounts' names
	Owner      *vouch.User
	DaysLeft   int       // until consent ends (approved or expired items)
	Expiring   bool      // approved, and consent ends within content.RemindDays
	Link       bool      // the reader may open the item's page
	Since      time.Time // in the queue: drafted, or sent for approval
	RemindedOn vouch.Date
}

// contentPill is the pill class of a state: approved ones good, the ways
// to approval neutral, ended ones bad.
func contentPill(s vouch.ContentState) string {
	switch s {
	case vouch.ContentApprovedExternal, vouch.ContentApprovedInternal:
		return "pill-ok"
	case vouch.ContentAwaitingApproval:
		return "pill-warn"
	case vouch.ContentExpired, vouch.ContentWithdrawn:
		return "pill-bad"
	}
	return "pill-muted"
}

// contentRowOf is a hit as a row, as of today, for a reader.
func (h *Handler) contentRowOf(hit contentindex.Hit, users map[int64]*vouch.User, u *vouch.User) contentRow {
	today := h.clock.Today()
	row := contentRow{Item: hit.Item, Type: h.opts.Catalog.ValueName(hit.Item.TypeID), State: hit.State,
		Pill: contentPill(hit.State), Owner: users[hit.Item.OwnerID], Link: u.Can(vouch.PermReadContent)}
	for _, n := range hit.Accounts {
		if n != "" {
			row.Accounts = append(row.Accounts, n)
		}
	}
	if !hit.Item.ExpiresOn.IsZero() {
		row.DaysLeft = today.DaysUntil(hit.Item.ExpiresOn)
		row.Expiring = hit.Item.ExpiresWithin(today, content.RemindDays)
	}
	return row
}

// contentFeaturing lists the items featuring a reference or an account that
// the reader may see (vouch.ContentShown; expired ones too, marked), those
// whose consent ends soonest first and drafts last.
func (h *Handler) contentFeaturing(r *http.Request, f vouch.ContentFilter) ([]contentRow, error) {
	ctx, u := r.Context(), userFrom(r.Context())
	if h.opts.Library == nil || !u.Can(vouch.PermReadContent) {
		return nil, nil
	}
	ids, err := h.db.ContentFeaturing(ctx, f)
	if err != nil {
		return nil, err
	}
	users, err := h.usersByID(r)
	if err != nil {
		return nil, err
	}
	manage := u.Can(vouch.PermManageContent)
	var rows []contentRow
	for _, id := range ids {
		if hit, ok := h.opts.Library.Get(id, manage, true); ok {
			rows = append(rows, h.contentRowOf(hit, users, u))
		}
	}
	slices.SortStableFunc(rows, func(a, b contentRow) int {
		ea, eb := a.Item.ExpiresOn, b.Item.ExpiresOn
		switch {
		case ea.IsZero() != eb.IsZero():
			if ea.IsZero() {
				return 1
			}
			return -1
		case !ea.IsZero() && ea != eb:
			return strings.Compare(ea.String(), eb.String())
		}
		return strings.Compare(strings.ToLower(a.Item.Title), strings.ToLower(b.Item.Title))
	})
	return rows, nil
}
