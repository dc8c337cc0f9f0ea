package web

import (
	"testing"
	"testing/fstest"
)

func TestStaticURLFollowsTheBytes(t *testing.T) {
	url := func(content string) string {
		t.Helper()
		s, err := newStaticFiles(fstest.MapFS{"style.css": {Data: []byte(content)}})
		if err != nil {
			t.Fatal(err)
		}
		u, err := s.URL("style.css")
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	a, again, b := url("body { color: black }"), url("body { color: black }"), url("body { color: red }")
	if a != again {
		t.Errorf("the same bytes got two URLs: %s, %s", a, again)
	}
	if a == b {
		t.Errorf("changed bytes kept the URL %s: browsers would keep the old file", a)
	}
	s, _ := newStaticFiles(fstest.MapFS{"style.css": {Data: []byte("x")}})
	if _, err := s.URL("app.css"); err == nil {
		t.Error("a URL for a file that does not exist")
	}
}
