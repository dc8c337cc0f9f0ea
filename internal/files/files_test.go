package files

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"
)

func TestTypeComesFromTheBytes(t *testing.T) {
	pdf := []byte("%PDF-1.4\n%…\n")
	for _, c := range []struct {
		name string
		data []byte
		want *Kind  // nil: refused
		why  string // for a refusal: part of the reason
	}{
		{"a.pdf", pdf, PDF, ""},
		{"no-extension", pdf, PDF, ""},
		{"a.PDF", pdf, PDF, ""},
		{"a.txt", []byte("Plain words, UTF-8: café.\n"), Text, ""},
		{"a.csv", []byte("name,score\nAna,5\n"), CSV, ""},
		{"a.md", []byte("# Notes\n"), Text, ""},
		{"a.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), PNG, ""},
		{"a.jpeg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF"), JPEG, ""},
		{"a.gif", []byte("GIF89a\x01\x00\x01\x00"), GIF, ""},
		{"a.webp", []byte("RIFF\x00\x00\x00\x00WEBPVP8 "), WebP, ""},
		{"a.mp4", []byte("\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"), MP4, ""},
		{"a.webm", []byte("\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01"), WebM, ""},
		{"a.mp3", []byte("ID3\x03\x00\x00\x00\x00\x00\x00"), MP3, ""},
		{"a.pdf", []byte("<!DOCTYPE html><p>hi"), nil, "is HTML, not a PDF"},
		{"a.txt", []byte("  <script>alert(1)</script>"), nil, "is HTML, not plain text"},
		{"a.png", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>`), nil, "is an SVG image, not a PNG image"},
		{"a.html", []byte("just words"), nil, "never keeps"},
		{"a.svg", []byte("just words"), nil, "never keeps"},
		{"a.js", []byte("alert(1)"), nil, "never keeps"},
		{"a.exe", []byte("MZ\x90\x00"), nil, "of a type Vouch does not keep"},
		{"a.pdf", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), nil, "is a PNG image, not a PDF"},
		{"a.txt", []byte("caf\xe9 au lait"), nil, "not UTF-8"},
		{"a.zip", zipWith("readme.txt"), nil, "is a ZIP archive"},
		{"a.docx", zipWith("readme.txt"), nil, "is a ZIP archive, not a Word document"},
		{"a.docx", zipWith("word/document.xml"), DOCX, ""},
		{"a.pptx", zipWith("ppt/presentation.xml"), PPTX, ""},
		{"a.xlsx", zipWith("xl/workbook.xml"), XLSX, ""},
		{"a.doc", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00"), nil, "old Office file"},
		{"a.eml", []byte("From: a@b.example\r\nSubject: ok\r\n\r\nyes"), nil, "cannot be kept here"}, // not for the library
	} {
		k, refused := sniff(c.name, bytes.NewReader(c.data), int64(len(c.data)))
		got, err := decide(c.name, k, refused, Library)
		switch {
		case c.want != nil && got != c.want:
			t.Errorf("%s %q: got %v, %v; want %s", c.name, c.data, got, err, c.want.Label)
		case c.want == nil && (err == nil || !strings.Contains(err.Error(), c.why)):
			t.Errorf("%s %q: got %v, %v; want a refusal with %q", c.name, c.data, got, err, c.why)
		}
	}
	mail := []byte("Received: by mx\r\nFrom: Dana <d@n.example>\r\nSubject: ok\r\n\r\nApproved.")
	if k, r := sniff("ok.eml", bytes.NewReader(mail), int64(len(mail))); k != Mail || r != nil {
		t.Errorf("mail sniffed as %v", k)
	}
	if got, err := decide("ok.eml", Mail, nil, Documents); got != Mail || err != nil {
		t.Errorf("mail as a document: %v %v", got, err)
	}
}

func zipWith(name string) []byte {
	var b bytes.Buffer
	zw := zipWriter(&b)
	w, _ := zw.Create(name)
	w.Write([]byte("<x/>"))
	zw.Close()
	return b.Bytes()
}

func TestContentDispositionIsSafe(t *testing.T) {
	for name, want := range map[string]string{
		"report.pdf":               `attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`,
		`a"b\c;d.pdf`:              `attachment; filename="a_b_c_d.pdf"; filename*=UTF-8''a%22b%5Cc%3Bd.pdf`,
		"Bericht Ü 2026.pdf":       `attachment; filename="Bericht _ 2026.pdf"; filename*=UTF-8''Bericht%20%C3%9C%202026.pdf`,
		"日本.pdf":                   `attachment; filename="file.pdf"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.pdf`,
		"x\r\nSet-Cookie: a=b.txt": `attachment; filename="xSet-Cookie: a=b.txt"; filename*=UTF-8''x%0D%0ASet-Cookie%3A%20a%3Db.txt`,
	} {
		if got := ContentDisposition("attachment", name); got != want {
			t.Errorf("%q:\n got %s\nwant %s", name, got, want)
		}
	}
}

func TestNamesAreKeptClean(t *testing.T) {
	for in, want := range map[string]string{
		`C:\Users\ana\Desktop\case study.pdf`: "case study.pdf",
		"../../etc/passwd":                    "passwd",
		"":                                    "file",
		"tab\tand\x00nul.txt":                 "tabandnul.txt",
		strings.Repeat("é", 200) + ".pdf":     strings.Repeat("é", 125) + ".pdf",
	} {
		if got, err := cleanName(in); err != nil || got != want {
			t.Errorf("%q: %q %v, want %q", in, got, err, want)
		}
	}
}

func zipWriter(b *bytes.Buffer) *zip.Writer { return zip.NewWriter(b) }
