package api_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

type scorecardShareJSON struct {
	ID      int64  `json:"id"`
	Period  string `json:"period"`
	From    string `json:"from"`
	Status  string `json:"status"`
	URL     string `json:"url"`
	Note    string `json:"note"`
	Creator *struct {
		Name string `json:"name"`
	} `json:"created_by"`
}

func TestScorecardShares(t *testing.T) {
	forEachEngine(t, func(t *testing.T, f *fixture) {
		for _, role := range []string{"seller", "viewer", "team_member"} {
			f.call(t, role, "POST", "/api/v1/scorecard/shares", `{}`, 403)
			f.call(t, role, "GET", "/api/v1/scorecard/shares", "", 403)
		}
		r := f.call(t, "program_manager", "POST", "/api/v1/scorecard/shares", `{"period": "fixed", "from": "2026-03-01", "expires_in_days": 45}`, 400)
		var e errorBody
		r.decode(t, &e)
		if e.Error.Fields["expires_in_days"] == "" || e.Error.Fields["period"] == "" {
			t.Errorf("fields %v", e.Error.Fields)
		}
		var made scorecardShareJSON
		f.call(t, "program_manager", "POST", "/api/v1/scorecard/shares",
			`{"period": "fixed", "from": "2026-07-01", "to": "2026-09-30", "note": "Board", "filter": {}}`, 201).decode(t, &made)
		if made.Status != "active" || made.From != "2026-07-01" || made.Note != "Board" || !strings.Contains(made.URL, "/shared/scorecard/") {
			t.Fatalf("made %+v", made)
		}
		u, _ := url.Parse(made.URL)
		resp, err := http.Get(f.srv.URL + u.Path)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("the link: %v %v", resp.StatusCode, err)
		}
		resp.Body.Close()

		var list struct {
			Items []scorecardShareJSON `json:"items"`
			Total int                  `json:"total"`
		}
		f.call(t, "program_manager", "GET", "/api/v1/scorecard/shares", "", 200).decode(t, &list)
		if list.Total != 1 || list.Items[0].URL != "" || list.Items[0].Creator == nil {
			t.Errorf("list %+v", list)
		}
		id := strconv.FormatInt(made.ID, 10)
		f.call(t, "seller", "DELETE", "/api/v1/scorecard/shares/"+id, "", 403)
		var revoked scorecardShareJSON
		f.call(t, "admin", "DELETE", "/api/v1/scorecard/shares/"+id, "", 200).decode(t, &revoked)
		if revoked.Status != "revoked" {
			t.Errorf("revoked %+v", revoked)
		}
		f.call(t, "admin", "DELETE", "/api/v1/scorecard/shares/"+id, "", 200)
		f.call(t, "admin", "DELETE", "/api/v1/scorecard/shares/999", "", 404)
		resp, err = http.Get(f.srv.URL + u.Path)
		if err != nil || resp.StatusCode != http.StatusGone {
			t.Errorf("the revoked link: %v %v", resp.StatusCode, err)
		}
		resp.Body.Close()
	})
}
