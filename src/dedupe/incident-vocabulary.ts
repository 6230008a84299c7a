import { foldWord, type ReportToken } from "./incident-text.ts";

/**
 * What a report says happened and where, as concept ids. Grouping compares these, never the
 * wording, so "Katyusha rockets hit Taji" and "استهداف قاعدة التاجي بصواريخ" can meet.
 *
 * The built-in vocabulary below is small and Iraq-centred; a richer one (the shipped concept
 * lists, a gazetteer) plugs in by implementing this interface and passing it to the grouping.
 */
export interface IncidentVocabulary {
  /** Event concepts ("indirect-fire", "drone", ...) found in the tokens. */
  what(tokens: readonly ReportToken[]): Set<string>;
  /** Places named in the tokens, each with the places that contain it. */
  where(tokens: readonly ReportToken[]): PlaceHit[];
}

/** How fine a place is: two reports naming different sites are two incidents. */
export type PlaceLevel = "country" | "region" | "city" | "site";

export interface PlaceHit {
  id: string;
  level: PlaceLevel;
  /** Places containing this one (Taji → Baghdad), so a coarser report still meets it. */
  within: string[];
  /** Token positions [start, end) of the spelling found. */
  span: [number, number];
}

/** Event concepts with their words, English and Arabic, as written (folded at load). */
const EVENTS: Record<string, string[]> = {
  // Not an attack: a drill at a base uses the attack's words ("rocket", "Taji") and is
  // another event (see NOT_ATTACKS in incident-match.ts).
  exercise: [
    "drill",
    "drills",
    "exercise",
    "exercises",
    "manoeuvre",
    "manoeuvres",
    "maneuver",
    "maneuvers",
    "تمرين",
    "تمارين",
    "مناورة",
    "مناورات",
  ],
  "indirect-fire": [
    "rocket",
    "rockets",
    "katyusha",
    "katyushas",
    "missile",
    "missiles",
    "mortar",
    "mortars",
    "projectile",
    "projectiles",
    "shelling",
    "shells",
    "صاروخ",
    "صواريخ",
    "صاروخي",
    "صاروخية",
    "كاتيوشا",
    "قذيفة",
    "قذائف",
    "هاون",
  ],
  drone: [
    "drone",
    "drones",
    "uav",
    "uavs",
    "unmanned",
    "quadcopter",
    "مسيرة",
    "مسيرات",
    "مسير",
    "درون",
  ],
  explosive: [
    "bomb",
    "bombs",
    "bombing",
    "ied",
    "explosive",
    "explosives",
    "explosion",
    "explosions",
    "blast",
    "blasts",
    "detonated",
    "exploded",
    "suicide",
    "عبوة",
    "ناسفة",
    "انفجار",
    "تفجير",
    "مفخخة",
    "انتحاري",
  ],
  gunfire: [
    "gunmen",
    "gunman",
    "gunfire",
    "shooting",
    "shot",
    "clashes",
    "clash",
    "ambush",
    "ambushed",
    "sniper",
    "مسلحون",
    "مسلحين",
    "اشتباكات",
    "اشتباك",
    "كمين",
    "اطلاق",
  ],
  airstrike: [
    "airstrike",
    "airstrikes",
    "warplanes",
    "warplane",
    "jets",
    "raid",
    "raids",
    "غارة",
    "غارات",
    "قصف",
    "الطيران",
  ],
  protest: [
    "protest",
    "protests",
    "protesters",
    "protestors",
    "demonstrators",
    "demonstration",
    "rally",
    "sit-in",
    "تظاهرة",
    "تظاهرات",
    "متظاهرين",
    "متظاهرون",
    "احتجاج",
    "احتجاجات",
    "محتجين",
    "اعتصام",
  ],
  arrest: [
    "raid",
    "raids",
    "arrest",
    "arrested",
    "arrests",
    "detained",
    "captured",
    "اعتقال",
    "القبض",
    "اعتقل",
  ],
  kidnap: ["kidnapped", "kidnapping", "abducted", "abduction", "اختطاف", "خطف", "اختطف"],
  fire: ["blaze", "fire", "fires", "burned", "حريق", "حرائق", "النيران"],
  flood: ["flood", "floods", "flooding", "سيول", "فيضان", "فيضانات"],
  earthquake: ["earthquake", "quake", "tremor", "زلزال", "هزة"],
  outage: ["blackout", "outage", "power", "electricity", "الكهرباء", "انقطاع"],
  pipeline: ["pipeline", "oil", "oilfield", "refinery", "النفط", "انبوب", "مصفاة"],
  vote: ["election", "elections", "vote", "ballot", "parliament", "انتخابات", "البرلمان", "تصويت"],
  crash: ["crash", "crashed", "collision", "تحطم", "سقوط", "اصطدام"],
};

