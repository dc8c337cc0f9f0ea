package analytics

import (
	"github.com/vouchhq/vouch/internal/vouch"
)

// Win is an account's latest won deal, as campaigns rank candidates by it.
type Win struct {
	OpportunityID int64
	Name          string
	AmountCents   int64
	Currency      string
	ClosedOn      vouch.Date
}

// RecentWins is each account's latest deal won (closed on a won stage)
// from from to to, the largest when several closed the same day. One pass
// over the opportunities.
func (m *Model) RecentWins(from, to vouch.Date) map[int64]Win {
	m.mu.RLock()
	defer m.mu.RUnlock()
	d := m.d
	lo, hi := dayNum(from), dayNum(to)
	best := map[int32]int32{} // account → opportunity
	for i := range d.opps {
		o := &d.opps[i]
		if o.status != oppWon || o.account <= 0 || o.close == noDay || o.close < lo || o.close > hi {
			continue
		}
		if b, ok := best[o.account]; ok {
			if bo := &d.opps[b]; bo.close > o.close || (bo.close == o.close && bo.amount >= o.amount) {
				continue
			}
		}
		best[o.account] = int32(i)
	}
	out := make(map[int64]Win, len(best))
	for acct, i := range best {
		o := &d.opps[i]
		out[int64(acct)] = Win{OpportunityID: int64(i), Name: d.oppNames[i], AmountCents: o.amount, Currency: d.currencies[o.cur],
			ClosedOn: dateOf(o.close)}
	}
	return out
}
