package crmsheet

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/refsheet"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// PlanAccounts works out what importing a CRM export of accounts would
// do, without writing.
func PlanAccounts(ctx context.Context, db *store.DB, sheet *refsheet.Sheet, mapping refsheet.Mapping, opts refsheet.Options) (*refsheet.Report, error) {
	cols, order, err := accountSheet(sheet, mapping, opts)
	if err != nil {
		return nil, err
	}
	snap, err := db.AccountSnapshot(ctx)
	if err != nil {
		return nil, err
	}
	p := newAccountPlan(sheet, cols, opts, order, snap)
	p.run()
	return p.r.done(), nil
}

// ApplyAccounts imports a CRM export of accounts in one transaction:
// every valid row is written, or nothing is (refsheet.ApplyPlan).
func ApplyAccounts(ctx context.Context, db *store.DB, sheet *refsheet.Sheet, mapping refsheet.Mapping, opts refsheet.Options, progress func(done, total int)) (*refsheet.Report, error) {
	cols, order, err := accountSheet(sheet, mapping, opts)
	if err != nil {
		return nil, err
	}
	return refsheet.ApplyPlan(ctx, db, sheet.Name, opts, progress, func(b *store.Batch) (*refsheet.Report, func(*store.Batch, func(done, total int)) error, error) {
		snap, err := b.AccountSnapshot()
		if err != nil {
			return nil, nil, err
		}
		p := newAccountPlan(sheet, cols, opts, order, snap)
		p.run()
		return p.r.done(), p.write, nil
	})
}

func accountSheet(sheet *refsheet.Sheet, mapping refsheet.Mapping, opts refsheet.Options) (*sheetCols, refsheet.DateOrder, error) {
	m, err := checkMapping(sheet, accounts, mapping)
	if err != nil {
		return nil, "", err
	}
	cols := newSheetCols(sheet, accounts, m)
	order, err := refsheet.FileDateOrder(sheet, cols.dateColumns(accountDateColumns...), opts.DateOrder)
	if err != nil {
		return nil, "", err
	}
	return cols, order, nil
}

// accountDateColumns are the columns of days, read in the file's date order.
var accountDateColumns = []string{"renewal_date", "customer_since"}

// accountPlan decides, row by row, what an import of accounts does. It
// reads nothing but the snapshot, so Plan and Apply decide alike.
type accountPlan struct {
	sheet  *refsheet.Sheet
	cols   *sheetCols
	opts   refsheet.Options
	order  refsheet.DateOrder
	xlsx   bool
	r      *reporter
	index  *vouch.AccountIndex
	values *refsheet.Picklists
	users  map[string]int64   // email → user id
	names  map[string][]int64 // a user's name → the users with it

	seen    map[*vouch.Account]seenAccount // an account (stored, or new in this file) → the row that first gave it
	creates []*vouch.Account
	updates []*vouch.Account
}

type seenAccount struct {
	row int
	a   *vouch.Account // as that row leaves it
}

func newAccountPlan(sheet *refsheet.Sheet, cols *sheetCols, opts refsheet.Options, order refsheet.DateOrder, snap *store.Snapshot) *accountPlan {
	p := &accountPlan{sheet: sheet, cols: cols, opts: opts, order: order, xlsx: sheet.Format == "xlsx",
		r: newReporter(sheet, cols.mappingOf()), index: vouch.NewAccountIndex(snap.Accounts), values: refsheet.NewPicklists(snap.Values),
		users: map[string]int64{}, names: map[string][]int64{}, seen: map[*vouch.Account]seenAccount{}}
	for id, email := range snap.Users {
		p.users[vouch.NormalizeEmail(email)] = id
	}
	for id, name := range snap.UserNames {
		k := strings.ToLower(strings.Join(strings.Fields(name), " "))
		p.names[k] = append(p.names[k], id)
	}
	return p
}

func (p *accountPlan) run() {
	for _, row := range p.sheet.Rows {
		p.planRow(row)
	}
	for _, v := range p.values.Added() {
		p.r.report.ValuesCreated = append(p.r.report.ValuesCreated, fmt.Sprintf("%s '%s'", refsheet.KindName(v.Kind), v.Name))
	}
}

