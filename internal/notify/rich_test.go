package notify_test

import (
	"strings"
	"testing"
	"time"

	"github.com/vouchhq/vouch/internal/notify"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// A mail with an HTML part goes out with its text beside it, the images
// the HTML shows inline by cid:, and its documents attached.
func TestSenderSendsHTMLWithInlineImageAndAttachment(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		sink := testutil.NewSMTPSink(t)
		s := notify.NewSender(db, sinkConfig(sink), quiet)
		s.Interval = time.Hour
		run(t, s)
		img := []byte("\x89PNG\r\n\x1a\nnot really an image")
		doc := []byte("%PDF-1.3 a document")
		queue(t, db, vouch.Mail{To: "exec@example.com", Subject: "Scorecard", Body: "The scorecard is attached.",
			HTML: `<p>The scorecard:</p><img src="cid:scorecard.png" alt="Scorecard">`,
			Attachments: []vouch.MailAttachment{
				{Name: "scorecard.png", MediaType: "image/png", ContentID: "scorecard.png", Data: img},
				{Name: "scorecard-2026-11.pdf", MediaType: "application/pdf", Data: doc}}})
		got := sink.WaitFor(t, func(m testutil.Message) bool { return m.Subject == "Scorecard" }, 10*time.Second)
		if strings.TrimSpace(got.Body) != "The scorecard is attached." {
			t.Errorf("text part %q", got.Body)
		}
		for _, want := range []string{"multipart/related", "multipart/alternative", "text/html", "<scorecard.png>"} {
			if !strings.Contains(got.Raw, want) {
				t.Errorf("the mail lacks %q:\n%s", want, got.Raw)
			}
		}
		byName := map[string]testutil.Attachment{}
		for _, a := range got.Attachments {
			byName[a.Name] = a
		}
		if a := byName["scorecard.png"]; string(a.Content) != string(img) || !strings.HasPrefix(a.ContentType, "image/png") {
			t.Errorf("inline image %+v", a)
		}
		if a := byName["scorecard-2026-11.pdf"]; string(a.Content) != string(doc) || !strings.HasPrefix(a.ContentType, "application/pdf") {
			t.Errorf("attached PDF %+v", a)
		}
		row := outbox(t, db)[0]
		full, err := db.OutboxMail(ctx, row.ID)
		if err != nil || len(full.Attachments) != 2 || full.HTML == "" {
			t.Errorf("the outbox keeps %+v, %v", full, err)
		}
	})
}
