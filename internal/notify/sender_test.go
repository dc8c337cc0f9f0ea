package notify_test

import (
	"context"
	"io"
	"log/slog"
	"mime"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/notify"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

var ctx = vouch.WithActor(context.Background(), vouch.Actor{Label: "test"})

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func sinkConfig(k *testutil.SMTPSink) notify.Config {
	return notify.Config{Host: k.Host, Port: k.Port, From: "Vouch <vouch@example.com>", TLS: notify.TLSNone}
}

// run runs s until the test ends.
func run(t *testing.T, s *notify.Sender) {
	t.Helper()
	runCtx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		s.Run(runCtx)
		close(done)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("Run did not return within 10 s of its context ending")
		}
	})
}

func queue(t *testing.T, db *store.DB, mails ...vouch.Mail) {
	t.Helper()
	if err := db.QueueMail(ctx, vouch.Outgoing{Mails: mails}); err != nil {
		t.Fatal(err)
	}
}

// outbox returns every mail of the outbox, oldest first.
func outbox(t *testing.T, db *store.DB) []vouch.OutboxMail {
	t.Helper()
	list, _, err := db.ListOutbox(ctx, vouch.OutboxFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for i, j := 0, len(list)-1; i < j; i, j = i+1, j-1 {
		list[i], list[j] = list[j], list[i]
	}
	return list
}

func TestSenderDeliversOnce(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		sink := testutil.NewSMTPSink(t)
		s := notify.NewSender(db, sinkConfig(sink), quiet)
		s.Interval = time.Hour // only being told of queued mail wakes it
		run(t, s)

		body := "Hello Ada,\n\nWould you talk to Globex about Vouch? Ünïcödé — and a long line: " + strings.Repeat("word ", 40) + "\n\n-- \nVouch"
		ics := notify.ICS(notify.Event{UID: "ask-1@vouch", Start: time.Date(2026, 6, 1, 15, 0, 0, 0, time.UTC), Summary: "Reference call; Globex, Acme",
			Organizer: notify.Person{Name: "Pat", Email: "pat@example.com"}, Attendees: []notify.Person{{Name: "Ada", Email: "ada@example.com"}}})
		queue(t, db, vouch.Mail{To: "ada@example.com", Subject: "Réference call — Globex", Body: body, ICS: ics})
		got := sink.WaitFor(t, func(m testutil.Message) bool { return m.Subject == "Réference call — Globex" }, 10*time.Second)
		row := outbox(t, db)[0]
		if got.MessageID != row.MessageID {
			t.Errorf("Message-ID %q, want the stored %q", got.MessageID, row.MessageID)
		}
		if got.From != "vouch@example.com" || len(got.To) != 1 || got.To[0] != "ada@example.com" {
			t.Errorf("envelope from %q to %v", got.From, got.To)
		}
		if h := got.Header.Get("From"); !strings.Contains(h, "<vouch@example.com>") || !strings.Contains(h, "Vouch") {
			t.Errorf("From: %q", h)
		}
		if h := got.Header.Get("To"); !strings.Contains(h, "ada@example.com") {
			t.Errorf("To: %q", h)
		}
		if got.Header.Get("Auto-Submitted") != "auto-generated" || got.Header.Get("Date") == "" || got.Header.Get("X-Mailer") != "" {
			t.Errorf("headers: %v", got.Header)
		}
		if got.Body != body {
			t.Errorf("body:\n%q\nwant\n%q", got.Body, body)
		}
		if len(got.Attachments) != 1 {
			t.Fatalf("attachments %+v, want invite.ics", got.Attachments)
		}
		a := got.Attachments[0]
		media, params, err := mime.ParseMediaType(a.ContentType)
		if a.Name != "invite.ics" || err != nil || media != "text/calendar" || params["method"] != "REQUEST" {
			t.Errorf("attachment %q of type %q", a.Name, a.ContentType)
		}
		if string(a.Content) != ics {
			t.Errorf("attachment content:\n%q\nwant\n%q", a.Content, ics)
		}

		// A mail without an invitation has no attachment.
		queue(t, db, vouch.Mail{To: "bob@example.com", Subject: "Plain", Body: "Just text."})
		plain := sink.WaitFor(t, func(m testutil.Message) bool { return m.Subject == "Plain" }, 10*time.Second)
		// A single-part message's body ends with the line break before the end of the data.
		if len(plain.Attachments) != 0 || strings.TrimSuffix(plain.Body, "\n") != "Just text." {
			t.Errorf("plain mail: body %q, attachments %+v", plain.Body, plain.Attachments)
		}

		time.Sleep(200 * time.Millisecond)
		if n := len(sink.Messages()); n != 2 {
			t.Errorf("the sink has %d mails, want 2: each once", n)
		}
		for _, m := range outbox(t, db) {
			if m.Status != vouch.MailSent || m.Attempts != 1 || m.SentAt == nil || m.LastError != "" {
				t.Errorf("outbox row after sending: %+v", m)
			}
		}
	})
}

