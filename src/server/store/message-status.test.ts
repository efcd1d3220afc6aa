import { describe, expect, it } from "vitest";
import { type MessageStatus, STATUS_ORDER, forward, movableTo, onEcho, statusOf } from "./message-status.ts";

describe("statusOf", () => {
  it("gives an inbound message sent, whatever Unipile says of delivery", () => {
    expect(statusOf({ is_sender: false, seen: true, delivered: true })).toBe("sent");
  });
  it("gives our own message the furthest state Unipile reports", () => {
    expect(statusOf({ is_sender: true, seen: false, delivered: false })).toBe("sent");
    expect(statusOf({ is_sender: true, seen: false, delivered: true })).toBe("delivered");
    expect(statusOf({ is_sender: true, seen: true, delivered: false })).toBe("seen");
  });
});

describe("forward", () => {
  it("moves along pending → sent → delivered → seen and never back", () => {
    for (const [i, from] of STATUS_ORDER.entries()) {
      for (const [j, to] of STATUS_ORDER.entries()) expect(forward(from, to), `${from} → ${to}`).toBe(j > i ? to : from);
    }
  });
  it("keeps a failed message failed: only a retry or its echo changes that", () => {
    for (const to of STATUS_ORDER) expect(forward("failed", to)).toBe("failed");
    expect(forward("sent", "failed")).toBe("sent");
  });
});

describe("onEcho", () => {
  it("turns a pending or failed send into sent and leaves further states alone", () => {
    const got = (["pending", "failed", "sent", "delivered", "seen"] as MessageStatus[]).map(onEcho);
    expect(got).toEqual(["sent", "sent", "sent", "delivered", "seen"]);
  });
});

describe("movableTo", () => {
  it("names the states a report may move forward from, never failed", () => {
    expect(movableTo("delivered")).toEqual(["pending", "sent"]);
    expect(movableTo("seen")).toEqual(["pending", "sent", "delivered"]);
    expect(movableTo("pending")).toEqual([]);
  });
});
