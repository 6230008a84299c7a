import { createRequire } from "node:module";
import type * as BullMQ from "bullmq";
import type * as IORedis from "ioredis";

// bullmq and ioredis are CommonJS. Imported as ES modules, Node first scans all of their ~230
// files for named exports (cjs-module-lexer follows every re-export), which doubled their load
// time at every start of every command; required, they load as plain CommonJS. Their types
// still come from the packages, so the rest of the code imports these like the originals.
const require = createRequire(import.meta.url);
const bullmq = require("bullmq") as typeof BullMQ;
const ioredis = require("ioredis") as typeof IORedis;

export const { Queue, Worker, DelayedError, UnrecoverableError } = bullmq;
export type Queue = BullMQ.Queue;
export type Worker = BullMQ.Worker;
export const { Redis, Cluster } = ioredis;
export type Redis = IORedis.Redis;
export type Cluster = IORedis.Cluster;
