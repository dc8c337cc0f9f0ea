package vouch

import (
	"os"
	"strings"
	"testing"
)

// Who reads the ask ledger and who logs other teams' asks and flags
// accounts is as docs/roles.md says: its rows are held against Role.Can.
func TestLedgerPermissionsMatchTheRolesDoc(t *testing.T) {
	b, err := os.ReadFile("../../docs/roles.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []Permission{PermReadReferences, PermManageProgram} {
		var row string
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "| ask ledger, `"+string(p)+"`") {
				row = line
			}
		}
		if row == "" {
			t.Errorf("docs/roles.md has no ask ledger row for %s", p)
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
}
