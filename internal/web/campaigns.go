package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/campaigns"
	"github.com/vouchhq/vouch/internal/vouch"
)

// startCampaign serves POST /campaigns: a campaign for the gap cell the
// coverage page's button names, or for a goal or a drive from the
// campaigns page.
func (h *Handler) startCampaign(w http.ResponseWriter, r *http.Request) {
	value, _ := strconv.ParseInt(r.PostFormValue("value_id"), 10, 64)
	typ, _ := strconv.ParseInt(r.PostFormValue("activity_type_id"), 10, 64)
	goal, _ := strconv.ParseInt(r.PostFormValue("goal_id"), 10, 64)
	target, _ := strconv.Atoi(strings.TrimSpace(r.PostFormValue("drive_target")))
	due, _ := vouch.ParseDate(strings.TrimSpace(r.PostFormValue("due_on")))
	aim := r.PostFormValue("aim")
	c, err := h.opts.Campaigns.Start(r.Context(), userFrom(r.Context()), vouch.Campaign{Name: r.PostFormValue("name"), Aim: aim,
		Dimension: r.PostFormValue("dimension"), ValueID: value, ActivityTypeID: typ, GoalID: goal,
		DriveWhat: r.PostFormValue("drive_what"), DriveTarget: target, DueOn: due})
	if err != nil {
		if vouch.ErrorCode(err) == vouch.EINVALID {
			back := "/coverage"
			if aim == vouch.AimGoal || aim == vouch.AimDrive {
				back = "/campaigns#start-" + aim
			}
			redirectError(w, r, back, "The campaign could not start: "+fieldsText(err))
			return
		}
		h.serverError(w, r, err)
		return
	}
	msg := "Campaign started: add a contact at a candidate account to reach out."
	if c.Aim == vouch.AimDrive {
		msg = "Drive started: invite references as advocates."
	}
	redirect(w, r, fmt.Sprintf("/campaigns/%d", c.ID), msg)
}

// fieldsText is a validation error's fields as one sentence.
func fieldsText(err error) string {
	var parts []string
	for f, m := range vouch.ErrorFields(err) {
		parts = append(parts, strings.ReplaceAll(f, "_", " ")+" "+m)
	}
	if len(parts) == 0 {
		return vouch.ErrorMessage(err)
	}
	return strings.Join(parts, "; ") + "."
}

// campaignsPage serves GET /campaigns: every campaign, newest first, the
// closed ones apart.
func (h *Handler) campaignsPage(w http.ResponseWriter, r *http.Request) {
	list, err := h.opts.Campaigns.List(r.Context(), userFrom(r.Context()))
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	var goalList []*vouch.Goal
	if h.opts.Goals != nil {
		if goalList, err = h.opts.Goals.Goals(r.Context(), vouch.GoalFilter{Kind: vouch.GoalProgram}); err != nil {
			h.serverError(w, r, err)
			return
		}
	}
	var open, closed []*vouch.Campaign
	for _, c := range list {
		if c.Closed() {
			closed = append(closed, c)
		} else {
			open = append(open, c)
		}
	}
	cat := h.opts.Index.Catalog()
	h.render(w, r, http.StatusOK, "campaigns", &page{Title: "Recruiting campaigns", Nav: "campaigns", Data: map[string]any{
		"Campaigns": open, "Closed": closed, "Goals": goalList, "ActivityTypes": cat.Values(vouch.TaxActivityType, false),
		"Quarter": h.clock.Today().AddDays(90).String()}})
}

// campaignPage serves GET /campaigns/{id}: the outreach so far with its
// funnel, the outreach mail, and the ranked candidates with their reasons.
func (h *Handler) campaignPage(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return
	}
	v, err := h.opts.Campaigns.Get(r.Context(), userFrom(r.Context()), h.opts.Accounts, h.opts.Index, id)
	if vouch.ErrorCode(err) == vouch.ENOTFOUND {
		h.notFound(w, r)
		return
	} else if err != nil {
		h.serverError(w, r, err)
		return
	}
	subject, body := v.Campaign.OutreachTemplate()
	closedBy := ""
	if v.Campaign.ClosedBy != 0 {
		if u, err := h.db.User(r.Context(), v.Campaign.ClosedBy); err == nil {
			closedBy = u.Name
		}
	}
	h.render(w, r, http.StatusOK, "campaign", &page{Title: v.Campaign.Name, Nav: "campaigns", Data: map[string]any{
		"Campaign": v.Campaign, "Value": v.Value, "ActivityType": v.ActivityType, "Goal": v.Goal, "V": v,
		"AdvocateStates": vouch.AdvocateStates, "ClosedBy": closedBy,
		"Contacts": v.Contacts, "Funnel": v.Funnel, "Candidates": v.Candidates, "Held": v.Held, "AccountNames": v.AccountNames,
		"States": vouch.OutreachStates, "CanNominations": userFrom(r.Context()).Can(vouch.PermNominate),
		"Subject": subject, "Body": body, "Placeholders": strings.Join(vouch.OutreachPlaceholders, ", "),
	}})
}

