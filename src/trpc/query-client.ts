import { defaultShouldDehydrateQuery, QueryClient } from "@tanstack/react-query";
import { deserialize, serialize } from "@/lib/transformer";

export function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 30 * 1000 },
      dehydrate: {
        serializeData: serialize,
        shouldDehydrateQuery: (query) => defaultShouldDehydrateQuery(query) || query.state.status === "pending",
      },
      hydrate: { deserializeData: deserialize },
    },
  });
}
