package testutil

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// SMTPSink is an SMTP server on a loopback port that keeps what it is sent,
// for tests of code that sends mail. It stops when the test ends.
type SMTPSink struct {
	Host string // 127.0.0.1
	Port int
	Addr string // host:port

	opts      SMTPSinkOptions
	clientTLS *tls.Config

	mu         sync.Mutex
	messages   []Message
	attempts   int // DATA commands, refused ones too
	reject     *smtp.SMTPError
	rejectRcpt map[string]*smtp.SMTPError
}

// SMTPSinkOptions configures a sink; the zero value accepts every mail
// without TLS or authentication.
type SMTPSinkOptions struct {
	// StartTLS offers STARTTLS with a self-signed certificate for
	// 127.0.0.1 that ClientTLS trusts.
	StartTLS bool
	// Username and Password, when set, must be given with AUTH PLAIN before
	// any mail is taken.
	Username, Password string
}

// Message is one mail the sink took, decoded.
type Message struct {
	From      string      // envelope sender (MAIL FROM)
	To        []string    // envelope recipients (RCPT TO)
	Header    mail.Header // the headers as sent
	Subject   string      // decoded from RFC 2047 words
	MessageID string      // the Message-ID header, without angle brackets
	// Body is the first text/plain part, decoded from quoted-printable or
	// base64, with LF line ends.
	Body        string
	Attachments []Attachment
	Raw         string // the message as sent
}

// Attachment is a MIME part of a Message that names a file.
type Attachment struct {
	Name        string
	ContentType string // as sent, with its parameters
	Content     []byte // decoded
}

// NewSMTPSink starts a sink that accepts every mail, without TLS or authentication.
func NewSMTPSink(t testing.TB) *SMTPSink {
	t.Helper()
	return StartSMTPSink(t, SMTPSinkOptions{})
}

// StartSMTPSink starts a sink configured by opts.
func StartSMTPSink(t testing.TB, opts SMTPSinkOptions) *SMTPSink {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	k := &SMTPSink{opts: opts, rejectRcpt: map[string]*smtp.SMTPError{}}
	addr := ln.Addr().(*net.TCPAddr)
	k.Host, k.Port, k.Addr = "127.0.0.1", addr.Port, ln.Addr().String()
	srv := smtp.NewServer(k)
	srv.Domain = "sink.test"
	srv.ReadTimeout = 30 * time.Second
	srv.WriteTimeout = 30 * time.Second
	srv.MaxMessageBytes = 10 << 20
	srv.ErrorLog = log.New(io.Discard, "", 0)
	srv.AllowInsecureAuth = !opts.StartTLS
	if opts.StartTLS {
		cert, pool, err := selfSigned()
		if err != nil {
			t.Fatal(err)
		}
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
		k.clientTLS = &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
	}
	go func() { _ = srv.Serve(ln) }() // returns once the Close below stops it
	t.Cleanup(func() { srv.Close() })
	return k
}

// ClientTLS is a client configuration that trusts the sink's certificate
// (nil without StartTLS).
func (k *SMTPSink) ClientTLS() *tls.Config { return k.clientTLS }

// Reject makes the sink refuse every mail after its content with code and
// text, e.g. Reject(451, "try again later"); Reject(0, "") accepts again.
func (k *SMTPSink) Reject(code int, text string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.reject = smtpError(code, text)
}

// RejectRecipient makes the sink refuse the recipient address with code and
// text, e.g. 550 "no such user"; code 0 accepts it again.
func (k *SMTPSink) RejectRecipient(addr string, code int, text string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if code == 0 {
		delete(k.rejectRcpt, strings.ToLower(addr))
		return
	}
	k.rejectRcpt[strings.ToLower(addr)] = smtpError(code, text)
}

// smtpError is the reply code text; text may start with an enhanced status
// code ("4.7.1 greylisted"), else one is made of the reply code's class.
func smtpError(code int, text string) *smtp.SMTPError {
	if code == 0 {
		return nil
	}
	e := &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{code / 100, 0, 0}, Message: text}
	if first, rest, _ := strings.Cut(text, " "); strings.Count(first, ".") == 2 {
		var a, b, c int
		if n, err := fmt.Sscanf(first, "%d.%d.%d", &a, &b, &c); n == 3 && err == nil {
			e.EnhancedCode, e.Message = smtp.EnhancedCode{a, b, c}, rest
		}
	}
	return e
}

// Messages returns the mails taken so far, in order.
func (k *SMTPSink) Messages() []Message {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]Message(nil), k.messages...)
}

// Attempts counts the mails offered so far (their content sent), refused ones too.
func (k *SMTPSink) Attempts() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.attempts
}