// changeCampaign serves POST /campaigns/{id}/change: the rename form sends
// a name, the close form state closed with the outcome note, the reopen
// form state open; each the version the page was read at.
func (h *Handler) changeCampaign(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return
	}
	var ch vouch.CampaignChange
	if _, ok := r.PostForm["name"]; ok {
		name := r.PostForm.Get("name")
		ch.Name = &name
	}
	if _, ok := r.PostForm["state"]; ok {
		st := vouch.CampaignState(r.PostForm.Get("state"))
		ch.State = &st
		if _, ok := r.PostForm["note"]; ok && st == vouch.CampaignClosed {
			note := r.PostForm.Get("note")
			ch.Note = &note
		}
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	back := fmt.Sprintf("/campaigns/%d", id)
	c, err := h.opts.Campaigns.Change(r.Context(), userFrom(r.Context()), id, version, ch)
	switch vouch.ErrorCode(err) {
	case "":
		msg := "Campaign renamed “" + c.Name + "”."
		switch {
		case ch.State != nil && c.Closed():
			msg = "Campaign closed: it is listed under Closed, with its history and funnel."
		case ch.State != nil:
			msg = "Campaign reopened: reach out again."
		}
		redirect(w, r, back, msg)
	case vouch.EINVALID:
		redirectError(w, r, back+"#campaign-settings", "Not saved: "+fieldsText(err))
	case vouch.ECONFLICT:
		redirectError(w, r, back, "Someone changed this campaign meanwhile: see where it stands now, then try again.")
	case vouch.ENOTFOUND:
		h.notFound(w, r)
	default:
		h.serverError(w, r, err)
	}
}

// setCampaignOutreach serves POST /campaigns/{id}/outreach: the campaign's
// outreach mail template.
func (h *Handler) setCampaignOutreach(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return
	}
	back := fmt.Sprintf("/campaigns/%d#outreach-mail", id)
	_, err = h.opts.Campaigns.SetOutreach(r.Context(), userFrom(r.Context()), id, r.PostFormValue("subject"), r.PostFormValue("body"))
	switch vouch.ErrorCode(err) {
	case "":
		redirect(w, r, back, "Outreach mail saved.")
	case vouch.EINVALID:
		redirectError(w, r, back, "The outreach mail was not saved: "+fieldsText(err))
	case vouch.ENOTFOUND:
		h.notFound(w, r)
	default:
		h.serverError(w, r, err)
	}
}

// outreachPage serves GET /campaign-contacts/{id}/outreach: the outreach
// mail to the contact, rendered from the campaign's template, to read and
// edit before it is sent.
func (h *Handler) outreachPage(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return
	}
	d, err := h.opts.Campaigns.Outreach(r.Context(), userFrom(r.Context()), id)
	h.renderOutreach(w, r, d, err, "")
}

func (h *Handler) renderOutreach(w http.ResponseWriter, r *http.Request, d *campaigns.Draft, err error, problem string) {
	switch vouch.ErrorCode(err) {
	case "":
	case vouch.EINVALID:
		if d == nil {
			redirectError(w, r, "/campaigns", "No outreach to send: "+fieldsText(err))
			return
		}
	case vouch.ENOTFOUND:
		h.notFound(w, r)
		return
	default:
		h.serverError(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "campaign_outreach", &page{Title: "Outreach to " + d.Contact.Name, Nav: "campaigns", Error: problem,
		Data: map[string]any{"D": d}})
}

// sendOutreach serves POST /campaign-contacts/{id}/outreach: the mail as
// edited goes out through the outbox and the contact is contacted.
func (h *Handler) sendOutreach(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return
	}
	u := userFrom(r.Context())
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	subject, body := r.PostFormValue("subject"), r.PostFormValue("body")
	ct, err := h.opts.Campaigns.SendOutreach(r.Context(), u, id, version, subject, body)
	if err == nil {
		redirect(w, r, fmt.Sprintf("/campaigns/%d#contact-%d", ct.CampaignID, ct.ID),
			"Outreach to "+ct.Name+" is in the outbox; record their reply on the contact.")
		return
	}
	d, derr := h.opts.Campaigns.Outreach(r.Context(), u, id)
	if derr != nil {
		h.renderOutreach(w, r, d, derr, "")
		return
	}
	// The draft keeps what was typed.
	d.Subject, d.Body = subject, body
	switch vouch.ErrorCode(err) {
	case vouch.EINVALID:
		h.renderOutreach(w, r, d, nil, "Not sent: "+fieldsText(err))
	case vouch.ECONFLICT:
		h.renderOutreach(w, r, d, nil, "Not sent: "+vouch.ErrorMessage(err))
	default:
		h.renderOutreach(w, r, nil, err, "")
	}
}

