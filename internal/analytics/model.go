// Package analytics is the metrics engine: an in-memory model of
// opportunities, requests, asks, activities, content uses and feedback,
// kept current from the shared change feed, that answers every metric of
// vouch.Metrics for any filters and run of days. Pages, exports, goals and
// the API all read their figures here.
//
// The model is compact: every row is a small struct of int32 ids and day
// numbers in a slice indexed by the row's id, strings (stages, currencies)
// are interned. Per deal it keeps the first day it was influenced and its
// stage at the first request, so a query is one pass over each kind of row.
// docs/metrics.md states every formula; compute.go follows it.
package analytics

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vouchhq/vouch/internal/catalog"
	"github.com/vouchhq/vouch/internal/changefeed"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// Kinds are the entity kinds the model follows.
var Kinds = []vouch.EntityKind{vouch.EntityOpportunity, vouch.EntityRequest, vouch.EntityAsk, vouch.EntityActivity,
	vouch.EntityFeedback, vouch.EntityReference, vouch.EntityAccount, vouch.EntityContent, vouch.EntityContentUse,
	vouch.EntityContentRating, vouch.EntitySetting,
	vouch.EntityNomination, vouch.EntityContentRequest, vouch.EntityCampaignContact, vouch.EntityDriveAdvocate}

// Model holds the facts the metrics are computed from.
type Model struct {
	db  *store.DB
	cat *catalog.Catalog
	log *slog.Logger

	mu sync.RWMutex
	d  *data
	// settings, when set, replaces the catalog's (benchmarks and tests of
	// a model filled without a database).
	settings *vouch.ProgramSettings
}

// New returns an empty model; the change feed loads it.
func New(db *store.DB, cat *catalog.Catalog, log *slog.Logger) *Model {
	if log == nil {
		log = slog.Default()
	}
	return &Model{db: db, cat: cat, log: log, d: newData(time.UTC)}
}

// noDay is "no day": after every day, so "on or before the period's end"
// is false for it.
const noDay int32 = math.MaxInt32

// dayNum is d as days since 1970-01-01 (noDay for no date).
func dayNum(d vouch.Date) int32 {
	if d.IsZero() {
		return noDay
	}
	return int32(d.Time().Unix() / 86400)
}

// dateOf is the day number n as a date (the zero date for noDay).
func dateOf(n int32) vouch.Date {
	if n == noDay {
		return vouch.Date{}
	}
	return vouch.DateOf(time.Unix(int64(n)*86400, 0))
}

// Opportunity statuses as stored in the model.
const (
	oppGone uint8 = iota // no opportunity with this id
	oppOpen
	oppWon
	oppLost
)

type opp struct {
	amount   int64 // cents
	created  int32 // the CRM's created day, noDay unknown
	close    int32 // close date, noDay unknown
	firstInf int32 // derived: the first day of a done activity or content use on it, noDay none
	owner    int32
	account  int32
	industry int32
	region   int32
	country  int32
	product  int32
	segment  int32
	size     int32
	stage    uint16 // the current stage
	first    uint16 // derived: the stage at the first request, activity or content use (0 none)
	cur      uint8
	status   uint8
}

type req struct {
	opp, typ, requester, assignee int32
	created, closed, due          int32 // closed: noDay while open
	stage                         uint16
	state                         uint8 // index into reqStates; 0 gone
}

type ask struct {
	request, ref int32
	answered     int32
	state        uint8 // index into askStates; 0 gone
}

type act struct {
	ref, opp, typ int32
	day           int32
	sent          int32 // thank-you sent on, noDay not sent
	points        int32
	stage         uint16
	flags         uint8
}

// Activity flags.
const (
	actLive uint8 = 1 << iota
	actDone
	actThanks // a thank-you was chosen (not "none")
)

type use struct {
	content, opp, user int32
	day                int32
	stage              uint16
	live               bool
}

type rating struct {
	content, opp, user int32
	day                int32
	rating             int8 // 0 gone
}

type feedback struct {
	ask    int32
	day    int32
	rating int8 // 0 gone
	seller bool
}

