package nominations

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"sync"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Kinds are the entity kinds the duplicate index follows.
var Kinds = []vouch.EntityKind{vouch.EntityAccount, vouch.EntityReference, vouch.EntityNomination}

// Index is the read model duplicate detection searches: every account,
// every reference and every waiting nomination, under the keys two likely
// duplicates share (an email, a CRM id, an email domain, a surname or
// company name up to one typo). A nomination is compared only with the few
// entries under its keys, never with all of them, so detection stays
// within milliseconds at a hundred thousand references. It is loaded from
// the database at start and follows the change feed; it is never the
// source of truth.
type Index struct {
	db *store.DB

	mu        sync.RWMutex
	companies map[int64]*company
	people    map[personID]*person
	// byKey: "e:" email, "c:" CRM id, "a:" company name key and "d:" website
	// domain of an account; "s:", "n:" and "d:" a surname key with an
	// account id, a company name or an email domain (personKeys).
	// Keys are kept as 64-bit hashes, not strings: a collision only brings
	// one more candidate, which the comparison then turns down.
	byKey map[uint64][]postedID
}

// hashKey is the FNV-1a hash of a key.
func hashKey(k string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(k); i++ {
		h ^= uint64(k[i])
		h *= 1099511628211
	}
	return h
}

func hashKeys(keys []string) []uint64 {
	out := make([]uint64, len(keys))
	for i, k := range keys {
		out[i] = hashKey(k)
	}
	return out
}

// entryID names an entry: an account (kind DuplicateAccount) or a person.
type entryID struct {
	kind string
	id   int64
}

// postedID is an entry as a key's list holds it: its kind in one byte.
type postedID struct {
	kind byte // 'a' account, 'r' reference, 'n' nomination
	id   int64
}

func (e entryID) posted() postedID { return postedID{e.kind[0], e.id} }

func (p postedID) entry() entryID {
	switch p.kind {
	case 'a':
		return entryID{vouch.DuplicateAccount, p.id}
	case 'r':
		return entryID{vouch.DuplicateReference, p.id}
	}
	return entryID{vouch.DuplicateNomination, p.id}
}

type personID = entryID

type company struct {
	c    vouch.DuplicateCompany
	keys []uint64
}

type person struct {
	id     entryID
	status string
	p      vouch.DuplicatePerson
	keys   []uint64
}

// NewIndex returns an empty index over db; Load fills it.
func NewIndex(db *store.DB) *Index {
	return &Index{db: db, companies: map[int64]*company{}, people: map[personID]*person{}, byKey: map[uint64][]postedID{}}
}

// Load reads every account, reference and waiting nomination afresh.
func (x *Index) Load(ctx context.Context) error {
	accts, err := x.db.DuplicateAccounts(ctx, nil)
	if err != nil {
		return err
	}
	refs, err := x.db.DuplicateReferences(ctx, nil)
	if err != nil {
		return err
	}
	noms, err := x.db.DuplicateNominations(ctx, nil)
	if err != nil {
		return err
	}
	x.Replace(accts, refs, noms)
	return nil
}

// Replace sets the index's whole content: the accounts, the references and
// the waiting nominations (Load reads them from the database; benchmarks
// generate them).
func (x *Index) Replace(accts []vouch.DuplicateCompany, refs, noms []store.DuplicatePeople) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.companies, x.people, x.byKey = map[int64]*company{}, map[personID]*person{}, make(map[uint64][]postedID, 8*len(refs))
	for _, a := range accts {
		x.putCompany(a)
	}
	for _, r := range refs {
		x.putPerson(entryID{vouch.DuplicateReference, r.ID}, r)
	}
	for _, n := range noms {
		x.putPerson(entryID{vouch.DuplicateNomination, n.ID}, n)
	}
}

