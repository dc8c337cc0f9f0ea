package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Nominations: any signed-in user nominates a customer contact; the
// program team works the queue — qualifies against the checklist, accepts
// or rejects. The form shows likely duplicates as it is filled in
// (nominate.js fetches /nominations/duplicates); without JavaScript the
// nomination's page shows them after it is sent.

// nominationRow is one nomination as the queue lists it.
type nominationRow struct {
	N     *vouch.Nomination
	Age   int
	Stale bool
}

func (h *Handler) nominationRows(ns []*vouch.Nomination) []nominationRow {
	now := h.clock.Now()
	out := make([]nominationRow, 0, len(ns))
	for _, n := range ns {
		out = append(out, nominationRow{N: n, Age: n.AgeDays(now), Stale: n.Stale(now)})
	}
	return out
}

// nominationsPage serves GET /nominations: for the team, the nominations
// waiting for a decision, oldest first with their age (flagged past 7
// days), then those decided; for anyone else, their own.
func (h *Handler) nominationsPage(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	all, err := h.opts.Nominations.List(r.Context(), u, nil)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	var waiting, decided []*vouch.Nomination
	for _, n := range all {
		if n.State.Waiting() {
			waiting = append(waiting, n)
		} else {
			decided = append(decided, n)
		}
	}
	// Newest decisions first; at most 50 of them.
	for i, j := 0, len(decided)-1; i < j; i, j = i+1, j-1 {
		decided[i], decided[j] = decided[j], decided[i]
	}
	if len(decided) > 50 {
		decided = decided[:50]
	}
	stale := 0
	rows := h.nominationRows(waiting)
	for _, row := range rows {
		if row.Stale {
			stale++
		}
	}
	h.render(w, r, http.StatusOK, "nominations", &page{Title: "Nominations", Nav: "nominations", Data: map[string]any{
		"Waiting": rows, "Decided": h.nominationRows(decided), "Stale": stale, "StaleDays": vouch.NominationStaleDays,
		"Team": u.Can(vouch.PermManageProgram),
	}})
}

// nominationForm shows the nomination form.
func (h *Handler) nominationForm(w http.ResponseWriter, r *http.Request, status int, p *page) {
	p.Title, p.Nav = "Nominate a reference", "nominations"
	checked := map[string]bool{}
	for _, a := range p.Form["activities"] {
		checked[a] = true
	}
	p.Data = map[string]any{"ActivityTypes": h.opts.Catalog.Values(vouch.TaxActivityType, false), "Checked": checked}
	h.render(w, r, status, "nomination_new", p)
}

// newNomination serves GET /nominations/new.
func (h *Handler) newNomination(w http.ResponseWriter, r *http.Request) {
	h.nominationForm(w, r, http.StatusOK, &page{})
}

var nominationLabels = map[string]string{"account_name": "Account", "account_id": "Account", "name": "Name",
	"email": "Email", "title": "Role", "crm_id": "CRM id", "activities": "Activities", "reason": "Why"}

// createNomination serves POST /nominations/new.
func (h *Handler) createNomination(w http.ResponseWriter, r *http.Request) {
	f := r.PostForm
	n := vouch.Nomination{AccountName: f.Get("account_name"), Name: f.Get("name"), Email: f.Get("email"),
		Title: f.Get("title"), CRMID: f.Get("crm_id"), Activities: f["activities"], Reason: f.Get("reason")}
	saved, dups, err := h.opts.Nominations.Submit(r.Context(), userFrom(r.Context()), n)
	if err != nil {
		if !isFormError(err) {
			h.fail(w, r, err)
			return
		}
		p := &page{Form: f}
		status := failForm(p, err, nominationLabels)
		h.nominationForm(w, r, status, p)
		return
	}
	msg := fmt.Sprintf("Nominated %s at %s. The program team is on it; you are told when they decide.", saved.Name, saved.AccountName)
	if len(dups) > 0 {
		msg = fmt.Sprintf("Nominated %s at %s. Vouch found possible duplicates: the team checks them before deciding.", saved.Name, saved.AccountName)
	}
	redirect(w, r, fmt.Sprintf("/nominations/%d", saved.ID), msg)
}

// duplicateLink is where a likely duplicate's page is, "" when the viewer
// may not open it (vouch.SeenDuplicates took its id away).
func duplicateLink(d vouch.Duplicate) string {
	if d.ID == 0 {
		return ""
	}
	switch d.Kind {
	case vouch.DuplicateAccount:
		return fmt.Sprintf("/accounts/%d", d.ID)
	case vouch.DuplicateReference:
		return fmt.Sprintf("/references/%d", d.ID)
	case vouch.DuplicateNomination:
		return fmt.Sprintf("/nominations/%d", d.ID)
	}
	return ""
}

