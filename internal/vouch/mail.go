package vouch

import "time"

// Mail is one email to send; it is stored in the outbox in the same
// transaction as the change it tells about, and sent from there.
type Mail struct {
	To        string `json:"to"`
	Subject   string `json:"subject"`
	Body      string `json:"body"`          // plain text
	ICS       string `json:"ics,omitempty"` // an iCalendar invitation to attach
	RequestID int64  `json:"request_id,omitempty"`
	// FromName is the sender's name shown with the server's address
	// ("Tess Ng at Northwind"); empty: the address as configured.
	FromName string `json:"from_name,omitempty"`
	// ReplyTo is where a reply goes (the team member who sent it); empty: the sender.
	ReplyTo string `json:"reply_to,omitempty"`
	// HTML, when set, is sent beside Body as the mail's rich part; its
	// images come from Attachments with a ContentID (cid:<ContentID>).
	HTML string `json:"html,omitempty"`
	// Attachments are files sent with the mail: inline images (ContentID
	// set) and attached documents.
	Attachments []MailAttachment `json:"attachments,omitempty"`
}

// MailAttachment is a file sent with a mail.
type MailAttachment struct {
	Name      string `json:"name"`
	MediaType string `json:"media_type"`
	// ContentID set: an image shown inline in the HTML part, as cid:<ContentID>.
	ContentID string `json:"content_id,omitempty"`
	Data      []byte `json:"-"`
}

// Outgoing is what a change tells people: mails and in-app notifications,
// written with the change so none is lost or sent for a change rolled back.
type Outgoing struct {
	Mails         []Mail
	Notifications []Notification
}

// MailMaxAttempts is how many times a mail is tried before it stays failed
// (until someone retries it from the outbox).
const MailMaxAttempts = 10

// Statuses of a mail in the outbox.
const (
	MailPending = "pending" // not sent yet: waiting for its first or next attempt
	MailSent    = "sent"
	MailFailed  = "failed" // gave up: MailMaxAttempts failures, or the server refused it for good
)

// MailStatuses lists every status of a mail in the outbox.
var MailStatuses = []string{MailPending, MailSent, MailFailed}

// OutboxMail is a mail in the outbox: queued, sent, or failed.
type OutboxMail struct {
	ID        int64  `json:"id"`
	MessageID string `json:"message_id"` // the Message-ID header, without angle brackets
	To        string `json:"to"`
	Subject   string `json:"subject"`
	Body      string `json:"body"`
	ICS       string `json:"ics,omitempty"`
	RequestID int64  `json:"request_id,omitempty"`
	FromName  string `json:"from_name,omitempty"` // see Mail
	ReplyTo   string `json:"reply_to,omitempty"`
	HTML      string `json:"-"` // see Mail
	// Attachments are loaded with a claim (for sending) and by OutboxMail.
	Attachments []MailAttachment `json:"-"`
	Status      string           `json:"status"` // MailPending, MailSent or MailFailed
	CreatedAt   time.Time        `json:"created_at"`
	Attempts    int              `json:"attempts"`   // tries so far, the successful one included
	LastError   string           `json:"last_error"` // why the last failed try failed
	SentAt      *time.Time       `json:"sent_at"`
	// NextAttemptAt is when a pending mail is tried next; zero once sent or failed.
	NextAttemptAt time.Time `json:"next_attempt_at"`
	// ClaimedUntil is set while a sender holds the mail.
	ClaimedUntil *time.Time `json:"claimed_until,omitempty"`
}

// OutboxFilter selects mails of the outbox.
type OutboxFilter struct {
	Status string // MailPending, MailSent, MailFailed, or "" for all
	Limit  int    // 50 when 0; at most 500
	Offset int
}

// ErrMailSent refuses retrying a mail that went out.
var ErrMailSent = Errorf(ECONFLICT, "This mail was already sent.")

// CheckMailRetry refuses retrying a mail in status: only unsent mail is retried.
func CheckMailRetry(status string) error {
	if status == MailSent {
		return ErrMailSent
	}
	return nil
}

// Validate checks the filter's status.
func (f OutboxFilter) Validate() error {
	if f.Status != "" && f.Status != MailPending && f.Status != MailSent && f.Status != MailFailed {
		return &Error{Code: EINVALID, Message: "Unknown mail status.",
			Fields: map[string]string{"status": "must be pending, sent or failed"}}
	}
	return nil
}
