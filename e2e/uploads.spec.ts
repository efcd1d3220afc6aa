// What the composer says about files it will not send: the same rule the server applies, shown when the
// file is attached (nothing is uploaded).
import { expect, test } from "@playwright/test";
import { newChat, openInbox } from "./helpers";

test("the composer refuses an HTML file and a program with a clear message, and keeps an allowed file", async ({ page, request }) => {
  await openInbox(page);
  const { row } = await newChat(page, request, { text: "Send me the page?" });
  await row.click();
  const picker = page.getByTestId("file-input");
  const attached = page.getByRole("list", { name: "Attached files" });

  await picker.setInputFiles({ name: "landing.html", mimeType: "text/html", buffer: Buffer.from("<h1>Hi</h1>") });
  await expect(page.getByText("“landing.html” cannot be sent: text/html are not allowed as attachments.")).toBeVisible();
  await expect(attached).toHaveCount(0);

  await picker.setInputFiles({ name: "setup.exe", mimeType: "application/octet-stream", buffer: Buffer.from("MZ") });
  await expect(page.getByText("“setup.exe” cannot be sent: .exe files are not allowed as attachments.")).toBeVisible();
  await expect(attached).toHaveCount(0);

  await picker.setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello") });
  await expect(attached.getByText("notes.txt")).toBeVisible();
});
