/**
 * Telegram's web preview offers no validators (no ETag, no Last-Modified), so every poll is a
 * full download: a channel is polled every 5 minutes at most often, whatever `every` says.
 */
export const TELEGRAM_MIN_INTERVAL_MS = 5 * 60_000;

/** The public web preview of a channel, where its latest posts are readable without an account. */
export function telegramPreviewUrl(channel: string): string {
  return `https://t.me/s/${channel}`;
}
