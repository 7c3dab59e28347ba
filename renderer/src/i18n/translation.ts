/**
 * The shape a translation must have: the English catalogue's keys, each with a string. `satisfies
 * Translation<typeof en>` on a catalogue makes a missing or extra key a compile error.
 */
export type Translation<Catalogue> = {
  readonly [Key in keyof Catalogue]: Catalogue[Key] extends string ? string : Translation<Catalogue[Key]>;
};