type ref struct {
	owner, industry, region, country, segment, size int32
	verified                                        int32
	capLimit                                        int32 // -1: the program's default
	live                                            bool
}

// statusEvent is one status change of a reference, by day.
type statusEvent struct {
	day, until int32
	to         uint8 // index into refStatuses
}

type content struct {
	owner   int32
	created int32
	live    bool
}

// The states as indexes; 0 is "gone".
var (
	reqStates   = append([]vouch.RequestState{""}, vouch.RequestStates...)
	askStates   = []vouch.AskState{"", vouch.AskAwaitingApproval, vouch.AskPending, vouch.AskAccepted, vouch.AskScheduled, vouch.AskCompleted, vouch.AskDeclined, vouch.AskRejected, vouch.AskWithdrawn, vouch.AskExpired}
	refStatuses = append([]vouch.Status{""}, vouch.Statuses...)
)

func indexOf[T comparable](list []T, v T) uint8 {
	if i := slices.Index(list, v); i > 0 {
		return uint8(i)
	}
	return 0
}

// data is the model's facts. Every slice is indexed by the row's id.
type data struct {
	zone *time.Location // the program's zone the timestamps were turned into days in

	opps     []opp
	oppNames []string
	reqs     []req
	asks     []ask
	acts     []act
	uses     []use
	ratings  []rating
	fbs      []feedback
	refs     []ref
	refNames []string
	refProds [][]int32
	events   [][]statusEvent
	contents []content
	titles   []string

	wins atomic.Pointer[winCache] // wins.go: the last RecentWins, until the next write

	noms       []nomination // nominations.go
	creqs      []contentReq // content_requests.go
	nomNames   []string
	reached    []dayBy // campaign contacts by id: the day reached; nominations.go
	reachNames []string
	drives     []dayBy // drive advocates by id: the day done
	driveNames []string

	stages     []string // interned stage names; 0 is ""
	stageIdx   map[string]uint16
	currencies []string
	curIdx     map[string]uint8
}

func newData(zone *time.Location) *data {
	return &data{zone: zone, stages: []string{""}, stageIdx: map[string]uint16{"": 0}, curIdx: map[string]uint8{}}
}

func (d *data) stage(s string) uint16 {
	if i, ok := d.stageIdx[s]; ok {
		return i
	}
	if len(d.stages) >= math.MaxUint16 {
		return 0
	}
	d.stages = append(d.stages, s)
	d.stageIdx[s] = uint16(len(d.stages) - 1)
	return uint16(len(d.stages) - 1)
}

func (d *data) currency(c string) uint8 {
	c = strings.ToUpper(c)
	if i, ok := d.curIdx[c]; ok {
		return i
	}
	if len(d.currencies) >= math.MaxUint8 {
		return 0
	}
	d.currencies = append(d.currencies, c)
	d.curIdx[c] = uint8(len(d.currencies) - 1)
	return uint8(len(d.currencies) - 1)
}

// maxID is the largest id the model holds in its id-indexed slices.
const maxID = math.MaxInt32 - 1

// slot grows s so that s[id] exists and returns it.
func slot[T any](s []T, id int64) []T {
	if int(id) < len(s) {
		return s
	}
	n := max(int(id)+1, len(s)+len(s)/4)
	if n <= cap(s) {
		return s[:n]
	}
	out := make([]T, n)
	copy(out, s)
	return out
}

func id32(id int64) int32 {
	if id <= 0 || id > maxID {
		return 0
	}
	return int32(id)
}

func (d *data) day(t time.Time) int32 {
	y, m, dd := t.In(d.zone).Date()
	return dayNum(vouch.NewDate(y, m, dd))
}

func (d *data) dayPtr(t *time.Time) int32 {
	if t == nil {
		return noDay
	}
	return d.day(*t)
}

