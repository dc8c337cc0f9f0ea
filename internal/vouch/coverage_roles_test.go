package vouch

import (
	"os"
	"strings"
	"testing"
)

// Coverage and campaign permissions are granted as docs/roles.md says.
func TestCoverageAndCampaignPermissionsMatchTheRolesDoc(t *testing.T) {
	b, err := os.ReadFile("../../docs/roles.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []Permission{PermReadCoverage, PermManageCampaigns} {
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
		cells = cells[1 : len(cells)-1]
		if len(cells) != 1+len(Roles) {
			t.Fatalf("%s: %d cells in %q", p, len(cells), row)
		}
		for i, r := range Roles {
			if documented := strings.TrimSpace(cells[1+i]) == "✓"; documented != r.Can(p) {
				t.Errorf("%s for %s: docs say %v, the code %v", p, r, documented, r.Can(p))
			}
		}
	}
	if RoleSeller.Can(PermReadCoverage) || RoleViewer.Can(PermManageCampaigns) || !RoleViewer.Can(PermReadCoverage) {
		t.Error("executives read coverage but run no campaign; sellers see neither")
	}
}
