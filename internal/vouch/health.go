package vouch

import (
	"strings"
	"time"
)

// HealthElement is one of the eleven elements of a reference program the
// program health self-assessment rates.
type HealthElement string

// The elements of a reference program.
const (
	ElementVision                HealthElement = "vision"
	ElementStaff                 HealthElement = "staff"
	ElementManagingUpward        HealthElement = "managing_upward"
	ElementFieldRelationships    HealthElement = "field_relationships"
	ElementCustomerRelationships HealthElement = "customer_relationships"
	ElementHorizontalIntegration HealthElement = "horizontal_integration"
	ElementPromotion             HealthElement = "promotion"
	ElementMetrics               HealthElement = "metrics"
	ElementContentStrategy       HealthElement = "content_strategy"
	ElementRecruiting            HealthElement = "recruiting"
	ElementOperations            HealthElement = "operations"
)

// HealthElements lists the elements in the order the assessment shows them.
var HealthElements = []HealthElement{ElementVision, ElementStaff, ElementManagingUpward, ElementFieldRelationships,
	ElementCustomerRelationships, ElementHorizontalIntegration, ElementPromotion, ElementMetrics,
	ElementContentStrategy, ElementRecruiting, ElementOperations}

// Label is the element's name for people.
func (e HealthElement) Label() string {
	switch e {
	case ElementVision:
		return "Vision"
	case ElementStaff:
		return "Staff and organisation"
	case ElementManagingUpward:
		return "Managing upward"
	case ElementFieldRelationships:
		return "Field relationships"
	case ElementCustomerRelationships:
		return "Customer relationships"
	case ElementHorizontalIntegration:
		return "Horizontal integration (PR, AR, IR, RFP)"
	case ElementPromotion:
		return "Program promotion"
	case ElementMetrics:
		return "Metrics"
	case ElementContentStrategy:
		return "Content strategy"
	case ElementRecruiting:
		return "Recruiting"
	case ElementOperations:
		return "Operations and tools"
	}
	return string(e)
}

// Valid reports whether e is one of the eleven elements.
func (e HealthElement) Valid() bool {
	for _, x := range HealthElements {
		if e == x {
			return true
		}
	}
	return false
}

// HealthStage is how developed an element is, from 1 (underdeveloped) to
// 4 (advanced); 0 is not rated.
type HealthStage int

// The stages of an element.
const (
	StageUnderdeveloped HealthStage = 1
	StageEmerging       HealthStage = 2
	StageFocused        HealthStage = 3
	StageAdvanced       HealthStage = 4
)

// HealthStages lists the stages, least developed first.
var HealthStages = []HealthStage{StageUnderdeveloped, StageEmerging, StageFocused, StageAdvanced}

// Label is the stage's name for people.
func (s HealthStage) Label() string {
	switch s {
	case StageUnderdeveloped:
		return "Underdeveloped"
	case StageEmerging:
		return "Emerging"
	case StageFocused:
		return "Focused"
	case StageAdvanced:
		return "Advanced"
	}
	return "Not rated"
}

// Key is the stage's name in forms and the API.
func (s HealthStage) Key() string { return strings.ToLower(s.Label()) }

// ParseHealthStage reads a stage by its key ("focused") or number ("3").
func ParseHealthStage(s string) (HealthStage, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, x := range HealthStages {
		if s == x.Key() || (len(s) == 1 && s[0] == byte('0'+int(x))) {
			return x, true
		}
	}
	return 0, false
}

// ElementRating is how one element was rated in an assessment.
type ElementRating struct {
	Element HealthElement `json:"element"`
	Stage   HealthStage   `json:"stage"`
	Note    string        `json:"note"`
}

// HealthAssessment is the program team's self-assessment on one day.
type HealthAssessment struct {
	ID         int64           `json:"id"`
	AssessedOn Date            `json:"assessed_on"`
	ByID       int64           `json:"by_id"`
	Note       string          `json:"note"`
	Ratings    []ElementRating `json:"ratings"` // in HealthElements order, the rated ones
	CreatedAt  time.Time       `json:"created_at"`
}

// Rating is the assessment's rating of e; a zero stage when not rated.
func (a *HealthAssessment) Rating(e HealthElement) ElementRating {
	for _, r := range a.Ratings {
		if r.Element == e {
			return r
		}
	}
	return ElementRating{Element: e}
}

// Average is the mean stage of the rated elements (0 with none rated).
func (a *HealthAssessment) Average() float64 {
	sum, n := 0, 0
	for _, r := range a.Ratings {
		if r.Stage > 0 {
			sum += int(r.Stage)
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return float64(sum) / float64(n)
}

// Validate checks an assessment before it is stored, and puts its ratings
// in the elements' order: every element at most once, at a known stage,
// with at least one rated; the day not in the future.
func (a *HealthAssessment) Validate(today Date) error {
	var v Validation
	a.Note = strings.TrimSpace(a.Note)
	if len(a.Note) > 4000 {
		v.Add("note", "must be at most 4000 characters")
	}
	switch {
	case a.AssessedOn.IsZero():
		v.Add("assessed_on", "must be a date like 2026-03-14")
	case a.AssessedOn.After(today):
		v.Add("assessed_on", "must not be in the future: an assessment records how the program stands")
	}
	seen := map[HealthElement]ElementRating{}
	for _, r := range a.Ratings {
		field := "ratings." + string(r.Element)
		switch {
		case !r.Element.Valid():
			v.Add(field, "is not an element of a reference program")
		case seen[r.Element].Element != "":
			v.Add(field, "is rated twice")
		case r.Stage < StageUnderdeveloped || r.Stage > StageAdvanced:
			v.Add(field, "must be underdeveloped, emerging, focused or advanced")
		case len(strings.TrimSpace(r.Note)) > 2000:
			v.Add(field, "note must be at most 2000 characters")
		}
		r.Note = strings.TrimSpace(r.Note)
		seen[r.Element] = r
	}
	if len(seen) == 0 {
		v.Add("ratings", "rate at least one element")
	}
	ordered := make([]ElementRating, 0, len(seen))
	for _, e := range HealthElements {
		if r, ok := seen[e]; ok {
			ordered = append(ordered, r)
		}
	}
	a.Ratings = ordered
	return v.Err()
}

// HealthSignal is one figure Vouch measures itself beside an element, so
// the self-assessment is grounded: "Median time to fulfil: 4.5 days this
// quarter".
type HealthSignal struct {
	Label string `json:"label"`
	Value string `json:"value"` // written for people, with its unit and period
	// Measured is false when Vouch has no figure yet (Value says why).
	Measured bool   `json:"measured"`
	Link     string `json:"link,omitempty"` // where the figure comes from, when there is a page
}