// Apply reads the changed accounts, references and nominations again; one
// that is gone (deleted, or a nomination decided) leaves the index.
func (x *Index) Apply(ctx context.Context, changes []vouch.Touched) error {
	ids := map[vouch.EntityKind][]int64{}
	for _, c := range changes {
		k := c.Kind.Base()
		if !slices.Contains(ids[k], c.ID) {
			ids[k] = append(ids[k], c.ID)
		}
	}
	accts, err := x.db.DuplicateAccounts(ctx, nonNil(ids[vouch.EntityAccount]))
	if err != nil {
		return err
	}
	refs, err := x.db.DuplicateReferences(ctx, nonNil(ids[vouch.EntityReference]))
	if err != nil {
		return err
	}
	noms, err := x.db.DuplicateNominations(ctx, nonNil(ids[vouch.EntityNomination]))
	if err != nil {
		return err
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, id := range ids[vouch.EntityAccount] {
		x.dropCompany(id)
	}
	for _, a := range accts {
		x.putCompany(a)
	}
	for _, id := range ids[vouch.EntityReference] {
		x.dropPerson(entryID{vouch.DuplicateReference, id})
	}
	for _, r := range refs {
		x.putPerson(entryID{vouch.DuplicateReference, r.ID}, r)
	}
	for _, id := range ids[vouch.EntityNomination] {
		x.dropPerson(entryID{vouch.DuplicateNomination, id})
	}
	for _, n := range noms {
		x.putPerson(entryID{vouch.DuplicateNomination, n.ID}, n)
	}
	return nil
}

func nonNil(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}

func (x *Index) add(keys []uint64, e entryID) {
	p := e.posted()
	for _, k := range keys {
		x.byKey[k] = append(x.byKey[k], p)
	}
}

func (x *Index) remove(keys []uint64, e entryID) {
	p := e.posted()
	for _, k := range keys {
		list := x.byKey[k]
		if i := slices.Index(list, p); i >= 0 {
			list[i] = list[len(list)-1]
			list = list[:len(list)-1]
		}
		if len(list) == 0 {
			delete(x.byKey, k)
		} else {
			x.byKey[k] = list
		}
	}
}

func (x *Index) putCompany(a vouch.DuplicateCompany) {
	c := &company{c: a, keys: hashKeys(companyKeys(a.Name, a.CRMID, vouch.WebDomain(a.Domain)))}
	x.companies[a.ID] = c
	x.add(c.keys, entryID{vouch.DuplicateAccount, a.ID})
}

func (x *Index) dropCompany(id int64) {
	if c, ok := x.companies[id]; ok {
		x.remove(c.keys, entryID{vouch.DuplicateAccount, id})
		delete(x.companies, id)
	}
}

func (x *Index) putPerson(id entryID, p store.DuplicatePeople) {
	e := &person{id: id, status: p.Status, p: p.DuplicatePerson, keys: hashKeys(personKeys(p.DuplicatePerson))}
	x.people[id] = e
	x.add(e.keys, id)
}

func (x *Index) dropPerson(id entryID) {
	if e, ok := x.people[id]; ok {
		x.remove(e.keys, id)
		delete(x.people, id)
	}
}

// companyKeys are the keys an account is found under: its name up to one
// typo, its CRM id, its website's domain.
func companyKeys(name, crmID, domain string) []string {
	var keys []string
	if k := vouch.CompanyKey(name); k != "" {
		for _, d := range vouch.DeletionKeys(k) {
			keys = append(keys, "a:"+d)
		}
	}
	if crmID != "" {
		keys = append(keys, "c:"+normID(crmID))
	}
	if domain != "" && !vouch.FreeMailDomain(domain) {
		keys = append(keys, "d:"+domain)
	}
	return keys
}

// personKeys are the keys a person is found under: their email, their CRM
// id, and their surname up to one typo — within their account, or beside
// their email's domain. A similar name counts only at the same account or
// domain (vouch.ComparePerson), so a surname is never looked up across the
// whole index: a common one would bring thousands of candidates.
func personKeys(p vouch.DuplicatePerson) []string {
	var keys []string
	if p.Email != "" {
		keys = append(keys, "e:"+normID(p.Email))
	}
	if p.CRMID != "" {
		keys = append(keys, "c:"+normID(p.CRMID))
	}
	t := vouch.NameTokens(p.Name)
	if len(t) < 2 {
		return keys // a first name alone finds nobody
	}
	domain := vouch.EmailDomain(p.Email)
	company := vouch.CompanyKey(p.AccountName)
	for _, d := range vouch.DeletionKeys(t[len(t)-1]) {
		switch {
		case p.AccountID != 0:
			keys = append(keys, "s:"+d+"|"+strconv.FormatInt(p.AccountID, 10))
		case company != "":
			keys = append(keys, "n:"+d+"|"+company)
		}
		if domain != "" && !vouch.FreeMailDomain(domain) {
			keys = append(keys, "d:"+d+"|"+domain)
		}
	}
	return keys
}

// probeKeys are the keys under which the people probe may be are found,
// given the accounts it may be at.
func probeKeys(probe vouch.DuplicateProbe, accounts map[int64]bool) []string {
	var keys []string
	if probe.Email != "" {
		keys = append(keys, "e:"+probe.Email)
	}
	if probe.CRMID != "" {
		keys = append(keys, "c:"+normID(probe.CRMID))
	}
	t := vouch.NameTokens(probe.Name)
	if len(t) < 2 {
		return keys
	}
	domain := vouch.EmailDomain(probe.Email)
	company := vouch.CompanyKey(probe.AccountName)
	for _, d := range vouch.DeletionKeys(t[len(t)-1]) {
		for id := range accounts {
			keys = append(keys, "s:"+d+"|"+strconv.FormatInt(id, 10))
		}
		if company != "" {
			keys = append(keys, "n:"+d+"|"+company)
		}
		if domain != "" && !vouch.FreeMailDomain(domain) {
			keys = append(keys, "d:"+d+"|"+domain)
		}
	}
	return keys
}

// MaxDuplicates is how many likely duplicates are listed at most.
const MaxDuplicates = 10

// Find lists the likely duplicates of probe, the likeliest first, at most
// MaxDuplicates; skip is a nomination not to list (the one probed itself).
func (x *Index) Find(probe vouch.DuplicateProbe, skip int64) []vouch.Duplicate {
	probe.Email = normID(probe.Email)
	domain := vouch.EmailDomain(probe.Email)
	x.mu.RLock()
	defer x.mu.RUnlock()

	var out []vouch.Duplicate
	// The accounts first: which the nomination may be at decides whether a
	// similar name is at the same account.
	atAccount := map[int64]bool{}
	if probe.AccountID != 0 {
		atAccount[probe.AccountID] = true
	}
	seen := map[entryID]bool{}
	for _, key := range companyKeys(probe.AccountName, probe.CRMID, domain) {
		for _, pe := range x.byKey[hashKey(key)] {
			e := pe.entry()
			if e.kind != vouch.DuplicateAccount || seen[e] {
				continue
			}
			seen[e] = true
			c := x.companies[e.id]
			if score, reasons := vouch.CompareCompany(probe, c.c); score > 0 {
				atAccount[c.c.ID] = true
				out = append(out, vouch.Duplicate{Kind: vouch.DuplicateAccount, ID: c.c.ID, Label: c.c.Name, Reasons: reasons, Score: score})
			}
		}
	}
	if probe.AccountID != 0 && !seen[entryID{vouch.DuplicateAccount, probe.AccountID}] {
		if c, ok := x.companies[probe.AccountID]; ok {
			probe.AccountName = c.c.Name
		}
	}
	probeCompany := vouch.CompanyKey(probe.AccountName)
	for _, key := range probeKeys(probe, atAccount) {
		for _, pe := range x.byKey[hashKey(key)] {
			e := pe.entry()
			if e.kind == vouch.DuplicateAccount || seen[e] || (e.kind == vouch.DuplicateNomination && e.id == skip) {
				continue
			}
			seen[e] = true
			p := x.people[e]
			same := p.p.AccountID != 0 && atAccount[p.p.AccountID] ||
				p.p.AccountID == 0 && probeCompany != "" && vouch.CompanyKey(p.p.AccountName) == probeCompany
			score, reasons := vouch.ComparePerson(probe, p.p, same)
			if score == 0 {
				continue
			}
			acct := p.p.AccountName
			if c, ok := x.companies[p.p.AccountID]; ok {
				acct = c.c.Name
			}
			out = append(out, vouch.Duplicate{Kind: e.kind, ID: e.id, Label: p.p.Name + " at " + acct, Reasons: reasons,
				Score: score, Status: p.status})
		}
	}
	slices.SortFunc(out, func(a, b vouch.Duplicate) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		if c := cmp.Compare(kindOrder(a.Kind), kindOrder(b.Kind)); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	if len(out) > MaxDuplicates {
		out = out[:MaxDuplicates]
	}
	return out
}

// kindOrder lists references before open nominations before accounts at
// the same score: a reference is what the team would reuse.
func kindOrder(kind string) int {
	switch kind {
	case vouch.DuplicateReference:
		return 0
	case vouch.DuplicateNomination:
		return 1
	}
	return 2
}
