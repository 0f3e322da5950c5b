package web

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/rapportdesk/rapport"
)

// Upload is one file of a multipart form, spooled to a temporary file so
// that no upload is held in memory. Close removes it.
type Upload struct {
	Name string // as the client sent it (clean it before showing)
	Type string // as the client declared it (never trust it)
	File *os.File
}

// Close removes the spooled file.
func (u *Upload) Close() {
	u.File.Close()
	os.Remove(u.File.Name())
}

// Multipart is a multipart/form-data request read by ReadMultipart.
type Multipart struct {
	Fields url.Values
	Files  []*Upload
}

// Close removes every spooled file.
func (m *Multipart) Close() {
	for _, u := range m.Files {
		u.Close()
	}
}

// IsMultipart reports whether r carries a multipart/form-data body.
func IsMultipart(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt == "multipart/form-data"
}

// ReadMultipart reads a multipart/form-data body as it streams in: text
// fields (at most MaxBodyBytes in all) and up to maxFiles files. A file
// longer than maxFile is kept only to maxFile+1 bytes and the rest of it
// skipped, so the size check that follows (attach.Store.Put) refuses it
// while every other field still arrives: a person who picked too big a
// file loses none of the words they typed. The whole body may be at most
// maxFiles×(maxFile+1) plus MaxBodyBytes; past that the answer is
// ETOOLARGE, with the fields read until then still in the result. The
// caller closes the result (which removes the spooled files) in every case.
//
// A file input left empty sends a part with an empty file name and no
// bytes: it is skipped.
func ReadMultipart(w http.ResponseWriter, r *http.Request, maxFile int64, maxFiles int) (*Multipart, error) {
	m := &Multipart{Fields: url.Values{}}
	limit := int64(maxFiles)*(maxFile+1) + MaxBodyBytes
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	mr, err := r.MultipartReader()
	if err != nil {
		return m, rapport.Errorf(rapport.EINVALID, "The request is not a multipart form: %v.", err)
	}
	text := int64(0)
	tooLarge := func(err error) error {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return rapport.Errorf(rapport.ETOOLARGE, "The request is larger than %d MB: send at most %d files of up to %d MB each.", limit>>20, maxFiles, maxFile>>20)
		}
		return rapport.Errorf(rapport.EINVALID, "The multipart form could not be read: %v.", err)
	}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return m, nil
		} else if err != nil {
			return m, tooLarge(err)
		}
		_, params, _ := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
		name := p.FormName()
		if _, isFile := params["filename"]; !isFile {
			b, err := io.ReadAll(io.LimitReader(p, MaxBodyBytes-text+1))
			if err != nil {
				return m, tooLarge(err)
			}
			if text += int64(len(b)); text > MaxBodyBytes {
				return m, rapport.Errorf(rapport.ETOOLARGE, "The form's text is larger than %d KB.", MaxBodyBytes>>10)
			}
			m.Fields.Add(name, string(b))
			continue
		}
		u, err := spool(p, params["filename"], maxFile)
		if err != nil {
			return m, tooLarge(err)
		}
		if u == nil { // an empty file input
			continue
		}
		m.Files = append(m.Files, u)
		if len(m.Files) > maxFiles {
			return m, rapport.Invalid(name, "You sent more than %d files; at most %d can go with one message.", maxFiles, maxFiles)
		}
	}
}

// spool copies a file part to a temporary file, at most maxFile+1 bytes of
// it, skipping the rest. It returns nil for an empty, unnamed part.
func spool(p *multipart.Part, name string, maxFile int64) (*Upload, error) {
	f, err := os.CreateTemp("", "rapport-form-*")
	if err != nil {
		return nil, err
	}
	u := &Upload{Name: name, Type: p.Header.Get("Content-Type"), File: f}
	n, err := io.Copy(f, io.LimitReader(p, maxFile+1))
	if err == nil {
		_, err = io.Copy(io.Discard, p)
	}
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil || (n == 0 && strings.TrimSpace(name) == "") {
		u.Close()
		return nil, err
	}
	return u, nil
}
