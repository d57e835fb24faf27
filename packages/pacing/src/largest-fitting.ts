/**
 * The largest n in [floor, room] for which `fits(n)` holds, when the n that fit form a prefix
 * (`fits` is true up to some n* and false after) and `floor` is taken as fitting. Most pacing
 * decisions launch the floor or one more, so it tests floor + 1 first, then gallops and bisects:
 * the costly large-n walks are only reached when they matter.
 */
export function largestFitting(fits: (n: number) => boolean, room: number, floor: number): number {
  if (floor >= room) return room;
  if (!fits(floor + 1)) return floor;
  let lo = floor + 1;
  let hi = room;
  let step = 2;
  while (lo < room) {
    const probe = Math.min(room, lo + step);
    if (!fits(probe)) {
      hi = probe;
      break;
    }
    lo = probe;
    step *= 2;
  }
  if (lo === room) return room;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}
