package refindex

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/vouchhq/vouch/internal/catalog"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// EntityTeamAsk is the kind the audit log records another team's logged ask under.
const EntityTeamAsk vouch.EntityKind = "team_ask"

// Ledger is the read model of the ask ledger's fatigue facts (docs/ledger.md):
// per reference the days it was asked by any team and its done activities,
// per account its flag and the days any of its references was asked. It
// answers which references the fatigue rules (vouch.FatigueRules.HoldBack)
// hold back today, and why, without a query: matching asks it on every
// match. It serves reads only — an ask is still checked inside its own
// transaction, with the account's row locked (store's checkFatigue).
//
// The reference index owns it: the index's Load loads it and its Apply
// hands it every change, so whatever follows the index follows the ledger.
type Ledger struct {
	db    *store.DB
	cat   *catalog.Catalog // names of activity types, and the rules
	clock *vouch.Clock

	mu    sync.RWMutex
	refs  map[int64]*ledgerRef
	accts map[int64]*ledgerAccount
	zone  string // the time zone request asks' days were counted in
	gen   uint64 // bumped by every change, under the write lock

	held atomic.Pointer[heldCache]
}

// ledgerRef is one reference's facts. Days are day numbers (dayNum), sorted.
type ledgerRef struct {
	account int64
	name    string
	asks    []int32
	done    []doneActivity
}

type doneActivity struct {
	day    int32
	typeID int64
}

// ledgerAccount is an account's flag and the asks of all its references.
type ledgerAccount struct {
	name   string
	reason string // "" not flagged
	until  int32  // 0: no until-day
	refs   []int64
	asks   []int32 // the asks of refs, sorted
}

// heldCache is the held-back set of one day under one set of rules, as of
// one generation of the ledger: matching after matching reads it as is.
type heldCache struct {
	gen   uint64
	today vouch.Date
	rules vouch.FatigueRules
	held  map[int64]string
}

func newLedger(db *store.DB, cat *catalog.Catalog, clock *vouch.Clock) *Ledger {
	return &Ledger{db: db, cat: cat, clock: clock, refs: map[int64]*ledgerRef{}, accts: map[int64]*ledgerAccount{}}
}

// Load reads every reference's and account's facts from the database.
func (l *Ledger) Load(ctx context.Context) error {
	zone := l.clock.Zone().String()
	facts, err := l.db.LoadLedgerFacts(ctx, nil)
	if err != nil {
		return err
	}
	accts, err := l.db.LoadLedgerAccounts(ctx, nil)
	if err != nil {
		return err
	}
	l.replace(facts, accts, zone)
	return nil
}

// Replace swaps in the given facts, their request asks' days counted in
// the clock's zone (Load; benchmarks fill the ledger with it).
func (l *Ledger) Replace(facts store.LedgerFacts, accts []store.LedgerAccount) {
	l.replace(facts, accts, l.clock.Zone().String())
}

func (l *Ledger) replace(facts store.LedgerFacts, accts []store.LedgerAccount, zone string) {
	refs := make(map[int64]*ledgerRef, len(facts.References))
	for _, r := range facts.References {
		refs[r.ID] = &ledgerRef{account: r.AccountID, name: r.Name}
	}
	addFacts(refs, facts)
	byAcct := make(map[int64]*ledgerAccount, len(accts))
	for _, a := range accts {
		byAcct[a.ID] = newLedgerAccount(a)
	}
	for id, r := range refs {
		a := byAcct[r.account]
		if a == nil {
			continue
		}
		a.refs = append(a.refs, id)
		a.asks = append(a.asks, r.asks...)
	}
	for _, a := range byAcct {
		slices.Sort(a.refs)
		slices.Sort(a.asks)
	}
	l.mu.Lock()
	l.refs, l.accts, l.zone = refs, byAcct, zone
	l.gen++
	l.mu.Unlock()
}

func newLedgerAccount(a store.LedgerAccount) *ledgerAccount {
	return &ledgerAccount{name: a.Name, reason: a.FlagReason, until: dayNum(a.FlagUntil)}
}

