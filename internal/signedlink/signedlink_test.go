package signedlink

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
)

func TestIssueAndCheck(t *testing.T) {
	s, err := New([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	token, hash := s.Issue('p')
	letter, got, ok := s.Check(token)
	if !ok || letter != 'p' || got != hash {
		t.Fatalf("Check(%q) = %c %q %v, want p %q true", token, letter, got, ok, hash)
	}
	// The format links already sent by mail have: letter, 24 characters of
	// nonce, a dot, 22 characters of signature (the first 16 bytes of the HMAC).
	body, sig, _ := strings.Cut(token, ".")
	if len(body) != 25 || len(sig) != 22 {
		t.Fatalf("token %q: body %d, signature %d characters", token, len(body), len(sig))
	}
	m := hmac.New(sha256.New, []byte("0123456789abcdef0123456789abcdef"))
	m.Write([]byte(body))
	if want := base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16]); sig != want {
		t.Fatalf("signature %q, want %q", sig, want)
	}
	other, _ := New([]byte("another key of sixteen+ bytes"))
	for name, bad := range map[string]string{
		"another letter":   "q" + token[1:],
		"another nonce":    token[:3] + "x" + token[4:],
		"no signature":     body,
		"empty":            "",
		"signature only":   "." + sig,
		"signature cut":    token[:len(token)-1],
		"letter only":      "p." + sig,
		"trailing garbage": token + "x",
	} {
		if _, _, ok := s.Check(bad); ok {
			t.Errorf("%s: %q accepted", name, bad)
		}
	}
	if _, _, ok := other.Check(token); ok {
		t.Error("a token signed with another key was accepted")
	}
	if _, err := New([]byte("short")); err == nil {
		t.Error("a short key was accepted")
	}
}
