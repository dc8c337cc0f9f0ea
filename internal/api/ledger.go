package api

import (
	"net/http"

	"github.com/vouchhq/vouch/internal/vouch"
)

// The ask ledger across teams (docs/ledger.md).

// referenceLedger serves GET /api/v1/references/{id}/ledger: every ask of
// the reference by any team, newest first.
func (h *Handler) referenceLedger(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "reference")
	if err != nil {
		writeError(w, err)
		return
	}
	entries, err := h.ful.ReferenceLedger(r.Context(), userFrom(r.Context()), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": entries})
}

// accountLedger serves GET /api/v1/accounts/{id}/ledger: every ask of the
// account's references the caller may see, newest first, with its flag.
func (h *Handler) accountLedger(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "account")
	if err != nil {
		writeError(w, err)
		return
	}
	entries, err := h.ful.AccountLedger(r.Context(), userFrom(r.Context()), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	flag, err := h.db.AccountFlag(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": entries, "flag": flag})
}

// logTeamAsk serves POST /api/v1/ledger: the program team logs an ask
// another team made. An ask the fatigue rules hold back is refused (409)
// with the reason.
func (h *Handler) logTeamAsk(w http.ResponseWriter, r *http.Request) {
	var body struct {
		ReferenceID int64      `json:"reference_id"`
		Team        string     `json:"team"`
		AskedOn     vouch.Date `json:"asked_on"`
		What        string     `json:"what"`
		Outcome     string     `json:"outcome"`
	}
	if err := decode(r, &body); err != nil {
		writeError(w, err)
		return
	}
	a := &vouch.TeamAsk{ReferenceID: body.ReferenceID, Team: body.Team, AskedOn: body.AskedOn, What: body.What, Outcome: body.Outcome}
	ctx := r.Context()
	u := userFrom(ctx)
	// A reference the caller may not see is not found, like an unknown one.
	if a.ReferenceID > 0 {
		if _, _, err := h.ful.Reference(ctx, u, a.ReferenceID); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if err := h.ful.LogTeamAsk(ctx, u, a); err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, a)
}

// setAccountFlag serves PUT /api/v1/accounts/{id}/flag: flag the account
// while an escalation or renewal is open, until a day; an empty reason
// clears the flag.
func (h *Handler) setAccountFlag(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "account")
	if err != nil {
		writeError(w, err)
		return
	}
	var body struct {
		Reason string     `json:"reason"`
		Until  vouch.Date `json:"until"`
	}
	if err := decode(r, &body); err != nil {
		writeError(w, err)
		return
	}
	flag, err := h.ful.SetAccountFlag(r.Context(), userFrom(r.Context()), id, body.Reason, body.Until)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, flag)
}
