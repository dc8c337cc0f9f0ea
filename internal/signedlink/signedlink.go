// Package signedlink makes and checks the signed links Vouch hands to people
// without an account: an advocate's answer, a feedback form, a buyer's proof
// page.
//
// A token is <purpose letter><nonce>.<signature>. The nonce is random and
// only its hash is stored, so a leaked database holds no usable link; the
// signature (HMAC-SHA256 with the installation's secret, kept in the
// setting "link_secret" so every instance signs alike) lets a tampered or
// made-up link be refused before the database is asked, and ties the nonce
// to its purpose.
package signedlink

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"

	"github.com/vouchhq/vouch/internal/store"
)

// Setting is the name of the setting that holds the signing key, in hex.
const Setting = "link_secret"

// ErrDamagedKey says the stored signing key cannot be used.
var ErrDamagedKey = errors.New("the link signing key in settings is damaged")

// Signer issues and checks tokens with one key.
type Signer struct{ key []byte }

// New returns a signer over key (at least 16 bytes).
func New(key []byte) (*Signer, error) {
	if len(key) < 16 {
		return nil, ErrDamagedKey
	}
	return &Signer{key: append([]byte(nil), key...)}, nil
}

// Load returns the installation's signer, making its key the first time:
// the key is stored once (whoever stores first wins), so concurrent first
// starts of several instances agree on it.
func Load(ctx context.Context, db *store.DB) (*Signer, error) {
	secret, err := db.Setting(ctx, Setting, "")
	if err != nil {
		return nil, err
	}
	if secret == "" {
		b := make([]byte, 32)
		rand.Read(b)
		if err := db.SetSettingOnce(ctx, Setting, hex.EncodeToString(b)); err != nil {
			return nil, err
		}
		if secret, err = db.Setting(ctx, Setting, ""); err != nil {
			return nil, err
		}
	}
	key, err := hex.DecodeString(secret)
	if err != nil {
		return nil, ErrDamagedKey
	}
	return New(key)
}

// Issue makes a new token for the purpose letter and returns it with the
// hash of its nonce, which is all the database keeps.
func (s *Signer) Issue(letter byte) (token, nonceHash string) {
	nonce := make([]byte, 18)
	rand.Read(nonce)
	n := base64.RawURLEncoding.EncodeToString(nonce)
	body := string(letter) + n
	return body + "." + s.sign(body), HashNonce(n)
}

// Check verifies a token's signature and returns its purpose letter and the
// hash of its nonce to look it up by; ok is false for a token that was
// altered or never issued with this key.
func (s *Signer) Check(token string) (letter byte, nonceHash string, ok bool) {
	body, sig, found := strings.Cut(token, ".")
	if !found || len(body) < 2 {
		return 0, "", false
	}
	if subtle.ConstantTimeCompare([]byte(sig), []byte(s.sign(body))) != 1 {
		return 0, "", false
	}
	return body[0], HashNonce(body[1:]), true
}

func (s *Signer) sign(body string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(body))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// HashNonce is the stored form of a token's nonce.
func HashNonce(n string) string {
	h := sha256.Sum256([]byte(n))
	return hex.EncodeToString(h[:])
}
