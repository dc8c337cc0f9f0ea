package refindex

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// AccountKinds are the entity kinds the account list follows.
var AccountKinds = []vouch.EntityKind{vouch.EntityAccount}

// Accounts is the read model of every account (with references or not),
// for the account list and its search by name or domain: the same answers
// as store.ListAccounts gives, without scanning a table.
type Accounts struct {
	db   *store.DB
	refs *Index // references per account, and taxonomy names (nil: neither)

	mu   sync.RWMutex
	list []*accountEntry // by id, ascending
	// grams lists, for each three-byte sequence of a lower-cased name or
	// domain, the accounts holding it, by id. A search of three bytes or more
	// checks only the accounts of its rarest sequence.
	grams map[uint32][]*accountEntry
	// keys holds every account's lower-cased name and domain, each followed
	// by a NUL, in list order; list[i]'s are keys[starts[i]:starts[i+1]].
	// A search that matches many accounts reads them in one sweep of memory
	// instead of following a pointer per account.
	keys   string
	starts []int32
	freq   [256]int32 // how often each byte occurs in keys
}

// accountEntry is one account and the keys it is searched by. Entries are
// never changed: a change puts a new one.
type accountEntry struct {
	acct    *vouch.Account
	nameKey string   // the name lower-cased, as the accounts table's name_key
	keys    [7]int32 // its key in each of AccountFacets (-1: none), read by every search
}

func (e *accountEntry) id() int64 { return e.acct.ID }

// matches reports whether the name or the domain contains needle, as
// `name_key LIKE %needle% OR domain LIKE %needle%` does (domains are stored lower-cased).
func (e *accountEntry) matches(needle string) bool {
	return strings.Contains(e.nameKey, needle) || strings.Contains(e.acct.Domain, needle)
}

