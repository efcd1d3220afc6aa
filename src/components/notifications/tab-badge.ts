// The unread count in the tab: "(3) Parley" in the title and a red dot with the number on the
// favicon (drawn on a canvas over our icon). Next.js rewrites <title> on navigation, so an observer
// puts the count back.
const PREFIX = /^\(\d+\+?\) /;

function label(count: number) {
  return count > 99 ? "99+" : String(count);
}

export function setTitleCount(count: number): () => void {
  const apply = () => {
    const base = document.title.replace(PREFIX, "");
    const want = count > 0 ? `(${label(count)}) ${base}` : base;
    if (document.title !== want) document.title = want;
  };
  apply();
  const observer = new MutationObserver(apply);
  observer.observe(document.head, { subtree: true, childList: true, characterData: true });
  return () => {
    observer.disconnect();
    document.title = document.title.replace(PREFIX, "");
  };
}

const originals = new Map<HTMLLinkElement, { href: string; type: string }>();
let drawing = 0;

function iconLinks() {
  return [...document.querySelectorAll<HTMLLinkElement>("link[rel~='icon']")];
}

/** Draws the badge over /icon.svg; a count of 0 puts the original icons back. */
export async function setFaviconCount(count: number): Promise<void> {
  const links = iconLinks();
  for (const l of links) if (!originals.has(l)) originals.set(l, { href: l.href, type: l.type });
  // A newer count wins over a drawing still waiting for the icon.
  const mine = ++drawing;
  if (count === 0) {
    for (const [l, was] of originals) Object.assign(l, was);
    delete document.documentElement.dataset.unreadBadge;
    return;
  }
  const size = 64;
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = size;
  const ctx = canvas.getContext("2d");
  if (!ctx) return;
  const img = new Image();
  img.src = "/icon.svg";
  await img.decode().catch(() => {});
  if (img.complete && img.naturalWidth > 0) ctx.drawImage(img, 0, 0, size, size);
  ctx.fillStyle = "#dc2626";
  ctx.beginPath();
  ctx.arc(size - 20, 20, 20, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = "#fff";
  ctx.font = "bold 26px system-ui, sans-serif";
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  ctx.fillText(count > 9 ? "9+" : String(count), size - 20, 21);
  const url = canvas.toDataURL("image/png");
  if (mine !== drawing) return;
  for (const l of links) {
    l.href = url;
    l.type = "image/png";
  }
  document.documentElement.dataset.unreadBadge = String(count);
}

/** A short two-note chime through WebAudio: no file to fetch, nothing to decode. */
export function chime() {
  const Ctx = window.AudioContext;
  if (!Ctx) return;
  const ac = new Ctx();
  const t = ac.currentTime;
  for (const [i, freq] of [880, 1320].entries()) {
    const osc = ac.createOscillator();
    const gain = ac.createGain();
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, t + i * 0.12);
    gain.gain.exponentialRampToValueAtTime(0.2, t + i * 0.12 + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + i * 0.12 + 0.25);
    osc.connect(gain).connect(ac.destination);
    osc.start(t + i * 0.12);
    osc.stop(t + i * 0.12 + 0.3);
  }
  setTimeout(() => void ac.close(), 800);
}
