-- CreateTable
CREATE TABLE "CachedBlob" (
    "sha256" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "bytes" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CachedBlob_pkey" PRIMARY KEY ("sha256")
);

-- CreateTable
CREATE TABLE "CachedFile" (
    "key" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "source" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CachedFile_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "CachedBlob_lastUsedAt_idx" ON "CachedBlob"("lastUsedAt");

-- CreateIndex
CREATE INDEX "CachedFile_sha256_idx" ON "CachedFile"("sha256");

-- AddForeignKey
ALTER TABLE "CachedFile" ADD CONSTRAINT "CachedFile_sha256_fkey" FOREIGN KEY ("sha256") REFERENCES "CachedBlob"("sha256") ON DELETE CASCADE ON UPDATE CASCADE;
