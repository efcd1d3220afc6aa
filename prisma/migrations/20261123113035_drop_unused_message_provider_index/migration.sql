-- DropIndex
DROP INDEX "Message_providerId_idx";
