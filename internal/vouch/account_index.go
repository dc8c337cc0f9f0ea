package vouch

import (
	"fmt"
	"strings"
)

// AccountIndex finds the account a CRM record (a deal, an account row)
// belongs to, by the rule docs/import.md states: the CRM account id, else
// the website domain, else the name (any case and spacing). A domain or
// name that two accounts share matches neither: the record must give the
// CRM id.
type AccountIndex struct {
	byCRM    map[string]*Account
	byDomain map[string][]*Account
	byName   map[string][]*Account
}

// NewAccountIndex indexes accounts.
func NewAccountIndex(accounts []*Account) *AccountIndex {
	x := &AccountIndex{byCRM: map[string]*Account{}, byDomain: map[string][]*Account{}, byName: map[string][]*Account{}}
	for _, a := range accounts {
		x.Add(a)
	}
	return x
}

// Add indexes one more account (one an import creates).
func (x *AccountIndex) Add(a *Account) {
	if id := strings.TrimSpace(a.CRMID); id != "" {
		x.byCRM[id] = a
	}
	if d := NormalizeDomain(a.Domain); d != "" {
		x.byDomain[d] = append(x.byDomain[d], a)
	}
	if k := accountNameKey(a.Name); k != "" {
		x.byName[k] = append(x.byName[k], a)
	}
}

// AccountMatch says how an account was found: "crm_id", "domain" or "name".
type AccountMatch string

// Match finds the account by CRM id, else domain, else name. With none of
// the three given it returns nil and no problem; with some given and no
// account found, nil and no problem either (the caller decides whether that
// is one); problem names the field and the accounts when the match is
// ambiguous.
func (x *AccountIndex) Match(crmID, domain, name string) (a *Account, by AccountMatch, field, problem string) {
	if crmID = strings.TrimSpace(crmID); crmID != "" {
		if a := x.byCRM[crmID]; a != nil {
			return a, "crm_id", "", ""
		}
	}
	if d := NormalizeDomain(domain); d != "" {
		switch same := x.byDomain[d]; len(same) {
		case 1:
			return same[0], "domain", "", ""
		case 0:
		default:
			return nil, "", "domain", fmt.Sprintf("%d accounts have the website %s (%s); give the CRM account id", len(same), d, accountNames(same))
		}
	}
	if k := accountNameKey(name); k != "" {
		switch same := x.byName[k]; len(same) {
		case 1:
			return same[0], "name", "", ""
		case 0:
		default:
			return nil, "", "name", fmt.Sprintf("%d accounts have this name; give the CRM account id or the website", len(same))
		}
	}
	return nil, "", "", ""
}

func accountNames(as []*Account) string {
	names := make([]string, len(as))
	for i, a := range as {
		names[i] = "'" + a.Name + "'"
	}
	return strings.Join(names, ", ")
}

func accountNameKey(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
