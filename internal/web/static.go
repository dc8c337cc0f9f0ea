package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

// Static files (style sheet, script, icon) are served under a name that
// carries a hash of their bytes, style.3f9a1c0b2d.css, computed once at
// start from the embedded files. The name changes whenever the file does,
// so browsers may keep it for a year without asking again; the plain names
// (/static/style.css) still answer, with a short cache, so old bookmarks
// and cached pages keep working.

const (
	// immutableCache is for hashed names: their bytes never change.
	immutableCache = "public, max-age=31536000, immutable"
	// plainCache is for plain names, whose bytes change with each release.
	plainCache = "public, max-age=300"
)

// staticFile is one embedded file, served under its hashed and its plain name.
type staticFile struct {
	name   string // the plain name, style.css
	hashed string // style.3f9a1c0b2d.css
	etag   string
	data   []byte
}

// staticFiles are the embedded static files, by plain and by hashed name.
type staticFiles struct {
	byName   map[string]*staticFile
	byHashed map[string]*staticFile
}

// newStaticFiles reads every file of fsys and names it by its content.
func newStaticFiles(fsys fs.FS) (*staticFiles, error) {
	s := &staticFiles{byName: map[string]*staticFile{}, byHashed: map[string]*staticFile{}}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		ext, hash := path.Ext(name), hex.EncodeToString(sum[:5])
		f := &staticFile{name: name, hashed: strings.TrimSuffix(name, ext) + "." + hash + ext, etag: `"` + hash + `"`, data: data}
		s.byName[f.name], s.byHashed[f.hashed] = f, f
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("static files: %w", err)
	}
	return s, nil
}

// URL is the address of the static file name ("style.css") that pages link
// to: its hashed name. An unknown name is an error, so a page that links to
// a missing file fails its test rather than a browser.
func (s *staticFiles) URL(name string) (string, error) {
	f := s.byName[name]
	if f == nil {
		return "", fmt.Errorf("no static file %q", name)
	}
	return "/static/" + f.hashed, nil
}

// ServeHTTP serves GET /static/{name}, by hashed name for a year, by plain
// name for a few minutes.
func (s *staticFiles) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/static/")
	cache := immutableCache
	f := s.byHashed[name]
	if f == nil {
		f, cache = s.byName[name], plainCache
	}
	if f == nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Cache-Control", cache)
	w.Header().Set("ETag", f.etag) // so a plain name's copy is checked, not fetched again
	http.ServeContent(w, r, f.name, time.Time{}, bytes.NewReader(f.data))
}