// recordReply serves POST /campaign-contacts/{id}/reply: the contact's
// reply is kept in the outreach's notes.
func (h *Handler) recordReply(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	ct, err := h.opts.Campaigns.RecordReply(r.Context(), userFrom(r.Context()), id, version, r.PostFormValue("note"))
	back := "/campaigns/" + r.PostFormValue("campaign")
	if _, perr := strconv.ParseInt(r.PostFormValue("campaign"), 10, 64); perr != nil {
		back = "/campaigns"
	}
	switch vouch.ErrorCode(err) {
	case "":
		redirect(w, r, fmt.Sprintf("%s#contact-%d", back, ct.ID), "Reply recorded for "+ct.Name+".")
	case vouch.EINVALID:
		redirectError(w, r, back+"#outreach", "The reply was not recorded: "+fieldsText(err))
	case vouch.ECONFLICT:
		redirectError(w, r, back+"#outreach", "Someone changed this contact meanwhile: see where it stands now.")
	case vouch.ENOTFOUND:
		h.notFound(w, r)
	default:
		h.serverError(w, r, err)
	}
}

// addCampaignContact serves POST /campaigns/{id}/contacts.
func (h *Handler) addCampaignContact(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return
	}
	acct, _ := strconv.ParseInt(r.PostFormValue("account_id"), 10, 64)
	back := fmt.Sprintf("/campaigns/%d", id)
	ct, err := h.opts.Campaigns.AddContact(r.Context(), userFrom(r.Context()), vouch.CampaignContact{CampaignID: id, AccountID: acct,
		Name: r.PostFormValue("name"), Email: r.PostFormValue("email")})
	switch vouch.ErrorCode(err) {
	case "":
		redirect(w, r, back+"#outreach", ct.Name+" is to contact.")
	case vouch.EINVALID:
		redirectError(w, r, back, "The contact was not added: "+fieldsText(err))
	case vouch.ENOTFOUND:
		h.notFound(w, r)
	default:
		h.serverError(w, r, err)
	}
}

// moveCampaignContact serves POST /campaign-contacts/{id}: the outreach
// moves on, with the reply as a note.
func (h *Handler) moveCampaignContact(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	ct, err := h.opts.Campaigns.Move(r.Context(), userFrom(r.Context()), id, version,
		vouch.OutreachState(r.PostFormValue("state")), r.PostFormValue("note"))
	back := "/campaigns/" + r.PostFormValue("campaign")
	if _, perr := strconv.ParseInt(r.PostFormValue("campaign"), 10, 64); perr != nil {
		back = "/campaigns"
	}
	switch vouch.ErrorCode(err) {
	case "":
		msg := ct.Name + ": " + ct.State.Label() + "."
		if ct.NominationID != 0 {
			msg = fmt.Sprintf("%s is nominated: nomination #%d waits for the team to qualify it.", ct.Name, ct.NominationID)
		}
		redirect(w, r, back+"#outreach", msg)
	case vouch.EINVALID:
		redirectError(w, r, back+"#outreach", "Not moved: "+fieldsText(err))
	case vouch.ECONFLICT:
		redirectError(w, r, back+"#outreach", "Someone moved this contact meanwhile: see where it stands now.")
	case vouch.ENOTFOUND:
		h.notFound(w, r)
	default:
		h.serverError(w, r, err)
	}
}

// inviteAdvocate serves POST /campaigns/{id}/advocates: a reference, named
// by email or id, is asked for an item of the drive.
func (h *Handler) inviteAdvocate(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return
	}
	back := fmt.Sprintf("/campaigns/%d", id)
	ref, err := h.opts.Campaigns.ReferenceByEmailOrID(r.Context(), r.PostFormValue("reference"))
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	a, err := h.opts.Campaigns.InviteAdvocate(r.Context(), userFrom(r.Context()), id, ref, r.PostFormValue("note"))
	switch vouch.ErrorCode(err) {
	case "":
		redirect(w, r, fmt.Sprintf("%s#advocate-%d", back, a.ID), a.ReferenceName+" is invited.")
	case vouch.EINVALID:
		redirectError(w, r, back+"#advocates", "Not invited: "+fieldsText(err))
	case vouch.ECONFLICT:
		redirectError(w, r, back+"#advocates", "Not invited: "+vouch.ErrorMessage(err))
	case vouch.ENOTFOUND:
		h.notFound(w, r)
	default:
		h.serverError(w, r, err)
	}
}

// moveAdvocate serves POST /drive-advocates/{id}: the advocate agreed, did
// it (with the evidence) or declined.
func (h *Handler) moveAdvocate(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	a, err := h.opts.Campaigns.MoveAdvocate(r.Context(), userFrom(r.Context()), id, version,
		vouch.AdvocateState(r.PostFormValue("state")), r.PostFormValue("evidence"), r.PostFormValue("note"))
	back := "/campaigns/" + r.PostFormValue("campaign")
	if _, perr := strconv.ParseInt(r.PostFormValue("campaign"), 10, 64); perr != nil {
		back = "/campaigns"
	}
	switch vouch.ErrorCode(err) {
	case "":
		redirect(w, r, fmt.Sprintf("%s#advocate-%d", back, a.ID), a.ReferenceName+": "+a.State.Label()+".")
	case vouch.EINVALID:
		redirectError(w, r, back+"#advocates", "Not moved: "+fieldsText(err))
	case vouch.ECONFLICT:
		redirectError(w, r, back+"#advocates", "Someone moved this advocate meanwhile: see where it stands now.")
	case vouch.ENOTFOUND:
		h.notFound(w, r)
	default:
		h.serverError(w, r, err)
	}
}
