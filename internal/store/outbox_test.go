package store_test

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

func outboxStatus(t *testing.T, db *store.DB, id int64) *vouch.OutboxMail {
	t.Helper()
	m, err := db.OutboxMail(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func outboxCount(t *testing.T, db *store.DB, status string) int {
	t.Helper()
	_, n, err := db.ListOutbox(ctx, vouch.OutboxFilter{Status: status})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestOutboxLifecycle(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		err := db.QueueMail(ctx, vouch.Outgoing{Mails: []vouch.Mail{
			{To: "ada@example.com", Subject: "Asked", Body: "Will you?", ICS: "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"},
			{To: "  ", Subject: "nobody"}, // no address: no mail
			{To: "bob@example.com", Subject: "Told", Body: "Done."},
		}})
		if err != nil {
			t.Fatal(err)
		}
		list, total, err := db.ListOutbox(ctx, vouch.OutboxFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if total != 2 || len(list) != 2 {
			t.Fatalf("outbox has %d mails (%d listed), want 2", total, len(list))
		}
		bob, ada := list[0], list[1] // newest first
		if ada.To != "ada@example.com" || ada.ICS == "" || bob.To != "bob@example.com" || ada.Status != vouch.MailPending {
			t.Fatalf("listed %+v, %+v", ada, bob)
		}
		if ada.MessageID == bob.MessageID || !strings.HasSuffix(ada.MessageID, "@vouch") {
			t.Errorf("message ids %q and %q: want distinct ids @vouch", ada.MessageID, bob.MessageID)
		}

		now := db.Now()
		claimed, err := db.ClaimMail(ctx, now, 10, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if len(claimed) != 2 || claimed[0].ID != ada.ID || claimed[1].ID != bob.ID {
			t.Fatalf("claimed %+v, want ada's then bob's mail", claimed)
		}
		if claimed[0].Body != "Will you?" || claimed[0].ClaimedUntil == nil {
			t.Errorf("claimed mail %+v lacks its body or claim", claimed[0])
		}
		if again, _ := db.ClaimMail(ctx, now.Add(30*time.Second), 10, time.Minute); len(again) != 0 {
			t.Errorf("claimed %d mails within another claim's lease", len(again))
		}
		if again, _ := db.ClaimMail(ctx, now.Add(2*time.Minute), 10, time.Minute); len(again) != 2 {
			t.Errorf("after the lease ended %d mails were claimed, want 2", len(again))
		}

		if err := db.MarkMailSent(ctx, ada.ID); err != nil {
			t.Fatal(err)
		}
		if m := outboxStatus(t, db, ada.ID); m.Status != vouch.MailSent || m.SentAt == nil || m.Attempts != 1 || m.ClaimedUntil != nil {
			t.Errorf("sent mail: %+v", m)
		}
		if err := db.RetryMail(ctx, ada.ID); vouch.ErrorCode(err) != vouch.ECONFLICT {
			t.Errorf("retrying a sent mail: %v, want a conflict", err)
		}

		// Failures back off, then give up after vouch.MailMaxAttempts.
		next := now.Add(time.Minute)
		if err := db.MarkMailFailed(ctx, bob.ID, "451 4.3.0 try later", next); err != nil {
			t.Fatal(err)
		}
		m := outboxStatus(t, db, bob.ID)
		if m.Status != vouch.MailPending || m.Attempts != 1 || m.LastError != "451 4.3.0 try later" || !m.NextAttemptAt.Equal(next) || m.ClaimedUntil != nil {
			t.Errorf("failed once: %+v", m)
		}
		if c, _ := db.ClaimMail(ctx, now.Add(30*time.Second), 10, time.Minute); len(c) != 0 {
			t.Errorf("claimed a mail before its next attempt")
		}
		if c, _ := db.ClaimMail(ctx, next, 10, time.Minute); len(c) != 1 {
			t.Errorf("claimed %d mails at the next attempt, want 1", len(c))
		}
		for i := 1; i < vouch.MailMaxAttempts; i++ {
			if err := db.MarkMailFailed(ctx, bob.ID, "451 again", next); err != nil {
				t.Fatal(err)
			}
		}
		m = outboxStatus(t, db, bob.ID)
		if m.Status != vouch.MailFailed || m.Attempts != vouch.MailMaxAttempts || !m.NextAttemptAt.IsZero() {
			t.Errorf("after %d failures: %+v, want failed", vouch.MailMaxAttempts, m)
		}
		if c, _ := db.ClaimMail(ctx, now.Add(24*365*time.Hour), 10, time.Minute); len(c) != 0 {
			t.Errorf("claimed a failed mail")
		}
		if p, s, f := outboxCount(t, db, vouch.MailPending), outboxCount(t, db, vouch.MailSent), outboxCount(t, db, vouch.MailFailed); p != 0 || s != 1 || f != 1 {
			t.Errorf("pending/sent/failed = %d/%d/%d, want 0/1/1", p, s, f)
		}
		if _, _, err := db.ListOutbox(ctx, vouch.OutboxFilter{Status: "lost"}); vouch.ErrorCode(err) != vouch.EINVALID {
			t.Errorf("unknown status filter: %v", err)
		}

		// Retry by hand: due now, a fresh round, audited.
		if err := db.RetryMail(ctx, bob.ID); err != nil {
			t.Fatal(err)
		}
		m = outboxStatus(t, db, bob.ID)
		if m.Status != vouch.MailPending || m.Attempts != 0 || m.LastError != "451 again" {
			t.Errorf("retried: %+v", m)
		}
		entries, _, err := db.ListAudit(ctx, vouch.AuditFilter{EntityType: "outbox", EntityID: bob.ID})
		if err != nil || len(entries) != 1 || entries[0].Action != "retry" {
			t.Errorf("audit of the retry: %+v, %v", entries, err)
		}
		if err := db.RetryMail(ctx, 987654); vouch.ErrorCode(err) != vouch.ENOTFOUND {
			t.Errorf("retrying a missing mail: %v", err)
		}

		// A refusal for good fails at once; a release is no attempt.
		c, _ := db.ClaimMail(ctx, db.Now(), 10, time.Hour)
		if len(c) != 1 {
			t.Fatalf("claimed %d after the retry, want 1", len(c))
		}
		if err := db.ReleaseMail(ctx, bob.ID); err != nil {
			t.Fatal(err)
		}
		if c, _ := db.ClaimMail(ctx, db.Now(), 10, time.Hour); len(c) != 1 || c[0].Attempts != 0 {
			t.Fatalf("after a release: %+v, want the mail again, with no attempt counted", c)
		}
		if err := db.GiveUpMail(ctx, bob.ID, "550 5.1.1 no such user"); err != nil {
			t.Fatal(err)
		}
		if m := outboxStatus(t, db, bob.ID); m.Status != vouch.MailFailed || m.Attempts != 1 || m.LastError != "550 5.1.1 no such user" {
			t.Errorf("given up: %+v", m)
		}
		if _, err := db.OutboxMail(ctx, 987654); vouch.ErrorCode(err) != vouch.ENOTFOUND {
			t.Errorf("missing mail: %v", err)
		}
	})
}

func TestOutboxLongErrorIsClipped(t *testing.T) {
	db := testutil.OpenDB(t, store.SQLite)
	if err := db.QueueMail(ctx, vouch.Outgoing{Mails: []vouch.Mail{{To: "a@example.com", Subject: "s", Body: "b"}}}); err != nil {
		t.Fatal(err)
	}
	c, _ := db.ClaimMail(ctx, db.Now(), 1, time.Minute)
	if err := db.MarkMailFailed(ctx, c[0].ID, strings.Repeat("é", 2000), db.Now()); err != nil {
		t.Fatal(err)
	}
	if m := outboxStatus(t, db, c[0].ID); len(m.LastError) > 1010 || !strings.HasSuffix(m.LastError, "…") {
		t.Errorf("stored error of %d bytes", len(m.LastError))
	}
}

// Claimers on two connections to one database, racing, never claim a mail twice.
func TestClaimMailConcurrent(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		const mails = 150
		var out vouch.Outgoing
		for i := range mails {
			out.Mails = append(out.Mails, vouch.Mail{To: "p@example.com", Subject: "n" + string(rune('a'+i%26)), Body: "b"})
		}
		if err := db.QueueMail(ctx, out); err != nil {
			t.Fatal(err)
		}
		other, err := store.Open(context.Background(), store.Config{DataDir: filepath.Dir(db.Path), URL: db.URL})
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		var mu sync.Mutex
		seen := map[int64]int{}
		var wg sync.WaitGroup
		for i := range 6 {
			h := db
			if i%2 == 1 {
				h = other
			}
			wg.Go(func() {
				for {
					c, err := h.ClaimMail(ctx, h.Now(), 4, time.Hour)
					if err != nil {
						t.Error(err)
						return
					}
					if len(c) == 0 {
						return
					}
					mu.Lock()
					for _, m := range c {
						seen[m.ID]++
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if len(seen) != mails {
			t.Errorf("%d mails claimed, want %d", len(seen), mails)
		}
		for id, n := range seen {
			if n != 1 {
				t.Errorf("mail %d claimed %d times", id, n)
			}
		}
	})
}

func TestNotifications(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		ada := mustUser(t, db, "ada@example.com", vouch.RoleSeller)
		bob := mustUser(t, db, "bob@example.com", vouch.RoleSeller)
		err := db.QueueMail(ctx, vouch.Outgoing{Notifications: []vouch.Notification{
			{UserID: ada.ID, Body: "Your request was accepted", Link: "/requests/1"},
			{UserID: bob.ID, Body: "Approve an ask"},
			{UserID: 0, Body: "nobody"},
			{UserID: ada.ID, Body: "A reference answered", Link: "/requests/1"},
		}})
		if err != nil {
			t.Fatal(err)
		}
		list, unread, err := db.Notifications(ctx, ada.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		if unread != 2 || len(list) != 2 || list[0].Body != "A reference answered" || list[1].Link != "/requests/1" || list[0].ReadAt != nil {
			t.Fatalf("ada's notifications: %+v, %d unread", list, unread)
		}
		bobs, _, _ := db.Notifications(ctx, bob.ID, 10)
		// Ids of another user's notifications are ignored.
		if err := db.MarkNotificationsRead(ctx, ada.ID, []int64{list[1].ID, bobs[0].ID}); err != nil {
			t.Fatal(err)
		}
		list, unread, _ = db.Notifications(ctx, ada.ID, 1)
		if unread != 1 || len(list) != 1 || list[0].ReadAt != nil {
			t.Errorf("after reading one: %+v, %d unread", list, unread)
		}
		if n, _ := db.UnreadNotifications(ctx, bob.ID); n != 1 {
			t.Errorf("bob has %d unread, want 1: ada cannot read his", n)
		}
		if err := db.MarkAllNotificationsRead(ctx, ada.ID); err != nil {
			t.Fatal(err)
		}
		list, unread, _ = db.Notifications(ctx, ada.ID, 0)
		if unread != 0 || len(list) != 2 || list[0].ReadAt == nil {
			t.Errorf("after reading all: %+v, %d unread", list, unread)
		}
		if err := db.MarkNotificationsRead(ctx, ada.ID, nil); err != nil {
			t.Error(err)
		}
	})
}
