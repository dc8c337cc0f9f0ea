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

// winCache is the answer of the last RecentWins over a span, kept until
// the model changes.
type winCache struct {
	lo, hi int32
	wins   map[int64]Win
}

// RecentWins is each account's latest deal won (closed on a won stage)
// from from to to, the largest when several closed the same day. One pass
// over the opportunities; the answer is kept until the next write, so a
// campaign page viewed again costs a lookup. The map is shared: callers
// must not change it.
func (m *Model) RecentWins(from, to vouch.Date) map[int64]Win {
	m.mu.RLock()
	defer m.mu.RUnlock()
	d := m.d
	lo, hi := dayNum(from), dayNum(to)
	if c := d.wins.Load(); c != nil && c.lo == lo && c.hi == hi {
		return c.wins
	}
	out := d.recentWins(lo, hi)
	d.wins.Store(&winCache{lo: lo, hi: hi, wins: out})
	return out
}

func (d *data) recentWins(lo, hi int32) map[int64]Win {
	var best []int32 // by account: the opportunity, 0 none
	n := 0
	for i := range d.opps {
		o := &d.opps[i]
		if o.status != oppWon || o.account <= 0 || o.close == noDay || o.close < lo || o.close > hi {
			continue
		}
		if int(o.account) >= len(best) {
			best = append(best, make([]int32, int(o.account)+1-len(best)+len(best)/2)...)
		}
		if b := best[o.account]; b != 0 {
			if bo := &d.opps[b]; bo.close > o.close || (bo.close == o.close && bo.amount >= o.amount) {
				continue
			}
		} else {
			n++
		}
		best[o.account] = int32(i)
	}
	out := make(map[int64]Win, n)
	for acct, i := range best {
		if i == 0 {
			continue
		}
		o := &d.opps[i]
		out[int64(acct)] = Win{OpportunityID: int64(i), Name: d.oppNames[i], AmountCents: o.amount, Currency: d.currencies[o.cur],
			ClosedOn: dateOf(o.close)}
	}
	return out
}