func (p *accountPlan) planRow(row refsheet.Row) {
	cells, errs := p.cols.cells(row)
	fail := func(key, reason string) *refsheet.RowError {
		errs = append(errs, p.cols.problem(row.Number, key, cells[key], reason))
		return &errs[len(errs)-1].RowError
	}
	stored, _, field, problem := p.index.Match(cells["crm_id"], cells["domain"], cells["name"])
	if problem != "" {
		fail(field, problem)
		p.r.reject(errs)
		return
	}
	var a *vouch.Account
	switch first, again := p.seen[stored]; {
	case stored == nil:
		a = &vouch.Account{ProductIDs: []int64{}}
	case again:
		a = cloneAccount(first.a)
	default:
		a = cloneAccount(stored)
	}
	if crm := cells["crm_id"]; crm != "" && stored != nil && stored.CRMID != "" && stored.CRMID != crm {
		fail("crm_id", fmt.Sprintf("differs from the CRM id %s of the account '%s', which this row's website or name matches; correct the id, or the website and name", stored.CRMID, stored.Name))
	}
	p.apply(cells, a, fail)
	if stored == nil && a.Name == "" {
		fail("name", "is empty; a new account needs its name")
	}
	if len(errs) == 0 {
		if err := a.Validate(); err != nil {
			for f, reason := range vouch.ErrorFields(err) {
				fail(f, reason)
			}
		}
	}
	if len(errs) > 0 {
		p.r.reject(errs)
		return
	}
	if first, again := p.seen[stored]; stored != nil && again {
		if sameAccount(first.a, a) {
			p.r.repeat(first.row, row.Number)
			return
		}
		errs = append(errs, p.cols.problem(row.Number, "name", cells["name"],
			fmt.Sprintf("is the same account as row %d, with other values; keep one of them", first.row)))
		errs[len(errs)-1].Cause = "is the same account as an earlier row, with other values; keep one of them"
		p.r.reject(errs)
		return
	}
	switch {
	case stored == nil:
		// Later rows of the file match the new account as they would a stored one.
		p.index.Add(a)
		p.seen[a] = seenAccount{row.Number, a}
		p.creates = append(p.creates, a)
		p.r.report.Created++
	case sameAccount(stored, a):
		p.seen[stored] = seenAccount{row.Number, a}
		p.r.report.Unchanged++
	default:
		p.seen[stored] = seenAccount{row.Number, a}
		p.updates = append(p.updates, a)
		p.r.report.Updated++
	}
}

// apply sets the fields a row's filled cells give; an empty cell never
// erases what Vouch has.
func (p *accountPlan) apply(cells map[string]string, a *vouch.Account, fail func(key, reason string) *refsheet.RowError) {
	set := func(key string, to *string) {
		if v := cells[key]; v != "" {
			*to = v
		}
	}
	set("crm_id", &a.CRMID)
	set("name", &a.Name)
	set("domain", &a.Domain)
	set("csm", &a.CSM)
	if s := cells["owner"]; s != "" {
		if id, reason := p.owner(s); reason != "" {
			fail("owner", reason)
		} else {
			a.OwnerID = id
		}
	}
	if s := cells["health"]; s != "" {
		if h, ok := healthWords[strings.ToLower(strings.Join(strings.Fields(s), " "))]; ok {
			a.Health = h
		} else {
			fail("health", "is not a health; use good, fair or poor (green, yellow, red)")
		}
	}
	if s := cells["nps"]; s != "" {
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || f != math.Trunc(f) || f < -100 || f > 100 {
			fail("nps", "is not a Net Promoter Score: a whole number from -100 to 100")
		} else {
			n := int(f)
			a.NPS = &n
		}
	}
	if s, cur := cells["arr"], cells["arr_currency"]; s != "" || cur != "" {
		switch cents, currency, field, problem := vouch.ReadARR(s, cur); {
		case problem != "":
			fail(field, problem)
		case s == "":
			// A currency alone changes the currency of the ARR the account has.
			if vouch.ValidCurrency(strings.ToUpper(cur)) {
				a.ARRCurrency = strings.ToUpper(cur)
			} else {
				fail("arr_currency", "is not a currency code (ISO 4217) like USD, EUR or GBP")
			}
		default:
			if currency == "" {
				currency = a.ARRCurrency // a new figure in the currency it had
			}
			a.ARRCents, a.ARRCurrency = cents, currency
		}
	}
	for _, d := range []struct {
		key string
		to  *vouch.Date
	}{{"renewal_date", &a.RenewalDate}, {"customer_since", &a.CustomerSince}} {
		if s := cells[d.key]; s != "" {
			if day, reason := refsheet.ParseDateIn(s, p.xlsx, p.order); reason != "" {
				fail(d.key, reason)
			} else {
				*d.to = day
			}
		}
	}
	for _, pl := range vouch.AccountPicklists {
		s := cells[pl.Field]
		if s == "" {
			continue
		}
		id, reason := p.values.Find(pl.Kind, s, p.opts.AddMissing)
		switch {
		case reason != "":
			e := fail(pl.Field, reason)
			if strings.HasPrefix(reason, "not a known ") || strings.HasPrefix(reason, "did you mean") {
				e.Picklist, e.Missing = refsheet.KindName(pl.Kind), s
			}
		case p.values.Retired(id) != nil && id != *a.PicklistID(pl.Field):
			fail(pl.Field, vouch.RetiredValue(p.values.Retired(id)))
		default:
			*a.PicklistID(pl.Field) = id
		}
	}
}

