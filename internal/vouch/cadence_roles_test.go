package vouch

import (
	"os"
	"strings"
	"testing"
)

// The permissions of the cadence and program health are granted as
// docs/roles.md says: its rows are read and held against Role.Can.
func TestCadenceAndHealthPermissionsMatchTheRolesDoc(t *testing.T) {
	b, err := os.ReadFile("../../docs/roles.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []Permission{PermManageCadence, PermReadHealth, PermManageHealth} {
		var row string
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "| `"+string(p)+"`") {
				row = line
			}
		}
		if row == "" {
			t.Errorf("docs/roles.md has no row for %s", p)
			continue
		}
		cells := strings.Split(strings.TrimSpace(row), "|")
		cells = cells[1 : len(cells)-1] // the row opens and closes with a bar
		if len(cells) != 1+len(Roles) {
			t.Fatalf("%s: %d cells in %q", p, len(cells), row)
		}
		for i, r := range Roles {
			documented := strings.TrimSpace(cells[1+i]) == "✓"
			if documented != r.Can(p) {
				t.Errorf("%s for %s: docs say %v, the code %v", p, r, documented, r.Can(p))
			}
		}
	}
	if RoleViewer.Can(PermManageCadence) || !RoleViewer.Can(PermReadHealth) || RoleSeller.Can(PermReadHealth) {
		t.Error("executives read health and nothing of the cadence; sellers neither")
	}
}
