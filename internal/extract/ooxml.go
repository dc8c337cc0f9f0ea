package extract

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
)

// maxPart bounds how much of one XML part is inflated, against a ZIP bomb.
const maxPart = 256 << 20

// openZip opens an Office Open XML file.
func openZip(r io.ReaderAt, size int64) (*zip.Reader, error) {
	head := make([]byte, 8)
	if n, _ := r.ReadAt(head, 0); n == len(head) && bytes.Equal(head, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}) {
		// Office keeps a password-protected file as an encrypted package
		// inside a compound file.
		return nil, unreadable("the document is encrypted (protected by a password)")
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, unreadable("the file is damaged: %v", err)
	}
	return zr, nil
}

// partText writes the text of the elements named textTag (w:t, a:t, t) of
// one part; each element named breakTag (a paragraph) ends a line.
func partText(f *zip.File, textTag, breakTag string, w *writer) error {
	rc, err := f.Open()
	if err != nil {
		return unreadable("the file is damaged: %s: %v", f.Name, err)
	}
	defer rc.Close()
	d := xml.NewDecoder(io.LimitReader(rc, maxPart))
	d.Strict = false
	inText := 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return unreadable("the file is damaged: %s: %v", f.Name, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case textTag:
				inText++
			case "tab", "br":
				if err := w.WriteString(" "); err != nil {
					return err
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case textTag:
				inText--
			case breakTag:
				w.Break()
			}
		case xml.CharData:
			if inText > 0 {
				if err := w.WriteString(string(t)); err != nil {
					return err
				}
			}
		}
	}
}

// docxText reads a Word document's body, then its footnotes and comments.
func docxText(ctx context.Context, r io.ReaderAt, size int64, w *writer, progress Progress) error {
	zr, err := openZip(r, size)
	if err != nil {
		return err
	}
	parts := map[string]*zip.File{}
	for _, f := range zr.File {
		parts[f.Name] = f
	}
	doc := parts["word/document.xml"]
	if doc == nil {
		return unreadable("the file is damaged: it has no word/document.xml")
	}
	todo := []*zip.File{doc}
	for _, name := range []string{"word/footnotes.xml", "word/endnotes.xml", "word/comments.xml"} {
		if f := parts[name]; f != nil {
			todo = append(todo, f)
		}
	}
	for i, f := range todo {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := partText(f, "t", "p", w); err != nil {
			return err
		}
		w.Break()
		progress(i+1, len(todo))
	}
	return nil
}

// pptxText reads every slide in order, each followed by its notes.
func pptxText(ctx context.Context, r io.ReaderAt, size int64, w *writer, progress Progress) error {
	zr, err := openZip(r, size)
	if err != nil {
		return err
	}
	slides := numbered(zr, "ppt/slides/slide")
	notes := map[int]*zip.File{}
	for _, n := range numbered(zr, "ppt/notesSlides/notesSlide") {
		notes[n.n] = n.f
	}
	if len(slides) == 0 {
		return unreadable("the deck has no slides")
	}
	for i, s := range slides {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := partText(s.f, "t", "p", w); err != nil {
			return err
		}
		w.Break()
		if f := notes[s.n]; f != nil {
			if err := partText(f, "t", "p", w); err != nil {
				return err
			}
			w.Break()
		}
		progress(i+1, len(slides))
	}
	return nil
}

// xlsxText reads a workbook's shared strings: the text of its cells.
func xlsxText(ctx context.Context, r io.ReaderAt, size int64, w *writer, progress Progress) error {
	zr, err := openZip(r, size)
	if err != nil {
		return err
	}
	for _, f := range zr.File {
		if f.Name == "xl/sharedStrings.xml" {
			if err := ctx.Err(); err != nil {
				return err
			}
			err := partText(f, "t", "si", w)
			progress(1, 1)
			return err
		}
	}
	return nil
}

type numberedPart struct {
	n int
	f *zip.File
}

// numbered returns the parts prefix<N>.xml ordered by N (slide10 after slide9).
func numbered(zr *zip.Reader, prefix string) []numberedPart {
	var out []numberedPart
	for _, f := range zr.File {
		rest, ok := strings.CutPrefix(f.Name, prefix)
		if !ok {
			continue
		}
		num, ok := strings.CutSuffix(rest, ".xml")
		if !ok {
			continue
		}
		if n, err := strconv.Atoi(num); err == nil {
			out = append(out, numberedPart{n, f})
		}
	}
	slices.SortFunc(out, func(a, b numberedPart) int { return a.n - b.n })
	return out
}
