package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/nominations"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// WithNominations adds nominations: any user nominates, the program team
// qualifies, accepts and rejects.
func (h *Handler) WithNominations(n *nominations.Service) *Handler {
	h.noms = n
	return h
}

// nominationJSON is a nomination as the API shows it, with its age and
// whether it has waited too long.
type nominationJSON struct {
	*vouch.Nomination
	AgeDays int  `json:"age_days"`
	Stale   bool `json:"stale"`
}

func (h *Handler) nominationJSON(n *vouch.Nomination) nominationJSON {
	now := h.db.Now()
	return nominationJSON{Nomination: n, AgeDays: n.AgeDays(now), Stale: n.Stale(now)}
}

// nominationInput is the body of POST /api/v1/nominations.
type nominationInput struct {
	AccountID   int64    `json:"account_id"`
	AccountName string   `json:"account_name"`
	Name        string   `json:"name"`
	Email       string   `json:"email"`
	Title       string   `json:"title"`
	CRMID       string   `json:"crm_id"`
	Activities  []string `json:"activities"`
	Reason      string   `json:"reason"`
}

// createNomination serves POST /api/v1/nominations: the nomination, with
// the likely duplicates it found among accounts, references and open
// nominations (as much of them as the caller may see).
func (h *Handler) createNomination(w http.ResponseWriter, r *http.Request) {
	var in nominationInput
	if err := decode(r, &in); err != nil {
		writeError(w, err)
		return
	}
	u := userFrom(r.Context())
	n, dups, err := h.noms.Submit(r.Context(), u, vouch.Nomination{AccountID: in.AccountID, AccountName: in.AccountName,
		Name: in.Name, Email: in.Email, Title: in.Title, CRMID: in.CRMID, Activities: in.Activities, Reason: in.Reason})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, struct {
		nominationJSON
		Duplicates []vouch.Duplicate `json:"duplicates"`
	}{h.nominationJSON(n), vouch.SeenDuplicates(u, nonNilDuplicates(dups))})
}

func nonNilDuplicates(ds []vouch.Duplicate) []vouch.Duplicate {
	if ds == nil {
		return []vouch.Duplicate{}
	}
	return ds
}

// nominationDuplicates serves GET /api/v1/nominations/duplicates: the
// likely duplicates of a nomination not made yet (?account_name=, name=,
// email=, crm_id=), as a form shows them while it is filled in.
func (h *Handler) nominationDuplicates(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := vouch.DuplicateProbe{AccountName: strings.TrimSpace(q.Get("account_name")), Name: strings.TrimSpace(q.Get("name")),
		Email: strings.TrimSpace(q.Get("email")), CRMID: strings.TrimSpace(q.Get("crm_id"))}
	for _, f := range []struct{ name, v string }{{"account_name", p.AccountName}, {"name", p.Name}, {"email", p.Email}, {"crm_id", p.CRMID}} {
		if len(f.v) > 200 {
			var v vouch.Validation
			v.Add(f.name, "must be at most 200 characters")
			writeError(w, paramError(v.Err()))
			return
		}
	}
	ds := vouch.SeenDuplicates(userFrom(r.Context()), nonNilDuplicates(h.noms.Duplicates(p)))
	writeJSON(w, http.StatusOK, struct {
		Duplicates []vouch.Duplicate `json:"duplicates"`
	}{ds})
}

