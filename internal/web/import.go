package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vouchhq/vouch/internal/jobs"
	"github.com/vouchhq/vouch/internal/refsheet"
	"github.com/vouchhq/vouch/internal/vouch"
)

// The import wizard: upload a spreadsheet, map its headers to Vouch's
// columns, read the dry run's report, then import in the background while
// a status page shows progress. The uploaded file waits on the server's
// disk between steps, under a random id that only its uploader can use.

const (
	// maxUploadSize is the largest file the import page accepts (about
	// 40,000 rows of a typical sheet); larger files go through the command line.
	maxUploadSize = 20 << 20
	// importTTL is how long an upload, and then its import's outcome, is kept.
	importTTL = time.Hour
	// importPreviewRows is how many rows the mapping step shows.
	importPreviewRows = 5
	// importShownProblems caps the problems a page lists; the rest are in the CSV download.
	importShownProblems = 500
	// importRefreshSeconds is how often the status page reloads itself while an import runs.
	importRefreshSeconds = 1
	// importRecentJobs is how many imports the first step lists to come back to.
	importRecentJobs = 10
)

// uploadKey holds a parsed upload in a request's context.
const uploadKey ctxKey = 100

var importIDPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

// importer keeps uploads between the wizard's steps, on this server's disk.
// Imports themselves run as background jobs (internal/jobs), whose progress
// and outcome are in the database, so their status page outlives the
// upload and a restart.
type importer struct {
	mu      sync.Mutex
	dir     string // created on first upload
	uploads map[string]*importUpload
	jobs    *jobs.Runner
	clock   *vouch.Clock // when an upload was made, as the pages show it
}

func newImporter(runner *jobs.Runner, clock *vouch.Clock) *importer {
	return &importer{uploads: map[string]*importUpload{}, jobs: runner, clock: clock}
}

// importUpload is one uploaded file and what the person chose for it.
type importUpload struct {
	target    *importTarget
	ID        string
	Name      string // the file's name, as uploaded
	SheetName string // the worksheet read, for XLSX
	Format    string
	Size      int
	Rows      int
	UserID    int64
	Created   time.Time

	// Set by the mapping step (guarded by importer.mu).
	Mapping    refsheet.Mapping // nil: AutoMap's
	AddMissing bool
	Checked    bool               // the mapping step was submitted
	DateOrder  refsheet.DateOrder // how the file writes slashed dates, for a dated import; "": the file's dates tell

	path  string // the file on disk; "" once removed
	timer *time.Timer
}

// jobState is an import job as the status page shows it.
type jobState struct {
	Running  bool
	Started  time.Time
	Finished time.Time
	Done     int
	Total    int
	Percent  int
	Phase    string
	Report   *refsheet.Report
	Failed   string
}

// importState reads an import job's outcome: its report, once it succeeded.
func importState(j *vouch.Job) (*jobState, error) {
	s := &jobState{Running: j.Running(), Started: j.StartedAt, Done: j.Done, Total: j.Total, Percent: j.Percent(),
		Phase: j.Phase, Failed: j.Error}
	if j.FinishedAt != nil {
		s.Finished = *j.FinishedAt
	}
	if j.State == vouch.JobSucceeded {
		s.Report = &refsheet.Report{}
		if err := json.Unmarshal(j.Result, s.Report); err != nil {
			return nil, fmt.Errorf("import job %d's report: %w", j.ID, err)
		}
	}
	return s, nil
}

// Close stops imports still running (their transactions roll back, so
// nothing of them is written, and their jobs say so), waits for them, and
// removes the uploads. Call it before closing the database.
func (h *Handler) Close() {
	h.jobs.Close()
	h.imports.mu.Lock()
	defer h.imports.mu.Unlock()
	for _, up := range h.imports.uploads {
		if up.timer != nil {
			up.timer.Stop()
		}
	}
	if h.imports.dir != "" {
		os.RemoveAll(h.imports.dir)
		h.imports.dir = ""
	}
}