/**
 * Places with their spellings and what contains them. A name that is also a common English
 * word once folded (Hit in Anbar: "hits") is left out: it would place every report. Spellings are folded like report words,
 * so "Ain al-Asad" (ain al asad) and عين الأسد (عين اسد after the article) are both listed.
 */
const PLACES: { id: string; level: PlaceLevel; within?: string[]; names: string[] }[] = [
  { id: "iraq", level: "country", names: ["iraq", "iraqi", "العراق", "عراقي", "عراقية"] },
  { id: "syria", level: "country", names: ["syria", "syrian", "سوريا", "سورية"] },
  { id: "iran", level: "country", names: ["iran", "iranian", "ايران", "ايراني"] },
  { id: "baghdad", level: "city", names: ["baghdad", "بغداد"] },
  { id: "anbar", level: "region", names: ["anbar", "الانبار"] },
  { id: "nineveh", level: "region", names: ["nineveh", "ninevah", "ninawa", "نينوى"] },
  { id: "salahuddin", level: "region", names: ["salahuddin", "salah al din", "صلاح الدين"] },
  { id: "diyala", level: "region", names: ["diyala", "ديالى"] },
  { id: "kurdistan", level: "region", names: ["kurdistan", "kurdish region", "كردستان"] },
  { id: "babil", level: "region", names: ["babil", "babylon", "بابل"] },
  { id: "dhiqar", level: "region", names: ["dhi qar", "ذي قار"] },
  { id: "mosul", level: "city", within: ["nineveh"], names: ["mosul", "الموصل"] },
  {
    id: "erbil",
    level: "city",
    within: ["kurdistan"],
    names: ["erbil", "irbil", "arbil", "hawler", "اربيل"],
  },
  {
    id: "sulaymaniyah",
    level: "city",
    within: ["kurdistan"],
    names: ["sulaymaniyah", "sulaimaniyah", "suleimaniyah", "slemani", "sulaimani", "السليمانية"],
  },
  { id: "duhok", level: "city", within: ["kurdistan"], names: ["duhok", "dohuk", "دهوك"] },
  { id: "basra", level: "city", names: ["basra", "basrah", "البصرة"] },
  { id: "kirkuk", level: "city", names: ["kirkuk", "كركوك"] },
  { id: "fallujah", level: "city", within: ["anbar"], names: ["fallujah", "falluja", "الفلوجة"] },
  { id: "ramadi", level: "city", within: ["anbar"], names: ["ramadi", "الرمادي"] },
  { id: "qaim", level: "city", within: ["anbar"], names: ["qaim", "القائم"] },
  {
    id: "tikrit",
    level: "city",
    within: ["salahuddin"],
    names: ["tikrit", "تكريت"],
  },
  { id: "samarra", level: "city", within: ["salahuddin"], names: ["samarra", "سامراء"] },
  { id: "baiji", level: "city", within: ["salahuddin"], names: ["baiji", "beiji", "بيجي"] },
  {
    id: "baqubah",
    level: "city",
    within: ["diyala"],
    names: ["baqubah", "baquba", "baqouba", "بعقوبة"],
  },
  { id: "najaf", level: "city", names: ["najaf", "النجف"] },
  { id: "karbala", level: "city", names: ["karbala", "kerbala", "كربلاء"] },
  {
    id: "nasiriyah",
    level: "city",
    within: ["dhiqar"],
    names: ["nasiriyah", "nasiriya", "nassiriya", "الناصرية"],
  },
  { id: "hillah", level: "city", within: ["babil"], names: ["hillah", "hilla", "الحلة"] },
  { id: "kut", level: "city", names: ["kut", "الكوت"] },
  { id: "amarah", level: "city", names: ["amarah", "amara", "العمارة"] },
  { id: "sinjar", level: "city", within: ["nineveh"], names: ["sinjar", "سنجار"] },
  { id: "halabja", level: "city", within: ["kurdistan"], names: ["halabja", "حلبجة"] },
  { id: "zakho", level: "city", within: ["kurdistan"], names: ["zakho", "زاخو"] },
  { id: "samawah", level: "city", names: ["samawah", "samawa", "السماوة"] },
  { id: "diwaniyah", level: "city", names: ["diwaniyah", "diwaniya", "الديوانية"] },
  { id: "haditha", level: "city", within: ["anbar"], names: ["haditha", "حديثة"] },
  { id: "rutba", level: "city", within: ["anbar"], names: ["rutba", "rutbah", "الرطبة"] },
  { id: "abu-ghraib", level: "city", within: ["baghdad"], names: ["abu ghraib", "ابو غريب"] },
  {
    id: "tarmiyah",
    level: "city",
    within: ["baghdad"],
    names: ["tarmiyah", "tarmiya", "الطارمية"],
  },
  {
    id: "deir-ez-zor",
    level: "city",
    within: ["syria"],
    names: ["deir ez zor", "deir ezzor", "dayr az zawr", "دير الزور"],
  },
  {
    id: "albukamal",
    level: "city",
    within: ["syria"],
    names: ["albukamal", "abu kamal", "bukamal", "البوكمال"],
  },
  {
    id: "jurf-al-sakhar",
    level: "site",
    within: ["babil"],
    names: ["jurf al sakhar", "jurf al nasr", "جرف الصخر", "جرف النصر"],
  },
  { id: "karrada", level: "site", within: ["baghdad"], names: ["karrada", "الكرادة"] },
  {
    id: "kadhimiya",
    level: "site",
    within: ["baghdad"],
    names: ["kadhimiya", "kadhimiyah", "الكاظمية"],
  },
  {
    id: "adhamiya",
    level: "site",
    within: ["baghdad"],
    names: ["adhamiya", "adhamiyah", "الاعظمية"],
  },
  { id: "dora", level: "site", within: ["baghdad"], names: ["dora", "doura", "الدورة"] },
  { id: "taji", level: "site", within: ["baghdad"], names: ["taji", "التاجي"] },
  {
    id: "ain-al-asad",
    level: "site",
    within: ["anbar"],
    names: [
      "ain al asad",
      "ain al assad",
      "ayn al asad",
      "al asad air base",
      "al asad airbase",
      "asad air base",
      "asad airbase",
      "عين الاسد",
    ],
  },
  { id: "balad", level: "site", within: ["salahuddin"], names: ["balad", "balad air base"] },
  {
    id: "baghdad-airport",
    level: "site",
    within: ["baghdad"],
    names: [
      "baghdad airport",
      "baghdad international airport",
      "biap",
      "victory base",
      "camp victory",
      "مطار بغداد",
    ],
  },
  {
    id: "erbil-airport",
    level: "site",
    within: ["erbil"],
    names: ["erbil airport", "erbil international airport", "irbil airport", "مطار اربيل"],
  },
  {
    id: "green-zone",
    level: "site",
    within: ["baghdad"],
    names: ["green zone", "us embassy", "american embassy", "المنطقة الخضراء", "السفارة الامريكية"],
  },
  { id: "harir", level: "site", within: ["erbil"], names: ["harir", "حرير"] },
  { id: "k1", level: "site", within: ["kirkuk"], names: ["k1", "k 1", "كي وان"] },
  {
    id: "sadr-city",
    level: "site",
    within: ["baghdad"],
    names: ["sadr city", "مدينة الصدر"],
  },
  { id: "tahrir", level: "site", within: ["baghdad"], names: ["tahrir square", "ساحة التحرير"] },
  {
    id: "khor-mor",
    level: "site",
    within: ["sulaymaniyah", "kurdistan"],
    names: ["khor mor", "khormor", "كورمور", "خورمور"],
  },
  { id: "rumaila", level: "site", within: ["basra"], names: ["rumaila", "الرميلة"] },
  { id: "umm-qasr", level: "site", within: ["basra"], names: ["umm qasr", "ام قصر"] },
  { id: "shuaiba", level: "site", within: ["basra"], names: ["shuaiba", "الشعيبة"] },
];