// healthWords are the ways CRMs write an account's health.
var healthWords = map[string]string{
	"good": "good", "green": "good", "healthy": "good",
	"fair": "fair", "yellow": "fair", "amber": "fair", "at risk": "fair", "neutral": "fair",
	"poor": "poor", "red": "poor", "unhealthy": "poor", "critical": "poor",
}

// owner finds the Vouch user a cell names by email, or by name as report
// exports write owners.
func (p *accountPlan) owner(s string) (int64, string) {
	if strings.Contains(s, "@") {
		email, reason := refsheet.ParseEmail(s)
		if reason != "" {
			return 0, reason
		}
		if id := p.users[email]; id != 0 {
			return id, ""
		}
		return 0, "no Vouch user has this email; invite the owner first, or leave the owner out"
	}
	switch same := p.names[strings.ToLower(strings.Join(strings.Fields(s), " "))]; len(same) {
	case 1:
		return same[0], ""
	case 0:
		return 0, "no Vouch user has this name or email; invite the owner first, or leave the owner out"
	default:
		return 0, fmt.Sprintf("%d Vouch users have this name; give the owner's email instead", len(same))
	}
}

// write saves the planned accounts inside the import's batch: the picklist
// values added, the new accounts in few statements, the changed ones.
func (p *accountPlan) write(b *store.Batch, progress func(done, total int)) error {
	ids := map[int64]int64{}
	for _, v := range p.values.Added() {
		made := &vouch.TaxonomyValue{Kind: v.Kind, Name: v.Name}
		if err := b.CreateTaxonomyValue(made); err != nil {
			return err
		}
		ids[v.ID] = made.ID
	}
	for _, a := range append(append([]*vouch.Account{}, p.creates...), p.updates...) {
		for _, pl := range vouch.AccountPicklists {
			if to := a.PicklistID(pl.Field); *to < 0 {
				*to = ids[*to]
			}
		}
	}
	total := len(p.creates) + len(p.updates)
	if err := b.CreateAccounts(p.creates); err != nil {
		return err
	}
	if progress != nil {
		progress(len(p.creates), total)
	}
	for i, a := range p.updates {
		if err := b.UpdateAccount(a); err != nil {
			return fmt.Errorf("account %q: %w", a.Name, err)
		}
		if progress != nil && (i+1)%500 == 0 {
			progress(len(p.creates)+i+1, total)
		}
	}
	if progress != nil {
		progress(total, total)
	}
	return nil
}

func cloneAccount(a *vouch.Account) *vouch.Account {
	c := *a
	c.ProductIDs = append([]int64{}, a.ProductIDs...)
	if a.NPS != nil {
		n := *a.NPS
		c.NPS = &n
	}
	return &c
}

// sameAccount reports whether an import would leave a as b: the fields it sets are equal.
func sameAccount(a, b *vouch.Account) bool {
	npsA, npsB := -1000, -1000
	if a.NPS != nil {
		npsA = *a.NPS
	}
	if b.NPS != nil {
		npsB = *b.NPS
	}
	return a.Name == b.Name && a.Domain == b.Domain && a.CRMID == b.CRMID && a.OwnerID == b.OwnerID && a.CSM == b.CSM &&
		a.Health == b.Health && npsA == npsB && a.CustomerSince.String() == b.CustomerSince.String() &&
		a.ARRCents == b.ARRCents && a.ARRCurrency == b.ARRCurrency && a.RenewalDate.String() == b.RenewalDate.String() &&
		a.IndustryID == b.IndustryID && a.SegmentID == b.SegmentID && a.RegionID == b.RegionID &&
		a.CountryID == b.CountryID && a.SizeID == b.SizeID
}