// addFacts files the asks and done activities under their references
// (those in refs), sorted.
func addFacts(refs map[int64]*ledgerRef, facts store.LedgerFacts) {
	for _, a := range facts.Asks {
		if r := refs[a.ReferenceID]; r != nil {
			r.asks = append(r.asks, dayNum(a.Day))
		}
	}
	for _, a := range facts.Done {
		if r := refs[a.ReferenceID]; r != nil {
			r.done = append(r.done, doneActivity{day: dayNum(a.Day), typeID: a.TypeID})
		}
	}
	for _, r := range refs {
		slices.Sort(r.asks)
		slices.SortFunc(r.done, func(a, b doneActivity) int { return int(a.day - b.day) })
	}
}

// apply brings the ledger up to date with changed entities; the index's
// Apply hands it every change it gets.
func (l *Ledger) apply(ctx context.Context, changes []vouch.Touched) error {
	var refIDs, acctIDs, askIDs, teamAskIDs []int64
	names := false
	for _, c := range changes {
		switch c.Kind.Base() {
		case vouch.EntityReference:
			refIDs = append(refIDs, c.ID)
		case vouch.EntityAccount:
			acctIDs = append(acctIDs, c.ID)
		case vouch.EntityActivity:
			id, err := l.db.ActivityReference(ctx, c.ID)
			if err != nil {
				return err
			}
			if id != 0 {
				refIDs = append(refIDs, id)
			}
		case vouch.EntityAsk:
			askIDs = append(askIDs, c.ID)
		case EntityTeamAsk:
			teamAskIDs = append(teamAskIDs, c.ID)
		case vouch.EntityTaxonomyValue, vouch.EntitySetting:
			names = true // an activity type's name, the rules or the time zone
		}
	}
	if names {
		l.mu.RLock()
		zone := l.zone
		l.mu.RUnlock()
		if zone != l.clock.Zone().String() {
			// Request asks' days are counted in the program's time zone.
			return l.Load(ctx)
		}
	}
	for _, q := range []struct {
		ids  []int64
		read func(context.Context, []int64) ([]int64, error)
	}{{askIDs, l.db.AskReferences}, {teamAskIDs, l.db.TeamAskReferences}} {
		ids, err := q.read(ctx, uniq(q.ids))
		if err != nil {
			return err
		}
		refIDs = append(refIDs, ids...)
	}
	refIDs = uniq(refIDs)
	var facts store.LedgerFacts
	if len(refIDs) > 0 { // nil would read every reference
		var err error
		if facts, err = l.db.LoadLedgerFacts(ctx, refIDs); err != nil {
			return err
		}
	}
	fresh := make(map[int64]*ledgerRef, len(facts.References))
	for _, r := range facts.References {
		fresh[r.ID] = &ledgerRef{account: r.AccountID, name: r.Name}
		acctIDs = append(acctIDs, r.AccountID)
	}
	addFacts(fresh, facts)
	// The accounts the changed references were in before need their asks
	// counted again too.
	l.mu.RLock()
	for _, id := range refIDs {
		if r := l.refs[id]; r != nil {
			acctIDs = append(acctIDs, r.account)
		}
	}
	l.mu.RUnlock()
	acctIDs = uniq(acctIDs)
	if len(refIDs) == 0 && len(acctIDs) == 0 && !names {
		return nil
	}
	found := map[int64]store.LedgerAccount{}
	if len(acctIDs) > 0 { // nil would read every account
		accts, err := l.db.LoadLedgerAccounts(ctx, acctIDs)
		if err != nil {
			return err
		}
		for _, a := range accts {
			found[a.ID] = a
		}
	}

	l.mu.Lock()
	defer l.mu.Unlock()
	before := l.held.Load()
	if before != nil && (before.gen != l.gen || names) {
		before = nil // stale already, or the rules or names may have changed
	}
	l.gen++
	for _, id := range refIDs {
		if r := fresh[id]; r != nil {
			l.refs[id] = r
		} else {
			delete(l.refs, id)
		}
	}
	for _, id := range acctIDs {
		a, ok := found[id]
		if !ok {
			delete(l.accts, id)
			continue
		}
		old := l.accts[id]
		na := newLedgerAccount(a)
		if old != nil {
			na.refs = old.refs
		}
		l.accts[id] = na
	}
	// Each touched account's references and asks, counted again.
	for _, id := range acctIDs {
		a := l.accts[id]
		if a == nil {
			continue
		}
		refs := slices.Clone(a.refs)
		for _, rid := range refIDs {
			refs = slices.DeleteFunc(refs, func(x int64) bool { return x == rid })
			if r := l.refs[rid]; r != nil && r.account == id {
				refs = append(refs, rid)
			}
		}
		slices.Sort(refs)
		a.refs = slices.Compact(refs)
		a.asks = a.asks[:0]
		for _, rid := range a.refs {
			if r := l.refs[rid]; r != nil {
				a.asks = append(a.asks, r.asks...)
			}
		}
		slices.Sort(a.asks)
	}
	if before != nil {
		l.rejudge(before, refIDs, acctIDs)
	}
	return nil
}

