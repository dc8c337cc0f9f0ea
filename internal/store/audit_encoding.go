package store

import (
	"encoding/json"
	"strconv"

	"github.com/vouchhq/vouch/internal/vouch"
)

// appendChanges appends changes as JSON, byte for byte what json.Marshal
// writes for them (an empty list is []). Bulk writes encode one list per
// audit entry; the values in them are nearly always plain text and numbers,
// written here directly instead of through reflection. Anything else is left
// to encoding/json.
func appendChanges(buf []byte, changes []vouch.Change) ([]byte, error) {
	buf = append(buf, '[')
	for i, c := range changes {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, `{"field":`...)
		buf = appendJSONString(buf, c.Field)
		buf = append(buf, `,"before":`...)
		var err error
		if buf, err = appendJSONValue(buf, c.Before); err != nil {
			return nil, err
		}
		buf = append(buf, `,"after":`...)
		if buf, err = appendJSONValue(buf, c.After); err != nil {
			return nil, err
		}
		buf = append(buf, '}')
	}
	return append(buf, ']'), nil
}

func appendJSONValue(buf []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(buf, "null"...), nil
	case string:
		return appendJSONString(buf, v), nil
	case int64:
		return strconv.AppendInt(buf, v, 10), nil
	case int:
		return strconv.AppendInt(buf, int64(v), 10), nil
	case bool:
		return strconv.AppendBool(buf, v), nil
	}
	js, err := json.Marshal(v)
	return append(buf, js...), err
}

// appendJSONString writes s quoted. Printable ASCII other than the characters
// json.Marshal escapes (quote, backslash and the HTML-sensitive <, > and &)
// is copied as it is; any other string is left to encoding/json, which also
// knows how it writes control characters, U+2028 and invalid UTF-8.
func appendJSONString(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			js, _ := json.Marshal(s) // a string always encodes
			return append(buf, js...)
		}
	}
	buf = append(buf, '"')
	buf = append(buf, s...)
	return append(buf, '"')
}