// WaitFor waits up to timeout for a mail that match accepts and returns the
// first; it fails the test when none comes.
func (k *SMTPSink) WaitFor(t testing.TB, match func(Message) bool, timeout time.Duration) Message {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		for _, m := range k.Messages() {
			if match(m) {
				return m
			}
		}
		if time.Now().After(deadline) {
			var got []string
			for _, m := range k.Messages() {
				got = append(got, fmt.Sprintf("%v %q", m.To, m.Subject))
			}
			t.Fatalf("no matching mail within %s; the sink has %d: %s", timeout, len(got), strings.Join(got, "; "))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// NewSession implements smtp.Backend.
func (k *SMTPSink) NewSession(*smtp.Conn) (smtp.Session, error) {
	return &sinkSession{sink: k}, nil
}

type sinkSession struct {
	sink   *SMTPSink
	authed bool
	from   string
	to     []string
}

func (s *sinkSession) AuthMechanisms() []string {
	if s.sink.opts.Username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *sinkSession) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != s.sink.opts.Username || password != s.sink.opts.Password {
			return smtp.ErrAuthFailed
		}
		s.authed = true
		return nil
	}), nil
}

func (s *sinkSession) Mail(from string, _ *smtp.MailOptions) error {
	if s.sink.opts.Username != "" && !s.authed {
		return smtp.ErrAuthRequired
	}
	s.from, s.to = from, nil
	return nil
}

func (s *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.sink.mu.Lock()
	rej := s.sink.rejectRcpt[strings.ToLower(to)]
	s.sink.mu.Unlock()
	if rej != nil {
		return rej
	}
	s.to = append(s.to, to)
	return nil
}

func (s *sinkSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	k := s.sink
	k.mu.Lock()
	defer k.mu.Unlock()
	k.attempts++
	if k.reject != nil {
		return k.reject
	}
	m, err := parseMessage(raw)
	if err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "unreadable message: " + err.Error()}
	}
	m.From, m.To = s.from, append([]string(nil), s.to...)
	k.messages = append(k.messages, m)
	return nil
}

func (s *sinkSession) Reset()        { s.from, s.to = "", nil }
func (s *sinkSession) Logout() error { return nil }

func parseMessage(raw []byte) (Message, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Message{}, err
	}
	m := Message{Header: msg.Header, Raw: string(raw)}
	dec := new(mime.WordDecoder)
	if m.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		return Message{}, fmt.Errorf("subject: %w", err)
	}
	m.MessageID = strings.Trim(strings.TrimSpace(msg.Header.Get("Message-Id")), "<>")
	err = walkPart(&m, msg.Header, msg.Body)
	return m, err
}

// partHeader is a message's or a MIME part's header.
type partHeader interface{ Get(string) string }

// walkPart decodes one MIME part, descending into multiparts: the first
// text/plain part that is no attachment is the body, parts naming a file
// are attachments.
func walkPart(m *Message, h partHeader, body io.Reader) error {
	ctype := h.Get("Content-Type")
	if ctype == "" {
		ctype = "text/plain"
	}
	media, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		return fmt.Errorf("content type %q: %w", ctype, err)
	}
	if strings.HasPrefix(media, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			if err := walkPart(m, p.Header, p); err != nil {
				return err
			}
		}
	}
	content := body
	switch strings.ToLower(strings.TrimSpace(h.Get("Content-Transfer-Encoding"))) {
	case "quoted-printable":
		content = quotedprintable.NewReader(body)
	case "base64":
		content = base64.NewDecoder(base64.StdEncoding, &skipSpace{r: body})
	}
	data, err := io.ReadAll(content)
	if err != nil {
		return fmt.Errorf("%s part: %w", media, err)
	}
	name := params["name"]
	disp, dparams, _ := mime.ParseMediaType(h.Get("Content-Disposition"))
	if dparams["filename"] != "" {
		name = dparams["filename"]
	}
	if disp == "attachment" || name != "" {
		if d, err := new(mime.WordDecoder).DecodeHeader(name); err == nil {
			name = d
		}
		m.Attachments = append(m.Attachments, Attachment{Name: name, ContentType: ctype, Content: data})
		return nil
	}
	if media == "text/plain" && m.Body == "" {
		m.Body = strings.ReplaceAll(string(data), "\r\n", "\n")
	}
	return nil
}

// skipSpace drops the line breaks of base64 text.
type skipSpace struct{ r io.Reader }

func (s *skipSpace) Read(p []byte) (int, error) {
	for {
		n, err := s.r.Read(p)
		j := 0
		for _, c := range p[:n] {
			if c != '\r' && c != '\n' && c != ' ' && c != '\t' {
				p[j] = c
				j++
			}
		}
		if j > 0 || err != nil {
			return j, err
		}
	}
}

// selfSigned makes a certificate for 127.0.0.1 and a pool that trusts it.
func selfSigned() (tls.Certificate, *x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	// Valid by the wall clock, which TLS checks, whatever the program's says.
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "Vouch test SMTP sink"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}, pool, nil
}
