package web_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/content"
	"github.com/vouchhq/vouch/internal/testutil"
	"github.com/vouchhq/vouch/internal/vouch"
)

// uploadForm posts the item page's upload form: the CSRF token first, as
// the form orders it, then the file. It returns the answer (not followed)
// and the flash it sets.
func uploadForm(t *testing.T, b *testutil.Browser, id int64, csrf, name string, data []byte) (*http.Response, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if csrf != "" {
		mw.WriteField("csrf", csrf)
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/content/%d/file", b.Base, id), &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", b.Base)
	c := *b.Client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	for _, ck := range resp.Cookies() {
		if ck.Name == "vouch_flash" && ck.Value != "" {
			_, enc, _ := strings.Cut(ck.Value, ":")
			msg, _ := base64.RawURLEncoding.DecodeString(enc)
			return resp, string(msg)
		}
	}
	return resp, ""
}

func TestContentFilePages(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		testutil.CreateUser(t, s.DB, "pm@example.com", vouch.RoleProgramManager)
		testutil.CreateUser(t, s.DB, "seller@example.com", vouch.RoleSeller)
		_, cat, _ := testutil.ReadModels(t, s.DB)
		lib := content.New(s.DB, cat)
		item, err := lib.Create(ctx, vouch.ContentInput{Type: ptr("case study"), Title: ptr("Nimbus Air")})
		if err != nil {
			t.Fatal(err)
		}
		pm := testutil.Login(t, s, "pm@example.com")
		pm.Get("/")
		seller := testutil.Login(t, s, "seller@example.com")
		seller.Get("/")
		pdf := testutil.PDFBytes("Nimbus Air flies further")

		// No token, another role, a lying name: nothing is kept.
		if resp, _ := uploadForm(t, pm, item.ID, "", "a.pdf", pdf); resp.StatusCode != http.StatusForbidden {
			t.Errorf("without CSRF token: %d", resp.StatusCode)
		}
		if resp, _ := uploadForm(t, seller, item.ID, seller.CSRF, "a.pdf", pdf); resp.StatusCode != http.StatusForbidden {
			t.Errorf("seller: %d", resp.StatusCode)
		}
		resp, msg := uploadForm(t, pm, item.ID, pm.CSRF, "a.pdf", []byte("<!doctype html><script>alert(1)</script>"))
		if resp.StatusCode != http.StatusSeeOther || !strings.Contains(msg, "is HTML, not a PDF") {
			t.Errorf("lying name: %d, flash %q", resp.StatusCode, msg)
		}
		if n, _, _ := s.DB.FileStats(ctx); n != 0 {
			t.Errorf("%d files kept", n)
		}

		resp, msg = uploadForm(t, pm, item.ID, pm.CSRF, "nimbus.pdf", pdf)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != fmt.Sprintf("/content/%d", item.ID) ||
			!strings.Contains(msg, "nimbus.pdf is uploaded") {
			t.Fatalf("upload: %d to %s, flash %q", resp.StatusCode, resp.Header.Get("Location"), msg)
		}
		got, err := s.DB.ContentItem(ctx, item.ID)
		if err != nil || got.File == nil || got.File.MediaType != "application/pdf" {
			t.Fatalf("item after upload: %+v %v", got, err)
		}

		// The download, and asking for it inline: a PDF stays an attachment.
		path := fmt.Sprintf("/content/%d/file", item.ID)
		for _, p := range []string{path, path + "?inline=1"} {
			resp, body := pm.Get(p)
			if resp.StatusCode != http.StatusOK || body != string(pdf) {
				t.Fatalf("%s: %d", p, resp.StatusCode)
			}
			if resp.Header.Get("X-Content-Type-Options") != "nosniff" ||
				resp.Header.Get("Content-Security-Policy") != "sandbox; default-src 'none'" ||
				!strings.HasPrefix(resp.Header.Get("Content-Disposition"), `attachment; filename="nimbus.pdf"`) {
				t.Errorf("%s: headers %v", p, resp.Header)
			}
		}
		// A seller does not see a draft, nor its file.
		if resp, _ := seller.Get(path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("seller, draft: %d", resp.StatusCode)
		}
	})
}

func ptr[T any](v T) *T { return &v }

// A buyer downloads a proof page's file with the same guards as the team.
func TestProofPageFileDownload(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *testutil.Server) {
		f := newContentFixture(t, s)
		testutil.CreateUser(t, s.DB, "sam@example.com", vouch.RoleSeller)
		testutil.CreateUser(t, s.DB, "pat@example.com", vouch.RoleProgramManager)
		story := f.item("Nimbus Air cuts reporting time", "Case study", "Days to minutes.", vouch.ContentApprovedExternal)
		pm := testutil.Login(t, s, "pat@example.com")
		pm.Get("/")
		pdf := testutil.PDFBytes("Nimbus Air: days to minutes")
		if resp, msg := uploadForm(t, pm, story.ID, pm.CSRF, "Nimbus Air.pdf", pdf); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload: %d %s", resp.StatusCode, msg)
		}
		seller := testutil.Login(t, s, "sam@example.com")
		_, token := makeProof(t, seller, url.Values{"title": {"Stories for Initech"}, "prospect": {"Initech"},
			"content": {strconv.FormatInt(story.ID, 10)}})
		resp, body := buyerGet(t, s, "/p/"+token+"/files/"+strconv.FormatInt(story.ID, 10))
		if resp.StatusCode != http.StatusOK || body != string(pdf) {
			t.Fatalf("buyer download: %d, %d bytes", resp.StatusCode, len(body))
		}
		for h, want := range map[string]string{
			"Content-Type":            "application/pdf",
			"X-Content-Type-Options":  "nosniff",
			"Content-Security-Policy": "sandbox; default-src 'none'",
			"Content-Disposition":     `attachment; filename="Nimbus Air.pdf"; filename*=UTF-8''Nimbus%20Air.pdf`,
		} {
			if got := resp.Header.Get(h); got != want {
				t.Errorf("%s: %q, want %q", h, got, want)
			}
		}
	})
}
