package api_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/vouchhq/vouch/internal/content"
	"github.com/vouchhq/vouch/internal/files"
	"github.com/vouchhq/vouch/internal/server"
	"github.com/vouchhq/vouch/internal/store"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

func init() {
	// Downloads are files of the type sniffed at upload; the document says
	// their bodies are binary.
	for _, kinds := range [][]*files.Kind{files.Library, files.Documents} {
		for _, k := range kinds {
			openapi3filter.RegisterBodyDecoder(k.MediaType, openapi3filter.FileBodyDecoder)
		}
	}
}

// multipartBody is a multipart/form-data body with the file in part field.
func multipartBody(t testing.TB, field, name string, data []byte) (string, []byte) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, err := mw.CreateFormFile(field, name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	return mw.FormDataContentType(), b.Bytes()
}

// send sends req (its body is body) and checks request and response
// against openapi.yaml, as client.do does for JSON requests.
func (c *client) send(t testing.TB, req *http.Request, body []byte, offSpec bool) response {
	t.Helper()
	ctx := context.Background()
	check := req.Clone(ctx)
	check.Body = io.NopCloser(bytes.NewReader(body))
	route, params, err := c.router.FindRoute(check)
	if err != nil {
		t.Fatalf("%s %s is not in openapi.yaml: %v", req.Method, req.URL.Path, err)
	}
	input := &openapi3filter.RequestValidationInput{Request: check, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: bearerPresent}}
	reqErr := openapi3filter.ValidateRequest(ctx, input)
	if offSpec != (reqErr != nil) {
		t.Errorf("%s %s: openapi.yaml says %v, offSpec %v", req.Method, req.URL.Path, reqErr, offSpec)
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := response{status: resp.StatusCode, header: resp.Header, body: data}
	if err := openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
		RequestValidationInput: input, Status: r.status, Header: r.header, Body: io.NopCloser(bytes.NewReader(data)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}); err != nil {
		t.Errorf("response %d to %s %s does not match openapi.yaml: %v\n%.300s", r.status, req.Method, req.URL.Path, err, data)
	}
	return r
}

// upload posts data as item id's file, as role.
func (f *fixture) upload(t testing.TB, as string, id int64, name string, data []byte) response {
	t.Helper()
	ct, body := multipartBody(t, "file", name, data)
	req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/v1/content/%d/file", f.srv.URL, id), nil)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", "Bearer "+f.tokens[as])
	req.ContentLength = int64(len(body))
	return f.c.send(t, req, body, false)
}

// download gets item id's file, as role, with extra headers.
func (f *fixture) download(t testing.TB, base, as string, id int64, header ...string) response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/api/v1/content/%d/file", base, id), nil)
	req.Header.Set("Authorization", "Bearer "+f.tokens[as])
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return f.c.send(t, req, nil, false)
}

// contentItem creates a draft content item titled title.
func contentItem(t testing.TB, db *store.DB, title string) (*content.Service, *vouch.ContentItem) {
	t.Helper()
	_, cat, _ := testutil.ReadModels(t, db)
	s := content.New(db, cat)
	item, err := s.Create(seedCtx, vouch.ContentInput{Type: ptr("case study"), Title: ptr(title)})
	if err != nil {
		t.Fatal(err)
	}
	return s, item
}

func ptr[T any](v T) *T { return &v }

