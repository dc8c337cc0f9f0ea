package files

import (
	"archive/zip"
	"bytes"
	"io"
	"net/http"
	"path"
	"slices"
	"strings"
	"unicode/utf8"
)

// Kind is a type of file Vouch keeps: how its bytes are recognised, the
// names it goes by, and how it is served.
type Kind struct {
	MediaType string   // stored and served as Content-Type
	Label     string   // in sentences: "a PDF", "a Word document (DOCX)"
	Exts      []string // the extensions a name of this kind may end in
	Inline    bool     // a browser may show it in the page (images, video, audio)
}

// The kinds Vouch keeps. Everything else, HTML, SVG and scripts above all,
// is refused: a file served from Vouch's origin must never be able to run
// script there, and the sandboxing CSP of Serve is the second guard, not
// the first.
var (
	PDF  = &Kind{MediaType: "application/pdf", Label: "a PDF", Exts: []string{".pdf"}}
	DOCX = &Kind{MediaType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		Label: "a Word document (DOCX)", Exts: []string{".docx"}}
	PPTX = &Kind{MediaType: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
		Label: "a PowerPoint deck (PPTX)", Exts: []string{".pptx"}}
	XLSX = &Kind{MediaType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		Label: "an Excel workbook (XLSX)", Exts: []string{".xlsx"}}
	Text = &Kind{MediaType: "text/plain; charset=utf-8", Label: "plain text",
		Exts: []string{".txt", ".text", ".md", ".log"}}
	CSV  = &Kind{MediaType: "text/csv; charset=utf-8", Label: "a CSV file", Exts: []string{".csv", ".tsv"}}
	Mail = &Kind{MediaType: "message/rfc822", Label: "a mail message (EML)", Exts: []string{".eml"}}
	PNG  = &Kind{MediaType: "image/png", Label: "a PNG image", Exts: []string{".png"}, Inline: true}
	JPEG = &Kind{MediaType: "image/jpeg", Label: "a JPEG image", Exts: []string{".jpg", ".jpeg"}, Inline: true}
	GIF  = &Kind{MediaType: "image/gif", Label: "a GIF image", Exts: []string{".gif"}, Inline: true}
	WebP = &Kind{MediaType: "image/webp", Label: "a WebP image", Exts: []string{".webp"}, Inline: true}
	MP4  = &Kind{MediaType: "video/mp4", Label: "an MP4 video", Exts: []string{".mp4", ".m4v"}, Inline: true}
	WebM = &Kind{MediaType: "video/webm", Label: "a WebM video", Exts: []string{".webm"}, Inline: true}
	MP3  = &Kind{MediaType: "audio/mpeg", Label: "an MP3 recording", Exts: []string{".mp3"}, Inline: true}
)

// Library is what a content item's file may be.
var Library = []*Kind{PDF, DOCX, PPTX, XLSX, Text, CSV, PNG, JPEG, GIF, WebP, MP4, WebM, MP3}

// Documents is what the proof of an approval may be: the customer's mail
// (saved as .eml, printed to PDF, or pasted as text), a signed document or
// a screenshot of it.
var Documents = []*Kind{PDF, DOCX, Text, Mail, PNG, JPEG, GIF, WebP}

// every kind, recognised or not allowed here, for naming what a file is.
var every = []*Kind{PDF, DOCX, PPTX, XLSX, Text, CSV, Mail, PNG, JPEG, GIF, WebP, MP4, WebM, MP3}

// KindOf returns the kind with mediaType, or nil.
func KindOf(mediaType string) *Kind {
	for _, k := range every {
		if k.MediaType == mediaType {
			return k
		}
	}
	return nil
}

// kindOfExt returns the kind a name's extension claims, or nil.
func kindOfExt(ext string) *Kind {
	for _, k := range every {
		if slices.Contains(k.Exts, ext) {
			return k
		}
	}
	return nil
}

// refusedType names bytes Vouch never keeps, with why.
type refusedType struct {
	label, why string
}

