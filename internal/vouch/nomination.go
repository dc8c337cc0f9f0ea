package vouch

import (
	"fmt"
	"strings"
	"time"
)

// EntityNomination is a nomination as the audit log records it.
const EntityNomination EntityKind = "nomination"

// NominationState is where a nomination is: open (waiting for the team),
// qualified (the checklist is met), accepted (a reference was created or
// re-activated from it) or rejected (with a reason).
type NominationState string

// The states of a nomination: open → qualified → accepted; open or qualified → rejected.
const (
	NominationOpen      NominationState = "open"
	NominationQualified NominationState = "qualified"
	NominationAccepted  NominationState = "accepted"
	NominationRejected  NominationState = "rejected"
)

// NominationStates lists every state, in order.
var NominationStates = []NominationState{NominationOpen, NominationQualified, NominationAccepted, NominationRejected}

// Label is the state for people.
func (s NominationState) Label() string {
	switch s {
	case NominationOpen:
		return "Open"
	case NominationQualified:
		return "Qualified"
	case NominationAccepted:
		return "Accepted"
	case NominationRejected:
		return "Rejected"
	}
	return string(s)
}

// Waiting reports whether the team still has to decide on a nomination in s.
func (s NominationState) Waiting() bool { return s == NominationOpen || s == NominationQualified }

// Nomination sources: an internal user, or a customer through the public
// volunteer form.
const (
	NominationByUser      = "user"
	NominationByVolunteer = "volunteer"
)

