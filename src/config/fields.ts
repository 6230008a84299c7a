import { z } from "zod";

/** An http or https URL: feeds, the public URL, and the channels that post to one. */
export const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http or https URL" });
