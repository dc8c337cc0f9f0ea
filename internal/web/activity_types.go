package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/vouch"
)

// activityTypeRow is one activity type with its rule, as the page shows it.
type activityTypeRow struct {
	Type     *vouch.TaxonomyValue
	Rule     vouch.ActivityTypeRule
	Failed   bool              // this row's form was refused: show the input as given
	Form     map[string]string // the refused input
	Errors   map[string]string
	ErrorMsg string
}

var activityTypeLabels = map[string]string{"workflow": "Workflow", "points": "Points", "activity_type": "Activity type"}

// activityTypes serves GET /admin/activity-types: how each activity type's
// requests are fulfilled, whether owners approve, and the points it earns.
func (h *Handler) activityTypes(w http.ResponseWriter, r *http.Request) {
	h.renderActivityTypes(w, r, http.StatusOK, nil)
}

func (h *Handler) renderActivityTypes(w http.ResponseWriter, r *http.Request, status int, failed *activityTypeRow) {
	rules, err := h.opts.Fulfillment.ActivityTypeRules(r.Context())
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	var rows []activityTypeRow
	for _, t := range h.opts.Catalog.Values(vouch.TaxActivityType, false) {
		row := activityTypeRow{Type: t, Rule: rules[t.ID]}
		if row.Rule.TypeID == 0 {
			row.Rule = vouch.DefaultActivityTypeRule(t.ID)
		}
		if failed != nil && failed.Type.ID == t.ID {
			row.Failed, row.Form, row.Errors, row.ErrorMsg = true, failed.Form, failed.Errors, failed.ErrorMsg
		}
		rows = append(rows, row)
	}
	h.render(w, r, status, "activity_types", &page{Title: "Activity type rules", Nav: "requests", Data: rows})
}

// saveActivityType serves POST /admin/activity-types: one type's rule.
func (h *Handler) saveActivityType(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PostFormValue("type_id"), 10, 64)
	t := h.opts.Catalog.Value(id)
	if err != nil || t == nil || t.Kind != vouch.TaxActivityType {
		redirectError(w, r, "/admin/activity-types", "Choose an activity type from the list.")
		return
	}
	rule := vouch.ActivityTypeRule{TypeID: id, Workflow: vouch.Workflow(r.PostFormValue("workflow")),
		Approval: r.PostFormValue("approval") != ""}
	form := map[string]string{"workflow": r.PostFormValue("workflow"), "points": r.PostFormValue("points"),
		"approval": r.PostFormValue("approval")}
	points, perr := strconv.Atoi(strings.TrimSpace(r.PostFormValue("points")))
	rule.Points = points
	if perr != nil {
		failed := &activityTypeRow{Type: t, Form: form, Errors: map[string]string{"points": "Points must be a whole number from 0 to 10,000."},
			ErrorMsg: "The rule for " + t.Name + " is unchanged."}
		h.renderActivityTypes(w, r, http.StatusBadRequest, failed)
		return
	}
	if err := h.opts.Fulfillment.SetActivityTypeRule(r.Context(), rule); err != nil {
		if !isFormError(err) {
			h.serverError(w, r, err)
			return
		}
		failed := &activityTypeRow{Type: t, Form: form, Errors: fieldErrors(err, activityTypeLabels),
			ErrorMsg: "The rule for " + t.Name + " is unchanged. " + vouch.ErrorMessage(err)}
		h.renderActivityTypes(w, r, formStatus(err), failed)
		return
	}
	how := "the program team picks and asks"
	if rule.Workflow == vouch.WorkflowSelfServe {
		how = "sellers pick from the matches"
	}
	if rule.Approval {
		how += "; account owners approve each ask"
	}
	redirect(w, r, "/admin/activity-types", t.Name+" saved: "+how+", "+strconv.Itoa(rule.Points)+" points each.")
}
