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
// coverage page's button names.
func (h *Handler) startCampaign(w http.ResponseWriter, r *http.Request) {
	value, _ := strconv.ParseInt(r.PostFormValue("value_id"), 10, 64)
	typ, _ := strconv.ParseInt(r.PostFormValue("activity_type_id"), 10, 64)
	c, err := h.opts.Campaigns.Start(r.Context(), userFrom(r.Context()), vouch.Campaign{Name: r.PostFormValue("name"),
		Dimension: r.PostFormValue("dimension"), ValueID: value, ActivityTypeID: typ})
	if err != nil {
		if vouch.ErrorCode(err) == vouch.EINVALID {
			redirectError(w, r, "/coverage", "The campaign could not start: "+fieldsText(err))
			return
		}
		h.serverError(w, r, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/campaigns/%d", c.ID), "Campaign started: add a contact at a candidate account to reach out.")
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

// campaignsPage serves GET /campaigns: every campaign, newest first.
func (h *Handler) campaignsPage(w http.ResponseWriter, r *http.Request) {
	list, err := h.db.Campaigns(r.Context())
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "campaigns", &page{Title: "Recruiting campaigns", Nav: "campaigns", Data: map[string]any{"Campaigns": list}})
}

// campaignPage serves GET /campaigns/{id}: the outreach so far with its
// funnel, and the ranked candidates with their reasons.
func (h *Handler) campaignPage(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return
	}
	c, err := h.db.Campaign(r.Context(), id)
	if vouch.ErrorCode(err) == vouch.ENOTFOUND {
		h.notFound(w, r)
		return
	} else if err != nil {
		h.serverError(w, r, err)
		return
	}
	contacts, err := h.db.CampaignContacts(r.Context(), id)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	funnel, err := h.opts.Campaigns.FunnelOf(r.Context(), contacts)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	ranked := campaigns.Rank(h.opts.Accounts, h.opts.Index, campaigns.Target{Dimension: c.Dimension, ValueID: c.ValueID,
		ActivityTypeID: c.ActivityTypeID}, h.clock.Today(), 20)
	kept, held := campaigns.HoldBack(h.opts.Index.Ledger(), ranked)
	names := map[int64]string{}
	for _, ct := range contacts {
		if _, ok := names[ct.AccountID]; !ok {
			if a, err := h.db.Account(r.Context(), ct.AccountID); err == nil {
				names[ct.AccountID] = a.Name
			}
		}
	}
	cat := h.opts.Index.Catalog()
	h.render(w, r, http.StatusOK, "campaign", &page{Title: c.Name, Nav: "campaigns", Data: map[string]any{
		"Campaign": c, "Value": cat.ValueName(c.ValueID), "ActivityType": cat.ValueName(c.ActivityTypeID),
		"Contacts": contacts, "Funnel": funnel, "Candidates": kept, "Held": held, "AccountNames": names,
		"States": vouch.OutreachStates, "CanNominations": userFrom(r.Context()).Can(vouch.PermNominate),
	}})
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
