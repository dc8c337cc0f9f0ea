package scorecard

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/vouchhq/vouch/internal/vouch"
)

// Scheduled delivery: each schedule mails the scorecard of the month or
// fiscal quarter that closed last (in the program's time zone) once, to
// its addresses, through the outbox: an HTML body with the PNG inline and
// the PDF attached. Every instance may run it; the period is claimed with
// one conditional UPDATE, so it goes out once.

// ScheduleInput is what a program manager gives to schedule the scorecard.
type ScheduleInput struct {
	Cadence    string
	Recipients string // addresses, one per line or separated by commas
	Filter     vouch.MetricFilter
}

// CreateSchedule schedules the scorecard's mail. The first goes out when
// the current period closes.
func (s *Sharing) CreateSchedule(ctx context.Context, by *vouch.User, in ScheduleInput) (*vouch.ScorecardSchedule, error) {
	if err := mayShare(by); err != nil {
		return nil, err
	}
	sc := &vouch.ScorecardSchedule{Cadence: in.Cadence, Recipients: []string{in.Recipients}, Filter: in.Filter}
	if err := vouch.CheckScorecardSchedule(sc); err != nil {
		return nil, err
	}
	ps, err := s.db.ProgramSettings(ctx)
	if err != nil {
		return nil, err
	}
	_, sc.LastPeriod = vouch.ClosedPeriod(sc.Cadence, s.db.Today(), ps.FiscalYearStart)
	if err := s.db.CreateScorecardSchedule(vouch.WithActor(ctx, vouch.UserActor(by)), sc); err != nil {
		return nil, err
	}
	return s.db.ScorecardSchedule(ctx, sc.ID)
}

// Schedules lists every schedule.
func (s *Sharing) Schedules(ctx context.Context, by *vouch.User) ([]*vouch.ScorecardSchedule, error) {
	if err := mayShare(by); err != nil {
		return nil, err
	}
	return s.db.ScorecardSchedules(ctx)
}

// DeleteSchedule stops schedule id.
func (s *Sharing) DeleteSchedule(ctx context.Context, by *vouch.User, id int64) error {
	if err := mayShare(by); err != nil {
		return err
	}
	return s.db.DeleteScorecardSchedule(vouch.WithActor(ctx, vouch.UserActor(by)), id)
}

// RunSchedules queues the mail of every schedule whose period closed and
// was not sent yet, and returns how many schedules it sent. baseURL makes
// the mail's link absolute. Safe to run as often as wanted, anywhere.
func (s *Sharing) RunSchedules(ctx context.Context, baseURL string) (int, error) {
	ctx = vouch.WithActor(ctx, vouch.Actor{Label: "system"})
	list, err := s.db.ScorecardSchedules(ctx)
	if err != nil || len(list) == 0 {
		return 0, err
	}
	ps, err := s.db.ProgramSettings(ctx)
	if err != nil {
		return 0, err
	}
	today := s.db.Today()
	sent := 0
	for _, sch := range list {
		p, key := vouch.ClosedPeriod(sch.Cadence, today, ps.FiscalYearStart)
		if sch.LastPeriod == key {
			continue
		}
		out, err := s.scheduledMail(ctx, sch, p, key, baseURL)
		if err != nil {
			return sent, fmt.Errorf("scorecard schedule %d: %w", sch.ID, err)
		}
		ok, err := s.db.ClaimScheduledPeriod(ctx, sch.ID, key, out)
		if err != nil {
			return sent, fmt.Errorf("scorecard schedule %d: %w", sch.ID, err)
		}
		if ok {
			sent++
		}
	}
	return sent, nil
}

