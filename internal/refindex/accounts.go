package refindex

import (
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
// as store.ListAccounts gives, in microseconds instead of a table scan.
type Accounts struct {
	db *store.DB

	mu   sync.RWMutex
	list []accountEntry // by id, ascending
	// keys holds every account's lower-cased name and domain, each followed
	// by a NUL, in list order; starts[i] is where account i's begin (one more
	// for the end). One strings.Index over it finds the next matching
	// account several times faster than testing each account's strings.
	keys   string
	starts []int32
}

// accountEntry is one account and the keys it is searched by. The account
// is never changed in place: a change puts a new one.
type accountEntry struct {
	acct    *vouch.Account
	nameKey string // the name lower-cased, as the accounts table's name_key
}

// NewAccounts returns an empty account list over db; subscribe it to a
// change feed, which loads it.
func NewAccounts(db *store.DB) *Accounts { return &Accounts{db: db} }

// Load reads every account from the database.
func (x *Accounts) Load(ctx context.Context) error {
	var list []accountEntry
	after := int64(0)
	for {
		page, _, err := x.db.ListAccounts(ctx, store.AccountFilter{AfterID: after, Limit: 1000})
		if err != nil {
			return err
		}
		for _, a := range page {
			list = append(list, newAccountEntry(a))
		}
		if len(page) < 1000 {
			break
		}
		after = page[len(page)-1].ID
	}
	x.mu.Lock()
	x.list = list
	x.index()
	x.mu.Unlock()
	return nil
}

// Replace swaps in the given accounts (benchmarks fill the list with it).
func (x *Accounts) Replace(accts []*vouch.Account) {
	list := make([]accountEntry, 0, len(accts))
	for _, a := range accts {
		list = append(list, newAccountEntry(a))
	}
	slices.SortFunc(list, func(a, b accountEntry) int { return cmpID(a.acct.ID, b.acct.ID) })
	x.mu.Lock()
	x.list = list
	x.index()
	x.mu.Unlock()
}

// index rebuilds keys and starts from list; the caller holds the write lock.
func (x *Accounts) index() {
	var b strings.Builder
	starts := make([]int32, 0, len(x.list)+1)
	for _, e := range x.list {
		starts = append(starts, int32(b.Len()))
		b.WriteString(e.nameKey)
		b.WriteByte(0)
		b.WriteString(e.acct.Domain)
		b.WriteByte(0)
	}
	x.keys, x.starts = b.String(), append(starts, int32(b.Len()))
}

func newAccountEntry(a *vouch.Account) accountEntry {
	return accountEntry{acct: a, nameKey: strings.ToLower(a.Name)}
}

// Apply re-reads the changed accounts, dropping those that are gone.
func (x *Accounts) Apply(ctx context.Context, changes []vouch.Touched) error {
	defer func() {
		x.mu.Lock()
		x.index()
		x.mu.Unlock()
	}()
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
		x.put(c.ID, a)
	}
	return nil
}

// put sets (a != nil) or removes (a == nil) the account with id.
func (x *Accounts) put(id int64, a *vouch.Account) {
	x.mu.Lock()
	defer x.mu.Unlock()
	i, found := slices.BinarySearchFunc(x.list, id, func(e accountEntry, id int64) int { return cmpID(e.acct.ID, id) })
	switch {
	case a == nil && found:
		x.list = slices.Delete(x.list, i, i+1)
	case a != nil && found:
		x.list[i] = newAccountEntry(a)
	case a != nil:
		x.list = slices.Insert(x.list, i, newAccountEntry(a))
	}
}

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
func (x *Accounts) List(f store.AccountFilter) ([]*vouch.Account, int) {
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
	start, _ := slices.BinarySearchFunc(x.list, f.AfterID+1, func(e accountEntry, id int64) int { return cmpID(e.acct.ID, id) })
	var out []*vouch.Account
	page := func(i int) {
		if i >= start && len(out) < limit {
			a := *x.list[i].acct
			a.ProductIDs = slices.Clone(a.ProductIDs)
			if a.ProductIDs == nil {
				a.ProductIDs = []int64{}
			}
			out = append(out, &a)
		}
	}
	switch {
	case !filtered || needle == "":
		for i := start; i < len(x.list) && len(out) < limit; i++ {
			page(i)
		}
		return out, len(x.list)
	case strings.IndexByte(needle, 0) >= 0:
		return nil, 0 // no name or domain holds a NUL
	}
	total := 0
	for i, pos := 0, 0; ; {
		j := strings.Index(x.keys[pos:], needle)
		if j < 0 {
			break
		}
		for int(x.starts[i+1]) <= pos+j {
			i++
		}
		total++
		page(i)
		i++
		pos = int(x.starts[i]) // the next account: each counts once
	}
	return out, total
}

// AccountCount returns how many accounts the list holds.
func (x *Accounts) AccountCount() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.list)
}
