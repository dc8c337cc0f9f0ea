package vouch

import (
	"net/mail"
	"strings"
	"time"
)

// Role is what a user may do in Vouch.
type Role string

// The roles, from most to least powerful.
const (
	RoleAdmin          Role = "admin"
	RoleProgramManager Role = "program_manager"
	RoleTeamMember     Role = "team_member"
	RoleSeller         Role = "seller"
	RoleViewer         Role = "viewer"
)

// Roles lists every role in display order.
var Roles = []Role{RoleAdmin, RoleProgramManager, RoleTeamMember, RoleSeller, RoleViewer}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// Label is the role's name for people.
func (r Role) Label() string {
	switch r {
	case RoleAdmin:
		return "Admin"
	case RoleProgramManager:
		return "Program manager"
	case RoleTeamMember:
		return "Team member"
	case RoleSeller:
		return "Seller"
	case RoleViewer:
		return "Viewer"
	}
	return string(r)
}

// Description says in one line what the role is for.
func (r Role) Description() string {
	switch r {
	case RoleAdmin:
		return "Manages users, API tokens, taxonomies and settings; reads the audit log; does everything the program team does."
	case RoleProgramManager:
		return "Runs the program: references, accounts, imports, fulfilling requests from the queue, and the program's and team members' goals."
	case RoleTeamMember:
		return "Program specialist: the same program work as a program manager — references, accounts, fulfilling requests."
	case RoleSeller:
		return "Finds references and requests one for an opportunity; follows and rates their requests, and approves asks to customers of accounts they own."
	case RoleViewer:
		return "Executive: reads the scorecard and the program's goals; references and requests are for the other roles."
	}
	return ""
}

// Permission is one thing a role may be allowed to do.
type Permission string

// Permissions checked across the UI and API.
const (
	PermManageUsers      Permission = "manage_users"
	PermManageTaxonomies Permission = "manage_taxonomies"
	PermReadAudit        Permission = "read_audit"
	PermManageProgram    Permission = "manage_program"    // references, accounts, fulfilment
	PermRequestReference Permission = "request_reference" // sellers and the program team
	PermReadReferences   Permission = "read_references"
	PermReadScorecard    Permission = "read_scorecard" // the scorecard, its exports and the metrics behind it
	PermEditMails        Permission = "edit_mails"     // the company, the program's sender and the mail templates
	PermReadContent      Permission = "read_content"   // find and read the content library
	PermUseContent       Permission = "use_content"    // use, rate and share content; ask for missing content
	PermManageContent    Permission = "manage_content" // write, approve and withdraw content
	PermReadGoals        Permission = "read_goals"     // the program's goals and their live progress
	PermManageGoals      Permission = "manage_goals"   // set program and team member goals; see every member's
)

// PermShareScorecard: make and revoke read-only scorecard links for
// executives, and schedule the scorecard's mail (program managers).
const PermShareScorecard Permission = "share_scorecard"

// PermNominate: nominate a customer contact as a reference. Every internal
// user may: whoever meets customers knows the good ones.
const PermNominate Permission = "nominate"

var rolePermissions = map[Role][]Permission{
	RoleAdmin: {PermManageUsers, PermManageTaxonomies, PermReadAudit, PermManageProgram,
		PermRequestReference, PermReadReferences, PermReadScorecard, PermEditMails,
		PermReadContent, PermUseContent, PermManageContent, PermReadGoals, PermManageGoals, PermShareScorecard, PermNominate},
	RoleProgramManager: {PermManageProgram, PermRequestReference, PermReadReferences, PermReadScorecard,
		PermReadContent, PermUseContent, PermManageContent, PermReadGoals, PermManageGoals, PermShareScorecard, PermNominate},
	RoleTeamMember: {PermManageProgram, PermRequestReference, PermReadReferences, PermReadScorecard,
		PermReadContent, PermUseContent, PermManageContent, PermReadGoals, PermNominate},
	RoleSeller: {PermRequestReference, PermReadReferences, PermReadScorecard, PermReadContent, PermUseContent, PermNominate},
	RoleViewer: {PermReadScorecard, PermReadContent, PermReadGoals, PermNominate},
}

// Can reports whether the role grants p.
func (r Role) Can(p Permission) bool {
	for _, x := range rolePermissions[r] {
		if x == p {
			return true
		}
	}
	return false
}

