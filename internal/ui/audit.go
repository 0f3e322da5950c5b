package ui

import (
	"net/http"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/web"
)

// The audit log of staff reads of private data, for supervisors and
// administrators: who read whose profile, mail, files or strike history,
// through which route and when.

const auditPageSize = 50

var auditWhatTitles = map[rapport.AuditWhat]string{
	rapport.AuditProfile:    "Profile",
	rapport.AuditMail:       "Mail",
	rapport.AuditAttachment: "File",
	rapport.AuditStrikes:    "Strike history",
}

var auditRouteTitles = map[rapport.Route]string{
	rapport.RouteWeb: "Web",
	rapport.RouteAPI: "API",
	rapport.RouteCLI: "Command line",
}

type auditPage struct {
	User, Staff     string // the filters as typed
	Errors          map[string]string
	Entries         []*rapport.AuditEntry
	What            map[rapport.AuditWhat]string
	Routes          map[rapport.Route]string
	Next, FirstPage string
	Later, Filtered bool
	Error           string
}

// audit serves GET /audit?user=&staff=&cursor=.
func (u *UI) audit(w http.ResponseWriter, r *http.Request) error {
	if !rapport.UserFromContext(r.Context()).CanSupervise() {
		return rapport.Errorf(rapport.EFORBIDDEN, "Only supervisors and administrators can read the audit log.")
	}
	qs := r.URL.Query()
	p := &auditPage{User: qs.Get("user"), Staff: qs.Get("staff"), Errors: map[string]string{},
		What: auditWhatTitles, Routes: auditRouteTitles, Later: qs.Get("cursor") != ""}
	p.Filtered = p.User != "" || p.Staff != ""
	ctx := r.Context()
	f := rapport.AuditFilter{After: qs.Get("cursor"), Limit: auditPageSize}
	var err error
	for _, x := range []struct {
		field, value string
		id           *int64
	}{{"user", p.User, &f.UserID}, {"staff", p.Staff, &f.StaffID}} {
		*x.id, err = u.desk.AuditPerson(ctx, x.field, x.value)
		if err != nil && rapport.ErrorCode(err) != rapport.EINVALID {
			return err
		} else if err != nil {
			p.Errors[x.field] = firstFieldMessage(err)
		}
	}
	status := http.StatusOK
	if len(p.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	} else {
		es, next, err := u.desk.Audit(ctx, f)
		switch rapport.ErrorCode(err) {
		case "":
			p.Entries, p.Next = es, web.SetNext(w, r, next)
		case rapport.EINVALID:
			if fs := rapport.ErrorFields(err); len(fs) > 0 && fs[0].Field != "cursor" {
				p.Errors[fs[0].Field] = fs[0].Message
			} else {
				p.Error = "This page link is damaged. Start again from the first page."
			}
			status = http.StatusUnprocessableEntity
		default:
			return err
		}
	}
	if p.Later {
		first := r.URL.Query()
		first.Del("cursor")
		p.FirstPage = pageURL(r.URL.Path, first)
	}
	u.render(w, r, status, "audit", "Audit log", p)
	return nil
}

// firstFieldMessage is err's first field message, or its message.
func firstFieldMessage(err error) string {
	if fs := rapport.ErrorFields(err); len(fs) > 0 {
		return fs[0].Message
	}
	return rapport.ErrorMessage(err)
}
