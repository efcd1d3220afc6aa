import { LabelAdmin } from "@/components/labels/label-admin";
import { requireUser } from "@/server/session";

export const metadata = { title: "Labels · Parley" };

export default async function LabelsPage() {
  const user = await requireUser();
  return <LabelAdmin isAdmin={user.role === "admin"} />;
}
