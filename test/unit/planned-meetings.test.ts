/**
 * Planned meetings: what a planned meeting must hold, how the board document keeps them, and the
 * arithmetic from the school's wall clock to instants across the changes of summer time.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { BoardDoc, PlannedMeeting, ValidationError, formatWallTime as mailTime, plannedMeetingSpan, zonedInstant, zoneOffsetMinutes } from '@passerelle/shared';
import { formatWallTime, parseWallTime, wallTimeAfter } from '../../web/src/lib/dates/wall-time.js';

const PARIS = 'Europe/Paris';

describe('a planned meeting’s time in the school’s time zone', () => {
  it('puts 10:00 in Paris at 09:00 UTC in winter and 08:00 UTC in summer, on either side of the March and the October changes', () => {
    // Summer time begins on 28 March 2027 and ends on 31 October 2027.
    expect(zonedInstant('2027-03-15', '10:00', PARIS).toISOString()).toBe('2027-03-15T09:00:00.000Z');
    expect(zonedInstant('2027-03-29', '10:00', PARIS).toISOString()).toBe('2027-03-29T08:00:00.000Z');
    expect(zonedInstant('2027-10-29', '10:00', PARIS).toISOString()).toBe('2027-10-29T08:00:00.000Z');
    expect(zonedInstant('2027-11-02', '10:00', PARIS).toISOString()).toBe('2027-11-02T09:00:00.000Z');
    // On the very days of the changes, 10:00 is already on the new clock.
    expect(zonedInstant('2027-03-28', '10:00', PARIS).toISOString()).toBe('2027-03-28T08:00:00.000Z');
    expect(zonedInstant('2027-10-31', '10:00', PARIS).toISOString()).toBe('2027-10-31T09:00:00.000Z');
  });

  it('reads a time the clocks skip as an hour later, and a time they repeat as its first occurrence', () => {
    // 02:30 does not exist on 28 March 2027: the clocks go from 02:00 to 03:00 (01:00 UTC).
    expect(zonedInstant('2027-03-28', '02:30', PARIS).toISOString()).toBe('2027-03-28T01:30:00.000Z');
    // 02:30 happens twice on 31 October 2027: first at 00:30 UTC (summer time).
    expect(zonedInstant('2027-10-31', '02:30', PARIS).toISOString()).toBe('2027-10-31T00:30:00.000Z');
    // Just after each change, the new offset counts.
    expect(zonedInstant('2027-03-28', '03:00', PARIS).toISOString()).toBe('2027-03-28T01:00:00.000Z');
    expect(zonedInstant('2027-10-31', '03:30', PARIS).toISOString()).toBe('2027-10-31T02:30:00.000Z');
  });

  it('gives a meeting its real length across a change of clock, and follows other zones', () => {
    const span = plannedMeetingSpan({ date: '2027-10-31', start: '01:30', minutes: 120 }, PARIS);
    expect(span.start.toISOString()).toBe('2027-10-30T23:30:00.000Z');
    expect(span.end.getTime() - span.start.getTime()).toBe(120 * 60_000);
    expect(zonedInstant('2027-03-15', '10:00', 'America/Montreal').toISOString()).toBe('2027-03-15T14:00:00.000Z');
    expect(zonedInstant('2027-03-15', '10:00', 'UTC').toISOString()).toBe('2027-03-15T10:00:00.000Z');
    expect(zoneOffsetMinutes(new Date('2027-07-01T00:00:00Z'), 'Asia/Kolkata')).toBe(330);
  });
});

describe('planned meetings in the board document', () => {
  it('plans, changes, lists soonest first and cancels; a board from before them reads as none planned', () => {
    const board = new BoardDoc(new Y.Doc());
    expect(board.plannedMeetings.list()).toEqual([]);
    const later = board.plannedMeetings.create({ title: 'Comité de pilotage', date: '2027-11-02', start: '10:00', minutes: 90, place: 'Salle B12' });
    const sooner = board.plannedMeetings.create({ title: 'Point Erasmus', date: '2027-03-15', start: '14:30' });
    expect(board.plannedMeetings.list().map((meeting) => meeting.id)).toEqual([sooner, later]);
    expect(board.plannedMeetings.get(sooner)).toMatchObject({ minutes: 60, place: '', note: '' });
    board.plannedMeetings.update(sooner, { date: '2028-01-10', note: 'Bilan des mobilités' });
    expect(board.plannedMeetings.list().map((meeting) => meeting.id)).toEqual([later, sooner]);
    expect(board.plannedMeetings.get(sooner)).toMatchObject({ title: 'Point Erasmus', date: '2028-01-10', start: '14:30', note: 'Bilan des mobilités' });
    board.plannedMeetings.delete(later);
    expect(board.plannedMeetings.list().map((meeting) => meeting.id)).toEqual([sooner]);
  });

  it('refuses a meeting without a title, a real date or a time of day, and leaves out a value that is no meeting', () => {
    const board = new BoardDoc(new Y.Doc());
    expect(() => board.plannedMeetings.create({ title: ' ', date: '2027-03-15', start: '10:00' })).toThrow(ValidationError);
    expect(() => board.plannedMeetings.create({ title: 'X', date: '2027-02-30', start: '10:00' })).toThrow(ValidationError);
    expect(() => board.plannedMeetings.create({ title: 'X', date: '2027-03-15', start: '24:00' })).toThrow(ValidationError);
    expect(() => board.plannedMeetings.create({ title: 'X', date: '2027-03-15', start: '10:00', minutes: 0 })).toThrow(ValidationError);
    expect(PlannedMeeting.safeParse({ title: 'X', date: '2027-03-15', start: '9:00' }).success).toBe(false);
    board.plannedMeetings.map.set('junk', 'not a meeting');
    board.plannedMeetings.map.set('half', { title: 'No date' });
    expect(board.plannedMeetings.list()).toEqual([]);
  });
});

describe('times of day as typed and as written', () => {
  it.each([
    ['14:30', '14:30'],
    ['14h30', '14:30'],
    ['9h', '09:00'],
    ['9.05', '09:05'],
    ['14', '14:00'],
    ['2:30 pm', '14:30'],
    ['12 am', '00:00'],
    ['12:15 PM', '12:15'],
  ])('reads %s as %s', (typed, time) => expect(parseWallTime(typed)).toBe(time));

  it.each(['24:00', '10:60', '13 pm', 'midi', ''])('refuses %s', (typed) => expect(parseWallTime(typed)).toBeNull());

  it('writes a time in the interface’s language, and counts a meeting’s end on the clock', () => {
    expect(formatWallTime('14:30', 'fr-FR')).toBe('14:30');
    expect(formatWallTime('09:05', 'fr-FR')).toBe('09:05');
    expect(formatWallTime('14:30', 'en-US')).toMatch(/^2:30\sPM$/);
    expect(mailTime('09:05', 'fr')).toBe('09:05');
    expect(mailTime('14:30', 'en')).toBe('14:30');
    expect(formatWallTime('14:30', 'en-GB')).toBe('14:30');
    expect(wallTimeAfter('10:00', 90)).toBe('11:30');
    expect(wallTimeAfter('23:30', 60)).toBe('00:30');
  });
});