func TestSenderBacksOffAfterTemporaryFailure(t *testing.T) {
	db := testutil.OpenDB(t, store.SQLite)
	sink := testutil.NewSMTPSink(t)
	sink.Reject(451, "try again later")
	queue(t, db, vouch.Mail{To: "ada@example.com", Subject: "Greylisted", Body: "b"})
	clk := vouch.FixedClock(time.Now().UTC())
	s := notify.NewSender(db, sinkConfig(sink), quiet)
	s.Clock = clk

	if n, err := s.SendDue(ctx); n != 1 || err != nil {
		t.Fatalf("SendDue = %d, %v", n, err)
	}
	m := outbox(t, db)[0]
	if m.Status != vouch.MailPending || m.Attempts != 1 || !strings.Contains(m.LastError, "451") || !strings.Contains(m.LastError, "try again later") {
		t.Errorf("after a 451: %+v", m)
	}
	if wait := m.NextAttemptAt.Sub(clk.Now()); wait < 50*time.Second || wait > 70*time.Second {
		t.Errorf("next attempt in %s, want about a minute", wait)
	}
	if sink.Attempts() != 1 || len(sink.Messages()) != 0 {
		t.Errorf("sink: %d attempts, %d taken", sink.Attempts(), len(sink.Messages()))
	}

	sink.Reject(0, "")
	if n, _ := s.SendDue(ctx); n != 0 {
		t.Errorf("tried again %d mails before the backoff ended", n)
	}
	clk.Advance(2 * time.Minute)
	if n, err := s.SendDue(ctx); n != 1 || err != nil {
		t.Fatalf("SendDue after the backoff = %d, %v", n, err)
	}
	m = outbox(t, db)[0]
	if m.Status != vouch.MailSent || m.Attempts != 2 || len(sink.Messages()) != 1 {
		t.Errorf("after the retry: %+v; sink has %d", m, len(sink.Messages()))
	}
}

func TestSenderRetriesUntilDelivered(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		sink := testutil.NewSMTPSink(t)
		sink.Reject(451, "4.7.1 greylisted")
		s := notify.NewSender(db, sinkConfig(sink), quiet)
		s.Interval = 20 * time.Millisecond
		s.Backoff = func(int) time.Duration { return 50 * time.Millisecond }
		run(t, s)
		queue(t, db, vouch.Mail{To: "ada@example.com", Subject: "Eventually", Body: "b"})
		deadline := time.Now().Add(10 * time.Second)
		for sink.Attempts() < 3 && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if m := outbox(t, db)[0]; m.Attempts < 2 || !strings.Contains(m.LastError, "greylisted") || m.Status != vouch.MailPending {
			t.Errorf("while refused: %+v", m)
		}
		sink.Reject(0, "")
		sink.WaitFor(t, func(m testutil.Message) bool { return m.Subject == "Eventually" }, 10*time.Second)
		time.Sleep(200 * time.Millisecond)
		if n := len(sink.Messages()); n != 1 {
			t.Errorf("delivered %d times, want once", n)
		}
		if m := outbox(t, db)[0]; m.Status != vouch.MailSent || m.Attempts < 3 {
			t.Errorf("after delivery: %+v", m)
		}
	})
}

