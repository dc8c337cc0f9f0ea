// Package notify sends the outbox by SMTP.
//
// Store code queues mail in the outbox table in the transaction of the change
// it tells about; a Sender claims due mail, hands it to the SMTP server and
// records the outcome there. Everything it knows is in the database, so a
// restart, or another instance on the same PostgreSQL, carries on where it left.
package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	netmail "net/mail"
	"strings"
	"time"

	"github.com/wneessen/go-mail"

	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/vouch"
)

// TLS modes of Config.TLS.
const (
	TLSStartTLS = "starttls" // plain connection upgraded with STARTTLS, required (port 587)
	TLSImplicit = "tls"      // TLS from the first byte (port 465)
	TLSNone     = "none"     // no encryption: only for a relay on the same host or network
)

// Config says how to reach the SMTP server. Without a Host no mail is sent:
// it stays in the outbox.
type Config struct {
	Host     string
	Port     int // 587 when 0
	Username string
	Password string
	From     string // the sender, e.g. "Vouch <vouch@example.com>"
	TLS      string // TLSStartTLS (default), TLSImplicit or TLSNone
}

// Enabled reports whether mail is to be sent at all.
func (c Config) Enabled() bool { return c.Host != "" }

// Validate checks the configuration; its errors name the flag to fix. The
// sender and password are only required with a Host.
func (c Config) Validate() error {
	switch c.TLS {
	case "", TLSStartTLS, TLSImplicit, TLSNone:
	default:
		return fmt.Errorf("--smtp-tls %q must be starttls, tls or none", c.TLS)
	}
	if c.Port < 0 || c.Port > 65535 {
		return fmt.Errorf("--smtp-port %d is not a port number", c.Port)
	}
	if !c.Enabled() {
		return nil
	}
	if strings.TrimSpace(c.From) == "" {
		return errors.New("--smtp-from is required with --smtp-host: the address mail is sent from, e.g. \"Vouch <vouch@example.com>\"")
	}
	if _, err := netmail.ParseAddress(c.From); err != nil {
		return fmt.Errorf("--smtp-from %q is not an email address (%v)", c.From, err)
	}
	if c.Username != "" && c.Password == "" {
		return errors.New("--smtp-username is set but VOUCH_SMTP_PASSWORD is empty")
	}
	return nil
}

// Defaults of a Sender.
const (
	DefaultInterval = 5 * time.Second
	DefaultLease    = 10 * time.Minute
	DefaultBatch    = 20
	DefaultTimeout  = 20 * time.Second
)

// Sender sends the outbox. Its fields may be changed before Run.
type Sender struct {
	db  *store.DB
	cfg Config
	log *slog.Logger

	// Interval is how often it looks for due mail besides when this process
	// queues some (mail queued by another process waits up to this long).
	Interval time.Duration
	// Lease is how long a claimed mail is held against other senders; a
	// sender that dies with mail claimed leaves it to others after this long.
	Lease time.Duration
	// Batch is how many mails one connection sends at most.
	Batch int
	// Timeout bounds connecting and each SMTP exchange.
	Timeout time.Duration
	// Backoff is the wait after the n-th failed attempt (n ≥ 1).
	Backoff func(n int) time.Duration
	// Clock says when mail is due and when a failed one is tried again: the
	// database's clock unless a test sets its own.
	Clock *vouch.Clock
	// TLSConfig, when set, replaces the system's: e.g. to trust a private CA.
	TLSConfig *tls.Config
}

// NewSender returns a Sender of the outbox of db by cfg's server.
func NewSender(db *store.DB, cfg Config, log *slog.Logger) *Sender {
	if log == nil {
		log = slog.Default()
	}
	if cfg.Port == 0 {
		cfg.Port = 587
	}
	if cfg.TLS == "" {
		cfg.TLS = TLSStartTLS
	}
	return &Sender{db: db, cfg: cfg, log: log, Interval: DefaultInterval, Lease: DefaultLease,
		Batch: DefaultBatch, Timeout: DefaultTimeout, Backoff: Backoff, Clock: db.Clock}
}

