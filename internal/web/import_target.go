package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/vouchhq/vouch/internal/contentsheet"
	"github.com/vouchhq/vouch/internal/refsheet"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// importTarget is what the import wizard imports: references (under
// /references/import) or a content list (under /content/import). Every
// step is the same handler and template; the target gives the layout, the
// planner, the words and the links.
type importTarget struct {
	Base     string // the wizard's first page, "/references/import"
	Nav      string // the nav entry the pages belong to
	Noun     string // what is imported, "references", "content items"
	One      string // one of them, "reference", "content item"
	Heading  string // the first page's heading
	ListURL  string // the list the imported records are in
	ListName string // its name, "the references", "the content library"
	Command  string // the command line for large files
	Content  bool   // the pages sit under the content library's tabs
	Requires string // the required columns, "account and name"
	Rules    []string
	// Plain marks an import of records that are neither references nor
	// content (the reference history): no accounts or picklist values are
	// added, and ColumnsNote says how its cells are written.
	Plain       bool
	ColumnsNote string
	// Dated marks an import whose slashed dates are read in an order the
	// person may choose (CRM exports): the mapping step asks for it.
	Dated bool
	// NoAccounts marks an import that never creates accounts (CRM deals):
	// the report does not count them.
	NoAccounts bool

	perm            vouch.Permission
	kind            vouch.JobKind
	layout          *refsheet.Layout
	columns         []refsheet.Column
	required        []string
	help            map[string]string
	groups          []importGroup
	label           func(key string) string
	template        string // the empty template's file name
	plan            func(context.Context, *store.DB, *refsheet.Sheet, refsheet.Mapping, refsheet.Options) (*refsheet.Report, error)
	apply           func(context.Context, *store.DB, *refsheet.Sheet, refsheet.Mapping, refsheet.Options, func(done, total int)) (*refsheet.Report, error)
	activityColumns bool // the mapping step offers a yes/no column per activity type
}

// importGroup is an optgroup of the mapping step: a label and its column keys.
type importGroup struct {
	label string
	keys  []string
}

var referenceImport = &importTarget{
	Base: "/references/import", Nav: "references", Noun: "references", One: "reference", Heading: "Import references",
	ListURL: "/references", ListName: "the references", Command: "vouch import references FILE", Requires: "account and name",
	Rules: []string{
		"Headers are recognised by name, in any case and spelling Vouch knows: “Company” or “Customer Name” is the account, “E-mail Address” the email. You can change every choice.",
		"A reference is matched by its CRM ID, else by email, else by name within its account, so importing the same file twice changes nothing.",
	},
	perm: vouch.PermManageProgram, kind: vouch.JobImport, layout: &refsheet.References, columns: refsheet.Columns,
	required: []string{"account", "name"}, help: referenceColumnHelp, template: "vouch-references-template.csv",
	plan: refsheet.Plan, apply: refsheet.Apply, activityColumns: true, label: referenceColumnLabel,
	groups: []importGroup{
		{"Account", []string{"account", "account_crm_id", "account_domain", "industry", "segment", "region", "country", "company_size"}},
		{"Person", []string{"name", "first_name", "last_name", "title", "seniority", "email", "phone", "time_zone", "languages"}},
		{"Reference", []string{"products", "use_cases", "competitors_replaced", "activities", "deployment", "go_live", "story",
			"owner", "last_verified", "status", "status_reason", "resting_until", "capacity", "crm_id"}},
	},
}

var contentImport = &importTarget{
	Base: "/content/import", Nav: "content", Noun: "content items", One: "content item", Heading: "Import a content list",
	ListURL: "/content", ListName: "the content library", Command: "vouch import content FILE", Content: true,
	Requires: "title and type",
	Rules: []string{
		"Headers are recognised by name, in any case and spelling Vouch knows: “Link” is the URL, “Customer” the featured accounts, “Status” the approval state. You can change every choice.",
		"An item is matched by its URL, else by its title and type, so importing the same file twice changes nothing.",
		"An approved item needs how it was approved and, unless no customer consent was needed, who approved; its consent lasts the program's consent period unless the row gives an expiry date.",
	},
	perm: vouch.PermManageContent, kind: vouch.JobContentImport, layout: &contentsheet.Layout, columns: contentsheet.Columns,
	required: []string{"title", "type"}, help: contentColumnHelp, template: "vouch-content-template.csv",
	plan: contentsheet.Plan, apply: contentsheet.Apply, label: func(key string) string {
		if key == "" {
			return "— ignore —"
		}
		return contentsheet.FieldName(key)
	},
	groups: []importGroup{
		{"Item", []string{"title", "type", "summary", "body", "url", "language", "published_on", "owner"}},
		{"Featuring", []string{"accounts", "references"}},
		{"Tags", []string{"industry", "region", "country", "segment", "company_size", "products", "use_cases", "competitors"}},
		{"Approval", []string{"state", "approved_by", "approval_method", "approved_on", "expires_on"}},
	},
}

// targetOf is the import the request's path is under.
func targetOf(r *http.Request) *importTarget {
	if strings.HasPrefix(r.URL.Path, contentImport.Base) {
		return contentImport
	}
	if strings.HasPrefix(r.URL.Path, activityImport.Base) {
		return activityImport
	}
	if strings.HasPrefix(r.URL.Path, opportunityImport.Base) {
		return opportunityImport
	}
	if strings.HasPrefix(r.URL.Path, crmAccountImport.Base) {
		return crmAccountImport
	}
	return referenceImport
}

// importColumn explains one column of a layout.
type importColumn struct {
	Key, Header, Help string
	Required          bool
}

