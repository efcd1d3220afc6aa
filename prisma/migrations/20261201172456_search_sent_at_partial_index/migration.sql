-- DropIndex
DROP INDEX "Message_sentAt_idx";

-- Search's newest-first walk, on searchable messages only (search filters deleted = false AND
-- "isEvent" = false). A plain ("sentAt" DESC) index was also taken for a chat's own pages
-- (WHERE "chatId" = … ORDER BY "sentAt" DESC, id DESC): for a chat whose messages are old, PostgreSQL
-- then walked every newer message of every other chat. Chat pages keep (chatId, sentAt, id).
CREATE INDEX "Message_search_sentAt_idx" ON "Message"("sentAt" DESC) WHERE deleted = false AND "isEvent" = false;
