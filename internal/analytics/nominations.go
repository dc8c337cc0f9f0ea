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

// Campaign nominations and recruits are the nominations a recruiting
// campaign made, submitted and accepted; campaign contacts reached are
// counted by the day they were reached, credited to who reached them;
// drive items by the day they were done, credited to who invited the
// advocate.

// nomination is one nomination's days (noDay when it has not happened).
type nomination struct {
	campaign  bool
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
	x := nomination{campaign: n.CampaignID != 0, nominator: id32(n.NominatorID), submitted: d.day(n.CreatedAt), qualified: d.dayPtr(n.QualifiedAt),
		accepted: noDay, live: true}
	if n.State == vouch.NominationAccepted {
		x.accepted = d.dayPtr(n.DecidedAt)
	}
	d.noms[n.ID] = x
	d.nomNames[n.ID] = n.Name
}

// dayBy is a day something happened (noDay: not yet, or gone) and who
// is credited with it.
type dayBy struct {
	day int32
	by  int32
}

func dayOfDate(d vouch.Date) int32 {
	if d.IsZero() {
		return noDay
	}
	return dayNum(d)
}

func (d *data) putReached(c *store.AnalyticsCampaignContact) {
	if c.ID <= 0 || c.ID > maxID {
		return
	}
	d.reached = slot(d.reached, c.ID)
	d.reachNames = slot(d.reachNames, c.ID)
	d.reached[c.ID] = dayBy{day: dayOfDate(c.ContactedOn), by: id32(c.ContactedBy)}
	d.reachNames[c.ID] = c.Name
}

func (d *data) putDriveItem(a *store.AnalyticsDriveAdvocate) {
	if a.ID <= 0 || a.ID > maxID {
		return
	}
	d.drives = slot(d.drives, a.ID)
	d.driveNames = slot(d.driveNames, a.ID)
	d.drives[a.ID] = dayBy{day: dayOfDate(a.DoneOn), by: id32(a.InvitedBy)}
	d.driveNames[a.ID] = a.Name
}

// countDays counts, per span, the days of xs in it credited to a selected owner.
func (c *calc) countDays(spans []span, xs []dayBy) []int {
	out := make([]int, len(spans))
	for i := range xs {
		x := xs[i]
		if x.day == noDay || !c.own.has(x.by) {
			continue
		}
		for k := range spans {
			if spans[k].in(x.day) {
				out[k]++
			}
		}
	}
	return out
}

// nominations is the pass over nominations, campaign contacts and drive advocates.
func (c *calc) nominations(spans []span, rs []*result) {
	d := c.d
	n := len(spans)
	submitted, qualified, accepted := make([]int, n), make([]int, n), make([]int, n)
	campNoms, campRecruits := make([]int, n), make([]int, n)
	for i := range d.noms {
		x := &d.noms[i]
		if !x.live || !c.own.has(x.nominator) {
			continue
		}
		for k := range spans {
			if spans[k].in(x.submitted) {
				submitted[k]++
				if x.campaign {
					campNoms[k]++
				}
			}
			if spans[k].in(x.qualified) {
				qualified[k]++
			}
			if spans[k].in(x.accepted) {
				accepted[k]++
				if x.campaign {
					campRecruits[k]++
				}
			}
		}
	}
	for k := range spans {
		r := rs[k]
		r.vals[vouch.MetricNominationsSubmitted] = count(vouch.MetricNominationsSubmitted, submitted[k])
		r.vals[vouch.MetricNominationsQualified] = count(vouch.MetricNominationsQualified, qualified[k])
		r.vals[vouch.MetricNominationsAccepted] = count(vouch.MetricNominationsAccepted, accepted[k])
		r.vals[vouch.MetricCampaignNominations] = count(vouch.MetricCampaignNominations, campNoms[k])
		r.vals[vouch.MetricCampaignRecruits] = count(vouch.MetricCampaignRecruits, campRecruits[k])
	}
	reached, done := c.countDays(spans, d.reached), c.countDays(spans, d.drives)
	for k := range spans {
		rs[k].vals[vouch.MetricCampaignContactsReached] = count(vouch.MetricCampaignContactsReached, reached[k])
		rs[k].vals[vouch.MetricDriveItemsDone] = count(vouch.MetricDriveItemsDone, done[k])
	}
}

// nominationRows are the nominations behind a figure.
func (c *calc) nominationRows(id vouch.MetricID) []vouch.MetricRow {
	d := c.d
	var rows []vouch.MetricRow
	days := func(kind vouch.EntityKind, xs []dayBy, names []string) []vouch.MetricRow {
		for i := range xs {
			if x := xs[i]; x.day != noDay && c.own.has(x.by) && c.in(x.day) {
				rows = append(rows, vouch.MetricRow{Kind: kind, ID: int64(i), Label: names[i], Date: dateOf(x.day)})
			}
		}
		byDateDesc(rows)
		return rows
	}
	switch id {
	case vouch.MetricCampaignContactsReached:
		return days(vouch.EntityCampaignContact, d.reached, d.reachNames)
	case vouch.MetricDriveItemsDone:
		return days(vouch.EntityDriveAdvocate, d.drives, d.driveNames)
	}
	campaignOnly := id == vouch.MetricCampaignNominations || id == vouch.MetricCampaignRecruits
	for i := range d.noms {
		x := &d.noms[i]
		if !x.live || !c.own.has(x.nominator) || (campaignOnly && !x.campaign) {
			continue
		}
		day := x.submitted
		switch id {
		case vouch.MetricNominationsQualified:
			day = x.qualified
		case vouch.MetricNominationsAccepted, vouch.MetricCampaignRecruits:
			day = x.accepted
		}
		if c.in(day) {
			rows = append(rows, vouch.MetricRow{Kind: vouch.EntityNomination, ID: int64(i), Label: d.nomNames[i], Date: dateOf(day)})
		}
	}
	byDateDesc(rows)
	return rows
}
