package analytics

import (
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Nominations as the metrics engine counts them: submitted by the day they
// were made, qualified by the day they were first qualified, accepted by
// the day they were accepted, each credited to the nominator (the filter's
// OwnerIDs). Segment filters do not narrow them: a nomination's account may
// not be known yet.

// nomination is one nomination's days (noDay when it has not happened).
type nomination struct {
	nominator int32
	submitted int32
	qualified int32
	accepted  int32
	live      bool
}

func (d *data) putNomination(n *store.AnalyticsNomination) {
	if n.ID <= 0 || n.ID > maxID {
		return
	}
	d.noms = slot(d.noms, n.ID)
	d.nomNames = slot(d.nomNames, n.ID)
	x := nomination{nominator: id32(n.NominatorID), submitted: d.day(n.CreatedAt), qualified: d.dayPtr(n.QualifiedAt),
		accepted: noDay, live: true}
	if n.State == vouch.NominationAccepted {
		x.accepted = d.dayPtr(n.DecidedAt)
	}
	d.noms[n.ID] = x
	d.nomNames[n.ID] = n.Name
}

// nominations is the pass over nominations.
func (c *calc) nominations(spans []span, rs []*result) {
	d := c.d
	n := len(spans)
	submitted, qualified, accepted := make([]int, n), make([]int, n), make([]int, n)
	for i := range d.noms {
		x := &d.noms[i]
		if !x.live || !c.own.has(x.nominator) {
			continue
		}
		for k := range spans {
			if spans[k].in(x.submitted) {
				submitted[k]++
			}
			if spans[k].in(x.qualified) {
				qualified[k]++
			}
			if spans[k].in(x.accepted) {
				accepted[k]++
			}
		}
	}
	for k := range spans {
		r := rs[k]
		r.vals[vouch.MetricNominationsSubmitted] = count(vouch.MetricNominationsSubmitted, submitted[k])
		r.vals[vouch.MetricNominationsQualified] = count(vouch.MetricNominationsQualified, qualified[k])
		r.vals[vouch.MetricNominationsAccepted] = count(vouch.MetricNominationsAccepted, accepted[k])
	}
}

// nominationRows are the nominations behind a figure.
func (c *calc) nominationRows(id vouch.MetricID) []vouch.MetricRow {
	d := c.d
	var rows []vouch.MetricRow
	for i := range d.noms {
		x := &d.noms[i]
		if !x.live || !c.own.has(x.nominator) {
			continue
		}
		day := x.submitted
		switch id {
		case vouch.MetricNominationsQualified:
			day = x.qualified
		case vouch.MetricNominationsAccepted:
			day = x.accepted
		}
		if c.in(day) {
			rows = append(rows, vouch.MetricRow{Kind: vouch.EntityNomination, ID: int64(i), Label: d.nomNames[i], Date: dateOf(day)})
		}
	}
	byDateDesc(rows)
	return rows
}