// trigrams returns the distinct three-byte sequences of the entry's keys.
func (e *accountEntry) trigrams() []uint32 {
	var out []uint32
	for _, k := range []string{e.nameKey, e.acct.Domain} {
		out = appendTrigrams(out, k)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func appendTrigrams(out []uint32, s string) []uint32 {
	for i := 0; i+3 <= len(s); i++ {
		out = append(out, uint32(s[i])<<16|uint32(s[i+1])<<8|uint32(s[i+2]))
	}
	return out
}

func newAccountEntry(a *vouch.Account) *accountEntry {
	return &accountEntry{acct: a, nameKey: strings.ToLower(a.Name), keys: accountKeys(a)}
}

// NewAccounts returns an empty account list over db that counts each
// account's references in refs (nil: none are counted); subscribe it to a
// change feed, which loads it.
func NewAccounts(db *store.DB, refs *Index) *Accounts {
	return &Accounts{db: db, refs: refs, grams: map[uint32][]*accountEntry{}}
}

// Load reads every account from the database.
func (x *Accounts) Load(ctx context.Context) error {
	var all []*vouch.Account
	after := int64(0)
	for {
		page, _, err := x.db.ListAccounts(ctx, vouch.AccountFilter{AfterID: after, Limit: 1000})
		if err != nil {
			return err
		}
		all = append(all, page...)
		if len(page) < 1000 {
			break
		}
		after = page[len(page)-1].ID
	}
	x.Replace(all)
	return nil
}

// Replace swaps in the given accounts (Load; benchmarks fill the list with it).
func (x *Accounts) Replace(accts []*vouch.Account) {
	list := make([]*accountEntry, 0, len(accts))
	for _, a := range accts {
		list = append(list, newAccountEntry(a))
	}
	slices.SortFunc(list, func(a, b *accountEntry) int { return cmpID(a.id(), b.id()) })
	grams := map[uint32][]*accountEntry{}
	for _, e := range list {
		for _, g := range e.trigrams() {
			grams[g] = append(grams[g], e) // in id order, as list is
		}
	}
	x.mu.Lock()
	x.list, x.grams = list, grams
	x.buildKeys()
	x.mu.Unlock()
}

// buildKeys rebuilds keys and starts from list; the caller holds the write lock.
func (x *Accounts) buildKeys() {
	var b strings.Builder
	b.Grow(len(x.keys) + 64)
	starts := make([]int32, 0, len(x.list)+1)
	for _, e := range x.list {
		starts = append(starts, int32(b.Len()))
		b.WriteString(e.nameKey)
		b.WriteByte(0)
		b.WriteString(e.acct.Domain)
		b.WriteByte(0)
	}
	x.keys, x.starts = b.String(), append(starts, int32(b.Len()))
	x.freq = [256]int32{}
	for i := 0; i < len(x.keys); i++ {
		x.freq[x.keys[i]]++
	}
}

// Apply re-reads the changed accounts, dropping those that are gone. The
// reads come first; the list then changes at once, so a search never sees
// it half changed.
func (x *Accounts) Apply(ctx context.Context, changes []vouch.Touched) error {
	type change struct {
		id   int64
		acct *vouch.Account // nil: deleted
	}
	var read []change
	for _, c := range changes {
		if c.Kind != vouch.EntityAccount {
			continue
		}
		a, err := x.db.Account(ctx, c.ID)
		if vouch.ErrorCode(err) == vouch.ENOTFOUND {
			a, err = nil, nil
		}
		if err != nil {
			return err
		}
		read = append(read, change{c.ID, a})
	}
	if len(read) == 0 {
		return nil
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, c := range read {
		x.put(c.id, c.acct)
	}
	x.buildKeys()
	return nil
}

// put sets (a != nil) or removes (a == nil) the account with id; the caller
// holds the write lock and rebuilds the keys after.
func (x *Accounts) put(id int64, a *vouch.Account) {
	i, found := slices.BinarySearchFunc(x.list, id, byID)
	if found {
		old := x.list[i]
		for _, g := range old.trigrams() {
			list := x.grams[g]
			if j, ok := slices.BinarySearchFunc(list, id, byID); ok {
				list = slices.Delete(list, j, j+1)
			}
			if len(list) == 0 {
				delete(x.grams, g)
			} else {
				x.grams[g] = list
			}
		}
		x.list = slices.Delete(x.list, i, i+1)
	}
	if a == nil {
		return
	}
	e := newAccountEntry(a)
	x.list = slices.Insert(x.list, i, e)
	for _, g := range e.trigrams() {
		list := x.grams[g]
		j, _ := slices.BinarySearchFunc(list, id, byID)
		x.grams[g] = slices.Insert(list, j, e)
	}
}

func byID(e *accountEntry, id int64) int { return cmpID(e.id(), id) }

func cmpID(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// List answers f as store.ListAccounts does: the accounts whose lower-cased
// name or domain contains the query (LIKE's wildcards in it dropped), by id,
// after f.AfterID, at most f.Limit (50 when unset, at most 1000), and how
// many match in all. The accounts are copies the caller may change.
func (x *Accounts) List(f vouch.AccountFilter) ([]*vouch.Account, int) {
	needle, filtered := "", false
	if q := strings.ToLower(strings.TrimSpace(f.Query)); q != "" {
		needle, filtered = strings.NewReplacer("%", "", "_", "").Replace(q), true
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 50
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	var out []*vouch.Account
	total := 0
	// take counts a match and keeps it when it belongs on the page; matches come in id order.
	take := func(e *accountEntry) {
		total++
		if e.id() > f.AfterID && len(out) < limit {
			a := *e.acct
			a.ProductIDs = slices.Clone(a.ProductIDs)
			if a.ProductIDs == nil {
				a.ProductIDs = []int64{}
			}
			out = append(out, &a)
		}
	}
	switch {
	case !filtered || needle == "": // "%" alone matches every account, as LIKE '%%' does
		start, _ := slices.BinarySearchFunc(x.list, f.AfterID+1, byID)
		for _, e := range x.list[start:min(start+limit, len(x.list))] {
			take(e)
		}
		return out, len(x.list)
	case strings.IndexByte(needle, 0) >= 0:
		return nil, 0 // no name or domain holds a NUL
	}
	x.eachMatch(needle, take)
	return out, total
}

// eachMatch calls fn, in id order, with every account whose lower-cased
// name or domain contains needle (not empty, no NUL); the caller holds the
// read lock.
func (x *Accounts) eachMatch(needle string, fn func(e *accountEntry)) {
	var rarest []*accountEntry
	if len(needle) >= 3 {
		for i, g := range appendTrigrams(nil, needle) {
			if list := x.grams[g]; i == 0 || len(list) < len(rarest) {
				rarest = list
			}
		}
	}
	if len(needle) >= 3 && len(rarest) < len(x.list)/8 {
		for _, e := range rarest {
			if e.matches(needle) {
				fn(e)
			}
		}
		return
	}
	// Short or common: sweep all keys for the needle's rarest byte (one
	// vectorised scan of memory) and compare the needle at each. A needle
	// holds no NUL, so it cannot match across a name and its domain, nor
	// across two accounts.
	anchor := 0
	for i := 1; i < len(needle); i++ {
		if x.freq[needle[i]] < x.freq[needle[anchor]] {
			anchor = i
		}
	}
	c := needle[anchor]
	for i, pos := 0, anchor; pos < len(x.keys); {
		k := strings.IndexByte(x.keys[pos:], c)
		if k < 0 {
			break
		}
		at := pos + k - anchor // where the needle would start
		if !strings.HasPrefix(x.keys[at:], needle) {
			pos += k + 1
			continue
		}
		for int(x.starts[i+1]) <= at {
			i++
		}
		fn(x.list[i])
		i++
		pos = int(x.starts[i]) + anchor // each account counts once
	}
}

// Account returns the account with id, nil when there is none. Accounts are
// never changed in place, so the caller may keep it.
func (x *Accounts) Account(id int64) *vouch.Account {
	x.mu.RLock()
	defer x.mu.RUnlock()
	i, found := slices.BinarySearchFunc(x.list, id, func(e *accountEntry, id int64) int { return cmp.Compare(e.acct.ID, id) })
	if !found {
		return nil
	}
	return x.list[i].acct
}

// Each calls fn with every account, by id ascending, under the read lock:
// fn must not call back into x. Accounts are never changed in place, so
// fn may keep them.
func (x *Accounts) Each(fn func(a *vouch.Account)) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	for _, e := range x.list {
		fn(e.acct)
	}
}
