package analytics

import (
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/vouchhq/vouch/internal/vouch"
)

// Taxonomy ids of the generated data: industries 1–8, regions 11–14,
// countries 21–40, products 41–46, segments 51–53, sizes 61–65, activity
// types 71–75, content types 81–90; owners (users) 101–150.
var (
	genIndustries   = idRange(1, 8)
	genRegions      = idRange(11, 14)
	genCountries    = idRange(21, 40)
	genProducts     = idRange(41, 46)
	genSegments     = idRange(51, 53)
	genSizes        = idRange(61, 65)
	genTypes        = idRange(71, 75)
	genContentTypes = idRange(81, 90)
	genOwners       = idRange(101, 150)
)

func idRange(a, b int32) []int32 {
	var out []int32
	for i := a; i <= b; i++ {
		out = append(out, i)
	}
	return out
}

// Generate fills a model directly, without a database, at the given scale:
// opps deals (three per account, accounts 1 to opps/3), acts activities,
// refs references, and in proportion requests (opps/2), asks, content uses
// (opps/2), ratings, feedback and content requests (opps/15), dated over
// the two years before end. It is for benchmarks: a program's size is
// measured without writing a million rows first. The same seed gives the
// same rows every time.
func Generate(opps, acts, refs int, end vouch.Date) *Model {
	rng := rand.New(rand.NewPCG(7, 2026))
	d := newData(time.UTC)
	last := dayNum(end)
	first := last - 730
	dayIn := func() int32 { return first + rng.Int32N(731) }
	pick := func(ids []int32) int32 {
		if rng.IntN(12) == 0 {
			return 0
		}
		return ids[rng.IntN(len(ids))]
	}
	d.currency("USD")
	d.currency("EUR")
	stages := []uint16{d.stage("Discovery"), d.stage("Proposal"), d.stage("Negotiation"), d.stage("Closed Won"), d.stage("Closed Lost")}
	d.opps = make([]opp, opps+1)
	d.oppNames = make([]string, opps+1)
	for i := 1; i <= opps; i++ {
		o := opp{amount: int64(100000 + rng.IntN(50000000)), owner: genOwners[rng.IntN(len(genOwners))],
			industry: pick(genIndustries), region: pick(genRegions), country: pick(genCountries), product: pick(genProducts),
			segment: pick(genSegments), size: pick(genSizes), cur: uint8(rng.IntN(8) / 7)}
		o.close = dayIn()
		o.created = o.close - 20 - rng.Int32N(200)
		switch n := rng.IntN(10); {
		case n < 3:
			o.status, o.stage = oppWon, stages[3]
		case n < 6:
			o.status, o.stage = oppLost, stages[4]
		default:
			o.status, o.stage = oppOpen, stages[rng.IntN(3)]
			o.close += 120
		}
		// Three deals per account, accounts 1 to opps/3 (no draw: the
		// rows drawn stay as they were before accounts were generated).
		o.account = int32(1 + (i-1)%max(opps/3, 1))
		d.opps[i] = o
		d.oppNames[i] = fmt.Sprintf("Deal %d", i)
	}
	d.refs = make([]ref, refs+1)
	d.refNames = make([]string, refs+1)
	d.refProds = make([][]int32, refs+1)
	d.events = make([][]statusEvent, refs+1)
	active, retired := indexOf(refStatuses, vouch.StatusActive), indexOf(refStatuses, vouch.StatusRetired)
	qualifying := indexOf(refStatuses, vouch.StatusQualifying)
	for i := 1; i <= refs; i++ {
		d.refs[i] = ref{owner: genOwners[rng.IntN(len(genOwners))], industry: pick(genIndustries), region: pick(genRegions),
			country: pick(genCountries), segment: pick(genSegments), size: pick(genSizes), verified: dayIn(), capLimit: -1, live: true}
		d.refNames[i] = fmt.Sprintf("Reference %d", i)
		if p := pick(genProducts); p != 0 {
			d.refProds[i] = []int32{p}
		}
		start := dayIn() - 365
		evs := []statusEvent{{day: start, until: noDay, to: qualifying}, {day: start + 20, until: noDay, to: active}}
		if rng.IntN(6) == 0 {
			evs = append(evs, statusEvent{day: start + 200, until: noDay, to: retired})
		}
		d.events[i] = evs
	}
	d.acts = make([]act, acts+1)
	for i := 1; i <= acts; i++ {
		a := act{ref: 1 + rng.Int32N(int32(refs)), typ: genTypes[rng.IntN(len(genTypes))], day: dayIn(), sent: noDay,
			points: rng.Int32N(30), stage: stages[rng.IntN(3)], flags: actLive | actDone}
		if rng.IntN(10) < 6 {
			a.opp = 1 + rng.Int32N(int32(opps))
		}
		if rng.IntN(3) == 0 {
			a.flags |= actThanks
			if rng.IntN(2) == 0 {
				a.sent = a.day + rng.Int32N(30)
			}
		}
		d.acts[i] = a
	}
	nReq := opps / 2
	d.reqs = make([]req, nReq+1)
	completed := indexOf(reqStates, vouch.RequestCompleted)
	for i := 1; i <= nReq; i++ {
		r := req{opp: 1 + rng.Int32N(int32(opps)), typ: genTypes[rng.IntN(len(genTypes))], requester: genOwners[rng.IntN(len(genOwners))],
			assignee: genOwners[rng.IntN(len(genOwners))], created: dayIn(), closed: noDay, stage: stages[rng.IntN(3)],
			state: uint8(1 + rng.IntN(len(reqStates)-1))}
		r.due = r.created + 5 + rng.Int32N(30)
		if reqStates[r.state].Closed() {
			r.closed = r.created + rng.Int32N(40)
		}
		if rng.IntN(2) == 0 {
			r.state = completed
			r.closed = r.created + rng.Int32N(40)
		}
		d.reqs[i] = r
	}
	d.asks = make([]ask, nReq+1)
	for i := 1; i <= nReq; i++ {
		d.asks[i] = ask{request: int32(i), ref: 1 + rng.Int32N(int32(refs)), answered: d.reqs[i].created + rng.Int32N(5),
			state: uint8(1 + rng.IntN(len(askStates)-1))}
	}
	nUse := opps / 2
	d.uses = make([]use, nUse+1)
	for i := 1; i <= nUse; i++ {
		u := use{content: 1 + rng.Int32N(5000), user: genOwners[rng.IntN(len(genOwners))], day: dayIn(), stage: stages[rng.IntN(3)], live: true}
		if rng.IntN(10) < 7 {
			u.opp = 1 + rng.Int32N(int32(opps))
		}
		d.uses[i] = u
	}
	d.ratings = make([]rating, 20001)
	for i := 1; i <= 20000; i++ {
		d.ratings[i] = rating{content: 1 + rng.Int32N(5000), user: genOwners[rng.IntN(len(genOwners))], day: dayIn(), rating: int8(1 + rng.IntN(5))}
	}
	d.fbs = make([]feedback, nReq+1)
	for i := 1; i <= nReq; i++ {
		d.fbs[i] = feedback{ask: int32(i), day: d.asks[i].answered + 10, rating: int8(1 + rng.IntN(5)), seller: i%2 == 0}
	}
	d.contents = make([]content, 5001)
	d.titles = make([]string, 5001)
	for i := 1; i <= 5000; i++ {
		d.contents[i] = content{owner: genOwners[rng.IntN(len(genOwners))], created: dayIn(), live: true}
		d.titles[i] = fmt.Sprintf("Story %d", i)
	}
	// Content requests: one per 15 deals, four in five still open, each
	// tagged with an industry, a region, a product or two and a segment.
	n := opps / 15
	d.creqs = make([]contentReq, n+1)
	for i := 1; i <= n; i++ {
		c := contentReq{typ: genContentTypes[rng.IntN(len(genContentTypes))], open: rng.IntN(5) > 0}
		c.industry = []int32{genIndustries[rng.IntN(len(genIndustries))]}
		c.region = []int32{genRegions[rng.IntN(len(genRegions))]}
		c.product = []int32{genProducts[rng.IntN(len(genProducts))]}
		if rng.IntN(3) == 0 {
			c.product = append(c.product, genProducts[rng.IntN(len(genProducts))])
		}
		c.segment = []int32{genSegments[rng.IntN(len(genSegments))]}
		d.creqs[i] = c
	}
	d.derive()
	ps := vouch.DefaultProgramSettings()
	return &Model{d: d, settings: &ps, log: slog.Default()}
}

// ReplaceWith makes m answer from src's rows (a model Generate filled),
// keeping m's own settings: a benchmark of a server's pages at a size its
// database does not hold. The change feed's next load replaces them again.
func (m *Model) ReplaceWith(src *Model) {
	src.mu.RLock()
	d := src.d
	src.mu.RUnlock()
	m.mu.Lock()
	m.d = d
	m.mu.Unlock()
}