// save keeps data for the next steps and returns the upload.
func (im *importer) save(t *importTarget, u *vouch.User, name string, sheet *refsheet.Sheet, data []byte, addMissing bool) (*importUpload, error) {
	var raw [16]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return nil, err
	}
	id := hex.EncodeToString(raw[:])
	im.mu.Lock()
	defer im.mu.Unlock()
	if im.dir == "" {
		dir, err := os.MkdirTemp("", "vouch-imports-")
		if err != nil {
			return nil, fmt.Errorf("import directory: %w", err)
		}
		im.dir = dir
	}
	path := filepath.Join(im.dir, id)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return nil, fmt.Errorf("saving the upload: %w", err)
	}
	up := &importUpload{target: t, ID: id, Name: name, SheetName: sheet.SheetName, Format: sheet.Format, Size: len(data),
		Rows: len(sheet.Rows), UserID: u.ID, Created: im.clock.Now(), AddMissing: addMissing, path: path}
	im.uploads[id] = up
	// The upload is removed after importTTL of real time: the file on disk
	// is what expires, whatever the program's clock says.
	up.timer = time.AfterFunc(importTTL, func() { im.expire(id) })
	return up, nil
}

// expire forgets an upload an hour after it came, unless its import is
// still running; then it waits for that.
func (im *importer) expire(id string) {
	im.mu.Lock()
	defer im.mu.Unlock()
	up := im.uploads[id]
	if up == nil {
		return
	}
	if j, err := im.jobs.Latest(context.Background(), up.UserID, up.target.kind, up.ID); err == nil && j.Running() {
		up.timer = time.AfterFunc(10*time.Minute, func() { im.expire(id) })
		return
	}
	im.removeFile(up)
	delete(im.uploads, id)
}

// removeFile deletes an upload's file; the caller holds im.mu.
func (im *importer) removeFile(up *importUpload) {
	if up.path != "" {
		os.Remove(up.path)
		up.path = ""
	}
}

// get returns the user's upload with id for target t, or nil: another
// person's upload, or one for the other target, is as unknown as a made-up id.
func (im *importer) get(t *importTarget, id string, u *vouch.User) *importUpload {
	if !importIDPattern.MatchString(id) {
		return nil
	}
	im.mu.Lock()
	defer im.mu.Unlock()
	up := im.uploads[id]
	if up == nil || up.UserID != u.ID || up.target != t {
		return nil
	}
	return up
}

// recent lists the user's uploads for target t, newest first.
func (im *importer) recent(t *importTarget, u *vouch.User) []*importUpload {
	im.mu.Lock()
	defer im.mu.Unlock()
	var out []*importUpload
	for _, up := range im.uploads {
		if up.UserID == u.ID && up.target == t {
			out = append(out, up)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Created.After(out[j].Created) })
	return out
}

// choices returns what the mapping step last chose, and the upload's file.
func (im *importer) choices(up *importUpload) (mapping refsheet.Mapping, addMissing, checked bool, path string) {
	im.mu.Lock()
	defer im.mu.Unlock()
	return slices.Clone(up.Mapping), up.AddMissing, up.Checked, up.path
}

// removeUpload deletes an upload's file: its import is done with it.
func (im *importer) removeUpload(up *importUpload) {
	im.mu.Lock()
	defer im.mu.Unlock()
	im.removeFile(up)
}

// latestJob returns the newest import job of the upload id, or nil.
func (h *Handler) latestJob(r *http.Request, id string) (*vouch.Job, error) {
	j, err := h.jobs.Latest(r.Context(), userFrom(r.Context()).ID, targetOf(r).kind, id)
	if vouch.ErrorCode(err) == vouch.ENOTFOUND {
		return nil, nil
	}
	return j, err
}

func (im *importer) setChoices(up *importUpload, m refsheet.Mapping, addMissing bool, order refsheet.DateOrder) {
	im.mu.Lock()
	defer im.mu.Unlock()
	up.Mapping, up.AddMissing, up.Checked, up.DateOrder = m, addMissing, true, order
}

// dateOrder is the date order chosen for an upload.
func (im *importer) dateOrder(up *importUpload) refsheet.DateOrder {
	im.mu.Lock()
	defer im.mu.Unlock()
	return up.DateOrder
}

// uploadedFile is the file of an import form, read by readUpload.
type uploadedFile struct {
	name     string
	data     []byte
	tooLarge bool
}

