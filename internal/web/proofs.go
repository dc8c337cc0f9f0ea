package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/content"
	"github.com/vouchhq/vouch/internal/contentindex"
	"github.com/vouchhq/vouch/internal/vouch"
)

// A seller's proof pages: the list (/proofs), the builder (/proofs/new)
// and one page with what buyers did on it (/proofs/{id}). The buyer's side
// is proof_public.go.

// proofRow is one proof page in the list.
type proofRow struct {
	Page        *vouch.ProofPage
	Status      string // Active, Expired, Revoked
	Class       string
	Opportunity string
}

// proofStatus names a page's state for people, with its pill colour.
func (h *Handler) proofStatus(p *vouch.ProofPage) (string, string) {
	switch {
	case p.RevokedAt != nil:
		return "Revoked", "pill-bad"
	case !h.clock.Now().Before(p.ExpiresAt):
		return "Expired", "pill-muted"
	}
	return "Active", "pill-ok"
}

// opportunityNames names the opportunities ids, for lists, in one query;
// an opportunity that cannot be read is left unnamed.
func (h *Handler) opportunityNames(r *http.Request, ids []int64) map[int64]string {
	out := map[int64]string{}
	var want []int64
	for _, id := range ids {
		if id != 0 {
			want = append(want, id)
		}
	}
	opps, err := h.db.OpportunitiesByID(r.Context(), want)
	if err != nil {
		h.log.Warn("opportunity names", "err", err)
		return out
	}
	for id, o := range opps {
		out[id] = o.Name
	}
	return out
}

// proofs serves GET /proofs: the seller's own proof pages, every one for
// the program team.
func (h *Handler) proofs(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	pages, total, err := h.opts.Content.ProofPages(r.Context(), u, vouch.ProofPageFilter{Limit: 200})
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	var opps []int64
	for _, p := range pages {
		opps = append(opps, p.OpportunityID)
	}
	names := h.opportunityNames(r, opps)
	rows := make([]proofRow, len(pages))
	for i, p := range pages {
		st, cl := h.proofStatus(p)
		rows[i] = proofRow{Page: p, Status: st, Class: cl, Opportunity: names[p.OpportunityID]}
	}
	h.render(w, r, http.StatusOK, "proofs", &page{Title: "Proof pages", Nav: "content",
		Data: map[string]any{"Rows": rows, "Total": total, "All": u.Can(vouch.PermManageContent)}})
}

// proofForm is what proof_new.html shows: the search for items approved for
// external use and the form that makes the page.
type proofForm struct {
	Query         string
	Chosen        []int64 // ticked item ids
	Ticked        map[int64]bool
	Items         []contentindex.Hit
	Total         int
	Opportunities []*vouch.Opportunity
	Types         map[int64]string
	DefaultDays   int
	MaxDays       int
}

// proofFormLabels name the builder's fields in errors.
var proofFormLabels = map[string]string{"title": "Title", "prospect": "Prospect", "message": "Message",
	"content_ids": "Items", "opportunity": "Opportunity", "expires_in_days": "Link lasts"}

// newProof serves GET /proofs/new: ?q= searches the items approved for
// external use, ?content= (repeatable) ticks items, e.g. from an item's page.
func (h *Handler) newProof(w http.ResponseWriter, r *http.Request) {
	h.renderProofForm(w, r, http.StatusOK, &page{Form: r.URL.Query()})
}

func (h *Handler) renderProofForm(w http.ResponseWriter, r *http.Request, status int, p *page) {
	u := userFrom(r.Context())
	d := &proofForm{Query: strings.TrimSpace(r.URL.Query().Get("q")), Types: map[int64]string{}, Ticked: map[int64]bool{},
		DefaultDays: vouch.ProofPageDays, MaxDays: vouch.ProofPageMaxDays}
	for _, s := range p.Form["content"] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 && !slices.Contains(d.Chosen, id) {
			d.Chosen = append(d.Chosen, id)
			d.Ticked[id] = true
		}
	}
	manage := u.Can(vouch.PermManageContent)
	seen := map[int64]bool{}
	// Ticked items first, so a search does not lose them.
	for _, id := range d.Chosen {
		if hit, ok := h.opts.Library.Get(id, manage, false); ok && vouch.ContentShareable(hit.State) {
			d.Items = append(d.Items, hit)
			seen[id] = true
		}
	}
	res := h.opts.Library.Search(contentindex.Query{Text: d.Query, ExternalOnly: true, Manage: manage, Limit: 30})
	d.Total = res.Total
	for _, hit := range res.Items {
		if !seen[hit.Item.ID] {
			d.Items = append(d.Items, hit)
		}
	}
	for _, hit := range d.Items {
		d.Types[hit.Item.TypeID] = h.opts.Catalog.ValueName(hit.Item.TypeID)
	}
	opps, _, err := h.opts.Fulfillment.ListOpportunities(r.Context(), vouch.OpportunityFilter{OwnerID: u.ID, Status: vouch.OpportunityOpen, Limit: 200})
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	d.Opportunities = opps
	p.Title, p.Nav, p.Data = "New proof page", "content", d
	h.render(w, r, status, "proof_new", p)
}

