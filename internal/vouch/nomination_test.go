package vouch

import (
	"strings"
	"testing"
	"time"
)

func TestComparePersonFindsNearDuplicatesAndNotLookAlikes(t *testing.T) {
	robert := DuplicatePerson{AccountID: 1, AccountName: "Acme", Name: "Robert Smith", Email: "robert.smith@acme.com", CRMID: "003A1"}
	for _, c := range []struct {
		name        string
		probe       DuplicateProbe
		sameAccount bool
		want        bool
		reason      string
	}{
		{"same email, other case", DuplicateProbe{Name: "R. Smith", Email: "Robert.Smith@ACME.com"}, false, true, "same email"},
		{"same CRM id", DuplicateProbe{Name: "Someone", CRMID: "003a1"}, false, true, "same CRM id"},
		{"nickname at the same account", DuplicateProbe{Name: "Bob Smith"}, true, true, "nickname: Bob is Robert"},
		{"different case at the same account", DuplicateProbe{Name: "ROBERT SMITH"}, true, true, "same name written differently"},
		{"typo in the last name", DuplicateProbe{Name: "Robert Smtih"}, true, true, "one letter apart"},
		{"typo in the first name", DuplicateProbe{Name: "Robret Smith"}, true, true, "one letter apart"},
		{"nickname with the same email domain", DuplicateProbe{Name: "Rob Smith", Email: "rsmith@acme.com"}, false, true, "same email domain acme.com"},
		{"middle initial", DuplicateProbe{Name: "Robert J. Smith"}, true, true, "same first and last name"},
		// Look-alikes that are other people.
		{"same name elsewhere", DuplicateProbe{Name: "Robert Smith", Email: "robert@globex.com"}, false, false, ""},
		{"same free-mail domain is nothing", DuplicateProbe{Name: "Bob Smith", Email: "bob@gmail.com"}, false, false, ""},
		{"another Smith at the account", DuplicateProbe{Name: "Rachel Smith"}, true, false, ""},
		{"two letters apart", DuplicateProbe{Name: "Robert Smythe"}, true, false, ""},
		{"first name alone", DuplicateProbe{Name: "Robert"}, true, false, ""},
	} {
		score, reasons := ComparePerson(c.probe, robert, c.sameAccount)
		if (score > 0) != c.want {
			t.Errorf("%s: score %d %v, want duplicate %v", c.name, score, reasons, c.want)
			continue
		}
		if c.want && !strings.Contains(strings.Join(reasons, "; "), c.reason) {
			t.Errorf("%s: reasons %v, want one with %q", c.name, reasons, c.reason)
		}
	}
	// Short names one letter apart are other names, not typos.
	ann := DuplicatePerson{Name: "Ann Lee"}
	if s, r := ComparePerson(DuplicateProbe{Name: "Dan Lee"}, ann, true); s != 0 {
		t.Errorf("Dan Lee and Ann Lee: %d %v", s, r)
	}
	liz := DuplicatePerson{Name: "Elizabeth Moreno"}
	if s, r := ComparePerson(DuplicateProbe{Name: "Liz Moreno"}, liz, true); s == 0 {
		t.Errorf("Liz Moreno is Elizabeth Moreno: %d %v", s, r)
	}
	bill := DuplicatePerson{Name: "William Ng"}
	if s, r := ComparePerson(DuplicateProbe{Name: "Bill Ng"}, bill, true); s == 0 {
		t.Errorf("Bill Ng is William Ng: %d %v", s, r)
	}
	jose := DuplicatePerson{Name: "José Álvarez"}
	if s, r := ComparePerson(DuplicateProbe{Name: "jose alvarez"}, jose, true); s == 0 {
		t.Errorf("accents: %d %v", s, r)
	}
}

func TestCompareCompany(t *testing.T) {
	acme := DuplicateCompany{ID: 7, Name: "Acme, Inc.", Domain: "https://www.acme.com/", CRMID: "001X"}
	for _, c := range []struct {
		probe DuplicateProbe
		want  bool
	}{
		{DuplicateProbe{AccountName: "ACME"}, true},
		{DuplicateProbe{AccountName: "Acme Corporation"}, true},
		{DuplicateProbe{AccountName: "Acmee"}, true},
		{DuplicateProbe{AccountName: "Someone", Email: "x@acme.com"}, true},
		{DuplicateProbe{AccountName: "Other", CRMID: "001x"}, true},
		{DuplicateProbe{AccountID: 7}, true},
		{DuplicateProbe{AccountName: "Acme Health"}, false},
		{DuplicateProbe{AccountName: "Apex"}, false},
		{DuplicateProbe{AccountName: "Globex", Email: "x@gmail.com"}, false},
	} {
		if s, r := CompareCompany(c.probe, acme); (s > 0) != c.want {
			t.Errorf("%+v: %d %v, want %v", c.probe, s, r, c.want)
		}
	}
}

func TestDeletionKeysMeetForOneTypo(t *testing.T) {
	share := func(a, b string) bool {
		keys := map[string]bool{}
		for _, k := range DeletionKeys(a) {
			keys[k] = true
		}
		for _, k := range DeletionKeys(b) {
			if keys[k] {
				return true
			}
		}
		return false
	}
	for _, p := range [][2]string{{"smith", "smtih"}, {"smith", "smiths"}, {"smith", "smyth"}, {"moreno", "moreno"}} {
		if !share(p[0], p[1]) {
			t.Errorf("%s and %s share no key", p[0], p[1])
		}
	}
}

