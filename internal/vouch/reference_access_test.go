package vouch

import "testing"

func TestRequestable(t *testing.T) {
	want := map[Status]bool{StatusNominated: false, StatusQualifying: false, StatusActive: true, StatusResting: true,
		StatusRetired: false, StatusDoNotContact: false}
	for _, s := range Statuses {
		if got := Requestable(s); got != want[s] {
			t.Errorf("Requestable(%s) = %v, want %v", s, got, want[s])
		}
	}
}

func TestSightOfReference(t *testing.T) {
	pam := &User{ID: 1, Role: RoleProgramManager}
	tim := &User{ID: 2, Role: RoleTeamMember}
	ada := &User{ID: 3, Role: RoleAdmin}
	sam := &User{ID: 4, Role: RoleSeller}
	vic := &User{ID: 5, Role: RoleViewer}
	off := &User{ID: 6, Role: RoleProgramManager, Disabled: true}
	all := ReferenceSight{Listed: true, Contact: true, Reasons: true}
	listed := ReferenceSight{Listed: true}
	contact := ReferenceSight{Listed: true, Contact: true}
	for _, c := range []struct {
		name     string
		u        *User
		status   Status
		setting  ContactSight
		accepted bool
		want     ReferenceSight
	}{
		{"a program manager, do not contact", pam, StatusDoNotContact, ContactNever, false, all},
		{"a team member, retired", tim, StatusRetired, ContactNever, false, all},
		{"an admin, nominated", ada, StatusNominated, ContactOnceAccepted, false, all},
		{"a seller, active, default setting, not accepted", sam, StatusActive, ContactOnceAccepted, false, listed},
		{"a seller, active, default setting, accepted", sam, StatusActive, ContactOnceAccepted, true, contact},
		{"a seller, resting, accepted", sam, StatusResting, ContactOnceAccepted, true, contact},
		{"a seller, setting never, accepted", sam, StatusActive, ContactNever, true, listed},
		{"a seller, setting always", sam, StatusActive, ContactAlways, false, contact},
		{"a seller, unknown setting reads as the default", sam, StatusActive, "", false, listed},
		{"a seller, unknown setting, accepted", sam, StatusActive, "", true, contact},
		{"a seller, do not contact, always", sam, StatusDoNotContact, ContactAlways, true, ReferenceSight{}},
		{"a seller, retired", sam, StatusRetired, ContactAlways, true, ReferenceSight{}},
		{"a seller, nominated", sam, StatusNominated, ContactAlways, false, ReferenceSight{}},
		{"a seller, qualifying", sam, StatusQualifying, ContactAlways, false, ReferenceSight{}},
		{"a viewer", vic, StatusActive, ContactAlways, true, ReferenceSight{}},
		{"a disabled manager", off, StatusActive, ContactAlways, true, ReferenceSight{}},
		{"nobody", nil, StatusActive, ContactAlways, true, ReferenceSight{}},
	} {
		if got := SightOfReference(c.u, c.status, c.setting, c.accepted); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}

func TestOnlyRequestable(t *testing.T) {
	for _, c := range []struct {
		role Role
		want bool
	}{{RoleAdmin, false}, {RoleProgramManager, false}, {RoleTeamMember, false}, {RoleSeller, true}, {RoleViewer, true}} {
		if got := OnlyRequestable(&User{Role: c.role}); got != c.want {
			t.Errorf("OnlyRequestable(%s) = %v, want %v", c.role, got, c.want)
		}
	}
}

func TestReferenceSightRedact(t *testing.T) {
	ref := &Reference{Name: "Ana Ruiz", Email: "ana@acme.example", Phone: "+1 555 0100", StatusReason: "asked not to be contacted during renewal"}
	for _, c := range []struct {
		sight                ReferenceSight
		email, phone, reason string
	}{
		{ReferenceSight{Listed: true, Contact: true, Reasons: true}, ref.Email, ref.Phone, ref.StatusReason},
		{ReferenceSight{Listed: true, Contact: true}, ref.Email, ref.Phone, ""},
		{ReferenceSight{Listed: true}, "", "", ""},
	} {
		got := c.sight.Redact(ref)
		if got.Email != c.email || got.Phone != c.phone || got.StatusReason != c.reason || got.Name != ref.Name {
			t.Errorf("%+v: email %q phone %q reason %q, want %q %q %q", c.sight, got.Email, got.Phone, got.StatusReason, c.email, c.phone, c.reason)
		}
	}
	if ref.Email == "" || ref.StatusReason == "" {
		t.Error("Redact changed the reference itself")
	}
	hist := []StatusEvent{{To: StatusDoNotContact, Reason: "asked not to be contacted during renewal"}}
	if got := (ReferenceSight{Listed: true}).RedactHistory(hist); got[0].Reason != "" || got[0].To != StatusDoNotContact {
		t.Errorf("a seller's history: %+v", got)
	}
	if hist[0].Reason == "" {
		t.Error("RedactHistory changed the history itself")
	}
	if got := (ReferenceSight{Listed: true, Contact: true, Reasons: true}).RedactHistory(hist); got[0].Reason == "" {
		t.Error("the team's history lost its reason")
	}
}

func TestContactSightValid(t *testing.T) {
	for _, c := range ContactSights {
		if !c.Valid() || c.Label() == string(c) {
			t.Errorf("%q: valid %v, label %q", c, c.Valid(), c.Label())
		}
	}
	if ContactSight("sometimes").Valid() {
		t.Error("an unknown choice is valid")
	}
}

func TestProposalProblem(t *testing.T) {
	team := ReferenceSight{Listed: true, Contact: true, Reasons: true}
	for _, c := range []struct {
		name   string
		sight  ReferenceSight
		status Status
		want   string
	}{
		{"a seller, active", ReferenceSight{Listed: true}, StatusActive, ""},
		{"a seller, resting", ReferenceSight{Listed: true}, StatusResting, ""},
		{"a seller, hidden", ReferenceSight{}, StatusDoNotContact, NotARequestableReference},
		{"the team, active", team, StatusActive, ""},
		{"the team, do not contact", team, StatusDoNotContact, "is do not contact and cannot be requested"},
		{"the team, nominated", team, StatusNominated, "is nominated and cannot be requested"},
	} {
		if got := ProposalProblem(c.sight, c.status); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
