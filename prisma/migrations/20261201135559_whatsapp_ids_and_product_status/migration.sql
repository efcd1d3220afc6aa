-- AlterTable
ALTER TABLE "Account" ADD COLUMN     "productStatuses" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "Attendee" ADD COLUMN     "altProviderId" TEXT,
ADD COLUMN     "phoneNumber" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Attendee_accountId_altProviderId_key" ON "Attendee"("accountId", "altProviderId");