func TestNominationRules(t *testing.T) {
	n := Nomination{AccountName: "  Acme  ", Name: " Dana  Lee ", Email: " Dana@Acme.COM ", Reason: " great story "}
	n.Normalize()
	if n.AccountName != "Acme" || n.Name != "Dana Lee" || n.Email != "dana@acme.com" || n.Reason != "great story" {
		t.Fatalf("normalized %+v", n)
	}
	if err := n.Validate(); err != nil {
		t.Fatal(err)
	}
	empty := Nomination{Email: "not-an-email"}
	fields := ErrorFields(empty.Validate())
	for _, f := range []string{"account_name", "name", "email", "reason"} {
		if fields[f] == "" {
			t.Errorf("no problem named %s: %v", f, fields)
		}
	}

	keys := []string{}
	for _, it := range DefaultChecklist {
		keys = append(keys, it.Key)
	}
	if err := CheckQualify(NominationOpen, DefaultChecklist, keys[:3]); err == nil || !strings.Contains(err.Error(), "escalation") {
		t.Errorf("three of four ticked: %v", err)
	}
	if err := CheckQualify(NominationOpen, DefaultChecklist, append(keys, "made_up")); ErrorFields(err)["checklist"] == "" {
		t.Errorf("unknown item: %v", err)
	}
	if err := CheckQualify(NominationOpen, DefaultChecklist, keys); err != nil {
		t.Error(err)
	}
	if err := CheckQualify(NominationAccepted, DefaultChecklist, keys); err == nil {
		t.Error("qualified an accepted nomination")
	}
	if CheckAccept(NominationOpen) == nil || CheckAccept(NominationQualified) != nil {
		t.Error("accept is for qualified nominations only")
	}
	if ErrorFields(CheckReject(NominationOpen, "  "))["reason"] == "" || CheckReject(NominationQualified, "not live yet") != nil ||
		CheckReject(NominationRejected, "again") == nil {
		t.Error("reject needs a reason and a waiting nomination")
	}

	items, err := ParseChecklist("Live for at least 6 months\n\n  Sponsor   agreed \nLive for at least 6 months")
	if err != nil || len(items) != 2 || items[0].Key != "live_for_at_least_6_months" || items[1].Label != "Sponsor agreed" {
		t.Errorf("parsed %+v %v", items, err)
	}
}

func TestNominationAge(t *testing.T) {
	created := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	n := Nomination{State: NominationOpen, CreatedAt: created}
	if n.Stale(created.Add(7 * 24 * time.Hour)) {
		t.Error("stale at exactly 7 days")
	}
	if !n.Stale(created.Add(7*24*time.Hour + time.Minute)) {
		t.Error("not stale after 7 days")
	}
	if n.AgeDays(created.Add(8*24*time.Hour+time.Hour)) != 8 {
		t.Error("age in days")
	}
	n.State = NominationAccepted
	if n.Stale(created.Add(30 * 24 * time.Hour)) {
		t.Error("an accepted nomination waits for nobody")
	}
}

func TestReactivationPath(t *testing.T) {
	today := Date{}
	for _, from := range []Status{StatusActive, StatusResting, StatusQualifying, StatusNominated, StatusRetired} {
		path, err := ReactivationPath(from)
		if err != nil {
			t.Fatalf("%s: %v", from, err)
		}
		at := from
		for _, to := range path {
			if err := CheckTransition(at, StatusChange{To: to}, today); err != nil {
				t.Errorf("%s → %s: %v", at, to, err)
			}
			at = to
		}
		if at != StatusActive {
			t.Errorf("%s ends %s", from, at)
		}
	}
	if _, err := ReactivationPath(StatusDoNotContact); err == nil {
		t.Error("a do-not-contact reference was re-activated")
	}
}

func TestSeenDuplicatesLinkOnlyToWhatTheViewerOpens(t *testing.T) {
	ds := []Duplicate{{Kind: DuplicateAccount, ID: 1, Label: "Acme"}, {Kind: DuplicateReference, ID: 2, Label: "Bob at Acme", Status: "active"},
		{Kind: DuplicateReference, ID: 3, Label: "Ann at Acme", Status: "retired", Reasons: []string{"nickname: Annie is Ann (Ann Lee)", "same account"}}, {Kind: DuplicateNomination, ID: 4, Label: "Bob at Acme"}}
	team, seller, viewer := &User{Role: RoleTeamMember}, &User{Role: RoleSeller}, &User{Role: RoleViewer}
	if got := SeenDuplicates(team, ds); len(got) != 4 || got[3].ID != 4 {
		t.Errorf("team: %+v", got)
	}
	got := SeenDuplicates(seller, ds)
	if len(got) != 4 || got[1].ID != 2 || got[2].ID != 0 || got[3].ID != 0 || strings.Contains(got[2].Label+strings.Join(got[2].Reasons, ""), "Ann") {
		t.Errorf("seller: %+v", got)
	}
	for _, d := range SeenDuplicates(viewer, ds) {
		if d.ID != 0 || d.Kind == DuplicateAccount {
			t.Errorf("viewer sees %+v", d)
		}
	}
}

// TestEveryRoleNominatesOnlyTheTeamDecides holds docs/roles.md's
// nominations rows to the roles.
func TestEveryRoleNominatesOnlyTheTeamDecides(t *testing.T) {
	checkRolesDoc(t, map[string]Permission{quoted(PermNominate): PermNominate})
	for _, r := range Roles {
		if !r.Can(PermNominate) {
			t.Errorf("%s cannot nominate", r)
		}
		decides := r == RoleAdmin || r == RoleProgramManager || r == RoleTeamMember
		if r.Can(PermManageProgram) != decides {
			t.Errorf("%s decides on nominations: %v, want %v", r, r.Can(PermManageProgram), decides)
		}
	}
}
