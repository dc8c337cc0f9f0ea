package web

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/contentindex"
	"github.com/vouchhq/vouch/internal/vouch"
)

// approvalsView is what content_approvals.html shows.
type approvalsView struct {
	Rows          []contentRow // drafts and items awaiting approval, oldest first
	Awaiting      int
	Drafts        int
	Methods       []methodOption
	DefaultExpiry vouch.Date // when consent given today ends, by the program's setting
	ConsentMonths int
	Failed        int64 // the item whose form is shown again with its errors
}

// methodOption is a way consent is given, for a form's select.
type methodOption struct {
	Value, Label string
}

func approvalMethods() []methodOption {
	out := make([]methodOption, len(vouch.ApprovalMethods))
	for i, m := range vouch.ApprovalMethods {
		out[i] = methodOption{Value: m, Label: vouch.ApprovalMethodLabel(m)}
	}
	return out
}

// consentDefaults is the program's consent period and the day consent given today ends.
func (h *Handler) consentDefaults() (int, vouch.Date) {
	months := h.opts.Catalog.ProgramSettings().ConsentMonths
	if months <= 0 {
		months = vouch.DefaultConsentMonths
	}
	return months, vouch.ConsentExpiry(h.clock.Today(), months)
}

// contentApprovals serves GET /content/approvals: the approval queue —
// drafts and items awaiting the customer's approval, the longest waiting
// first — with a quick form per item to record the approval or send a
// draft for it.
func (h *Handler) contentApprovals(w http.ResponseWriter, r *http.Request) {
	h.renderApprovals(w, r, http.StatusOK, &page{}, 0)
}

// renderApprovals shows the queue; failed is the item whose form p's errors belong to.
func (h *Handler) renderApprovals(w http.ResponseWriter, r *http.Request, status int, p *page, failed int64) {
	ctx := r.Context()
	u := userFrom(ctx)
	res := h.opts.Library.Search(contentindex.Query{Manage: true, Limit: -1,
		States: []vouch.ContentState{vouch.ContentDraft, vouch.ContentAwaitingApproval}})
	users, err := h.usersByID(r)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	d := &approvalsView{Methods: approvalMethods(), Failed: failed}
	d.ConsentMonths, d.DefaultExpiry = h.consentDefaults()
	for _, hit := range res.Items {
		row := h.contentRowOf(hit, users, u)
		row.Since = hit.Item.CreatedAt
		if row.State == vouch.ContentAwaitingApproval {
			d.Awaiting++
			// Waiting since it was last sent for approval.
			events, err := h.opts.Content.History(ctx, hit.Item.ID)
			if err != nil {
				h.serverError(w, r, err)
				return
			}
			for _, e := range events {
				if e.To == vouch.ContentAwaitingApproval {
					row.Since = e.At
				}
			}
		} else {
			d.Drafts++
		}
		d.Rows = append(d.Rows, row)
	}
	slices.SortStableFunc(d.Rows, func(a, b contentRow) int {
		return cmp.Or(a.Since.Compare(b.Since), cmp.Compare(a.Item.ID, b.Item.ID))
	})
	p.Title, p.Nav, p.Data = "Approvals", "content", d
	h.render(w, r, status, "content_approvals", p)
}

// contentApprovalAction serves POST /content/approvals (id: the item): "send" asks the
// customer's approval for a draft; "approve" records it (who, how, until
// when; empty: the program's consent period).
func (h *Handler) contentApprovalAction(w http.ResponseWriter, r *http.Request) {
	h.quickStateChange(w, r, "/content/approvals", h.renderApprovals)
}

// approvalLabels name the fields of the quick approval form in its errors.
var approvalLabels = map[string]string{"approved_by": "Approved by", "method": "How", "expires_on": "Consent until",
	"note": "Note", "state": "Approved for"}

// quickStateChange moves the item of the form's id as a quick form asks and returns to
// back; a refused move shows the page again (again) with the form's errors.
func (h *Handler) quickStateChange(w http.ResponseWriter, r *http.Request, back string,
	again func(http.ResponseWriter, *http.Request, int, *page, int64)) {
	id, err := strconv.ParseInt(r.PostFormValue("id"), 10, 64)
	if err != nil || id <= 0 {
		redirectError(w, r, back, "Nothing changed: the form did not say which content item.")
		return
	}
	ctx := r.Context()
	item, err := h.opts.Content.Item(ctx, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	c := vouch.ContentStateChange{Note: r.PostFormValue("note")}
	switch r.PostFormValue("action") {
	case "send":
		c.To = vouch.ContentAwaitingApproval
	case "approve":
		c.To = vouch.ContentApprovedExternal
		if r.PostFormValue("state") == string(vouch.ContentApprovedInternal) {
			c.To = vouch.ContentApprovedInternal
		}
		c.ApprovedBy, c.Method = r.PostFormValue("approved_by"), r.PostFormValue("method")
		expires, err := vouch.ParseDate(r.PostFormValue("expires_on"))
		if err != nil {
			again(w, r, http.StatusBadRequest, &page{Form: r.PostForm,
				Error:  fmt.Sprintf("“%s” is unchanged. Please correct the highlighted field.", item.Title),
				Errors: map[string]string{"expires_on": "Consent until must be a date like 2029-03-14."}}, id)
			return
		}
		c.ExpiresOn = expires
	default:
		redirectError(w, r, back, "Nothing changed: choose Mark approved or Send for approval.")
		return
	}
	saved, err := h.opts.Content.ChangeState(ctx, id, version, c)
	if err != nil {
		if !isFormError(err) {
			h.fail(w, r, err)
			return
		}
		p := &page{Form: r.PostForm}
		status := failForm(p, err, approvalLabels)
		p.Error = fmt.Sprintf("“%s” is unchanged: %s", item.Title, vouch.ErrorMessage(err))
		if vouch.ErrorCode(err) == vouch.ECONFLICT {
			p.Error = fmt.Sprintf("“%s” is unchanged: someone changed it meanwhile. Here it is as it is now; repeat your change if it still applies.", item.Title)
			p.Form, p.Errors = nil, nil
		}
		again(w, r, status, p, id)
		return
	}
	msg := fmt.Sprintf("“%s” is %s.", saved.Title, strings.ToLower(saved.State.Label()))
	if saved.State.Approved() {
		msg = fmt.Sprintf("“%s” is %s until %s.", saved.Title, strings.ToLower(saved.State.Label()), formatDate(saved.ExpiresOn))
	}
	redirect(w, r, back, msg)
}
