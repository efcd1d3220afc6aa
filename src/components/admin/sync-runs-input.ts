// The sync page's runs query, one value for the page's server prefetch and the client's query, so
// the prefetched runs are the ones the page shows (a different input is a different cache entry).
export function syncRunsInput(automatic: boolean) {
  return { limit: 20, automatic };
}
