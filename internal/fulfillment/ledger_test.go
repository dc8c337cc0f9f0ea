package fulfillment_test

import (
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Matching respects the ask ledger: a reference the fatigue rules hold
// back is not proposed, and asking it anyway (from its profile, or with
// the warnings confirmed) is refused, saying why.
func TestMatchingLeavesOutHeldBackReferences(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		l := newLoop(t, db)
		maya, jonas := l.ref(t, "Maya Okafor", nil), l.ref(t, "Jonas Lindqvist", nil)
		ps, err := db.ProgramSettings(l.ctx(l.pm))
		if err != nil {
			t.Fatal(err)
		}
		ps.LedgerReferenceCap = 1
		if err := db.SetProgramSettings(l.ctx(l.pm), ps); err != nil {
			t.Fatal(err)
		}
		if err := l.s.LogTeamAsk(l.ctx(l.pm), l.pm, &vouch.TeamAsk{ReferenceID: maya.ID, Team: vouch.TeamPR,
			AskedOn: db.Today(), What: "Press quote"}); err != nil {
			t.Fatal(err)
		}
		req := l.request(t, "Contoso")
		res, err := l.s.Matches(l.ctx(l.pm), req, 0, -1)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, m := range res.Items {
			names = append(names, m.Reference.Name)
		}
		if strings.Join(names, ",") != jonas.Name {
			t.Errorf("proposed %v, want only %s", names, jonas.Name)
		}
		_, err = l.s.Ask(l.ctx(l.pm), l.pm, req.ID, maya.ID, true)
		if want := "Maya Okafor has been asked 1 time in 90 days (cap 1)"; vouch.ErrorCode(err) != vouch.ECONFLICT || vouch.ErrorMessage(err) != want {
			t.Errorf("asking Maya anyway: %v, want %q", err, want)
		}
		if _, err := l.s.Ask(l.ctx(l.pm), l.pm, req.ID, jonas.ID, true); err != nil {
			t.Errorf("asking Jonas: %v", err)
		}
	})
}