// RunSchedulesEvery calls RunSchedules at once and then every interval
// until ctx ends. An hourly pass sends a period's scorecard within the
// hour after it closes.
func (s *Sharing) RunSchedulesEvery(ctx context.Context, interval time.Duration, baseURL func() string, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if n, err := s.RunSchedules(ctx, baseURL()); err != nil && ctx.Err() == nil {
			log.Error("scheduled scorecards", "err", err)
		} else if n > 0 {
			log.Info("scheduled scorecards queued", "schedules", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// keyTiles are the figures written in the mail's text.
var keyTiles = []vouch.MetricID{vouch.MetricRequestsReceived, vouch.MetricRequestsFulfilled, vouch.MetricFulfillmentRate,
	vouch.MetricRevenueInfluenced, vouch.MetricPipelineInfluenced, vouch.MetricWinRateLift, vouch.MetricActiveReferences}

type mailFigure struct{ Label, Value, Previous, Change string }

var scheduleHTML = template.Must(template.New("mail").Parse(`<!doctype html>
<html><body style="font-family:Arial,Helvetica,sans-serif;color:#111827;max-width:760px">
<h1 style="font-size:20px;margin:0 0 4px">{{.Title}}</h1>
<p style="margin:0 0 4px;color:#4b5563">{{.Period}}</p>
<p style="margin:0 0 12px;color:#4b5563">Filters: {{.Filters}}</p>
<img src="cid:scorecard.png" alt="The scorecard for {{.Period}}: the key figures and the monthly trend" width="720" style="max-width:100%;height:auto;border:1px solid #d1d5db">
<table style="border-collapse:collapse;margin:12px 0;font-size:14px">
<tr><th style="text-align:left;padding:4px 12px 4px 0">Figure</th><th style="text-align:right;padding:4px 12px">{{.Period}}</th><th style="text-align:right;padding:4px 12px">Before</th><th style="text-align:right;padding:4px 0">Change</th></tr>
{{range .Figures}}<tr><td style="padding:4px 12px 4px 0">{{.Label}}</td><td style="text-align:right;padding:4px 12px">{{.Value}}</td><td style="text-align:right;padding:4px 12px">{{.Previous}}</td><td style="text-align:right;padding:4px 0">{{.Change}}</td></tr>
{{end}}</table>
<p>Every figure is in the attached PDF{{if .Link}}; with a Vouch account, <a href="{{.Link}}">open the scorecard</a>{{end}}.</p>
<p style="color:#6b7280;font-size:12px">{{.Footer}}</p>
</body></html>`))

// scheduledMail is the outbox mail of sch for period p, one per recipient.
func (s *Sharing) scheduledMail(ctx context.Context, sch *vouch.ScorecardSchedule, p vouch.Period, key, baseURL string) (vouch.Outgoing, error) {
	q := vouch.MetricQuery{Filter: sch.Filter, From: p.First, To: p.Last}
	sc, err := s.compute(ctx, q)
	if err != nil {
		return vouch.Outgoing{}, err
	}
	ps, err := s.db.ProgramSettings(ctx)
	if err != nil {
		return vouch.Outgoing{}, err
	}
	name := exportPeriod(q)
	if p.Kind == vouch.PeriodQuarter {
		name = vouch.FiscalName(p, ps.FiscalYearStart) + " (" + name + ")"
	}
	opts := ExportOptions{Period: name, Filters: s.FilterLabels(ctx, sch.Filter), Generated: s.db.Now(), Zone: ps.Zone()}
	pdfData, err := PDF(sc, opts)
	if err != nil {
		return vouch.Outgoing{}, err
	}
	pngData, err := PNGImage(sc, opts)
	if err != nil {
		return vouch.Outgoing{}, err
	}
	link := ""
	if baseURL != "" {
		v := url.Values{"from": {q.From.String()}, "to": {q.To.String()}}
		link = strings.TrimRight(baseURL, "/") + "/scorecard?" + v.Encode()
	}
	var figures []mailFigure
	var text strings.Builder
	fmt.Fprintf(&text, "%s\n%s\nFilters: %s\n\n", opts.title(), name, opts.filters())
	for _, id := range keyTiles {
		t := sc.Tiles[id]
		if t == nil {
			continue
		}
		f := mailFigure{Label: vouch.Metric(id).Label, Value: exportValue(id, t.MetricValue), Previous: exportValue(id, t.Previous),
			Change: exportChange(id, t)}
		figures = append(figures, f)
		fmt.Fprintf(&text, "%s: %s (before: %s, change: %s)\n", f.Label, f.Value, f.Previous, f.Change)
	}
	text.WriteString("\nEvery figure is in the attached PDF.")
	if link != "" {
		text.WriteString(" With a Vouch account, open the scorecard: " + link)
	}
	who := "a program manager"
	if sch.CreatedByName != "" {
		who = sch.CreatedByName
	}
	cadence := "month"
	if sch.Cadence == vouch.CadenceQuarterly {
		cadence = "quarter"
	}
	footer := fmt.Sprintf("You receive this scorecard every %s because %s scheduled it. To stop it, ask %s.", cadence, who, who)
	text.WriteString("\n\n" + footer + "\n")
	var html bytes.Buffer
	if err := scheduleHTML.Execute(&html, map[string]any{"Title": opts.title(), "Period": name, "Filters": opts.filters(),
		"Figures": figures, "Link": link, "Footer": footer}); err != nil {
		return vouch.Outgoing{}, err
	}
	subject := opts.title() + ": " + name
	file := "scorecard-" + strings.ReplaceAll(strings.ToLower(key), " ", "-") + ".pdf"
	var out vouch.Outgoing
	for _, to := range sch.Recipients {
		out.Mails = append(out.Mails, vouch.Mail{To: to, Subject: subject, Body: text.String(), HTML: html.String(),
			Attachments: []vouch.MailAttachment{
				{Name: "scorecard.png", MediaType: "image/png", ContentID: "scorecard.png", Data: pngData},
				{Name: file, MediaType: "application/pdf", Data: pdfData}}})
	}
	return out, nil
}