// waitText waits until item id's text is no longer pending.
func waitText(t testing.TB, db *store.DB, id int64) *vouch.ContentItem {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		item, err := db.ContentItem(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if item.TextStatus != vouch.TextPending {
			return item
		}
		if time.Now().After(deadline) {
			t.Fatalf("item %d's text still pending", id)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestContentFileUploadAndDownload(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		db := f.srv.DB
		lib, item := contentItem(t, db, "Nimbus Air case study")
		pdf := testutil.PDFBytes("Nimbus Air", "The avionics team saved 400 hours.")

		// Only the program team uploads.
		if r := f.upload(t, "seller", item.ID, "nimbus.pdf", pdf); r.status != http.StatusForbidden {
			t.Fatalf("seller upload: %d %s", r.status, r.body)
		}
		r := f.upload(t, "program_manager", item.ID, `../../Nimbus "final" é.pdf`, pdf)
		if r.status != http.StatusOK {
			t.Fatalf("upload: %d %s", r.status, r.body)
		}
		var up struct {
			File       vouch.ContentFile `json:"file"`
			TextStatus string            `json:"text_status"`
		}
		r.decode(t, &up)
		if up.File.MediaType != "application/pdf" || up.File.Size != int64(len(pdf)) || up.File.Name != `Nimbus "final" é.pdf` ||
			up.TextStatus != vouch.TextPending {
			t.Fatalf("uploaded %+v", up)
		}
		if got := waitText(t, db, item.ID); got.TextStatus != vouch.TextExtracted {
			t.Fatalf("text %s: %s", got.TextStatus, got.TextReason)
		}
		text, _ := db.ContentText(context.Background(), item.ID)
		if !strings.Contains(text, "avionics") {
			t.Errorf("extracted text %q", text)
		}

		// The download: the bytes, with the headers that keep it inert.
		r = f.download(t, f.srv.URL, "program_manager", item.ID)
		if r.status != http.StatusOK || !bytes.Equal(r.body, pdf) {
			t.Fatalf("download: %d, %d bytes", r.status, len(r.body))
		}
		for h, want := range map[string]string{
			"Content-Type":            "application/pdf",
			"X-Content-Type-Options":  "nosniff",
			"Content-Security-Policy": "sandbox; default-src 'none'",
			"Content-Disposition":     `attachment; filename="Nimbus _final_ _.pdf"; filename*=UTF-8''Nimbus%20%22final%22%20%C3%A9.pdf`,
			"Content-Length":          fmt.Sprint(len(pdf)),
		} {
			if got := r.header.Get(h); got != want {
				t.Errorf("%s: %q, want %q", h, got, want)
			}
		}
		r = f.download(t, f.srv.URL, "program_manager", item.ID, "Range", "bytes=0-4")
		if r.status != http.StatusPartialContent || string(r.body) != "%PDF-" {
			t.Errorf("range: %d %q", r.status, r.body)
		}

		// A seller sees a draft's file no more than the draft.
		if r := f.download(t, f.srv.URL, "seller", item.ID); r.status != http.StatusNotFound {
			t.Errorf("seller, draft: %d", r.status)
		}
		if _, err := lib.ChangeState(seedCtx, item.ID, 0, vouch.ContentStateChange{To: vouch.ContentAwaitingApproval}); err != nil {
			t.Fatal(err)
		}
		if _, err := lib.ChangeState(seedCtx, item.ID, 0, vouch.ContentStateChange{To: vouch.ContentApprovedExternal,
			Method: vouch.ApprovalByMail, ApprovedBy: "Dana Park"}); err != nil {
			t.Fatal(err)
		}
		if r := f.download(t, f.srv.URL, "seller", item.ID); r.status != http.StatusOK || !bytes.Equal(r.body, pdf) {
			t.Errorf("seller, approved: %d", r.status)
		}
	})
}

func TestContentFileRefusals(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		db := f.srv.DB
		_, item := contentItem(t, db, "Refusals")
		ps, _ := db.ProgramSettings(seedCtx)
		ps.MaxUploadMB = 1
		if err := db.SetProgramSettings(seedCtx, ps); err != nil {
			t.Fatal(err)
		}
		// The server's settings follow its own database's writes at once.

		check := func(r response, status int, want string) {
			t.Helper()
			var e errorBody
			r.decode(t, &e)
			if r.status != status || !strings.Contains(e.Error.Fields["file"], want) {
				t.Errorf("status %d, file %q; want %d and %q", r.status, e.Error.Fields["file"], status, want)
			}
		}
		check(f.upload(t, "admin", item.ID, "report.pdf", []byte("<html><body><script>alert(1)</script></body></html>")),
			http.StatusBadRequest, "is HTML, not a PDF")
		check(f.upload(t, "admin", item.ID, "big.txt", bytes.Repeat([]byte("a"), 1<<20+1)), http.StatusBadRequest, "is larger than the 1 MB limit")
		// A declared length over the limit is refused before a byte is read.
		check(f.upload(t, "admin", item.ID, "huge.txt", bytes.Repeat([]byte("a"), 2<<20)), http.StatusRequestEntityTooLarge, "is larger than the 1 MB limit")

		if n, chunks, err := db.FileStats(seedCtx); err != nil || n != 0 || chunks != 0 {
			t.Errorf("%d files and %d chunks kept (%v)", n, chunks, err)
		}
		if got, _ := db.ContentItem(seedCtx, item.ID); got.File != nil {
			t.Errorf("the item has a file: %+v", got.File)
		}
	})
}

