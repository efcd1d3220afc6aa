-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('admin', 'agent');

-- CreateEnum
CREATE TYPE "ChatType" AS ENUM ('single', 'group', 'channel');

-- CreateEnum
CREATE TYPE "MessageStatus" AS ENUM ('pending', 'sent', 'delivered', 'seen', 'failed');

-- CreateEnum
CREATE TYPE "WebhookEventStatus" AS ENUM ('received', 'applied', 'duplicate', 'rejected', 'failed', 'deferred');

-- CreateEnum
CREATE TYPE "SyncStatus" AS ENUM ('queued', 'running', 'succeeded', 'failed', 'cancelled');

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "passwordHash" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'agent',
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AccountGrant" (
    "userId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AccountGrant_pkey" PRIMARY KEY ("userId","accountId")
);

-- CreateTable
CREATE TABLE "Account" (
    "id" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'OK',
    "statusMessage" TEXT,
    "statusAt" TIMESTAMP(3),
    "connectionParams" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "lastSyncedAt" TIMESTAMP(3),

    CONSTRAINT "Account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Chat" (
    "id" TEXT NOT NULL,
    "unipileId" TEXT NOT NULL,
    "providerId" TEXT,
    "accountId" TEXT NOT NULL,
    "type" "ChatType" NOT NULL DEFAULT 'single',
    "name" TEXT,
    "attendeeProviderId" TEXT,
    "lastMessageAt" TIMESTAMP(3),
    "lastMessagePreview" TEXT,
    "unipileTimestamp" TIMESTAMP(3),
    "unreadCount" INTEGER NOT NULL DEFAULT 0,
    "archived" BOOLEAN NOT NULL DEFAULT false,
    "muted" BOOLEAN NOT NULL DEFAULT false,
    "mutedUntil" TIMESTAMP(3),
    "readOnly" BOOLEAN NOT NULL DEFAULT false,
    "lastSyncedAt" TIMESTAMP(3),
    "syncCursor" TEXT,
    "syncCheckpoint" JSONB,
    "syncErrorCount" INTEGER NOT NULL DEFAULT 0,
    "syncLastError" TEXT,
    "raw" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Chat_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Attendee" (
    "id" TEXT NOT NULL,
    "unipileId" TEXT,
    "accountId" TEXT NOT NULL,
    "providerId" TEXT NOT NULL,
    "name" TEXT,
    "pictureUrl" TEXT,
    "profileUrl" TEXT,
    "isSelf" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Attendee_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChatMember" (
    "chatId" TEXT NOT NULL,
    "attendeeId" TEXT NOT NULL,

    CONSTRAINT "ChatMember_pkey" PRIMARY KEY ("chatId","attendeeId")
);

-- CreateTable
CREATE TABLE "Message" (
    "id" TEXT NOT NULL,
    "unipileId" TEXT,
    "providerId" TEXT,
    "chatId" TEXT NOT NULL,
    "senderId" TEXT,
    "senderProviderId" TEXT,
    "text" TEXT,
    "sentAt" TIMESTAMP(3) NOT NULL,
    "isSender" BOOLEAN NOT NULL DEFAULT false,
    "status" "MessageStatus" NOT NULL DEFAULT 'sent',
    "statusError" TEXT,
    "clientTxnId" TEXT,
    "edited" BOOLEAN NOT NULL DEFAULT false,
    "originalText" TEXT,
    "editHistory" JSONB,
    "deleted" BOOLEAN NOT NULL DEFAULT false,
    "deletedAt" TIMESTAMP(3),
    "quotedUnipileId" TEXT,
    "quotedProviderId" TEXT,
    "quotedText" TEXT,
    "quotedSenderId" TEXT,
    "isEvent" BOOLEAN NOT NULL DEFAULT false,
    "eventType" INTEGER,
    "seenBy" JSONB,
    "raw" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Reaction" (
    "id" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "senderId" TEXT,
    "senderProviderId" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "isSender" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Reaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Attachment" (
    "id" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "unipileId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "mimeType" TEXT,
    "size" INTEGER,
    "name" TEXT,
    "width" INTEGER,
    "height" INTEGER,
    "duration" INTEGER,
    "unavailable" BOOLEAN NOT NULL DEFAULT false,
    "url" TEXT,
    "urlExpiresAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Attachment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookEvent" (
    "id" BIGSERIAL NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "event" TEXT,
    "accountId" TEXT,
    "chatId" TEXT,
    "messageId" TEXT,
    "headers" JSONB NOT NULL,
    "body" TEXT NOT NULL,
    "dedupeKey" TEXT,
    "status" "WebhookEventStatus" NOT NULL DEFAULT 'received',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "appliedAt" TIMESTAMP(3),

    CONSTRAINT "WebhookEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncRun" (
    "id" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "accountId" TEXT,
    "chatId" TEXT,
    "status" "SyncStatus" NOT NULL DEFAULT 'queued',
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "heartbeatAt" TIMESTAMP(3),
    "total" INTEGER NOT NULL DEFAULT 0,
    "done" INTEGER NOT NULL DEFAULT 0,
    "counters" JSONB NOT NULL DEFAULT '{}',
    "checkpoint" JSONB,
    "error" TEXT,
    "requestedBy" TEXT,

    CONSTRAINT "SyncRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RealtimeEvent" (
    "id" BIGSERIAL NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "topic" TEXT NOT NULL,
    "accountId" TEXT,
    "chatId" TEXT,
    "payload" JSONB NOT NULL,

    CONSTRAINT "RealtimeEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "AccountGrant_accountId_idx" ON "AccountGrant"("accountId");

-- CreateIndex
CREATE UNIQUE INDEX "Chat_unipileId_key" ON "Chat"("unipileId");

-- CreateIndex
CREATE INDEX "Chat_accountId_lastMessageAt_id_idx" ON "Chat"("accountId", "lastMessageAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Chat_lastMessageAt_id_idx" ON "Chat"("lastMessageAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Chat_accountId_unreadCount_idx" ON "Chat"("accountId", "unreadCount");

-- CreateIndex
CREATE INDEX "Attendee_unipileId_idx" ON "Attendee"("unipileId");

-- CreateIndex
CREATE UNIQUE INDEX "Attendee_accountId_providerId_key" ON "Attendee"("accountId", "providerId");

-- CreateIndex
CREATE INDEX "ChatMember_attendeeId_idx" ON "ChatMember"("attendeeId");

-- CreateIndex
CREATE UNIQUE INDEX "Message_unipileId_key" ON "Message"("unipileId");

-- CreateIndex
CREATE UNIQUE INDEX "Message_clientTxnId_key" ON "Message"("clientTxnId");

-- CreateIndex
CREATE INDEX "Message_chatId_sentAt_id_idx" ON "Message"("chatId", "sentAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Message_providerId_idx" ON "Message"("providerId");

-- CreateIndex
CREATE INDEX "Message_chatId_isSender_status_idx" ON "Message"("chatId", "isSender", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Reaction_messageId_senderProviderId_value_key" ON "Reaction"("messageId", "senderProviderId", "value");

-- CreateIndex
CREATE UNIQUE INDEX "Attachment_messageId_unipileId_key" ON "Attachment"("messageId", "unipileId");

-- CreateIndex
CREATE INDEX "WebhookEvent_status_id_idx" ON "WebhookEvent"("status", "id");

-- CreateIndex
CREATE INDEX "WebhookEvent_dedupeKey_idx" ON "WebhookEvent"("dedupeKey");

-- CreateIndex
CREATE INDEX "WebhookEvent_receivedAt_idx" ON "WebhookEvent"("receivedAt" DESC);

-- CreateIndex
CREATE INDEX "WebhookEvent_chatId_idx" ON "WebhookEvent"("chatId");

-- CreateIndex
CREATE INDEX "SyncRun_status_startedAt_idx" ON "SyncRun"("status", "startedAt" DESC);

-- CreateIndex
CREATE INDEX "SyncRun_startedAt_idx" ON "SyncRun"("startedAt" DESC);

-- CreateIndex
CREATE INDEX "RealtimeEvent_topic_id_idx" ON "RealtimeEvent"("topic", "id");

-- CreateIndex
CREATE INDEX "RealtimeEvent_createdAt_idx" ON "RealtimeEvent"("createdAt");

-- AddForeignKey
ALTER TABLE "AccountGrant" ADD CONSTRAINT "AccountGrant_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccountGrant" ADD CONSTRAINT "AccountGrant_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Chat" ADD CONSTRAINT "Chat_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Attendee" ADD CONSTRAINT "Attendee_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChatMember" ADD CONSTRAINT "ChatMember_chatId_fkey" FOREIGN KEY ("chatId") REFERENCES "Chat"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChatMember" ADD CONSTRAINT "ChatMember_attendeeId_fkey" FOREIGN KEY ("attendeeId") REFERENCES "Attendee"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_chatId_fkey" FOREIGN KEY ("chatId") REFERENCES "Chat"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_senderId_fkey" FOREIGN KEY ("senderId") REFERENCES "Attendee"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reaction" ADD CONSTRAINT "Reaction_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reaction" ADD CONSTRAINT "Reaction_senderId_fkey" FOREIGN KEY ("senderId") REFERENCES "Attendee"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Attachment" ADD CONSTRAINT "Attachment_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Search: full text and substring over message text (not expressible in schema.prisma).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "Message_text_trgm_idx" ON "Message" USING gin ("text" gin_trgm_ops);
CREATE INDEX "Message_text_fts_idx" ON "Message" USING gin (to_tsvector('simple', coalesce("text", '')));
