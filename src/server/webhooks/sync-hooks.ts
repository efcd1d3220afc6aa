// Where webhook handling asks the sync engine for work: a chat seen for the first time (history),
// a gap in a known chat, an account that is healthy again. The sync engine owns the queue.
export async function onChatDiscovered(_chatId: string, _accountId: string): Promise<void> {}
export async function onChatGap(_chatId: string): Promise<void> {}
export async function onAccountHealthy(_accountId: string): Promise<void> {}
