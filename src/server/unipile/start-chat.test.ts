// Starting a conversation through the client, against the simulator over HTTP: Unipile's profile
// lookup (GET /users/{identifier}) and POST /chats with LinkedIn's InMail fields. The official SDK
// reads the same profiles with its strict validation on, so the simulator's shape is Unipile's.
import { UnipileClient as Sdk } from "unipile-node-sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { LINKEDIN_DIRECTORY } from "../../../simulator/directory.ts";
import { type Simulator, startSimulator } from "../../../simulator/server.ts";
import { createUnipileClient, type UnipileClient } from "./client.ts";

let sim: Simulator;
let client: UnipileClient;
const linkedin = () => sim.store.accounts.find((a) => a.type === "LINKEDIN")!;
const whatsapp = () => sim.store.accounts.find((a) => a.type === "WHATSAPP")!;
const [connection, stranger] = LINKEDIN_DIRECTORY as [(typeof LINKEDIN_DIRECTORY)[0], (typeof LINKEDIN_DIRECTORY)[0]];

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 11 });
  client = createUnipileClient({ dsn: sim.url, apiKey: sim.apiKey, maxRetries: 0 });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

describe("profile lookup", () => {
  it("finds a LinkedIn member by the public identifier of their profile URL, and by member id", async () => {
    const byUrl = await client.getUserProfile(connection.public_identifier, linkedin().id);
    expect(byUrl).toMatchObject({
      provider: "LINKEDIN",
      provider_id: connection.provider_id,
      first_name: "Inês",
      last_name: "Carvalho",
      network_distance: "FIRST_DEGREE",
    });
    expect((await client.getUserProfile(stranger.provider_id, linkedin().id)).public_identifier).toBe(stranger.public_identifier);
  });

  it("finds a person the account already talks to by their profile URL's slug", async () => {
    const known = [...sim.store.attendees.values()].find((a) => a.account_id === linkedin().id && !a.is_self && a.profile_url)!;
    const slug = known.profile_url!.split("/in/")[1]!;
    const p = await client.getUserProfile(slug, linkedin().id);
    expect(p.provider_id).toBe(known.provider_id);
    expect(`${p.first_name} ${p.last_name}`.trim()).toBe(known.name);
  });

  it("answers 404 for someone LinkedIn does not know, and a WhatsApp number with its JID", async () => {
    await expect(client.getUserProfile("nobody-here-123", linkedin().id)).rejects.toMatchObject({
      status: 404,
      isNotFound: true,
    });
    expect((await client.getUserProfile("33611223344", whatsapp().id)).provider_id).toBe("33611223344@s.whatsapp.net");
  });

  it("passes the official SDK's response validation", async () => {
    const sdk = new Sdk(sim.url, sim.apiKey);
    const p = await sdk.users.getProfile({ identifier: connection.public_identifier, account_id: linkedin().id });
    expect(p).toMatchObject({ object: "UserProfile", provider: "LINKEDIN", provider_id: connection.provider_id });
  });
});

describe("POST /chats with LinkedIn options", () => {
  it("an InMail opens its own thread with the subject, even to a connection", async () => {
    const started = await client.startChat({
      account_id: linkedin().id,
      attendees_ids: [stranger.provider_id],
      text: "Hello Henrik",
      subject: "Partnership",
      linkedin: { api: "classic", inmail: true },
    });
    const chat = await client.getChat(started.chat_id!);
    expect(chat).toMatchObject({ subject: "Partnership", content_type: "inmail", attendee_provider_id: stranger.provider_id });
    const people = await client.listChatAttendees(started.chat_id!);
    expect(people.items.map((a) => a.name)).toContain("Henrik Dahl");
  });

  it("a classic message to someone outside the network is refused with LinkedIn's reason; nothing is made", async () => {
    const chats = sim.store.chats.size;
    const err = await client
      .startChat({ account_id: linkedin().id, attendees_ids: [stranger.provider_id], text: "Hi" })
      .catch((e) => e);
    expect(err).toMatchObject({ status: 422, slug: "errors/no_connection_with_recipient" });
    expect(err.detail).toMatch(/InMail/);
    expect(sim.store.chats.size).toBe(chats);
  });

  it("a classic message to a connection goes to the chat already held with them", async () => {
    const first = await client.startChat({ account_id: linkedin().id, attendees_ids: [connection.provider_id], text: "Hi Inês" });
    const again = await client.startChat({
      account_id: linkedin().id,
      attendees_ids: [connection.provider_id],
      text: "One more thing",
    });
    expect(again.chat_id).toBe(first.chat_id);
  });

  it("refuses LinkedIn options on another provider", async () => {
    const err = await client
      .startChat({
        account_id: whatsapp().id,
        attendees_ids: ["33611223344@s.whatsapp.net"],
        text: "Hi",
        linkedin: { inmail: true },
      })
      .catch((e) => e);
    expect(err).toMatchObject({ status: 400 });
  });
});

describe("a new WhatsApp number", () => {
  it("is named by its number, as WhatsApp shows someone outside the contacts", async () => {
    const started = await client.startChat({
      account_id: whatsapp().id,
      attendees_ids: ["33699887766@s.whatsapp.net"],
      text: "Hi",
    });
    expect((await client.getChat(started.chat_id!)).name).toBe("+33699887766");
  });
});
