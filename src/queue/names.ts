export const QUEUE = {
  poll: "poll",
  deliver: "deliver",
  /** Email deliveries have their own queue so the provider's rate limit slows only email. */
  email: "email",
  digest: "digest",
} as const;

export type QueueName = (typeof QUEUE)[keyof typeof QUEUE];
