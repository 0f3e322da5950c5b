-- +goose Up
-- Response templates (rapport.Template). owner_id is the member of staff a
-- personal template belongs to, NULL for a shared one. name_key is the name
-- in lower case (made by rapport.Template.NameKey, not by SQL, so that both
-- engines agree on every letter): names are unique among the shared
-- templates and among each person's own.
CREATE TABLE templates (
    id         INTEGER PRIMARY KEY,
    owner_id   INTEGER REFERENCES users (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    name_key   TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX templates_name ON templates (COALESCE(owner_id, 0), name_key);

-- The starter set, shared, shipped once: supervisors may edit or delete
-- these, and a deleted one does not come back. The same text is in both
-- dialects' migrations (store tests check it and that every one renders).
INSERT INTO templates (owner_id, name, name_key, subject, body, created_at, updated_at) VALUES (NULL, 'Password reset', 'password reset', 'Your password has been reset',
'Hi {{requester.preferred_name}},

I''ve reset your password, so you can sign in again now.

What happens next:
1. Sign in with the temporary password I''ve given you separately (we never send a password in the same message as your username).
2. You''ll be asked to choose a new password straight away. A short sentence you can remember works well; the sign-in page tells you if it needs anything more.
3. If your phone or laptop keeps asking for the old password (mail, Wi-Fi, chat), type the new one there too. That''s normal and it stops after the first time.

If the temporary password doesn''t work, or you''re locked out again, just reply to this message and I''ll sort it out with you. There''s no need to start a new request: it all stays on ticket {{ticket.number}}.

{{agent.preferred_name}}',
CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);

INSERT INTO templates (owner_id, name, name_key, subject, body, created_at, updated_at) VALUES (NULL, 'New laptop delayed', 'new laptop delayed', 'An update on your new laptop',
'Hi {{requester.preferred_name}},

I''m sorry: your new laptop is taking longer than we said. The supplier has told us it''s delayed, and I know that''s frustrating when you''re waiting to get set up.

Where things stand: the order is placed and it''s with the supplier. I''ll tell you the new delivery date as soon as they give it to us, and the page of ticket {{ticket.number}} shows it too.

In the meantime:
- Keep using your current laptop. Nothing is lost in the switch: we move your files and settings for you when the new one arrives.
- If your current laptop is failing or slowing you down, reply and tell me. We can lend you one from our spare stock so you aren''t stuck.

If the delay puts a deadline at risk, reply with the date you need it by and I''ll see what we can do.

{{agent.preferred_name}}',
CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);

INSERT INTO templates (owner_id, name, name_key, subject, body, created_at, updated_at) VALUES (NULL, 'Access granted', 'access granted', 'You now have access',
'Hi {{requester.preferred_name}},

Good news: the access you asked for ("{{ticket.subject}}") is set up.

To check it works:
1. Sign out and sign in again, or restart your computer. New access often only shows after a fresh sign-in.
2. Open what you needed and try the thing you wanted to do.

It can take up to an hour to reach every system. If it still doesn''t work after that, reply to this message with what you see (a screenshot of any error helps) and I''ll look at it straight away. You can reply even after I''ve marked the ticket resolved: that reopens it, with everything we''ve done so far.

{{agent.preferred_name}}',
CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);

INSERT INTO templates (owner_id, name, name_key, subject, body, created_at, updated_at) VALUES (NULL, 'On hold: waiting for a supplier date', 'on hold: waiting for a supplier date', 'Waiting on the supplier for ticket {{ticket.number}}',
'Hi {{requester.preferred_name}},

A quick update on "{{ticket.subject}}": we need something from our supplier to finish this, and we''re waiting for them to give us a date.

What this means for you:
- Your request is on hold, not forgotten. Its page shows the expected date as soon as we have one.
- We''ll tell you when that date comes near, and straight away if it changes.
- There''s nothing you need to do in the meantime.

If things change at your end (it becomes more urgent, or you find a way around it), reply here and I''ll adjust.

{{agent.preferred_name}}',
CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);

INSERT INTO templates (owner_id, name, name_key, subject, body, created_at, updated_at) VALUES (NULL, 'We need more information', 'we need more information', 'A few questions so we can help',
'Hi {{requester.preferred_name}},

Thanks for getting in touch about "{{ticket.subject}}". I''d like to get this right first time, so I have a few questions:

1. What were you trying to do when it happened?
2. What did you see? The exact words of any error message, or a screenshot, help a lot.
3. When did it start, and does it happen every time?
4. Is anyone near you having the same problem?

Answer whatever you can; "I''m not sure" is a fine answer too. Just reply to this message and it goes straight onto ticket {{ticket.number}}. If it''s easier to talk it through, tell me a time that suits you and I''ll call.

{{agent.preferred_name}}',
CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);

INSERT INTO templates (owner_id, name, name_key, subject, body, created_at, updated_at) VALUES (NULL, 'Resolved: how to check', 'resolved: how to check', 'Fixed: how to check it works',
'Hi {{requester.preferred_name}},

I believe "{{ticket.subject}}" is fixed now, so I''ve marked ticket {{ticket.number}} as resolved.

To check it works for you, try what wasn''t working before, the way you normally would. If it works, you don''t need to do anything: we''ll check in with you in a few days to make sure it has stayed fixed.

If it''s still not right, or it comes back, just reply to this message. That reopens the ticket with everything we''ve done so far, so you won''t have to explain it all again.

{{agent.preferred_name}}',
CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);

INSERT INTO templates (owner_id, name, name_key, subject, body, created_at, updated_at) VALUES (NULL, 'Scheduled visit', 'scheduled visit', 'A visit to sort out "{{ticket.subject}}"',
'Hi {{requester.preferred_name}},

To sort this out, someone from the help desk needs to see it in person. Please reply with two or three times that suit you in the next few days, and I''ll confirm one.

Before the visit:
- Save your work: we may need to restart your computer.
- If you can, note when the problem happens and any messages you see. It helps us find it quickly.
- You don''t need to stay for the whole visit, but we may need you to sign in once.

If the time we agree stops suiting you, reply here or call me on {{agent.phone}} and we''ll move it. Your ticket number is {{ticket.number}}.

{{agent.name}}',
CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);

INSERT INTO templates (owner_id, name, name_key, subject, body, created_at, updated_at) VALUES (NULL, 'Picked up: I''m on it', 'picked up: i''m on it', 'I''m working on your request',
'Hi {{requester.preferred_name}},

I''m {{agent.preferred_name}} from the help desk, and I''ve picked up your request "{{ticket.subject}}" (ticket {{ticket.number}}).

I''m looking into it now. I''ll write again when I know more, and I''ll tell you straight away if I need anything from you.

If something changes in the meantime, or it gets more urgent, reply to this message and it comes straight to me.

{{agent.name}}',
CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);

-- +goose Down
DROP TABLE templates;
