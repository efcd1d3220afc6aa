-- Search reads folded text from stored columns instead of calling parley_fold() on every row it
-- looks at. The indexes were already on parley_fold(…), but a newest-first walk over messages (a
-- common word: the newest 500 of hundreds of thousands of matches) filters each row it passes, and
-- parley_fold() is a PL/pgSQL call of ~20 µs a row: 5,000 rows took 120 ms on the 3M-message bench
-- set. A LIKE on a stored column takes well under a microsecond. The columns are generated, so every
-- write path (sync, webhooks, edits) keeps them right without knowing of them; they are not in
-- schema.prisma (Prisma has no generated columns) and nothing writes them.
-- The old indexes go first: adding a stored column rewrites the table and would rebuild them.
DROP INDEX IF EXISTS "Message_text_fold_trgm_idx";
DROP INDEX IF EXISTS "Message_text_fold_fts_idx";
DROP INDEX IF EXISTS "Attendee_search_trgm_idx";
DROP INDEX IF EXISTS "Chat_search_trgm_idx";
DROP INDEX IF EXISTS "Attachment_name_trgm_idx";

ALTER TABLE "Message" ADD COLUMN "searchText" text GENERATED ALWAYS AS (parley_fold("text")) STORED;
CREATE INDEX "Message_searchText_trgm_idx" ON "Message" USING gin ("searchText" gin_trgm_ops);
-- Whole-word matches of one- and two-character words (too short for trigrams).
CREATE INDEX "Message_searchText_fts_idx" ON "Message" USING gin (to_tsvector('simple', coalesce("searchText", '')));

-- People by name, provider id (public identifier), phone number and profile URL.
ALTER TABLE "Attendee" ADD COLUMN "searchText" text GENERATED ALWAYS AS (
  parley_fold(coalesce("name", '') || ' ' || "providerId" || ' ' || coalesce("altProviderId", '') || ' ' || coalesce("phoneNumber", '') || ' ' || coalesce("profileUrl", ''))
) STORED;
CREATE INDEX "Attendee_searchText_trgm_idx" ON "Attendee" USING gin ("searchText" gin_trgm_ops);

-- Chats by name and InMail subject.
ALTER TABLE "Chat" ADD COLUMN "searchText" text GENERATED ALWAYS AS (
  parley_fold(coalesce("name", '') || ' ' || coalesce("raw"->>'subject', ''))
) STORED;
CREATE INDEX "Chat_searchText_trgm_idx" ON "Chat" USING gin ("searchText" gin_trgm_ops);

-- Files by name.
ALTER TABLE "Attachment" ADD COLUMN "searchName" text GENERATED ALWAYS AS (parley_fold(coalesce("name", ''))) STORED;
CREATE INDEX "Attachment_searchName_trgm_idx" ON "Attachment" USING gin ("searchName" gin_trgm_ops);