// TestContentFilesAreSharedThroughPostgreSQL: with PostgreSQL the bytes are
// in file_chunks, so a second server on the same database, with no data
// directory in common, downloads the same file.
func TestContentFilesAreSharedThroughPostgreSQL(t *testing.T) {
	f := newFixture(t, store.Postgres)
	_, item := contentItem(t, f.srv.DB, "Shared")
	data := append(testutil.PDFBytes("shared words"), bytes.Repeat([]byte("%padding\n"), 300_000)...) // 2.6 MB: three chunks
	if r := f.upload(t, "admin", item.ID, "shared.pdf", data); r.status != http.StatusOK {
		t.Fatalf("upload: %d %s", r.status, r.body)
	}
	if n, chunks, err := f.srv.DB.FileStats(seedCtx); err != nil || n != 1 || chunks != 3 {
		t.Errorf("%d files in %d chunks (%v), want 1 in 3", n, chunks, err)
	}
	other, err := store.Open(context.Background(), store.Config{URL: f.srv.DB.URL})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	srv2, err := server.New(other, server.Config{Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv2.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv2.Serve(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	r := f.download(t, "http://"+srv2.Addr(), "admin", item.ID)
	if r.status != http.StatusOK || !bytes.Equal(r.body, data) {
		t.Fatalf("second server: %d, %d bytes of %d", r.status, len(r.body), len(data))
	}
}

func TestApprovalDocuments(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		lib, item := contentItem(t, f.srv.DB, "Approved story")
		mail := []byte("From: Dana Park <dana@nimbus.example>\r\nSubject: Re: case study\r\n\r\nApproved, go ahead.\r\n")
		post := func(as, name string, data []byte) response {
			ct, body := multipartBody(t, "file", name, data)
			req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/api/v1/content-documents", nil)
			req.Header.Set("Content-Type", ct)
			req.Header.Set("Authorization", "Bearer "+f.tokens[as])
			req.ContentLength = int64(len(body))
			return f.c.send(t, req, body, false)
		}
		if r := post("seller", "ok.eml", mail); r.status != http.StatusForbidden {
			t.Errorf("seller: %d", r.status)
		}
		if r := post("admin", "ok.eml", []byte("<html><script>x</script></html>")); r.status != http.StatusBadRequest {
			t.Errorf("HTML as a mail: %d %s", r.status, r.body)
		}
		r := post("team_member", "ok.eml", mail)
		if r.status != http.StatusCreated {
			t.Fatalf("store: %d %s", r.status, r.body)
		}
		var doc vouch.ContentFile
		r.decode(t, &doc)
		if doc.MediaType != "message/rfc822" {
			t.Errorf("kept as %s", doc.MediaType)
		}
		if _, err := lib.ChangeState(seedCtx, item.ID, 0, vouch.ContentStateChange{To: vouch.ContentAwaitingApproval}); err != nil {
			t.Fatal(err)
		}
		if _, err := lib.ChangeState(seedCtx, item.ID, 0, vouch.ContentStateChange{To: vouch.ContentApprovedExternal,
			Method: vouch.ApprovalByMail, ApprovedBy: "Dana Park", FileID: doc.ID}); err != nil {
			t.Fatal(err)
		}
		get := func(as string) response {
			req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/api/v1/content-documents/%d", f.srv.URL, doc.ID), nil)
			req.Header.Set("Authorization", "Bearer "+f.tokens[as])
			return f.c.send(t, req, nil, false)
		}
		if r := get("seller"); r.status != http.StatusForbidden {
			t.Errorf("seller download: %d", r.status)
		}
		r = get("program_manager")
		if r.status != http.StatusOK || !bytes.Equal(r.body, mail) || !strings.HasPrefix(r.header.Get("Content-Disposition"), "attachment") ||
			r.header.Get("Content-Type") != "message/rfc822" {
			t.Errorf("download: %d %v", r.status, r.header)
		}
	})
}