// putOpp holds a deal with the status it is stored with: the deals
// service (internal/deals) is the one home of the rule that a listed won or
// lost stage decides it.
func (d *data) putOpp(o *store.AnalyticsOpportunity) {
	if o.ID <= 0 || o.ID > maxID {
		return
	}
	d.opps = slot(d.opps, o.ID)
	d.oppNames = slot(d.oppNames, o.ID)
	status := oppOpen
	switch vouch.OpportunityStatus(o.Status) {
	case vouch.OpportunityWon:
		status = oppWon
	case vouch.OpportunityLost:
		status = oppLost
	}
	d.opps[o.ID] = opp{amount: o.AmountCents, created: dayNum(o.CreatedOn), close: dayNum(o.CloseDate), firstInf: noDay,
		owner: id32(o.OwnerID), account: id32(o.AccountID), industry: id32(o.IndustryID), region: id32(o.RegionID), country: id32(o.CountryID),
		product: id32(o.ProductID), segment: id32(o.SegmentID), size: id32(o.SizeID), stage: d.stage(o.Stage),
		cur: d.currency(o.Currency), status: status}
	d.oppNames[o.ID] = o.Name
}

func (d *data) putReq(r *store.AnalyticsRequest) {
	if r.ID <= 0 || r.ID > maxID {
		return
	}
	d.reqs = slot(d.reqs, r.ID)
	closed := noDay
	st := vouch.RequestState(r.State)
	if st.Closed() {
		closed = d.dayPtr(r.ClosedAt)
	}
	d.reqs[r.ID] = req{opp: id32(r.OpportunityID), typ: id32(r.TypeID), requester: id32(r.RequesterID),
		assignee: id32(r.AssigneeID), created: d.day(r.CreatedAt), closed: closed, due: dayNum(r.Due),
		stage: d.stage(r.OppStage), state: max(indexOf(reqStates, st), 1)}
}

func (d *data) putAsk(a *store.AnalyticsAsk) {
	if a.ID <= 0 || a.ID > maxID {
		return
	}
	d.asks = slot(d.asks, a.ID)
	d.asks[a.ID] = ask{request: id32(a.RequestID), ref: id32(a.ReferenceID), answered: d.dayPtr(a.AnsweredAt),
		state: max(indexOf(askStates, vouch.AskState(a.State)), 1)}
}

func (d *data) putAct(a *store.AnalyticsActivity) {
	if a.ID <= 0 || a.ID > maxID {
		return
	}
	d.acts = slot(d.acts, a.ID)
	f := actLive
	if a.State == vouch.ActivityDone {
		f |= actDone
	}
	if t := strings.TrimSpace(a.ThankYou); t != "" && t != "none" {
		f |= actThanks
	}
	d.acts[a.ID] = act{ref: id32(a.ReferenceID), opp: id32(a.OpportunityID), typ: id32(a.TypeID), day: dayNum(a.Day),
		sent: dayNum(a.ThankYouSentOn), points: int32(a.Points), stage: d.stage(a.OppStage), flags: f}
}

func (d *data) putUse(u *store.AnalyticsContentUse) {
	if u.ID <= 0 || u.ID > maxID {
		return
	}
	d.uses = slot(d.uses, u.ID)
	d.uses[u.ID] = use{content: id32(u.ContentID), opp: id32(u.OpportunityID), user: id32(u.UserID), day: d.day(u.At),
		stage: d.stage(u.OppStage), live: true}
}

func (d *data) putRating(r *store.AnalyticsRating) {
	if r.ID <= 0 || r.ID > maxID || r.Rating < 1 || r.Rating > 5 {
		return
	}
	d.ratings = slot(d.ratings, r.ID)
	d.ratings[r.ID] = rating{content: id32(r.ContentID), opp: id32(r.OpportunityID), user: id32(r.UserID), day: d.day(r.At),
		rating: int8(r.Rating)}
}

func (d *data) putFeedback(f *store.AnalyticsFeedback) {
	if f.ID <= 0 || f.ID > maxID || f.Rating < 1 || f.Rating > 5 {
		return
	}
	d.fbs = slot(d.fbs, f.ID)
	d.fbs[f.ID] = feedback{ask: id32(f.AskID), day: d.day(f.At), rating: int8(f.Rating), seller: f.Source == "seller"}
}

