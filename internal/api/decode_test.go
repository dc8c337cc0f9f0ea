package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/vouchhq/vouch/internal/vouch"
)

// Every string of a JSON body is checked, and the error names it by its path.
func TestDecodeRefusesControlCharacters(t *testing.T) {
	type contact struct {
		Name  string `json:"name"`
		Notes string `json:"notes"`
	}
	type body struct {
		Name     string         `json:"name"`
		Story    string         `json:"story"`
		Tags     []string       `json:"tags"`
		Contacts []contact      `json:"contacts"`
		Extra    map[string]any `json:"extra"`
	}
	for _, c := range []struct{ json, field string }{
		{`{"name":"Acme","story":"one\ntwo\r\n\tthree","tags":["a","b"],"contacts":[{"name":"Jo","notes":"x\ny"}]}`, ""},
		{`{"name":"a\u0000b"}`, "name"},
		{`{"name":"tab\there"}`, "name"},
		{`{"story":"bell\u0007"}`, "story"},
		{`{"tags":["ok","\u001b[31m"]}`, "tags[1]"},
		{`{"contacts":[{"name":"Jo"},{"name":"Al","notes":"fine\n"},{"name":"\u0000"}]}`, "contacts[2].name"},
		{`{"extra":{"deep":{"list":[1,true,null,"x\u0001"]}}}`, "extra.deep.list[3]"},
		{"{\"name\":\"bad \xff byte\"}", "name"},
		{`{"extra":{"k\u0000ey":"v"}}`, `extra."k\x00ey"`},
	} {
		r, _ := http.NewRequest(http.MethodPost, "/", strings.NewReader(c.json))
		var v body
		err := decode(r, &v)
		if c.field == "" {
			if err != nil {
				t.Errorf("%s: %v, want accepted", c.json, err)
			}
			continue
		}
		if vouch.ErrorCode(err) != vouch.EINVALID || vouch.ErrorFields(err)[c.field] == "" {
			t.Errorf("%s: %v (fields %v), want invalid naming %s", c.json, err, vouch.ErrorFields(err), c.field)
		}
	}
}

// A body over MaxBody is too large, not "not valid JSON".
func TestDecodeTooLarge(t *testing.T) {
	r, _ := http.NewRequest(http.MethodPost, "/", strings.NewReader(`{"name":"`+strings.Repeat("a", MaxBody)+`"}`))
	var v struct {
		Name string `json:"name"`
	}
	err := decode(r, &v)
	if vouch.ErrorCode(err) != vouch.ETOOLARGE || !strings.Contains(vouch.ErrorMessage(err), "1 MiB") {
		t.Errorf("got %v, want too_large naming 1 MiB", err)
	}
}
