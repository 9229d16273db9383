// Package push signs what partnerready pushes to a partner's own tools, as
// Standard Webhooks requests (https://www.standardwebhooks.com): the
// headers webhook-id (the same on every retry of one delivery),
// webhook-timestamp (Unix seconds) and webhook-signature, "v1,<base64
// HMAC-SHA256 of id.timestamp.body>", several space-separated during a
// secret's rotation. It also holds what an endpoint may be: https, at most
// 2,048 characters, and never an address inside a network, checked again
// when each connection is made so that neither a DNS answer nor a redirect
// can lead there.
package push

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Headers of a Standard Webhooks request.
const (
	HeaderID        = "webhook-id"
	HeaderTimestamp = "webhook-timestamp"
	HeaderSignature = "webhook-signature"
)

// secretPrefix marks a secret in the Standard Webhooks form: whsec_ and
// the key's bytes in base64.
const secretPrefix = "whsec_"

// NewSecret is a new endpoint secret: 32 random bytes, whsec_ and base64.
func NewSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return secretPrefix + base64.StdEncoding.EncodeToString(b)
}

// key is the HMAC key of a secret.
func key(secret string) ([]byte, error) {
	b64, ok := strings.CutPrefix(secret, secretPrefix)
	if !ok {
		return nil, errors.New("push: a secret starts with whsec_")
	}
	k, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(k) < 24 {
		return nil, errors.New("push: a secret is whsec_ and at least 24 bytes in base64")
	}
	return k, nil
}

func mac(k []byte, id, ts string, body []byte) string {
	m := hmac.New(sha256.New, k)
	m.Write([]byte(id))
	m.Write([]byte{'.'})
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// Sign sets the Standard Webhooks headers of a delivery with id, sent at
// t: one signature for each secret (the current one, and the previous one
// while a rotation lets the receiver switch).
func Sign(h http.Header, secrets []string, id string, t time.Time, body []byte) error {
	ts := strconv.FormatInt(t.Unix(), 10)
	sigs := make([]string, 0, len(secrets))
	for _, s := range secrets {
		k, err := key(s)
		if err != nil {
			return err
		}
		sigs = append(sigs, "v1,"+mac(k, id, ts, body))
	}
	if len(sigs) == 0 {
		return errors.New("push: no secret to sign with")
	}
	h.Set(HeaderID, id)
	h.Set(HeaderTimestamp, ts)
	h.Set(HeaderSignature, strings.Join(sigs, " "))
	return nil
}

// Tolerance is how far a receiver lets the timestamp be from its clock.
const Tolerance = 5 * time.Minute

// Verify is what a receiver does: the timestamp within Tolerance of now,
// and one v1 signature matching under secret, compared in constant time.
// The partner's tools may use any Standard Webhooks library instead; the
// tests use this one.
func Verify(secret string, h http.Header, body []byte, now time.Time) error {
	id, ts, sigs := h.Get(HeaderID), h.Get(HeaderTimestamp), h.Get(HeaderSignature)
	if id == "" || ts == "" || sigs == "" {
		return errors.New("push: a header is missing")
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errors.New("push: the timestamp is not Unix seconds")
	}
	if d := now.Sub(time.Unix(sec, 0)); d > Tolerance || d < -Tolerance {
		return errors.New("push: the timestamp is too far from now")
	}
	k, err := key(secret)
	if err != nil {
		return err
	}
	want := []byte(mac(k, id, ts, body))
	ok := false
	for _, s := range strings.Fields(sigs) {
		if v, sig, found := strings.Cut(s, ","); found && v == "v1" && hmac.Equal([]byte(sig), want) {
			ok = true
		}
	}
	if !ok {
		return errors.New("push: no signature matches")
	}
	return nil
}

// MaxURLLength bounds an endpoint's URL.
const MaxURLLength = 2048

// CheckURL says what is wrong with an endpoint's URL, or nil: https (http
// only to a loopback host when loopback is allowed, on the local server),
// a host, no user information, at most MaxURLLength characters. A host
// written as an address must not be inside a network (Reachable); a name
// is checked when it is connected to (Dialer).
func CheckURL(raw string, loopback bool) error {
	if len(raw) > MaxURLLength {
		return fmt.Errorf("is longer than %d characters", MaxURLLength)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return errors.New("is not an absolute URL")
	}
	if u.User != nil {
		return errors.New("must not carry a user or password")
	}
	host := u.Hostname()
	if host == "" {
		return errors.New("has no host")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return errors.New("has a port that is not 1 to 65535")
		}
	}
	local := loopback && isLoopbackHost(host)
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && local:
	default:
		return errors.New("must be https")
	}
	if ip, err := netip.ParseAddr(host); err == nil && !local {
		if err := Reachable(ip); err != nil {
			return err
		}
	}
	return nil
}

func isLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// notInternet are the IPv4 and IPv6 ranges that netip's predicates do not
// name and that are no address on the internet (RFC 6890 and its kin):
// "this network", shared (carrier NAT), protocol assignments, benchmarking,
// reserved and broadcast, IPv6 site-local, local-use NAT64 and Teredo.
var notInternet = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"), netip.MustParsePrefix("100.64.0.0/10"), netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"), netip.MustParsePrefix("240.0.0.0/4"), netip.MustParsePrefix("fec0::/10"),
	// Local-use NAT64 (RFC 8215) and Teredo, whose IPv4 inside is obfuscated:
	// no partner's tool needs either.
	netip.MustParsePrefix("64:ff9b:1::/48"), netip.MustParsePrefix("2001::/32"),
}

