import { runDaemon } from "../../runtime/daemon.ts";
import { warnOnNoPersistence } from "../../runtime/ensure-redis.ts";
import { keepHeapNearLiveSize } from "../../runtime/heap.ts";
import { CONFIG_OPTION, parseFlags } from "../args.ts";
import type { Command } from "../command.ts";
import { openContext } from "../load-for-command.ts";

const start: Command = {
  name: "start",
  summary:
    "run the daemon: scheduler, poll/deliver/digest workers and the HTTP server in one process",
  usage: "newswatch start [--config FILE]",
  async run(argv, io) {
    const { values } = parseFlags(argv, CONFIG_OPTION);
    const opened = await openContext(values.config, io);
    if (typeof opened === "number") return opened;
    keepHeapNearLiveSize();
    await warnOnNoPersistence(opened.ctx.redis, opened.log);
    return runDaemon(opened.ctx, {
      scheduler: true,
      workers: ["poll", "deliver", "digest"],
      http: true,
    });
  },
};

export default start;