// readUpload reads the import form's multipart body before the session
// checks: they would otherwise parse it whole, however large, and a file
// over the limit would look like a form without its CSRF token. Text
// fields become the request's form (so the token is checked as usual);
// the file, up to maxUploadSize, goes into the request's context.
func (h *Handler) readUpload(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, u := h.loadUser(r); u == nil || !u.Can(targetOf(r).perm) {
			next.ServeHTTP(w, r) // refused there, without reading the body
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxUploadSize+refsheet.MaxFileSize)
		mr, err := r.MultipartReader()
		if err != nil {
			next.ServeHTTP(w, r) // not multipart: the form is read as usual and has no file
			return
		}
		values := url.Values{}
		file := &uploadedFile{}
	parts:
		for range 20 {
			part, err := mr.NextPart()
			if err != nil {
				break
			}
			name := part.FormName()
			switch {
			case part.FileName() != "" || name == "file":
				if name != "file" || file.data != nil || file.tooLarge {
					_, _ = io.Copy(io.Discard, part) // skipped; a broken upload ends the loop at NextPart
					continue
				}
				file.name = part.FileName()
				data, err := io.ReadAll(io.LimitReader(part, maxUploadSize+1))
				if err != nil {
					file.name = "" // the upload broke off: as if no file came
					break parts
				}
				if len(data) > maxUploadSize {
					file.tooLarge = true
					// Read the rest, so the browser gets the answer rather
					// than a connection closed mid-upload.
					_, _ = io.Copy(io.Discard, r.Body)
				} else {
					file.data = data
				}
			default:
				v, _ := io.ReadAll(io.LimitReader(part, 64<<10))
				values.Add(name, string(v))
			}
		}
		r.PostForm = values
		r.Form = url.Values{}
		for k, v := range r.URL.Query() {
			r.Form[k] = v
		}
		for k, v := range values {
			r.Form[k] = append(r.Form[k], v...)
		}
		r.MultipartForm = &multipart.Form{Value: values}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), uploadKey, file)))
	})
}

// recentImport is an upload listed on the first step, to come back to.
type recentImport struct {
	Name    string
	Created time.Time
	State   string
	Class   string // the state's pill
	URL     string
	Dismiss string // where to post to dismiss a finished import's outcome
}

// importStartPage is what import.html shows.
type importStartPage struct {
	T          *importTarget
	MaxMB      int
	Columns    []importColumn
	AddMissing bool
	Recent     []recentImport
}

// importStart serves GET /references/import and GET /content/import: the first step, and the recent imports.
func (h *Handler) importStart(w http.ResponseWriter, r *http.Request) {
	h.renderImportStart(w, r, http.StatusOK, &page{Form: url.Values{}})
}

func (h *Handler) renderImportStart(w http.ResponseWriter, r *http.Request, status int, p *page) {
	u, t := userFrom(r.Context()), targetOf(r)
	d := &importStartPage{T: t, MaxMB: maxUploadSize >> 20, Columns: t.importColumns(), AddMissing: p.Form.Get("add_missing") != ""}
	// Imports started, from the database (they outlive their uploads and
	// restarts), then uploads not imported yet.
	started := map[string]bool{}
	list, err := h.jobs.Recent(r.Context(), u.ID, t.kind, importRecentJobs)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	for _, j := range list {
		started[j.Subject] = true
		ri := recentImport{Name: j.Title, Created: j.StartedAt, URL: t.Base + "/" + j.Subject + "/status"}
		if !j.Running() {
			ri.Dismiss = t.Base + "/" + j.Subject + "/dismiss"
		}
		switch st, err := importState(j); {
		case err != nil || j.State == vouch.JobFailed:
			ri.State, ri.Class = "Failed", "pill-bad"
		case st.Running:
			ri.State, ri.Class = "Importing, "+percent(st.Percent), "pill-accent"
		case st.Report.Written:
			ri.State, ri.Class = "Imported", "pill-ok"
		default:
			ri.State, ri.Class = "Nothing written", "pill-warn"
		}
		d.Recent = append(d.Recent, ri)
	}
	for _, up := range h.imports.recent(t, u) {
		_, _, checked, path := h.imports.choices(up)
		if started[up.ID] || path == "" {
			continue
		}
		ri := recentImport{Name: up.Name, Created: up.Created, State: "Columns to map", Class: "pill-muted",
			URL: t.Base + "/" + up.ID + "/mapping"}
		if checked {
			ri.State, ri.URL = "Checked, not imported", t.Base+"/"+up.ID+"/report"
		}
		d.Recent = append(d.Recent, ri)
	}
	slices.SortStableFunc(d.Recent, func(a, b recentImport) int { return b.Created.Compare(a.Created) })
	p.Title, p.Nav, p.Data = t.Heading, t.Nav, d
	h.render(w, r, status, "import", p)
}

