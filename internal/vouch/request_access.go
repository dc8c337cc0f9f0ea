package vouch

// RequestSight is how much of a request a user sees. One rule for the
// pages and the API: what a user sees of a request never depends on where
// they look.
type RequestSight int

// How much of a request a user sees.
const (
	// SeesNothing: not theirs; the request is answered as not found, so
	// that sellers cannot probe each other's ids.
	SeesNothing RequestSight = iota
	// SeesOwnCustomers: the owner of the account of a reference asked for
	// it sees the request and the asks of their customers (they approve
	// them and are told about them), not the ranked candidate list nor
	// the asks of other accounts.
	SeesOwnCustomers
	// SeesAll: its requester and the program team see everything,
	// the ranked matches included.
	SeesAll
)

// SightOf decides how much of r u sees. askOwners maps each ask of r to
// the owner of its reference's account (0: nobody).
func SightOf(u *User, r *Request, askOwners map[int64]int64) RequestSight {
	if u.Can(PermManageProgram) || r.RequesterID == u.ID {
		return SeesAll
	}
	for _, owner := range askOwners {
		if owner != 0 && owner == u.ID {
			return SeesOwnCustomers
		}
	}
	return SeesNothing
}

// SeesMatches reports whether the ranked candidate list is shown.
func (s RequestSight) SeesMatches() bool { return s == SeesAll }

// SeesAsk reports whether u, seeing this much, sees an ask whose
// reference's account owner is owner.
func (s RequestSight) SeesAsk(u *User, owner int64) bool {
	return s == SeesAll || (s == SeesOwnCustomers && owner != 0 && owner == u.ID)
}

// CanSeeRequest reports whether u sees r by role alone, before any ask:
// the program team and its requester.
func CanSeeRequest(u *User, r *Request) bool { return SightOf(u, r, nil) == SeesAll }

// CanPick reports whether u may pick references for r (and withdraw,
// schedule and complete its asks): the program team always; the requester
// when the request is self-serve.
func CanPick(u *User, r *Request) bool {
	return u.Can(PermManageProgram) || (r.Workflow == WorkflowSelfServe && r.RequesterID == u.ID)
}

// CheckAssignee refuses giving a request to u unless they are on the
// program team (and not disabled).
func CheckAssignee(u *User) error {
	if u.Disabled || !u.Can(PermManageProgram) {
		return &Error{Code: EINVALID, Message: "Requests are assigned to members of the program team only.",
			Fields: map[string]string{"assignee": u.Email + " is not on the program team; requests go to admins, program managers and team members"}}
	}
	return nil
}

// CanApprove reports whether u may decide on an ask awaiting approval whose
// reference's account is owned by owner: that owner, or the program team.
func CanApprove(u *User, owner int64) bool {
	return u.Can(PermManageProgram) || (owner != 0 && owner == u.ID)
}
