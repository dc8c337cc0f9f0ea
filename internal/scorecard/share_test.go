package scorecard_test

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/notify"
	"github.com/vouchhq/vouch/internal/scorecard"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

var ctx = vouch.WithActor(context.Background(), vouch.Actor{Label: "test"})

func fptr(f float64) *float64 { return &f }

// fixedFigures computes a scorecard with a few figures, and records the queries asked.
type fixedFigures struct {
	mu   sync.Mutex
	asks []vouch.MetricQuery
}

func (f *fixedFigures) compute(_ context.Context, q vouch.MetricQuery) (*vouch.Scorecard, error) {
	f.mu.Lock()
	f.asks = append(f.asks, q)
	f.mu.Unlock()
	sc := &vouch.Scorecard{Query: q, Previous: q.Previous(), Tiles: map[vouch.MetricID]*vouch.Tile{}}
	for _, d := range vouch.Metrics {
		sc.Tiles[d.ID] = &vouch.Tile{MetricValue: vouch.MetricValue{Metric: d.ID}, Previous: vouch.MetricValue{Metric: d.ID}}
	}
	sc.Tiles[vouch.MetricRequestsReceived].Value = fptr(1234)
	sc.Tiles[vouch.MetricRevenueInfluenced].Money = map[string]*vouch.Money{"USD": {Currency: "USD", Amount: 480000, Deals: 6}}
	return sc, nil
}

func (f *fixedFigures) last() vouch.MetricQuery {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.asks[len(f.asks)-1]
}

