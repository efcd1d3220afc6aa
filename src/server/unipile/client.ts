// The only code in the app that calls Unipile over HTTP: the list of endpoints, each with the schema
// its answer must match. How a call is made (timeouts, retries, the per-account limit, pages) is in
// transport.ts. LinkedIn answers 429/500 when pushed, so the transport keeps parallel calls low.
import { unipileConfig } from "../env.ts";
import {
  AccountListSchema,
  AccountSchema,
  AttendeeListSchema,
  AttendeeSchema,
  ChatListSchema,
  ChatActionAnswerSchema,
  ChatPatchedSchema,
  ChatSchema,
  ChatStartedSchema,
  MessageActionSchema,
  MessageForwardedSchema,
  MessageListSchema,
  MessageSchema,
  MessageSentSchema,
  UserProfileSchema,
  WebhookCreatedSchema,
  WebhookDeletedSchema,
  WebhookListSchema,
  type Account,
  type Attendee,
  type Chat,
  type ChatActionAnswer,
  type ChatPatched,
  type ChatStatusChange,
  type ChatStarted,
  type CreateWebhookInput,
  type Message,
  type MessageAction,
  type MessageForwarded,
  type MessageSent,
  type Page,
  type UserProfile,
  type Webhook,
  type WebhookCreated,
} from "./schemas.ts";
import { type AttachmentDownload, type CallOptions, createTransport, enc, pages, type UnipileClientOptions } from "./transport.ts";

/** A person is waiting (mark read, send, an attachment or avatar): answer or fail within this. */
export const INTERACTIVE_BUDGET_MS = 10_000;

type Time = string | Date;
type ListChatsFilter = {
  account_id?: string | string[];
  account_type?: string;
  unread?: boolean;
  before?: Time;
  after?: Time;
  limit?: number;
  cursor?: string | null;
};
type ListMessagesFilter = {
  before?: Time;
  after?: Time;
  limit?: number;
  cursor?: string | null;
  sender_id?: string;
};
type ListAllMessagesFilter = ListMessagesFilter & { account_id?: string };
type ListAttendeesFilter = { account_id?: string; limit?: number; cursor?: string | null };
type PageFilter = { limit?: number; cursor?: string | null };

export type OutgoingAttachment = { name: string; type?: string; data: Blob | Uint8Array };
export type SendMessageInput = {
  text?: string;
  attachments?: OutgoingAttachment[];
  /** Unipile id of the message replied to. */
  quote_id?: string;
  /** Unipile refuses the send when the chat is not on this account: a cheap safety check. */
  account_id?: string;
  thread_id?: string;
};
type StartChatInput = {
  account_id: string;
  /** Provider ids; several make one group chat. */
  attendees_ids: string[];
  text?: string;
  subject?: string;
  attachments?: OutgoingAttachment[];
  /** LinkedIn only: which product sends it, and whether it is an InMail (`linkedin[api]`, `linkedin[inmail]`). */
  linkedin?: { api?: "classic" | "recruiter" | "sales_navigator"; inmail?: boolean };
};

function appendFiles(form: FormData, files: OutgoingAttachment[] | undefined) {
  for (const f of files ?? []) {
    const blob = f.data instanceof Blob ? f.data : new Blob([f.data as Uint8Array<ArrayBuffer>], { type: f.type ?? "application/octet-stream" });
    form.append("attachments", blob, f.name);
  }
}

