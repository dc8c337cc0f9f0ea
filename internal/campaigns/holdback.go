package campaigns

import (
	"github.com/vouchhq/vouch/internal/refindex"
)

// HoldBack applies the ask ledger's fatigue rules to a campaign's candidate
// accounts before anyone asks them, as matching applies them to
// references: an account that is flagged (an open escalation or renewal)
// or that every team together has asked as often as the account cap
// allows in the period is held back, with the sentence saying why. A
// candidate has no active reference, so only the account's rules apply.
// The facts come from the ledger's read model, not a query per candidate.
func HoldBack(ledger *refindex.Ledger, cands []Candidate) (kept []Candidate, held []Held) {
	for _, c := range cands {
		if why := ledger.AccountHeldBack(c.Account.ID); why != "" {
			held = append(held, Held{Candidate: c, Reason: why})
			continue
		}
		kept = append(kept, c)
	}
	return kept, held
}