// cfbMagic starts a compound file: old Office formats, Outlook .msg, and
// password-protected Office Open XML files.
var cfbMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// headSize is how much of a file sniffing looks at, as http.DetectContentType.
const headSize = 512

// sniff decides what the size bytes of ra are, from the bytes: the kind,
// or what it is instead (HTML, a ZIP archive …) when Vouch keeps no such
// kind. The name only tells a password-protected DOCX, PPTX or XLSX from
// other compound files, which look alike from outside.
func sniff(name string, ra io.ReaderAt, size int64) (*Kind, *refusedType) {
	head := make([]byte, min(size, headSize))
	n, _ := ra.ReadAt(head, 0)
	head = head[:n]
	if size == 0 {
		return nil, &refusedType{"empty", "there is nothing in it"}
	}
	if bytes.HasPrefix(head, []byte("%PDF-")) {
		return PDF, nil
	}
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return sniffZip(ra, size)
	}
	if bytes.HasPrefix(head, cfbMagic) {
		if k := kindOfExt(ext(name)); k == DOCX || k == PPTX || k == XLSX {
			// A password-protected DOCX, PPTX or XLSX is an encrypted
			// package inside a compound file: kept as what its name says,
			// its text marked unreadable (encrypted).
			return k, nil
		}
		return nil, &refusedType{"an old Office file (DOC, PPT, XLS or an Outlook .msg)",
			"save it as PDF, DOCX, PPTX or XLSX (a mail as .eml or PDF) and upload that"}
	}
	if markup(head) != "" {
		return nil, &refusedType{markup(head), "Vouch does not keep web pages, SVG or XML, which could run script in a browser"}
	}
	// An MP3 without an ID3 tag starts with an MPEG audio frame.
	if len(head) >= 2 && head[0] == 0xFF && head[1]&0xE0 == 0xE0 && head[1]&0x06 != 0 {
		return MP3, nil
	}
	switch ct := http.DetectContentType(head); {
	case ct == "image/png":
		return PNG, nil
	case ct == "image/jpeg":
		return JPEG, nil
	case ct == "image/gif":
		return GIF, nil
	case ct == "image/webp":
		return WebP, nil
	case ct == "video/mp4":
		return MP4, nil
	case ct == "video/webm":
		return WebM, nil
	case ct == "audio/mpeg":
		return MP3, nil
	case strings.HasPrefix(ct, "text/plain"):
		if !utf8.Valid(trimPartialRune(head, size)) || strings.Contains(ct, "utf-16") {
			return nil, &refusedType{"text that is not UTF-8", "save it as UTF-8 text and upload that"}
		}
		if looksLikeMail(head) {
			return Mail, nil
		}
		return Text, nil
	case ct == "application/x-gzip", ct == "application/x-rar-compressed", ct == "application/zip":
		return nil, &refusedType{"an archive", "upload the documents in it one by one"}
	case ct == "application/javascript", ct == "text/javascript":
		return nil, &refusedType{"a script", "Vouch does not keep scripts"}
	}
	return nil, &refusedType{"of a type Vouch does not keep", "upload a PDF, Word, PowerPoint or Excel file, text, an image, a video or an MP3"}
}

// trimPartialRune drops a rune cut off at the end of the head, which is not
// a flaw of the file.
func trimPartialRune(head []byte, size int64) []byte {
	if int64(len(head)) == size {
		return head
	}
	for i := 0; i < utf8.UTFMax && len(head) > 0; i++ {
		r, _ := utf8.DecodeLastRune(head)
		if r != utf8.RuneError {
			break
		}
		head = head[:len(head)-1]
	}
	return head
}

