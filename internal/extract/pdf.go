package extract

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"

	"github.com/ledongthuc/pdf"
)

// pdfText reads the text of every page, in order.
func pdfText(ctx context.Context, r io.ReaderAt, size int64, w *writer, progress Progress) error {
	rd, err := pdf.NewReaderEncrypted(r, size, nil)
	if err != nil {
		return pdfProblem(err)
	}
	pages, err := pdfPages(rd)
	if err != nil {
		return err
	}
	progress(0, len(pages))
	// Pages are read in parallel, a batch at a time (the reader is not
	// changed once open), and written in order.
	workers := max(1, min(runtime.GOMAXPROCS(0), 4))
	batch := workers * 8
	texts := make([]string, batch)
	errs := make([]error, batch)
	var firstErr error
	failed := 0
	for from := 0; from < len(pages); from += batch {
		if err := ctx.Err(); err != nil {
			return err
		}
		n := min(batch, len(pages)-from)
		next := make(chan int, n)
		for i := range n {
			next <- i
		}
		close(next)
		var wg sync.WaitGroup
		for range min(workers, n) {
			wg.Go(func() {
				for i := range next {
					texts[i], errs[i] = pageText(pages[from+i])
				}
			})
		}
		wg.Wait()
		for i := range n {
			if errs[i] != nil {
				// One broken page does not lose the others' words.
				failed++
				if firstErr == nil {
					firstErr = errs[i]
				}
				continue
			}
			w.Break()
			if err := w.WriteString(texts[i]); err != nil {
				return err
			}
			texts[i] = ""
		}
		progress(from+n, len(pages))
	}
	if failed > 0 && failed == len(pages) {
		return unreadable("the file is damaged: %s", firstErr)
	}
	return nil
}

// pageText is one page's text; a panic of the library on a broken page
// (it recovers most of its own) is that page's error, not the server's.
func pageText(p pdf.Page) (text string, err error) {
	defer func() {
		if v := recover(); v != nil {
			text, err = "", fmt.Errorf("%v", v)
		}
	}()
	return p.GetPlainText(nil)
}

// maxPages bounds a page tree walked, against a file that claims millions.
const maxPages = 100_000

// pdfPages walks the page tree once, in reading order. (The library's
// Page(n) walks it from the root for every page, which is quadratic.)
func pdfPages(rd *pdf.Reader) ([]pdf.Page, error) {
	root := rd.Trailer().Key("Root").Key("Pages")
	if root.IsNull() {
		return nil, unreadable("the file is damaged: it has no pages")
	}
	var pages []pdf.Page
	var walk func(node pdf.Value, depth int) error
	walk = func(node pdf.Value, depth int) error {
		if depth > 64 {
			return unreadable("the file is damaged: its page tree is too deep")
		}
		kids := node.Key("Kids")
		for i := 0; i < kids.Len(); i++ {
			kid := kids.Index(i)
			switch kid.Key("Type").Name() {
			case "Pages":
				if err := walk(kid, depth+1); err != nil {
					return err
				}
			case "Page":
				if len(pages) >= maxPages {
					return nil
				}
				pages = append(pages, pdf.Page{V: kid})
			}
		}
		return nil
	}
	if err := walk(root, 0); err != nil {
		return nil, err
	}
	return pages, nil
}

// pdfProblem says why a PDF could not be opened.
func pdfProblem(err error) error {
	msg := err.Error()
	switch {
	case errors.Is(err, pdf.ErrInvalidPassword), strings.Contains(strings.ToLower(msg), "encrypt"):
		return unreadable("the PDF is encrypted")
	case strings.Contains(msg, "invalid header"):
		return unreadable("the file is damaged: it does not start as a PDF 1.x file does")
	}
	return unreadable("the file is damaged: %s", msg)
}