// importTemplate serves GET /references/import/template.csv and GET /content/import/template.csv: an empty CSV with
// the layout's headers.
func (h *Handler) importTemplate(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	buf.WriteString("\uFEFF") // so Excel reads it as UTF-8
	cw := csv.NewWriter(&buf)
	t := targetOf(r)
	headers := make([]string, len(t.columns))
	for i, c := range t.columns {
		headers[i] = c.Header
	}
	_ = cw.Write(headers) // into a bytes.Buffer, which cannot fail
	cw.Flush()
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+t.template+`"`)
	_, _ = w.Write(buf.Bytes())
}

// uploadImport serves POST /references/import and POST /content/import: reads the uploaded file and, when it is a spreadsheet,
// keeps it and goes on to the mapping step.
func (h *Handler) uploadImport(w http.ResponseWriter, r *http.Request) {
	p, t := &page{Form: r.PostForm, Errors: map[string]string{}}, targetOf(r)
	if p.Form == nil {
		p.Form = url.Values{}
	}
	file, _ := r.Context().Value(uploadKey).(*uploadedFile)
	switch {
	case file != nil && file.tooLarge:
		p.Errors["file"] = fmt.Sprintf("The file is larger than %d MB. Split it into smaller files, or import it with the command line: %s.", maxUploadSize>>20, t.Command)
		h.renderImportStart(w, r, http.StatusRequestEntityTooLarge, p)
		return
	case file == nil || (file.name == "" && len(file.data) == 0):
		p.Errors["file"] = "Choose a CSV or Excel (.xlsx) file to import."
		h.renderImportStart(w, r, http.StatusBadRequest, p)
		return
	}
	name := filepath.Base(strings.ReplaceAll(file.name, `\`, "/"))
	if name == "." || name == "/" || name == "" {
		name = "the file"
	}
	sheet, err := refsheet.Read(name, bytes.NewReader(file.data), refsheet.ReadOptions{Layout: t.layout})
	if err != nil {
		if !isFormError(err) {
			h.serverError(w, r, err)
			return
		}
		p.Errors["file"] = vouch.ErrorMessage(err)
		h.renderImportStart(w, r, http.StatusBadRequest, p)
		return
	}
	up, err := h.imports.save(t, userFrom(r.Context()), name, sheet, file.data, p.Form.Get("add_missing") != "")
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, t.Base+"/"+up.ID+"/mapping", http.StatusSeeOther)
}

// importFor returns the upload the path names, or shows why there is none:
// an upload gone after its import (or a restart) leads to that import's
// outcome.
func (h *Handler) importFor(w http.ResponseWriter, r *http.Request) *importUpload {
	id, t := r.PathValue("id"), targetOf(r)
	up := h.imports.get(t, id, userFrom(r.Context()))
	if up == nil {
		if importIDPattern.MatchString(id) {
			if j, err := h.latestJob(r, id); err != nil {
				h.serverError(w, r, err)
				return nil
			} else if j != nil {
				http.Redirect(w, r, t.Base+"/"+id+"/status", http.StatusSeeOther)
				return nil
			}
		}
		h.importGone(w, r)
	}
	return up
}

func (h *Handler) importGone(w http.ResponseWriter, r *http.Request) {
	t := targetOf(r)
	h.render(w, r, http.StatusNotFound, "import_gone", &page{Title: "Import not found", Nav: t.Nav, Data: t})
}

// readSheet reads an upload's file again, as it was read when uploaded.
func (h *Handler) readSheet(up *importUpload, path string) (*refsheet.Sheet, error) {
	if path == "" {
		return nil, vouch.Errorf(vouch.ENOTFOUND, "The file was removed after it was imported; upload it again to import it again.")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading the upload: %w", err)
	}
	defer f.Close()
	return refsheet.Read(up.Name, f, refsheet.ReadOptions{Sheet: up.SheetName, Layout: up.target.layout})
}

// sheetFor reads the upload's sheet, or shows the problem and returns nil.
func (h *Handler) sheetFor(w http.ResponseWriter, r *http.Request, up *importUpload) (*refsheet.Sheet, refsheet.Mapping, bool) {
	m, addMissing, _, path := h.imports.choices(up)
	if path == "" {
		// Removed once imported, or once its import failed: the outcome is what is left.
		http.Redirect(w, r, up.target.Base+"/"+up.ID+"/status", http.StatusSeeOther)
		return nil, nil, false
	}
	sheet, err := h.readSheet(up, path)
	if err != nil {
		h.fail(w, r, err)
		return nil, nil, false
	}
	if len(m) != len(sheet.Headers) {
		m = up.target.layout.AutoMap(sheet.Headers)
	}
	return sheet, m, addMissing
}

// mappedHeader is one header of the sheet on the mapping step.
type mappedHeader struct {
	Index    int
	Field    string // the select's name
	Letter   string // the spreadsheet column, A, B, … AA
	Header   string
	Selected string
	Label    string // of the selected column
	Samples  []string
}

// previewRow is a row of the mapping step's preview.
type previewRow struct {
	Number int
	Cells  []string
}

// columnChoice is an option of the mapping step's selects.
type columnChoice struct{ Value, Label string }

// columnGroup is an optgroup of columnChoices.
type columnGroup struct {
	Label   string
	Choices []columnChoice
}

// importMappingPage is what import_mapping.html shows.
type importMappingPage struct {
	T          *importTarget
	Upload     *importUpload
	HeaderRow  int
	Rows       int
	Headers    []mappedHeader
	Groups     []columnGroup
	Preview    []previewRow
	AddMissing bool
	DateOrder  string // the date order chosen, for a dated import
}

// columnLetter is the spreadsheet's name of the i-th column: A … Z, AA ….
func columnLetter(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// importMapping serves GET /references/import/{id}/mapping and GET /content/import/{id}/mapping: the headers and
// the columns they feed.
func (h *Handler) importMapping(w http.ResponseWriter, r *http.Request) {
	up := h.importFor(w, r)
	if up == nil {
		return
	}
	sheet, m, addMissing := h.sheetFor(w, r, up)
	if sheet == nil {
		return
	}
	p := &page{Errors: map[string]string{}}
	if err := up.target.layout.Check(m, sheet.Headers); err != nil {
		p.Error = vouch.ErrorMessage(err)
	}
	h.renderMapping(w, r, http.StatusOK, p, up, sheet, m, addMissing)
}

func (h *Handler) renderMapping(w http.ResponseWriter, r *http.Request, status int, p *page, up *importUpload,
	sheet *refsheet.Sheet, m refsheet.Mapping, addMissing bool) {
	t := up.target
	groups, err := h.columnGroups(r, t, m)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	d := &importMappingPage{T: t, Upload: up, HeaderRow: sheet.HeaderRow, Rows: len(sheet.Rows), Groups: groups, AddMissing: addMissing,
		DateOrder: string(h.imports.dateOrder(up))}
	if _, ok := r.PostForm["date_order"]; ok {
		d.DateOrder = r.PostFormValue("date_order")
	}
	for _, row := range sheet.Rows[:min(importPreviewRows, len(sheet.Rows))] {
		pr := previewRow{Number: row.Number}
		for _, c := range row.Cells {
			pr.Cells = append(pr.Cells, shorten(c, 60))
		}
		d.Preview = append(d.Preview, pr)
	}
	for i, hd := range sheet.Headers {
		sel := m[i]
		if strings.HasPrefix(sel, "activity:") {
			// Use the picklist's spelling, so the select shows the choice.
			for _, c := range groups[len(groups)-1].Choices {
				if strings.EqualFold(c.Value, sel) {
					sel = c.Value
				}
			}
		}
		mh := mappedHeader{Index: i, Field: "col_" + strconv.Itoa(i), Letter: columnLetter(i), Header: hd, Selected: sel,
			Label: t.label(sel)}
		for _, row := range sheet.Rows[:min(100, len(sheet.Rows))] {
			if len(mh.Samples) == 3 {
				break
			}
			if v := shorten(row.Cells[i], 40); v != "" && !slices.Contains(mh.Samples, v) {
				mh.Samples = append(mh.Samples, v)
			}
		}
		d.Headers = append(d.Headers, mh)
	}
	p.Title, p.Nav, p.Data = "Map the columns of "+up.Name, t.Nav, d
	h.render(w, r, status, "import_mapping", p)
}

// shorten cuts s to n runes, on one line.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// checkImport serves POST /references/import/{id}/check and POST /content/import/{id}/check: takes the mapping step's choices and goes on to the report.
// A form without column choices keeps the mapping and changes only "add
// unknown values" (the report page's "check again").
func (h *Handler) checkImport(w http.ResponseWriter, r *http.Request) {
	up := h.importFor(w, r)
	if up == nil {
		return
	}
	sheet, m, _ := h.sheetFor(w, r, up)
	if sheet == nil {
		return
	}
	addMissing := r.PostFormValue("add_missing") != ""
	p := &page{Errors: map[string]string{}}
	order := h.imports.dateOrder(up)
	if _, ok := r.PostForm["date_order"]; ok && up.target.Dated {
		o, err := refsheet.ParseDateOrder(r.PostFormValue("date_order"))
		if err != nil {
			p.Errors["date_order"] = "Choose a date order from the list."
		}
		order = o
	}
	if _, ok := r.PostForm["col_0"]; ok || len(sheet.Headers) == 0 {
		m = make(refsheet.Mapping, len(sheet.Headers))
		for i := range sheet.Headers {
			field := "col_" + strconv.Itoa(i)
			col, err := up.target.layout.ParseColumn(r.PostFormValue(field))
			if err != nil {
				p.Errors[field] = "Choose a column from the list."
				continue
			}
			m[i] = col
		}
	}
	// Two headers feeding one column: say so next to each.
	first := map[string]int{}
	for i, c := range m {
		if c == "" {
			continue
		}
		k := strings.ToLower(c)
		if j, ok := first[k]; ok {
			p.Errors["col_"+strconv.Itoa(i)] = fmt.Sprintf("Also chosen for '%s' (column %s); ignore one of them.", sheet.Headers[j], columnLetter(j))
			if p.Errors["col_"+strconv.Itoa(j)] == "" {
				p.Errors["col_"+strconv.Itoa(j)] = fmt.Sprintf("Also chosen for '%s' (column %s); ignore one of them.", sheet.Headers[i], columnLetter(i))
			}
			continue
		}
		first[k] = i
	}
	err := up.target.layout.Check(m, sheet.Headers)
	if err == nil && len(p.Errors) > 0 {
		err = vouch.Errorf(vouch.EINVALID, "Some choices need fixing; see the columns marked below.")
	}
	if err != nil {
		p.Error = vouch.ErrorMessage(err)
		h.renderMapping(w, r, http.StatusBadRequest, p, up, sheet, m, addMissing)
		return
	}
	h.imports.setChoices(up, m, addMissing, order)
	http.Redirect(w, r, up.target.Base+"/"+up.ID+"/report", http.StatusSeeOther)
}

// mappedPair is a header and the column it feeds, for the report's summary.
type mappedPair struct{ Header, Column string }

// importReportPage is what import_report.html shows: the check step's dry
// run, or (with Job) the import's progress and outcome.
type importReportPage struct {
	T           *importTarget
	Upload      *importUpload
	Report      *refsheet.Report
	Valid       int            // rows without problems
	Groups      []problemGroup // the problems, by cause
	Repeats     []string       // notes on rows that repeat others exactly
	MoreRepeats int
	Choices     []importChoice // the ways to import, the one importing most rows first
	AddMissing  bool
	Mapped      []mappedPair

	Job      *jobState // nil on the check step
	CanRetry bool      // the file is still here: nothing was written
	Refresh  int       // seconds until the status page reloads itself; 0 when done
}

// importReport serves GET /references/import/{id}/report and GET /content/import/{id}/report: the dry run of the
// chosen mapping.
func (h *Handler) importReport(w http.ResponseWriter, r *http.Request) {
	up := h.importFor(w, r)
	if up == nil {
		return
	}
	_, _, checked, _ := h.imports.choices(up)
	if !checked {
		http.Redirect(w, r, up.target.Base+"/"+up.ID+"/mapping", http.StatusSeeOther)
		return
	}
	sheet, m, addMissing := h.sheetFor(w, r, up)
	if sheet == nil {
		return
	}
	rep, choices, err := h.importChoices(r, up, sheet, m, addMissing)
	if err != nil {
		if isFormError(err) {
			h.renderMapping(w, r, http.StatusBadRequest, &page{Error: vouch.ErrorMessage(err)}, up, sheet, m, addMissing)
			return
		}
		h.serverError(w, r, err)
		return
	}
	d := &importReportPage{T: up.target, Upload: up, AddMissing: addMissing}
	d.show(rep, choices)
	for i, c := range m {
		if c != "" {
			d.Mapped = append(d.Mapped, mappedPair{sheet.Headers[i], up.target.label(c)})
		}
	}
	h.render(w, r, http.StatusOK, "import_report", &page{Title: "Check " + up.Name, Nav: up.target.Nav, Data: d})
}

// importChoices checks the sheet (a dry run) and works out the ways to import it.
func (h *Handler) importChoices(r *http.Request, up *importUpload, sheet *refsheet.Sheet, m refsheet.Mapping, addMissing bool) (*refsheet.Report, []refsheet.Choice, error) {
	order := h.imports.dateOrder(up)
	return refsheet.ChoicesOf(func(o refsheet.Options) (*refsheet.Report, error) {
		o.DateOrder = order
		return up.target.plan(r.Context(), h.db, sheet, m, o)
	}, refsheet.Options{AddMissing: addMissing, DateOrder: order})
}

// show fills the page from a report and the choices it leaves.
func (d *importReportPage) show(rep *refsheet.Report, choices []refsheet.Choice) {
	d.Report, d.Valid = rep, rep.Rows-rep.Rejected
	d.Groups = problemGroups(rep.Errors, importShownProblems)
	d.Repeats, d.MoreRepeats = repeatNotes(rep)
	listed := 0
	for _, g := range d.Groups {
		listed += len(g.Values) + g.MoreValues
	}
	d.Choices = importChoices(choices, rep, listed)
}

// importProblems serves GET /references/import/{id}/problems.csv and GET /content/import/{id}/problems.csv: every problem of the import as a CSV, to fix the file by.
func (h *Handler) importProblems(w http.ResponseWriter, r *http.Request) {
	up := h.importFor(w, r)
	if up == nil {
		return
	}
	var rep *refsheet.Report
	if j, err := h.latestJob(r, up.ID); err != nil {
		h.serverError(w, r, err)
		return
	} else if j != nil && j.State == vouch.JobSucceeded {
		s, err := importState(j)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		rep = s.Report
	}
	if rep == nil {
		sheet, m, addMissing := h.sheetFor(w, r, up)
		if sheet == nil {
			return
		}
		var err error
		if rep, err = up.target.plan(r.Context(), h.db, sheet, m, refsheet.Options{AddMissing: addMissing, DateOrder: h.imports.dateOrder(up)}); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	cw := csv.NewWriter(&buf)
	_ = cw.Write([]string{"Row", "Column", "Value", "Problem"}) // into a bytes.Buffer, which cannot fail
	for _, e := range rep.Errors {
		_ = cw.Write([]string{strconv.Itoa(e.Row), e.Column, cellText(e.Value), e.Reason})
	}
	cw.Flush()
	base := strings.TrimSuffix(up.Name, filepath.Ext(up.Name))
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, safeFileName(base+"-problems.csv")))
	_, _ = w.Write(buf.Bytes())
}

// cellText keeps a spreadsheet program from running a value as a formula.
func cellText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// safeFileName keeps a download's name to characters every browser takes.
func safeFileName(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 0x80 && (r == '.' || r == '-' || r == '_' || r == ' ' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			b.WriteRune(r)
		} else {
			b.WriteRune('_')
		}
	}
	return b.String()
}

// applyImport serves POST /references/import/{id}/apply and POST /content/import/{id}/apply: starts the import as a background job and shows its status.
func (h *Handler) applyImport(w http.ResponseWriter, r *http.Request) {
	up := h.importFor(w, r)
	if up == nil {
		return
	}
	u := userFrom(r.Context())
	// The report's choices say whether to add unknown values (as the
	// upload may have asked already) and whether to import the valid rows only.
	validOnly, addMissing := r.PostFormValue("valid_only") != "", r.PostFormValue("add_missing") != ""
	im := h.imports
	// Under the lock, so that two clicks start one import.
	im.mu.Lock()
	defer im.mu.Unlock()
	last, err := h.latestJob(r, up.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	if last != nil && (last.Running() || up.path == "") {
		// A second click, or the back button: the import is under way or done.
		http.Redirect(w, r, up.target.Base+"/"+up.ID+"/status", http.StatusSeeOther)
		return
	}
	if !up.Checked {
		http.Redirect(w, r, up.target.Base+"/"+up.ID+"/mapping", http.StatusSeeOther)
		return
	}
	path, m, opts := up.path, slices.Clone(up.Mapping), refsheet.Options{AddMissing: up.AddMissing || addMissing, ValidOnly: validOnly, DateOrder: up.DateOrder}
	// The job runs as the person who started it.
	ctx := vouch.WithActor(r.Context(), vouch.UserActor(u))
	_, err = h.jobs.Start(ctx, u.ID, up.target.kind, up.ID, up.Name, func(ctx context.Context, p *jobs.Progress) (any, error) {
		return h.runImport(ctx, p, up, path, m, opts)
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, up.target.Base+"/"+up.ID+"/status", http.StatusSeeOther)
}

// runImport imports an upload: the work of its job. The file is removed
// once it was imported or the import failed; it stays when bad rows stopped
// the import, so the valid rows can be imported next.
func (h *Handler) runImport(ctx context.Context, p *jobs.Progress, up *importUpload, path string, m refsheet.Mapping, opts refsheet.Options) (*refsheet.Report, error) {
	p.Phase("Checking rows")
	sheet, err := h.readSheet(up, path)
	if err != nil {
		return nil, err
	}
	if len(m) != len(sheet.Headers) {
		m = nil // AutoMap's
	}
	rep, err := up.target.apply(ctx, h.db, sheet, m, opts, func(done, total int) {
		p.Phase("Writing " + up.target.Noun)
		p.Set(done, total)
	})
	if err != nil || rep.Written {
		h.imports.removeUpload(up)
	}
	if err != nil {
		return nil, err
	}
	if rep.Written {
		h.log.Info("import", "target", up.target.Noun, "file", up.Name, "created", rep.Created, "updated", rep.Updated, "rejected", rep.Rejected)
	}
	return rep, nil
}

// importStatus serves GET /references/import/{id}/status and GET /content/import/{id}/status: shows an import's progress, then its outcome. It needs only
// the job: the upload may be gone (imported, failed, or lost in a restart).
func (h *Handler) importStatus(w http.ResponseWriter, r *http.Request) {
	id, t := r.PathValue("id"), targetOf(r)
	u := userFrom(r.Context())
	up := h.imports.get(t, id, u)
	var j *vouch.Job
	if importIDPattern.MatchString(id) {
		var err error
		if j, err = h.latestJob(r, id); err != nil {
			h.serverError(w, r, err)
			return
		}
	}
	switch {
	case j == nil && up == nil:
		h.importGone(w, r)
		return
	case j == nil:
		http.Redirect(w, r, t.Base+"/"+id+"/report", http.StatusSeeOther)
		return
	}
	st, err := importState(j)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	canRetry := false
	if up != nil {
		_, _, _, path := h.imports.choices(up)
		canRetry = path != ""
	} else {
		up = &importUpload{target: t, ID: id, Name: j.Title}
	}
	d := &importReportPage{T: t, Upload: up, Job: st, Report: st.Report, CanRetry: canRetry}
	if st.Running {
		d.Refresh = importRefreshSeconds
		// The HTML standard's Refresh header: the page reloads itself with no script.
		w.Header().Set("Refresh", strconv.Itoa(d.Refresh))
	}
	if rep := st.Report; rep != nil {
		var choices []refsheet.Choice
		if !rep.Written && canRetry {
			// Bad rows stopped the import: offer the ways on, checked afresh.
			sheet, m, addMissing := h.sheetFor(w, r, up)
			if sheet == nil {
				return
			}
			if _, choices, err = h.importChoices(r, up, sheet, m, addMissing); err != nil {
				h.fail(w, r, err)
				return
			}
		}
		d.show(rep, choices)
	}
	title := "Importing " + up.Name
	if !st.Running {
		title = "Import of " + up.Name
	}
	h.render(w, r, http.StatusOK, "import_report", &page{Title: title, Nav: t.Nav, Data: d})
}

// dismissImport serves POST /references/import/{id}/dismiss and POST /content/import/{id}/dismiss: the person has read what their import did.
func (h *Handler) dismissImport(w http.ResponseWriter, r *http.Request) {
	j, err := h.latestJob(r, r.PathValue("id"))
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	if j == nil {
		h.importGone(w, r)
		return
	}
	if err := h.jobs.Dismiss(r.Context(), userFrom(r.Context()).ID, j.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, targetOf(r).Base, "Dismissed the import of "+j.Title+".")
}
