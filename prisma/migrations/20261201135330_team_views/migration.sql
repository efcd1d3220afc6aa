-- CreateIndex
CREATE INDEX "Chat_workState_lastMessageAt_id_idx" ON "Chat"("workState", "lastMessageAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Chat_assigneeId_workState_lastMessageAt_id_idx" ON "Chat"("assigneeId", "workState", "lastMessageAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Chat_workState_snoozedUntil_idx" ON "Chat"("workState", "snoozedUntil");
