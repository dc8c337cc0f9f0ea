package extract_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/extract"
	"github.com/vouchhq/vouch/internal/testutil"
)

const (
	pdfType  = "application/pdf"
	pptxType = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	textType = "text/plain; charset=utf-8"
)

func read(t *testing.T, mediaType string, data []byte) (string, error) {
	t.Helper()
	return extract.Text(context.Background(), mediaType, bytes.NewReader(data), int64(len(data)), nil)
}

func TestSlidesAreReadInOrder(t *testing.T) {
	slides := make([]string, 12)
	for i := range slides {
		slides[i] = fmt.Sprintf("slide%02d", i+1)
	}
	text, err := read(t, pptxType, testutil.PPTX(slides...))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Fields(text); strings.Join(got, " ") != strings.Join(slides, " ") {
		t.Errorf("slides read as %v", got)
	}
}

func TestLongTextKeepsNewWordsPastTheLimit(t *testing.T) {
	var b strings.Builder
	for b.Len() < 3*extract.MaxText {
		b.WriteString("again and again the same words ")
	}
	b.WriteString("Épilogue zanzibar\n")
	text, err := read(t, textType, []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(text) > extract.MaxText+extract.MaxTail {
		t.Errorf("kept %d bytes", len(text))
	}
	if !strings.Contains(text, "zanzibar") || !strings.Contains(text, "épilogue") {
		t.Errorf("the last words are not kept: …%s", text[len(text)-60:])
	}
}

func TestTextAcrossBlocksKeepsItsRunes(t *testing.T) {
	// é (2 bytes) lands on every block boundary somewhere in 600 KB.
	data := []byte(strings.Repeat("é", 300_000))
	text, err := read(t, textType, data)
	if err != nil {
		t.Fatal(err)
	}
	if text != string(data) {
		t.Errorf("runes were broken: %d bytes kept of %d", len(text), len(data))
	}
}

func TestUnreadableFilesSayWhy(t *testing.T) {
	good := testutil.PDFBytes("words")
	for name, c := range map[string]struct {
		mediaType string
		data      []byte
		want      string
	}{
		"cut PDF":        {pdfType, good[:len(good)/2], "the file is damaged"},
		"empty text":     {textType, []byte(" \n\t "), "has no text"},
		"PDF of nothing": {pdfType, testutil.PDFBytes(""), "no text layer"},
		"broken deck":    {pptxType, []byte("PK\x03\x04 not really a zip"), "the file is damaged"},
	} {
		_, err := read(t, c.mediaType, c.data)
		var u *extract.Unreadable
		if !errors.As(err, &u) || !strings.Contains(u.Reason, c.want) {
			t.Errorf("%s: %v, want unreadable: %q", name, err, c.want)
		}
	}
}
