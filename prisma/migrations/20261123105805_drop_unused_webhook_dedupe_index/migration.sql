-- DropIndex
DROP INDEX "WebhookEvent_dedupeKey_idx";
