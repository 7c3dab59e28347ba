import { describe, expect, it } from 'vitest';
import { ageText, backupAgeLabel } from '../../../renderer/src/lib/backup-age';
import { backupPasswordProblems, backupPasswordStrength } from '../../../renderer/src/lib/backup-password';
import { formatSize } from '../../../renderer/src/lib/format';

describe('backupPasswordProblems', () => {
  it('holds backup passwords to the contract: 12-128 characters', () => {
    expect(backupPasswordProblems('Ceremony2024')).toEqual([]);
    expect(backupPasswordProblems('Short-1')).toEqual(['must be 12-128 characters']);
    expect(backupPasswordProblems('x'.repeat(129))).toEqual(['must be 12-128 characters']);
  });
});

describe('backupPasswordStrength', () => {
  it('calls anything the contract refuses too short, however varied', () => {
    const strength = backupPasswordStrength('Aa1!Bb2@');
    expect(strength.level).toBe('too-short');
    expect(strength.label).toBe('Too short');
  });

  it('grows with the character pool and the length', () => {
    expect(backupPasswordStrength('correcthorse').level).toBe('fair'); // 12 lower case: ~56 bits
    expect(backupPasswordStrength('Ceremony2024x').level).toBe('good'); // 3 classes, 13 characters
    expect(backupPasswordStrength('Backup-Pass-2026-long').level).toBe('strong');
    expect(backupPasswordStrength('Backup-Pass-2026-long').percent).toBe(100);
    expect(backupPasswordStrength('correcthorse').bits).toBeLessThan(backupPasswordStrength('correcthorsebattery').bits);
  });

  it('counts repeats and runs half, and says so', () => {
    const repeated = backupPasswordStrength('aaaaaaaaaaaaaaaa');
    const varied = backupPasswordStrength('qzmxeuhbrtyplfdk');
    expect(repeated.bits).toBeLessThan(varied.bits / 1.8);
    expect(repeated.level).toBe('weak');
    expect(repeated.hints).toContain('Avoid repeated characters and runs such as aaa, abc or 123.');
    expect(backupPasswordStrength('abcdefghijklmnop').level).toBe('weak');
    expect(backupPasswordStrength('123456789012').hints).toContain('Avoid repeated characters and runs such as aaa, abc or 123.');
    expect(varied.hints).not.toContain('Avoid repeated characters and runs such as aaa, abc or 123.');
  });

  it('suggests the missing character classes and more length, and nothing for a strong passphrase', () => {
    expect(backupPasswordStrength('correcthorse').hints).toEqual([
      'Longer is stronger: 16 characters or more, e.g. several unrelated words.',
      'Mix in upper case letters, digits, symbols.',
    ]);
    expect(backupPasswordStrength('Backup-Pass-2026-long').hints).toEqual([]);
  });

  it('meters an empty field at zero', () => {
    expect(backupPasswordStrength('')).toMatchObject({ bits: 0, percent: 0, level: 'too-short' });
  });
});

describe('backup age', () => {
  const now = Date.parse('2026-12-08T12:00:00Z');
  it('says how long ago in the largest whole unit', () => {
    expect(ageText('2026-12-08T11:59:30Z', now)).toBe('just now');
    expect(ageText('2026-12-08T11:35:00Z', now)).toBe('25 min ago');
    expect(ageText('2026-12-08T07:00:00Z', now)).toBe('5 h ago');
    expect(ageText('2026-12-05T11:00:00Z', now)).toBe('3 d ago');
    // A clock that went back shows no negative age.
    expect(ageText('2026-12-08T12:05:00Z', now)).toBe('just now');
    expect(ageText('not a date', now)).toBe('at an unknown time');
  });

  it('labels the header line', () => {
    expect(backupAgeLabel(null, now)).toBe('No backup yet');
    expect(backupAgeLabel('2026-12-05T11:00:00Z', now)).toBe('Backup 3 d ago');
  });
});

describe('formatSize', () => {
  it('uses decimal units with one decimal below ten', () => {
    expect(formatSize(1)).toBe('1 byte');
    expect(formatSize(812)).toBe('812 bytes');
    expect(formatSize(4_200_000)).toBe('4.2 MB');
    expect(formatSize(999_700)).toBe('1.0 MB');
    expect(formatSize(123_456)).toBe('123 KB');
  });
});
