package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/web"
)

// IdempotencyHeader names the header that makes a POST safe to retry.
const IdempotencyHeader = "Idempotency-Key"

// ReplayedHeader is set on an answer given again to a retry.
const ReplayedHeader = "Idempotent-Replayed"

// inFlightWait is how long a retry waits for the answer of a request with
// the same key that committed moments ago and is still being answered.
const inFlightWait = 5 * time.Second

// savedResponse is the answer kept for retries.
type savedResponse struct {
	Status int         `json:"status"`
	Header http.Header `json:"header"`
	Body   []byte      `json:"body"`
}

// idempotent lets a POST be retried safely with an Idempotency-Key: the
// same key and body within rapport.IdempotencyKeyTTL get the first answer
// again, and the write is never made twice. The key is recorded by the desk
// in the same transaction as the request's first write (see
// desk.KeyedRequest), so requests that wrote nothing (refused input) are
// not recorded and can be retried. Without the header it changes nothing.
func (h *Handler) idempotent(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		vals := r.Header.Values(IdempotencyHeader)
		if len(vals) == 0 {
			next.ServeHTTP(w, r)
			return
		}
		if err := h.serveKeyed(w, r, vals, next); err != nil {
			web.Error(h.log, w, r, err)
		}
	})
}

func (h *Handler) serveKeyed(w http.ResponseWriter, r *http.Request, vals []string, next http.Handler) error {
	key, err := checkKey(vals)
	if err != nil {
		return err
	}
	var hash string
	var body []byte
	if web.IsMultipart(r) {
		// Attachments (web): files are hashed as they spool to disk, never
		// held in memory.
		f, sum, err := h.spoolBody(w, r)
		if err != nil {
			return err
		}
		defer func() { f.Close(); os.Remove(f.Name()) }()
		r.Body, hash = f, sum
	} else {
		if body, err = web.ReadBody(w, r); err != nil {
			return err
		}
		sum := sha256.Sum256([]byte(r.Method + "\x00" + r.URL.Path + "\x00" + string(body)))
		hash = hex.EncodeToString(sum[:])
	}
	if done, err := h.replay(w, r, key, hash); done || err != nil {
		return err
	}
	ctx, q, err := h.desk.WithIdempotencyKey(r.Context(), key, hash)
	if err != nil {
		return err
	}
	r = r.WithContext(ctx)
	if body != nil {
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	rec := &recorder{header: http.Header{}}
	next.ServeHTTP(rec, r)
	switch {
	case q.Duplicate():
		// A request with the same key wrote first, while this one ran: this
		// one wrote nothing. Answer as that one did.
		if done, err := h.replay(w, r, key, hash); done || err != nil {
			return err
		}
		return rapport.Errorf(rapport.ECONFLICT, "Another request with this Idempotency-Key was being carried out at the same moment and did not complete; nothing was saved. Please send it again.")
	case q.Committed() && rec.status() < 500:
		saved, _ := json.Marshal(savedResponse{Status: rec.status(), Header: rec.header, Body: rec.body.Bytes()})
		if err := h.desk.SaveIdempotentResponse(ctx, key, saved); err != nil {
			// The person still gets the answer; a retry will hear it was lost.
			h.log.Error("saving the answer to a keyed request failed", "path", r.URL.Path, "err", err)
		}
	}
	rec.copyTo(w)
	return nil
}

// spoolBody copies a multipart body to a temporary file, at most what
// web.ReadMultipart would read, and returns it rewound with the request's
// hash (method, path, content type with its boundary, and body). The
// boundary is part of the hash: a retry sends the same bytes.
func (h *Handler) spoolBody(w http.ResponseWriter, r *http.Request) (*os.File, string, error) {
	f, err := os.CreateTemp("", "rapport-keyed-*")
	if err != nil {
		return nil, "", err
	}
	hs := sha256.New()
	io.WriteString(hs, r.Method+"\x00"+r.URL.Path+"\x00"+r.Header.Get("Content-Type")+"\x00")
	limit := int64(rapport.MaxAttachmentsPerEvent)*(h.desk.MaxFileSize()+1) + web.MaxBodyBytes
	_, err = io.Copy(io.MultiWriter(f, hs), http.MaxBytesReader(w, r.Body, limit))
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, "", rapport.Errorf(rapport.ETOOLARGE, "The request is larger than %d MB: send at most %d files of up to %d MB each.", limit>>20, rapport.MaxAttachmentsPerEvent, h.desk.MaxFileSize()>>20)
		}
		return nil, "", rapport.Errorf(rapport.EINVALID, "The request body could not be read: %v.", err)
	}
	return f, hex.EncodeToString(hs.Sum(nil)), nil
}

// checkKey validates the header's values and returns the key.
func checkKey(vals []string) (string, error) {
	if len(vals) > 1 {
		return "", rapport.Invalid(IdempotencyHeader, "Send one Idempotency-Key header, not %d.", len(vals))
	}
	key := vals[0]
	ok := len(key) >= 1 && len(key) <= 255
	for i := 0; ok && i < len(key); i++ {
		ok = key[i] > ' ' && key[i] < 0x7f
	}
	if !ok {
		return "", rapport.Invalid(IdempotencyHeader, "The Idempotency-Key must be 1 to 255 visible ASCII characters, such as a UUID.")
	}
	return key, nil
}

// replay answers r from the record of an earlier request with key, if there
// is one, and reports whether it did. A record still without an answer
// (committed moments ago) is waited for a little.
func (h *Handler) replay(w http.ResponseWriter, r *http.Request, key, hash string) (bool, error) {
	deadline := time.Now().Add(inFlightWait)
	for {
		k, err := h.desk.IdempotencyKey(r.Context(), key)
		switch {
		case rapport.ErrorCode(err) == rapport.ENOTFOUND:
			return false, nil
		case err != nil:
			return true, err
		case k.RequestHash != hash:
			return true, rapport.Errorf(rapport.EMISMATCH, "This Idempotency-Key was already used for a different request. Use a new key for each new request, and the same key only to retry exactly the same one.")
		case k.Response != nil:
			var saved savedResponse
			if err := json.Unmarshal(k.Response, &saved); err != nil {
				return true, err
			}
			for name, v := range saved.Header {
				w.Header()[name] = v
			}
			w.Header().Set(ReplayedHeader, "true")
			w.WriteHeader(saved.Status)
			w.Write(saved.Body)
			return true, nil
		case time.Now().After(deadline) || h.desk.Now().Sub(k.CreatedAt) > inFlightWait:
			return true, rapport.Errorf(rapport.ECONFLICT, "This request was already carried out and has not been carried out again, but its answer was lost. "+
				"Please look at the result (the ticket or its timeline) instead of sending it again.")
		}
		select {
		case <-r.Context().Done():
			return true, r.Context().Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// recorder keeps a handler's answer so that it can be saved before it is
// sent.
type recorder struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func (rec *recorder) Header() http.Header { return rec.header }

func (rec *recorder) WriteHeader(code int) {
	if rec.code == 0 {
		rec.code = code
	}
}

func (rec *recorder) Write(b []byte) (int, error) {
	rec.WriteHeader(http.StatusOK)
	return rec.body.Write(b)
}

func (rec *recorder) status() int {
	if rec.code == 0 {
		return http.StatusOK
	}
	return rec.code
}

func (rec *recorder) copyTo(w http.ResponseWriter) {
	for name, v := range rec.header {
		w.Header()[name] = v
	}
	w.WriteHeader(rec.status())
	w.Write(rec.body.Bytes())
}