// duplicateJSON is a likely duplicate as nominate.js shows it.
type duplicateJSON struct {
	Kind    string   `json:"kind"`
	Label   string   `json:"label"`
	Reasons []string `json:"reasons"`
	Link    string   `json:"link"`
}

// nominationDuplicates serves GET /nominations/duplicates: the likely
// duplicates of the form as filled in so far, as JSON for nominate.js.
func (h *Handler) nominationDuplicates(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	cut := func(s string) string {
		s = strings.TrimSpace(s)
		if len(s) > 200 {
			s = s[:200]
		}
		return s
	}
	p := vouch.DuplicateProbe{AccountName: cut(q.Get("account_name")), Name: cut(q.Get("name")), Email: cut(q.Get("email")), CRMID: cut(q.Get("crm_id"))}
	out := []duplicateJSON{}
	for _, d := range vouch.SeenDuplicates(userFrom(r.Context()), h.opts.Nominations.Duplicates(p)) {
		out = append(out, duplicateJSON{Kind: d.Kind, Label: d.Label, Reasons: d.Reasons, Link: duplicateLink(d)})
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(map[string]any{"duplicates": out})
}

// nominationView is a likely duplicate as the nomination page shows it.
type nominationDup struct {
	vouch.Duplicate
	Link string
}

// nominationPage serves GET /nominations/{id}: the nomination, its likely
// duplicates, and for the team the checklist, accept and reject.
func (h *Handler) nominationPage(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	h.renderNomination(w, r, http.StatusOK, &page{}, id)
}

func (h *Handler) renderNomination(w http.ResponseWriter, r *http.Request, status int, p *page, id int64) {
	u := userFrom(r.Context())
	v, err := h.opts.Nominations.Get(r.Context(), u, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var dups []nominationDup
	var reactivate []nominationDup
	for _, d := range vouch.SeenDuplicates(u, v.Duplicates) {
		nd := nominationDup{Duplicate: d, Link: duplicateLink(d)}
		dups = append(dups, nd)
		if d.Kind == vouch.DuplicateReference && d.ID != 0 && d.Status != string(vouch.StatusDoNotContact) {
			reactivate = append(reactivate, nd)
		}
	}
	ticked := map[string]bool{}
	for _, k := range v.Nomination.Checklist {
		ticked[k] = true
	}
	// The ask ledger: a flagged account (an open escalation or renewal) is
	// said on the nomination the team qualifies.
	flagged := ""
	if v.CanDecide && v.Nomination.AccountID != 0 {
		if flag, err := h.db.AccountFlag(r.Context(), v.Nomination.AccountID); err == nil && flag.Reason != "" && !h.clock.Today().After(flag.Until) {
			if a, err := h.db.Account(r.Context(), v.Nomination.AccountID); err == nil {
				flagged = fmt.Sprintf("%s is flagged: %s until %s. Its references are not asked until then.", a.Name, flag.Reason, formatDate(flag.Until))
			}
		} else if err != nil && vouch.ErrorCode(err) != vouch.ENOTFOUND {
			h.serverError(w, r, err)
			return
		}
	}
	now := h.clock.Now()
	p.Title, p.Nav = "Nomination: "+v.Nomination.Name, "nominations"
	p.Data = map[string]any{"V": v, "N": v.Nomination, "Duplicates": dups, "Reactivate": reactivate, "Ticked": ticked,
		"Age": v.Nomination.AgeDays(now), "Stale": v.Nomination.Stale(now),
		"Qualified": v.Nomination.State == vouch.NominationQualified, "Flagged": flagged}
	h.render(w, r, status, "nomination", p)
}

// nominationAction reads the nomination id and version of a decision form.
func nominationAction(r *http.Request) (int64, int, bool) {
	id, ok := pathID(r, "id")
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	return id, version, ok
}

// refuseNomination shows the nomination again with a decision's problem.
func (h *Handler) refuseNomination(w http.ResponseWriter, r *http.Request, id int64, err error) {
	if !isFormError(err) {
		h.fail(w, r, err)
		return
	}
	p := &page{Form: r.PostForm}
	status := failForm(p, err, map[string]string{"checklist": "Checklist", "reason": "Reason", "reference_id": "Reference"})
	if vouch.ErrorCode(err) == vouch.ECONFLICT {
		p.Error = "Someone changed this nomination since you opened it. It shows as it is now; decide again."
		p.Form = nil
	}
	h.renderNomination(w, r, status, p, id)
}

// qualifyNomination serves POST /nominations/{id}/qualify.
func (h *Handler) qualifyNomination(w http.ResponseWriter, r *http.Request) {
	id, version, ok := nominationAction(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	n, err := h.opts.Nominations.Qualify(r.Context(), userFrom(r.Context()), id, version, r.PostForm["checklist"])
	if err != nil {
		h.refuseNomination(w, r, id, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/nominations/%d", id), fmt.Sprintf("%s is qualified: accept them as a reference, or reject with a reason.", n.Name))
}

// acceptNomination serves POST /nominations/{id}/accept: reference_id
// names the duplicate reference to re-activate; empty creates one.
func (h *Handler) acceptNomination(w http.ResponseWriter, r *http.Request) {
	id, version, ok := nominationAction(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	var refID int64
	if s := r.PostForm.Get("reference_id"); s != "" && s != "new" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			h.refuseNomination(w, r, id, &vouch.Error{Code: vouch.EINVALID, Message: "Pick a reference or a new one.",
				Fields: map[string]string{"reference_id": "is not a known reference"}})
			return
		}
		refID = n
	}
	acc, err := h.opts.Nominations.Accept(r.Context(), userFrom(r.Context()), id, version, refID)
	if err != nil {
		h.refuseNomination(w, r, id, err)
		return
	}
	msg := fmt.Sprintf("Accepted: %s is an active reference. The nominator is told.", acc.Reference.Name)
	if acc.Reactivated {
		msg = fmt.Sprintf("Accepted: %s is active again. The nominator is told.", acc.Reference.Name)
	}
	redirect(w, r, fmt.Sprintf("/references/%d", acc.Reference.ID), msg)
}

// rejectNomination serves POST /nominations/{id}/reject.
func (h *Handler) rejectNomination(w http.ResponseWriter, r *http.Request) {
	id, version, ok := nominationAction(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	n, err := h.opts.Nominations.Reject(r.Context(), userFrom(r.Context()), id, version, r.PostForm.Get("reason"))
	if err != nil {
		h.refuseNomination(w, r, id, err)
		return
	}
	redirect(w, r, "/nominations", fmt.Sprintf("Rejected the nomination of %s. The nominator is told why.", n.Name))
}

// nominationSettings serves GET /nominations/settings: the qualification
// checklist and the public volunteer form's switch.
func (h *Handler) nominationSettings(w http.ResponseWriter, r *http.Request) {
	h.renderNominationSettings(w, r, http.StatusOK, &page{})
}

func (h *Handler) renderNominationSettings(w http.ResponseWriter, r *http.Request, status int, p *page) {
	items, err := h.opts.Nominations.Checklist(r.Context())
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	on, err := h.opts.Nominations.VolunteerFormOn(r.Context())
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	p.Title, p.Nav = "Nomination settings", "nominations"
	p.Data = map[string]any{"Checklist": vouch.ChecklistText(items), "VolunteerOn": on}
	h.render(w, r, status, "nomination_settings", p)
}

// saveNominationSettings serves POST /nominations/settings.
func (h *Handler) saveNominationSettings(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	if _, err := h.opts.Nominations.SetChecklist(r.Context(), u, r.PostForm.Get("checklist")); err != nil {
		if !isFormError(err) {
			h.fail(w, r, err)
			return
		}
		p := &page{Form: r.PostForm}
		h.renderNominationSettings(w, r, failForm(p, err, map[string]string{"checklist": "Checklist"}), p)
		return
	}
	if err := h.opts.Nominations.SetVolunteerForm(r.Context(), u, r.PostForm.Get("volunteer") == "on"); err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, "/nominations", "Nomination settings saved.")
}

// recruitedFrom is a nomination a reference was recruited from, as the
// reference's page credits it.
type recruitedFrom struct {
	ID        int64
	Nominator string // "" for a volunteer
	Recruiter string
	On        time.Time
}

// recruitedFrom lists the nominations reference id was recruited from.
func (h *Handler) recruitedFrom(r *http.Request, id int64) ([]recruitedFrom, error) {
	u := userFrom(r.Context())
	ns, err := h.opts.Nominations.ListOf(r.Context(), u, store.NominationFilter{ReferenceID: id})
	if err != nil {
		return nil, err
	}
	var out []recruitedFrom
	for _, n := range ns {
		v, err := h.opts.Nominations.Get(r.Context(), u, n.ID)
		if err != nil {
			return nil, err
		}
		rf := recruitedFrom{ID: n.ID, Nominator: v.Nominator, Recruiter: v.DecidedBy}
		if n.DecidedAt != nil {
			rf.On = *n.DecidedAt
		}
		out = append(out, rf)
	}
	return out, nil
}
