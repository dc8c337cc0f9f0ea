// Package extract reads the words of an uploaded file so they can be
// searched: plain text and CSV as they are, PDF with
// github.com/ledongthuc/pdf, DOCX, PPTX and XLSX with archive/zip and
// encoding/xml from the standard library.
//
// Extraction is bounded: at most MaxText bytes of text are kept and it
// stops when its context ends. A file that cannot be read (damaged,
// encrypted, a PDF with no text layer) is an *Unreadable error with a
// reason for people; a panic inside a library is one too, never a crash.
package extract

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxText is how much text of one file is kept as it reads (bytes of
// UTF-8): far more than any case study, and a bound on what a huge file
// costs the index. Past it, reading goes on and only words not seen yet
// are kept, up to MaxTail more bytes, so a word on the last page of a
// long document is still found.
const (
	MaxText = 2 << 20
	MaxTail = 1 << 20
)

// The media types text is read from (as internal/files names them).
const (
	typePDF  = "application/pdf"
	typeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	typePPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	typeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	typeText = "text/plain; charset=utf-8"
	typeCSV  = "text/csv; charset=utf-8"
)

// Supports reports whether text is read from files of mediaType; others
// (images, video, audio) have none.
func Supports(mediaType string) bool {
	switch mediaType {
	case typePDF, typeDOCX, typePPTX, typeXLSX, typeText, typeCSV:
		return true
	}
	return false
}

// Unreadable is why a file's text could not be read, in words for the
// people who uploaded it: "the PDF is encrypted".
type Unreadable struct {
	Reason string
}

func (u *Unreadable) Error() string { return u.Reason }

func unreadable(format string, args ...any) error {
	return &Unreadable{Reason: fmt.Sprintf(format, args...)}
}

// Progress is told how far extraction is: done of total units (pages,
// slides, bytes).
type Progress func(done, total int)

// Text reads the words of the size bytes of r, a file of mediaType. Its
// errors are *Unreadable for a file that cannot be read, ctx's error when
// ctx ended, or a read error of r.
func Text(ctx context.Context, mediaType string, r io.ReaderAt, size int64, progress Progress) (text string, err error) {
	if progress == nil {
		progress = func(int, int) {}
	}
	defer func() {
		if v := recover(); v != nil {
			text, err = "", unreadable("the file is damaged: %v", v)
		}
	}()
	w := &writer{}
	switch mediaType {
	case typePDF:
		err = pdfText(ctx, r, size, w, progress)
	case typeDOCX:
		err = docxText(ctx, r, size, w, progress)
	case typePPTX:
		err = pptxText(ctx, r, size, w, progress)
	case typeXLSX:
		err = xlsxText(ctx, r, size, w, progress)
	case typeText, typeCSV:
		err = plainText(ctx, r, size, w, progress)
	default:
		return "", unreadable("Vouch does not read text from %s files", mediaType)
	}
	if errors.Is(err, errFull) {
		err = nil
	}
	if err != nil {
		return "", err
	}
	text = w.String()
	if strings.TrimSpace(text) == "" {
		if mediaType == typePDF {
			return "", unreadable("the PDF has no text layer (a scan or pictures of text)")
		}
		return "", unreadable("the file has no text")
	}
	return text, nil
}

// errFull stops a reader once MaxText is kept.
var errFull = errors.New("extract: text limit reached")

// writer keeps text up to MaxText, with each run of white space as one
// space (or one line break, when it held one) and no control characters;
// then new words only, up to MaxTail more.
type writer struct {
	b       strings.Builder
	space   bool            // white space is pending
	newline bool            // … and it held a line break
	seen    map[string]bool // once MaxText is reached: the words kept, in lower case
}

// WriteString adds s; it returns errFull once nothing more can be kept.
func (w *writer) WriteString(s string) error {
	if w.seen != nil {
		return w.tail(s)
	}
	for i, r := range s {
		if r == utf8.RuneError || unicode.IsSpace(r) || unicode.IsControl(r) {
			if w.b.Len() > 0 {
				w.space = true
				w.newline = w.newline || r == '\n'
			}
			continue
		}
		if w.b.Len()+1+utf8.RuneLen(r) > MaxText {
			w.seen = map[string]bool{}
			for _, word := range words(w.b.String()) {
				w.seen[word] = true
			}
			return w.tail(s[i:])
		}
		if w.space {
			sep := byte(' ')
			if w.newline {
				sep = '\n'
			}
			w.b.WriteByte(sep)
			w.space, w.newline = false, false
		}
		w.b.WriteRune(r)
	}
	return nil
}

// tail keeps the words of s not kept yet. It runs over every byte of a
// long document, so it splits by hand rather than allocating: a word is a
// run of ASCII letters and digits and of any non-ASCII bytes.
func (w *writer) tail(s string) error {
	start := -1
	for i := 0; i <= len(s); i++ {
		if i < len(s) && isWordByte(s[i]) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start < 0 {
			continue
		}
		word := s[start:i]
		start = -1
		if hasUpper(word) {
			word = strings.ToLower(word)
		}
		if w.seen[word] {
			continue
		}
		if w.b.Len()+1+len(word) > MaxText+MaxTail {
			return errFull
		}
		w.seen[strings.Clone(word)] = true
		w.b.WriteByte(' ')
		w.b.WriteString(word)
	}
	return nil
}

func isWordByte(c byte) bool {
	return c >= 0x80 || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9')
}

func hasUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; ('A' <= c && c <= 'Z') || c >= 0x80 {
			return true
		}
	}
	return false
}

// words splits s as tail does, in lower case.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return r < 0x80 && !isWordByte(byte(r))
	})
}

// Break separates what comes next (a paragraph, a page) by a line break.
func (w *writer) Break() {
	if w.b.Len() > 0 {
		w.space, w.newline = true, true
	}
}

func (w *writer) String() string { return w.b.String() }

// plainText keeps a text file's words, reading it in blocks.
func plainText(ctx context.Context, r io.ReaderAt, size int64, w *writer, progress Progress) error {
	const block = 256 << 10
	buf := make([]byte, block+utf8.UTFMax)
	carry := 0
	for off := int64(0); off < size; {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := r.ReadAt(buf[carry:carry+block], off)
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		off += int64(n)
		data := buf[:carry+n]
		// A rune cut at the block's end waits for the next block.
		keep := 0
		if off < size {
			for i := len(data) - 1; i >= 0 && i >= len(data)-utf8.UTFMax; i-- {
				if utf8.RuneStart(data[i]) {
					if !utf8.FullRune(data[i:]) {
						keep = len(data) - i
					}
					break
				}
			}
		}
		if err := w.WriteString(string(data[:len(data)-keep])); err != nil {
			return err
		}
		carry = copy(buf, data[len(data)-keep:])
		progress(int(min(off, size)>>10), int(size>>10))
		if n == 0 {
			break
		}
	}
	return nil
}