const foldPhrase = (phrase: string): string =>
  phrase
    .split(/[\s-]+/u)
    .filter(Boolean)
    .map(foldWord)
    .join(" ");

/** The longest place spelling, in words: the lookup tries phrases up to this length. */
const MAX_PHRASE = 4;

/** The vocabulary above. */
export function builtInVocabulary(): IncidentVocabulary {
  // A word may name several concepts ("raid": police or air).
  const eventOf = new Map<string, string[]>();
  for (const [concept, words] of Object.entries(EVENTS))
    for (const w of words) {
      const key = foldPhrase(w);
      eventOf.set(key, [...(eventOf.get(key) ?? []), concept]);
    }
  const placeOf = new Map<string, Omit<PlaceHit, "span">>();
  for (const p of PLACES) {
    const hit = { id: p.id, level: p.level, within: p.within ?? [] };
    for (const name of p.names) placeOf.set(foldPhrase(name), hit);
  }
  return {
    what(tokens) {
      const found = new Set<string>();
      for (const t of tokens) {
        for (const concept of eventOf.get(t.key) ?? []) found.add(concept);
      }
      return found;
    },
    where(tokens) {
      const found: PlaceHit[] = [];
      for (let i = 0; i < tokens.length; i++) {
        // Longest phrase first: "baghdad airport" is the airport, not the city.
        for (let n = Math.min(MAX_PHRASE, tokens.length - i); n >= 1; n--) {
          const phrase = tokens
            .slice(i, i + n)
            .map((t) => t.key)
            .join(" ");
          const hit = placeOf.get(phrase);
          if (hit) {
            found.push({ ...hit, span: [i, i + n] });
            i += n - 1;
            break;
          }
        }
      }
      return found;
    },
  };
}