// Backoff is the wait after the n-th failed attempt: 1 minute, doubling up
// to an hour, give or take 10% so that mails failed together spread out.
func Backoff(n int) time.Duration {
	d := time.Hour
	if n >= 1 && n <= 6 {
		d = time.Minute << (n - 1)
	}
	return time.Duration(float64(d) * (0.9 + 0.2*rand.Float64()))
}

// Run sends due mail until ctx ends: every Interval, and at once when this
// process queues mail. Without an SMTP host it returns at once and mail
// stays in the outbox.
func (s *Sender) Run(ctx context.Context) {
	if !s.cfg.Enabled() {
		return
	}
	wake := make(chan struct{}, 1)
	unsubscribe := s.db.Subscribe(func(ts []vouch.Touched) {
		for _, t := range ts {
			if t.Kind == vouch.EntityOutbox {
				select {
				case wake <- struct{}{}:
				default:
				}
				return
			}
		}
	})
	defer unsubscribe()
	s.log.Info("sending mail", "smtp", fmt.Sprintf("%s:%d", s.cfg.Host, s.cfg.Port), "tls", s.cfg.TLS, "from", s.cfg.From)
	tick := time.NewTicker(s.Interval)
	defer tick.Stop()
	for {
		n, err := s.SendDue(ctx)
		if err != nil && ctx.Err() == nil {
			s.log.Error("sending mail", "err", err)
		}
		if ctx.Err() != nil {
			return
		}
		if err == nil && n == s.Batch {
			continue // more may be due
		}
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-tick.C:
		}
	}
}

// SendDue claims due mail, one batch, and sends it over one connection. It
// returns how many mails it claimed. A mail's failure is recorded on the
// mail, not returned; the error is the outbox's.
func (s *Sender) SendDue(ctx context.Context) (int, error) {
	start := s.Clock.Now().UTC()
	mails, err := s.db.ClaimMail(ctx, start, s.Batch, s.Lease)
	if err != nil || len(mails) == 0 {
		return 0, err
	}
	// Outcomes are recorded even when ctx ends meanwhile: a mail the server
	// took must be marked sent.
	rec := context.WithoutCancel(ctx)
	client, err := s.client()
	if err == nil {
		err = client.DialWithContext(ctx)
	}
	if err != nil {
		for _, m := range mails {
			if ctx.Err() != nil {
				s.release(rec, m)
				continue
			}
			s.failed(rec, m, fmt.Errorf("connecting to %s:%d: %w", s.cfg.Host, s.cfg.Port, err), false)
		}
		return len(mails), nil
	}
	defer client.Close()
	for i, m := range mails {
		// Stop well within the lease, so no other sender takes a mail this
		// one is still sending.
		if ctx.Err() != nil || s.Clock.Now().Sub(start) > s.Lease/2 {
			for _, m := range mails[i:] {
				s.release(rec, m)
			}
			break
		}
		msg, err := s.message(m)
		if err != nil {
			s.failed(rec, m, err, true)
			continue
		}
		if err := client.Send(msg); err != nil {
			s.failed(rec, m, err, permanent(err))
			continue
		}
		if err := s.db.MarkMailSent(rec, m.ID); err != nil {
			// The server has the mail; it may be sent again after the
			// lease, with the same Message-ID.
			s.log.Error("mail sent but not recorded", "id", m.ID, "message_id", m.MessageID, "err", err)
			continue
		}
		s.log.Info("mail sent", "id", m.ID, "to", m.To, "subject", m.Subject, "attempt", m.Attempts+1)
	}
	return len(mails), nil
}

func (s *Sender) client() (*mail.Client, error) {
	opts := []mail.Option{mail.WithPort(s.cfg.Port), mail.WithTimeout(s.Timeout)}
	switch s.cfg.TLS {
	case TLSImplicit:
		opts = append(opts, mail.WithSSL())
	case TLSNone:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	}
	if s.TLSConfig != nil {
		tc := s.TLSConfig.Clone()
		if tc.ServerName == "" {
			tc.ServerName = s.cfg.Host
		}
		opts = append(opts, mail.WithTLSConfig(tc))
	}
	if s.cfg.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover),
			mail.WithUsername(s.cfg.Username), mail.WithPassword(s.cfg.Password))
	}
	return mail.NewClient(s.cfg.Host, opts...)
}

