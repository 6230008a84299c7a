/**
 * The offline demo's news: two made-up outlets, written for this project. The first poll
 * sees the backlog; then both outlets publish the Taji report (one story, two sources).
 */
export interface DemoStory {
  guid: string;
  title: string;
  text: string;
  /** How long before the demo runs the story was published (dates stay recent on any day). */
  hoursAgo: number;
}

export const DEMO_BACKLOG: DemoStory[] = [
  {
    guid: "demo-101",
    title: "Baghdad book fair opens with record attendance",
    text: "Publishers from across Iraq filled the exhibition halls on the first day.",
    hoursAgo: 30,
  },
  {
    guid: "demo-102",
    title: "Rocket Lab launches weather satellite from New Zealand",
    text: "The small launcher lifted off on schedule and placed the satellite in orbit.",
    hoursAgo: 27,
  },
];

export const DEMO_BREAKING: DemoStory[] = [
  {
    guid: "demo-201",
    title: "Two Katyusha rockets hit Taji military base north of Baghdad",
    text: "Two Katyusha rockets struck Taji base, which hosts Coalition trainers, about 30 km north of Baghdad late last night. Iraqi security officials said nobody was hurt and the launch site was found in an orchard.",
    hoursAgo: 1,
  },
  {
    guid: "demo-202",
    title: "Texas air base hosts drone racing championship",
    text: "Pilots flew small drones through a course laid out on the base's old runway.",
    hoursAgo: 4,
  },
];

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function demoRss(outlet: string, origin: string, stories: DemoStory[]): string {
  const items = stories
    .map(
      (s) =>
        `<item><title>${esc(s.title)}</title><link>${origin}/${outlet}/${s.guid}</link><guid isPermaLink="false">${outlet}-${s.guid}</guid><pubDate>${new Date(Date.now() - s.hoursAgo * 3_600_000).toUTCString()}</pubDate><description>${esc(s.text)}</description></item>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>${esc(outlet)}</title><link>${origin}/${outlet}</link><description>newswatch demo outlet</description>\n${items}\n</channel></rss>\n`;
}
