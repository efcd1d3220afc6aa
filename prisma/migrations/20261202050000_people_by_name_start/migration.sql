-- People whose stored text starts with what was typed, in order, without reading every match: "Maya"
-- is a first name of 8,345 of the 200k bench people, and the trigram index gave all of them to a sort
-- (25-33 ms). A btree in byte order serves both the prefix and the order. On the first 200 characters:
-- a btree entry has a size limit, and a name from Unipile has none.
CREATE INDEX "Attendee_searchText_prefix_idx" ON "Attendee" ((left("searchText", 200) COLLATE "C"));
