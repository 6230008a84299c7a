import { readFileSync } from "node:fs";
import path from "node:path";
import { PACKAGE_ROOT } from "../package-root.ts";

const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as {
  version: string;
};

export const VERSION = pkg.version;

/**
 * Publishers can see who polls them and how to reach whoever runs it (a polite crawler names
 * itself and a contact, as in "(+https://…)"): `http.contact`, else the first admin address.
 */
export function userAgent(contact?: string): string {
  const reach = contact ? `+${contact}; ` : "";
  return `newswatch/${VERSION} (${reach}self-hosted feed alert monitor)`;
}

/** The contact for the User-Agent; an admin address is used only when it is a bare address. */
export function userAgentContact(config: {
  http: { contact?: string };
  admin: { email: string[] };
}): string | undefined {
  if (config.http.contact) return config.http.contact;
  const address = config.admin.email[0];
  return address && /^[^\s()<>\\@]+@[^\s()<>\\@]+$/.test(address) ? address : undefined;
}
