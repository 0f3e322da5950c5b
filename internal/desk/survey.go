package desk

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/rapportdesk/rapport"
)

// Signed links (issue 9). A check-in mail carries links that work without
// signing in: each names one check-in or survey and when it expires, and
// is signed with the site's secret (the store's secret LinkSecret, the
// same on every node), so nobody can make one for another ticket or
// stretch its life. A link only opens a page: answering is a POST from it.

// LinkSecret names the store secret that signs follow-up links.
const LinkSecret = "followup-link"

// The kinds of link.
const (
	linkCheckin = "c"
	linkSurvey  = "s"
)

// Link errors: both say the same thing in kind words, and neither tells a
// forger which part was wrong. ECONFLICT for an expired link keeps it
// apart from a broken one (ENOTFOUND) for the page's status.
var (
	errBadLink = rapport.Errorf(rapport.ENOTFOUND, "This link does not work: it may have been cut short or changed along the way. "+
		"Try opening it again from the email, or sign in to see your ticket.")
	errExpiredLink = rapport.Errorf(rapport.ECONFLICT, "This link has expired. "+
		"If something is still wrong, sign in to reopen your ticket, or simply ask for help again: we are glad to hear from you.")
)

// LinkErr reports whether err is a broken or expired follow-up link, for
// the page that answers it kindly.
func LinkErr(err error) (expired, bad bool) { return err == errExpiredLink, err == errBadLink }

// FollowUpLinks are the tokens of one check-in mail.
type FollowUpLinks struct{ Checkin, Survey string }

// FollowUpLinks signs the links of the check-in and its survey, valid
// until expires.
func (d *Desk) FollowUpLinks(ctx context.Context, checkinID, surveyID int64, expires time.Time) (FollowUpLinks, error) {
	key, err := d.store.Secret(ctx, LinkSecret)
	if err != nil {
		return FollowUpLinks{}, err
	}
	return followUpLinks(key, checkinID, surveyID, expires), nil
}

func followUpLinks(key []byte, checkinID, surveyID int64, expires time.Time) FollowUpLinks {
	return FollowUpLinks{Checkin: signLink(key, linkCheckin, checkinID, expires), Survey: signLink(key, linkSurvey, surveyID, expires)}
}

// signLink makes KIND.ID.EXPIRES.MAC, the numbers in base 36.
func signLink(key []byte, kind string, id int64, expires time.Time) string {
	body := kind + "." + strconv.FormatInt(id, 36) + "." + strconv.FormatInt(expires.Unix(), 36)
	return body + "." + linkMAC(key, body)
}

func linkMAC(key []byte, body string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(body))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

// readLink checks a token of kind and returns the id it names.
func (d *Desk) readLink(ctx context.Context, kind, token string) (int64, error) {
	parts := strings.Split(strings.TrimSpace(token), ".")
	if len(parts) != 4 || parts[0] != kind || len(token) > 100 {
		return 0, errBadLink
	}
	key, err := d.store.Secret(ctx, LinkSecret)
	if err != nil {
		return 0, err
	}
	body := strings.Join(parts[:3], ".")
	if !hmac.Equal([]byte(parts[3]), []byte(linkMAC(key, body))) {
		return 0, errBadLink
	}
	id, err1 := strconv.ParseInt(parts[1], 36, 64)
	exp, err2 := strconv.ParseInt(parts[2], 36, 64)
	if err1 != nil || err2 != nil || id <= 0 {
		return 0, errBadLink
	}
	if !d.now().Before(time.Unix(exp, 0)) {
		return 0, errExpiredLink
	}
	return id, nil
}

// SurveyByLink returns the survey a signed link names, and its ticket.
func (d *Desk) SurveyByLink(ctx context.Context, token string) (*rapport.Survey, *rapport.Ticket, error) {
	id, err := d.readLink(ctx, linkSurvey, token)
	if err != nil {
		return nil, nil, err
	}
	s, err := d.store.FindSurvey(ctx, id)
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		return nil, nil, errBadLink
	} else if err != nil {
		return nil, nil, err
	}
	t, err := d.store.FindTicketByID(ctx, s.TicketID)
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		return nil, nil, errBadLink
	}
	return s, t, err
}

// AnswerSurveyByLink answers the survey a signed link names, as its
// requester, without signing in.
func (d *Desk) AnswerSurveyByLink(ctx context.Context, token string, a rapport.SurveyAnswer) (*rapport.Survey, error) {
	s, _, err := d.SurveyByLink(ctx, token)
	if err != nil {
		return nil, err
	}
	return d.answerSurvey(ctx, s.Requester.ID, s.ID, a)
}

// AnswerSurvey answers a survey as the signed-in requester it asks.
func (d *Desk) AnswerSurvey(ctx context.Context, id int64, a rapport.SurveyAnswer) (*rapport.Survey, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	return d.answerSurvey(ctx, me.ID, id, a)
}

// answerSurvey records requester's answer. It may be changed until the
// survey expires (people correct a slip of the finger); the supervisors
// hear of a complaint when an answer becomes one, not again on every
// change, and the requester is thanked for it by mail.
func (d *Desk) answerSurvey(ctx context.Context, requester, id int64, a rapport.SurveyAnswer) (*rapport.Survey, error) {
	if err := a.Clean(); err != nil {
		return nil, err
	}
	missing := rapport.Errorf(rapport.ENOTFOUND, "There is no survey %d, or you do not have access to it.", id)
	var complaint *rapport.Survey
	err := d.store.Update(ctx, func(tx rapport.Tx) error {
		complaint = nil
		s, err := tx.LockSurvey(ctx, id)
		if rapport.ErrorCode(err) == rapport.ENOTFOUND {
			return missing
		} else if err != nil {
			return err
		}
		if s.Requester == nil || s.Requester.ID != requester {
			return missing
		}
		was := s.Score != nil && rapport.Complaint(*s.Score)
		if err := s.Answer(a, d.now()); err != nil {
			return err
		}
		if err := tx.AnswerSurvey(ctx, s); err != nil {
			return err
		}
		if was || !rapport.Complaint(a.Score) {
			return nil
		}
		complaint = s
		if !d.Notices {
			return nil
		}
		key := "complaint:" + strconv.FormatInt(s.ID, 10) + ":" + strconv.FormatInt(s.AnsweredAt.Unix(), 10)
		return enqueueNotices(ctx, tx, s.TicketID, []Notice{
			{Kind: NoticeComplaint, TicketID: s.TicketID, Key: key + ":supervisors", Body: s.Comment, By: s.Requester.Name, Score: a.Score},
			{Kind: NoticeFeedbackThanks, TicketID: s.TicketID, To: requester, Key: key + ":thanks", Score: a.Score},
		})
	})
	if err != nil {
		return nil, err
	}
	if complaint != nil {
		d.alert(ctx, AlertComplaint, complaint.TicketID, 0)
	}
	s, err := d.store.FindSurvey(ctx, id)
	return s, afterCommit(err)
}

// Surveys returns a ticket's surveys, oldest first: to staff, and to the
// ticket's requester.
func (d *Desk) Surveys(ctx context.Context, ticketID int64) ([]*rapport.Survey, error) {
	if _, err := d.Ticket(ctx, ticketID); err != nil {
		return nil, err
	}
	return d.store.FindSurveys(ctx, ticketID)
}