// createProof serves POST /proofs/new. It shows the new page with its link
// rather than redirecting: only the link's fingerprint is stored, so this
// answer is the one time the link can be shown.
func (h *Handler) createProof(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	in := content.ProofPageInput{Title: r.PostFormValue("title"), Prospect: r.PostFormValue("prospect"),
		Message: r.PostFormValue("message")}
	v := vouch.Validation{}
	for _, s := range r.PostForm["content"] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			v.Add("content_ids", "are not valid: choose items from the list")
			continue
		}
		in.ContentIDs = append(in.ContentIDs, id)
	}
	if s := strings.TrimSpace(r.PostFormValue("opportunity_id")); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			v.Add("opportunity", "is not a known opportunity")
		}
		in.OpportunityID = id
	}
	if s := strings.TrimSpace(r.PostFormValue("expires_in_days")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			v.Add("expires_in_days", "must be a whole number of days from 1 to "+strconv.Itoa(vouch.ProofPageMaxDays))
			n = vouch.ProofPageDays
		}
		in.ExpiresInDays = n
	}
	err := v.Err()
	var created *vouch.ProofPage
	var token string
	if err == nil {
		created, token, err = h.opts.Content.CreateProofPage(r.Context(), u, in)
	}
	if err != nil {
		if vouch.ErrorCode(err) != vouch.EINVALID {
			h.fail(w, r, err)
			return
		}
		p := &page{Form: r.PostForm}
		status := failForm(p, err, proofFormLabels)
		h.renderProofForm(w, r, status, p)
		return
	}
	h.renderProof(w, r, http.StatusCreated, created, h.opts.Fulfillment.PublicURL("/p/"+token))
}

// proofItem is one item of a proof page as its seller sees it.
type proofItem struct {
	ID        int64
	Title     string
	Type      string
	State     vouch.ContentState
	Shown     bool // still on the buyer's page
	Views     int
	Downloads int
}

// proofPage serves GET /proofs/{id}: the page's items, what buyers did with
// them, and the revoke button. The link itself is not shown again.
func (h *Handler) proofPage(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	p, err := h.opts.Content.ProofPage(r.Context(), userFrom(r.Context()), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderProof(w, r, http.StatusOK, p, "")
}

func (h *Handler) renderProof(w http.ResponseWriter, r *http.Request, status int, p *vouch.ProofPage, link string) {
	stats, err := h.opts.Content.ProofPageStats(r.Context(), p.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	items, err := h.db.ContentItems(r.Context(), p.ContentIDs)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	byID := map[int64]*vouch.ContentItem{}
	for _, it := range items {
		byID[it.ID] = it
	}
	today := h.clock.Today()
	var rows []proofItem
	downloads := 0
	for _, cid := range p.ContentIDs {
		it := byID[cid]
		if it == nil {
			continue
		}
		row := proofItem{ID: it.ID, Title: it.Title, Type: h.opts.Catalog.ValueName(it.TypeID), State: it.EffectiveState(today)}
		row.Shown = vouch.ContentShareable(row.State)
		if s := stats[cid]; s != nil {
			row.Views, row.Downloads = s.Views, s.Downloads
			downloads += s.Downloads
		}
		rows = append(rows, row)
	}
	st, cl := h.proofStatus(p)
	opp := h.opportunityNames(r, []int64{p.OpportunityID})[p.OpportunityID]
	h.render(w, r, status, "proof", &page{Title: p.Title, Nav: "content", Data: map[string]any{
		"Page": p, "Items": rows, "Status": st, "Class": cl, "Opportunity": opp, "Link": link, "Downloads": downloads}})
}

// revokeProof serves POST /proofs/{id}/revoke: the link stops working at once.
func (h *Handler) revokeProof(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	if _, err := h.opts.Content.RevokeProofPage(r.Context(), userFrom(r.Context()), id); err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, "/proofs/"+strconv.FormatInt(id, 10), "Link revoked. The buyer now sees “This page is not available”.")
}