func (t *importTarget) importColumns() []importColumn {
	out := make([]importColumn, len(t.columns))
	for i, c := range t.columns {
		out[i] = importColumn{Key: c.Key, Header: c.Header, Help: t.help[c.Key], Required: t.isRequired(c.Key)}
	}
	return out
}

func (t *importTarget) isRequired(key string) bool {
	for _, k := range t.required {
		if k == key {
			return true
		}
	}
	return false
}

// columnGroups are the mapping step's choices: every column and, for
// references, a yes/no column for each activity type (and for any type the
// mapping names).
func (h *Handler) columnGroups(r *http.Request, t *importTarget, m refsheet.Mapping) ([]columnGroup, error) {
	groups := []columnGroup{{Label: "", Choices: []columnChoice{{"", t.label("")}}}}
	for _, g := range t.groups {
		cg := columnGroup{Label: g.label}
		for _, k := range g.keys {
			label := t.label(k)
			if t.isRequired(k) {
				label += " (required)"
			}
			cg.Choices = append(cg.Choices, columnChoice{k, label})
		}
		groups = append(groups, cg)
	}
	if !t.activityColumns {
		return groups, nil
	}
	types, err := h.db.ListTaxonomy(r.Context(), vouch.TaxActivityType)
	if err != nil {
		return nil, err
	}
	act := columnGroup{Label: "Agreed to one activity type (yes/no)"}
	seen := map[string]bool{}
	for _, t := range types {
		k := "activity:" + t.Name
		act.Choices = append(act.Choices, columnChoice{k, referenceColumnLabel(k)})
		seen[strings.ToLower(k)] = true
	}
	for _, k := range m {
		if strings.HasPrefix(k, "activity:") && !seen[strings.ToLower(k)] {
			act.Choices = append(act.Choices, columnChoice{k, referenceColumnLabel(k)})
			seen[strings.ToLower(k)] = true
		}
	}
	return append(groups, act), nil
}

// referenceColumnLabel names a column of a references sheet as the mapping step shows it.
func referenceColumnLabel(key string) string {
	switch key {
	case "":
		return "— ignore —"
	case "first_name":
		return "First name"
	case "last_name":
		return "Last name"
	}
	if t, ok := strings.CutPrefix(key, "activity:"); ok {
		return "Agreed to " + t + " (yes/no)"
	}
	for _, c := range refsheet.Columns {
		if c.Key == key {
			return c.Header
		}
	}
	return key
}

var contentColumnHelp = map[string]string{
	"title":           "The item's title.",
	"type":            "A content type from the picklist: case study, video, quote, slide deck …",
	"summary":         "A short summary, free text.",
	"body":            "The text itself, or the quote.",
	"url":             "Where it lives: a web page, video, Google Doc or Dropbox link (https://…). Items are matched by it on a re-import.",
	"accounts":        "The accounts it features, by name, separated by ;.",
	"references":      "The references it features (quoted, on camera), by email, separated by ;.",
	"industry":        "Industries from the picklist, separated by ;.",
	"region":          "Regions from the picklist, separated by ;.",
	"country":         "Countries from the picklist, separated by ;.",
	"segment":         "Segments from the picklist, separated by ;.",
	"company_size":    "Size bands from the picklist, separated by ;.",
	"products":        "Products from the picklist, separated by ;.",
	"use_cases":       "Use cases from the picklist, separated by ;.",
	"competitors":     "Competitors from the picklist, separated by ;.",
	"language":        "The language it is in, e.g. English.",
	"published_on":    "The date it was published.",
	"owner":           "The email of the Vouch user who owns it; default: you.",
	"state":           "Draft, awaiting approval, approved external, approved internal, expired or withdrawn; default: draft.",
	"approved_by":     "Who at the customer approved, e.g. Dana Park, VP Marketing.",
	"approval_method": "How: mail (the customer's approval mail), document (a signed release), or internal (no customer consent needed).",
	"approved_on":     "The date of the approval; default: today.",
	"expires_on":      "The date consent ends; default: the consent period after the approval.",
}

var referenceColumnHelp = map[string]string{
	"account":              "The company's name.",
	"account_crm_id":       "The account's id in your CRM; accounts are matched by it, else by name.",
	"account_domain":       "Website or domain, e.g. northwind.com.",
	"industry":             "An industry from the picklist.",
	"segment":              "A segment from the picklist.",
	"region":               "A region from the picklist.",
	"country":              "A country from the picklist.",
	"company_size":         "A size band from the picklist, e.g. 1,001–5,000.",
	"name":                 "The person's full name, or instead two columns: First name and Last name.",
	"title":                "Job title.",
	"seniority":            "Executive, director, manager or practitioner.",
	"email":                "Work email. A reference is matched by CRM ID, else by email.",
	"phone":                "Phone number.",
	"time_zone":            "Like Europe/Berlin or America/New_York.",
	"languages":            "Separated by ; or , e.g. English; German.",
	"products":             "Products from the picklist, separated by ; or ,.",
	"use_cases":            "Use cases from the picklist, separated by ; or ,.",
	"competitors_replaced": "Competitors from the picklist, separated by ; or ,.",
	"activities":           "Activity types agreed to, e.g. Call; Case study (2026-01-05) — the date of consent in brackets is optional.",
	"deployment":           "Cloud, on-premises or hybrid.",
	"go_live":              "A date.",
	"story":                "A short story, free text.",
	"owner":                "The email of the Vouch user who owns the relationship.",
	"last_verified":        "The date the details were last confirmed.",
	"status":               "Nominated, qualifying, active, resting, retired or do not contact.",
	"status_reason":        "Why, for retired and do not contact.",
	"resting_until":        "The date a resting reference is active again.",
	"capacity":             "Activities per 90 days for this person, instead of the default.",
	"crm_id":               "The contact's id in your CRM; matches the reference on every re-import.",
}
