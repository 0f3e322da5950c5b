package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/attach"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/web"
)

// attachmentJSON is a file on a timeline entry; url downloads it.
type attachmentJSON struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Type      string    `json:"type"`
	Size      int64     `json:"size"`
	SHA256    string    `json:"sha256"`
	URL       string    `json:"url"`
	CreatedAt time.Time `json:"created_at"`
}

func toAttachment(a *rapport.Attachment) *attachmentJSON {
	return &attachmentJSON{ID: a.ID, Name: a.Name, Type: a.Type, Size: a.Size, SHA256: a.SHA256,
		URL: "/api/v1/attachments/" + strconv.FormatInt(a.ID, 10), CreatedAt: a.CreatedAt}
}

// addMessageWithFiles is POST /tickets/{id}/messages as
// multipart/form-data: fields body and internal (true or false), and any
// number of file parts named file (at most rapport.MaxAttachmentsPerEvent).
func (h *Handler) addMessageWithFiles(w http.ResponseWriter, r *http.Request, id int64) error {
	m, err := web.ReadMultipart(w, r, h.desk.MaxFileSize(), rapport.MaxAttachmentsPerEvent)
	defer m.Close()
	if err != nil {
		return err
	}
	var p rapport.Problems
	for name, vs := range m.Fields {
		switch {
		case name != "body" && name != "internal":
			p.Add(name, "The form has no field %q: send body, internal and files named file.", name)
		case len(vs) > 1:
			p.Add(name, "Send %s once, not %d times.", name, len(vs))
		}
	}
	internal := false
	if v := m.Fields.Get("internal"); v != "" {
		if internal, err = strconv.ParseBool(v); err != nil {
			p.Add("internal", "internal must be true or false, not %q.", v)
		}
	}
	files := make([]desk.File, 0, len(m.Files))
	for _, u := range m.Files {
		files = append(files, desk.File{Name: u.Name, Type: u.Type, Body: u.File})
	}
	if err := p.Err(); err != nil {
		return err
	}
	ev, err := h.desk.AddMessageWithFiles(r.Context(), id, m.Fields.Get("body"), internal, files)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, toEvent(ev))
}

// attachment is GET /attachments/{id}: the file's bytes, for someone who
// may see it (see attach.Serve for the headers).
func (h *Handler) attachment(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return rapport.Errorf(rapport.ENOTFOUND, "There is no file %q: file numbers are whole numbers like 42.", r.PathValue("id"))
	}
	a, body, err := h.desk.Attachment(r.Context(), id)
	if err != nil {
		return err
	}
	defer body.Close()
	attach.Serve(w, r, a, body)
	return nil
}
