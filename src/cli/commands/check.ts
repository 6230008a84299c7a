import path from "node:path";
import { CONFIG_OPTION, parseFlags } from "../args.ts";
import { type Command, EXIT } from "../command.ts";
import { loadOrReport } from "../load-for-command.ts";

const check: Command = {
  name: "check",
  summary: "validate the config file (exit 0, or 2 with one line per problem)",
  usage: "newswatch check [--config FILE]",
  async run(argv, io) {
    const { values } = parseFlags(argv, CONFIG_OPTION);
    const loaded = await loadOrReport(values.config, io);
    if (!loaded) return EXIT.usage;
    const { config } = loaded;
    io.stdout.write(
      `${path.relative(io.cwd, loaded.file) || loaded.file}: ok (${config.feeds.length} feeds, ${config.watchlists.length} watchlists, ${config.subscribers.length} subscribers)\n`,
    );
    return EXIT.ok;
  },
};

export default check;