func TestSenderGivesUpOnRefusedRecipient(t *testing.T) {
	db := testutil.OpenDB(t, store.SQLite)
	sink := testutil.NewSMTPSink(t)
	sink.RejectRecipient("gone@example.com", 550, "5.1.1 no such user")
	s := notify.NewSender(db, sinkConfig(sink), quiet)
	queue(t, db,
		vouch.Mail{To: "gone@example.com", Subject: "Lost", Body: "b"},
		vouch.Mail{To: "not an address", Subject: "Bad", Body: "b"},
		vouch.Mail{To: "ada@example.com", Subject: "Fine", Body: "b"},
	)
	if n, err := s.SendDue(ctx); n != 3 || err != nil {
		t.Fatalf("SendDue = %d, %v", n, err)
	}
	rows := outbox(t, db)
	if rows[0].Status != vouch.MailFailed || rows[0].Attempts != 1 || !strings.Contains(rows[0].LastError, "550") {
		t.Errorf("refused recipient: %+v", rows[0])
	}
	if rows[1].Status != vouch.MailFailed || !strings.Contains(rows[1].LastError, "not an address") {
		t.Errorf("bad address: %+v", rows[1])
	}
	if rows[2].Status != vouch.MailSent || len(sink.Messages()) != 1 || sink.Messages()[0].Subject != "Fine" {
		t.Errorf("the good mail after two refusals: %+v; sink %d", rows[2], len(sink.Messages()))
	}
}

func TestSenderRecordsUnreachableServer(t *testing.T) {
	db := testutil.OpenDB(t, store.SQLite)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	s := notify.NewSender(db, notify.Config{Host: "127.0.0.1", Port: port, From: "vouch@example.com", TLS: notify.TLSNone}, quiet)
	queue(t, db, vouch.Mail{To: "ada@example.com", Subject: "s", Body: "b"}, vouch.Mail{To: "bob@example.com", Subject: "s", Body: "b"})
	if n, err := s.SendDue(ctx); n != 2 || err != nil {
		t.Fatalf("SendDue = %d, %v", n, err)
	}
	for _, m := range outbox(t, db) {
		if m.Status != vouch.MailPending || m.Attempts != 1 || !strings.Contains(m.LastError, "connecting to 127.0.0.1") {
			t.Errorf("after a refused connection: %+v", m)
		}
	}
}

func TestSenderStartTLSAndAuth(t *testing.T) {
	db := testutil.OpenDB(t, store.SQLite)
	sink := testutil.StartSMTPSink(t, testutil.SMTPSinkOptions{StartTLS: true, Username: "vouch", Password: "s3cret"})
	cfg := notify.Config{Host: sink.Host, Port: sink.Port, From: "vouch@example.com", Username: "vouch", Password: "wrong"}

	// A wrong password is a failure to retry (someone will fix the setting).
	queue(t, db, vouch.Mail{To: "ada@example.com", Subject: "Secure", Body: "b"})
	clk := vouch.FixedClock(time.Now().UTC())
	bad := notify.NewSender(db, cfg, quiet)
	bad.TLSConfig, bad.Clock = sink.ClientTLS(), clk
	if n, err := bad.SendDue(ctx); n != 1 || err != nil { // the mail's failure is recorded on it, not returned
		t.Fatalf("SendDue = %d, %v", n, err)
	}
	if m := outbox(t, db)[0]; m.Status != vouch.MailPending || m.Attempts != 1 || m.LastError == "" {
		t.Errorf("with a wrong password: %+v", m)
	}

	cfg.Password = "s3cret"
	good := notify.NewSender(db, cfg, quiet)
	good.TLSConfig, good.Clock = sink.ClientTLS(), clk
	clk.Advance(time.Hour)
	if n, err := good.SendDue(ctx); n != 1 || err != nil {
		t.Fatalf("SendDue = %d, %v", n, err)
	}
	if m := outbox(t, db)[0]; m.Status != vouch.MailSent || len(sink.Messages()) != 1 {
		t.Errorf("over STARTTLS with the password: %+v", m)
	}

	// starttls (the default) never falls back to plain text.
	plain := testutil.NewSMTPSink(t)
	s := notify.NewSender(db, notify.Config{Host: plain.Host, Port: plain.Port, From: "vouch@example.com"}, quiet)
	s.Clock = clk
	queue(t, db, vouch.Mail{To: "bob@example.com", Subject: "Not in clear", Body: "b"})
	if n, err := s.SendDue(ctx); n != 1 || err != nil {
		t.Fatalf("SendDue = %d, %v", n, err)
	}
	if m := outbox(t, db)[1]; m.Status != vouch.MailPending || m.Attempts != 1 || !strings.Contains(strings.ToLower(m.LastError), "starttls") {
		t.Errorf("to a server without STARTTLS: %+v", m)
	}
	if len(plain.Messages()) != 0 {
		t.Errorf("mail sent without TLS")
	}
}

