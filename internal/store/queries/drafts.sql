-- name: get-draft
SELECT user_id, form_key, token, subject, description, impact_outage, impact_costs_money, impact_blocks_work, sent, updated_at
FROM drafts WHERE user_id = ? AND form_key = ?;

-- One draft per person per form; a save from the sitting that sent the
-- form (same token, sent) changes nothing.
-- name: save-draft
INSERT INTO drafts (user_id, form_key, token, subject, description, impact_outage, impact_costs_money, impact_blocks_work, sent, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, FALSE, ?)
ON CONFLICT (user_id, form_key) DO UPDATE SET
    token = excluded.token, subject = excluded.subject, description = excluded.description,
    impact_outage = excluded.impact_outage, impact_costs_money = excluded.impact_costs_money,
    impact_blocks_work = excluded.impact_blocks_work, sent = FALSE, updated_at = excluded.updated_at
WHERE NOT (drafts.sent AND drafts.token = excluded.token);

-- name: send-draft
INSERT INTO drafts (user_id, form_key, token, subject, description, impact_outage, impact_costs_money, impact_blocks_work, sent, updated_at)
VALUES (?, ?, ?, '', '', FALSE, FALSE, FALSE, TRUE, ?)
ON CONFLICT (user_id, form_key) DO UPDATE SET
    token = excluded.token, subject = '', description = '',
    impact_outage = FALSE, impact_costs_money = FALSE, impact_blocks_work = FALSE,
    sent = TRUE, updated_at = excluded.updated_at;
