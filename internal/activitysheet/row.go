package activitysheet

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vouchhq/vouch/internal/refsheet"
	"github.com/vouchhq/vouch/internal/vouch"
)

// rowError is a problem with the sheet index of its column, to list a
// row's problems left to right (-1: the whole row).
type rowError struct {
	refsheet.RowError
	col int
}

// rowCtx collects one row's cells and problems.
type rowCtx struct {
	p       *planner
	row     refsheet.Row
	errs    []rowError
	cleaned bool // row.Cells is a copy without control characters
}

// cell returns the value of a column ("" when the sheet lacks the column).
func (c *rowCtx) cell(key string) string {
	if i, ok := c.p.col[key]; ok {
		return strings.TrimSpace(c.row.Cells[i])
	}
	return ""
}

func (c *rowCtx) fail(key, value, reason string) *refsheet.RowError {
	return c.failBecause(key, value, reason, "")
}

// failBecause records a problem with a column's cell (key "": the whole
// row); cause words it alike for every row, when reason names other rows.
func (c *rowCtx) failBecause(key, value, reason, cause string) *refsheet.RowError {
	e := rowError{RowError: refsheet.RowError{Row: c.row.Number, Value: value, Reason: reason, Cause: cause}, col: -1}
	if key != "" {
		e.Field = FieldName(key)
		e.Column = e.Field
		e.col = len(c.p.sheet.Headers)
		if i, ok := c.p.col[key]; ok {
			e.Column, e.Letter, e.col = c.p.sheet.Headers[i], refsheet.ColumnLetter(i), i
		}
	}
	c.errs = append(c.errs, e)
	return &c.errs[len(c.errs)-1].RowError
}

// checkText refuses the cells Vouch could not store or show (invalid UTF-8,
// control characters; notes may hold line breaks), as the reference import
// does, and reads the rest of the row without them.
func (c *rowCtx) checkText() {
	for key, i := range c.p.col {
		reason, cause, cleaned := refsheet.CellProblem(c.row.Cells[i], refsheet.ColumnLetter(i), FieldName(key), key == "notes")
		if reason == "" {
			continue
		}
		e := c.fail(key, vouch.Printable(c.row.Cells[i]), reason)
		e.Cause = cause
		if !c.cleaned {
			c.row.Cells, c.cleaned = slices.Clone(c.row.Cells), true
		}
		c.row.Cells[i] = cleaned
	}
}

// parse reads every mapped cell of the row into an activity, collecting problems.
func (c *rowCtx) parse() *vouch.Activity {
	p := c.p
	a := &vouch.Activity{State: vouch.ActivityDone}
	if e := refsheet.ExtraCells(c.row); e.Reason != "" {
		c.errs = append(c.errs, rowError{e, -1})
	}
	c.checkText()
	a.ReferenceID = c.reference()
	if s := c.cell("activity_type"); s == "" {
		c.fail("activity_type", "", "is empty; every activity needs its type: call, site visit, case study …")
	} else {
		id, reason := p.values.Find(vouch.TaxActivityType, s, false)
		switch {
		case reason != "":
			if strings.HasPrefix(reason, "not a known ") {
				// Not added by an import: a new type needs its workflow and points set.
				reason = "not an activity type Vouch has; an admin adds types under Activity types"
			}
			c.fail("activity_type", s, reason)
		case p.values.Retired(id) != nil:
			c.fail("activity_type", s, vouch.RetiredValue(p.values.Retired(id)))
		default:
			a.TypeID = id
		}
	}
	if s := c.cell("occurred_on"); s == "" {
		c.fail("occurred_on", "", "is empty; every activity needs the day it happened")
	} else if day, reason := refsheet.ParseDate(s, p.xlsx); reason != "" {
		c.fail("occurred_on", s, reason)
	} else {
		a.OccurredOn = day
	}
	if opp := c.opportunity(); opp != nil {
		a.OpportunityID, a.OppAmountCents = opp.ID, opp.AmountCents
		if opp.Status == vouch.OpportunityOpen {
			a.OppStage = opp.Stage
		}
		if s := strings.Join(strings.Fields(c.cell("opp_stage")), " "); s != "" {
			if len(s) > 100 {
				c.fail("opp_stage", s, "is longer than 100 characters")
			}
			a.OppStage = s
		}
	} else if s := c.cell("opp_stage"); s != "" && c.cell("opportunity") == "" {
		c.fail("opp_stage", s, "is given without an opportunity; name the opportunity, or leave the stage empty")
	}
	if a.Notes = c.cell("notes"); len(a.Notes) > 5000 {
		c.fail("notes", a.Notes, "is longer than 5,000 characters")
	}
	if s := c.cell("points"); s != "" {
		if n, err := atoi(s); err != nil || n < 0 {
			c.fail("points", s, "is not a whole number of points (0 or more)")
		} else {
			a.Points = n
		}
	}
	if s := strings.ToLower(c.cell("thank_you")); s != "" {
		if !slices.Contains(vouch.ThankYous, s) {
			c.fail("thank_you", c.cell("thank_you"), refsheet.Unknown(s, vouch.ThankYous, "not a thank-you; use gift, donation, swag or none"))
		} else {
			a.ThankYou = s
		}
	}
	return a
}

// reference finds the reference a row names, by email or CRM id.
func (c *rowCtx) reference() int64 {
	s := c.cell("reference")
	if s == "" {
		c.fail("reference", "", "is empty; name the reference by email or CRM id")
		return 0
	}
	if strings.Contains(s, "@") {
		email, reason := refsheet.ParseEmail(s)
		if reason != "" {
			c.fail("reference", s, reason)
			return 0
		}
		if id := c.p.byEmail[email]; id != 0 {
			return id
		}
		c.fail("reference", s, "no reference in Vouch has this email")
		return 0
	}
	if id := c.p.byCRM[s]; id != 0 {
		return id
	}
	c.fail("reference", s, "no reference in Vouch has this email or CRM id")
	return 0
}

// opportunity finds the deal a row names, by CRM id, else by exact name.
func (c *rowCtx) opportunity() *vouch.Opportunity {
	s := c.cell("opportunity")
	if s == "" {
		return nil
	}
	if o := c.p.oppByCRM[s]; o != nil {
		return o
	}
	switch same := c.p.oppNames[nameKey(s)]; len(same) {
	case 1:
		return same[0]
	case 0:
		c.fail("opportunity", s, "no opportunity in Vouch has this CRM id or name; import the deals first (vouch import opportunities)")
	default:
		c.fail("opportunity", s, fmt.Sprintf("%d opportunities have this name; give the CRM id of the one meant", len(same)))
	}
	return nil
}
