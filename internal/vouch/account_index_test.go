package vouch

import "testing"

// TestAccountIndexOrder: the CRM id wins over the domain, the domain over
// the name; shared domains and names are ambiguous, not guessed.
func TestAccountIndexOrder(t *testing.T) {
	acme := &Account{ID: 1, Name: "Acme", Domain: "acme.example", CRMID: "001A"}
	globex := &Account{ID: 2, Name: "Globex", Domain: "https://www.globex.example/about"}
	twinA := &Account{ID: 3, Name: "Initech", Domain: "initech.example"}
	twinB := &Account{ID: 4, Name: "initech", Domain: "initech.example"}
	x := NewAccountIndex([]*Account{acme, globex, twinA, twinB})
	for _, c := range []struct {
		crm, domain, name string
		want              int64
		by                AccountMatch
		problem           string
	}{
		{"001A", "globex.example", "Globex", 1, "crm_id", ""},
		{"001X", "www.GLOBEX.example", "Acme", 2, "domain", ""},
		{"", "", " acme ", 1, "name", ""},
		{"", "other.example", "Globex", 2, "name", ""},
		{"", "initech.example", "", 0, "", "2 accounts have the website initech.example ('Initech', 'initech'); give the CRM account id"},
		{"", "", "INITECH", 0, "", "2 accounts have this name; give the CRM account id or the website"},
		{"", "", "Nobody", 0, "", ""},
	} {
		a, by, _, problem := x.Match(c.crm, c.domain, c.name)
		var id int64
		if a != nil {
			id = a.ID
		}
		if id != c.want || by != c.by || problem != c.problem {
			t.Errorf("%+v: got %d %q %q", c, id, by, problem)
		}
	}
}
