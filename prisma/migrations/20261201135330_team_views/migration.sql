-- The team views (Mine / Unassigned / All × Open / Snoozed / Done) list pinned chats first, like every view.
-- CreateIndex
CREATE INDEX "Chat_workState_archived_pinned_lastMessageAt_id_idx" ON "Chat"("workState", "archived", "pinned", "lastMessageAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Chat_assigneeId_workState_archived_pinned_lastMessageAt_id_idx" ON "Chat"("assigneeId", "workState", "archived", "pinned", "lastMessageAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Chat_workState_snoozedUntil_idx" ON "Chat"("workState", "snoozedUntil");