func (d *data) putRef(r *store.AnalyticsReference) {
	if r.ID <= 0 || r.ID > maxID {
		return
	}
	d.refs = slot(d.refs, r.ID)
	d.refNames = slot(d.refNames, r.ID)
	d.refProds = slot(d.refProds, r.ID)
	d.events = slot(d.events, r.ID)
	limit := int32(-1)
	if r.CapacityOverride != nil {
		limit = int32(*r.CapacityOverride)
	}
	d.refs[r.ID] = ref{owner: id32(r.OwnerID), industry: id32(r.IndustryID), region: id32(r.RegionID),
		country: id32(r.CountryID), segment: id32(r.SegmentID), size: id32(r.SizeID), verified: dayNum(r.LastVerified),
		capLimit: limit, live: true}
	d.refNames[r.ID] = r.Name
	var prods []int32
	for _, p := range r.ProductIDs {
		prods = append(prods, id32(p))
	}
	d.refProds[r.ID] = prods
	evs := make([]statusEvent, 0, len(r.Events))
	for _, e := range r.Events {
		evs = append(evs, statusEvent{day: d.day(e.At), until: dayNum(e.Until), to: indexOf(refStatuses, vouch.Status(e.To))})
	}
	d.events[r.ID] = evs
}

func (d *data) putContent(c *store.AnalyticsContent) {
	if c.ID <= 0 || c.ID > maxID {
		return
	}
	d.contents = slot(d.contents, c.ID)
	d.titles = slot(d.titles, c.ID)
	d.contents[c.ID] = content{owner: id32(c.OwnerID), created: d.day(c.CreatedAt), live: true}
	d.titles[c.ID] = c.Title
}

// derive computes each deal's first influence day and stage at first
// request from the rows tied to it: one pass over each.
func (d *data) derive() {
	d.wins.Store(nil) // the recent wins are counted again on the next ask
	n := len(d.opps)
	bestDay := make([]int32, n)
	for i := range d.opps {
		d.opps[i].firstInf, d.opps[i].first = noDay, 0
		bestDay[i] = noDay
	}
	// The stage at first request: the earliest request, then activity, then
	// content use with a recorded stage; on the same day a request comes
	// before an activity, an activity before a content use, a lower id first.
	// Visiting kinds in that order and ids upwards, a later row wins only
	// on a strictly earlier day.
	first := func(o int32, day int32, stage uint16) {
		if stage == 0 || o <= 0 || int(o) >= n {
			return
		}
		if day < bestDay[o] {
			bestDay[o], d.opps[o].first = day, stage
		}
	}
	for i := range d.reqs {
		if r := &d.reqs[i]; r.state != 0 {
			first(r.opp, r.created, r.stage)
		}
	}
	for i := range d.acts {
		a := &d.acts[i]
		if a.flags&actLive == 0 {
			continue
		}
		first(a.opp, a.day, a.stage)
		if a.flags&actDone != 0 && a.opp > 0 && int(a.opp) < n && a.day < d.opps[a.opp].firstInf {
			d.opps[a.opp].firstInf = a.day
		}
	}
	for i := range d.uses {
		u := &d.uses[i]
		if !u.live {
			continue
		}
		first(u.opp, u.day, u.stage)
		if u.opp > 0 && int(u.opp) < n && u.day < d.opps[u.opp].firstInf {
			d.opps[u.opp].firstInf = u.day
		}
	}
}

// programSettings are the settings the figures follow.
func (m *Model) programSettings() vouch.ProgramSettings {
	if m.settings != nil {
		return *m.settings
	}
	if m.cat != nil {
		return m.cat.ProgramSettings()
	}
	return vouch.DefaultProgramSettings()
}

// zone is the program's time zone days are counted in.
func (m *Model) zone() *time.Location {
	if m.db != nil && m.db.Clock != nil {
		return m.db.Clock.Zone()
	}
	return time.UTC
}