func TestShareLinkOpensReadOnlyUntilExpiredOrRevoked(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		db.Clock.Set(time.Date(2026, 11, 15, 9, 0, 0, 0, time.UTC))
		figures := &fixedFigures{}
		s := scorecard.NewSharing(db, figures.compute, func(id int64) string { return map[int64]string{7: "Healthcare"}[id] })
		pm := testutil.CreateUser(t, db, "pat@example.com", vouch.RoleProgramManager)
		seller := testutil.CreateUser(t, db, "sam@example.com", vouch.RoleSeller)

		if _, _, err := s.CreateShare(ctx, seller, scorecard.ShareInput{}); vouch.ErrorCode(err) != vouch.EFORBIDDEN {
			t.Errorf("a seller shared the scorecard: %v", err)
		}
		if _, _, err := s.CreateShare(ctx, pm, scorecard.ShareInput{ExpiresInDays: 45}); vouch.ErrorFields(err)["expires_in_days"] == "" {
			t.Errorf("45 days accepted: %v", err)
		}
		if _, _, err := s.CreateShare(ctx, pm, scorecard.ShareInput{Query: vouch.ShareQuery{Period: vouch.SharePeriodFixed}}); vouch.ErrorFields(err)["period"] == "" {
			t.Errorf("a fixed period without days accepted: %v", err)
		}

		sh, token, err := s.CreateShare(ctx, pm, scorecard.ShareInput{Note: "For the board",
			Query: vouch.ShareQuery{Period: vouch.SharePeriodMonth, Filter: vouch.MetricFilter{IndustryIDs: []int64{7}}}})
		if err != nil {
			t.Fatal(err)
		}
		if want := db.Now().Add(30 * 24 * time.Hour); !sh.ExpiresAt.Equal(want) || sh.CreatedByName != "Pat" || sh.Note != "For the board" {
			t.Errorf("share %+v: want 30 days by Pat", sh)
		}
		got, err := s.OpenShare(context.Background(), token)
		if err != nil {
			t.Fatal(err)
		}
		q := figures.last()
		if q.From != vouch.NewDate(2026, 11, 1) || q.To != vouch.NewDate(2026, 11, 30) || len(q.Filter.IndustryIDs) != 1 {
			t.Errorf("the link showed %+v, want November filtered by industry", q)
		}
		if !strings.Contains(got.Options.Period, "November 2026") || got.Options.Filters[0] != "Industry: Healthcare" {
			t.Errorf("options %+v", got.Options)
		}
		// "Always the current month": in December it shows December.
		db.Clock.Set(time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
		if _, err := s.OpenShare(context.Background(), token); err != nil {
			t.Fatal(err)
		}
		if q := figures.last(); q.From != vouch.NewDate(2026, 12, 1) {
			t.Errorf("in December the link showed %v", q.From)
		}

		// Altered, made up, or another purpose's token: not valid.
		for _, bad := range []string{token + "x", "a" + token[1:], "p" + token[1:], altered(token, 5), altered(token, len(token)-1), "nonsense", ""} {
			if _, err := s.OpenShare(context.Background(), bad); err != scorecard.ErrShareInvalid {
				t.Errorf("token %q: %v", bad, err)
			}
		}

		// Expired after its days.
		short, shortToken, err := s.CreateShare(ctx, pm, scorecard.ShareInput{ExpiresInDays: 7})
		if err != nil {
			t.Fatal(err)
		}
		db.Clock.Set(short.ExpiresAt.Add(-time.Minute))
		if _, err := s.OpenShare(context.Background(), shortToken); err != nil {
			t.Errorf("a minute before it expires: %v", err)
		}
		db.Clock.Set(short.ExpiresAt)
		_, err = s.OpenShare(context.Background(), shortToken)
		if !scorecard.IsShareGone(err) || !strings.Contains(err.Error(), "expired") || !strings.Contains(err.Error(), "Ask Pat") {
			t.Errorf("expired link: %v", err)
		}

		// Revoked.
		if _, err := s.RevokeShare(ctx, seller, sh.ID); vouch.ErrorCode(err) != vouch.EFORBIDDEN {
			t.Errorf("a seller revoked a link: %v", err)
		}
		revoked, err := s.RevokeShare(ctx, pm, sh.ID)
		if err != nil || revoked.RevokedAt == nil {
			t.Fatalf("revoke: %+v %v", revoked, err)
		}
		if _, err := s.OpenShare(context.Background(), token); !scorecard.IsShareGone(err) || !strings.Contains(err.Error(), "withdrawn") {
			t.Errorf("revoked link: %v", err)
		}
		list, err := s.Shares(ctx, pm)
		if err != nil || len(list) != 2 {
			t.Fatalf("list: %d %v", len(list), err)
		}
		now := db.Now()
		if list[0].State(now) != vouch.ShareExpired || list[1].State(now) != vouch.ShareRevoked {
			t.Errorf("states %s, %s", list[0].State(now), list[1].State(now))
		}
		entries, _, err := db.ListAudit(ctx, vouch.AuditFilter{EntityType: string(vouch.EntityScorecardShare), Limit: 10})
		if err != nil || len(entries) != 3 {
			t.Errorf("audit: %d entries (%v), want two creations and a revocation", len(entries), err)
		}
	})
}

