package vouch

import (
	"strings"
	"testing"
)

// TestRoleDescriptionsSayOnlyWhatExists: the users page and the account
// page describe each role; they promise nothing Vouch does not do yet.
func TestRoleDescriptionsSayOnlyWhatExists(t *testing.T) {
	for _, r := range Roles {
		d := strings.ToLower(r.Description())
		if d == "" {
			t.Errorf("%s has no description", r)
		}
		for _, missing := range []string{"content", "dashboard", "integration", "nomination"} {
			if strings.Contains(d, missing) {
				t.Errorf("%s: %q promises %s", r, r.Description(), missing)
			}
		}
	}
}
