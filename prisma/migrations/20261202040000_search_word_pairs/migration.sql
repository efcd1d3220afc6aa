-- Phrases through an index of adjacent word pairs. Trigrams are taken word by word, so for a phrase
-- of common words ("meeting tomorrow") the trigram index returns every message holding both words
-- (165,000 of the 3M bench messages) and each is read to find none has the phrase: 1.3 s. Each
-- message's pairs of adjacent words ("meeting tomorrow", …) in a GIN index find exactly the messages
-- with those words side by side. Words are split at ASCII spaces and punctuation, as wordPairs() in
-- src/server/services/search-sql.ts splits a phrase (search-pairs.int.test.ts checks they agree).
CREATE OR REPLACE FUNCTION parley_word_pairs(t text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN t IS NULL THEN '{}'::text[] ELSE ARRAY(
    SELECT DISTINCT p FROM (
      SELECT w || ' ' || lead(w) OVER (ORDER BY i) AS p
      FROM unnest(regexp_split_to_array(t, '[\x09-\x0d\x20-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]+')) WITH ORDINALITY AS x(w, i)
      WHERE w <> ''
    ) y WHERE p IS NOT NULL
  ) END
$$;
CREATE INDEX "Message_searchText_pairs_idx" ON "Message" USING gin (parley_word_pairs("searchText"));