// markup names the HTML, SVG or XML head starts with, or "" for none. Any
// of them anywhere in the head counts: browsers sniff generously, so a
// refusal must too.
func markup(head []byte) string {
	lower := bytes.ToLower(head)
	for _, m := range []struct{ tag, label string }{
		{"<svg", "an SVG image"}, {"<!doctype html", "HTML"}, {"<html", "HTML"}, {"<head", "HTML"},
		{"<body", "HTML"}, {"<script", "HTML"}, {"<iframe", "HTML"}, {"<object", "HTML"}, {"<embed", "HTML"},
		{"<img", "HTML"}, {"<a ", "HTML"}, {"<div", "HTML"}, {"<style", "HTML"}, {"<meta", "HTML"},
		{"<?xml", "XML"}, {"<!doctype", "HTML"},
	} {
		if bytes.Contains(lower, []byte(m.tag)) {
			return m.label
		}
	}
	return ""
}

// looksLikeMail reports whether text starts like a saved mail message: a
// header block with a From: field before the first empty line.
func looksLikeMail(head []byte) bool {
	lines := strings.Split(strings.ReplaceAll(string(head), "\r\n", "\n"), "\n")
	from := false
	for i, line := range lines {
		if line == "" {
			return from && i > 0
		}
		if i == len(lines)-1 {
			break // cut off at the end of the head
		}
		if line[0] == ' ' || line[0] == '\t' {
			continue // a folded header
		}
		name, _, ok := strings.Cut(line, ":")
		if !ok || name == "" || strings.ContainsAny(name, " \t") {
			return false
		}
		if strings.EqualFold(name, "From") {
			from = true
		}
	}
	return from
}

// sniffZip tells an Office Open XML file from any other ZIP archive by the
// parts inside it.
func sniffZip(ra io.ReaderAt, size int64) (*Kind, *refusedType) {
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return nil, &refusedType{"a damaged ZIP archive", "it cannot be opened"}
	}
	var word, ppt, xl bool
	for _, f := range zr.File {
		switch {
		case f.Name == "word/document.xml":
			word = true
		case f.Name == "ppt/presentation.xml":
			ppt = true
		case f.Name == "xl/workbook.xml":
			xl = true
		}
	}
	switch {
	case word:
		return DOCX, nil
	case ppt:
		return PPTX, nil
	case xl:
		return XLSX, nil
	}
	return nil, &refusedType{"a ZIP archive", "upload the documents in it one by one"}
}

// ext is a name's extension, in lower case.
func ext(name string) string {
	return strings.ToLower(path.Ext(name))
}

// neverNames are extensions refused whatever the bytes: a browser or a
// desktop would take such a file for a page or a program.
var neverNames = []string{".html", ".htm", ".xhtml", ".shtml", ".svg", ".svgz", ".xml", ".js", ".mjs", ".hta",
	".exe", ".bat", ".cmd", ".com", ".scr", ".ps1", ".vbs", ".jar", ".sh", ".msi", ".dll"}

// decide settles the kind of a file named name whose bytes were sniffed as
// k (or refused), against the kinds accepted here. The name's extension
// must agree with the bytes: a .pdf that is HTML is refused, not renamed.
func decide(name string, k *Kind, refused *refusedType, accept []*Kind) (*Kind, error) {
	e := ext(name)
	claimed := kindOfExt(e)
	if refused != nil {
		if claimed != nil {
			return nil, fileError("is %s, not %s — %s", refused.label, claimed.Label, refused.why)
		}
		return nil, fileError("is %s — %s", refused.label, refused.why)
	}
	if slices.Contains(neverNames, e) {
		return nil, fileError("has a %s name, which Vouch never keeps: browsers would open it as a page or a program", e)
	}
	switch {
	case k == Text && claimed == CSV:
		k = CSV
	case k == Mail && (claimed == Text || claimed == CSV || (claimed == nil && !slices.Contains(accept, Mail))):
		k = Text
		if claimed == CSV {
			k = CSV
		}
	}
	if claimed != nil && claimed != k {
		return nil, fileError("is %s, not %s — rename it to end in %s, or upload the file you meant", k.Label, claimed.Label, k.Exts[0])
	}
	if !slices.Contains(accept, k) {
		return nil, fileError("is %s, which cannot be kept here; upload %s", k.Label, labels(accept))
	}
	return k, nil
}

// labels lists kinds for a sentence: "a PDF, plain text or a PNG image".
func labels(kinds []*Kind) string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = k.Label
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
