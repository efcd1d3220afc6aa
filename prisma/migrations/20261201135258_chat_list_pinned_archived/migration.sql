-- DropIndex
DROP INDEX "Chat_accountId_lastMessageAt_id_idx";

-- DropIndex
DROP INDEX "Chat_lastMessageAt_id_idx";

-- CreateIndex
CREATE INDEX "Chat_accountId_archived_pinned_lastMessageAt_id_idx" ON "Chat"("accountId", "archived", "pinned", "lastMessageAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Chat_archived_pinned_lastMessageAt_id_idx" ON "Chat"("archived", "pinned", "lastMessageAt" DESC, "id" DESC);
