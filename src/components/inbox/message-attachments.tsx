"use client";
// A message's files: images open in the in-app viewer, other media play inline, files download.
// A file Unipile no longer has shows the app's own "no longer available", never a broken image.
import { Download, FileText, ImageOff } from "lucide-react";
import { useState } from "react";
import { formatBytes } from "@/lib/format";
import type { ThreadMessage } from "./thread-types";

type Attachment = ThreadMessage["attachments"][number];

export const attachmentSrc = (messageId: string, attachmentId: string) =>
  `/api/attachments/${encodeURIComponent(messageId)}/${encodeURIComponent(attachmentId)}`;

export function attachmentName(a: Pick<Attachment, "name" | "kind">) {
  return a.name ?? (a.kind === "img" ? "Image" : a.kind === "video" ? "Video" : a.kind === "audio" ? "Audio" : "File");
}

export function Unavailable({ name }: { name: string }) {
  return (
    <span className="flex items-center gap-2 rounded-md border border-dashed px-2 py-1.5 text-xs opacity-80" data-testid="attachment-unavailable">
      <ImageOff className="size-4 shrink-0" aria-hidden /> {name} is no longer available
    </span>
  );
}

function Picture({ a, src, onOpen }: { a: Attachment; src: string; onOpen?: () => void }) {
  const [failed, setFailed] = useState(false);
  const name = attachmentName(a);
  if (failed) return <Unavailable name={name} />;
  return (
    <button type="button" onClick={onOpen} aria-label={`Open image ${name}`} className="block cursor-zoom-in rounded-md focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none">
      {/* biome-ignore lint/performance/noImgElement: streamed through our auth-checked route */}
      <img
        src={src}
        alt={name}
        loading="lazy"
        width={a.width ?? undefined}
        height={a.height ?? undefined}
        onError={() => setFailed(true)}
        // An image that failed before React attached onError (cached 404) is caught here.
        ref={(img) => {
          if (img?.complete && img.naturalWidth === 0 && img.currentSrc) setFailed(true);
        }}
        className="max-h-72 w-auto max-w-full rounded-md bg-muted object-contain"
        style={a.width && a.height ? { aspectRatio: `${a.width} / ${a.height}` } : undefined}
      />
    </button>
  );
}

export function Attachments({ m, onOpenImage }: { m: ThreadMessage; onOpenImage?: (src: string) => void }) {
  if (m.attachments.length === 0 && !m.localFiles?.length) return null;
  return (
    <div className="mt-1 flex flex-col gap-1.5">
      {m.localFiles?.map((name) => (
        <span key={name} className="flex items-center gap-2 rounded-md bg-background/40 px-2 py-1 text-xs">
          <FileText className="size-4" aria-hidden /> {name}
        </span>
      ))}
      {m.attachments.map((a) => {
        const src = attachmentSrc(m.id, a.id);
        const name = attachmentName(a);
        if (a.unavailable) return <Unavailable key={a.id} name={name} />;
        if (a.kind === "img") return <Picture key={a.id} a={a} src={src} onOpen={() => onOpenImage?.(src)} />;
        if (a.kind === "video")
          // biome-ignore lint/a11y/useMediaCaption: user media without captions
          return <video key={a.id} src={src} controls preload="metadata" className="max-h-72 max-w-full rounded-md" aria-label={name} />;
        if (a.kind === "audio")
          // biome-ignore lint/a11y/useMediaCaption: user media without captions
          return <audio key={a.id} src={src} controls preload="none" className="max-w-full" aria-label={name} />;
        return (
          <a
            key={a.id}
            href={src}
            download={a.name ?? undefined}
            className="flex items-center gap-2 rounded-md bg-background/40 px-2 py-1.5 text-sm underline-offset-2 hover:underline"
          >
            <Download className="size-4 shrink-0" aria-hidden />
            <span className="truncate">{name}</span>
            {a.size != null && <span className="shrink-0 text-xs opacity-70">{formatBytes(a.size)}</span>}
          </a>
        );
      })}
    </div>
  );
}
