package contentsheet

import (
	"fmt"

	"github.com/vouchhq/vouch/internal/refsheet"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// progressEvery is how many items are written between progress reports.
const progressEvery = 50

// write saves what the planner decided, inside the import's batch: new
// picklist values and accounts, then new items, then changes to stored
// ones. Ids the planner made up (negative) are replaced by real ones.
func (p *planner) write(b *store.Batch, progress func(done, total int)) error {
	usedValues, usedAccounts := p.usedIDs()
	values := map[int64]int64{} // made-up id → stored id
	for _, v := range p.values.Added() {
		if !usedValues[v.ID] {
			continue // only rows that were left out gave it
		}
		tmp := v.ID
		v.ID = 0
		if err := b.CreateTaxonomyValue(v); err != nil {
			return fmt.Errorf("adding %s '%s': %w", refsheet.KindName(v.Kind), v.Name, err)
		}
		values[tmp] = v.ID
	}
	var accounts []*vouch.Account
	var madeUp []int64
	for _, a := range p.added {
		if usedAccounts[a.ID] {
			madeUp = append(madeUp, a.ID)
			a.ID = 0
			accounts = append(accounts, a)
		}
	}
	if err := b.CreateAccounts(accounts); err != nil {
		return err
	}
	accountIDs := map[int64]int64{}
	for i, a := range accounts {
		accountIDs[madeUp[i]] = a.ID
	}
	fix := func(it *vouch.ContentItem) {
		real := func(ids map[int64]int64, id int64) int64 {
			if id < 0 {
				return ids[id]
			}
			return id
		}
		it.TypeID = real(values, it.TypeID)
		for _, k := range vouch.ContentTagKinds {
			for i, id := range it.TagIDs(k) {
				it.TagIDs(k)[i] = real(values, id)
			}
		}
		for i, id := range it.AccountIDs {
			it.AccountIDs[i] = real(accountIDs, id)
		}
	}
	total, done := len(p.creates)+len(p.updates), 0
	step := func() {
		done++
		if progress != nil && (done%progressEvery == 0 || done == total) {
			progress(done, total)
		}
	}
	for _, it := range p.creates {
		fix(it)
		if err := b.CreateContent(it); err != nil {
			return fmt.Errorf("content item %q: %w", it.Title, err)
		}
		step()
	}
	for _, u := range p.updates {
		fix(u.item)
		if u.fields {
			if err := b.UpdateContent(u.item); err != nil {
				return fmt.Errorf("row %d: %w", u.row, err)
			}
		}
		if u.state != nil {
			if _, err := b.ChangeContentState(u.item.ID, 0, *u.state, p.snap.months); err != nil {
				return fmt.Errorf("row %d: %w", u.row, err)
			}
		}
		step()
	}
	return nil
}
