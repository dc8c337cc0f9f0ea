package web

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/vouchhq/vouch/internal/vouch"
)

// The ask ledger across teams on the reference and account pages
// (docs/ledger.md): every ask by any team, newest first; the program team
// logs other teams' asks and flags accounts.

// ledgerView is a ledger as a page shows it.
type ledgerView struct {
	Entries   []vouch.LedgerEntry
	Flag      vouch.AccountFlag
	Teams     []ledgerTeam
	CanManage bool
	Today     string
	// ByAccount: the entries are of several references, each named.
	ByAccount bool
}

type ledgerTeam struct{ Value, Label string }

func ledgerTeams() []ledgerTeam {
	out := make([]ledgerTeam, 0, len(vouch.AskTeams))
	for _, t := range vouch.AskTeams {
		out = append(out, ledgerTeam{t, vouch.TeamLabel(t)})
	}
	return out
}

var ledgerLabels = map[string]string{"team": "Team", "asked_on": "Asked on", "what": "What was asked", "outcome": "Outcome",
	"reason": "Reason", "until": "Until"}

// referenceLedger fills the reference page's ledger; the viewer was
// already found to see the reference.
func (h *Handler) referenceLedger(ctx context.Context, d *referenceProfile, ref *vouch.Reference) error {
	entries, err := h.db.ReferenceLedger(ctx, ref.ID)
	if err != nil {
		return err
	}
	d.HeldBack = h.opts.Fulfillment.HeldBack([]*vouch.Reference{ref})[ref.ID]
	d.Ledger = ledgerView{Entries: entries, Teams: ledgerTeams(), CanManage: d.CanManage, Today: h.clock.Today().String()}
	return nil
}

// accountLedger is the account page's ledger: the asks of the references
// the viewer may see, and the account's flag.
func (h *Handler) accountLedger(ctx context.Context, a *vouch.Account) (ledgerView, error) {
	u := userFrom(ctx)
	entries, err := h.opts.Fulfillment.AccountLedger(ctx, u, a.ID)
	if err != nil {
		return ledgerView{}, err
	}
	flag, err := h.db.AccountFlag(ctx, a.ID)
	if err != nil {
		return ledgerView{}, err
	}
	return ledgerView{Entries: entries, Flag: flag, CanManage: u.Can(vouch.PermManageProgram), Today: h.clock.Today().String(),
		ByAccount: true}, nil
}

// logTeamAsk serves POST /references/{id}/ledger: the program team logs
// an ask another team made. One the fatigue rules hold back is refused
// with the reason, and nothing is logged.
func (h *Handler) logTeamAsk(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	a := &vouch.TeamAsk{ReferenceID: id, Team: r.PostFormValue("team"), What: r.PostFormValue("what"), Outcome: r.PostFormValue("outcome")}
	p := &page{Form: r.PostForm}
	if s := strings.TrimSpace(r.PostFormValue("asked_on")); s != "" {
		d, err := vouch.ParseDate(s)
		if err != nil {
			p.Errors = map[string]string{"asked_on": "Asked on must be a date like 2027-01-31."}
			p.Error = "Nothing was logged. Please correct the highlighted fields."
			h.renderReference(w, r, http.StatusBadRequest, p, "ledger")
			return
		}
		a.AskedOn = d
	}
	if err := h.opts.Fulfillment.LogTeamAsk(r.Context(), userFrom(r.Context()), a); err != nil {
		if vouch.ErrorCode(err) == vouch.ECONFLICT {
			p.Error = "Nothing was logged: " + vouch.ErrorMessage(err)
			h.renderReference(w, r, http.StatusConflict, p, "ledger")
			return
		}
		if !isFormError(err) {
			h.fail(w, r, err)
			return
		}
		status := failForm(p, err, ledgerLabels)
		p.Error = "Nothing was logged. Please correct the highlighted fields."
		h.renderReference(w, r, status, p, "ledger")
		return
	}
	redirect(w, r, fmt.Sprintf("/references/%d#ledger", id), fmt.Sprintf("%s's ask logged.", vouch.TeamLabel(a.Team)))
}

// setAccountFlag serves POST /accounts/{id}/flag: flag the account while
// an escalation or renewal is open, or clear the flag.
func (h *Handler) setAccountFlag(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	reason := r.PostFormValue("reason")
	if r.PostFormValue("clear") != "" {
		reason = ""
	}
	var until vouch.Date
	if s := strings.TrimSpace(r.PostFormValue("until")); s != "" && reason != "" {
		d, err := vouch.ParseDate(s)
		if err != nil {
			redirectError(w, r, fmt.Sprintf("/accounts/%d#ledger", id), "Nothing was saved: until must be a date like 2027-01-31.")
			return
		}
		until = d
	}
	flag, err := h.opts.Fulfillment.SetAccountFlag(r.Context(), userFrom(r.Context()), id, reason, until)
	if err != nil {
		if isFormError(err) {
			redirectError(w, r, fmt.Sprintf("/accounts/%d#ledger", id), "Nothing was saved: "+flagProblem(err))
			return
		}
		h.fail(w, r, err)
		return
	}
	msg := "Flag cleared: the account's references may be asked again."
	if flag.Reason != "" {
		msg = fmt.Sprintf("Flagged: %s until %s. None of the account's references is asked meanwhile.", flag.Reason, formatDate(flag.Until))
	}
	redirect(w, r, fmt.Sprintf("/accounts/%d#ledger", id), msg)
}

// flagProblem names what is wrong with a flag, field by field.
func flagProblem(err error) string {
	var parts []string
	for field, why := range vouch.ErrorFields(err) {
		parts = append(parts, ledgerLabels[field]+" "+why)
	}
	if len(parts) == 0 {
		return vouch.ErrorMessage(err)
	}
	sort.Strings(parts)
	return strings.Join(parts, "; ") + "."
}
