package campaigns

import (
	"context"

	"github.com/vouchhq/vouch/internal/vouch"
)

// HoldBack applies the ask ledger's fatigue rules to a campaign's candidate
// accounts before anyone asks them, as matching applies them to
// references: an account that is flagged (an open escalation or renewal)
// or that every team together has asked as often as the account cap
// allows in the period is held back, with the sentence saying why. A
// candidate has no active reference, so only the account's rules apply.
func (s *Service) HoldBack(ctx context.Context, cands []Candidate) (kept []Candidate, held []Held, err error) {
	ps, err := s.db.ProgramSettings(ctx)
	if err != nil {
		return nil, nil, err
	}
	rules, today := ps.FatigueRules(), s.db.Today()
	for _, c := range cands {
		flag, err := s.db.AccountFlag(ctx, c.Account.ID)
		if err != nil {
			return nil, nil, err
		}
		f := vouch.FatigueFacts{AccountName: c.Account.Name, FlagReason: flag.Reason, FlagUntil: flag.Until}
		if rules.AccountCap > 0 {
			asks, err := s.db.AccountLedger(ctx, c.Account.ID)
			if err != nil {
				return nil, nil, err
			}
			for _, a := range asks {
				f.AccountAsks = append(f.AccountAsks, a.AskedOn)
			}
		}
		if why := rules.HoldBack(f, today); why != "" {
			held = append(held, Held{Candidate: c, Reason: why})
			continue
		}
		kept = append(kept, c)
	}
	return kept, held, nil
}
