package refsheet

import (
	"hash/maphash"
	"maps"
	"slices"
)

// Walk plans every row of sheet once, for the reference import and its
// siblings (content, activities, CRM deals). A row whose every mapped cell,
// and every cell beyond the last header, is the same as an earlier row's
// is that row again: it is imported once (Report.Repeated, Report.Repeats)
// or, when the earlier row had problems, has the same problems under its
// own number. plan is called for every other row, with the row's index in
// sheet.Rows, and returns the row's problems in column order (none: the
// row is planned). Walk adds them to rep and counts the row rejected.
func Walk(sheet *Sheet, mapped []int, rep *Report, plan func(i int, row Row) []RowError) {
	w := walk{sheet: sheet, mapped: mapped, rep: rep, seed: maphash.MakeSeed(),
		seen: make(map[uint64]int, len(sheet.Rows)), rejected: map[int][2]int{}, repeats: map[int][]int{}}
	for i, row := range sheet.Rows {
		if first, ok := w.repeatOf(i, row); ok {
			w.repeat(first, row)
			continue
		}
		if errs := plan(i, row); len(errs) > 0 {
			rep.Rejected++
			from := len(rep.Errors)
			rep.Errors = append(rep.Errors, errs...)
			w.rejected[i] = [2]int{from, len(rep.Errors)}
		}
	}
	for _, i := range slices.Sorted(maps.Keys(w.repeats)) {
		rep.Repeats = append(rep.Repeats, Repeat{Row: sheet.Rows[i].Number, Rows: w.repeats[i]})
	}
}

type walk struct {
	sheet  *Sheet
	mapped []int // the sheet indexes of the mapped columns
	rep    *Report
	// Rows repeating an earlier row are found by a hash of the mapped
	// cells, then compared cell by cell.
	seed     maphash.Seed   // this import's, so no file can aim at collisions
	seen     map[uint64]int // hash → the index in sheet.Rows of the first row with those cells
	rejected map[int][2]int // a rejected row's index → its problems in rep.Errors, [from, to)
	repeats  map[int][]int  // a row's index → the numbers of the rows repeating it
}

// repeatOf finds the earlier row whose every mapped cell (and every cell
// beyond the last header) is the same as row's, the row at index i.
func (w *walk) repeatOf(i int, row Row) (int, bool) {
	var h maphash.Hash
	h.SetSeed(w.seed)
	for _, j := range w.mapped {
		h.WriteString(row.Cells[j])
		h.WriteByte(0)
	}
	for _, x := range row.Extra {
		h.WriteByte(1)
		h.WriteString(x)
	}
	k := h.Sum64()
	first, ok := w.seen[k]
	if !ok {
		w.seen[k] = i
		return 0, false
	}
	prev := w.sheet.Rows[first]
	for _, j := range w.mapped {
		if prev.Cells[j] != row.Cells[j] {
			return 0, false // another row with the same hash: planned as itself
		}
	}
	return first, slices.Equal(prev.Extra, row.Extra)
}

// repeat plans a row that repeats the row at index first exactly: it is
// imported once, as that row, or has that row's problems.
func (w *walk) repeat(first int, row Row) {
	if span, bad := w.rejected[first]; bad {
		for _, e := range w.rep.Errors[span[0]:span[1]] {
			e.Row = row.Number
			w.rep.Errors = append(w.rep.Errors, e)
		}
		w.rep.Rejected++
		return
	}
	w.rep.Repeated++
	w.repeats[first] = append(w.repeats[first], row.Number)
}
