package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"unicode"

	"github.com/go-playground/validator/v10"
	"github.com/partnerready/partnerready/internal/domain"
)

// MaxBodyBytes is the largest request body accepted (DESIGN: 1 MiB, else 413).
const MaxBodyBytes = 1 << 20

// readBody reads the whole body within MaxBodyBytes.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if r.ContentLength > MaxBodyBytes {
		return nil, tooLarge()
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, tooLarge()
	}
	if err != nil {
		return nil, badRequest("The request body could not be read.")
	}
	return b, nil
}

func tooLarge() *Problem {
	return problem(http.StatusRequestEntityTooLarge, "too-large", "Request body too large",
		fmt.Sprintf("The request body must be at most %d bytes (1 MiB).", MaxBodyBytes))
}

// decodeJSON reads a JSON body into dst strictly: JSON content type, one
// object, no unknown fields, no trailing data. Type errors name the field.
func decodeJSON(w http.ResponseWriter, r *http.Request, dst any) error {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return problem(http.StatusUnsupportedMediaType, "unsupported-media-type", "Unsupported media type",
			"Send the body as application/json.")
	}
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	return unmarshalStrict(body, dst)
}

func unmarshalStrict(body []byte, dst any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return badRequest("A JSON body is required.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonProblem(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return badRequest("The body must hold exactly one JSON value; there is more after it.")
	}
	return nil
}

func jsonProblem(err error) *Problem {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return badRequest(fmt.Sprintf("The body is not valid JSON (at byte %d).", syn.Offset))
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return badRequest("The body must be a JSON object.")
		}
		// encoding/json names the field ("records.acrUsd") but not the array index.
		return badRequest("A field has the wrong JSON type.", FieldError{Field: field, Message: "must be " + jsonType(typ.Type)})
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("The body is not valid JSON (it ends too early).")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return badRequest("The body has a field this API does not know.", FieldError{Field: name, Message: "is not a known field"})
	}
	return badRequest("The body is not valid JSON.")
}

func jsonType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int32, reflect.Int64, reflect.Float64:
		return "a number"
	case reflect.Slice:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "of another type"
}

// number keeps a JSON number's literal text, so money is parsed exactly
// (domain.ParseUSD) and a quoted "12" is reported as the wrong type.
type number string

func (n *number) UnmarshalJSON(b []byte) error {
	*n = number(b)
	return nil
}

// usd is the value of a money field, or the field error it deserves.
func (n number) usd() (domain.Cents, string) {
	s := string(n)
	if s == "" || s == "null" || s[0] == '"' || s[0] == '{' || s[0] == '[' || s == "true" || s == "false" {
		return 0, "must be a JSON number"
	}
	c, err := domain.ParseUSD(s)
	if err != nil {
		return 0, err.Error()
	}
	return c, ""
}

var validate = newValidator()

func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		return name
	})
	must := func(tag string, fn validator.Func) {
		if err := v.RegisterValidation(tag, fn); err != nil {
			panic(err)
		}
	}
	must("text", func(fl validator.FieldLevel) bool { return isText(fl.Field().String()) })
	must("country", func(fl validator.FieldLevel) bool { return domain.ValidCountry(fl.Field().String()) })
	must("locationid", func(fl validator.FieldLevel) bool { return domain.ValidLocationID(fl.Field().String()) })
	must("date", func(fl validator.FieldLevel) bool {
		_, err := domain.ParseDate(fl.Field().String())
		return err == nil
	})
	must("month", func(fl validator.FieldLevel) bool {
		_, err := domain.ParseMonth(fl.Field().String())
		return err == nil
	})
	must("tenantid", func(fl validator.FieldLevel) bool {
		_, ok := domain.NormalizeTenantID(fl.Field().String())
		return ok
	})
	must("nohash", func(fl validator.FieldLevel) bool { return !strings.Contains(fl.Field().String(), "#") })
	must("offer", func(fl validator.FieldLevel) bool {
		return slices.Contains(domain.Offers, domain.Offer(fl.Field().String()))
	})
	return v
}

// isText: a human-readable single line, not blank, no control characters.
func isText(s string) bool {
	if strings.TrimSpace(s) == "" {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// check runs the struct's validate tags and returns every failure by JSON path.
func check(v any) []FieldError {
	err := validate.Struct(v)
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return nil
	}
	out := make([]FieldError, 0, len(verrs))
	for _, fe := range verrs {
		ns := fe.Namespace()
		if _, rest, ok := strings.Cut(ns, "."); ok { // drop the Go type name
			ns = rest
		}
		out = append(out, FieldError{Field: ns, Message: message(fe)})
	}
	return out
}

func message(fe validator.FieldError) string {
	switch fe.Tag() {
	case "required":
		return "is required"
	case "max":
		if fe.Kind() == reflect.Slice {
			return "must have at most " + fe.Param() + " items"
		}
		return "must be at most " + fe.Param() + " characters"
	case "min":
		if fe.Kind() == reflect.Slice {
			return "must have at least " + fe.Param() + " items"
		}
		return "must be at least " + fe.Param() + " characters"
	case "oneof":
		return "must be one of " + strings.ReplaceAll(fe.Param(), " ", ", ")
	case "text":
		return "must be non-blank text without control characters"
	case "country":
		return "must be an ISO 3166-1 alpha-2 country code in upper case (e.g. FR)"
	case "locationid":
		return "must be an MPN PLA id (1 to 12 digits)"
	case "date":
		return "must be a date YYYY-MM-DD"
	case "month":
		return "must be a month YYYY-MM"
	case "tenantid":
		return "must be an Azure AD tenant id (a GUID)"
	case "nohash":
		return "must not contain '#'"
	case "offer":
		names := make([]string, len(domain.Offers))
		for i, o := range domain.Offers {
			names[i] = string(o)
		}
		return "must be one of " + strings.Join(names, ", ")
	}
	return "is invalid (" + fe.Tag() + ")"
}

// repeats names every element of a list whose key an earlier element already has.
func repeats[T any](list []T, field, keyName string, key func(T) string) []FieldError {
	first := map[string]int{}
	var errs []FieldError
	for i, v := range list {
		k := key(v)
		if j, dup := first[k]; dup {
			errs = append(errs, FieldError{Field: fmt.Sprintf("%s[%d].%s", field, i, keyName), Message: fmt.Sprintf("repeats %s[%d].%s", field, j, keyName)})
			continue
		}
		first[k] = i
	}
	return errs
}

// prefixed puts the path of a nested object in front of its fields' errors.
func prefixed(path string, errs []FieldError) []FieldError {
	for i := range errs {
		errs[i].Field = path + "." + errs[i].Field
	}
	return errs
}