// listNominations serves GET /api/v1/nominations: the nominations the
// caller may see (the team: all; anyone else: their own), oldest first;
// ?state= narrows it (open, qualified, accepted, rejected; "waiting" is
// open and qualified); ?reference_id= lists the nominations a reference
// was recruited from, with who nominated it.
func (h *Handler) listNominations(w http.ResponseWriter, r *http.Request) {
	var states []vouch.NominationState
	switch s := strings.TrimSpace(r.URL.Query().Get("state")); s {
	case "":
	case "waiting":
		states = []vouch.NominationState{vouch.NominationOpen, vouch.NominationQualified}
	default:
		st := vouch.NominationState(s)
		known := false
		for _, x := range vouch.NominationStates {
			known = known || x == st
		}
		if !known {
			var v vouch.Validation
			v.Add("state", "must be open, qualified, accepted, rejected or waiting")
			writeError(w, paramError(v.Err()))
			return
		}
		states = []vouch.NominationState{st}
	}
	f := store.NominationFilter{States: states}
	if s := strings.TrimSpace(r.URL.Query().Get("reference_id")); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			var v vouch.Validation
			v.Add("reference_id", "must be a reference's id")
			writeError(w, paramError(v.Err()))
			return
		}
		f.ReferenceID = id
	}
	list, err := h.noms.ListOf(r.Context(), userFrom(r.Context()), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	items := make([]nominationJSON, 0, len(list))
	for _, n := range list {
		items = append(items, h.nominationJSON(n))
	}
	writeJSON(w, http.StatusOK, newList(items, "", len(items)))
}

// nominationView is one nomination with what its page shows.
type nominationView struct {
	nominationJSON
	Duplicates []vouch.Duplicate `json:"duplicates"`
	Checklist  []vouch.CheckItem `json:"checklist_items"`
	Nominator  string            `json:"nominator"`
	DecidedBy  string            `json:"decided_by_name"`
}

func (h *Handler) viewJSON(u *vouch.User, v *nominations.View) nominationView {
	return nominationView{nominationJSON: h.nominationJSON(v.Nomination), Duplicates: vouch.SeenDuplicates(u, nonNilDuplicates(v.Duplicates)),
		Checklist: v.Checklist, Nominator: v.Nominator, DecidedBy: v.DecidedBy}
}

// getNomination serves GET /api/v1/nominations/{id}.
func (h *Handler) getNomination(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "nomination")
	if err != nil {
		writeError(w, err)
		return
	}
	u := userFrom(r.Context())
	v, err := h.noms.Get(r.Context(), u, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, h.viewJSON(u, v))
}

// qualifyNomination serves POST /api/v1/nominations/{id}/qualify:
// {"version": 1, "checklist": ["live_6_months", …]}, every item of the
// program's checklist ticked.
func (h *Handler) qualifyNomination(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "nomination")
	if err != nil {
		writeError(w, err)
		return
	}
	var in struct {
		Version   int      `json:"version"`
		Checklist []string `json:"checklist"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, err)
		return
	}
	n, err := h.noms.Qualify(r.Context(), userFrom(r.Context()), id, in.Version, in.Checklist)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, h.nominationJSON(n))
}

// acceptNomination serves POST /api/v1/nominations/{id}/accept:
// {"version": 2} creates the reference; {"version": 2, "reference_id": 7}
// re-activates the reference the nomination duplicates.
func (h *Handler) acceptNomination(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "nomination")
	if err != nil {
		writeError(w, err)
		return
	}
	var in struct {
		Version     int   `json:"version"`
		ReferenceID int64 `json:"reference_id"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, err)
		return
	}
	acc, err := h.noms.Accept(r.Context(), userFrom(r.Context()), id, in.Version, in.ReferenceID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		nominationJSON
		ReferenceStatus vouch.Status `json:"reference_status"`
		Reactivated     bool         `json:"reactivated"`
	}{h.nominationJSON(acc.Nomination), acc.Reference.Status, acc.Reactivated})
}

// rejectNomination serves POST /api/v1/nominations/{id}/reject:
// {"version": 1, "reason": "…"}; the reason is required and the nominator
// is told it.
func (h *Handler) rejectNomination(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "nomination")
	if err != nil {
		writeError(w, err)
		return
	}
	var in struct {
		Version int    `json:"version"`
		Reason  string `json:"reason"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, err)
		return
	}
	n, err := h.noms.Reject(r.Context(), userFrom(r.Context()), id, in.Version, in.Reason)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, h.nominationJSON(n))
}
