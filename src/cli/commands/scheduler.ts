import { runDaemon } from "../../runtime/daemon.ts";
import { keepHeapNearLiveSize } from "../../runtime/heap.ts";
import { CONFIG_OPTION, parseFlags } from "../args.ts";
import type { Command } from "../command.ts";
import { openContext } from "../load-for-command.ts";

const scheduler: Command = {
  name: "scheduler",
  summary: "run only the scheduler (enqueues polls and digests); any number may share one Redis",
  usage: "newswatch scheduler [--config FILE] [--http]",
  async run(argv, io) {
    const { values } = parseFlags(argv, { ...CONFIG_OPTION, http: { type: "boolean" } });
    const opened = await openContext(values.config, io);
    if (typeof opened === "number") return opened;
    keepHeapNearLiveSize();
    return runDaemon(opened.ctx, { scheduler: true, workers: [], http: values.http ?? false });
  },
};

export default scheduler;
