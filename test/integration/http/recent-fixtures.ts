import type { RecentItem } from "../../../src/store/recent-items.ts";

const DAY = 86_400_000;

/** A recent item as the poller stores it, discovered `daysAgo` days before `now`. */
export function recentItem(
  n: number,
  title: string,
  text: string,
  now: number,
  daysAgo: number,
  feed = { id: "wire", title: "Test Wire", url: "http://127.0.0.1/wire.xml" },
): RecentItem {
  return {
    item: {
      id: `item-${n}`,
      feedId: feed.id,
      title,
      link: `https://news.example/${n}`,
      published: new Date(now - daysAgo * DAY).toISOString(),
      author: null,
      categories: [],
      text,
      contentHash: `h${n}`,
    },
    feed,
    discoveredAt: now - daysAgo * DAY,
  };
}

export function weekOfNews(now: number): RecentItem[] {
  return [
    recentItem(
      1,
      "Rockets hit Ain al-Asad air base in Iraq",
      "Several rockets struck the base in western Iraq.",
      now,
      0,
    ),
    recentItem(
      2,
      "Drone downed near Erbil airport",
      "A drone was shot down near Erbil airport in the Kurdistan Region.",
      now,
      1,
    ),
    recentItem(
      3,
      "Katyusha rockets land in Baghdad's Green Zone",
      "Two Katyusha rockets landed inside the Green Zone.",
      now,
      1,
    ),
    recentItem(
      4,
      "Rocket Lab launches satellite",
      "The launch from New Zealand went to plan.",
      now,
      2,
    ),
    recentItem(
      5,
      "<script>alert(1)</script> Drone strike on base near Baghdad",
      "A drone hit a base outside Baghdad <b>today</b>.",
      now,
      3,
    ),
  ];
}