// Embedded IPv4 forms: NAT64 (64:ff9b::/96), 6to4 (2002::/16) and the
// deprecated IPv4-compatible (::/96), which reach the IPv4 address inside.
var (
	nat64      = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour  = netip.MustParsePrefix("2002::/16")
	compatible = netip.MustParsePrefix("::/96")
)

// embedded is the IPv4 address an IPv6 one carries, if any.
func embedded(ip netip.Addr) (netip.Addr, bool) {
	b := ip.As16()
	switch {
	case nat64.Contains(ip), compatible.Contains(ip) && !ip.IsUnspecified() && !ip.IsLoopback():
		return netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}), true
	case sixToFour.Contains(ip):
		return netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]}), true
	}
	return netip.Addr{}, false
}

// Reachable refuses an address inside a network: loopback, private,
// link-local (cloud metadata), shared, unspecified, multicast, the other
// ranges that are not the internet, and any of them carried inside an
// IPv6 address (mapped, NAT64, 6to4, compatible).
func Reachable(ip netip.Addr) error {
	ip = ip.Unmap()
	if v4, ok := embedded(ip); ok {
		if err := Reachable(v4); err != nil {
			return fmt.Errorf("resolves to %s, which carries %s: %w", ip, v4, err)
		}
	}
	inside := ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified()
	for _, p := range notInternet {
		inside = inside || p.Contains(ip)
	}
	if inside {
		return fmt.Errorf("resolves to %s, an address inside a network, not the internet", ip)
	}
	return nil
}

// Dialer is a dialer that refuses, as each connection is made, an address
// Reachable refuses (loopback allowed only when loopback is): what DNS
// answers at delivery time, and where a redirect leads, are checked as
// much as the URL was.
func Dialer(loopback bool) *net.Dialer {
	return &net.Dialer{
		Timeout: 10 * time.Second,
		Control: func(network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return err
			}
			if loopback && ap.Addr().IsLoopback() {
				return nil
			}
			return Reachable(ap.Addr())
		},
	}
}

// Retries: a delivery is tried at once, then again after each of these
// waits: Svix's schedule (Standard Webhooks comes from Svix), with its 5 s
// retry made a minute, the deliverer's own period. 8 attempts over
// 27 h 36 min, so that a receiver down for a day still gets it.
var Retries = []time.Duration{
	time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 5 * time.Hour, 10 * time.Hour, 10 * time.Hour,
}

// RetryAfter is the wait before the next attempt of a delivery that has
// failed attempts times; false once it has had them all.
func RetryAfter(attempts int) (time.Duration, bool) {
	if attempts < 1 || attempts > len(Retries) {
		return 0, false
	}
	return Retries[attempts-1], true
}

// Verdict is what an answer makes of a delivery.
type Verdict int

const (
	Retry     Verdict = iota // no answer, or not a 2xx: try again later
	Delivered                // a 2xx
	Gone                     // 410 Gone: the receiver asks for no more; the endpoint is disabled
)

// Judge is the verdict on an attempt's answer (status 0: none). A
// redirect is not followed, so a 3xx is a failure like a 5xx.
func Judge(status int) Verdict {
	switch {
	case status >= 200 && status < 300:
		return Delivered
	case status == http.StatusGone:
		return Gone
	}
	return Retry
}

// Message is the body of a delivery, in Standard Webhooks' shape.
type Message struct {
	Type      string    `json:"type"`
	Timestamp time.Time `json:"timestamp"`
	Data      any       `json:"data"`
}

// Client is the HTTP client deliveries go through: every connection is
// checked by Dialer, no proxy (which would connect for us, unchecked), no
// redirect followed (the receiver's URL is the one registered), and each
// attempt bounded by AttemptTimeout.
func Client(loopback bool) *http.Client {
	return &http.Client{
		Timeout: AttemptTimeout,
		Transport: &http.Transport{
			Proxy:                 nil,
			DialContext:           Dialer(loopback).DialContext,
			TLSHandshakeTimeout:   5 * time.Second,
			ResponseHeaderTimeout: AttemptTimeout,
			MaxIdleConnsPerHost:   2,
			IdleConnTimeout:       30 * time.Second,
			ForceAttemptHTTP2:     true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// AttemptTimeout bounds one attempt, from connecting to the answer's headers.
const AttemptTimeout = 10 * time.Second

// ErrResolver: the host could not be resolved now (a timeout, a server
// failure), which says nothing of the URL: try again.
var ErrResolver = errors.New("push: DNS did not answer")

// CheckResolves resolves an endpoint's host, as its registration is
// judged, and refuses it when it does not resolve or any address it
// resolves to is inside a network (Reachable): the partner hears at once
// what a delivery would only find later. A host written as an address was
// judged by CheckURL already. Each connection is checked again (Dialer),
// since the answer may change.
func CheckResolves(ctx context.Context, raw string, loopback bool) error {
	u, err := url.Parse(raw)
	if err != nil {
		return errors.New("is not an absolute URL")
	}
	host := u.Hostname()
	if _, err := netip.ParseAddr(host); err == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	ips, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	var dnsErr *net.DNSError
	switch {
	case err == nil && len(ips) == 0, errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return fmt.Errorf("has a host, %s, that does not resolve", host)
	case err != nil:
		return fmt.Errorf("%w: %s: %v", ErrResolver, host, err)
	}
	for _, ip := range ips {
		if loopback && ip.IsLoopback() {
			continue
		}
		if err := Reachable(ip); err != nil {
			return err
		}
	}
	return nil
}
