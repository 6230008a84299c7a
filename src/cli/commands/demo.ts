import { runDemo } from "../../demo/run-demo.ts";
import { parseFlags } from "../args.ts";
import type { Command } from "../command.ts";

const demo: Command = {
  name: "demo",
  summary: "offline demo: local feeds, the real pipeline, an alert in outbox/demo",
  usage: "newswatch demo",
  async run(argv, io) {
    parseFlags(argv, {});
    return runDemo(io);
  },
};

export default demo;