// rejudge carries the held-back set over a change: only the changed
// references and those of the changed accounts can be judged differently,
// so matching after a write need not judge every reference again. The
// caller holds the write lock; the old map stays as readers have it.
func (l *Ledger) rejudge(c *heldCache, refIDs, acctIDs []int64) {
	held := make(map[int64]string, len(c.held)+8)
	for id, why := range c.held {
		held[id] = why
	}
	from := dayNum(c.today) - int32(c.rules.PeriodDays) + 1
	again := func(id int64) {
		delete(held, id)
		if r := l.refs[id]; r != nil {
			if why := c.rules.HoldBack(l.facts(r, c.today, from), c.today); why != "" {
				held[id] = why
			}
		}
	}
	for _, id := range refIDs {
		again(id)
	}
	for _, id := range acctIDs {
		if a := l.accts[id]; a != nil {
			for _, rid := range a.refs {
				again(rid)
			}
		}
	}
	l.held.Store(&heldCache{gen: l.gen, today: c.today, rules: c.rules, held: held})
}

// rules are the program's fatigue rules, from the catalog.
func (l *Ledger) rules() vouch.FatigueRules {
	r := l.cat.ProgramSettings().FatigueRules()
	if r.PeriodDays <= 0 {
		r.PeriodDays = vouch.DefaultLedgerPeriodDays
	}
	return r
}

// HeldBackAll says, for every reference the fatigue rules hold back today,
// why ("Acme Corp has been asked 6 times in 90 days (cap 6)"): what
// matching leaves out. The answer is kept until the ledger, the rules or
// the day change, so callers must not modify the map.
func (l *Ledger) HeldBackAll() map[int64]string {
	today, rules := l.clock.Today(), l.rules()
	l.mu.RLock()
	defer l.mu.RUnlock()
	if c := l.held.Load(); c != nil && c.gen == l.gen && c.today == today && c.rules == rules {
		return c.held
	}
	held := l.heldBack(today, rules)
	l.held.Store(&heldCache{gen: l.gen, today: today, rules: rules, held: held})
	return held
}

// heldBack finds the references that may be held back — a flagged
// account, a cool-down, a count at a cap — and judges each by the rules;
// the caller holds the read lock.
func (l *Ledger) heldBack(today vouch.Date, rules vouch.FatigueRules) map[int64]string {
	t := dayNum(today)
	from := t - int32(rules.PeriodDays) + 1
	out := map[int64]string{}
	judge := func(id int64, r *ledgerRef) {
		if _, done := out[id]; done {
			return
		}
		if why := rules.HoldBack(l.facts(r, today, from), today); why != "" {
			out[id] = why
		}
	}
	for _, a := range l.accts {
		flagged := a.reason != "" && (a.until == 0 || t <= a.until)
		capped := rules.AccountCap > 0 && countDays(a.asks, from, t) >= rules.AccountCap
		if !flagged && !capped {
			continue
		}
		for _, id := range a.refs {
			if r := l.refs[id]; r != nil {
				judge(id, r)
			}
		}
	}
	for id, r := range l.refs {
		cooling := false
		if rules.CooldownDays > 0 {
			if last, ok := lastDone(r.done, t); ok && t < last.day+int32(rules.CooldownDays) {
				cooling = true
			}
		}
		capped := rules.ReferenceCap > 0 && countDays(r.asks, from, t) >= rules.ReferenceCap
		if cooling || capped {
			judge(id, r)
		}
	}
	return out
}

