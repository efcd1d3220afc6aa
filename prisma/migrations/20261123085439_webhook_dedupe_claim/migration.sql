-- AlterTable
ALTER TABLE "WebhookEvent" ADD COLUMN     "dedupeClaim" TEXT,
ADD COLUMN     "notBefore" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex
CREATE UNIQUE INDEX "WebhookEvent_dedupeClaim_key" ON "WebhookEvent"("dedupeClaim");

-- CreateIndex
CREATE INDEX "WebhookEvent_status_notBefore_idx" ON "WebhookEvent"("status", "notBefore");

-- CreateIndex
CREATE INDEX "WebhookEvent_messageId_idx" ON "WebhookEvent"("messageId");