// The scheduled scorecard goes out once per closed period, whatever the
// number of instances, and never mid-period; the mail shows the PNG inline
// and carries the PDF.
func TestScheduledScorecardGoesOutOnceWhenThePeriodCloses(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		other, err := store.Open(context.Background(), store.Config{DataDir: filepath.Dir(db.Path), URL: db.URL})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { other.Close() })
		ps, err := db.ProgramSettings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ps.TimeZone = "America/New_York"
		if err := db.SetProgramSettings(ctx, ps); err != nil {
			t.Fatal(err)
		}
		ny, _ := time.LoadLocation("America/New_York")
		for _, h := range []*store.DB{db, other} {
			h.Clock.SetZone(ny)
		}
		setClock := func(at time.Time) {
			for _, h := range []*store.DB{db, other} {
				h.Clock.Set(at)
			}
		}
		setClock(time.Date(2026, 11, 10, 12, 0, 0, 0, ny))
		figures := &fixedFigures{}
		one := scorecard.NewSharing(db, figures.compute, nil)
		two := scorecard.NewSharing(other, figures.compute, nil)
		pm := testutil.CreateUser(t, db, "pat@example.com", vouch.RoleProgramManager)
		if _, err := one.CreateSchedule(ctx, pm, scorecard.ScheduleInput{Cadence: "weekly", Recipients: "not an address"}); vouch.ErrorFields(err)["cadence"] == "" || vouch.ErrorFields(err)["recipients"] == "" {
			t.Errorf("bad schedule: %v", err)
		}
		sch, err := one.CreateSchedule(ctx, pm, scorecard.ScheduleInput{Cadence: vouch.CadenceMonthly,
			Recipients: "ceo@example.com, CFO <cfo@example.com>\nceo@example.com"})
		if err != nil {
			t.Fatal(err)
		}
		if len(sch.Recipients) != 2 || sch.LastPeriod != "2026-10" {
			t.Errorf("schedule %+v", sch)
		}
		runBoth := func() int {
			var wg sync.WaitGroup
			var mu sync.Mutex
			total := 0
			for _, s := range []*scorecard.Sharing{one, two} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					n, err := s.RunSchedules(ctx, "https://vouch.example.com")
					if err != nil {
						t.Error(err)
					}
					mu.Lock()
					total += n
					mu.Unlock()
				}()
			}
			wg.Wait()
			return total
		}
		outbox := func() []vouch.OutboxMail {
			list, _, err := db.ListOutbox(ctx, vouch.OutboxFilter{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			return list
		}
		// Mid-period, and the last evening of the month in the program's zone: nothing.
		for _, at := range []time.Time{time.Date(2026, 11, 20, 12, 0, 0, 0, ny), time.Date(2026, 11, 30, 23, 30, 0, 0, ny)} {
			setClock(at)
			if n := runBoth(); n != 0 || len(outbox()) != 0 {
				t.Errorf("%v: %d sent mid-period", at, n)
			}
		}
		// The 1st of the next month: November goes out once, to each address.
		setClock(time.Date(2026, 12, 1, 0, 30, 0, 0, ny))
		if n := runBoth(); n != 1 {
			t.Errorf("%d sends on the 1st, want exactly one", n)
		}
		if n := runBoth(); n != 0 {
			t.Errorf("%d more sends on a later pass", n)
		}
		mails := outbox()
		if len(mails) != 2 {
			t.Fatalf("%d mails queued, want one per address", len(mails))
		}
		if q := figures.last(); q.From != vouch.NewDate(2026, 11, 1) || q.To != vouch.NewDate(2026, 11, 30) {
			t.Errorf("the mail shows %v – %v, want November", q.From, q.To)
		}
		saved, _ := db.ScorecardSchedule(ctx, sch.ID)
		if saved.LastPeriod != "2026-11" {
			t.Errorf("last period %q", saved.LastPeriod)
		}

		sink := testutil.NewSMTPSink(t)
		sender := notify.NewSender(db, notify.Config{Host: sink.Host, Port: sink.Port, From: "Vouch <vouch@example.com>", TLS: notify.TLSNone}, nil)
		if _, err := sender.SendDue(ctx); err != nil {
			t.Fatal(err)
		}
		got := sink.WaitFor(t, func(m testutil.Message) bool { return m.To[0] == "ceo@example.com" }, 10*time.Second)
		if !strings.Contains(got.Subject, "November 2026") || !strings.Contains(got.Body, "Requests received: 1,234") ||
			!strings.Contains(got.Body, "USD 480,000") || !strings.Contains(got.Body, "https://vouch.example.com/scorecard?from=2026-11-01&to=2026-11-30") {
			t.Errorf("mail %q:\n%s", got.Subject, got.Body)
		}
		if !strings.Contains(got.Raw, "multipart/related") || !strings.Contains(got.Raw, "cid:scorecard.png") {
			t.Errorf("no inline image:\n%.2000s", got.Raw)
		}
		var png, pdf bool
		for _, a := range got.Attachments {
			png = png || (a.Name == "scorecard.png" && strings.HasPrefix(string(a.Content), "\x89PNG"))
			pdf = pdf || (a.Name == "scorecard-2026-11.pdf" && strings.HasPrefix(string(a.Content), "%PDF"))
		}
		if !png || !pdf {
			t.Errorf("attachments: png %v, pdf %v", png, pdf)
		}
	})
}

// altered is token with the character at i changed to another one, so the
// change is a real one whatever the token holds.
func altered(token string, i int) string {
	c := byte('A')
	if token[i] == c {
		c = 'B'
	}
	return token[:i] + string(c) + token[i+1:]
}
