package files

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/vouchhq/vouch/internal/vouch"
)

// Serve sends the file f, whose bytes are rc, as the answer to r. It is the
// one way every download leaves Vouch (item page, API, proof page), so the
// guards are in one place:
//   - Content-Type is the type sniffed at upload, never the name's;
//   - X-Content-Type-Options: nosniff, so no browser second-guesses it;
//   - Content-Security-Policy: sandbox, so even a file a browser renders
//     runs in an opaque origin with no script and reaches nothing of Vouch;
//   - Content-Disposition: attachment, with the name in RFC 6266 form;
//     inline only when asked and only for images, video and audio (a
//     browser refuses to show a PDF under a sandboxing CSP, so a PDF is
//     always a download).
//
// Range requests, If-None-Match (the ETag is the file's SHA-256) and HEAD
// are answered as http.ServeContent does, when rc can seek.
func Serve(w http.ResponseWriter, r *http.Request, f *vouch.ContentFile, rc io.ReadCloser, inline bool) {
	defer rc.Close()
	h := w.Header()
	h.Set("Content-Type", f.MediaType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Cache-Control", "private, no-cache")
	k := KindOf(f.MediaType)
	disposition := "attachment"
	if inline && k != nil && k.Inline {
		disposition = "inline"
	}
	h.Set("Content-Disposition", ContentDisposition(disposition, f.Name))
	if f.SHA256 != "" {
		h.Set("ETag", `"`+f.SHA256+`"`)
	}
	if rs, ok := rc.(io.ReadSeeker); ok {
		http.ServeContent(w, r, "", f.CreatedAt, rs)
		return
	}
	h.Set("Content-Length", strconv.FormatInt(f.Size, 10))
	if r.Method == http.MethodHead {
		return
	}
	_, _ = io.Copy(w, rc)
}

// ContentDisposition is the header value for a file called name: an ASCII
// fallback in filename (quotes, backslashes and anything else unsafe
// replaced) and the exact name in filename* (RFC 6266, RFC 8187).
func ContentDisposition(disposition, name string) string {
	var ascii strings.Builder
	for _, r := range name {
		switch {
		case r == '"' || r == '\\' || r == '/' || r == ';' || r == '%':
			ascii.WriteByte('_')
		case r < 0x20 || r == 0x7f:
		case r < 0x7f:
			ascii.WriteRune(r)
		default:
			ascii.WriteByte('_')
		}
	}
	fallback := ascii.String()
	if e := ext(fallback); strings.Trim(strings.TrimSuffix(fallback, e), "_. ") == "" {
		fallback = "file" + e // nothing of the name is left in ASCII
	}
	return disposition + `; filename="` + fallback + `"; filename*=UTF-8''` + encodeRFC8187(name)
}

// encodeRFC8187 percent-encodes all but RFC 8187's attr-char.
func encodeRFC8187(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9') || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}
