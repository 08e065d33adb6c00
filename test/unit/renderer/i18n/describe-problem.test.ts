import { describe, expect, it } from 'vitest';
import { ERROR_REASONS, MODEL_ERROR_CODES } from '../../../../electron/contract';
import { EngineRequestError } from '../../../../renderer/bridge/engine-client';
import { problemFromSpeech, problemOf } from '../../../../renderer/bridge/engine-problem';
import { describeProblem } from '../../../../renderer/i18n/describe-problem';

describe('engine problems in the agent’s words', () => {
  it('words every reason of the contract in German and English, never as the English message', () => {
    for (const reason of [...ERROR_REASONS, ...MODEL_ERROR_CODES]) {
      const problem = { code: 'bad_request' as const, reason, message: 'ENGLISH-DEVELOPER-TEXT' };
      const de = describeProblem('de', problem);
      const en = describeProblem('en', problem);
      expect(de, reason).not.toContain('ENGLISH-DEVELOPER-TEXT');
      expect(de, reason).not.toBe(en);
      expect(de.length, reason).toBeGreaterThan(5);
    }
  });

  it('fills params, words a model file problem, and names the cause first', () => {
    expect(
      describeProblem('de', {
        code: 'bad_request',
        reason: 'note_too_long',
        params: { max: 4000 },
        message: '',
      }),
    ).toBe('Der Vermerk ist länger als 4000 Zeichen.');
    expect(
      describeProblem('en', {
        code: 'bad_request',
        reason: 'invalid_model',
        params: { file: 'am/final.mdl', problem: 'not_kaldi' },
        message: '',
      }),
    ).toBe('Not a usable Vosk model: am/final.mdl is not a Kaldi model file.');
    expect(
      describeProblem('de', {
        code: 'back_office',
        reason: 'note_kept_on_desk',
        params: { cause: 'case_system_timeout' },
        message: '',
      }),
    ).toMatch(/^Das Fachverfahren antwortet nicht rechtzeitig\. Der Vermerk .* gesichert/);
  });

  it('words a verification lock with the local date and time it ends, not the engine’s instant', () => {
    const problem = {
      code: 'not_verified' as const,
      reason: 'verification_locked' as const,
      params: { until: '2026-03-02T09:15:00.000Z' },
      message: 'phone verification of this number or line is locked until 2026-03-02T09:15:00.000Z',
    };
    const de = describeProblem('de', problem);
    expect(de).toMatch(
      /^Die telefonische Identitätsprüfung .* bis 02\.03\.26, \d\d:\d\d gesperrt\./,
    );
    expect(de).not.toContain('2026-03-02T');
    expect(describeProblem('en', problem)).toMatch(/blocked until 02\/03\/2026, \d\d:\d\d after/);
  });

  it('words a speech cool-down after repeated crashes (speech.status down with a reason)', () => {
    const status = {
      state: 'down' as const,
      reason: 'speech_cooling_down' as const,
      params: { crashes: 6, seconds: 30 },
      message: 'speech worker crashed 6 times within 60 s; recognition paused, next try in 30 s',
    };
    expect(describeProblem('de', problemFromSpeech(status))).toBe(
      'Die Spracherkennung ist 6-mal kurz hintereinander abgestürzt und pausiert; neuer Versuch in 30 s.',
    );
    expect(describeProblem('en', problemFromSpeech(status))).toBe(
      'Speech recognition crashed 6 times in a row and is paused; next try in 30 s.',
    );
  });

  it('without a reason: the kind of failure, with the engine’s message as a detail', () => {
    const problem = problemOf(new EngineRequestError('internal', 'boom at line 3'));
    expect(problem).toEqual({ code: 'internal', message: 'boom at line 3' });
    expect(describeProblem('de', problem)).toBe(
      'In der Engine ist ein Fehler aufgetreten. (boom at line 3)',
    );
    expect(describeProblem('en', problemOf(new Error('plain')))).toBe('plain');
  });

  it('keeps reason and params from the reply envelope', () => {
    const problem = problemOf(
      new EngineRequestError('invalid_params', 'must start with ws://', 'server_url_scheme', {
        field: 'account.serverUrl',
      }),
    );
    expect(problem).toMatchObject({
      reason: 'server_url_scheme',
      params: { field: 'account.serverUrl' },
    });
    expect(describeProblem('de', problem)).toBe(
      'Die Serveradresse muss mit ws:// oder wss:// beginnen.',
    );
  });
});
