import { describe, expect, it } from 'vitest';
import { matchSafetyRules } from '../../../../../../electron/engine/nlu/intents/safety-rules';

describe('matchSafetyRules', () => {
  it.each([
    'Ich will nicht mehr leben.',
    'ich denke an selbst mord',
    'Manchmal denke ich, es wäre besser, wenn es mich nicht mehr gibt.',
    'ich hab angst dass ich mir was antue',
    'Ich ritze mich.',
    'Mein Mann schlägt mich.',
    'mein freund hat mich verprügelt',
    'Mein Ex bedroht mich.',
    'ich habe angst vor meinem mann',
    'Ich brauche einen Platz im Frauenhaus.',
    'Ich habe keinen Hunger mehr und will sterben.',
  ])('crisis: %s', (text) => expect(matchSafetyRules(text)?.intent).toBe('crisis'));

  it.each([
    'Ich habe nichts mehr zu essen.',
    'wir haben kein geld mehr für lebensmittel',
    'Meine Kinder haben Hunger.',
    'Der Strom wurde abgestellt.',
    'die stadtwerke sperren morgen das gas',
    'Die Heizung ist aus und es ist eiskalt.',
    'Nächste Woche ist die Zwangsräumung.',
    'ich bin obdachlos',
    'Ich habe gar kein Geld mehr.',
  ])('emergency: %s', (text) => expect(matchSafetyRules(text)?.intent).toBe('emergency'));

  it.each([
    'Wann kommt mein Bürgergeld?',
    'Ich habe kein Geld bekommen.',
    'Seit zwei Monaten bekomme ich kein Geld mehr.',
    'Ich möchte mich gegen den Bescheid wehren.',
    'Ich bin aus der Ukraine geflohen und brauche Bürgergeld.',
    'Mein Vater ist gestorben.',
    'Die Heizkostenabrechnung ist zu hoch.',
    'Ich möchte einen anderen Termin vorschlagen.',
    'Wer zahlt das Mittagessen in der Kita?',
    'Ich habe nichts mehr von euch gehört.',
    'Meine Stromnachzahlung ist hoch, übernehmt ihr das?',
  ])('no alarm for everyday concerns: %s', (text) =>
    expect(matchSafetyRules(text)).toBeUndefined(),
  );

  it('puts crisis before emergency when both are said', () => {
    expect(matchSafetyRules('Ich habe nichts zu essen und will nicht mehr leben')?.intent).toBe(
      'crisis',
    );
  });

  it('reads a bounded amount of text quickly', () => {
    const started = performance.now();
    matchSafetyRules('a '.repeat(500_000));
    expect(performance.now() - started).toBeLessThan(200);
  });
});
