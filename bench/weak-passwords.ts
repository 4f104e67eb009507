// A fixed list of 30 realistic weak passwords for a realistic home, to measure the weak-password generator's
// order by how many hashes it needs to reach each (bench/password-order.ts). Committed BEFORE the order was
// tuned, and not to be edited to fit the generator: change the generator, not the list.
//
// Ranks quoted below are 1-based positions in two published, ranked lists available here:
// - zxcvbn-ts: `passwords-common` of the npm package @zxcvbn-ts/language-common 4.1.3 (MIT; lower-cased,
//   ranked by frequency; derived from Mark Burnett's 10-million-password set, released to the public domain);
// - john: Debian's john-data 1.9.0, /usr/share/john/password.lst (Openwall, "assumed to be in the public domain",
//   ranked by number of occurrences).
// Counts of shapes ("N entries end in 19xx") are counted in the zxcvbn-ts list.

/** The home the passwords belong to, as Home Assistant stores it. */
export const BENCH_HOME = {
  /** `.storage/core.config`: many owners name the home after its address. */
  coreConfig: { locationName: "12 Oak Street", timeZone: "America/Denver", country: "US" },
  /** `.storage/auth` users (login, display name) and their `person` names. */
  users: [
    { username: "mike", name: "Mike Johnson", person: "Mike" },
    { username: "sarah", name: "Sarah Johnson", person: "Sarah" },
    { username: "emma", name: "Emma", person: "Emma" },
    { username: "kiosk", name: "Kitchen Tablet", person: undefined },
  ],
  /** "Now" for the year rules: the six years before it are 2021–2026. */
  now: new Date("2026-11-23T18:00:00Z"),
} as const;

export type BenchUser = (typeof BENCH_HOME.users)[number]["username"];

export interface WeakPassword {
  user: BenchUser;
  password: string;
  /** The shape, in the words a finding may use. */
  shape: string;
  /** Where the shape comes from. */
  source: string;
}

export const WEAK_PASSWORDS: readonly WeakPassword[] = [
  {
    user: "mike",
    password: "password123",
    shape: "common word + 123",
    source: "issue 9 (a real Home Assistant user); password: zxcvbn-ts #2, john #3; password123: zxcvbn-ts #796",
  },
  {
    user: "sarah",
    password: "Summer2024!",
    shape: "season + recent year + symbol",
    source: "issue 9 (a real Home Assistant user); summer: zxcvbn-ts #81, john #17",
  },
  {
    user: "mike",
    password: "Winter2023",
    shape: "season + recent year",
    source: "winter: zxcvbn-ts #227, john #445; 111 zxcvbn-ts entries are a word + 20xx",
  },
  {
    user: "emma",
    password: "spring2025",
    shape: "season + recent year, lower case",
    source: "spring: zxcvbn-ts #890, john #106",
  },
  {
    user: "kiosk",
    password: "Autumn2022!",
    shape: "season + year + symbol",
    source: "autumn: zxcvbn-ts #1392, john #1225",
  },
  {
    user: "sarah",
    password: "September2024!",
    shape: "month + recent year + symbol",
    source: "september: zxcvbn-ts #2685, john #1764",
  },
  { user: "mike", password: "January2026", shape: "month + this year", source: "january: zxcvbn-ts #1582, john #2137" },
  {
    user: "mike",
    password: "Mike1985",
    shape: "own name + birth year",
    source: "mike: zxcvbn-ts #234 (mike1969, mike2000 are listed); 151 zxcvbn-ts entries are a word + 19xx",
  },
  {
    user: "mike",
    password: "mike123",
    shape: "username + 123",
    source: "mike123: zxcvbn-ts #5914; 720 zxcvbn-ts entries are a word + 123",
  },
  { user: "sarah", password: "sarah2024", shape: "own name + recent year", source: "sarah: zxcvbn-ts #745, john #136" },
  {
    user: "sarah",
    password: "Johnson1",
    shape: "own family name + 1",
    source: "johnson: zxcvbn-ts #250; 3,491 zxcvbn-ts entries are a word + 1",
  },
  {
    user: "emma",
    password: "Emma2015",
    shape: "own name + birth year (a child)",
    source: "emma: zxcvbn-ts #3409; name + year as above",
  },
  {
    user: "kiosk",
    password: "Sarah123!",
    shape: "another user's name + 123 + symbol",
    source: "a shared device's password set by a parent; sarah: zxcvbn-ts #745",
  },
  {
    user: "mike",
    password: "Oakstreet12",
    shape: "street + house number",
    source: "the home's address (core.config location_name)",
  },
  {
    user: "sarah",
    password: "oakstreet",
    shape: "street as typed",
    source: "the home's address (core.config location_name)",
  },
  {
    user: "emma",
    password: "Denver2024",
    shape: "city + recent year",
    source: "denver: zxcvbn-ts #793 (cities are common base words)",
  },
  { user: "kiosk", password: "denver123", shape: "city + 123", source: "denver: zxcvbn-ts #793; word + 123 as above" },
  { user: "mike", password: "Johnson2021!", shape: "family name + year + symbol", source: "johnson: zxcvbn-ts #250" },
  {
    user: "sarah",
    password: "qwerty123",
    shape: "keyboard walk + 123",
    source: "qwerty123: zxcvbn-ts #272; qwerty: zxcvbn-ts #4, john #12",
  },
  {
    user: "emma",
    password: "1q2w3e4r",
    shape: "keyboard walk (two rows)",
    source: "1q2w3e4r: zxcvbn-ts #232, john #2053",
  },
  {
    user: "kiosk",
    password: "Qwerty123!",
    shape: "keyboard walk + 123 + symbol, capitalised",
    source: "qwerty123: zxcvbn-ts #272, with the capital and symbol a password rule asks for",
  },
  {
    user: "mike",
    password: "1qaz2wsx",
    shape: "keyboard walk (columns)",
    source: "1qaz2wsx: zxcvbn-ts #28, john #2068",
  },
  {
    user: "sarah",
    password: "asdf1234",
    shape: "keyboard walk + digits",
    source: "asdf1234: zxcvbn-ts #482, john #1218",
  },
  {
    user: "mike",
    password: "homeassistant",
    shape: "Home Assistant word",
    source: "the product's name, typed at onboarding",
  },
  {
    user: "kiosk",
    password: "Homeassistant1!",
    shape: "Home Assistant word + 1 + symbol",
    source: "the product's name with the digit and symbol a password rule asks for",
  },
  {
    user: "emma",
    password: "hassio2024",
    shape: "Home Assistant word + recent year",
    source: "hassio: the old name of Home Assistant OS and its Supervisor",
  },
  { user: "sarah", password: "P@ssw0rd", shape: "leetspeak of a common word", source: "p@ssw0rd: zxcvbn-ts #6920" },
  {
    user: "kiosk",
    password: "Passw0rd!",
    shape: "partial leetspeak + symbol",
    source: "passw0rd: zxcvbn-ts #273, john #2040",
  },
  {
    user: "emma",
    password: "Welcome1",
    shape: "common word capitalised + 1",
    source: "welcome1: zxcvbn-ts #1042; welcome: zxcvbn-ts #137, john #143",
  },
  {
    user: "mike",
    password: "iloveyou2",
    shape: "common phrase + digit",
    source: "iloveyou2: zxcvbn-ts #5954, john #2031",
  },
];
