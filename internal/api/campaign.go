package api

import (
	"net/http"
	"strings"

	"github.com/vouchhq/vouch/internal/campaigns"
	"github.com/vouchhq/vouch/internal/vouch"
)

// WithCampaigns adds recruiting campaigns and drives: the program team
// (manage_campaigns) starts them, reaches out and tracks advocates.
func (h *Handler) WithCampaigns(c *campaigns.Service) *Handler {
	h.camps = c
	return h
}

// listCampaigns serves GET /api/v1/campaigns: every campaign, newest first.
func (h *Handler) listCampaigns(w http.ResponseWriter, r *http.Request) {
	list, err := h.camps.List(r.Context(), userFrom(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newList(list, "", len(list)))
}

// campaignInput is the body of POST /api/v1/campaigns.
type campaignInput struct {
	Name            string `json:"name"`
	Aim             string `json:"aim"`
	Dimension       string `json:"dimension"`
	ValueID         int64  `json:"value_id"`
	ActivityTypeID  int64  `json:"activity_type_id"`
	GoalID          int64  `json:"goal_id"`
	DriveWhat       string `json:"drive_what"`
	DriveTarget     int    `json:"drive_target"`
	DueOn           string `json:"due_on"`
	OutreachSubject string `json:"outreach_subject"`
	OutreachBody    string `json:"outreach_body"`
}

// createCampaign serves POST /api/v1/campaigns: a campaign for a gap, a
// goal or a drive.
func (h *Handler) createCampaign(w http.ResponseWriter, r *http.Request) {
	var in campaignInput
	if err := decode(r, &in); err != nil {
		writeError(w, err)
		return
	}
	var due vouch.Date
	if s := strings.TrimSpace(in.DueOn); s != "" {
		d, err := vouch.ParseDate(s)
		if err != nil {
			var v vouch.Validation
			v.Add("due_on", "must be a date like 2027-03-31")
			writeError(w, v.Err())
			return
		}
		due = d
	}
	u := userFrom(r.Context())
	c, err := h.camps.Start(r.Context(), u, vouch.Campaign{Name: in.Name, Aim: in.Aim, Dimension: in.Dimension, ValueID: in.ValueID,
		ActivityTypeID: in.ActivityTypeID, GoalID: in.GoalID, DriveWhat: in.DriveWhat, DriveTarget: in.DriveTarget, DueOn: due})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if in.OutreachSubject != "" || in.OutreachBody != "" {
		if c, err = h.camps.SetOutreach(r.Context(), u, c.ID, in.OutreachSubject, in.OutreachBody); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusCreated, c)
}

// candidateJSON is a ranked candidate account with its reasons.
type candidateJSON struct {
	AccountID   int64    `json:"account_id"`
	AccountName string   `json:"account_name"`
	Score       int      `json:"score"`
	Reasons     []string `json:"reasons"`
	Former      bool     `json:"former"`
	HeldBack    string   `json:"held_back,omitempty"`
}

func candidateOf(c campaigns.Candidate, held string) candidateJSON {
	reasons := c.Reasons
	if reasons == nil {
		reasons = []string{}
	}
	return candidateJSON{AccountID: c.Account.ID, AccountName: c.Account.Name, Score: c.Score, Reasons: reasons, Former: c.Former, HeldBack: held}
}

// campaignView is GET /api/v1/campaigns/{id}.
type campaignView struct {
	*vouch.Campaign
	Funnel     funnelJSON               `json:"funnel"`
	Contacts   []*vouch.CampaignContact `json:"contacts"`
	Candidates []candidateJSON          `json:"candidates"`
	HeldBack   []candidateJSON          `json:"held_back"`
	Advocates  []*vouch.DriveAdvocate   `json:"advocates"`
	Progress   *vouch.DriveProgress     `json:"progress,omitempty"`
}

type funnelJSON struct {
	Contacts   int            `json:"contacts"`
	ByState    map[string]int `json:"by_state"`
	Nominated  int            `json:"nominated"`
	Recruited  int            `json:"recruited"`
	Conversion int            `json:"conversion_percent"`
}

// getCampaign serves GET /api/v1/campaigns/{id}: the funnel, contacts and
// ranked candidates with their reasons and the accounts the ask ledger
// holds back, or a drive's advocates and progress.
func (h *Handler) getCampaign(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "campaign")
	if err != nil {
		writeError(w, err)
		return
	}
	v, err := h.camps.Get(r.Context(), userFrom(r.Context()), h.accts, h.ix, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := campaignView{Campaign: v.Campaign, Contacts: v.Contacts, Advocates: v.Advocates,
		Candidates: []candidateJSON{}, HeldBack: []candidateJSON{},
		Funnel: funnelJSON{Contacts: v.Funnel.Contacts, ByState: map[string]int{}, Nominated: v.Funnel.Nominated,
			Recruited: v.Funnel.Recruited, Conversion: v.Funnel.Conversion}}
	for _, s := range vouch.OutreachStates {
		out.Funnel.ByState[string(s)] = v.Funnel.ByState[s]
	}
	for _, c := range v.Candidates {
		out.Candidates = append(out.Candidates, candidateOf(c, ""))
	}
	for _, hb := range v.Held {
		out.HeldBack = append(out.HeldBack, candidateOf(hb.Candidate, hb.Reason))
	}
	if v.Campaign.Aim == vouch.AimDrive {
		out.Progress = &v.Progress
	}
	writeJSON(w, http.StatusOK, out)
}

// addCampaignContact serves POST /api/v1/campaigns/{id}/contacts:
// {"account_id": 3, "name": "Tomas Reyes", "email": "tomas@…"}.
func (h *Handler) addCampaignContact(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "campaign")
	if err != nil {
		writeError(w, err)
		return
	}
	var in struct {
		AccountID int64  `json:"account_id"`
		Name      string `json:"name"`
		Email     string `json:"email"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, err)
		return
	}
	c, err := h.camps.AddContact(r.Context(), userFrom(r.Context()), vouch.CampaignContact{CampaignID: id, AccountID: in.AccountID,
		Name: in.Name, Email: in.Email})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, c)
}

// moveCampaignContact serves POST /api/v1/campaign-contacts/{id}/move:
// {"version": 1, "state": "contacted", "note": "…"}; nominated nominates
// the contact in the same transaction.
func (h *Handler) moveCampaignContact(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "campaign contact")
	if err != nil {
		writeError(w, err)
		return
	}
	var in struct {
		Version int    `json:"version"`
		State   string `json:"state"`
		Note    string `json:"note"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, err)
		return
	}
	c, err := h.camps.Move(r.Context(), userFrom(r.Context()), id, in.Version, vouch.OutreachState(in.State), in.Note)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

