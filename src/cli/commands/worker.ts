import { runDaemon } from "../../runtime/daemon.ts";
import { keepHeapNearLiveSize } from "../../runtime/heap.ts";
import { CONFIG_OPTION, parseFlags } from "../args.ts";
import { type Command, UsageError } from "../command.ts";
import { openContext } from "../load-for-command.ts";

const QUEUES = ["poll", "deliver", "digest"] as const;
type QueueRole = (typeof QUEUES)[number];

const worker: Command = {
  name: "worker",
  summary: "run only workers (poll, deliver, digest); scale out by starting more",
  usage: "newswatch worker [--config FILE] [--queues poll,deliver,digest] [--http]",
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      ...CONFIG_OPTION,
      queues: { type: "string" },
      http: { type: "boolean" },
    });
    const requested = values.queues?.split(",").map((q) => q.trim());
    const unknown = requested?.filter((q) => !(QUEUES as readonly string[]).includes(q)) ?? [];
    if (unknown.length > 0)
      throw new UsageError(
        `unknown queue ${unknown.join(", ")} (choose from ${QUEUES.join(", ")})`,
      );
    const opened = await openContext(values.config, io);
    if (typeof opened === "number") return opened;
    keepHeapNearLiveSize();
    const queues = requested ?? opened.ctx.snapshot().config.workers.queues;
    return runDaemon(opened.ctx, {
      scheduler: false,
      workers: queues as QueueRole[],
      http: values.http ?? false,
    });
  },
};

export default worker;
