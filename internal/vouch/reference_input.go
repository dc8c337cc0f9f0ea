package vouch

import (
	"fmt"
	"strings"
)

// ReferenceInput is one save of a reference as an edge read it: every field
// optional (nil is "leave as it is"), picklist values, the account and the
// owner by name as given, dates as typed. The references service resolves
// and checks it all in one pass and reports every problem at once.
type ReferenceInput struct {
	Version *int // the version read; required to update, refused to create

	AccountID     *int64
	Account       *string // an account's name
	CreateAccount bool    // a name no account has becomes a new account

	Name       *string
	Title      *string
	Seniority  *string
	Email      *string
	Phone      *string
	TimeZone   *string
	Languages  *[]string
	Deployment *string
	Story      *string
	CRMID      *string

	Products    *[]string
	UseCases    *[]string
	Competitors *[]string
	Activities  *[]ActivityInput

	GoLive       *string
	LastVerified *string

	OwnerID    *int64  // 0 is nobody
	OwnerEmail *string // "" is nobody

	CapacityOverride **int // nil inside: the program's default

	// A move along the lifecycle: the status a new reference starts in, or
	// where a saved one goes, in the same transaction as the other fields.
	Status *string
	Reason *string
	Until  *string

	// Unreadable holds the fields the edge could not read (a capacity that
	// is no number), reported together with the service's own problems.
	Unreadable map[string]string
}

// ActivityInput is an activity type agreed to, by name, and the day of the
// consent as typed ("" keeps the day already recorded).
type ActivityInput struct {
	Type        string
	ConsentedOn string
}

// InitialStatuses are the statuses a new reference may start in. Resting,
// retired and do-not-contact are reached by a status move, which records why.
var InitialStatuses = []Status{StatusNominated, StatusQualifying, StatusActive}

// CheckInitialStatus is the reason a new reference cannot start in s, "" when it can.
func CheckInitialStatus(s Status) string {
	for _, x := range InitialStatuses {
		if s == x {
			return ""
		}
	}
	return "must be nominated, qualifying or active for a new reference; resting, retired and do-not-contact are reached by changing the status"
}

// CheckVerifiedOn is the reason day cannot be the day a reference was last
// verified on day today, "" when it can: a verification is never in the future.
func CheckVerifiedOn(day, today Date) string {
	if !day.IsZero() && day.After(today) {
		return "cannot be in the future"
	}
	return ""
}

// BulkAction is one change to many references.
type BulkAction struct {
	IDs    []int64
	Kind   string       // BulkStatus, BulkOwner or BulkVerified
	Status StatusChange // for BulkStatus
	// For BulkOwner: by id, or by email when OwnerEmail is set ("" is nobody).
	OwnerID    int64
	OwnerEmail *string
	Day        Date // for BulkVerified; zero is today
}

// The kinds of bulk action.
const (
	BulkStatus   = "status"
	BulkOwner    = "owner"
	BulkVerified = "verified"
)

// MaxBulk is the most references one bulk action takes.
const MaxBulk = 5000

// BulkResult says what a bulk action did: the references it changed, those
// already as asked, and for each one it could not change, why.
type BulkResult struct {
	Changed   []int64
	Unchanged []int64 // already in the status asked for
	Failed    []BulkFailure
}

// BulkFailure is one reference a bulk action did not change, and why.
type BulkFailure struct {
	ID     int64
	Reason string
}

// CheckBulkIDs is the reason a selection cannot be acted on, "" when it can.
func CheckBulkIDs(ids []int64) string {
	switch {
	case len(ids) == 0:
		return "is required: the references to change"
	case len(ids) > MaxBulk:
		return fmt.Sprintf("may name at most %d references", MaxBulk)
	}
	for _, id := range ids {
		if id <= 0 {
			return "must be positive whole numbers"
		}
	}
	return ""
}

// StatusNames lists the statuses as the API and forms accept them.
func StatusNames() string {
	names := make([]string, len(Statuses))
	for i, s := range Statuses {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}

// ActivityLog is something a reference did, as an edge read it: the type by
// id or by name, the day as typed.
type ActivityLog struct {
	ReferenceID int64
	TypeID      int64  // the type by id, or
	Type        string // by name, when TypeID is 0
	OccurredOn  string
	Notes       string
	// The opportunity the activity helped, if any: by id, or by the CRM's
	// id (Opportunity) when OpportunityID is 0.
	OpportunityID int64
	Opportunity   string
	// By is who logs it: only an opportunity they may see can be named
	// (MayRequestFor). Nil for the command line and the demo.
	By *User
	// Unreadable holds the fields the edge could not read, reported
	// together with the service's own problems.
	Unreadable map[string]string
}
