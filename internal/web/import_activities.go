package web

import (
	"github.com/vouchhq/vouch/internal/activitysheet"
	"github.com/vouchhq/vouch/internal/vouch"
)

// activityImport is the import wizard for a program's reference history:
// past reference activities, each tied to its deal when the file names one
// (internal/activitysheet), under /activities/import.
var activityImport = &importTarget{
	Base: "/activities/import", Nav: "references", Noun: "activities", One: "activity",
	Heading: "Import reference history (activities)", ListURL: "/references", ListName: "the references",
	Command: "vouch import activities FILE", Requires: "reference, activity type and date", Plain: true,
	ColumnsNote: "Reference, activity type and date are required. Dates may be written 2026-03-14, 3/14/2026 or 14.03.2026. Import the deals (opportunities) before the activities that name them.",
	Rules: []string{
		"Each row is one thing a reference did: who (email or CRM id), which activity type, on which day, and for which opportunity (its CRM id or exact name) when there was one.",
		"An activity is the same as one already logged when its reference, type, date and opportunity are, so importing the same file twice adds nothing.",
		"Stage at activity: the file's “Stage at activity” column when you map it; else the deal's stage now, but only while it is still open; else left empty.",
	},
	perm: vouch.PermManageProgram, kind: vouch.JobActivityImport, layout: &activitysheet.Layout, columns: activitysheet.Columns,
	required: activitysheet.Required, help: activityColumnHelp, template: "vouch-activities-template.csv",
	plan: activitysheet.Plan, apply: activitysheet.Apply, label: func(key string) string {
		if key == "" {
			return "— ignore —"
		}
		return activitysheet.FieldName(key)
	},
	groups: []importGroup{
		{"Activity", []string{"reference", "activity_type", "occurred_on", "notes", "points", "thank_you"}},
		{"Deal", []string{"opportunity", "opp_stage"}},
	},
}

var activityColumnHelp = map[string]string{
	"reference":     "The reference who did it: their email, or their CRM id.",
	"activity_type": "An activity type from the picklist: call, site visit, case study …",
	"occurred_on":   "The day it happened: 2026-03-14, 3/14/2026 or 14.03.2026.",
	"opportunity":   "The deal it helped: its CRM id, or its exact name. It must be in Vouch already.",
	"opp_stage":     "The deal's stage when the activity happened, e.g. Proposal. Default: the deal's stage now while it is open, else empty.",
	"notes":         "Free text.",
	"points":        "Points the advocate earned, a whole number.",
	"thank_you":     "The thank-you given: gift, donation, swag or none.",
}
