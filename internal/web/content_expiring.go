package web

import (
	"net/http"

	"github.com/vouchhq/vouch/internal/content"
	"github.com/vouchhq/vouch/internal/contentindex"
	"github.com/vouchhq/vouch/internal/vouch"
)

// recentlyExpiredDays is how far back the expiring list shows content whose
// consent ended, so a missed renewal can still be made.
const recentlyExpiredDays = 90

// expiringView is what content_expiring.html shows.
type expiringView struct {
	Soon          []contentRow // approved, consent ending within content.RemindDays, soonest first
	Expired       []contentRow // consent ended within recentlyExpiredDays, latest first
	Days          int
	RecentDays    int
	Methods       []methodOption
	DefaultExpiry vouch.Date
	ConsentMonths int
	Failed        int64 // the item whose form is shown again with its errors
}

// contentExpiring serves GET /content/expiring: what expires in the next 30
// days and what expired recently, with the owner, the days left, whether
// the owner was reminded, and a form to renew the customer's consent.
func (h *Handler) contentExpiring(w http.ResponseWriter, r *http.Request) {
	h.renderExpiring(w, r, http.StatusOK, &page{}, 0)
}

// renderExpiring shows the list; failed is the item whose form p's errors belong to.
func (h *Handler) renderExpiring(w http.ResponseWriter, r *http.Request, status int, p *page, failed int64) {
	ctx := r.Context()
	u := userFrom(ctx)
	today := h.clock.Today()
	items, reminded, err := h.opts.Content.Expiring(ctx, today, content.RemindDays)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	users, err := h.usersByID(r)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	d := &expiringView{Days: content.RemindDays, RecentDays: recentlyExpiredDays, Methods: approvalMethods(), Failed: failed}
	d.ConsentMonths, d.DefaultExpiry = h.consentDefaults()
	for _, it := range items {
		hit, ok := h.opts.Library.Get(it.ID, true, true)
		if !ok {
			continue
		}
		row := h.contentRowOf(hit, users, u)
		row.RemindedOn = reminded[it.ID]
		if row.State == vouch.ContentExpired {
			d.Expired = append(d.Expired, row) // ended today, not yet recorded
		} else {
			d.Soon = append(d.Soon, row)
		}
	}
	res := h.opts.Library.Search(contentindex.Query{Manage: true, Limit: -1, Sort: contentindex.SortExpiring,
		States: []vouch.ContentState{vouch.ContentExpired}})
	from := today.AddDays(-recentlyExpiredDays)
	for i := len(res.Items) - 1; i >= 0; i-- {
		hit := res.Items[i]
		if hit.Item.ExpiresOn.Before(from) || hit.Item.State != vouch.ContentExpired {
			continue
		}
		d.Expired = append(d.Expired, h.contentRowOf(hit, users, u))
	}
	p.Title, p.Nav, p.Data = "Expiring content", "content", d
	h.render(w, r, status, "content_expiring", p)
}

// renewContent serves POST /content/expiring (id: the item): the customer
// approved again, so consent runs from today until the day given (empty:
// the program's consent period).
func (h *Handler) renewContent(w http.ResponseWriter, r *http.Request) {
	h.quickStateChange(w, r, "/content/expiring", h.renderExpiring)
}
