import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import { Toaster } from "sonner";
import { TRPCReactProvider } from "@/trpc/react";
import "./globals.css";

export const metadata: Metadata = {
  title: "Parley",
  description: "A fast, self-hosted unified inbox for your messaging accounts",
  // Files in public/: the icons and the manifest that lets the inbox be installed as an app.
  icons: {
    icon: [
      { url: "/favicon.ico", sizes: "48x48" },
      { url: "/icon.svg", type: "image/svg+xml" },
    ],
    apple: { url: "/apple-touch-icon.png", sizes: "180x180" },
  },
  manifest: "/manifest.webmanifest",
  appleWebApp: { title: "Parley" },
};
export const viewport: Viewport = { width: "device-width", initialScale: 1 };

// Applies the saved (or system) colour scheme before first paint, so dark mode never flashes.
const themeScript = `try{var t=localStorage.getItem("theme");if(t==="dark"||(!t&&matchMedia("(prefers-color-scheme: dark)").matches))document.documentElement.classList.add("dark")}catch(e){}`;

// Reading the request's CSP nonce renders every page per request, which a nonce policy needs (src/proxy.ts).
export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: static theme bootstrap, no user input */}
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body className="min-h-dvh">
        <TRPCReactProvider>{children}</TRPCReactProvider>
        <Toaster richColors closeButton position="bottom-right" />
      </body>
    </html>
  );
}
