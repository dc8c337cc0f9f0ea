package api

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/vouchhq/vouch/internal/vouch"
)

// activityTypeItem is an activity type with the rules of its requests.
type activityTypeItem struct {
	ID       int64          `json:"id"`
	Name     string         `json:"name"`
	Retired  bool           `json:"retired"`
	Workflow vouch.Workflow `json:"workflow"`
	Approval bool           `json:"approval"`
	Points   int            `json:"points"`
}

func activityTypeOf(v *vouch.TaxonomyValue, rule vouch.ActivityTypeRule) activityTypeItem {
	return activityTypeItem{ID: v.ID, Name: v.Name, Retired: v.Retired, Workflow: rule.Workflow, Approval: rule.Approval, Points: rule.Points}
}

// listActivityTypes serves GET /api/v1/activity-types: every activity type
// in display order with its workflow, whether the account owner approves
// each ask, and the points an advocate earns for it.
func (h *Handler) listActivityTypes(w http.ResponseWriter, r *http.Request) {
	rules, err := h.ful.ActivityTypeRules(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	vals := h.cat.Values(vouch.TaxActivityType, true)
	items := make([]activityTypeItem, 0, len(vals))
	for _, v := range vals {
		rule, ok := rules[v.ID]
		if !ok {
			// Added after the rules were read.
			rule = vouch.DefaultActivityTypeRule(v.ID)
		}
		items = append(items, activityTypeOf(v, rule))
	}
	writeJSON(w, http.StatusOK, newList(items, "", len(items)))
}

// updateActivityType serves PATCH /api/v1/activity-types/{name}: change an
// activity type's rules. The name is matched ignoring case; fields left out
// are unchanged. New requests follow the new workflow; requests made
// already keep theirs.
func (h *Handler) updateActivityType(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	id := h.lookupValue(vouch.TaxActivityType, name)
	if id == 0 {
		msg := fmt.Sprintf("No activity type is named %q.", name)
		if best := h.closestValue(vouch.TaxActivityType, name); best != "" {
			msg = fmt.Sprintf("No activity type is named %q; did you mean %q?", name, best)
		}
		writeError(w, vouch.Errorf(vouch.ENOTFOUND, "%s", msg))
		return
	}
	var body struct {
		Workflow optional[string] `json:"workflow"`
		Approval optional[bool]   `json:"approval"`
		Points   optional[int]    `json:"points"`
	}
	if err := decode(r, &body); err != nil {
		writeError(w, err)
		return
	}
	rules, err := h.ful.ActivityTypeRules(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rule, ok := rules[id]
	if !ok {
		rule = vouch.DefaultActivityTypeRule(id)
	}
	if body.Workflow.Set {
		rule.Workflow = vouch.Workflow(strings.ReplaceAll(strings.ToLower(strings.TrimSpace(body.Workflow.Value)), "-", "_"))
	}
	if body.Approval.Set {
		rule.Approval = body.Approval.Value
	}
	if body.Points.Set {
		rule.Points = body.Points.Value
	}
	if err := h.ful.SetActivityTypeRule(r.Context(), rule); err != nil {
		h.fail(w, r, paramError(err))
		return
	}
	rules, err = h.ful.ActivityTypeRules(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, activityTypeOf(h.cat.Value(id), rules[id]))
}