// Load reads the model afresh from the database.
func (m *Model) Load(ctx context.Context) error {
	started := time.Now()
	d := newData(m.zone())
	if err := m.db.EachAnalyticsOpportunity(ctx, nil, func(o *store.AnalyticsOpportunity) error {
		d.putOpp(o)
		return nil
	}); err != nil {
		return fmt.Errorf("loading opportunities: %w", err)
	}
	if err := m.db.EachAnalyticsRequest(ctx, nil, func(r *store.AnalyticsRequest) error { d.putReq(r); return nil }); err != nil {
		return fmt.Errorf("loading requests: %w", err)
	}
	if err := m.db.EachAnalyticsAsk(ctx, nil, func(a *store.AnalyticsAsk) error { d.putAsk(a); return nil }); err != nil {
		return fmt.Errorf("loading asks: %w", err)
	}
	if err := m.db.EachAnalyticsActivity(ctx, nil, func(a *store.AnalyticsActivity) error { d.putAct(a); return nil }); err != nil {
		return fmt.Errorf("loading activities: %w", err)
	}
	if err := m.db.EachAnalyticsContentUse(ctx, nil, func(u *store.AnalyticsContentUse) error { d.putUse(u); return nil }); err != nil {
		return fmt.Errorf("loading content uses: %w", err)
	}
	if err := m.db.EachAnalyticsRating(ctx, nil, func(r *store.AnalyticsRating) error { d.putRating(r); return nil }); err != nil {
		return fmt.Errorf("loading content ratings: %w", err)
	}
	if err := m.db.EachAnalyticsFeedback(ctx, nil, func(f *store.AnalyticsFeedback) error { d.putFeedback(f); return nil }); err != nil {
		return fmt.Errorf("loading feedback: %w", err)
	}
	if err := m.db.AnalyticsReferences(ctx, nil, func(r *store.AnalyticsReference) error { d.putRef(r); return nil }); err != nil {
		return fmt.Errorf("loading references: %w", err)
	}
	if err := m.db.EachAnalyticsContent(ctx, nil, func(c *store.AnalyticsContent) error { d.putContent(c); return nil }); err != nil {
		return fmt.Errorf("loading content items: %w", err)
	}
	if err := m.db.EachAnalyticsNomination(ctx, nil, func(n *store.AnalyticsNomination) error { d.putNomination(n); return nil }); err != nil {
		return fmt.Errorf("loading nominations: %w", err)
	}
	if err := m.db.EachAnalyticsContentRequest(ctx, nil, func(r *store.AnalyticsContentRequest) error { d.putContentRequest(r); return nil }); err != nil {
		return fmt.Errorf("loading content requests: %w", err)
	}
	if err := m.db.EachAnalyticsCampaignContact(ctx, nil, func(c *store.AnalyticsCampaignContact) error { d.putReached(c); return nil }); err != nil {
		return fmt.Errorf("loading campaign contacts: %w", err)
	}
	if err := m.db.EachAnalyticsDriveAdvocate(ctx, nil, func(a *store.AnalyticsDriveAdvocate) error { d.putDriveItem(a); return nil }); err != nil {
		return fmt.Errorf("loading drive advocates: %w", err)
	}
	d.derive()
	m.mu.Lock()
	m.d = d
	m.mu.Unlock()
	m.log.Debug("metrics engine loaded", "opportunities", len(d.opps), "activities", len(d.acts), "took", time.Since(started))
	return nil
}