// Two senders, each with its own connections to one database (two instances
// of Vouch), never deliver a mail twice.
func TestTwoSendersNeverDeliverTwice(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		other, err := store.Open(context.Background(), store.Config{DataDir: filepath.Dir(db.Path), URL: db.URL})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { other.Close() })
		sink := testutil.NewSMTPSink(t)
		const mails = 40
		var ms []vouch.Mail
		for i := range mails {
			ms = append(ms, vouch.Mail{To: "p@example.com", Subject: "mail " + string(rune('A'+i)), Body: "b"})
		}
		queue(t, db, ms...)
		for _, h := range []*store.DB{db, other} {
			s := notify.NewSender(h, sinkConfig(sink), quiet)
			s.Interval, s.Batch = 5*time.Millisecond, 3
			run(t, s)
		}
		deadline := time.Now().Add(20 * time.Second)
		for len(sink.Messages()) < mails && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		time.Sleep(300 * time.Millisecond)
		seen := map[string]int{}
		for _, m := range sink.Messages() {
			seen[m.MessageID]++
		}
		if len(seen) != mails {
			t.Errorf("%d distinct mails delivered, want %d", len(seen), mails)
		}
		for id, n := range seen {
			if n != 1 {
				t.Errorf("%s delivered %d times", id, n)
			}
		}
		for _, m := range outbox(t, db) {
			if m.Status != vouch.MailSent || m.Attempts != 1 {
				t.Errorf("outbox row: %+v", m)
			}
		}
	})
}

// Mail survives a restart: mail queued while no sender ran, and mail a
// sender claimed before it died, are sent by the next one.
func TestRestartPicksUpUnsentMail(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		sink := testutil.NewSMTPSink(t)
		queue(t, db, vouch.Mail{To: "a@example.com", Subject: "claimed by the dead", Body: "b"})
		if c, err := db.ClaimMail(ctx, time.Now(), 10, time.Minute); err != nil || len(c) != 1 {
			t.Fatalf("claim: %v, %v", c, err)
		}
		queue(t, db, vouch.Mail{To: "b@example.com", Subject: "queued while down", Body: "b"})

		// A sender that stops: Run returns when its context ends.
		first := notify.NewSender(db, notify.Config{Host: "127.0.0.1", Port: 1, From: "vouch@example.com", TLS: notify.TLSNone}, quiet)
		first.Interval = time.Hour
		stopCtx, stop := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { first.Run(stopCtx); close(done) }()
		time.Sleep(50 * time.Millisecond)
		stop()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("Run did not return after its context ended")
		}

		clk := vouch.FixedClock(time.Now().UTC().Add(2 * time.Minute)) // past the dead sender's lease and the backoff
		s := notify.NewSender(db, sinkConfig(sink), quiet)
		s.Clock, s.Interval = clk, 20*time.Millisecond
		run(t, s)
		sink.WaitFor(t, func(m testutil.Message) bool { return m.Subject == "queued while down" }, 10*time.Second)
		sink.WaitFor(t, func(m testutil.Message) bool { return m.Subject == "claimed by the dead" }, 10*time.Second)
		time.Sleep(100 * time.Millisecond)
		if n := len(sink.Messages()); n != 2 {
			t.Errorf("delivered %d mails, want 2", n)
		}
	})
}

