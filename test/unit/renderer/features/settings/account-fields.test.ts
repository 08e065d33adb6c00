/**
 * The account form's field problems: the contract's check names every wrong
 * field with its reason (so each is worded at its field), and an engine's
 * refusal names its field; nothing technical decides the wording.
 */
import { describe, expect, it } from 'vitest';
import { EngineRequestError } from '../../../../../renderer/bridge/engine-client';
import { problemOf } from '../../../../../renderer/bridge/engine-problem';
import { describeProblem } from '../../../../../renderer/i18n/describe-problem';
import { checkAccount, fieldOf } from '../../../../../renderer/features/settings/account-fields';

const valid = {
  serverUrl: 'wss://pbx.jobcenter.example/ws',
  sipUri: 'sip:1001@jobcenter.example',
  authUser: '1001',
  displayName: 'Platz 3',
  iceServers: [],
  autoRegister: true,
};

describe('account fields', () => {
  it('finds every wrong field, each with the reason the screen words', () => {
    expect(checkAccount(valid)).toEqual({});
    const problems = checkAccount({
      ...valid,
      serverUrl: 'http://pbx',
      sipUri: '1001',
      displayName: 'x'.repeat(300),
    });
    expect(Object.keys(problems).sort()).toEqual(['displayName', 'serverUrl', 'sipUri']);
    expect(problems.serverUrl).toMatchObject({
      code: 'invalid_params',
      reason: 'server_url_scheme',
      params: { field: 'account.serverUrl' },
    });
    expect(describeProblem('de', problems.serverUrl!)).toBe(
      'Die Serveradresse muss mit ws:// oder wss:// beginnen.',
    );
    expect(describeProblem('en', problems.sipUri!)).toBe(
      'The SIP address has the form sip:name@domain.',
    );
    // No reason of its own: the form says so in its own words (not the check's message).
    expect(problems.displayName?.reason).toBeUndefined();
    expect(problems.displayName?.params).toEqual({ field: 'account.displayName' });
  });

  it('names the field an engine refusal is about, and none for other failures', () => {
    const refused = problemOf(
      new EngineRequestError(
        'invalid_params',
        'invalid parameters for settings.saveAccount: ✖ … → at account.serverUrl',
        'server_url_scheme',
        { field: 'account.serverUrl' },
      ),
    );
    expect(fieldOf(refused)).toBe('serverUrl');
    expect(
      fieldOf(
        problemOf(
          new EngineRequestError('invalid_params', 'x', undefined, {
            field: 'account.iceServers.0.urls',
          }),
        ),
      ),
    ).toBe('iceServers');
    expect(fieldOf(problemOf(new EngineRequestError('storage', 'disk full')))).toBeUndefined();
    expect(
      fieldOf(
        problemOf(
          new EngineRequestError('invalid_params', 'x', undefined, { field: 'query.from' }),
        ),
      ),
    ).toBeUndefined();
    expect(fieldOf(undefined)).toBeUndefined();
  });
});