// User is a person who signs in to Vouch.
type User struct {
	ID       int64  `json:"id"`
	Email    string `json:"email"`
	Name     string `json:"name"`
	Role     Role   `json:"role"`
	Disabled bool   `json:"disabled"`
	// TimeZone is where the user reads times, an IANA zone such as
	// "Europe/Berlin"; empty is the program's zone, and follows it.
	TimeZone     string    `json:"time_zone"`
	PasswordHash string    `json:"-"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Can reports whether the user is enabled and its role grants p.
func (u *User) Can(p Permission) bool {
	return u != nil && !u.Disabled && u.Role.Can(p)
}

// NormalizeEmail trims and lower-cases an address so lookups are case-insensitive.
func NormalizeEmail(s string) string {
	return strings.ToLower(strings.TrimSpace(s))
}

// ValidateEmail checks that s is a plain address like name@example.com.
func ValidateEmail(s string) string {
	if s == "" {
		return "is required"
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") {
		return "must be an address like name@example.com"
	}
	return ""
}

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 10

// ValidatePassword checks a new password.
func ValidatePassword(p string) string {
	if len([]rune(p)) < MinPasswordLength {
		return "must be at least 10 characters"
	}
	if len(p) > 1024 {
		return "must be at most 1024 characters"
	}
	return ""
}

// Validate checks a user's fields before it is stored.
func (u *User) Validate() error {
	var v Validation
	u.Email = NormalizeEmail(u.Email)
	u.Name = strings.TrimSpace(u.Name)
	if msg := ValidateEmail(u.Email); msg != "" {
		v.Add("email", msg)
	}
	if u.Name == "" {
		v.Add("name", "is required")
	} else if len(u.Name) > 200 {
		v.Add("name", "must be at most 200 characters")
	}
	if !u.Role.Valid() {
		v.Add("role", "must be one of admin, program_manager, team_member, seller, viewer")
	}
	u.TimeZone = strings.TrimSpace(u.TimeZone)
	if u.TimeZone != "" && !KnownTimeZone(u.TimeZone) {
		v.Add("time_zone", "must be a time zone like Europe/Berlin or America/New_York, or empty for the program's")
	}
	return v.Err()
}

// UserUpdate holds the fields of a user to change; nil means unchanged.
type UserUpdate struct {
	Name     *string
	Role     *Role
	Disabled *bool
	TimeZone *string // "" is the program's zone
}

// APIToken is a bearer token for the JSON API. The secret is shown once and stored hashed.
type APIToken struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	UserEmail  string     `json:"user_email"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}

// Session is a signed-in browser.
type Session struct {
	UserID    int64
	CSRFToken string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Permissions lists what the role grants.
func (r Role) Permissions() []Permission {
	return append([]Permission(nil), rolePermissions[r]...)
}

// The program cadence and program health (issue 12): the program team runs
// the cadence and assesses the program's health; executives read the health.
const (
	PermManageCadence Permission = "manage_cadence" // the recurring program tasks: assign, mark done or skipped
	PermReadHealth    Permission = "read_health"    // the program health assessments, their trend and signals
	PermManageHealth  Permission = "manage_health"  // record a program health assessment
)

func init() {
	for _, r := range []Role{RoleAdmin, RoleProgramManager, RoleTeamMember} {
		rolePermissions[r] = append(rolePermissions[r], PermManageCadence, PermReadHealth, PermManageHealth)
	}
	rolePermissions[RoleViewer] = append(rolePermissions[RoleViewer], PermReadHealth)
}

// Coverage and recruiting campaigns (issue 12): the program team and
// executives read where the database falls short; the program team runs
// the campaigns that fill the gaps.
const (
	PermReadCoverage    Permission = "read_coverage"    // the coverage matrix: supply beside demand, the gaps
	PermManageCampaigns Permission = "manage_campaigns" // recruiting campaigns, their candidates and outreach
)

func init() {
	for _, r := range []Role{RoleAdmin, RoleProgramManager, RoleTeamMember} {
		rolePermissions[r] = append(rolePermissions[r], PermReadCoverage, PermManageCampaigns)
	}
	rolePermissions[RoleViewer] = append(rolePermissions[RoleViewer], PermReadCoverage)
}
