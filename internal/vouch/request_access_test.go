package vouch

import (
	"strings"
	"testing"
)

func TestSightOf(t *testing.T) {
	pam := &User{ID: 1, Role: RoleProgramManager}
	sam := &User{ID: 2, Role: RoleSeller}  // the requester
	sue := &User{ID: 3, Role: RoleSeller}  // another seller
	olga := &User{ID: 4, Role: RoleSeller} // owns the account asked
	req := &Request{ID: 9, RequesterID: sam.ID, Workflow: WorkflowSelfServe}
	asks := map[int64]int64{100: olga.ID, 101: 0, 102: 7}
	for _, c := range []struct {
		name    string
		u       *User
		asks    map[int64]int64
		want    RequestSight
		matches bool
		sees    []int64 // owners of the asks they see
		hidden  []int64 // owners of the asks they do not
		pick    bool
	}{
		{"the program team", pam, asks, SeesAll, true, []int64{0, 4, 7}, nil, true},
		{"the requester", sam, asks, SeesAll, true, []int64{0, 4, 7}, nil, true},
		{"the owner of an asked account", olga, asks, SeesOwnCustomers, false, []int64{4}, []int64{0, 7}, false},
		{"the owner before any ask", olga, nil, SeesNothing, false, nil, []int64{0, 4, 7}, false},
		{"another seller", sue, asks, SeesNothing, false, nil, []int64{0, 4, 7}, false},
	} {
		got := SightOf(c.u, req, c.asks)
		if got != c.want || got.SeesMatches() != c.matches {
			t.Errorf("%s: sight %d (matches %v), want %d (matches %v)", c.name, got, got.SeesMatches(), c.want, c.matches)
		}
		for _, o := range c.sees {
			if !got.SeesAsk(c.u, o) {
				t.Errorf("%s does not see the ask of a customer of user %d", c.name, o)
			}
		}
		for _, o := range c.hidden {
			if got.SeesAsk(c.u, o) {
				t.Errorf("%s sees the ask of a customer of user %d", c.name, o)
			}
		}
		if CanPick(c.u, req) != c.pick {
			t.Errorf("%s may pick: %v, want %v", c.name, !c.pick, c.pick)
		}
	}
	if CanPick(sam, &Request{RequesterID: sam.ID, Workflow: WorkflowProgramManaged}) {
		t.Error("the requester picks on a program-managed request")
	}
	if !CanApprove(olga, olga.ID) || !CanApprove(pam, olga.ID) || CanApprove(sam, olga.ID) || CanApprove(sam, 0) {
		t.Error("approval is for the account owner and the program team")
	}
}

func TestCheckAssignee(t *testing.T) {
	for _, c := range []struct {
		u  *User
		ok bool
	}{
		{&User{Email: "pam@example.com", Role: RoleProgramManager}, true},
		{&User{Email: "tom@example.com", Role: RoleTeamMember}, true},
		{&User{Email: "ada@example.com", Role: RoleAdmin}, true},
		{&User{Email: "tom@example.com", Role: RoleTeamMember, Disabled: true}, false},
		{&User{Email: "sam@example.com", Role: RoleSeller}, false},
	} {
		err := CheckAssignee(c.u)
		if (err == nil) != c.ok || (err != nil && !strings.Contains(ErrorFields(err)["assignee"], c.u.Email)) {
			t.Errorf("%s (%s, disabled %v): %v", c.u.Email, c.u.Role, c.u.Disabled, err)
		}
	}
}

func TestActivityTypeRuleValidate(t *testing.T) {
	for _, c := range []struct {
		rule   ActivityTypeRule
		fields []string
	}{
		{ActivityTypeRule{Workflow: WorkflowSelfServe, Points: 0}, nil},
		{ActivityTypeRule{Workflow: WorkflowProgramManaged, Points: 10000}, nil},
		{ActivityTypeRule{Workflow: "magic", Points: 10}, []string{"workflow"}},
		{ActivityTypeRule{Workflow: WorkflowSelfServe, Points: -1}, []string{"points"}},
		{ActivityTypeRule{Points: 10001}, []string{"workflow", "points"}},
	} {
		err := c.rule.Validate()
		if len(ErrorFields(err)) != len(c.fields) {
			t.Errorf("%+v: %v, want %v", c.rule, err, c.fields)
		}
		for _, f := range c.fields {
			if ErrorFields(err)[f] == "" {
				t.Errorf("%+v: %s not named in %v", c.rule, f, err)
			}
		}
	}
}