// sendOutreach serves POST /api/v1/campaign-contacts/{id}/outreach:
// {"version": 1, "subject": "…", "body": "…"} sends the outreach mail
// through the outbox; GET answers the draft rendered from the template.
func (h *Handler) sendOutreach(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "campaign contact")
	if err != nil {
		writeError(w, err)
		return
	}
	var in struct {
		Version int    `json:"version"`
		Subject string `json:"subject"`
		Body    string `json:"body"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, err)
		return
	}
	c, err := h.camps.SendOutreach(r.Context(), userFrom(r.Context()), id, in.Version, in.Subject, in.Body)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

// outreachDraft serves GET /api/v1/campaign-contacts/{id}/outreach.
func (h *Handler) outreachDraft(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "campaign contact")
	if err != nil {
		writeError(w, err)
		return
	}
	d, err := h.camps.Outreach(r.Context(), userFrom(r.Context()), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		To       string `json:"to"`
		Subject  string `json:"subject"`
		Body     string `json:"body"`
		Version  int    `json:"version"`
		HeldBack string `json:"held_back"`
	}{d.To, d.Subject, d.Body, d.Contact.Version, d.HeldBack})
}

// inviteAdvocate serves POST /api/v1/campaigns/{id}/advocates:
// {"reference_id": 7, "note": "…"} invites a reference to a drive.
func (h *Handler) inviteAdvocate(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "campaign")
	if err != nil {
		writeError(w, err)
		return
	}
	var in struct {
		ReferenceID int64  `json:"reference_id"`
		Note        string `json:"note"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, err)
		return
	}
	a, err := h.camps.InviteAdvocate(r.Context(), userFrom(r.Context()), id, in.ReferenceID, in.Note)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, a)
}

// moveAdvocate serves POST /api/v1/drive-advocates/{id}/move:
// {"version": 2, "state": "done", "evidence": "https://…", "note": "…"}.
func (h *Handler) moveAdvocate(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "drive advocate")
	if err != nil {
		writeError(w, err)
		return
	}
	var in struct {
		Version  int    `json:"version"`
		State    string `json:"state"`
		Evidence string `json:"evidence"`
		Note     string `json:"note"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, err)
		return
	}
	a, err := h.camps.MoveAdvocate(r.Context(), userFrom(r.Context()), id, in.Version, vouch.AdvocateState(in.State), in.Evidence, in.Note)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}

// setCampaignOutreach serves PUT /api/v1/campaigns/{id}/outreach:
// {"subject": "…", "body": "…"} sets the outreach mail template; both
// empty bring the default text back.
func (h *Handler) setCampaignOutreach(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "campaign")
	if err != nil {
		writeError(w, err)
		return
	}
	var in struct {
		Subject string `json:"subject"`
		Body    string `json:"body"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, err)
		return
	}
	c, err := h.camps.SetOutreach(r.Context(), userFrom(r.Context()), id, in.Subject, in.Body)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

// campaignChange is the body of PATCH /api/v1/campaigns/{id}: fields left
// out are unchanged; the version read is required.
type campaignChange struct {
	Version optional[int]    `json:"version"`
	Name    optional[string] `json:"name"`
	State   optional[string] `json:"state"`
	Note    optional[string] `json:"note"`
}

// changeCampaign serves PATCH /api/v1/campaigns/{id}: {"version": 1,
// "name": "…"} renames the campaign; {"version": 2, "state": "closed",
// "note": "…"} closes it with its outcome, {"state": "open"} reopens it.
// A stale version is a conflict (409).
func (h *Handler) changeCampaign(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "campaign")
	if err != nil {
		writeError(w, err)
		return
	}
	var in campaignChange
	if err := decode(r, &in); err != nil {
		writeError(w, err)
		return
	}
	ch := vouch.CampaignChange{Name: ptr(in.Name), Note: ptr(in.Note)}
	if in.State.Set {
		st := vouch.CampaignState(in.State.Value)
		ch.State = &st
	}
	c, err := h.camps.Change(r.Context(), userFrom(r.Context()), id, in.Version.Value, ch)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}
