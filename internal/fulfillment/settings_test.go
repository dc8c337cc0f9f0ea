package fulfillment_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// The program's settings decide when advocates are reminded and when an
// ask expires, and the link in the first mail says so.
func TestProgramSettingsTimeTheAsks(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		l := newLoop(t, db)
		ctx := context.Background()
		ps := vouch.DefaultProgramSettings()
		ps.CapacityDefault, ps.ReminderDays, ps.MaxReminders, ps.AskExpiryDays = 3, 5, 1, 7
		if err := db.SetProgramSettings(ctx, ps); err != nil {
			t.Fatal(err)
		}
		maya := l.ref(t, "Maya Okafor", nil)
		req := l.request(t, "Contoso")
		ask, err := l.s.Ask(l.ctx(l.pm), l.pm, req.ID, maya.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		sent := l.now
		if m := l.mailsTo(t, maya.Email, 0)[0]; !containsDay(m.Body, sent.Add(7*24*time.Hour)) {
			t.Errorf("the ask's mail does not say it expires in 7 days:\n%s", m.Body)
		}
		remind := func() int {
			n := len(l.mails(t))
			if err := l.s.Remind(ctx); err != nil {
				t.Fatal(err)
			}
			return len(l.mailsTo(t, maya.Email, n))
		}
		l.now = sent.Add(4 * 24 * time.Hour) // past the default 3 days, before the 5 set
		if n := remind(); n != 0 {
			t.Errorf("reminded after 4 days with reminder_days 5: %d mails", n)
		}
		l.now = sent.Add(5*24*time.Hour + time.Minute)
		if n := remind(); n != 1 {
			t.Errorf("after 5 days: %d reminders, want 1", n)
		}
		l.now = sent.Add(6*24*time.Hour + time.Hour)
		if n := remind(); n != 0 {
			t.Errorf("a second reminder with max_reminders 1: %d mails", n)
		}
		l.now = sent.Add(7*24*time.Hour + time.Minute)
		if err := l.s.Remind(ctx); err != nil {
			t.Fatal(err)
		}
		if a, _ := db.Ask(ctx, ask.ID); a.State != vouch.AskExpired {
			t.Errorf("after ask_expiry_days 7 the ask is %s", a.State)
		}
	})
}

func containsDay(body string, day time.Time) bool {
	return strings.Contains(body, day.Format("2 January 2006"))
}
