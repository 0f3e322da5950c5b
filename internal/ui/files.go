package ui

import (
	"net/http"
	"strconv"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/attach"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/web"
)

// readForm reads a posted form into r.PostForm: URL-encoded (at most
// maxText bytes), or multipart/form-data from a form with a file field,
// whose files it returns, spooled to disk (done removes them; call it in
// every case). A multipart body too large to read is a field error on
// "files", with every field read until then in r.PostForm: the page comes
// back with the person's words, asking for smaller files.
func (u *UI) readForm(w http.ResponseWriter, r *http.Request, maxText int64) (files []desk.File, done func(), err error) {
	done = func() {}
	if !web.IsMultipart(r) {
		r.Body = http.MaxBytesReader(w, r.Body, maxText)
		if err := r.ParseForm(); err != nil {
			return nil, done, rapport.Errorf(rapport.ETOOLARGE, "That was too large to read. Please shorten it and send it again.")
		}
		return nil, done, nil
	}
	m, err := web.ReadMultipart(w, r, u.desk.MaxFileSize(), rapport.MaxAttachmentsPerEvent)
	r.PostForm, r.Form, done = m.Fields, m.Fields, m.Close
	if rapport.ErrorCode(err) == rapport.ETOOLARGE {
		return nil, done, rapport.Invalid("files", "%s Nothing was sent.", rapport.ErrorMessage(err))
	} else if err != nil {
		return nil, done, err
	}
	for _, f := range m.Files {
		files = append(files, desk.File{Name: f.Name, Type: f.Type, Body: f.File})
	}
	return files, done, nil
}

// attachment serves GET /attachments/{id}: a file on a ticket, to someone
// who may see it (others get the 404 page), with attach.Serve's headers.
func (u *UI) attachment(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return rapport.Errorf(rapport.ENOTFOUND, "There is no file %q.", r.PathValue("id"))
	}
	a, body, err := u.desk.Attachment(r.Context(), id)
	if err != nil {
		return err
	}
	defer body.Close()
	attach.Serve(w, r, a, body)
	return nil
}
