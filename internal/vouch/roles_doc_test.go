package vouch

import (
	"os"
	"strings"
	"testing"
)

// checkRolesDoc holds the rows of docs/roles.md's permission table that
// begin with label (e.g. "`nominate`", "ask ledger, `manage_program`") to
// Role.Can of perm: a ✓ in a role's column, and only there.
func checkRolesDoc(t *testing.T, rows map[string]Permission) {
	t.Helper()
	b, err := os.ReadFile("../../docs/roles.md")
	if err != nil {
		t.Fatal(err)
	}
	for label, p := range rows {
		var row string
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "| "+label) {
				row = line
			}
		}
		if row == "" {
			t.Errorf("docs/roles.md has no row for %s", label)
			continue
		}
		cells := strings.Split(strings.TrimSpace(row), "|")
		cells = cells[1 : len(cells)-1] // the row opens and closes with a bar
		if len(cells) != 1+len(Roles) {
			t.Fatalf("%s: %d cells in %q", label, len(cells), row)
		}
		for i, r := range Roles {
			if documented := strings.TrimSpace(cells[1+i]) == "✓"; documented != r.Can(p) {
				t.Errorf("%s for %s: docs say %v, the code %v", label, r, documented, r.Can(p))
			}
		}
	}
}

func quoted(p Permission) string { return "`" + string(p) + "`" }

// Who runs the cadence and who reads or records program health is as
// docs/roles.md says.
func TestCadenceAndHealthPermissionsMatchTheRolesDoc(t *testing.T) {
	checkRolesDoc(t, map[string]Permission{quoted(PermManageCadence): PermManageCadence,
		quoted(PermReadHealth): PermReadHealth, quoted(PermManageHealth): PermManageHealth})
	if RoleViewer.Can(PermManageCadence) || !RoleViewer.Can(PermReadHealth) || RoleSeller.Can(PermReadHealth) {
		t.Error("executives read health and nothing of the cadence; sellers neither")
	}
}

// Coverage and campaign permissions are granted as docs/roles.md says.
func TestCoverageAndCampaignPermissionsMatchTheRolesDoc(t *testing.T) {
	checkRolesDoc(t, map[string]Permission{quoted(PermReadCoverage): PermReadCoverage,
		quoted(PermManageCampaigns): PermManageCampaigns})
	if RoleSeller.Can(PermReadCoverage) || RoleViewer.Can(PermManageCampaigns) || !RoleViewer.Can(PermReadCoverage) {
		t.Error("executives read coverage but run no campaign; sellers see neither")
	}
}

// Who reads the ask ledger and who logs other teams' asks and flags
// accounts is as docs/roles.md says.
func TestLedgerPermissionsMatchTheRolesDoc(t *testing.T) {
	checkRolesDoc(t, map[string]Permission{"ask ledger, " + quoted(PermReadReferences): PermReadReferences,
		"ask ledger, " + quoted(PermManageProgram): PermManageProgram})
}

// The scorecard is everyone's to read, as docs/roles.md says.
func TestScorecardPermissionMatchesTheRolesDoc(t *testing.T) {
	checkRolesDoc(t, map[string]Permission{quoted(PermReadScorecard): PermReadScorecard})
}

// Who lists opportunities (the page and the API) is as docs/roles.md says.
func TestOpportunitiesPermissionMatchesTheRolesDoc(t *testing.T) {
	checkRolesDoc(t, map[string]Permission{"opportunities, " + quoted(PermRequestReference): PermRequestReference})
	if RoleViewer.Can(PermRequestReference) {
		t.Error("executives read coverage but not the deals behind it")
	}
}