// message builds the mail as it is sent: every attempt the same, with the
// Message-ID fixed when it was queued.
func (s *Sender) message(m vouch.OutboxMail) (*mail.Msg, error) {
	msg := mail.NewMsg(mail.WithNoDefaultUserAgent())
	if err := msg.From(s.cfg.From); err != nil {
		return nil, fmt.Errorf("sender address %q: %w", s.cfg.From, err)
	}
	// The mail says who sends it by name, from the server's own address (the
	// one the SMTP server lets Vouch send from); replies go to that person.
	if name := strings.TrimSpace(m.FromName); name != "" {
		if from, err := netmail.ParseAddress(s.cfg.From); err == nil {
			if err := msg.FromFormat(name, from.Address); err != nil {
				return nil, fmt.Errorf("sender %q: %w", name, err)
			}
		}
	}
	if m.ReplyTo != "" {
		if err := msg.ReplyTo(m.ReplyTo); err != nil {
			return nil, fmt.Errorf("reply-to address %q: %w", m.ReplyTo, err)
		}
	}
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("recipient address %q: %w", m.To, err)
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(m.MessageID)
	msg.SetDateWithValue(m.CreatedAt)
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetBodyString(mail.TypeTextPlain, m.Body)
	if m.HTML != "" {
		// multipart/alternative of the text and the HTML; images the HTML
		// shows by cid: are embedded (multipart/related), the rest attached.
		msg.AddAlternativeString(mail.TypeTextHTML, m.HTML)
	}
	for _, a := range m.Attachments {
		opts := []mail.FileOption{mail.WithFileContentType(mail.ContentType(a.MediaType))}
		if a.ContentID != "" {
			opts = append(opts, mail.WithFileContentID("<"+a.ContentID+">"))
			if err := msg.EmbedReader(a.Name, bytes.NewReader(a.Data), opts...); err != nil {
				return nil, err
			}
			continue
		}
		if err := msg.AttachReader(a.Name, bytes.NewReader(a.Data), opts...); err != nil {
			return nil, err
		}
	}
	if m.ICS != "" {
		if err := msg.AttachReader("invite.ics", strings.NewReader(m.ICS),
			mail.WithFileContentType("text/calendar; method=REQUEST")); err != nil {
			return nil, err
		}
	}
	return msg, nil
}

// permanent reports whether the server refused the mail itself for good
// (5xx to the recipient or the content): sending it again would not help.
// Every other failure, a full mailbox or a connection lost, is retried.
func permanent(err error) bool {
	var se *mail.SendError
	if !errors.As(err, &se) || se.IsTemp() || se.ErrorCode() < 500 {
		return false
	}
	switch se.Reason {
	case mail.ErrSMTPRcptTo, mail.ErrSMTPData, mail.ErrSMTPDataClose:
		return true
	}
	return false
}

func (s *Sender) failed(ctx context.Context, m vouch.OutboxMail, err error, giveUp bool) {
	msg := err.Error()
	if giveUp {
		if err := s.db.GiveUpMail(ctx, m.ID, msg); err != nil {
			s.log.Error("recording a mail failure", "id", m.ID, "err", err)
		}
		s.log.Warn("mail refused: not retrying", "id", m.ID, "to", m.To, "err", msg)
		return
	}
	attempt := m.Attempts + 1
	next := s.Clock.Now().UTC().Add(s.Backoff(attempt))
	if err := s.db.MarkMailFailed(ctx, m.ID, msg, next); err != nil {
		s.log.Error("recording a mail failure", "id", m.ID, "err", err)
	}
	if attempt >= vouch.MailMaxAttempts {
		s.log.Warn("mail failed: giving up", "id", m.ID, "to", m.To, "attempts", attempt, "err", msg)
		return
	}
	s.log.Warn("mail not sent: will retry", "id", m.ID, "to", m.To, "attempt", attempt, "next", next, "err", msg)
}

func (s *Sender) release(ctx context.Context, m vouch.OutboxMail) {
	if err := s.db.ReleaseMail(ctx, m.ID); err != nil {
		s.log.Error("releasing a mail", "id", m.ID, "err", err)
	}
}
