package refindex

import (
	"slices"
	"strings"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// A full load reads every reference as many small strings and slices,
// allocated between the database driver's garbage. Kept as they are, they
// pin half-empty pages of the heap for as long as the index lives (about
// 40 MB at 100,000 references, on top of what they hold). pack gives them
// a compact form before the index takes them: texts that repeat are
// shared, and the rest of a group of references is copied into one string
// and a few slices per group, so the driver's pages are freed whole.

// packGroup is how many references share one block of texts and of values.
const packGroup = 1024

// pack rewrites fresh records, as a full load reads them, in their compact
// form. No one else holds them yet, so no reader sees the change; the
// values are the same, only where they are kept changes.
func (ix *Index) pack(recs []store.ReferenceRecord) {
	for from := 0; from < len(recs); from += packGroup {
		group := recs[from:min(from+packGroup, len(recs))]
		for _, rec := range group {
			r := rec.Reference
			r.Title, r.Seniority, r.TimeZone = ix.share(r.Title), ix.share(r.Seniority), ix.share(r.TimeZone)
			r.Deployment, r.StatusReason = ix.share(r.Deployment), ix.share(r.StatusReason)
			r.Status = vouch.Status(ix.share(string(r.Status)))
			for i, l := range r.Languages {
				r.Languages[i] = ix.share(l)
			}
		}
		packTexts(group)
		packValues(group)
	}
}

// share returns the shared copy of s during a full load, s itself otherwise.
func (ix *Index) share(s string) string {
	if ix.shared == nil {
		return s
	}
	if c, ok := ix.shared[s]; ok {
		return c
	}
	ix.shared[s] = s
	return s
}

// texts are the fields of a reference that rarely repeat.
func texts(r *vouch.Reference) [5]*string {
	return [5]*string{&r.Name, &r.Email, &r.Phone, &r.Story, &r.CRMID}
}

// packTexts moves the group's unique texts into one string: each field
// becomes a part of it.
func packTexts(group []store.ReferenceRecord) {
	n := 0
	for _, rec := range group {
		for _, f := range texts(rec.Reference) {
			n += len(*f)
		}
	}
	var b strings.Builder
	b.Grow(n)
	for _, rec := range group {
		for _, f := range texts(rec.Reference) {
			b.WriteString(*f)
		}
	}
	all, at := b.String(), 0
	for _, rec := range group {
		for _, f := range texts(rec.Reference) {
			if *f != "" {
				*f = all[at : at+len(*f)]
				at += len(*f)
			}
		}
	}
}

// packValues moves the group's picklist values, agreed activities and
// languages into one slice of each type. Each reference's part is capped at
// its length, so an append to it copies instead of writing over the next.
func packValues(group []store.ReferenceRecord) {
	nIDs, nActs, nLangs := 0, 0, 0
	for _, rec := range group {
		r := rec.Reference
		nIDs += len(r.ProductIDs) + len(r.UseCaseIDs) + len(r.CompetitorIDs)
		nActs += len(r.Activities)
		nLangs += len(r.Languages)
	}
	ids := make([]int64, 0, nIDs)
	acts := make([]vouch.AgreedActivity, 0, nActs)
	langs := make([]string, 0, nLangs)
	for _, rec := range group {
		r := rec.Reference
		for _, s := range []*[]int64{&r.ProductIDs, &r.UseCaseIDs, &r.CompetitorIDs} {
			*s = moveInto(&ids, *s)
		}
		r.Activities = moveInto(&acts, r.Activities)
		r.Languages = moveInto(&langs, r.Languages)
	}
}

// moveInto appends s to the block and returns its part of the block (nil
// stays nil, so an empty list still reads as empty and not as missing).
func moveInto[E any](block *[]E, s []E) []E {
	if s == nil {
		return nil
	}
	at := len(*block)
	*block = append(*block, s...)
	return (*block)[at:len(*block):len(*block)]
}

// newEntry returns room for an entry: during a full load, the next of a
// block of packGroup entries; otherwise an allocation of its own.
func (ix *Index) newEntry() *entry {
	if ix.shared == nil {
		return new(entry)
	}
	if len(ix.entryBlock) == cap(ix.entryBlock) {
		ix.entryBlock = make([]entry, 0, packGroup)
	}
	ix.entryBlock = ix.entryBlock[:len(ix.entryBlock)+1]
	return &ix.entryBlock[len(ix.entryBlock)-1]
}

// copyDays returns a copy of days that the index may sort: during a full
// load, a part of a shared block; otherwise a slice of its own.
func (ix *Index) copyDays(days []vouch.Date) []vouch.Date {
	if ix.shared == nil || days == nil {
		return slices.Clone(days)
	}
	if cap(ix.dayBlock)-len(ix.dayBlock) < len(days) {
		ix.dayBlock = make([]vouch.Date, 0, max(4*packGroup, len(days)))
	}
	return moveInto(&ix.dayBlock, days)
}
