package refsheet

import (
	"fmt"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// createChunk is how many references are created per store call; progress
// is reported between chunks.
const createChunk = 2000

// write saves what the planner decided, inside the import's batch: new
// picklist values, then accounts, then references, so each can refer to the
// ones before. Ids the planner made up (negative) are replaced by real ones.
func (p *planner) write(b *store.Batch, progress func(done, total int)) error {
	ids := map[int64]int64{} // made-up id → stored id
	real := func(id int64) int64 {
		if id < 0 {
			return ids[id]
		}
		return id
	}
	for _, v := range p.values.added {
		if !p.valueUsed(v.ID) {
			continue // only rows that were skipped used it
		}
		tmp := v.ID
		v.ID = 0
		if err := b.CreateTaxonomyValue(v); err != nil {
			return fmt.Errorf("adding %s '%s': %w", kindName(v.Kind), v.Name, err)
		}
		ids[tmp] = v.ID
	}
	accountIDs := map[int64]int64{}
	realAccount := func(id int64) int64 {
		if id < 0 {
			return accountIDs[id]
		}
		return id
	}
	fixAccount := func(a *vouch.Account) {
		a.IndustryID, a.SegmentID, a.RegionID = real(a.IndustryID), real(a.SegmentID), real(a.RegionID)
		a.CountryID, a.SizeID = real(a.CountryID), real(a.SizeID)
	}
	newAccounts := make([]*vouch.Account, len(p.newAccounts))
	madeUp := make([]int64, len(p.newAccounts))
	for i, st := range p.newAccounts {
		madeUp[i], st.acct.ID = st.acct.ID, 0
		fixAccount(st.acct)
		newAccounts[i] = st.acct
	}
	if err := b.CreateAccounts(newAccounts); err != nil {
		return err
	}
	for i, a := range newAccounts {
		accountIDs[madeUp[i]] = a.ID
	}
	for _, st := range p.changedAccts {
		fixAccount(st.acct)
		if err := b.UpdateAccount(st.acct); err != nil {
			return fmt.Errorf("account %s: %w", st.acct.Name, err)
		}
	}
	fixRef := func(r *vouch.Reference) {
		r.AccountID = realAccount(r.AccountID)
		for _, list := range [][]int64{r.ProductIDs, r.UseCaseIDs, r.CompetitorIDs} {
			for i, id := range list {
				list[i] = real(id)
			}
		}
		for i, a := range r.Activities {
			r.Activities[i].TypeID = real(a.TypeID)
		}
		sortActivities(r.Activities)
	}
	total, done := len(p.creates)+len(p.updates), 0
	report := func() {
		if progress != nil {
			progress(done, total)
		}
	}
	for start := 0; start < len(p.creates); start += createChunk {
		chunk := p.creates[start:min(start+createChunk, len(p.creates))]
		for _, r := range chunk {
			fixRef(r)
		}
		if err := b.CreateReferences(chunk); err != nil {
			return err
		}
		done += len(chunk)
		report()
	}
	for start := 0; start < len(p.updates); start += createChunk {
		chunk := p.updates[start:min(start+createChunk, len(p.updates))]
		var refs []*vouch.Reference
		for _, u := range chunk {
			fixRef(u.ref)
			if u.fields {
				refs = append(refs, u.ref)
			}
		}
		if err := b.UpdateReferences(refs); err != nil {
			return err
		}
		for _, u := range chunk {
			if u.status == nil {
				continue
			}
			if _, err := b.ChangeStatus(u.ref.ID, *u.status); err != nil {
				return fmt.Errorf("row %d: %w", u.row, err)
			}
		}
		done += len(chunk)
		report()
	}
	return nil
}
