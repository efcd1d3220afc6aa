// Internal notes and @mentions (note-service). Chat procedures check the chat's grant once.
import { z } from "zod";
import {
  addNote,
  deleteNote,
  editNote,
  listMentions,
  markMentionsRead,
  mentionableUsers,
  NOTE_MAX,
} from "../../services/note-service.ts";
import { chatProcedure, createTRPCRouter, protectedProcedure } from "../trpc.ts";

const text = z.string().max(NOTE_MAX, `A note can hold at most ${NOTE_MAX} characters`);
const mentionIds = z.array(z.string().min(1).max(64)).max(50).default([]);
const id = z.string().min(1).max(64);

export const noteRouter = createTRPCRouter({
  add: chatProcedure.input(z.object({ text, mentionIds })).mutation(({ ctx, input }) => addNote(ctx.user, ctx.chat, input)),
  edit: chatProcedure
    .input(z.object({ noteId: id, text, mentionIds }))
    .mutation(({ ctx, input }) => editNote(ctx.user, ctx.chat, input)),
  delete: chatProcedure
    .input(z.object({ noteId: id }))
    .mutation(({ ctx, input }) => deleteNote(ctx.user, ctx.chat, input.noteId)),
  /** Who "@" offers in this chat: teammates who may see its account. */
  mentionable: chatProcedure.query(({ ctx }) => mentionableUsers(ctx.chat)),
  mentions: protectedProcedure
    .input(z.object({ limit: z.number().int().min(1).max(100).default(30) }).optional())
    .query(({ ctx, input }) => listMentions(ctx.user, input?.limit ?? 30)),
  markMentionsRead: protectedProcedure
    .input(z.object({ noteIds: z.array(id).max(100).nullable() }))
    .mutation(({ ctx, input }) => markMentionsRead(ctx.user, input.noteIds)),
});