export function createUnipileClient(options: UnipileClientOptions) {
  const { base, json, download } = createTransport(options);
  const interactive = (o: CallOptions): CallOptions => ({ budgetMs: INTERACTIVE_BUDGET_MS, ...o });
  const single = (id: string | string[] | undefined) => (typeof id === "string" ? id : undefined);

  const client = {
    baseUrl: base,

    listAccounts(f: PageFilter = {}, o: CallOptions = {}): Promise<Page<Account>> {
      return json({ method: "GET", path: "/accounts", query: f, ...o }, AccountListSchema);
    },
    getAccount(id: string, o: CallOptions = {}): Promise<Account> {
      return json({ method: "GET", path: `/accounts/${enc(id)}`, accountId: id, ...o }, AccountSchema);
    },

    listChats(f: ListChatsFilter = {}, o: CallOptions = {}): Promise<Page<Chat>> {
      return json({ method: "GET", path: "/chats", query: f, accountId: single(f.account_id), ...o }, ChatListSchema);
    },
    iterateChats(f: ListChatsFilter = {}, o: CallOptions = {}): AsyncGenerator<Page<Chat>> {
      return pages(f, (g) => client.listChats(g, o));
    },
    /** `chatId` may be a provider chat id when `account_id` is given. */
    getChat(chatId: string, q: { account_id?: string } = {}, o: CallOptions = {}): Promise<Chat> {
      return json({ method: "GET", path: `/chats/${enc(chatId)}`, query: q, accountId: q.account_id, ...o }, ChatSchema);
    },
    setChatReadStatus(chatId: string, read: boolean, o: CallOptions = {}): Promise<ChatPatched> {
      return json({ method: "PATCH", path: `/chats/${enc(chatId)}`, json: { action: "setReadStatus", value: read }, ...interactive(o) }, ChatPatchedSchema);
    },
    /**
     * Archive, pin or mute a chat (REFERENCE.md §8: likely, not in SDK 1.9.3). Mute takes true (no
     * end), false (unmute) or an ISO time; the answer is taken as any JSON object, ChatPatched or not.
     * Idempotent (it sets a value), so 5xx are retried like reads.
     */
    setChatStatus(chatId: string, change: ChatStatusChange, o: CallOptions = {}): Promise<ChatActionAnswer> {
      return json({ method: "PATCH", path: `/chats/${enc(chatId)}`, json: change, ...interactive(o) }, ChatActionAnswerSchema);
    },

    listChatMessages(chatId: string, f: ListMessagesFilter = {}, o: CallOptions = {}): Promise<Page<Message>> {
      return json({ method: "GET", path: `/chats/${enc(chatId)}/messages`, query: f, ...o }, MessageListSchema);
    },
    iterateChatMessages(chatId: string, f: ListMessagesFilter = {}, o: CallOptions = {}): AsyncGenerator<Page<Message>> {
      return pages(f, (g) => client.listChatMessages(chatId, g, o));
    },
    /** Messages across chats (catch-up polling). */
    listMessages(f: ListAllMessagesFilter = {}, o: CallOptions = {}): Promise<Page<Message>> {
      return json({ method: "GET", path: "/messages", query: f, accountId: f.account_id, ...o }, MessageListSchema);
    },
    iterateMessages(f: ListAllMessagesFilter = {}, o: CallOptions = {}): AsyncGenerator<Page<Message>> {
      return pages(f, (g) => client.listMessages(g, o));
    },
    getMessage(messageId: string, o: CallOptions = {}): Promise<Message> {
      return json({ method: "GET", path: `/messages/${enc(messageId)}`, ...o }, MessageSchema);
    },

    /** 201 MessageSent; `message_id` may be null (the echo webhook brings it). Retried only on 429. */
    sendMessage(chatId: string, input: SendMessageInput, o: CallOptions = {}): Promise<MessageSent> {
      const form = () => {
        const fd = new FormData();
        // Always sent: an absent text is rejected or sent literally by some paths (see REFERENCE 2.9).
        fd.append("text", input.text ?? "");
        appendFiles(fd, input.attachments);
        if (input.quote_id) fd.append("quote_id", input.quote_id);
        if (input.account_id) fd.append("account_id", input.account_id);
        if (input.thread_id) fd.append("thread_id", input.thread_id);
        return fd;
      };
      return json(
        { method: "POST", path: `/chats/${enc(chatId)}/messages`, form, retryOnlyRateLimit: true, accountId: input.account_id, ...interactive(o) },
        MessageSentSchema,
      );
    },
    /** 201 ChatStarted; both ids may be null (the chat then arrives by webhook). Retried only on 429. */
    startChat(input: StartChatInput, o: CallOptions = {}): Promise<ChatStarted> {
      const form = () => {
        const fd = new FormData();
        fd.append("account_id", input.account_id);
        for (const id of input.attendees_ids) fd.append("attendees_ids", id);
        if (input.text !== undefined) fd.append("text", input.text);
        if (input.subject) fd.append("subject", input.subject);
        if (input.linkedin?.api) fd.append("linkedin[api]", input.linkedin.api);
        if (input.linkedin?.inmail) fd.append("linkedin[inmail]", "true");
        appendFiles(fd, input.attachments);
        return fd;
      };
      return json({ method: "POST", path: "/chats", form, retryOnlyRateLimit: true, accountId: input.account_id, ...interactive(o) }, ChatStartedSchema);
    },

    /** A person by LinkedIn public identifier or member id (or a WhatsApp number), as the account's provider knows them. 404 when unknown. */
    getUserProfile(identifier: string, accountId: string, o: CallOptions = {}): Promise<UserProfile> {
      return json({ method: "GET", path: `/users/${enc(identifier)}`, query: { account_id: accountId }, accountId, ...interactive(o) }, UserProfileSchema);
    },
    // Message actions (REFERENCE.md §8 rates their details only likely; every guess is named here).
    /** `POST /messages/{id}/reaction` `{reaction}` → MessageReactionAdded. Sets our reaction (a retry sets the same one). */
    addReaction(messageId: string, reaction: string, o: CallOptions = {}): Promise<MessageAction> {
      return json({ method: "POST", path: `/messages/${enc(messageId)}/reaction`, json: { reaction }, ...interactive(o) }, MessageActionSchema);
    },
    /** Guess: removal is the same endpoint with an empty reaction (the webhook says a removal the same way). */
    removeReaction(messageId: string, o: CallOptions = {}): Promise<MessageAction> {
      return json({ method: "POST", path: `/messages/${enc(messageId)}/reaction`, json: { reaction: "" }, ...interactive(o) }, MessageActionSchema);
    },
    /** Guess: `PATCH /messages/{id}` `{text}` ("Edit a message" in the reference's list). */
    editMessage(messageId: string, text: string, o: CallOptions = {}): Promise<MessageAction> {
      return json({ method: "PATCH", path: `/messages/${enc(messageId)}`, json: { text }, ...interactive(o) }, MessageActionSchema);
    },
    /** `DELETE /messages/{id}`: our own message (LinkedIn: within 60 minutes of sending). */
    deleteMessage(messageId: string, o: CallOptions = {}): Promise<MessageAction> {
      return json({ method: "DELETE", path: `/messages/${enc(messageId)}`, ...interactive(o) }, MessageActionSchema);
    },
    /**
     * `POST /messages/{id}/forward` `{chat_id}` (WhatsApp, REFERENCE.md §5; the body is a guess). Like a
     * send it may have gone out on a 5xx or timeout, so it is retried only on 429.
     */
    forwardMessage(messageId: string, toChatId: string, o: CallOptions = {}): Promise<MessageForwarded> {
      return json(
        { method: "POST", path: `/messages/${enc(messageId)}/forward`, json: { chat_id: toChatId }, retryOnlyRateLimit: true, ...interactive(o) },
        MessageForwardedSchema,
      );
    },

    listChatAttendees(chatId: string, o: CallOptions = {}): Promise<Page<Attendee>> {
      return json({ method: "GET", path: `/chats/${enc(chatId)}/attendees`, ...o }, AttendeeListSchema);
    },
    listAttendees(f: ListAttendeesFilter = {}, o: CallOptions = {}): Promise<Page<Attendee>> {
      return json({ method: "GET", path: "/chat_attendees", query: f, accountId: f.account_id, ...o }, AttendeeListSchema);
    },
    iterateAttendees(f: ListAttendeesFilter = {}, o: CallOptions = {}): AsyncGenerator<Page<Attendee>> {
      return pages(f, (g) => client.listAttendees(g, o));
    },
    getAttendee(attendeeId: string, o: CallOptions = {}): Promise<Attendee> {
      return json({ method: "GET", path: `/chat_attendees/${enc(attendeeId)}`, ...o }, AttendeeSchema);
    },

    /** Streams the file; the timeout covers the wait for headers only, not the transfer. */
    downloadAttachment(messageId: string, attachmentId: string, o: CallOptions = {}): Promise<AttachmentDownload> {
      return download({ method: "GET", path: `/messages/${enc(messageId)}/attachments/${enc(attachmentId)}`, ...interactive(o) });
    },
    /** A person's profile picture (an attendee id) or a group's (a chat id). */
    downloadPicture(attendeeOrChatId: string, o: CallOptions = {}): Promise<AttachmentDownload> {
      return download({ method: "GET", path: `/chat_attendees/${enc(attendeeOrChatId)}/picture`, ...interactive(o) });
    },

    listWebhooks(f: PageFilter = {}, o: CallOptions = {}): Promise<Page<Webhook>> {
      return json({ method: "GET", path: "/webhooks", query: f, ...o }, WebhookListSchema);
    },
    createWebhook(input: CreateWebhookInput, o: CallOptions = {}): Promise<WebhookCreated> {
      return json({ method: "POST", path: "/webhooks", json: input, ...o }, WebhookCreatedSchema);
    },
    async deleteWebhook(id: string, o: CallOptions = {}): Promise<void> {
      await json({ method: "DELETE", path: `/webhooks/${enc(id)}`, ...o }, WebhookDeletedSchema);
    },
  };
  return client;
}

export type UnipileClient = ReturnType<typeof createUnipileClient>;

let singleton: UnipileClient | undefined;

/** The app's client, configured from UNIPILE_DSN and UNIPILE_API_KEY (the launcher sets both for the simulator). */
export function getUnipile(): UnipileClient {
  if (singleton) return singleton;
  const { dsn, apiKey } = unipileConfig();
  if (!dsn || !apiKey) {
    throw new Error(
      "Unipile is not configured: set UNIPILE_DSN (e.g. api8.unipile.com:13851 or http://127.0.0.1:3100) and UNIPILE_API_KEY",
    );
  }
  singleton = createUnipileClient({ dsn, apiKey });
  return singleton;
}

/** For tests that change the environment between cases. */
export function resetUnipileForTests() {
  singleton = undefined;
}
