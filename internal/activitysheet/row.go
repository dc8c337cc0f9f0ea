package activitysheet

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vouchhq/vouch/internal/refsheet"
	"github.com/vouchhq/vouch/internal/vouch"
)

// rowCtx reads one row's cells and collects its problems.
type rowCtx struct {
	*refsheet.Cells
	p *planner
}

func (p *planner) newRow(row refsheet.Row) *rowCtx {
	return &rowCtx{Cells: refsheet.NewCells(p.sheet, p.col, FieldName, row), p: p}
}

// cell returns the value of a column, spaces trimmed ("" when the sheet lacks the column).
func (c *rowCtx) cell(key string) string { return strings.TrimSpace(c.Cell(key)) }

// parse reads every mapped cell of the row into an activity, collecting problems.
func (c *rowCtx) parse() *vouch.Activity {
	p := c.p
	a := &vouch.Activity{State: vouch.ActivityDone}
	c.CheckRow(func(key string) bool { return key == "notes" })
	a.ReferenceID = c.reference()
	if s := c.cell("activity_type"); s == "" {
		c.Fail("activity_type", "", "is empty; every activity needs its type: call, site visit, case study …")
	} else {
		id, reason := p.values.Find(vouch.TaxActivityType, s, false)
		switch {
		case reason != "":
			if strings.HasPrefix(reason, "not a known ") {
				// Not added by an import: a new type needs its workflow and points set.
				reason = "not an activity type Vouch has; an admin adds types under Activity types"
			}
			c.Fail("activity_type", s, reason)
		case p.values.Retired(id) != nil:
			c.Fail("activity_type", s, vouch.RetiredValue(p.values.Retired(id)))
		default:
			a.TypeID = id
		}
	}
	if s := c.cell("occurred_on"); s == "" {
		c.Fail("occurred_on", "", "is empty; every activity needs the day it happened")
	} else if day, reason := refsheet.ParseDate(s, p.xlsx); reason != "" {
		c.Fail("occurred_on", s, reason)
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
				c.Fail("opp_stage", s, "is longer than 100 characters")
			}
			a.OppStage = s
		}
	} else if s := c.cell("opp_stage"); s != "" && c.cell("opportunity") == "" {
		c.Fail("opp_stage", s, "is given without an opportunity; name the opportunity, or leave the stage empty")
	}
	if a.Notes = c.cell("notes"); len(a.Notes) > 5000 {
		c.Fail("notes", a.Notes, "is longer than 5,000 characters")
	}
	if s := c.cell("points"); s != "" {
		if n, err := atoi(s); err != nil || n < 0 {
			c.Fail("points", s, "is not a whole number of points (0 or more)")
		} else {
			a.Points = n
		}
	}
	if s := strings.ToLower(c.cell("thank_you")); s != "" {
		if !slices.Contains(vouch.ThankYous, s) {
			c.Fail("thank_you", c.cell("thank_you"), refsheet.Unknown(s, vouch.ThankYous, "not a thank-you; use gift, donation, swag or none"))
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
		c.Fail("reference", "", "is empty; name the reference by email or CRM id")
		return 0
	}
	if strings.Contains(s, "@") {
		email, reason := refsheet.ParseEmail(s)
		if reason != "" {
			c.Fail("reference", s, reason)
			return 0
		}
		if id := c.p.byEmail[email]; id != 0 {
			return id
		}
		c.Fail("reference", s, "no reference in Vouch has this email")
		return 0
	}
	if id := c.p.byCRM[s]; id != 0 {
		return id
	}
	c.Fail("reference", s, "no reference in Vouch has this email or CRM id")
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
		c.Fail("opportunity", s, "no opportunity in Vouch has this CRM id or name; import the deals first (vouch import opportunities)")
	default:
		c.Fail("opportunity", s, fmt.Sprintf("%d opportunities have this name; give the CRM id of the one meant", len(same)))
	}
	return nil
}