// HeldBackOf says why the fatigue rules hold each of the references with
// the given ids back today; the others are not in the map.
func (l *Ledger) HeldBackOf(ids []int64) map[int64]string {
	today, rules := l.clock.Today(), l.rules()
	from := dayNum(today) - int32(rules.PeriodDays) + 1
	l.mu.RLock()
	defer l.mu.RUnlock()
	out := map[int64]string{}
	for _, id := range ids {
		r := l.refs[id]
		if r == nil {
			continue
		}
		if why := rules.HoldBack(l.facts(r, today, from), today); why != "" {
			out[id] = why
		}
	}
	return out
}

// AccountHeldBack is why the fatigue rules hold the account back today —
// flagged, or asked as often as the account cap allows — or "": what a
// campaign asks before it asks an account that has no active reference.
func (l *Ledger) AccountHeldBack(accountID int64) string {
	today, rules := l.clock.Today(), l.rules()
	t := dayNum(today)
	from := t - int32(rules.PeriodDays) + 1
	l.mu.RLock()
	defer l.mu.RUnlock()
	a := l.accts[accountID]
	if a == nil {
		return ""
	}
	f := vouch.FatigueFacts{AccountName: a.name, FlagReason: a.reason, FlagUntil: ledgerDate(a.until),
		AccountAsks: datesIn(a.asks, from, t)}
	// Only the account's rules apply: no reference, no cool-down or reference cap.
	return vouch.FatigueRules{PeriodDays: rules.PeriodDays, AccountCap: rules.AccountCap}.HoldBack(f, today)
}

// facts are what the rules look at for r today; the caller holds the read lock.
func (l *Ledger) facts(r *ledgerRef, today vouch.Date, from int32) vouch.FatigueFacts {
	t := dayNum(today)
	f := vouch.FatigueFacts{ReferenceName: r.name, ReferenceAsks: datesIn(r.asks, from, t)}
	if a := l.accts[r.account]; a != nil {
		f.AccountName, f.FlagReason, f.FlagUntil = a.name, a.reason, ledgerDate(a.until)
		f.AccountAsks = datesIn(a.asks, from, t)
	}
	if last, ok := lastDone(r.done, t); ok {
		f.LastActivity = ledgerDate(last.day)
		f.ActivityType = l.cat.ValueName(last.typeID)
	}
	return f
}

// countDays counts the sorted days in [from, to].
func countDays(days []int32, from, to int32) int {
	lo, _ := slices.BinarySearch(days, from)
	hi, _ := slices.BinarySearch(days, to+1)
	return hi - lo
}

// datesIn returns the sorted days in [from, to] as dates.
func datesIn(days []int32, from, to int32) []vouch.Date {
	lo, _ := slices.BinarySearch(days, from)
	hi, _ := slices.BinarySearch(days, to+1)
	if hi <= lo {
		return nil
	}
	out := make([]vouch.Date, 0, hi-lo)
	for _, d := range days[lo:hi] {
		out = append(out, ledgerDate(d))
	}
	return out
}

// lastDone is the latest done activity on or before day t.
func lastDone(done []doneActivity, t int32) (doneActivity, bool) {
	i, _ := slices.BinarySearchFunc(done, t+1, func(a doneActivity, d int32) int { return int(a.day - d) })
	if i == 0 {
		return doneActivity{}, false
	}
	return done[i-1], true
}

// ledgerDate is the date of a day number; 0 is the zero Date.
func ledgerDate(d int32) vouch.Date {
	if d == 0 {
		return vouch.Date{}
	}
	return dayDate(d)
}
