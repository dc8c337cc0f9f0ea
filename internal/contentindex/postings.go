package contentindex

import "encoding/binary"

// postingList is the slots a word occurs in, in slot order, each with the
// field it is best in. Each posting is a varint of the gap from the previous
// slot, shifted left by fieldBits, with the field code below: most gaps fit
// in a byte or two, so 20,000 items with their files' words stay well inside
// the index's memory budget.
type postingList struct {
	data []byte
	last int32 // the last slot added; -1: none
}

func newPostingList(size int) *postingList {
	return &postingList{data: make([]byte, 0, size), last: -1}
}

// add appends slot, which must come after every slot in the list.
func (l *postingList) add(slot int32, field uint8) {
	gap := uint64(slot - max(l.last, 0)) // the first posting's gap is its slot
	l.data = binary.AppendUvarint(l.data, gap<<fieldBits|uint64(field))
	l.last = slot
}

// postingSize is the bytes add takes for slot after last (-1: none).
func postingSize(last, slot int32) int {
	gap := uint64(slot - max(last, 0))
	var buf [binary.MaxVarintLen64]byte
	return binary.PutUvarint(buf[:], gap<<fieldBits)
}

// each calls fn with every slot and field code, in slot order.
func (l *postingList) each(fn func(slot int32, field uint8)) {
	slot := int32(0)
	for d := l.data; len(d) > 0; {
		v, n := binary.Uvarint(d)
		d = d[n:]
		slot += int32(v >> fieldBits)
		fn(slot, uint8(v&(1<<fieldBits-1)))
	}
}
