-- CreateEnum
CREATE TYPE "WorkState" AS ENUM ('open', 'done', 'snoozed');

-- AlterTable
ALTER TABLE "Chat" ADD COLUMN     "assigneeId" TEXT,
ADD COLUMN     "doneAt" TIMESTAMP(3),
ADD COLUMN     "pinned" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "snoozeUntilReply" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "snoozedUntil" TIMESTAMP(3),
ADD COLUMN     "wokenAt" TIMESTAMP(3),
ADD COLUMN     "workState" "WorkState" NOT NULL DEFAULT 'open';

-- CreateTable
CREATE TABLE "UserPreference" (
    "userId" TEXT NOT NULL,
    "autoAssignOnReply" BOOLEAN NOT NULL DEFAULT true,
    "desktopNotifications" BOOLEAN NOT NULL DEFAULT false,
    "sound" BOOLEAN NOT NULL DEFAULT false,
    "watchedViews" TEXT[] DEFAULT ARRAY['mine', 'unassigned']::TEXT[],
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "UserPreference_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "ChatActivity" (
    "id" BIGSERIAL NOT NULL,
    "chatId" TEXT NOT NULL,
    "actorId" TEXT,
    "kind" VARCHAR(32) NOT NULL,
    "details" JSONB,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChatActivity_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ChatActivity_chatId_at_id_idx" ON "ChatActivity"("chatId", "at", "id");

-- AddForeignKey
ALTER TABLE "UserPreference" ADD CONSTRAINT "UserPreference_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Chat" ADD CONSTRAINT "Chat_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChatActivity" ADD CONSTRAINT "ChatActivity_chatId_fkey" FOREIGN KEY ("chatId") REFERENCES "Chat"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChatActivity" ADD CONSTRAINT "ChatActivity_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