func TestSenderWithoutSMTPKeepsMail(t *testing.T) {
	db := testutil.OpenDB(t, store.SQLite)
	queue(t, db, vouch.Mail{To: "ada@example.com", Subject: "s", Body: "b"})
	done := make(chan struct{})
	go func() { notify.NewSender(db, notify.Config{}, quiet).Run(context.Background()); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run without an SMTP host did not return")
	}
	if m := outbox(t, db)[0]; m.Status != vouch.MailPending || m.Attempts != 0 {
		t.Errorf("mail without SMTP: %+v", m)
	}
}

func TestConfigValidate(t *testing.T) {
	ok := notify.Config{Host: "smtp.example.com", Port: 587, From: "Vouch <vouch@example.com>"}
	if err := ok.Validate(); err != nil {
		t.Errorf("valid config: %v", err)
	}
	if err := (notify.Config{TLS: notify.TLSStartTLS, Port: 587}).Validate(); err != nil {
		t.Errorf("no SMTP at all is valid: %v", err)
	}
	if err := (notify.Config{TLS: "ssl"}).Validate(); err == nil {
		t.Errorf("a bad --smtp-tls without --smtp-host passed")
	}
	for _, tc := range []struct {
		change func(*notify.Config)
		want   string
	}{
		{func(c *notify.Config) { c.TLS = "ssl" }, "--smtp-tls"},
		{func(c *notify.Config) { c.From = "" }, "--smtp-from is required"},
		{func(c *notify.Config) { c.From = "vouch at example" }, "--smtp-from"},
		{func(c *notify.Config) { c.Port = 70000 }, "--smtp-port"},
		{func(c *notify.Config) { c.Username = "vouch" }, "VOUCH_SMTP_PASSWORD"},
	} {
		c := ok
		tc.change(&c)
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want an error naming %s", c, err, tc.want)
		}
	}
}

func TestBackoff(t *testing.T) {
	for n, want := range map[int]time.Duration{1: time.Minute, 2: 2 * time.Minute, 3: 4 * time.Minute, 6: 32 * time.Minute, 7: time.Hour, 9: time.Hour, 50: time.Hour} {
		for range 20 {
			if d := notify.Backoff(n); d < want*9/10 || d > want*11/10 {
				t.Errorf("Backoff(%d) = %s, want %s ± 10%%", n, d, want)
			}
		}
	}
}

// A mail from a team member carries their name with the server's address,
// and replies go to them.
func TestSenderNamesWhoSendsAndWhereRepliesGo(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		sink := testutil.NewSMTPSink(t)
		s := notify.NewSender(db, sinkConfig(sink), quiet)
		s.Interval = time.Hour
		run(t, s)
		queue(t, db, vouch.Mail{To: "maya@acme.example", Subject: "Would you do a call?", Body: "Hello Maya",
			FromName: "Tess Ng at Northwind", ReplyTo: "tess@northwind.example"})
		got := sink.WaitFor(t, func(m testutil.Message) bool { return m.Subject == "Would you do a call?" }, 10*time.Second)
		if got.From != "vouch@example.com" {
			t.Errorf("envelope from %q, want the server's address", got.From)
		}
		if h := got.Header.Get("From"); h != `"Tess Ng at Northwind" <vouch@example.com>` {
			t.Errorf("From: %q", h)
		}
		if h := got.Header.Get("Reply-To"); !strings.Contains(h, "tess@northwind.example") {
			t.Errorf("Reply-To: %q", h)
		}
		if row := outbox(t, db)[0]; row.FromName != "Tess Ng at Northwind" || row.ReplyTo != "tess@northwind.example" {
			t.Errorf("outbox keeps from %q, reply-to %q", row.FromName, row.ReplyTo)
		}
	})
}
