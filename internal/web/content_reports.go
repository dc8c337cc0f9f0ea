package web

import (
	"net/http"

	"github.com/vouchhq/vouch/internal/content"
	"github.com/vouchhq/vouch/internal/vouch"
)

// contentReportsPage is what content_reports.html shows.
type contentReportsPage struct {
	Kind       string
	Tabs       []contentReportTab
	Report     *content.Report
	Types      map[int64]string // content type names by value id
	MinRatings int
}

// contentReportTab is one report in the page's switcher.
type contentReportTab struct {
	Kind, Label string
	Current     bool
}

var contentReportLabels = map[string]string{content.ReportMostUsed: "Most used", content.ReportBestRated: "Best rated",
	content.ReportStale: "Stale", content.ReportGaps: "Gaps"}

// contentReports serves GET /content/reports: most used, best rated, stale
// and gaps, each as the viewer may see the library.
func (h *Handler) contentReports(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	kind, err := content.ParseReportKind(r.URL.Query().Get("kind"))
	if err != nil {
		h.fail(w, r, vouch.Errorf(vouch.EINVALID, "There is no report kind %q: choose most used, best rated, stale or gaps.", r.URL.Query().Get("kind")))
		return
	}
	rep, err := content.NewReports(h.opts.Content.DB(), h.opts.Library, h.opts.Catalog).Report(r.Context(), kind, u.Can(vouch.PermManageContent))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := &contentReportsPage{Kind: kind, Report: rep, Types: map[int64]string{}, MinRatings: content.MinRatings}
	for _, k := range content.ReportKinds {
		d.Tabs = append(d.Tabs, contentReportTab{Kind: k, Label: contentReportLabels[k], Current: k == kind})
	}
	for _, v := range h.opts.Catalog.Values(vouch.TaxContentType, true) {
		d.Types[v.ID] = v.Name
	}
	h.render(w, r, http.StatusOK, "content_reports", &page{Title: "Content reports: " + contentReportLabels[kind], Nav: "content", Data: d})
}
