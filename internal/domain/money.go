package domain

import (
	"errors"
	"strconv"
	"strings"
)

// Cents is an amount of USD in integer cents: money is never a float here.
type Cents int64

// MaxCents bounds one amount (USD 10 billion) so sums over years of data cannot overflow.
const MaxCents Cents = 1_000_000_000_000

// ParseUSD reads a JSON number literal of USD with at most two decimals, exactly,
// without passing through float64 (0.1+0.2 must not become 0.30000000000000004).
func ParseUSD(lit string) (Cents, error) {
	if lit == "" {
		return 0, errors.New("must be a number")
	}
	if lit[0] == '-' {
		return 0, errors.New("must not be negative")
	}
	if strings.ContainsAny(lit, "eE") {
		return 0, errors.New("must be written without an exponent")
	}
	whole, frac, hasFrac := strings.Cut(lit, ".")
	if hasFrac && len(frac) > 2 {
		return 0, errors.New("must have at most 2 decimals")
	}
	if whole == "" || (len(whole) > 1 && whole[0] == '0') || (hasFrac && frac == "") || len(whole) > 12 {
		if len(whole) > 12 {
			return 0, errors.New("is too large")
		}
		return 0, errors.New("must be a number")
	}
	for len(frac) < 2 {
		frac += "0"
	}
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return 0, errors.New("must be a number")
	}
	if Cents(n) > MaxCents {
		return 0, errors.New("is too large")
	}
	return Cents(n), nil
}

// String writes cents as a JSON number with two decimals when needed ("12", "12.5", "12.05").
func (c Cents) String() string {
	neg := c < 0
	if neg {
		c = -c
	}
	s := strconv.FormatInt(int64(c/100), 10)
	if r := c % 100; r != 0 {
		s += "." + strings.TrimRight(strconv.FormatInt(int64(r+100), 10)[1:], "0")
	}
	if neg {
		s = "-" + s
	}
	return s
}

// MarshalJSON writes the exact decimal as a JSON number: a float64 could not
// hold every amount exactly, and a string would not be a number to clients.
func (c Cents) MarshalJSON() ([]byte, error) { return []byte(c.String()), nil }

// FormatUSD writes an amount for people, the one form every explanation
// uses: thousands separated, cents only when there are any ("USD 1,840",
// "USD 1,999.99", "USD -1,000"). JSON uses Cents' own form.
func FormatUSD(c Cents) string {
	s := c.String()
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	b.WriteString("USD ")
	b.WriteString(sign)
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if hasFrac {
		b.WriteString("." + frac)
		if len(frac) == 1 { // String drops a trailing zero: 12.5, written 12.50
			b.WriteByte('0')
		}
	}
	return b.String()
}