// Apply brings the model up to date with changed entities: each is read
// again from the database (its related rows too: a reference's activities,
// a content item's uses and ratings) and the deals' derived days are
// recomputed. Past changefeed.ReloadAbove changes the feed loads afresh.
func (m *Model) Apply(ctx context.Context, changes []vouch.Touched) error {
	if len(changes) > changefeed.ReloadAbove {
		return m.Load(ctx)
	}
	m.mu.RLock()
	zone := m.d.zone
	m.mu.RUnlock()
	ids := map[vouch.EntityKind][]int64{}
	seen := map[vouch.Touched]bool{}
	for _, c := range changes {
		k := c.Kind.Base()
		if k == vouch.EntitySetting {
			// The time zone or the currencies' rates may have changed.
			return m.Load(ctx)
		}
		t := vouch.Touched{Kind: k, ID: c.ID}
		if seen[t] || c.ID <= 0 {
			continue
		}
		seen[t] = true
		ids[k] = append(ids[k], c.ID)
	}
	if m.zone().String() != zone.String() {
		return m.Load(ctx)
	}
	// Read everything first, outside the lock; then write it in.
	var writes []func(d *data)
	add := func(f func(d *data)) { writes = append(writes, f) }
	read := func(kind vouch.EntityKind, each func(ids []int64) error, gone func(d *data, id int64)) error {
		list := ids[kind]
		if len(list) == 0 {
			return nil
		}
		for _, id := range list {
			add(func(d *data) { gone(d, id) })
		}
		return each(list)
	}
	err := read(vouch.EntityOpportunity, func(l []int64) error {
		return m.db.EachAnalyticsOpportunity(ctx, l, func(o *store.AnalyticsOpportunity) error {
			o2 := *o
			add(func(d *data) { d.putOpp(&o2) })
			return nil
		})
	}, func(d *data, id int64) {
		if int(id) < len(d.opps) {
			d.opps[id].status = oppGone
		}
	})
	if err == nil {
		err = read(vouch.EntityRequest, func(l []int64) error {
			return m.db.EachAnalyticsRequest(ctx, l, func(r *store.AnalyticsRequest) error {
				r2 := *r
				add(func(d *data) { d.putReq(&r2) })
				return nil
			})
		}, func(d *data, id int64) {
			if int(id) < len(d.reqs) {
				d.reqs[id].state = 0
			}
		})
	}
	if err == nil {
		err = read(vouch.EntityAsk, func(l []int64) error {
			return m.db.EachAnalyticsAsk(ctx, l, func(a *store.AnalyticsAsk) error {
				a2 := *a
				add(func(d *data) { d.putAsk(&a2) })
				return nil
			})
		}, func(d *data, id int64) {
			if int(id) < len(d.asks) {
				d.asks[id].state = 0
			}
		})
	}
	putActs := func(a *store.AnalyticsActivity) error {
		a2 := *a
		add(func(d *data) { d.putAct(&a2) })
		return nil
	}
	if err == nil {
		err = read(vouch.EntityActivity, func(l []int64) error {
			return m.db.EachAnalyticsActivity(ctx, l, putActs)
		}, func(d *data, id int64) {
			if int(id) < len(d.acts) {
				d.acts[id].flags = 0
			}
		})
	}
	// A change to an account changes its references' segment fields.
	if err == nil && len(ids[vouch.EntityAccount]) > 0 {
		for _, acct := range ids[vouch.EntityAccount] {
			refs, e := m.db.ReferencesOfAccount(ctx, acct)
			if e != nil {
				err = e
				break
			}
			ids[vouch.EntityReference] = append(ids[vouch.EntityReference], refs...)
		}
	}
	if err == nil {
		refIDs := ids[vouch.EntityReference]
		err = read(vouch.EntityReference, func(l []int64) error {
			if e := m.db.AnalyticsReferences(ctx, l, func(r *store.AnalyticsReference) error {
				r2 := *r
				add(func(d *data) { d.putRef(&r2) })
				return nil
			}); e != nil {
				return e
			}
			// A deleted reference takes its activities with it.
			return m.db.EachAnalyticsActivityOf(ctx, l, putActs)
		}, func(d *data, id int64) {
			if int(id) < len(d.refs) {
				d.refs[id].live = false
			}
		})
		if len(refIDs) > 0 {
			set := map[int32]bool{}
			for _, id := range refIDs {
				set[id32(id)] = true
			}
			writes = append([]func(*data){func(d *data) {
				for i := range d.acts {
					if d.acts[i].flags != 0 && set[d.acts[i].ref] {
						d.acts[i].flags = 0
					}
				}
			}}, writes...)
		}
	}
	// Uses and ratings are audited by their content item: re-read all of
	// an item's (a deleted item takes them with it).
	if err == nil {
		contentIDs := append(append(append([]int64(nil), ids[vouch.EntityContent]...), ids[vouch.EntityContentUse]...),
			ids[vouch.EntityContentRating]...)
		slices.Sort(contentIDs)
		contentIDs = slices.Compact(contentIDs)
		if len(contentIDs) > 0 {
			set := map[int32]bool{}
			for _, id := range contentIDs {
				set[id32(id)] = true
			}
			add(func(d *data) {
				for i := range d.uses {
					if d.uses[i].live && set[d.uses[i].content] {
						d.uses[i].live = false
					}
				}
				for i := range d.ratings {
					if d.ratings[i].rating != 0 && set[d.ratings[i].content] {
						d.ratings[i].rating = 0
					}
				}
				for id := range set {
					if int(id) < len(d.contents) {
						d.contents[id].live = false
					}
				}
			})
			err = m.db.EachAnalyticsContentUse(ctx, contentIDs, func(u *store.AnalyticsContentUse) error {
				u2 := *u
				add(func(d *data) { d.putUse(&u2) })
				return nil
			})
			if err == nil {
				err = m.db.EachAnalyticsRating(ctx, contentIDs, func(r *store.AnalyticsRating) error {
					r2 := *r
					add(func(d *data) { d.putRating(&r2) })
					return nil
				})
			}
			if err == nil {
				err = m.db.EachAnalyticsContent(ctx, contentIDs, func(c *store.AnalyticsContent) error {
					c2 := *c
					add(func(d *data) { d.putContent(&c2) })
					return nil
				})
			}
		}
	}
	if err == nil {
		// Nominations are never deleted: each is read again as it is now.
		err = read(vouch.EntityNomination, func(l []int64) error {
			return m.db.EachAnalyticsNomination(ctx, l, func(n *store.AnalyticsNomination) error {
				n2 := *n
				add(func(d *data) { d.putNomination(&n2) })
				return nil
			})
		}, func(d *data, id int64) {})
	}
	if err == nil {
		// Content requests are never deleted: each is read again as it is now.
		err = read(vouch.EntityContentRequest, func(l []int64) error {
			return m.db.EachAnalyticsContentRequest(ctx, l, func(r *store.AnalyticsContentRequest) error {
				r2 := *r
				add(func(d *data) { d.putContentRequest(&r2) })
				return nil
			})
		}, func(d *data, id int64) {})
	}
	if err == nil {
		// A deleted campaign takes its contacts and advocates with it.
		err = read(vouch.EntityCampaignContact, func(l []int64) error {
			return m.db.EachAnalyticsCampaignContact(ctx, l, func(c *store.AnalyticsCampaignContact) error {
				c2 := *c
				add(func(d *data) { d.putReached(&c2) })
				return nil
			})
		}, func(d *data, id int64) {
			if int(id) < len(d.reached) {
				d.reached[id] = dayBy{day: noDay}
			}
		})
	}
	if err == nil {
		err = read(vouch.EntityDriveAdvocate, func(l []int64) error {
			return m.db.EachAnalyticsDriveAdvocate(ctx, l, func(a *store.AnalyticsDriveAdvocate) error {
				a2 := *a
				add(func(d *data) { d.putDriveItem(&a2) })
				return nil
			})
		}, func(d *data, id int64) {
			if int(id) < len(d.drives) {
				d.drives[id] = dayBy{day: noDay}
			}
		})
	}
	if err == nil {
		err = read(vouch.EntityFeedback, func(l []int64) error {
			return m.db.EachAnalyticsFeedback(ctx, l, func(f *store.AnalyticsFeedback) error {
				f2 := *f
				add(func(d *data) { d.putFeedback(&f2) })
				return nil
			})
		}, func(d *data, id int64) {
			if int(id) < len(d.fbs) {
				d.fbs[id].rating = 0
			}
		})
	}
	if err != nil {
		return err
	}
	if len(writes) == 0 {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, w := range writes {
		w(m.d)
	}
	m.d.derive()
	return nil
}
