package refsheet

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/vouchhq/vouch/internal/refindex"
	"github.com/vouchhq/vouch/internal/vouch"
)

// ValueNames resolves taxonomy value ids to names; *catalog.Catalog is one.
type ValueNames interface {
	ValueName(id int64) string
}

// Names turns the ids in references into what a spreadsheet shows.
type Names struct {
	Values ValueNames
	Users  map[int64]string // user id → email
}

// Formats an export can be written in.
const (
	FormatCSV  = "csv"
	FormatXLSX = "xlsx"
)

// formulaStart lists the first characters that make a spreadsheet program
// run a cell as a formula. A CSV export puts an apostrophe before such a
// cell, so a name like "=HYPERLINK(…)" stays text, and Read removes it again.
const formulaStart = "=+-@"

// Write writes the references of hits as a spreadsheet in the canonical
// columns (see Columns): format "csv" (UTF-8 with a byte order mark, so
// Excel reads accents right) or "xlsx".
func Write(w io.Writer, format string, hits []refindex.Hit, names Names) error {
	switch strings.ToLower(format) {
	case FormatCSV:
		return writeCSV(w, hits, names)
	case FormatXLSX:
		return writeXLSX(w, hits, names)
	}
	return vouch.Errorf(vouch.EINVALID, "Unknown export format %q; use csv or xlsx.", format)
}

func headers() []string {
	out := make([]string, len(Columns))
	for i, c := range Columns {
		out[i] = c.Header
	}
	return out
}

// exportRow is a reference as cells, in the order of Columns.
func exportRow(h refindex.Hit, n Names) []string {
	r, a := h.Reference, h.Account
	name := func(id int64) string {
		if id == 0 || n.Values == nil {
			return ""
		}
		return n.Values.ValueName(id)
	}
	list := func(ids []int64) string {
		parts := make([]string, 0, len(ids))
		for _, id := range ids {
			if s := name(id); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, "; ")
	}
	var acts []string
	for _, act := range r.Activities {
		s := name(act.TypeID)
		if s == "" {
			continue
		}
		if !act.ConsentedOn.IsZero() {
			s += " (" + act.ConsentedOn.String() + ")"
		}
		acts = append(acts, s)
	}
	capacity := ""
	if r.CapacityOverride != nil {
		capacity = strconv.Itoa(*r.CapacityOverride)
	}
	// The status as of today (a rest that ended is active), as the index
	// gives it, so the file says what Vouch shows; the rest's end only while it lasts.
	status := h.Status
	resting := ""
	if status == vouch.StatusResting {
		resting = r.RestingUntil.String()
	}
	return []string{
		a.Name, a.CRMID, a.Domain, name(a.IndustryID), name(a.SegmentID), name(a.RegionID), name(a.CountryID),
		name(a.SizeID), r.Name, r.Title, r.Seniority, r.Email, r.Phone, r.TimeZone, strings.Join(r.Languages, "; "),
		list(r.ProductIDs), list(r.UseCaseIDs), list(r.CompetitorIDs), strings.Join(acts, "; "), r.Deployment,
		r.GoLive.String(), r.Story, n.Users[r.OwnerID], r.LastVerified.String(), status.Label(), r.StatusReason,
		resting, capacity, r.CRMID,
	}
}

func writeCSV(w io.Writer, hits []refindex.Hit, names Names) error {
	bw := bufio.NewWriter(w)
	_, _ = bw.WriteString("\uFEFF") // a bufio.Writer keeps its first error: the Flush below returns it
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true // what spreadsheet programs write, and RFC 4180
	if err := cw.Write(headers()); err != nil {
		return err
	}
	for _, h := range hits {
		row := exportRow(h, names)
		for i, c := range row {
			row[i] = formulaSafe(c)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// formulaSafe puts an apostrophe before a cell a spreadsheet would run as a formula.
func formulaSafe(s string) string {
	if s != "" && strings.IndexByte(formulaStart, s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// columnWidths are the XLSX column widths, in characters, by column key.
var columnWidths = map[string]float64{"account": 28, "name": 24, "title": 28, "email": 30, "story": 60,
	"products": 24, "use_cases": 24, "activities": 30, "competitors_replaced": 22, "industry": 20, "owner": 26}

func writeXLSX(w io.Writer, hits []refindex.Hit, names Names) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "References"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for i, c := range Columns {
		width := 16.0
		if cw, ok := columnWidths[c.Key]; ok {
			width = cw
		}
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	head := make([]any, len(Columns))
	for i, h := range headers() {
		head[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	capacityCol := -1
	for i, c := range Columns {
		if c.Key == "capacity" {
			capacityCol = i
		}
	}
	for n, h := range hits {
		cells := exportRow(h, names)
		row := make([]any, len(cells))
		for i, c := range cells {
			// Text cells stay text: excelize writes strings as strings, never
			// formulas, and dates as ISO text read back the same on import.
			row[i] = c
			if i == capacityCol && c != "" {
				row[i], _ = strconv.Atoi(c)
			}
		}
		cell, err := excelize.CoordinatesToCellName(1, n+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("writing the workbook: %w", err)
	}
	return nil
}
