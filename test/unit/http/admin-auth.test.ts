import { describe, expect, test } from "vitest";
import { AdminAuth } from "../../../src/http/admin-auth.ts";

const SECRET = "link-secret-0123456789abcdef";
const TOKEN = "admin-token-0123456789abcdef";

describe("AdminAuth", () => {
  test("a session made now is valid, and stops being valid after twelve hours", () => {
    let now = 1_000_000;
    const auth = new AdminAuth(SECRET, TOKEN, false, () => now);
    const session = auth.newSession();
    expect(auth.sessionValid(session)).toBe(true);
    now += 12 * 3_600_000 + 1;
    expect(auth.sessionValid(session)).toBe(false);
  });

  test("a session with a stretched expiry, or from before the admin token changed, is refused", () => {
    const auth = new AdminAuth(SECRET, TOKEN, false);
    const session = auth.newSession();
    const [expiry, mac] = session.split(".");
    expect(auth.sessionValid(`${Number(expiry) + 86_400_000}.${mac}`)).toBe(false);
    expect(new AdminAuth(SECRET, `${TOKEN}-rotated`, false).sessionValid(session)).toBe(false);
  });

  test("the CSRF token belongs to one session", () => {
    const auth = new AdminAuth(SECRET, TOKEN, false);
    const a = auth.newSession();
    const b = `${Number(a.split(".")[0]) + 1}.x`;
    expect(auth.csrfFor(a)).not.toBe(auth.csrfFor(b));
  });

  test("without an admin token nothing signs in", () => {
    const auth = new AdminAuth(SECRET, undefined, false);
    expect(auth.enabled).toBe(false);
    expect(auth.tokenMatches("")).toBe(false);
    expect(auth.sessionValid(auth.newSession())).toBe(false);
  });
});