// Nomination is a customer contact someone proposes as a reference.
type Nomination struct {
	ID          int64           `json:"id"`
	AccountID   int64           `json:"account_id,omitempty"` // the known account chosen, 0 when typed only
	AccountName string          `json:"account_name"`
	Name        string          `json:"name"`
	Email       string          `json:"email"`
	Title       string          `json:"title"` // the person's role
	CRMID       string          `json:"crm_id"`
	Activities  []string        `json:"activities"` // activity types they might do, by name
	Reason      string          `json:"reason"`     // why they would make a good reference
	Source      string          `json:"source"`     // NominationByUser or NominationByVolunteer
	NominatorID int64           `json:"nominator_id,omitempty"`
	State       NominationState `json:"state"`
	// Checklist holds the checklist items the team ticked, by key.
	Checklist    []string   `json:"checklist"`
	RejectReason string     `json:"reject_reason"`
	ReferenceID  int64      `json:"reference_id,omitempty"` // the reference created or re-activated on accept
	DecidedBy    int64      `json:"decided_by,omitempty"`   // who accepted or rejected it: the recruiter
	DecidedAt    *time.Time `json:"decided_at"`
	// CampaignID is the recruiting campaign whose outreach made the
	// nomination; 0 for any other.
	CampaignID int64     `json:"campaign_id,omitempty"`
	Version    int       `json:"version"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// NominationStaleDays is how long a nomination may wait for the team before
// it is flagged in the queue.
const NominationStaleDays = 7

// Stale reports whether n has waited for a decision more than
// NominationStaleDays at now.
func (n *Nomination) Stale(now time.Time) bool {
	return n.State.Waiting() && now.Sub(n.CreatedAt) > NominationStaleDays*24*time.Hour
}

// AgeDays is how many whole days n has existed at now.
func (n *Nomination) AgeDays(now time.Time) int {
	if now.Before(n.CreatedAt) {
		return 0
	}
	return int(now.Sub(n.CreatedAt) / (24 * time.Hour))
}

// Field limits of a nomination.
const (
	nominationNameMax   = 200
	nominationReasonMax = 4000
)

// Normalize trims the typed fields and writes the email in lower case.
func (n *Nomination) Normalize() {
	n.AccountName = strings.Join(strings.Fields(n.AccountName), " ")
	n.Name = strings.Join(strings.Fields(n.Name), " ")
	n.Email = strings.ToLower(strings.TrimSpace(n.Email))
	n.Title = strings.TrimSpace(n.Title)
	n.CRMID = strings.TrimSpace(n.CRMID)
	n.Reason = strings.TrimSpace(n.Reason)
	acts := []string{}
	for _, a := range n.Activities {
		if a = strings.TrimSpace(a); a != "" {
			acts = append(acts, a)
		}
	}
	n.Activities = acts
}

// Validate checks a new nomination's fields, every problem at once. The
// account is named (or chosen), the person named, and the reason given:
// without a reason the team cannot qualify anyone.
func (n *Nomination) Validate() error {
	var v Validation
	if n.AccountName == "" && n.AccountID == 0 {
		v.Add("account_name", "is required: the customer's account")
	} else if len(n.AccountName) > nominationNameMax {
		v.Add("account_name", "must be at most 200 characters")
	}
	if n.Name == "" {
		v.Add("name", "is required: the person you nominate")
	} else if len(n.Name) > nominationNameMax {
		v.Add("name", "must be at most 200 characters")
	}
	if n.Email != "" && !validEmail(n.Email) {
		v.Add("email", "must be an email address like dana@example.com")
	}
	if len(n.Title) > nominationNameMax {
		v.Add("title", "must be at most 200 characters")
	}
	if len(n.CRMID) > nominationNameMax {
		v.Add("crm_id", "must be at most 200 characters")
	}
	if n.Reason == "" {
		v.Add("reason", "is required: why they would make a good reference")
	} else if len(n.Reason) > nominationReasonMax {
		v.Add("reason", "must be at most 4000 characters")
	}
	return v.Err()
}

// validEmail is a plain check of an address's shape: one @ with something
// before it and a dot in what follows.
func validEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && strings.Contains(domain, ".") && !strings.ContainsAny(s, " <>,;") &&
		!strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

// CheckItem is one question of the qualification checklist.
type CheckItem struct {
	Key   string `json:"key"`
	Label string `json:"label"`
}

// DefaultChecklist is the qualification checklist until the program team
// sets its own.
var DefaultChecklist = []CheckItem{
	{"live_6_months", "Live for at least 6 months"},
	{"satisfaction_8", "Satisfaction (CSAT or NPS survey) at 8 or more"},
	{"sponsor_agreed", "Executive sponsor agreed"},
	{"no_escalation", "Account not in an escalation"},
}

// ParseChecklist reads a checklist written one item per line ("Live for at
// least 6 months"); each item's key is made from its words. Empty lines are
// skipped; two items with the same words are one.
func ParseChecklist(text string) ([]CheckItem, error) {
	var out []CheckItem
	seen := map[string]bool{}
	for _, line := range strings.Split(text, "\n") {
		label := strings.Join(strings.Fields(line), " ")
		if label == "" {
			continue
		}
		if len(label) > 200 {
			return nil, &Error{Code: EINVALID, Message: "Each checklist item is at most 200 characters.",
				Fields: map[string]string{"checklist": "an item is longer than 200 characters"}}
		}
		key := checkKey(label)
		if key == "" || seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, CheckItem{Key: key, Label: label})
	}
	if len(out) > 20 {
		return nil, &Error{Code: EINVALID, Message: "The checklist has at most 20 items.",
			Fields: map[string]string{"checklist": "has more than 20 items"}}
	}
	return out, nil
}

// checkKey is a label's key: its letters and digits in lower case, words
// joined by underscores.
func checkKey(label string) string {
	var b strings.Builder
	gap := false
	for _, r := range strings.ToLower(foldAccents(label)) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if gap && b.Len() > 0 {
				b.WriteByte('_')
			}
			b.WriteRune(r)
			gap = false
		} else {
			gap = true
		}
	}
	return b.String()
}

// ChecklistText writes a checklist one item per line, as ParseChecklist reads it.
func ChecklistText(items []CheckItem) string {
	labels := make([]string, len(items))
	for i, it := range items {
		labels[i] = it.Label
	}
	return strings.Join(labels, "\n")
}

// CheckQualify decides whether a nomination in state from, with the items
// ticked, meets checklist. Every item must be ticked: the team answers each
// question before the customer is asked to be a reference.
func CheckQualify(from NominationState, checklist []CheckItem, ticked []string) error {
	if from != NominationOpen && from != NominationQualified {
		return Errorf(EINVALID, "This nomination is %s; only an open nomination is qualified.", strings.ToLower(from.Label()))
	}
	known := map[string]bool{}
	for _, it := range checklist {
		known[it.Key] = true
	}
	have := map[string]bool{}
	for _, k := range ticked {
		if !known[k] {
			return &Error{Code: EINVALID, Message: fmt.Sprintf("“%s” is not on the checklist.", k),
				Fields: map[string]string{"checklist": "has an item that is not on the checklist: " + k}}
		}
		have[k] = true
	}
	var missing []string
	for _, it := range checklist {
		if !have[it.Key] {
			missing = append(missing, it.Label)
		}
	}
	if len(missing) > 0 {
		return &Error{Code: EINVALID, Message: "Not qualified yet: " + strings.Join(missing, "; ") + ".",
			Fields: map[string]string{"checklist": "still open: " + strings.Join(missing, "; ")}}
	}
	return nil
}

// CheckAccept decides whether a nomination in state from can be accepted:
// only once qualified.
func CheckAccept(from NominationState) error {
	if from != NominationQualified {
		return Errorf(EINVALID, "This nomination is %s; it is accepted once qualified against the checklist.", strings.ToLower(from.Label()))
	}
	return nil
}

// CheckReject decides whether a nomination in state from can be rejected
// with reason: a waiting one, and never without saying why (the nominator
// is told).
func CheckReject(from NominationState, reason string) error {
	if !from.Waiting() {
		return Errorf(EINVALID, "This nomination is %s already.", strings.ToLower(from.Label()))
	}
	if strings.TrimSpace(reason) == "" {
		return &Error{Code: EINVALID, Message: "Say why the nomination is rejected: the nominator is told.",
			Fields: map[string]string{"reason": "is required when rejecting"}}
	}
	if len(reason) > nominationReasonMax {
		return &Error{Code: EINVALID, Message: "The reason is at most 4000 characters.", Fields: map[string]string{"reason": "must be at most 4000 characters"}}
	}
	return nil
}

// ReactivationPath is the moves that bring a reference in status from back
// to active when a nomination of them is accepted: retired and nominated
// references qualify again on the way. A do-not-contact reference is never
// re-activated by a nomination: the customer asked not to be contacted,
// and only the team, on the reference's own page, may lift that.
func ReactivationPath(from Status) ([]Status, error) {
	switch from {
	case StatusActive:
		return nil, nil
	case StatusResting, StatusQualifying:
		return []Status{StatusActive}, nil
	case StatusNominated, StatusRetired:
		return []Status{StatusQualifying, StatusActive}, nil
	case StatusDoNotContact:
		return nil, &Error{Code: EINVALID, Message: "This reference is marked do not contact: change its status on its page first if the customer agreed to be a reference again.",
			Fields: map[string]string{"reference_id": "is do not contact"}}
	}
	return nil, Errorf(EINVALID, "A %s reference cannot be re-activated.", from)
}

// SeenDuplicates is what of the likely duplicates ds user u may be shown:
// the program team sees them all; who reads references sees the accounts
// and the references a seller may see (active and resting) — others as
// their kind only; an open nomination of someone else is shown to anyone
// but the team as its kind only, without its name or id, so nobody is
// linked to a page they cannot open.
func SeenDuplicates(u *User, ds []Duplicate) []Duplicate {
	if u.Can(PermManageProgram) {
		return ds
	}
	out := []Duplicate{}
	for _, d := range ds {
		switch {
		case d.Kind == DuplicateAccount && u.Can(PermReadReferences):
			out = append(out, d)
		case d.Kind == DuplicateReference && u.Can(PermReadReferences) && (d.Status == string(StatusActive) || d.Status == string(StatusResting)):
			out = append(out, d)
		case d.Kind == DuplicateReference:
			out = append(out, Duplicate{Kind: d.Kind, Label: "A reference already known to the program team", Reasons: withoutNames(d.Reasons), Score: d.Score})
		case d.Kind == DuplicateNomination:
			out = append(out, Duplicate{Kind: d.Kind, Label: "Someone already nominated this person", Reasons: withoutNames(d.Reasons), Score: d.Score})
		}
	}
	return out
}

// withoutNames are reasons without the other record's name, which the
// reasons of names give in parentheses ("nickname: Bob is Robert (Robert
// Smith)"): the rest repeats only what the viewer typed.
func withoutNames(reasons []string) []string {
	out := make([]string, len(reasons))
	for i, r := range reasons {
		if j := strings.Index(r, " ("); j >= 0 && strings.HasSuffix(r, ")") {
			r = r[:j]
		}
		if strings.HasPrefix(r, "nickname: ") {
			r = "a nickname of the same name"
		}
		out[i] = r
	}
	return out
}
