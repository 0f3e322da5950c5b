// Package web holds what every Rapport HTTP handler shares: handlers that
// return errors, RFC 9457 problem responses, JSON in and out, and bearer
// authentication.
package web

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/rapportdesk/rapport"
)

// MaxBodyBytes bounds every request body.
const MaxBodyBytes = 1 << 20

// HandlerFunc is an HTTP handler that returns its failure instead of
// writing it, so that every error takes the same path.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// statuses maps error codes to HTTP statuses: the only such table.
var statuses = map[string]int{
	rapport.EINVALID:      http.StatusBadRequest,
	rapport.ENOTFOUND:     http.StatusNotFound,
	rapport.ECONFLICT:     http.StatusConflict,
	rapport.EUNAUTHORIZED: http.StatusUnauthorized,
	rapport.EFORBIDDEN:    http.StatusForbidden,
	rapport.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	rapport.ETOOMANY:      http.StatusTooManyRequests,
	rapport.EMISMATCH:     http.StatusUnprocessableEntity,
	rapport.EINTERNAL:     http.StatusInternalServerError,
}

var titles = map[string]string{
	rapport.EINVALID:      "Some of what you sent needs fixing",
	rapport.ENOTFOUND:     "Not found",
	rapport.ECONFLICT:     "That cannot be done right now",
	rapport.EUNAUTHORIZED: "Please sign in",
	rapport.EFORBIDDEN:    "Not allowed",
	rapport.ETOOLARGE:     "Too large",
	rapport.ETOOMANY:      "Too many attempts",
	rapport.EMISMATCH:     "That does not match the request it repeats",
	rapport.EINTERNAL:     "Something went wrong on our side",
}

// Problem is an RFC 9457 problem details object. Instance is the request
// path; RequestID, an extension member, names the request in the server's
// log (and in its X-Request-Id header), so a person quoting it can be found.
type Problem struct {
	Type      string               `json:"type"`
	Title     string               `json:"title"`
	Status    int                  `json:"status"`
	Detail    string               `json:"detail"`
	Instance  string               `json:"instance,omitempty"`
	Errors    []rapport.FieldError `json:"errors,omitempty"`
	RequestID string               `json:"request_id,omitempty"`
}

// Handle adapts h to http.Handler, writing any error as a problem.
func Handle(log *slog.Logger, h HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if info := RequestFromContext(r.Context()); info != nil {
			if u := rapport.UserFromContext(r.Context()); u != nil {
				info.UserID = u.ID // for the access log
			}
		}
		if err := h(w, r); err != nil {
			Error(log, w, r, err)
		}
	})
}

// Error writes err as application/problem+json. Internal errors are logged
// and shown to the caller only as a generic message.
func Error(log *slog.Logger, w http.ResponseWriter, r *http.Request, err error) {
	code := rapport.ErrorCode(err)
	if code == rapport.EINTERNAL {
		log.Error("request failed", "method", r.Method, "path", r.URL.Path, "request_id", RequestID(r.Context()), "err", err)
	}
	if code == rapport.EUNAUTHORIZED {
		w.Header().Set("WWW-Authenticate", `Bearer realm="rapport"`)
	}
	setRetryAfter(w, err)
	status := statuses[code]
	WriteProblem(w, &Problem{
		Type:     "urn:rapport:problem:" + code,
		Title:    titles[code],
		Status:   status,
		Detail:   rapport.ErrorMessage(err),
		Instance: r.URL.Path,
		Errors:   rapport.ErrorFields(err),
	})
}

// WriteProblem writes p with its status. A problem without a RequestID gets
// the one the server set in the response's X-Request-Id header.
func WriteProblem(w http.ResponseWriter, p *Problem) {
	if p.RequestID == "" {
		p.RequestID = w.Header().Get(RequestIDHeader)
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	json.NewEncoder(w).Encode(p)
}

// JSON writes v as JSON with status.
func JSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	return json.NewEncoder(w).Encode(v)
}

// Decode reads a JSON object from the request body into v, turning every way
// it can go wrong into a plain-language EINVALID or ETOOLARGE error. Keys v
// has no field for and text that is not UTF-8 are refused, never ignored.
// The Content-Type is not checked: a client that forgot it still gets served.
func Decode(w http.ResponseWriter, r *http.Request, v any) error {
	dec, body, err := newDecoder(w, r)
	if err != nil {
		return err
	}
	err = dec.Decode(v)
	if err == nil {
		if _, extra := dec.Token(); extra != io.EOF {
			return rapport.Errorf(rapport.EINVALID, "The request body must hold a single JSON object and nothing after it.")
		}
		return nil
	}
	if unknown := unknownFieldError(err, body, v); unknown != nil {
		return unknown
	}
	var tooBig *http.MaxBytesError
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var badTime *time.ParseError
	switch {
	case errors.As(err, &tooBig):
		return rapport.Errorf(rapport.ETOOLARGE, "The request is larger than %d KB. Please shorten it or attach large files separately.", MaxBodyBytes>>10)
	case errors.Is(err, io.EOF):
		return rapport.Errorf(rapport.EINVALID, "The request body is empty; please send a JSON object.")
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF):
		return rapport.Errorf(rapport.EINVALID, "The request body is not valid JSON. Please check for a missing quote, comma or bracket.")
	case errors.As(err, &badTime):
		return rapport.Errorf(rapport.EINVALID, "A date could not be read (%q). Please write dates like 2026-11-30T17:00:00Z.", badTime.Value)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return rapport.Errorf(rapport.EINVALID, "The request body must be a JSON object.")
		}
		return rapport.Invalid(field, "This must be %s, not %s.", jsonKind(typ.Type.Kind().String()), jsonValueKind(typ.Value))
	}
	return rapport.Errorf(rapport.EINVALID, "The request body could not be read: %v.", err)
}

func jsonKind(goKind string) string {
	switch goKind {
	case "bool":
		return "true or false"
	case "string":
		return "text"
	case "int", "int64", "int32", "float64":
		return "a number"
	case "struct", "map":
		return "an object"
	case "slice", "array":
		return "a list"
	}
	return "a different type"
}

func jsonValueKind(v string) string {
	switch v {
	case "string":
		return "text"
	case "bool":
		return "true or false"
	case "object":
		return "an object"
	case "array":
		return "a list"
	}
	return "a number"
}
