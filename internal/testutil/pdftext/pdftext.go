// Package pdftext reads back the text of PDFs Vouch writes, for tests that
// check what a reader of the printed page sees. It imports nothing of
// Vouch, so tests of any package, the PDF writers included, can use it.
package pdftext

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ledongthuc/pdf"
)

// Text is the text of every page of the PDF b, a line per row of
// text, and its number of pages: what a reader of the printed page sees.
func Text(t testing.TB, b []byte) (string, int) {
	t.Helper()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("the PDF does not read back: %v", err)
	}
	var sb strings.Builder
	for i := 1; i <= r.NumPage(); i++ {
		p := r.Page(i)
		if p.V.IsNull() {
			continue
		}
		rows, err := p.GetTextByRow()
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			for _, w := range row.Content {
				sb.WriteString(w.S)
			}
			sb.WriteString("\n")
		}
	}
	return sb.String(), r.NumPage()
}

// Words is Text with its spaces and line breaks collapsed to one space.
func Words(t testing.TB, b []byte) (string, int) {
	t.Helper()
	text, pages := Text(t, b)
	return strings.Join(strings.Fields(text), " "), pages
}
