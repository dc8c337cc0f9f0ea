package web

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/vouch"
)

// bulkSkippedShown is how many skipped references the result message names;
// the message travels in a cookie, so it stays short.
const bulkSkippedShown = 5

// bulkReferences serves POST /references/bulk: change status, set owner or
// mark verified for the ticked references (or all on the page). References
// that cannot make the change are skipped and named with the reason; the
// browser goes back to the list it came from.
func (h *Handler) bulkReferences(w http.ResponseWriter, r *http.Request) {
	back := listBackURL(r.PostFormValue("back"))
	var ids []int64
	fields := []string{"id"}
	if r.PostFormValue("all_on_page") != "" {
		fields = append(fields, "page_id")
	}
	for _, f := range fields {
		for _, s := range r.PostForm[f] {
			if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
				ids = append(ids, id)
			}
		}
	}
	if len(ids) == 0 {
		redirectError(w, r, back, "Nothing changed: tick the references to change first, or “All on this page”.")
		return
	}
	a := vouch.BulkAction{IDs: ids}
	switch r.PostFormValue("action") {
	case "status":
		to, ok := vouch.ParseStatus(r.PostFormValue("status"))
		if !ok {
			redirectError(w, r, back, "Nothing changed: choose the new status.")
			return
		}
		until, perr := vouch.ParseDate(r.PostFormValue("until"))
		if perr != nil {
			redirectError(w, r, back, "Nothing changed: Resting until must be a date like 2027-03-14.")
			return
		}
		a.Kind, a.Status = vouch.BulkStatus, vouch.StatusChange{To: to, Reason: r.PostFormValue("reason"), Until: until}
	case "owner":
		a.Kind = vouch.BulkOwner
		a.OwnerID, _ = strconv.ParseInt(r.PostFormValue("owner_id"), 10, 64)
	case "verify":
		a.Kind = vouch.BulkVerified
	default:
		redirectError(w, r, back, "Nothing changed: choose an action.")
		return
	}
	res, err := h.refs.Bulk(r.Context(), a)
	if err != nil {
		if !isFormError(err) {
			h.serverError(w, r, err)
			return
		}
		var reasons []string
		for _, msg := range fieldErrors(err, statusLabels) {
			reasons = append(reasons, msg)
		}
		sort.Strings(reasons)
		if len(reasons) == 0 {
			reasons = []string{vouch.ErrorMessage(err)}
		}
		redirectError(w, r, back, "Nothing changed: "+strings.Join(reasons, " "))
		return
	}
	done := ""
	if len(res.Unchanged) > 0 {
		done = fmt.Sprintf("%d already %s", len(res.Unchanged), strings.ToLower(a.Status.To.Label()))
	}
	msg := h.bulkMessage(res, done)
	if len(res.Changed) == 0 {
		redirectError(w, r, back, msg)
		return
	}
	redirect(w, r, back, msg)
}

// bulkMessage says what a bulk action did: "12 changed; 3 skipped: Maya
// Okafor — A retired reference cannot become active…".
func (h *Handler) bulkMessage(res vouch.BulkResult, extra string) string {
	parts := []string{fmt.Sprintf("%d changed", len(res.Changed))}
	if extra != "" {
		parts = append(parts, extra)
	}
	msg := strings.Join(parts, "; ")
	if len(res.Failed) == 0 {
		return msg + "."
	}
	type skip struct{ name, why string }
	var skips []skip
	for _, f := range res.Failed {
		name := fmt.Sprintf("Reference #%d", f.ID)
		if hit, ok := h.opts.Index.Get(f.ID); ok {
			name = hit.Reference.Name
		}
		skips = append(skips, skip{name, f.Reason})
	}
	sort.Slice(skips, func(i, j int) bool { return skips[i].name < skips[j].name })
	var named []string
	for i, s := range skips {
		if i == bulkSkippedShown {
			named = append(named, fmt.Sprintf("and %d more", len(skips)-i))
			break
		}
		named = append(named, s.name+" — "+s.why)
	}
	return fmt.Sprintf("%s; %d skipped: %s", msg, len(skips), strings.Join(named, "; "))
}

// listBackURL is where a bulk action returns: the list view it came from,
// never another site.
func listBackURL(s string) string {
	if s == "/references" || strings.HasPrefix(s, "/references?") {
		return s
	}
	return "/references"
}
