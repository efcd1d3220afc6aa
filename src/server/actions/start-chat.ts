"use server";
// Starting a conversation (see start-chat-service): prepare stores the chat and its pending first
// message and answers at once, so the browser opens it; deliver then asks Unipile and answers with
// the chat that holds the message (null: Unipile will name it by webhook), or the reason it failed.
import { z } from "zod";
import { deliverStartChat } from "../services/start-chat-service.ts";
import { getUnipile } from "../unipile/client.ts";
import { runAction } from "./run.ts";
import { prepareStartFromForm } from "./start-chat-form.ts";

export async function prepareStartChatAction(form: FormData) {
  return runAction((user) => prepareStartFromForm(user, form, getUnipile()));
}

export async function deliverStartChatAction(chatId: string) {
  return runAction((user) => deliverStartChat(user, z.string().min(1).max(200).parse(chatId), getUnipile()));
}
