"use client";
// The chat's images, one at a time, over the thread: arrow keys (or the buttons) move between them,
// Escape closes, Download saves the original.
import { ChevronLeft, ChevronRight, Download, X } from "lucide-react";
import { Dialog } from "radix-ui";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Unavailable } from "./message-attachments";

export type ViewerImage = { src: string; name: string };

export function ImageViewer({ images, index, onIndex, onClose }: { images: ViewerImage[]; index: number | null; onIndex: (i: number) => void; onClose: () => void }) {
  const image = index === null ? undefined : images[index];
  const [failed, setFailed] = useState<string | null>(null);
  const go = (step: number) => {
    if (index === null || images.length < 2) return;
    onIndex((index + step + images.length) % images.length);
  };
  return (
    <Dialog.Root open={!!image} onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/80" />
        <Dialog.Content
          className="fixed inset-0 z-50 flex flex-col text-white outline-none"
          onKeyDown={(e) => {
            if (e.key === "ArrowRight") go(1);
            else if (e.key === "ArrowLeft") go(-1);
            else return;
            e.preventDefault();
          }}
        >
          {image && index !== null && (
            <>
              <div className="flex shrink-0 items-center gap-2 bg-black/50 p-2 md:p-3">
                <Dialog.Title className="min-w-0 flex-1 truncate text-sm font-medium">
                  Image {index + 1} of {images.length}
                  <span className="text-white/70"> · {image.name}</span>
                </Dialog.Title>
                <Dialog.Description className="sr-only">Left and right arrow keys move between the chat's images.</Dialog.Description>
                <Button asChild variant="secondary" size="sm">
                  <a href={image.src} download={image.name}>
                    <Download aria-hidden /> Download
                  </a>
                </Button>
                <Dialog.Close asChild>
                  <Button variant="secondary" size="icon" aria-label="Close">
                    <X />
                  </Button>
                </Dialog.Close>
              </div>
              <div className="relative flex min-h-0 flex-1 items-center justify-center px-2 pb-4 md:px-14">
                {failed === image.src ? (
                  <div className="rounded-md bg-background p-3 text-foreground">
                    <Unavailable name={image.name} />
                  </div>
                ) : (
                  // biome-ignore lint/performance/noImgElement: streamed through our auth-checked route
                  <img key={image.src} src={image.src} alt={image.name} onError={() => setFailed(image.src)} className="max-h-full max-w-full object-contain" />
                )}
                {images.length > 1 && (
                  <>
                    <Button variant="secondary" size="icon" className="absolute left-2 rounded-full" aria-label="Previous image" onClick={() => go(-1)}>
                      <ChevronLeft />
                    </Button>
                    <Button variant="secondary" size="icon" className="absolute right-2 rounded-full" aria-label="Next image" onClick={() => go(1)}>
                      <ChevronRight />
                    </Button>
                  </>
                )}
              </div>
            </>
          )}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
