package vouch

import "strings"

// ContactSight is the program's setting for when sellers see a reference's
// email and phone. Reference managers protect their customers: by default
// a seller gets them only once the advocate accepted one of their requests.
type ContactSight string

// When sellers see contact details.
const (
	ContactNever        ContactSight = "never"
	ContactOnceAccepted ContactSight = "once_accepted"
	ContactAlways       ContactSight = "always"
)

// ContactSights lists the choices in the order the settings page offers them.
var ContactSights = []ContactSight{ContactNever, ContactOnceAccepted, ContactAlways}

// DefaultContactSight is the setting nobody changed.
const DefaultContactSight = ContactOnceAccepted

// Valid reports whether c is one of the choices.
func (c ContactSight) Valid() bool {
	return c == ContactNever || c == ContactOnceAccepted || c == ContactAlways
}

// Label is the choice for people.
func (c ContactSight) Label() string {
	switch c {
	case ContactNever:
		return "Never"
	case ContactOnceAccepted:
		return "Once the advocate accepted their request"
	case ContactAlways:
		return "Always"
	}
	return string(c)
}

// Requestable reports whether a seller may request a reference in status
// s: active ones, and resting ones, which are active again on a known day.
// Nominated and qualifying references are not vetted yet; retired and
// do-not-contact ones must not be approached at all. The answer is the
// same for the stored status and the status as of today, since a rest
// that ends turns into active.
func Requestable(s Status) bool { return s == StatusActive || s == StatusResting }

// OnlyRequestable reports whether u is shown only the references a seller
// may request: everyone but the program team, who see every reference.
func OnlyRequestable(u *User) bool { return !u.Can(PermManageProgram) }

// ReferenceSight is how much of a reference a user sees. One rule for the
// list, its counts, the profile, the request page, the API and exports.
type ReferenceSight struct {
	// Listed: the reference is listed, counted and opens; otherwise it is
	// answered as not found, like an unknown one.
	Listed bool
	// Contact: its email and phone are shown.
	Contact bool
	// Reasons: why its status changed ("asked not to be contacted during
	// renewal") — notes for the program team only.
	Reasons bool
}

// SightOfReference decides how much u sees of a reference whose status is
// s (as of today), under the program's contact setting; accepted says an
// advocate accepted an ask of this reference on one of u's requests. The
// program team sees everything; a seller sees only references they may
// request, never the status reasons, and contact details as the setting
// says; anyone else sees nothing.
func SightOfReference(u *User, s Status, setting ContactSight, accepted bool) ReferenceSight {
	switch {
	case u.Can(PermManageProgram):
		return ReferenceSight{Listed: true, Contact: true, Reasons: true}
	case !u.Can(PermReadReferences) || !Requestable(s):
		return ReferenceSight{}
	}
	if !setting.Valid() {
		setting = DefaultContactSight
	}
	contact := setting == ContactAlways || (setting == ContactOnceAccepted && accepted)
	return ReferenceSight{Listed: true, Contact: contact}
}

// AcceptedAskStates are the states of an ask whose advocate said yes: from
// then on the requester may be given the reference's contact details.
var AcceptedAskStates = []AskState{AskAccepted, AskScheduled, AskCompleted}

// Redact returns r as someone with this sight may see it: a copy without
// the contact details or status reason they may not see (r itself when
// nothing is hidden).
func (s ReferenceSight) Redact(r *Reference) *Reference {
	if s.Contact && s.Reasons {
		return r
	}
	c := *r
	if !s.Contact {
		c.Email, c.Phone = "", ""
	}
	if !s.Reasons {
		c.StatusReason = ""
	}
	return &c
}

// RedactHistory returns a reference's status history as someone with this
// sight may see it: the moves, without their reasons unless they see them.
func (s ReferenceSight) RedactHistory(h []StatusEvent) []StatusEvent {
	if s.Reasons {
		return h
	}
	out := make([]StatusEvent, len(h))
	for i, e := range h {
		e.Reason = ""
		out[i] = e
	}
	return out
}

// NotARequestableReference is the problem with a proposed reference that
// does not exist or that the requester may not see: the two read alike, so
// that sellers cannot probe for the customers they must not approach.
const NotARequestableReference = "is not a reference you can request: choose one from the references list"

// ProposalProblem says why a reference whose status is s (as of today),
// seen with sight, cannot be proposed for a new request; "" when it can.
// Only a reference a seller may request is proposed, even by the team.
func ProposalProblem(sight ReferenceSight, s Status) string {
	switch {
	case !sight.Listed:
		return NotARequestableReference
	case !Requestable(s):
		return "is " + strings.ToLower(s.Label()) + " and cannot be requested"
	}
	return ""
}
